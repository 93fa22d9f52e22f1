import Testing
@testable import RNNView
import RNNTrace

/// `apply` only decides: the work a key asks for comes back as effects, none of them run, and the state
/// changes when (and only when) their outcomes are received.
@Suite struct AppStateEffectsTests {
    func state() throws -> (AppState, FakeSource) {
        let trace = try Fixtures.trace("lstm_word_embed")
        let source = FakeSource(trace)
        return (AppState(trace: trace, source: source, options: ViewOptions()), source)
    }

    @Test func movingAroundAsksForNoWork() throws {
        var (s, _) = try state()
        let moves: [Action] = [.stepForward, .stepBackward, .lastStep, .firstStep, .jump(3), .togglePlay, .tick, .togglePlay,
                               .faster, .slower, .toggleMode, .setMode(.forward), .nextUnit, .previousUnit, .focusNext,
                               .focusPrevious, .cycleOverview, .cycleLayer, .toggleHelp, .toggleHelp, .narrationUp, .narrationDown]
        for action in moves { #expect(s.apply(action).isEmpty, "\(action)") }
    }

    @Test func exportIsAskedForNotWritten() throws {
        var (s, source) = try state()
        let effects = s.apply(.export)
        guard effects.count == 1, case .export(let trace, _) = effects[0] else { Issue.record("\(effects)"); return }
        #expect(trace.tokens == s.fullTrace.tokens)
        #expect(source.exported == 0, "nothing is written by apply")
        #expect(s.status == nil)
        #expect(s.receive(effects[0].perform()).isEmpty)
        #expect(source.exported == 1)
        #expect(s.status?.text == "exported trace to /tmp/rnnscope-1.trace.json")
    }

    @Test func editedInputRunsAsAnEffectAndAComparisonFollowsIt() throws {
        var (s, _) = try state()
        s.apply(.beginEdit)
        for _ in 0..<2 { s.apply(.editBackspace) }
        for ch in "AI" { s.apply(.editInsert(ch)) }
        let effects = s.apply(.editSubmit)
        guard effects.count == 1, case .runInput(let text, _) = effects[0] else { Issue.record("\(effects)"); return }
        #expect(text == "I love AI and AI loves AI")
        #expect(s.edit != nil && s.trace.tokens.last == "me", "the field stays open and the trace unchanged until it ran")
        #expect(s.receive(effects[0].perform()).isEmpty, "no comparison open: nothing follows")
        #expect(s.edit == nil && s.trace.tokens.last == "AI")

        // With the comparison open, new input asks for the comparison again (quietly: refresh).
        let open = s.apply(.toggleCompare)
        guard case .compare(_, _, false)? = open.first else { Issue.record("\(open)"); return }
        s.receive(open[0].perform())
        #expect(s.comparison?.count == 2)
        s.apply(.beginEdit)
        for _ in 0..<2 { s.apply(.editBackspace) }
        for ch in "me" { s.apply(.editInsert(ch)) }
        let run = s.apply(.editSubmit)
        let next = s.receive(run[0].perform())
        guard next.count == 1, case .compare(let again, _, true) = next[0] else { Issue.record("\(next)"); return }
        #expect(again == "I love AI and AI loves me")
        // c closes an open comparison at once, with no work.
        #expect(s.apply(.toggleCompare).isEmpty)
        #expect(s.comparison == nil)
    }

    @Test func aFailedRunKeepsTheFieldOpenWithTheError() throws {
        var (s, _) = try state()
        s.apply(.beginEdit)
        for ch in " qux" { s.apply(.editInsert(ch)) }
        let effects = s.apply(.editSubmit)
        s.receive(effects[0].perform())
        #expect(s.edit != nil)
        #expect(s.status?.kind == .error)
        #expect(s.status?.text.contains("qux") == true)
    }

    @Test func trainingIsStartedThenSlicedOneEffectPerTick() throws {
        let trace = try Fixtures.trace("lstm_word_embed")
        var s = AppState(trace: trace, source: LiveTrainingTests.TrainableSource(base: trace, epochs: 250), options: ViewOptions())
        let start = s.apply(.toggleTraining)
        guard start.count == 1, case .startTraining = start[0] else { Issue.record("\(start)"); return }
        #expect(s.training == nil, "not started until the session exists")
        s.receive(start[0].perform())
        #expect(s.training?.isRunning == true)
        let slice = s.apply(.tick)
        guard slice.count == 1, case .train(let session, let epochs, _) = slice[0] else { Issue.record("\(slice)"); return }
        #expect(epochs == 2, "1% of 250, rounded down")
        #expect(session.epochLosses.isEmpty && s.training?.session.epochLosses.isEmpty == true, "nothing trained by apply")
        #expect(slice[0].label == "training live: epoch 0/250")
        s.receive(slice[0].perform())
        #expect(s.training?.session.epochLosses.count == 2)
        // Paused: ticks ask for nothing.
        s.apply(.toggleTraining)
        #expect(s.apply(.tick).isEmpty)
    }

    @Test func progressShowsWhileWorkRunsAndTheMessageBeforeComesBack() throws {
        var (s, _) = try state()
        s.apply(.cycleLayer)
        let before = s.status
        #expect(before != nil)
        let effects = s.apply(.export)
        #expect(s.status == nil, "a key clears the message")
        s.working(on: effects[0], seconds: 3)
        #expect(s.status?.text == "exporting the trace… 3 s · q stops")
        let frame = renderFrame(s, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(frame.contains("exporting the trace… 3 s · q stops"), "\(frame)")
        s.receive(effects[0].perform())
        #expect(s.status?.text.hasPrefix("exported trace to") == true)
    }
}
