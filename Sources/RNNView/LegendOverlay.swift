import RNNLessons

/// The help's second page: what every glyph, colour and marker on screen means, each drawn with the
/// style the panels use, so the sample is the thing explained.
struct LegendOverlay: View {
    let theme: Theme

    /// One line: a sample (runs of text and style) and what it means.
    struct Entry {
        let sample: [(String, Style)]
        let meaning: String
    }

    var entries: [Entry] {
        let ramp = theme.ascii ? Glyphs.asciiRamp : Glyphs.unicodeRamp
        let glyphs = [2, 4, 6, 8].map { (String(ramp[min($0, ramp.count - 1)]), theme.heatGlyph(Double($0) / 8)) }
        func cell(_ v: Double, _ palette: HeatPalette = .diverging) -> [(String, Style)] {
            [(String(theme.rampGlyph(v)), theme.heatGlyph(v, palette: palette)),
             (NumberText.signed(v, width: 5), theme.heat(v, palette: palette))]
        }
        var selected = cell(0.42)
        for i in selected.indices { selected[i].1.modifiers.formUnion(theme.mono ? [.underline, .reverse] : [.underline, .bold]) }
        let colours: [Entry] = theme.mono ? [
            Entry(sample: cell(-0.8) + [(" ", .plain)] + cell(0.8), meaning: "bold: at least half the scale; the sign is printed"),
        ] : [
            Entry(sample: cell(-0.8) + [(" ", .plain)] + cell(0.8),
                  meaning: "signed values: blue below 0, red above, pale near 0"),
            Entry(sample: cell(0.3, .sequential) + [(" ", .plain)] + cell(0.95, .sequential),
                  meaning: "σ gates (i f o, r z), 0…1: the darker, the more open"),
        ]
        return [Entry(sample: glyphs, meaning: "a value's size: the taller, the nearer the scale's end")] + colours + [
            Entry(sample: [("-1 ", theme.dim)] + [-1, -0.33, 0.33, 1].map { (String(theme.rampGlyph($0)), theme.heatGlyph($0)) } + [(" +1", theme.dim)],
                  meaning: "the scale, on a panel's bottom border"),
            Entry(sample: [(NumberText.signed(0.0003, width: 5), theme.plain)],
                  meaning: "too small for its decimals: scientific, never a false 0"),
            Entry(sample: [-0.7, 0.2, 0.9, -0.4, 0.1].map { (String(theme.rampGlyph($0)), theme.heatGlyph($0)) },
                  meaning: "glyphs only: every unit where numbers do not fit"),
            Entry(sample: selected, meaning: "the selected unit (↑↓): the equations follow it"),
            Entry(sample: [(String(theme.downMarker) + " " + String(theme.upMarker), theme.focusedBorder)],
                  meaning: "the current step in charts; the selected unit in a strip"),
            Entry(sample: [(theme.ascii ? "====" : "━━━━", theme.focusedBorder)],
                  meaning: "heavy border: the panel the lesson points at"),
            Entry(sample: [("\(theme.focusMarker) title", theme.highlight)], meaning: "Tab's focus; z gives that panel the screen"),
            Entry(sample: [("◀ target", theme.target)], meaning: "the token that really comes next; the loss is −log its p"),
            Entry(sample: [("?", theme.plain), (" hidden", theme.dim)], meaning: "predict first: covered until you answer"),
            Entry(sample: [("!", theme.nonFinite)], meaning: "NaN or infinity: the run diverged"),
            Entry(sample: [("‖dL/dh‖ log", theme.label)], meaning: "gradient size per step, log scale; compare: one scale"),
        ]
    }

    func render(in area: Rect, into buffer: inout Buffer) {
        let list = entries
        let sampleW = list.map { $0.sample.map { theme.text($0.0).count }.reduce(0, +) }.max() ?? 0
        let textW = list.map { theme.text($0.meaning).count }.max() ?? 0
        let box = area.centered(width: sampleW + textW + 7, height: list.count + 2)
        guard box.width >= 10, box.height >= 4 else { return }
        buffer.fill(box, with: .blank)
        let inner = buffer.box(box, title: "What the screen shows", focused: true, theme: theme,
                               rightTitle: "? keys · any key closes")
        for (i, e) in list.enumerated() where i < inner.height {
            var x = inner.x + 1
            for (text, style) in e.sample { x += buffer.put(text, x: x, y: inner.y + i, in: inner, style: style, theme: theme) }
            buffer.put(e.meaning, x: inner.x + sampleW + 3, y: inner.y + i, in: inner, theme: theme)
        }
    }
}
