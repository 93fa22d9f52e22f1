import RNNView

/// The size of the screen in cells.
public struct TerminalSize: Hashable, Sendable {
    public var width: Int
    public var height: Int

}

/// Where frames go and keys come from: the real terminal (`CursesBackend`) or an in-memory twin
/// (`TestBackend`). The event loop (`runApp`) talks only to this protocol.
public protocol TerminalBackend: AnyObject {
    /// The current screen size in cells.
    var size: TerminalSize { get }
    /// The colours the frames will be shown with: as many as the terminal has, or none when monochrome
    /// was asked for. The view's own `ColorMode`, so the palette and the theme speak of the same thing.
    var colorMode: ColorMode { get }
    /// True once a quit signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT, …) arrived; the loop then stops and restores.
    var quitRequested: Bool { get }
    /// Shows `buffer`, writing only what changed since the previous flush.
    func flush(_ buffer: Buffer)
    /// Waits up to `timeoutMilliseconds` for a key (forever when nil). Returns nil when the time ran
    /// out or a quit signal arrived. A terminal resize is reported as `Key.resize`.
    func readKey(timeoutMilliseconds: Int?) -> Key?
    /// Gives the terminal back (leave the alternate screen, show the cursor). Safe to call twice.
    func restore()
}
