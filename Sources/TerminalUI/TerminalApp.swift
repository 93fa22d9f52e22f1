import RNNView

/// An interactive program as the event loop sees it: pure state that takes keys and ticks and
/// draws itself into a `Buffer`. It never touches the terminal, so it can be driven by `TestBackend`.
public protocol TerminalApp {
    /// Applies one key press (including `Key.resize`). An error thrown here ends the loop (the
    /// terminal is restored first) and reaches `runApp`'s caller.
    mutating func handle(_ key: Key) throws
    /// Advances time by one `tickInterval` (e.g. autoplay). Called only when `tickInterval` is set.
    mutating func tick() throws
    /// The loop stops (and the terminal is restored) once this is true.
    var shouldQuit: Bool { get }
    /// Seconds between ticks, or nil to wait for keys only (a blocking read: no CPU while idle).
    var tickInterval: Double? { get }
    /// The whole frame for a screen of `width` × `height` cells.
    func render(width: Int, height: Int) -> Buffer
}

extension TerminalApp {
    public mutating func tick() {}
    public var tickInterval: Double? { nil }
}
