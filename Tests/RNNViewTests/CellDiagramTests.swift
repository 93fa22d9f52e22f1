import Foundation
import RNNEngine
import RNNLessons
import RNNTrace
import Testing
import TestSupport
@testable import RNNView

/// `--view cell`: the cell drawn with one unit's numbers on its wires. Each node's printed output is
/// recomputed from its printed inputs; every size renders; frames are snapshot-tested.
@Suite struct CellDiagramTests {
    static func frame(_ name: String, mode: StepMode = .forward, width: Int = 120, height: Int = 40,
                      options: ViewOptions = ViewOptions(colorMode: .monochrome)) throws -> Buffer {
        var o = options
        o.screen = .cell
        return renderFrame(try Fixtures.state(name, options: o, mode: mode), width: width, height: height)
    }

    /// The golden model run over its input (a recording with the weights and every gradient), at step 2, unit 1.
    static func modelFrame(_ name: String, mode: StepMode = .forward, screen: ScreenKind = .cell,
                           width: Int = 120, height: Int = 40) throws -> Buffer {
        let model = try RNNModel.load(contentsOf: GoldenFiles.model(name).path)
        let text = try String(contentsOf: GoldenFiles.input(name), encoding: .utf8)
        var s = AppState(trace: try Recording.record(model: model, text: text, modelName: name),
                         options: ViewOptions(colorMode: .monochrome, screen: screen))
        s.jump(toStep: 2)
        s.selectUnit(1)
        s.setMode(mode)
        return renderFrame(s, width: width, height: height)
    }

    @Test func lstmNumbersReproduceEachOther() throws {
        let p = PrintedNumbers(try Self.frame("lstm_word_embed"))
        let text = p.lines.map { String($0) }.joined(separator: "\n")
        let cPrevAt = try #require(p.find("c_{t−1} ─"), "\(text)")
        let cPrev = try #require(p.number(x: cPrevAt.x, y: cPrevAt.y + 1))
        let cAt = try #require(p.find("▶ c_t")), hAt = try #require(p.find("▶ h_t"))
        let c = try #require(p.number(x: cAt.x, y: cAt.y + 1)), h = try #require(p.number(x: hAt.x, y: hAt.y + 1))
        func gate(_ name: String, offset: Int) throws -> Printed {
            let at = try #require(p.find(name), "\(name)\n\(text)")
            return try #require(p.number(x: at.x + offset, y: at.y - 2), "\(name)\n\(text)")
        }
        let f = try gate("σ f", offset: 3), i = try gate("σ i", offset: 3), o = try gate("σ o", offset: 3)
        let g = try gate("tanh g", offset: 5)
        #expect(reproduces(c, from: [f, cPrev, i, g]) { $0[0] * $0[1] + $0[2] * $0[3] }, "c_t = f·c_{t−1} + i·g\n\(text)")
        #expect(reproduces(h, from: [o, c]) { $0[0] * tanh($0[1]) }, "h_t = o·tanh(c_t)\n\(text)")
        // And a wrong relation is caught: the check can fail.
        #expect(!reproduces(c, from: [f, cPrev, i, g]) { $0[0] * $0[1] - $0[2] * $0[3] } || abs(i.value * g.value) < 1e-3)

        // Backward: dL/da_f = dL/dc_t · c_{t−1} · f(1−f), from the backward frame's dL/dc_t and dL/da_f.
        let b = PrintedNumbers(try Self.frame("lstm_word_embed", mode: .backward))
        let dcAt = try #require(b.find("◀ c_t")), fAt = try #require(b.find("σ f"))
        let dc = try #require(b.number(x: dcAt.x, y: dcAt.y + 1)), daF = try #require(b.number(x: fAt.x + 3, y: fAt.y - 2))
        #expect(reproduces(daF, from: [dc, cPrev, f]) { $0[0] * $0[1] * $0[2] * (1 - $0[2]) })
    }

    @Test func gruNumbersReproduceEachOther() throws {
        let p = PrintedNumbers(try Self.frame("gru_word_embed"))
        let text = p.lines.map { String($0) }.joined(separator: "\n")
        let prevAt = try #require(p.find("h_{t−1} ─"), "\(text)"), hAt = try #require(p.find("▶ h_t"))
        let hPrev = try #require(p.number(x: prevAt.x, y: prevAt.y + 1)), h = try #require(p.number(x: hAt.x, y: hAt.y + 1))
        let zAt = try #require(p.find("σ z")), nAt = try #require(p.find("tanh n"))
        let z = try #require(p.number(x: zAt.x + 3, y: zAt.y - 2)), n = try #require(p.number(x: nAt.x + 5, y: nAt.y - 2))
        #expect(reproduces(h, from: [z, n, hPrev]) { (1 - $0[0]) * $0[1] + $0[0] * $0[2] }, "h = (1−z)·n + z·h_{t−1}\n\(text)")
    }

