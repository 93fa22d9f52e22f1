import Foundation
import Testing
@testable import RNNView
import RNNTrace

/// A stand-in for the CLI's model: knows a fixed vocabulary and records what it was asked.
final class FakeSource: TraceSource {
    struct UnknownToken: Error, CustomStringConvertible {
        let token: String
        var description: String { "unknown token \"\(token)\": not in the model's vocabulary" }
    }
    let base: Recording
    var exported = 0
    init(_ base: Recording) { self.base = base }

    func trace(for text: String) throws -> Recording {
        let words = text.split(separator: " ").map(String.init)
        if let bad = words.first(where: { !base.vocab.contains($0) }) { throw UnknownToken(token: bad) }
        var t = base.prefix(steps: words.count)
        t.tokens = words
        t.tokenIds = words.map { base.vocab.firstIndex(of: $0)! }
        return t
    }
    func comparison(for text: String) throws -> [Recording] { [try trace(for: text), try trace(for: text)] }
    func export(_ trace: Recording) throws -> String { exported += 1; return "/tmp/rnnscope-\(exported).trace.json" }
}

@Suite struct AppStateTests {
    func state(_ name: String = "lstm_word_embed", source: Bool = false) throws -> AppState {
        let t = try Fixtures.trace(name)
        return AppState(trace: t, source: source ? FakeSource(t) : nil, options: ViewOptions())
    }

    @Test func steppingStaysInBounds() throws {
        var s = try state()
        s.apply(.stepBackward)
        #expect(s.step == 0)
        for _ in 0..<20 { s.apply(.stepForward) }
        #expect(s.step == 6)
        s.apply(.firstStep)
        #expect(s.step == 0)
        s.apply(.lastStep)
        #expect(s.step == 6)
        s.jump(toStep: -5)
        #expect(s.step == 0)
        s.jump(toStep: 99)
        #expect(s.step == 6)
        #expect(keymap(.character("l"), state: s) == .stepForward)
        #expect(keymap(.home, state: s) == .firstStep)
        #expect(keymap(.character("G"), state: s) == .lastStep)
    }

    @Test func modeSwitchAndPlayback() throws {
        var s = try state()
        #expect(s.mode == .forward)
        s.apply(.toggleMode)
        #expect(s.mode == .backward)
        s.setMode(.forward)
        #expect(s.mode == .forward)
        #expect(s.tickInterval == nil)
        s.apply(.tick)
        #expect(s.step == 0, "tick while paused must not move")
        s.apply(.togglePlay)
        #expect(s.tickInterval == 1)
        s.apply(.faster)
        #expect(s.tickInterval == 0.5)
        for _ in 0..<10 { s.apply(.tick) }
        #expect(s.step == 6)
        #expect(!s.isPlaying, "playback stops at the last step")
        // Backward mode plays from the end toward t=0, as BPTT does.
        s.apply(.toggleMode)
        s.apply(.togglePlay)
        s.apply(.tick)
        #expect(s.step == 5)
        for _ in 0..<10 { s.apply(.slower) }
        #expect(s.tickInterval == 4)
    }

    @Test func unitSelectionWraps() throws {
        var s = try state()  // H = 3
        s.apply(.previousUnit)
        #expect(s.unit == 2)
        s.apply(.nextUnit)
        #expect(s.unit == 0)
        s.selectUnit(10)
        #expect(s.unit == 2)
        #expect(keymap(.character("j"), state: s) == .nextUnit)
        #expect(keymap(.up, state: s) == .previousUnit)
    }

    @Test func helpFocusAndOverviewCycling() throws {
        var s = try state()
        s.apply(keymap(.character("?"), state: s)!)
        #expect(s.showHelp)
        #expect(keymap(.character("l"), state: s) == .toggleHelp, "any key closes help")
        s.apply(keymap(.escape, state: s)!)
        #expect(!s.showHelp && !s.shouldQuit)
        s.apply(.focusNext)
        #expect(s.focus == .gates)
        s.apply(.focusPrevious)
        s.apply(.focusPrevious)
        #expect(s.focus == .narration)
        var seen: [String] = []
        for _ in 0..<s.overviewChoices.count { s.apply(.cycleOverview); seen.append(s.overview.label) }
        #expect(seen == ["c", "gate i", "gate f", "gate g", "gate o", "dL/dh", "dL/dc", "h"])
    }

    @Test func quitKeys() throws {
        var s = try state()
        #expect(keymap(.interrupt, state: s) == .quit)
        s.apply(keymap(.escape, state: s)!)
        #expect(s.shouldQuit)
        var t = try state()
        t.apply(keymap(.character("q"), state: t)!)
        #expect(t.shouldQuit)
    }

    @Test func editWithUnknownTokenReportsOnStatusLine() throws {
        var s = try state(source: true)
        s.applyRunningEffects(keymap(.character("/"), state: s)!)
        #expect(s.edit?.text == "I love AI and AI loves me")
        // Typing goes into the field, not the key table ("q" must not quit while editing).
        for ch in " qux" { s.applyRunningEffects(keymap(.character(ch), state: s)!) }
        #expect(!s.shouldQuit)
        s.applyRunningEffects(keymap(.enter, state: s)!)
        #expect(s.status?.kind == .error)
        #expect(s.edit != nil, "the field stays open to fix the token")
        // The error stands on its own line right above the input field.
        let lines = renderFrame(s, width: 100, height: 30).lines
        #expect(lines[28].contains("unknown token \"qux\""), "line above the field: \(lines[28])")
        #expect(lines[29].hasPrefix("input › I love AI and AI loves me qux"), "field: \(lines[29])")
        // Fix it: backspace the bad word, run again.
        for _ in 0..<4 { s.applyRunningEffects(.editBackspace) }
        s.applyRunningEffects(.editSubmit)
        #expect(s.edit == nil)
        #expect(s.trace.tokens.count == 7)
        #expect(s.status?.text == "ran the model on 7 tokens")
        // Esc cancels an edit without quitting.
        s.applyRunningEffects(.beginEdit)
        s.applyRunningEffects(keymap(.escape, state: s)!)
        #expect(s.edit == nil && !s.shouldQuit)
    }

    @Test func keysThatNeedAModelExplainWithoutOne() throws {
        var s = try state()
        for action in [Action.beginEdit, .export, .toggleCompare] {
            s.status = nil
            s.apply(action)
            #expect(s.status?.kind == .warning)
            #expect(s.status?.text.contains("needs a model") == true)
            #expect(s.edit == nil && s.comparison == nil)
        }
    }

    @Test func exportAndCompareGoThroughTheSource() throws {
        var s = try state(source: true)
        s.applyRunningEffects(.export)
        #expect(s.status?.text == "exported trace to /tmp/rnnscope-1.trace.json")
        s.applyRunningEffects(.toggleCompare)
        #expect(s.comparison?.count == 2)
        let frame = renderFrame(s, width: 120, height: 40)
        #expect(frame.lines.joined().contains("‖dL/dh‖"))
        s.applyRunningEffects(.escape)
        #expect(s.comparison == nil && !s.shouldQuit)
    }
}
