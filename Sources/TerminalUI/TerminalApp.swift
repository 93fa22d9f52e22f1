import RNNView

/// An interactive program as the event loop sees it: state that takes keys and ticks, draws itself into
/// a `Buffer`, and asks for slow work as effects instead of doing it. It never touches the terminal, so
/// it can be driven by `TestBackend`.
public protocol TerminalApp {
    /// Slow work the app asks for (opening a lesson, training, writing a file); `Never` for an app that
    /// asks for none.
    associatedtype Effect = Never
    /// What came of an effect, handed back to the app.
    associatedtype Outcome = Never
    /// Applies one key press (including `Key.resize`) and returns the work it asks for. An error thrown
    /// here ends the loop (the terminal is restored first) and reaches `runApp`'s caller.
    mutating func handle(_ key: Key) throws -> [Effect]
    /// Advances time by one `tickInterval` (e.g. autoplay). Called only when `tickInterval` is set.
    mutating func tick() throws -> [Effect]
    /// Does the work of `effect`, on the loop's worker thread: it must not touch the app or the terminal.
    /// `shouldStop` turns true when the learner quits; the work should then end within 0.1 s.
    static func perform(_ effect: Effect, shouldStop: @escaping @Sendable () -> Bool) -> Outcome
    /// Takes what came of an effect; returns any further work.
    mutating func receive(_ outcome: Outcome) -> [Effect]
    /// Shows that `effect` has run for `seconds` so far (drawn on the next frame).
    mutating func working(on effect: Effect, seconds: Int)
    /// The loop stops (and the terminal is restored) once this is true.
    var shouldQuit: Bool { get }
    /// Seconds between ticks, or nil to wait for keys only (a blocking read: no CPU while idle).
    var tickInterval: Double? { get }
    /// The whole frame for a screen of `width` × `height` cells.
    func render(width: Int, height: Int) -> Buffer
}

extension TerminalApp {
    public mutating func tick() -> [Effect] { [] }
    public var tickInterval: Double? { nil }
    public mutating func working(on effect: Effect, seconds: Int) {}
}

extension TerminalApp where Effect == Never, Outcome == Never {
    public static func perform(_ effect: Never, shouldStop: @escaping @Sendable () -> Bool) -> Never {}
    public mutating func receive(_ outcome: Never) -> [Never] {}
}