    @Test func rnnNumbersReproduceEachOther() throws {
        let p = PrintedNumbers(try Self.modelFrame("rnn_tanh_word_onehot"))
        let text = p.lines.map { String($0) }.joined(separator: "\n")
        let aAt = try #require(p.find("a +") ?? p.find("a -"), "\(text)"), hAt = try #require(p.find("▶ h_t"))
        let a = try #require(p.number(x: aAt.x + 2, y: aAt.y)), h = try #require(p.number(x: hAt.x, y: hAt.y + 1))
        #expect(reproduces(h, from: [a]) { tanh($0[0]) }, "h = tanh(a)\n\(text)")
        // a = W_hh·h_{t−1} + W_xh·x_t + b, term by term from the model's weights.
        let sumAt = try #require(p.find("a = W_hh·h_{t−1} + W_xh·x_t + b = "), "\(text)")
        let sumLine = String(p.lines[sumAt.y][(sumAt.x + 34)...]).trimmingCharacters(in: .whitespaces)
        let parts = sumLine.components(separatedBy: " = ")
        let terms = try parts[0].components(separatedBy: " + ").map { try #require(Printed($0), "\(sumLine)") }
        let total = try #require(Printed(String(parts[1].split(separator: " ")[0])), "\(sumLine)")
        #expect(terms.count == 3)
        #expect(reproduces(total, from: terms) { $0.reduce(0, +) }, "\(sumLine)")
        #expect(abs(total.value - a.value) <= total.halfUnit + a.halfUnit, "\(sumLine) vs a \(a.value)")
        let b = PrintedNumbers(try Self.modelFrame("rnn_tanh_word_onehot", mode: .backward))
        let btext = b.lines.map { String($0) }.joined(separator: "\n")
        let dhAt = try #require(b.find("◀ h_t")), daAt = try #require(b.find("dL/da "), "\(btext)")
        let dh = try #require(b.number(x: dhAt.x, y: dhAt.y + 1)), da = try #require(b.number(x: daAt.x + 6, y: daAt.y))
        #expect(reproduces(da, from: [dh, h]) { $0[0] * (1 - $0[1] * $0[1]) }, "dL/da = dL/dh·(1−h²)\n\(btext)")
    }

    @Test(arguments: Fixtures.cases)
    func snapshots(_ name: String) throws {
        for (w, h) in [(80, 24), (120, 40)] {
            for mode in StepMode.allCases {
                let text = snapshotText(try Self.frame(name, mode: mode, width: w, height: h), withStyles: false)
                try assertSnapshot(text, named: "cell-\(name)-\(w)x\(h)-\(mode.rawValue)")
            }
        }
        let wide = try Self.frame(name, mode: .backward, width: 200, height: 60, options: ViewOptions(colorMode: .color256))
        try assertSnapshot(snapshotText(wide, withStyles: true), named: "cell-\(name)-200x60-backward-color")
    }

    @Test(arguments: Fixtures.cases)
    func asciiFrameUsesOnlyASCII(_ name: String) throws {
        for size in [(80, 24), (120, 40)] {
            let buffer = try Self.frame(name, width: size.0, height: size.1,
                                        options: ViewOptions(colorMode: .monochrome, glyphs: .ascii))
            let nonASCII = buffer.lines.joined().filter { !$0.isASCII }
            #expect(nonASCII.isEmpty, "\(Set(nonASCII))\n\(buffer.lines.joined(separator: "\n"))")
        }
    }

    @Test(arguments: Fixtures.cases)
    func everySizeRenders(_ name: String) throws {
        for w in stride(from: 80, through: 300, by: 22) {
            for h in stride(from: 24, through: 100, by: 19) {
                for mode in StepMode.allCases {
                    let buffer = try Self.frame(name, mode: mode, width: w, height: h, options: ViewOptions())
                    #expect(buffer.lines.joined().contains("cell · unit 1"), "\(w)×\(h)")
                }
            }
        }
    }
}
