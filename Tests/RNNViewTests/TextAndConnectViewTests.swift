import Foundation
import RNNEngine
import RNNLessons
import RNNTrace
import Testing
import TestSupport
@testable import RNNView

/// `--view text` and `--view connect`: snapshots, every size, monochrome and ASCII, and what they say
/// when the recording cannot give them their numbers.
@Suite struct TextAndConnectViewTests {
    /// The golden model run over its input (with the weights the connect view needs), at step 2, unit 1.
    static func state(_ name: String, screen: ScreenKind, options: ViewOptions = ViewOptions(colorMode: .monochrome),
                      mode: StepMode = .forward) throws -> AppState {
        let model = try RNNModel.load(contentsOf: GoldenFiles.model(name).path)
        let text = try String(contentsOf: GoldenFiles.input(name), encoding: .utf8)
        var o = options
        o.screen = screen
        var s = AppState(trace: try Recording.record(model: model, text: text, modelName: name), options: o)
        s.jump(toStep: 2)
        s.selectUnit(1)
        s.setMode(mode)
        return s
    }

    @Test(arguments: Fixtures.cases)
    func snapshots(_ name: String) throws {
        for screen in [ScreenKind.text, .connect] {
            for (w, h) in [(80, 24), (120, 40)] {
                for mode in StepMode.allCases {
                    let frame = renderFrame(try Self.state(name, screen: screen, mode: mode), width: w, height: h)
                    try assertSnapshot(snapshotText(frame, withStyles: false), named: "\(screen.rawValue)-\(name)-\(w)x\(h)-\(mode.rawValue)")
                }
            }
            let wide = renderFrame(try Self.state(name, screen: screen, options: ViewOptions(colorMode: .color256)), width: 200, height: 60)
            try assertSnapshot(snapshotText(wide, withStyles: true), named: "\(screen.rawValue)-\(name)-200x60-forward-color")
        }
    }

    @Test(arguments: Fixtures.cases)
    func everySizeAndStyleRenders(_ name: String) throws {
        let styles = [ViewOptions(), ViewOptions(colorMode: .monochrome), ViewOptions(colorMode: .monochrome, glyphs: .ascii)]
        for screen in [ScreenKind.text, .connect] {
            for options in styles {
                var state = try Self.state(name, screen: screen, options: options)
                for w in stride(from: 80, through: 300, by: 44) {
                    for h in stride(from: 24, through: 100, by: 19) {
                        state.apply(.toggleMode)
                        let buffer = renderFrame(state, width: w, height: h)
                        let text = buffer.lines.joined(separator: "\n")
                        #expect(text.contains(screen == .text ? "Text coloured by h of unit 1" : "Connectivity"), "\(w)×\(h)\n\(text)")
                        if options.glyphs == .ascii {
                            #expect(text.allSatisfy { $0.isASCII }, "\(screen) \(w)×\(h): \(Set(text.filter { !$0.isASCII }))")
                        }
                        if options.colorMode == .monochrome {
                            #expect(buffer.cells.allSatisfy { $0.style.foreground == .default && $0.style.background == .default })
                        }
                    }
                }
            }
        }
    }

    @Test func textViewUnderEachTokenShowsTheUnitsValueAndTheLikeliestNextTokens() throws {
        let state = try Self.state("lstm_word_embed", screen: .text)
        let text = renderFrame(state, width: 120, height: 40).lines.joined(separator: "\n")
        let s = state.trace.step(2)
        #expect(text.contains(WireNumber.text(s.h[1], gradient: false)), "\(text)")
        let best = s.probs.indices.max { s.probs[$0] < s.probs[$1] }!
        #expect(text.contains("\(state.trace.vocab[best]) " + String(format: "%.2f", s.probs[best]).replacingOccurrences(of: "0.", with: ".")), "\(text)")
    }

    @Test func connectMapFromATraceFileSaysWhereTheWeightsAre() throws {
        let state = try Fixtures.state("gru_word_embed", options: ViewOptions(colorMode: .monochrome, screen: .connect))
        let text = renderFrame(state, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(text.contains("A trace file carries no weights") && text.contains("--model"), "\(text)")
    }

    @Test func connectMapIsComputedOnceAndShowsEveryDecade() throws {
        let state = try Self.state("rnn_tanh_word_onehot", screen: .connect)
        let first = try #require(state.sensitivityCache.map(for: state.trace))
        let again = try #require(state.sensitivityCache.map(for: state.trace))
        #expect(first == again)
        let values = first.norms.filter { !$0.isNaN && $0 > 0 }.map(Double.init)
        let scale = DecadeScale(smallest: values.min()!, largest: values.max()!)
        let text = renderFrame(state, width: 200, height: 60).lines.joined(separator: "\n")
        for d in scale.labelledDecades { #expect(text.contains("1e\(d) "), "decade 1e\(d)\n\(text)") }
        #expect(scale.level(values.max()!) <= 1 && scale.level(values.min()!) >= 0)
    }
}
