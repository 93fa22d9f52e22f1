import RNNView
import Testing
@testable import TerminalUI

/// A small app for driving the loop: a counter, autoplay, and a key that fails.
struct CounterApp: TerminalApp {
    struct Failure: Error, Equatable {}

    var count = 0
    var ticks = 0
    var playing = false
    var shouldQuit = false
    var handled: [Key] = []
    var tickInterval: Double? { playing ? 0.25 : nil }

    mutating func handle(_ key: Key) throws -> [Never] {
        handled.append(key)
        switch key {
        case .character("q"): shouldQuit = true
        case .right: count += 1
        case .left: count -= 1
        case .character(" "): playing.toggle()
        case .character("!"): throw Failure()
        default: break
        }
        return []
    }

    mutating func tick() -> [Never] { ticks += 1; count += 1; return [] }

    func render(width: Int, height: Int) -> Buffer {
        var buffer = Buffer(width: width, height: height)
        buffer.write("count \(count) ticks \(ticks) \(width)x\(height)", x: 0, y: 0)
        return buffer
    }
}

@Suite struct RunAppTests {
    @Test func drawsAppliesKeysAndQuits() throws {
        let backend = TestBackend(width: 40, height: 5, keys: [.right, .right, .left, .character("q")])
        var app = CounterApp()
        try runApp(&app, backend: backend)
        #expect(app.shouldQuit)
        #expect(app.count == 1)
        // One frame before each key; none after quitting.
        #expect(backend.frames.map { $0.lines[0].trimmingTrailingSpaces } == [
            "count 0 ticks 0 40x5", "count 1 ticks 0 40x5", "count 2 ticks 0 40x5", "count 1 ticks 0 40x5",
        ])
        #expect(backend.restoreCount == 1)
        #expect(!backend.ranOutOfScript)
    }

    @Test func idleAppBlocksInsteadOfPolling() throws {
        let backend = TestBackend(keys: [.right, .down, .character("q")])
        var app = CounterApp()
        try runApp(&app, backend: backend)
        #expect(backend.readTimeouts == [nil, nil, nil])
    }

    @Test func timeoutsTickWhilePlaying() throws {
        let backend = TestBackend(script: [.key(.character(" ")), .timeout, .timeout, .key(.character(" ")), .key(.character("q"))])
        var app = CounterApp()
        try runApp(&app, backend: backend)
        #expect(app.ticks == 2)
        #expect(app.count == 2)
        // Blocking before play, bounded by the 250 ms interval while playing, blocking after pause.
        #expect(backend.readTimeouts.first == .some(nil))
        #expect(backend.readTimeouts.last == .some(nil))
        for timeout in backend.readTimeouts[1...3] {
            let ms = try #require(timeout)
            #expect(ms >= 0 && ms <= 250)
        }
    }

    @Test func resizeRedrawsAtTheNewSize() throws {
        let backend = TestBackend(width: 80, height: 24, script: [.resize(width: 60, height: 20), .key(.character("q"))])
        var app = CounterApp()
        try runApp(&app, backend: backend)
        #expect(app.handled.first == .resize(width: 60, height: 20))
        #expect(backend.frames.map(\.width) == [80, 60])
        #expect(backend.frames.map(\.height) == [24, 20])
    }

    @Test func quitSignalStopsTheLoopAndRestores() throws {
        let backend = TestBackend(script: [.key(.right), .quitSignal, .key(.right)])
        var app = CounterApp()
        try runApp(&app, backend: backend)
        #expect(!app.shouldQuit)
        #expect(app.count == 1)
        #expect(backend.remainingScript == [.key(.right)])
        #expect(backend.restoreCount == 1)
    }

    @Test func thrownErrorStillRestores() {
        let backend = TestBackend(keys: [.right, .character("!"), .right])
        var app = CounterApp()
        #expect(throws: CounterApp.Failure.self) { try runApp(&app, backend: backend) }
        #expect(backend.restoreCount == 1)
        #expect(app.count == 1)
    }

    @Test func endOfScriptEndsTheLoop() throws {
        let backend = TestBackend(keys: [.right])
        var app = CounterApp()
        try runApp(&app, backend: backend)
        #expect(backend.ranOutOfScript)
        #expect(backend.restoreCount == 1)
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
