import RNNView

/// Runs `app` on `backend` until the app quits or a quit signal arrives: draw → wait for a key (or
/// the next tick) → apply → draw again. The terminal is restored on every way out, including a
/// thrown error (rethrown from the app's `handle`/`tick`), because `restore()` runs in a `defer`.
///
/// Keys and ticks interleave by deadline, so a held-down key cannot starve autoplay. A nil
/// `tickInterval` means a blocking read: an idle app costs no CPU.
public func runApp<A: TerminalApp>(_ app: inout A, backend: some TerminalBackend) throws {
    defer { backend.restore() }
    let clock = ContinuousClock()
    var nextTick: ContinuousClock.Instant? = nil
    while !app.shouldQuit && !backend.quitRequested {
        let size = backend.size
        backend.flush(app.render(width: size.width, height: size.height))

        // The timeout is whatever is left until the next tick.
        var timeout: Int? = nil
        if let interval = app.tickInterval, interval > 0 {
            let deadline = nextTick ?? clock.now.advanced(by: .seconds(interval))
            nextTick = deadline
            timeout = max(0, milliseconds(clock.now.duration(to: deadline)))
        } else {
            nextTick = nil
        }

        let key = backend.readKey(timeoutMilliseconds: timeout)
        if backend.quitRequested { break }
        if let key {
            try app.handle(key)
        }
        // A nil key with a timeout means the time ran out; a key may also arrive just past the
        // deadline. Either way the tick is due; the next one counts from now, so a late read
        // (or a stopped process) never causes a burst of catch-up ticks.
        if let deadline = nextTick, key == nil || clock.now >= deadline, let interval = app.tickInterval {
            try app.tick()
            nextTick = clock.now.advanced(by: .seconds(interval))
        }
    }
}

private func milliseconds(_ duration: Duration) -> Int {
    let (seconds, attoseconds) = duration.components
    return Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
}
