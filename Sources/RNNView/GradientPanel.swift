import Foundation
import RNNTrace
import RNNLessons

/// A log-scale sparkline of ‖dL/dh_t‖ over all steps with the current step marked (two rows). Heights are
/// relative to the whole trace's range, or to `range` (several traces on one scale); only the visible
/// window of steps is drawn.
/// Steps the question cover hides (later steps while a question waits) are left blank.
func drawNormSparkline(_ buffer: inout Buffer, statistics: TraceStatistics, current: Int, x: Int, y: Int, width: Int,
                       in area: Rect, theme: Theme, range: ClosedRange<Double>? = nil, cover: QuestionCover = .none) {
    let norms = statistics.hNorms
    guard !norms.isEmpty, width > 0 else { return }
    let scale = range ?? statistics.positiveNormRange
    let lo = scale.map { log10($0.lowerBound) } ?? 0
    let hi = scale.map { log10($0.upperBound) } ?? 0
    let cw = max(1, min(4, width / norms.count))
    // When the steps do not fit, show a window around the current one.
    let fit = max(1, width / cw)
    let start = windowStart(selected: current, count: norms.count, fit: fit)
    let blocks = theme.ascii ? Glyphs.asciiSpark : Glyphs.unicodeSpark
    for (col, i) in (start..<min(norms.count, start + fit)).enumerated() {
        let cx = x + col * cw
        if cover.hides(step: i, gradient: true) { continue }
        let glyph: Character
        var style = theme.bar
        if norms[i].isNaN || norms[i].isInfinite { glyph = "!"; style = theme.nonFinite }
        else if norms[i] == 0 { glyph = theme.ascii ? "." : "·" }
        else {
            let logNorm = norms[i] > 0 ? log10(norms[i]) : lo
            let f = hi > lo ? (logNorm - lo) / (hi - lo) : 1
            glyph = blocks[min(blocks.count - 1, max(0, Int((f * Double(blocks.count - 1)).rounded())))]
        }
        if i == current { style.modifiers.insert(.bold); if theme.mono { style.modifiers.insert(.underline) } else { style.foreground = .ansi(3) } }
        buffer.put(String(repeating: glyph, count: max(1, cw - (cw > 1 ? 1 : 0))), x: cx, y: y, in: area, style: style, theme: theme)
        if i == current {
            buffer.put(String(theme.upMarker), x: cx, y: y + 1, in: area, style: theme.focusedBorder, theme: theme)
        }
    }
}

/// dL/dh_t and dL/dc_t as heat rows, and the gradient-norm sparkline over all steps.
struct GradientPanel: View {
    let scene: Scene
    let theme: Theme

    static func height(_ scene: Scene) -> Int { (scene.recording.hasCellState ? 2 : 1) + 3 + 2 }

    func render(in area: Rect, into buffer: inout Buffer) {
        let scale = scene.statistics.gradHScale
        let inner = buffer.box(area, title: "Gradients dL/d· (BPTT)\(scene.layerSuffix)", focused: scene.isFocused(.gradients), keyboard: scene.hasKeyboardFocus(.gradients), theme: theme)
        if scene.cover.gradients {
            coverUntilAnswered(&buffer, inner: inner, what: "the gradients", theme: theme)
            return
        }
        if area.height >= 2 { drawLegend(&buffer, x: area.x + 2, y: area.maxY - 1, in: area.inset(dx: 1, dy: 0), theme: theme, scale: scale) }
        guard let s = scene.current, inner.height > 0, inner.width > 12 else { return }
        guard let g = s.grad else {
            buffer.put("this trace has no gradients (forward only)", x: inner.x + 1, y: inner.y, in: inner, style: theme.dim, theme: theme)
            return
        }
        let labelW = 8
        let grid = HeatGrid(x: inner.x, width: inner.width, labelWidth: labelW, units: g.h.count, selected: scene.unit)
        var y = inner.y
        buffer.heatRow(label: "dL/dh_t", values: g.h, grid: grid, y: y, in: inner, theme: theme, selected: scene.unit,
                       scale: scale)
        y += 1
        if let gc = g.c, y < inner.maxY {
            let cScale = scene.statistics.gradCScale
            buffer.heatRow(label: "dL/dc_t", values: gc, grid: grid, y: y, in: inner, theme: theme, selected: scene.unit,
                           scale: cScale)
            y += 1
        }
        guard y + 1 < inner.maxY else { return }
        buffer.put("‖dL/dh‖", x: inner.x, y: y, in: inner, style: theme.label, theme: theme)
        buffer.put("log", x: inner.x, y: y + 1, in: inner, style: theme.dim, theme: theme)
        let sparkW = inner.width - labelW - 1
        drawNormSparkline(&buffer, statistics: scene.statistics, current: scene.step, x: inner.x + labelW + 1, y: y, width: sparkW, in: inner, theme: theme,
                          cover: scene.cover)
        y += 2
        guard y < inner.maxY else { return }
        var line = "‖dL/dh_\(s.t)‖ = \(NumberText.short(g.hNorm))"
        // The whole run's smallest and largest include later steps: not while a question waits.
        if let range = scene.statistics.positiveNormRange, !scene.cover.waiting {
            let lo = range.lowerBound, hi = range.upperBound
            let wide = "   smallest \(NumberText.short(lo)), largest \(NumberText.short(hi)) (×\(NumberText.short(hi / lo, decimals: 1)))"
            line += line.count + wide.count <= inner.width - 1 ? wide : "   max/min ×\(NumberText.short(hi / lo, decimals: 1))"
        }
        buffer.put(line, x: inner.x + 1, y: y, in: inner, theme: theme)
    }
}

