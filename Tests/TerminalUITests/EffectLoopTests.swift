import Foundation
import RNNView
import Testing
@testable import TerminalUI

/// An app whose `w` key asks for slow work: the loop must keep drawing and reading keys while it runs,
/// hand its outcome back, and stop it at once on q or a quit signal.
struct WorkingApp: TerminalApp {
    /// Work that takes `milliseconds` unless stopped; it reports how it ended.
    struct Job { let milliseconds: Int; let log: WorkLog }
    enum Ending: Equatable { case finished, stopped }

    var shouldQuit = false
    var outcomes: [Ending] = []
    var progress: [Int] = []
    var handled: [Key] = []
    let log = WorkLog()
    let jobMilliseconds: Int

    mutating func handle(_ key: Key) -> [Job] {
        handled.append(key)
        switch key {
        case .character("q"): shouldQuit = true
        case .character("w"): return [Job(milliseconds: jobMilliseconds, log: log)]
        default: break
        }
        return []
    }

    static func perform(_ job: Job, shouldStop: @escaping @Sendable () -> Bool) -> Ending {
        job.log.began()
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: .milliseconds(job.milliseconds))
        while clock.now < end {
            if shouldStop() { job.log.stopped(); return .stopped }
            usleep(2000)
        }
        return .finished
    }

    mutating func receive(_ outcome: Ending) -> [Job] {
        outcomes.append(outcome)
        return []
    }

    mutating func working(on job: Job, seconds: Int) { progress.append(seconds) }

    func render(width: Int, height: Int) -> Buffer {
        var buffer = Buffer(width: width, height: height)
        buffer.write("outcomes \(outcomes.count) progress \(progress.last.map(String.init) ?? "-")", x: 0, y: 0)
        return buffer
    }
}

/// What the worker thread did, seen from the test (guarded by `lock`).
final class WorkLog: @unchecked Sendable {
    private let lock = NSLock()
    private var began_ = false
    private var stoppedAt_: ContinuousClock.Instant?
    func began() { lock.withLock { began_ = true } }
    func stopped() { lock.withLock { stoppedAt_ = ContinuousClock.now } }
    var didBegin: Bool { lock.withLock { began_ } }
    var stoppedAt: ContinuousClock.Instant? { lock.withLock { stoppedAt_ } }
}

@Suite struct EffectLoopTests {
    @Test func workRunsOffTheDrawPathWithProgressAndKeysWaitForIt() throws {
        var app = WorkingApp(jobMilliseconds: 1300)
        // w starts the work; → is typed while it runs; the pause lets it finish; then q.
        let backend = TestBackend(width: 40, height: 3, script: [
            .key(.character("w")), .key(.right), .pause(milliseconds: 3000), .key(.character("q")),
        ])
        try runApp(&app, backend: backend)
        #expect(app.outcomes == [.finished])
        #expect(app.progress.first == 0, "the progress shows within the first second")
        #expect(app.progress.contains(1), "and again each second: \(app.progress)")
        // The key typed meanwhile is handled once the work is over, before the q.
        #expect(app.handled == [.character("w"), .right, .character("q")])
        let drawn = backend.frames.map { $0.lines[0] }
        #expect(drawn.contains { $0.hasPrefix("outcomes 0 progress 1") }, "frames are drawn while it works: \(drawn)")
        #expect(drawn.last?.hasPrefix("outcomes 1") == true)
        #expect(backend.readTimeouts.contains(workPollMilliseconds), "keys are read while it works")
        #expect(backend.restoreCount == 1)
    }

    @Test(arguments: [TestBackend.Event.key(.character("q")), .key(.interrupt), .quitSignal])
    func quittingStopsTheWorkWithinTheBudget(_ stop: TestBackend.Event) throws {
        var app = WorkingApp(jobMilliseconds: 60_000)
        let backend = TestBackend(width: 40, height: 3, script: [.key(.character("w")), .pause(milliseconds: 300), stop])
        let clock = ContinuousClock()
        var quitAt: ContinuousClock.Instant?
        let started = clock.now
        try runApp(&app, backend: backend)
        quitAt = clock.now
        #expect(app.log.didBegin)
        let stoppedAt = try #require(app.log.stoppedAt, "the work saw shouldStop")
        // From the stop key (after the 300 ms pause) to the work's end, and to the loop's return.
        let elapsed = started.duration(to: try #require(quitAt))
        #expect(elapsed < .milliseconds(300 + 200 + 150), "took \(elapsed)")
        #expect(started.duration(to: stoppedAt) < .milliseconds(300 + 200), "the work ran on after the stop")
        #expect(backend.restoreCount == 1, "the terminal is restored")
        if stop == .quitSignal { #expect(backend.quitRequested) } else { #expect(app.shouldQuit || backend.ranOutOfScript) }
    }
}
