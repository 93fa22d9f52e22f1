import Foundation
import Testing
@testable import RNNView
import RNNTrace
import RNNEngine

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
        // 40 units and 60 steps: at 80×24 heat rows truncate with "+N more"; from 120×40 every unit shows in a
        // strip of glyphs; the token strip scrolls.
        let words = ["I", "love", "AI", "and", "loves", "me"]
        let parameters = ModelParameters.initialized(cell: .lstm, vocabularySize: words.count, inputSize: nil,
                                                     embeddingSize: 4, hiddenSize: 40, seed: 3)
        let model = RNNModel(parameters: parameters, tokenizer: .word, vocabulary: Vocabulary(words))
        let text = (0..<60).map { words[$0 % words.count] }.joined(separator: " ")
        let trace = try Recording.record(model: model, text: text)
        var state = AppState(trace: trace, options: ViewOptions())
        state.jump(toStep: 45)
        state.selectUnit(33)
        for (w, h) in [(80, 24), (120, 40), (200, 60)] {
            let b = renderFrame(state, width: w, height: h)
            let text = b.lines.joined(separator: "\n")
            if w == 80 {
                #expect(text.contains("more"), "\(w)x\(h) should truncate units\n\(text)")
            } else {
                #expect(!b.lines.contains { $0.contains("State at") == false && $0.hasPrefix("│h_t ") && $0.contains("more") }, "\(w)x\(h)\n\(text)")
                #expect(text.contains("u32"), "\(w)x\(h): every unit in a strip\n\(text)")
            }
            #expect(text.contains("u33"), "selected unit must stay visible\n\(text)")
            #expect(b.lines[1].contains("…"), "token strip should scroll\n\(b.lines[1])")
        }
    }

    @Test func nonFiniteValuesAreShownAndWarned() throws {
        var trace = try Fixtures.trace("rnn_tanh_word_onehot")
        trace.setH(step: 2, unit: 1, .nan)
        trace.setH(step: 2, unit: 2, .infinity)
        trace.setProbability(step: 2, id: 0, .nan)
        trace.setGradNorm(step: 4, .infinity)
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
