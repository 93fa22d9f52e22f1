import Foundation
import RNNLessons
import Testing
@testable import RNNView

/// Whole frames of the three golden traces, as text (and style maps), compared with Snapshots/*.txt.
/// Record with RNNSCOPE_RECORD_SNAPSHOTS=1 after checking the frames by eye.
@Suite struct SnapshotTests {
    static let sizes = [(80, 24), (120, 40), (200, 60)]

    @Test(arguments: Fixtures.cases)
    func framesForwardAndBackward(_ name: String) throws {
        for (w, h) in Self.sizes {
            for mode in StepMode.allCases {
                for color in [ColorMode.monochrome, .color256] {
                    let state = try Fixtures.state(name, options: ViewOptions(colorMode: color), mode: mode)
                    let text = snapshotText(renderFrame(state, width: w, height: h), withStyles: true)
                    let colorName = color == .monochrome ? "mono" : "color"
                    try assertSnapshot(text, named: "\(name)-\(w)x\(h)-\(mode.rawValue)-\(colorName)")
                }
            }
        }
    }

    @Test(arguments: Fixtures.cases)
    func asciiMonochromeFrame(_ name: String) throws {
        let state = try Fixtures.state(name, options: ViewOptions(colorMode: .monochrome, glyphs: .ascii))
        let buffer = renderFrame(state, width: 80, height: 24)
        // ASCII mode must use ASCII glyphs only, everywhere on the screen.
        let nonASCII = buffer.lines.joined().filter { !$0.isASCII }
        #expect(nonASCII.isEmpty, "non-ASCII glyphs in ASCII mode: \(Set(nonASCII))\n\(snapshotText(buffer, withStyles: false))")
        try assertSnapshot(snapshotText(buffer, withStyles: true), named: "\(name)-80x24-forward-ascii-mono")
    }

    @Test func color8Frame() throws {
        let state = try Fixtures.state("lstm_word_embed", options: ViewOptions(colorMode: .color8))
        try assertSnapshot(snapshotText(renderFrame(state, width: 120, height: 40), withStyles: true),
                           named: "lstm_word_embed-120x40-forward-color8")
    }

    @Test func monochromeUsesNoColours() throws {
        for name in Fixtures.cases {
            let state = try Fixtures.state(name, options: ViewOptions(colorMode: .monochrome), mode: .backward)
            let buffer = renderFrame(state, width: 120, height: 40)
            let coloured = buffer.cells.filter { $0.style.foreground != .default || $0.style.background != .default }
            #expect(coloured.isEmpty, "\(name): \(coloured.count) coloured cells in monochrome")
        }
    }

    @Test func helpOverlayListsEveryKey() throws {
        var state = try Fixtures.state("gru_word_embed")
        state.apply(.toggleHelp)
        let buffer = renderFrame(state, width: 80, height: 24)
        let text = buffer.lines.joined(separator: "\n")
        for binding in keyBindings { #expect(text.contains(binding.help), "help lacks \(binding.help)\n\(text)") }
        try assertSnapshot(snapshotText(buffer, withStyles: false), named: "gru_word_embed-80x24-help")
    }

    /// ? inside the help turns to what the glyphs, colours and markers mean; every line fits 80×24, in
    /// colour and in monochrome ASCII.
    @Test(arguments: [ViewOptions(colorMode: .color256), ViewOptions(colorMode: .monochrome, glyphs: .ascii)])
    func helpExplainsEveryGlyphColourAndMarker(_ options: ViewOptions) throws {
        var state = try Fixtures.state("gru_word_embed")
        state.options = options
        state.apply(.toggleHelp)
        state.apply(keymap(.character("?"), state: state)!)
        #expect(state.showHelp && state.helpShowsLegend)
        let theme = Theme(options)
        let text = renderFrame(state, width: 80, height: 24).lines.joined(separator: "\n")
        let entries = LegendOverlay(theme: theme).entries
        #expect(entries.count >= 10)
        for e in entries { #expect(text.contains(theme.text(e.meaning)), "legend lacks \(e.meaning)\n\(text)") }
        #expect(!text.contains("previous / next time step"), "the keys page is replaced")
        // ? again goes back to the keys; any other key closes the help.
        state.apply(keymap(.character("?"), state: state)!)
        #expect(state.showHelp && !state.helpShowsLegend)
        state.apply(keymap(.character("x"), state: state)!)
        #expect(!state.showHelp)
    }
}
