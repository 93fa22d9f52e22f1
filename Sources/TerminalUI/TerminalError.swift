/// Why the terminal could not be taken over. The description is one line for the CLI to print.
public enum TerminalError: Error, Equatable, CustomStringConvertible, Sendable {
    /// stdin or stdout is not a terminal (piped, redirected, or run under a test runner).
    case notATerminal
    /// `TERM` is unset or `dumb`.
    case unsupportedTerminal(term: String?)
    /// ncurses refused the terminal (`newterm` failed, e.g. no terminfo entry for `TERM`).
    case cursesInitFailed(term: String?)

    public var description: String {
        switch self {
        case .notATerminal:
            return "not a terminal — use `rnnscope view --plain` or `rnnscope trace` instead"
        case .unsupportedTerminal(let term):
            let name = term.map { "TERM=\($0)" } ?? "TERM is not set"
            return "\(name) cannot show the interactive view — use `rnnscope view --plain` or `rnnscope trace` instead"
        case .cursesInitFailed(let term):
            return "ncurses could not open the terminal (TERM=\(term ?? "")): no terminfo entry? — try TERM=xterm-256color"
        }
    }
}
