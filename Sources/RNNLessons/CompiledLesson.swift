import RNNEngine

/// A lesson ready to run, each of its files read once: the file parsed and checked (its templates parsed
/// with it), and its `model:` files loaded by the checks and kept, so running it loads nothing again.
public struct CompiledLesson: Sendable {
    public var lesson: Lesson
    /// The models of the lesson's `model:` files, in the order of `cell:`; empty for a lesson that trains
    /// its models from the recipe.
    public var models: [RNNModel]
    /// Where the lesson's files were read from (a model not loaded yet is loaded from there).
    public var files: LessonFiles

    public init(lesson: Lesson, models: [RNNModel] = [], files: LessonFiles = .disk) {
        self.lesson = lesson
        self.models = models
        self.files = files
    }

    /// Reads, parses and checks the lesson file at `path`. A broken lesson throws every problem, each as
    /// `file:line: …` (`oneLine` gives the first of them, for a status line or a CLI error).
    public static func open(path: String, files: LessonFiles = .disk) throws(LessonLoadError) -> CompiledLesson {
        let report = LessonValidator.validate(path: path, files: files)
        guard let lesson = report.lesson, report.problems.isEmpty else {
            let problems = report.problems.isEmpty
                ? [LessonProblem(file: path, line: nil, message: "not a lesson")] : report.problems
            throw LessonLoadError(problems: problems)
        }
        return CompiledLesson(lesson: lesson, models: report.models, files: files)
    }

    /// The model of the lesson's `k`-th cell as the lesson runs it: its loaded file, or trained from the recipe.
    public func model(cellAt k: Int, shouldStop: (() -> Bool)? = nil) throws(EngineError) -> RNNModel {
        try LessonRunner.models(for: lesson, cellAt: k, loadedModels: models, shouldStop: shouldStop, files: files).model
    }

    /// Loads or trains the models (`shouldStop` is asked between training updates) and runs the lesson.
    public func run(shouldStop: (() -> Bool)? = nil) throws(EngineError) -> LessonRun {
        try LessonRunner.run(lesson, loadedModels: models, shouldStop: shouldStop, files: files)
    }
}

extension LessonLoadError {
    /// The first problem and how many more there are, in one line; `validate` names the command that
    /// lists them all.
    public func oneLine(validate: String) -> String {
        guard let first = problems.first else { return "not a lesson" }
        return first.description + (problems.count > 1 ? " (and \(problems.count - 1) more: \(validate))" : "")
    }
}
