import Foundation
import RNNLessons
import Testing
import TestSupport
@testable import RNNView

/// The sum and weights screens as whole frames: snapshots of the three cells in both directions, and every
/// size from 80×24 to 300×100 in every colour and glyph mode without trapping.
@Suite struct ScreenViewsTests {
    static let screens: [ScreenKind] = [.sum, .weights]

    @Test(arguments: GoldenFiles.singleLayerCases)
    func snapshots(_ name: String) throws {
        for screen in Self.screens {
            for mode in StepMode.allCases {
                var sizes = [(80, 24), (120, 40)]
                if name == "lstm_word_embed" { sizes.append((200, 60)) }
                for (w, h) in sizes {
                    let state = try ModelFixtures.state(name, screen: screen, mode: mode)
                    try assertSnapshot(snapshotText(renderFrame(state, width: w, height: h), withStyles: true),
                                       named: "\(screen.rawValue)-\(name)-\(w)x\(h)-\(mode.rawValue)")
                }
            }
        }
    }

    @Test func asciiMonochromeSnapshot() throws {
        for screen in Self.screens {
            let state = try ModelFixtures.state("gru_word_embed", screen: screen, mode: .backward,
                                                options: ViewOptions(colorMode: .monochrome, glyphs: .ascii))
            let buffer = renderFrame(state, width: 80, height: 24)
            try assertSnapshot(snapshotText(buffer, withStyles: true), named: "\(screen.rawValue)-gru_word_embed-80x24-backward-ascii-mono")
        }
    }

    @Test(arguments: GoldenFiles.allCases)
    func everySizeAndModeDraws(_ name: String) throws {
        let sizes = [(80, 24), (81, 25), (100, 30), (120, 40), (133, 41), (160, 50), (200, 60), (250, 80), (300, 100)]
        let options = [ViewOptions(), ViewOptions(colorMode: .color8), ViewOptions(colorMode: .monochrome),
                       ViewOptions(colorMode: .monochrome, glyphs: .ascii)]
        for screen in Self.screens {
            for mode in StepMode.allCases {
                for o in options {
                    var state = try ModelFixtures.state(name, screen: screen, mode: mode, options: o)
                    if name == "lstm2_word_embed" { state.selectLayer(0) }
                    for (w, h) in sizes {
                        let buffer = renderFrame(state, width: w, height: h)
                        let text = buffer.lines.joined(separator: "\n")
                        #expect(text.contains(screen == .sum ? "comes from" : "Weight"), "\(name) \(screen) \(w)x\(h)\n\(text)")
                        if o.glyphs == .ascii {
                            let nonASCII = Set(text.filter { !$0.isASCII })
                            #expect(nonASCII.isEmpty, "\(name) \(screen) \(w)x\(h): \(nonASCII)")
                            // Every glyph has an ASCII spelling: no "?" stands in for one on the screen's own rows.
                            let own = buffer.lines[3..<(h - 1)].filter { $0.contains("?") }
                            #expect(own.isEmpty, "\(name) \(screen) \(w)x\(h): \(own)")
                        }
                        if o.colorMode == .monochrome {
                            #expect(!buffer.cells.contains { $0.style.foreground != .default || $0.style.background != .default })
                        }
                    }
                }
            }
        }
    }

    @Test func theKeyVVisitsBothScreens() throws {
        var state = try ModelFixtures.state("rnn_tanh_word_onehot", screen: .panels, mode: .forward)
        var seen: [ScreenKind] = [state.options.screen]
        for _ in 0..<ScreenKind.allCases.count { state.apply(.nextScreen); seen.append(state.options.screen) }
        #expect(seen.contains(.sum) && seen.contains(.weights))
        #expect(seen.last == .panels)
    }
}
