import Foundation
import RNNTrace
import RNNView
import Testing
import TestSupport
@testable import TerminalUI

/// The real viewer state driven through the loop by the in-memory backend.
@Suite struct AppStateLoopTests {
    /// A golden PyTorch trace.
    func state() throws -> AppState {
        let trace = try TraceJSONReader.read(path: GoldenFiles.trace("rnn_tanh_word_onehot").path)
        return AppState(trace: trace, options: ViewOptions())
    }

    func header(_ frame: Buffer) -> String { frame.lines.first ?? "" }

    @Test func keysStepAndSwitchToBackwardThenQuit() throws {
        var app = try state()
        let backend = TestBackend(width: 120, height: 40, keys: [.right, .character("l"), .character("b"), .character("q")])
        try runApp(&app, backend: backend)
        let headers = backend.frames.map(header)
        #expect(headers.count == 4)
        #expect(headers[0].contains("t=0 of") && headers[0].contains("forward"), "\(headers[0])")
        #expect(headers[1].contains("t=1 of"), "\(headers[1])")
        #expect(headers[2].contains("t=2 of"), "\(headers[2])")
        #expect(headers[3].contains("backward"), "\(headers[3])")
        #expect(app.shouldQuit)
        #expect(backend.restoreCount == 1)
        #expect(backend.readTimeouts.allSatisfy { $0 == nil }, "an idle viewer must block, not poll")
    }

    @Test func playbackAdvancesOnTicks() throws {
        var app = try state()
        let backend = TestBackend(width: 120, height: 40, script: [.key(.character(" ")), .timeout, .timeout, .key(.character("q"))])
        try runApp(&app, backend: backend)
        #expect(header(backend.frames.last!).contains("t=2 of"), "\(header(backend.frames.last!))")
        // While playing, reads wait at most one step's time (1 step/s at the default speed).
        let playing = backend.readTimeouts[1...2].map { $0 ?? -1 }
        #expect(playing.allSatisfy { $0 >= 0 && $0 <= 1000 }, "\(playing)")
    }

    @Test func resizeBelowTheMinimumShowsTheNoticeThenTheFrame() throws {
        var app = try state()
        let backend = TestBackend(width: 120, height: 40, script: [
            .resize(width: 60, height: 20), .resize(width: 120, height: 40), .key(.character("q")),
        ])
        try runApp(&app, backend: backend)
        #expect(backend.frames[1].lines.joined().contains("terminal too small"))
        #expect(header(backend.frames[2]).contains("t=0 of"))
    }
}
