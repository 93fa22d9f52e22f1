import Foundation
import RNNTrace

/// Largest finite |value| of a quantity over the whole trace; heat rows of gradients are scaled by it
/// so that small gradients stay visible.
func traceScale(_ trace: Trace, _ pick: (TraceStep) -> [Double]?) -> Double {
    let m = trace.steps.compactMap(pick).flatMap { $0 }.filter(\.isFinite).map(abs).max() ?? 0
    return m > 0 ? m : 1
}

/// A log-scale sparkline of ‖dL/dh_t‖ over all steps with the current step marked (two rows).
func drawNormSparkline(_ buffer: inout Buffer, trace: Trace, current: Int, x: Int, y: Int, width: Int,
                       in area: Rect, theme: Theme) {
    let norms = trace.steps.map { $0.grad?.hNorm ?? .nan }
    guard !norms.isEmpty, width > 0 else { return }
    let logs = norms.map { $0 > 0 && $0.isFinite ? log10($0) : Double.nan }
    let finite = logs.filter(\.isFinite)
    let lo = finite.min() ?? 0, hi = finite.max() ?? 0
    let cw = max(1, min(4, width / norms.count))
    // When the steps do not fit, show a window around the current one.
    let fit = max(1, width / cw)
    let start = windowStart(selected: current, count: norms.count, fit: fit)
    let blocks: [Character] = theme.ascii ? Array("_.:-=+*#%@") : Array("▁▂▃▄▅▆▇█")
    for (col, i) in (start..<min(norms.count, start + fit)).enumerated() {
        let cx = x + col * cw
        let glyph: Character
        var style = theme.bar
        if norms[i].isNaN || norms[i].isInfinite { glyph = "!"; style = theme.nonFinite }
        else if norms[i] == 0 { glyph = theme.ascii ? "." : "·" }
        else {
            let f = hi > lo ? (logs[i] - lo) / (hi - lo) : 1
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
    let state: AppState
    let theme: Theme

    static func height(_ state: AppState) -> Int { (state.trace.isLSTM ? 2 : 1) + 3 + 2 }

    func render(in area: Rect, into buffer: inout Buffer) {
        let t = state.trace
        let scale = traceScale(t) { $0.grad?.h }
        let inner = buffer.box(area, title: "Gradients dL/d· (BPTT)", focused: isFocused(.gradients, state), theme: theme)
        if area.height >= 2 { drawLegend(&buffer, x: area.x + 2, y: area.maxY - 1, in: area.inset(dx: 1, dy: 0), theme: theme, scale: scale) }
        guard let s = state.currentStep, inner.height > 0, inner.width > 12 else { return }
        guard let g = s.grad else {
            buffer.put("this trace has no gradients (forward only)", x: inner.x + 1, y: inner.y, in: inner, style: theme.dim, theme: theme)
            return
        }
        let labelW = 8
        let grid = HeatGrid(x: inner.x, width: inner.width, labelWidth: labelW, units: g.h.count, selected: state.unit)
        var y = inner.y
        buffer.heatRow(label: "dL/dh_t", values: g.h, grid: grid, y: y, in: inner, theme: theme, selected: state.unit,
                       scale: scale)
        y += 1
        if let gc = g.c, y < inner.maxY {
            let cScale = traceScale(t) { $0.grad?.c }
            buffer.heatRow(label: "dL/dc_t", values: gc, grid: grid, y: y, in: inner, theme: theme, selected: state.unit,
                           scale: cScale)
            y += 1
        }
        guard y + 1 < inner.maxY else { return }
        buffer.put("‖dL/dh‖", x: inner.x, y: y, in: inner, style: theme.label, theme: theme)
        buffer.put("log", x: inner.x, y: y + 1, in: inner, style: theme.dim, theme: theme)
        let sparkW = inner.width - labelW - 1
        drawNormSparkline(&buffer, trace: t, current: state.step, x: inner.x + labelW + 1, y: y, width: sparkW, in: inner, theme: theme)
        y += 2
        guard y < inner.maxY else { return }
        let norms = t.steps.compactMap { $0.grad?.hNorm }.filter { $0 > 0 && $0.isFinite }
        var line = "‖dL/dh_\(s.t)‖ = \(Num.short(g.hNorm))"
        if let lo = norms.min(), let hi = norms.max(), hi > 0 {
            let wide = "   smallest \(Num.short(lo)), largest \(Num.short(hi)) (×\(Num.short(hi / lo, decimals: 1)))"
            line += line.count + wide.count <= inner.width - 1 ? wide : "   max/min ×\(Num.short(hi / lo, decimals: 1))"
        }
        buffer.put(line, x: inner.x + 1, y: y, in: inner, theme: theme)
    }
}

