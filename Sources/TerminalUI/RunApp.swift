import RNNView

/// Runs `app` on `backend` until the app quits or a quit signal arrives: draw → wait for a key (or
/// the next tick) → apply → run the effects asked for → draw again. The terminal is restored on every
/// way out, including a thrown error (rethrown from the app's `handle`/`tick`), because `restore()`
/// runs in a `defer`.
///
/// Keys and ticks interleave by deadline, so a held-down key cannot starve autoplay. A nil
/// `tickInterval` means a blocking read: an idle app costs no CPU.
///
/// Effects run one at a time on a worker thread (`runEffect`); meanwhile frames show their progress and
/// keys are read, so q, Esc, Ctrl-C or a quit signal stop the work within `stopBudget`.
public func runApp<A: TerminalApp>(_ app: inout A, backend: some TerminalBackend) throws {
    defer { backend.restore() }
    let clock = ContinuousClock()
    var nextTick: ContinuousClock.Instant? = nil
    var effects: [A.Effect] = []
    while !app.shouldQuit && !backend.quitRequested {
        if !effects.isEmpty {
            let typed = runEffect(effects.removeFirst(), app: &app, effects: &effects, backend: backend)
            for key in typed where !app.shouldQuit { effects += try app.handle(key) }
            continue
        }
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
            effects += try app.handle(key)
        }
        // A nil key with a timeout means the time ran out; a key may also arrive just past the
        // deadline. Either way the tick is due; the next one counts from now, so a late read
        // (or a stopped process) never causes a burst of catch-up ticks.
        if let deadline = nextTick, key == nil || clock.now >= deadline, let interval = app.tickInterval {
            effects += try app.tick()
            nextTick = clock.now.advanced(by: .seconds(interval))
        }
    }
}

/// How long a quit key may wait for the work it interrupts to end: past it, the loop goes on (and quits)
/// without the work's outcome.
let stopBudget: Duration = .milliseconds(150)
/// How long an effect runs before the frame shows its progress (then once a second).
let progressDelay: Duration = .milliseconds(100)
/// How often the loop looks for keys and the work's end while an effect runs.
let workPollMilliseconds = 20

/// Runs one effect off the draw path: the frame shows the app's progress (after `progressDelay`, then once a second) and keys are
/// read every `workPollMilliseconds`. q, Esc, Ctrl-C or a quit signal stop the work; other keys wait.
/// The outcome goes to the app (its further effects onto `effects`); returns the keys typed meanwhile,
/// in order, stop key included, for the app to handle once the work is over.
private func runEffect<A: TerminalApp>(_ effect: A.Effect, app: inout A, effects: inout [A.Effect],
                                        backend: some TerminalBackend) -> [Key] {
    let clock = ContinuousClock()
    let started = clock.now
    let job = HandedOver(value: { (shouldStop: @escaping @Sendable () -> Bool) in A.perform(effect, shouldStop: shouldStop) })
    let work = BackgroundWork<HandedOver<A.Outcome>> { shouldStop in HandedOver(value: job.value(shouldStop)) }
    var typed: [Key] = []
    var shownSeconds: Int? = nil
    var frameIsStale = true
    while true {
        if let outcome = work.outcome {
            effects += app.receive(outcome.value)
            return typed
        }
        // Quick work (a save) ends before `progressDelay` and never shows a progress line.
        let elapsed = started.duration(to: clock.now)
        let seconds = Int(elapsed.components.seconds)
        if elapsed >= progressDelay, seconds != shownSeconds {
            shownSeconds = seconds
            app.working(on: effect, seconds: seconds)
            frameIsStale = true
        }
        if frameIsStale && shownSeconds != nil {
            let size = backend.size
            backend.flush(app.render(width: size.width, height: size.height))
            frameIsStale = false
        }
        let key = backend.readKey(timeoutMilliseconds: workPollMilliseconds)
        if let key {
            typed.append(key)
            if case .resize = key { frameIsStale = true }
        }
        if backend.quitRequested || key.map(stopsWork) == true {
            if let outcome = work.cancel(waitingAtMost: stopBudget) { effects += app.receive(outcome.value) }
            return typed
        }
    }
}

/// The keys that stop running work: those that quit or close (q, Esc, Ctrl-C).
private func stopsWork(_ key: Key) -> Bool {
    key == .character("q") || key == .escape || key == .interrupt
}

private func milliseconds(_ duration: Duration) -> Int {
    let (seconds, attoseconds) = duration.components
    return Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
}
