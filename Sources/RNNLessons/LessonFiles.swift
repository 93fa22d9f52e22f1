import RNNEngine

/// How lessons reach the files they read: the lesson file and a `corpus_file` as text, `model:` files as
/// models. The disk in the app; tests put a counting twin in its place to see each read once.
public struct LessonFiles: Sendable {
    public var readText: @Sendable (_ path: String) -> Result<String, LessonProblem>
    public var loadModel: @Sendable (_ path: String) throws(EngineError) -> RNNModel

    public init(readText: @escaping @Sendable (_ path: String) -> Result<String, LessonProblem>,
                loadModel: @escaping @Sendable (_ path: String) throws(EngineError) -> RNNModel) {
        self.readText = readText
        self.loadModel = loadModel
    }

    /// The files on disk, text through `LessonFileReader`'s limits.
    public static let disk = LessonFiles(readText: { LessonFileReader.read(path: $0) },
                                         loadModel: { path throws(EngineError) in try RNNModel.load(contentsOf: path) })
}
