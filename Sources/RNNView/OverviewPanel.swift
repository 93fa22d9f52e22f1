import RNNTrace
import RNNLessons

/// Values of one quantity at the given steps (units × time), for the overview heatmap.
func overviewSeries(_ trace: Recording, _ q: OverviewQuantity, steps: Range<Int>) -> [[Double]?] {
    steps.map { t in
        let s = trace.step(t)
        return switch q {
        case .hidden: Optional(s.h)
        case .cell: s.c
        case .gate(let g): s.gate(g)
        case .gradH: s.grad?.h
        case .gradC: s.grad?.c
        }
    }
}

/// Heatmap of a quantity over units (rows) × time (columns, headed by the tokens), current step marked.
struct OverviewPanel: View {
    let scene: Scene
    let theme: Theme
    /// The quantity drawn; nil: the one `o` chose. Layouts with room add others below it.
    var quantity: OverviewQuantity? = nil

    /// Rows that show every unit with a header of tokens.
    static func naturalHeight(_ scene: Scene) -> Int { scene.hiddenSize + 3 }

    func render(in area: Rect, into buffer: inout Buffer) {
        let q = quantity ?? scene.overview
        let stepCount = scene.recording.stepCount
        let scale = q == .gradH ? scene.statistics.gradHScale : q == .gradC ? scene.statistics.gradCScale : 1
        let units = scene.hiddenSize
        // With room, a header row of step indices; otherwise the current-step marker sits on the bottom border.
        let header = area.height - 2 > units
        let rows = max(0, area.height - 2 - (header ? 1 : 0))
        let u0 = windowStart(selected: scene.unit, count: units, fit: rows)
        let note = units > rows ? "units \(u0)–\(min(units, u0 + rows) - 1) of \(units)" : quantity == nil ? "o: next quantity" : nil
        let inner = buffer.box(area, title: "Overview: \(q.label) over units × time\(scene.layerSuffix)",
                               focused: quantity == nil && scene.isFocused(.overview),
                               keyboard: quantity == nil && scene.hasKeyboardFocus(.overview), theme: theme, rightTitle: note)
        guard inner.height >= 1, inner.width > 8, stepCount > 0 else { return }
        let cover = scene.cover
        let gradient = q.isGradient
        if scene.covers(q) {
            coverUntilAnswered(&buffer, inner: inner, what: gradient ? "the gradients" : "the gates", theme: theme)
            return
        }
        // The scale on the bottom border, once nothing is covered, where the current-step marker does not sit.
        let palette: HeatPalette
        if case .gate(let g) = q { palette = HeatPalette.forGate(g) } else { palette = .diverging }
        if header { drawLegend(&buffer, x: area.x + 2, y: area.maxY - 1, in: area.inset(dx: 1, dy: 0), theme: theme, scale: scale, palette: palette) }
        let labelW = 5
        let cw = max(1, min(4, (inner.width - labelW) / stepCount))
        let fitSteps = max(1, (inner.width - labelW) / cw)
        let t0 = windowStart(selected: scene.step, count: stepCount, fit: fitSteps)
        let steps = t0..<min(stepCount, t0 + fitSteps)
        // Only the visible steps are read: the overview costs its width, not the length of the sequence.
        let series = overviewSeries(scene.recording, q, steps: steps)
        let markerY = header ? inner.y : area.maxY - 1
        for (col, t) in steps.enumerated() {
            let x = inner.x + labelW + col * cw
            if t == scene.step {
                buffer.put(String(header ? theme.downMarker : theme.upMarker), x: x, y: markerY, in: area, style: theme.focusedBorder, theme: theme)
            } else if header, cw >= 3 {
                // The token read at t, cut to its column: the columns are words, not indices.
                let token = theme.text(displayToken(scene.recording.tokens[t]))
                buffer.put(String(token.prefix(cw - 1)), x: x, y: inner.y, in: inner, style: theme.dim, theme: theme)
            } else if header, t % 5 == 0 {
                buffer.put(String(t), x: x, y: inner.y, in: inner, style: theme.dim, theme: theme)
            }
        }
        if header { buffer.put("t", x: inner.x, y: inner.y, in: inner, style: theme.dim, theme: theme) }
        for (r, u) in (u0..<min(units, u0 + rows)).enumerated() {
            let y = inner.y + (header ? 1 : 0) + r
            buffer.put(NumberText.pad("u\(u)", labelW - 1), x: inner.x, y: y, in: inner,
                       style: u == scene.unit ? theme.highlight : theme.label, theme: theme)
            // Later steps stay blank while a question waits (the question cover).
            for (col, t) in steps.enumerated() where !cover.hides(step: t, gradient: gradient) {
                let x = inner.x + labelW + col * cw
                guard let v = series[t - t0], v.indices.contains(u) else {
                    buffer.put(theme.ascii ? "." : "·", x: x, y: y, in: inner, style: theme.dim, theme: theme)
                    continue
                }
                let value = v[u] / scale
                var style = theme.heatGlyph(value, palette: palette)
                if t == scene.step { style.modifiers.formUnion(theme.mono ? [.underline, .bold] : [.underline]) }
                let glyph = theme.rampGlyph(value)
                let sign: Character = !v[u].isFinite ? "!" : v[u] < 0 ? "-" : v[u] > 0 ? "+" : " "
                let text: String
                switch cw {
                case 1: text = String(glyph)
                case 2: text = String(sign) + String(glyph)
                default: text = String(sign) + String(repeating: glyph, count: cw - 2) + " "
                }
                buffer.put(text, x: x, y: y, in: inner, style: style, theme: theme)
            }
        }
    }
}
