/// Everything that can go wrong in the engine, each with a one-line message for the user.
public enum EngineError: Error, Equatable, CustomStringConvertible, Sendable {
    case unknownToken(token: String, position: Int, known: [String])
    case emptyInput
    case invalidModel(String)
    case invalidArgument(String)
    case file(path: String, problem: String)
    /// Long work (training) stopped part-way because the user asked to quit.
    case stopped

    public var description: String {
        switch self {
        case let .unknownToken(token, position, known):
            let shown = known.prefix(12).map { "\"\($0)\"" }.joined(separator: ", ")
            let more = known.count > 12 ? ", … (\(known.count) in all)" : ""
            return "token \"\(token)\" at position \(position + 1) is not in the model's vocabulary (\(shown)\(more))"
        case .emptyInput:
            return "the input text is empty: give at least one token"
        case let .invalidModel(message):
            return message
        case let .invalidArgument(message):
            return message
        case let .file(path, problem):
            return "\(path): \(problem)"
        case .stopped:
            return "stopped before it finished"
        }
    }
}
