import RNNEngine

/// A failure the user can act on; argument-parser prints it as one `Error: …` line and exits non-zero.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body`, turning engine errors into `CLIError`s with their one-line message.
func cli<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as EngineError {
        throw CLIError(error.description)
    }
}
