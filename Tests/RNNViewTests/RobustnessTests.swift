import Foundation
import Testing
@testable import RNNView
import RNNTrace

@Suite struct RobustnessTests {
    @Test func everySmallSizeRendersWithoutTrapping() throws {
        for name in Fixtures.cases {
            var s = try Fixtures.state(name, mode: .backward)
            s.apply(.toggleHelp)
            for w in 0...90 {
                for h in 0...30 {
                    let b = renderFrame(s, width: w, height: h)
                    #expect(b.width == w && b.height == h)
                }
            }
        }
    }

    @Test func tooSmallNoticeIsCentred() throws {
        let s = try Fixtures.state("gru_word_embed")
        let b = renderFrame(s, width: 60, height: 10)
        let row = b.lines[4]
        #expect(row.contains("terminal too small: need 80×24 (have 60×10)"), "\(b.lines)")
        #expect(renderFrame(s, width: 79, height: 24).lines.joined().contains("need 80×24"))
        #expect(!renderFrame(s, width: 80, height: 24).lines.joined().contains("too small"))
    }

    @Test func largeAndLongTracesStayInsideTheirPanels() throws {
        // 40 units and 60 steps: heat rows truncate with "+N more", the token strip scrolls.
        let base = try Fixtures.trace("lstm_word_embed")
        var steps: [TraceStep] = []
        for t in 0..<60 {
            var s = base.steps[t % base.steps.count]
            s.t = t
            let wide = { (v: [Double]) in (0..<40).map { v[$0 % v.count] * Double($0 % 5 + 1) / 3 } }
            s.h = wide(s.h); s.hPrev = wide(s.hPrev); s.c = s.c.map(wide); s.cPrev = s.cPrev.map(wide)
            s.gates = s.gates.mapValues(wide)
            var g = s.grad!
            g.h = wide(g.h); g.c = g.c.map(wide)
            s.grad = g
            steps.append(s)
        }
        var trace = base
        trace.hiddenSize = 40
        trace.steps = steps
        trace.tokens = (0..<60).map { base.tokens[$0 % base.tokens.count] }
        var state = AppState(trace: trace, options: ViewOptions())
        state.jump(toStep: 45)
        state.selectUnit(33)
        for (w, h) in [(80, 24), (120, 40), (200, 60)] {
            let b = renderFrame(state, width: w, height: h)
            let text = b.lines.joined(separator: "\n")
            #expect(text.contains("more"), "\(w)x\(h) should truncate units\n\(text)")
            #expect(text.contains("u33"), "selected unit must stay visible\n\(text)")
            #expect(b.lines[1].contains("…"), "token strip should scroll\n\(b.lines[1])")
        }
    }

    @Test func nonFiniteValuesAreShownAndWarned() throws {
        var trace = try Fixtures.trace("rnn_tanh_word_onehot")
        trace.steps[2].h[1] = .nan
        trace.steps[2].h[2] = .infinity
        trace.steps[2].probs[0] = .nan
        trace.steps[4].grad?.hNorm = .infinity
        var s = AppState(trace: trace, options: ViewOptions(colorMode: .monochrome))
        s.jump(toStep: 2)
        let b = renderFrame(s, width: 120, height: 40)
        let text = b.lines.joined(separator: "\n")
        #expect(text.contains("NaN"))
        #expect(text.contains("+Inf"))
        #expect(b.lines.last?.contains("NaN/Inf at t=2 in h, probs") == true, "\(b.lines.last ?? "")")
        // The NaN cell is highlighted (reverse) even in monochrome.
        let row = b.lines.firstIndex { $0.contains("NaN") }!
        let col = Array(b.lines[row]).firstIndex(of: "N")!
        #expect(b[col, row].style.modifiers.contains(.reverse))
        s.jump(toStep: 0)
        #expect(renderFrame(s, width: 80, height: 24).lines.last?.contains("first at t=2") == true)
    }
}
