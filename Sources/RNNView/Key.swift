/// A key press as the terminal layer reports it.
public enum Key: Hashable, Sendable {
    case character(Character)
    case left, right, up, down
    case home, end, pageUp, pageDown
    case tab, backTab, enter, escape, backspace, delete
    /// Ctrl-C when the terminal delivers it as a key rather than a signal.
    case interrupt
    case resize(width: Int, height: Int)
}
