import Foundation

/// One effect running on its own thread while the loop keeps drawing and reading keys. The loop asks
/// `outcome` between reads and may `cancel` it (the work's `shouldStop` then turns true).
final class BackgroundWork<Outcome>: @unchecked Sendable {
    // Guarded by `lock`: written once by the worker, read by the loop.
    private let lock = NSLock()
    private var finished: Outcome?
    private var cancelled = false
    private let done = DispatchSemaphore(value: 0)

    /// Starts `work` on a new thread. The effect inside `work` is handed over whole: the loop keeps no
    /// reference to it, so nothing is shared between the threads but this object.
    init(_ work: @escaping @Sendable (_ shouldStop: @escaping @Sendable () -> Bool) -> Outcome) {
        let thread = Thread { [self] in
            let result = work { [self] in isCancelled }
            lock.withLock { finished = result }
            done.signal()
        }
        thread.stackSize = 8 << 20  // as the main thread's: a lesson's run recurses no deeper there
        thread.start()
    }

    /// What the work produced, once it has finished.
    var outcome: Outcome? { lock.withLock { finished } }

    var isCancelled: Bool { lock.withLock { cancelled } }

    /// Asks the work to stop, and waits up to `timeout` for it to end. Returns its outcome, or nil when
    /// it did not end in time (it is then left to finish on its own, and its outcome is dropped).
    func cancel(waitingAtMost timeout: Duration) -> Outcome? {
        lock.withLock { cancelled = true }
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        _ = done.wait(timeout: .now() + .nanoseconds(nanoseconds))
        return outcome
    }
}

/// Lets a value that is not `Sendable` cross to the worker thread. Sound here because the sender gives it
/// up: the loop never touches an effect again once its work has started.
struct HandedOver<Value>: @unchecked Sendable {
    let value: Value
}
