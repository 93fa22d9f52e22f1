import RNNTrace

/// The outside world the app may ask for new traces; the CLI implements it with a loaded model.
/// `AppState` calls it only in response to keys, so that state stays testable with a fake.
public protocol TraceSource {
    /// Runs the model on `text` (forward and backward). Throws a readable error for unknown tokens.
    func trace(for text: String) throws -> Trace
    /// Runs a tanh RNN, an LSTM and a GRU on the same text, one trace per cell kind.
    func comparison(for text: String) throws -> [Trace]
    /// Writes the trace somewhere and returns the path.
    func export(_ trace: Trace) throws -> String
}
