import RNNApp
import RNNEngine

/// A failure the user can act on; argument-parser prints it as one `Error: …` line and exits non-zero.
/// The CLI's name for the app's `UserError`: the same one-line failure, whichever layer finds it.
typealias CLIError = UserError

/// Runs `body`, turning engine errors into `CLIError`s with their one-line message.
func cli<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as EngineError {
        throw CLIError(error.description)
    }
}
