/// A failure the user can act on, in one line: the viewer shows it on its status line, the CLI prints it
/// as `Error: …` and exits non-zero.
public struct UserError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
