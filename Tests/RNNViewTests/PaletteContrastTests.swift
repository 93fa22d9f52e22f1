import Foundation
import RNNTrace
import Testing
@testable import RNNView

/// Colour that tells the truth, computed rather than hoped for (xterm's default RGB, WCAG 2 contrast): every
/// text style of the 256-colour theme reads at ≥ 4.5:1 on a dark terminal, every graphic (bars, sparklines,
/// curves, heat glyphs) at ≥ 3:1, and a heat cell's number ≥ 4.5:1 and its glyph ≥ 3:1 over its own tint,
/// for every level of both scales.
@Suite struct PaletteContrastTests {
    let theme = Theme(ViewOptions(colorMode: .color256))

    /// The RGB contrast of a style's foreground against its background (the terminal's where unset).
    func contrast(_ style: Style) -> Double {
        let fg = XtermColors.rgb(style.foreground, isBackground: false)
        let bg = XtermColors.rgb(style.background, isBackground: true)
        func luminance(_ c: (Int, Int, Int)) -> Double {
            func linear(_ v: Int) -> Double {
                let s = Double(v) / 255
                return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * linear(c.0) + 0.7152 * linear(c.1) + 0.0722 * linear(c.2)
        }
        let a = luminance(fg), b = luminance(bg)
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    @Test func textStylesReadOnADarkTerminal() {
        let text: [(String, Style)] = [
            ("plain", theme.plain), ("dim", theme.dim), ("label", theme.label), ("target", theme.target),
            ("warning", theme.warning), ("error", theme.error), ("good", theme.good), ("non-finite", theme.nonFinite),
            ("focused border", theme.focusedBorder), ("border", theme.border),
        ]
        for (name, style) in text {
            #expect(contrast(style) >= 4.5, "\(name): \(contrast(style))")
        }
    }

    @Test func graphicsReadOnADarkTerminal() {
        for (name, style) in [("bar", theme.bar), ("target bar", theme.targetBar)] {
            #expect(contrast(style) >= 3, "\(name): \(contrast(style))")
        }
        // The dark blue the bars were drawn in does not: the test can fail.
        #expect(contrast(Style(foreground: .ansi(4))) < 3)
    }

    @Test(arguments: [HeatPalette.diverging, .sequential])
    func heatCellsReadOverTheirOwnTint(_ palette: HeatPalette) {
        let values = palette == .sequential ? stride(from: 0.0, through: 1, by: 1.0 / 12).map { $0 }
            : stride(from: -1.0, through: 1, by: 1.0 / 12).map { $0 }
        for v in values {
            let number = theme.heat(v, palette: palette), glyph = theme.heatGlyph(v, palette: palette)
            #expect(contrast(number) >= 4.5, "number at \(v): \(contrast(number))")
            #expect(contrast(glyph) >= 3, "glyph at \(v): \(contrast(glyph))")
            // Never white over the colour: the glyph is a shade of the value's own hue.
            #expect(glyph.foreground != .indexed(231) && glyph.foreground != .ansi(7), "glyph at \(v) is white")
        }
    }

    @Test func gatesTakeTheSequentialScaleAndCandidatesTheDiverging() {
        #expect(HeatPalette.forGate(.forget) == .sequential)
        #expect(HeatPalette.forGate(.update) == .sequential)
        #expect(HeatPalette.forGate(.cell) == .diverging)
        #expect(HeatPalette.forGate(.new) == .diverging)
        // A gate near 1 is green, not the red of a large positive h.
        #expect(theme.heat(0.95, palette: .sequential).background != theme.heat(0.95).background)
    }
}
