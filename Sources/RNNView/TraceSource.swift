import RNNTrace

/// The outside world the app may ask for new traces; `RNNApp` implements it with a loaded model.
/// `AppState` calls it only in response to keys, so that state stays testable with a fake.
public protocol TraceSource {
    /// Runs the model on `text` (forward and backward). Throws a readable error for unknown tokens.
    func trace(for text: String) throws -> Recording
    /// Runs a tanh RNN, an LSTM and a GRU on the same text, one trace per cell kind.
    func comparison(for text: String) throws -> [Recording]
    /// The same, for a source that may train the compared models first: `shouldStop` is asked between
    /// training updates, and a stopped comparison throws.
    func comparison(for text: String, shouldStop: @escaping () -> Bool) throws -> [Recording]
    /// Writes the recording's trace file somewhere and returns the path.
    func export(_ trace: Recording) throws -> String
    /// A fresh training run of the model's recipe from its seed (`t`: live training in the viewer).
    func makeTrainingSession() throws -> any TrainingSession
}

extension TraceSource {
    /// Sources that never train run the comparison at once.
    public func comparison(for text: String, shouldStop: @escaping () -> Bool) throws -> [Recording] {
        try comparison(for: text)
    }

    /// A fresh training run of the model's recipe, from its seed; sources without a recipe cannot train.
    public func makeTrainingSession() throws -> any TrainingSession {
        throw TrainingUnavailable()
    }
}

/// Why `t` did nothing: the model on screen came from a file, not a training recipe.
public struct TrainingUnavailable: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "live training needs a lesson that trains its model (a recipe); this model was loaded from a file" }
}
