import Foundation
import RNNLessons

/// A time series and the model's one-step-ahead predictions in one chart (lesson 9: numbers in, next
/// number out), the current step marked by a vertical cursor and its numbers written out:
/// "t=12: x=0.41, predicted next 0.37, actual next 0.45, error 0.08".
///
/// `predictions[t]` is the prediction made at step t for x_(t+1), so it is drawn over t+1, where the
/// value it tries to hit is; the last prediction sits one step past the series. Input values are `●`
/// (ASCII `*`), predictions `○` (`o`), both in one cell `◉` (`@`). Long series scroll so that the
/// cursor stays in view; drawing looks only at the visible steps (unless `yRange` is left out, the
/// y-range comes from the visible steps too).
struct SeriesPlotPanel: ThemedPanel, Sendable {
    /// Input values x_0 … x_(T-1).
    var values: [Double]
    /// predictions[t] = the model's prediction of x_(t+1), made at step t (may be shorter than `values`).
    var predictions: [Double]
    /// The current step t.
    var step: Int
    /// A fixed y-range (say, over the whole series, computed once); `nil`: the visible steps' range.
    var yRange: ClosedRange<Double>? = nil
    var title = "Series: x_t and the predicted next value"

    func render(in area: Rect, into buffer: inout Buffer, theme: Theme, focused: Bool = false) {
        let inner = buffer.box(area, title: title, focused: focused, theme: theme)
        if area.height >= 2 { drawLegend(&buffer, area: area, theme: theme) }
        let content = inner.inset(dx: 1, dy: 0)
        guard !content.isEmpty else { return }
        let count = domain
        guard count > 0 else {
            buffer.put("no values", x: content.x, y: content.y, in: content, style: theme.dim, theme: theme)
            return
        }
        let t = min(max(0, step), count - 1)
        let numbersY = content.maxY - 1
        buffer.put(numbersLine(t, width: content.width), x: content.x, y: numbersY, in: content, style: theme.bold, theme: theme)
        let avail = content.height - 1
        guard avail > 0 else { return }
        let plotRows = avail >= 4 ? avail - 1 : avail
        drawPlot(&buffer, content: content, plotRows: plotRows, showSteps: avail >= 4, current: t, theme: theme)
    }

    /// Steps on the x-axis: the series, plus one for the prediction made at the last step.
    private var domain: Int { max(values.count, predictions.isEmpty ? 0 : predictions.count + 1) }

    // MARK: - Marks and legend

    private struct Marks {
        let value: Character, prediction: Character, both: Character
        init(_ theme: Theme) {
            (value, prediction, both) = theme.ascii ? ("*", "o", "@") : ("●", "○", "◉")
        }
    }

    private func valueStyle(_ theme: Theme) -> Style {
        theme.mono ? theme.bold : Style(foreground: .ansi(4), modifiers: .bold)
    }

    private func predictionStyle(_ theme: Theme) -> Style {
        theme.mono ? .plain : Style(foreground: .ansi(5), modifiers: .bold)
    }

    /// " ● x_t  ○ predicted x_(t+1) " on the bottom border, shortened when narrow.
    private func drawLegend(_ buffer: inout Buffer, area: Rect, theme: Theme) {
        let m = Marks(theme)
        let row = Rect(x: area.x + 1, y: area.maxY - 1, width: area.width - 2, height: 1)
        let long = [(" ", theme.plain), ("\(m.value) x_t input", valueStyle(theme)), ("  ", theme.plain),
                    ("\(m.prediction) predicted x_(t+1)", predictionStyle(theme)), (" ", theme.plain)]
        let short = [(" ", theme.plain), ("\(m.value) x", valueStyle(theme)), (" ", theme.plain),
                     ("\(m.prediction) pred", predictionStyle(theme)), (" ", theme.plain)]
        let width = row.width - 2
        for parts in [long, short] where parts.map(\.0.count).reduce(0, +) <= width {
            var x = row.x + 1
            for (s, style) in parts { x += buffer.put(s, x: x, y: row.y, in: row, style: style, theme: theme) }
            return
        }
    }

    // MARK: - Numbers

    /// "t=12: x=0.41, predicted next 0.37, actual next 0.45, error 0.08", shortened to fit.
    private func numbersLine(_ t: Int, width: Int) -> String {
        let n = { (v: Double) in NumberText.short(v, decimals: 2) }
        let x = t < values.count ? n(values[t]) : "—"
        let predicted: Double? = t < predictions.count ? predictions[t] : nil
        let actual: Double? = t + 1 < values.count ? values[t + 1] : nil
        let p = predicted.map(n) ?? "—"
        let a = actual.map(n) ?? "— (end)"
        var error = "", squared = "", shortError = ""
        if let predicted, let actual {
            let e = abs(predicted - actual)
            error = ", error \(n(e))"
            squared = " (squared \(NumberText.short(e * e, decimals: 4)))"
            shortError = " err \(n(e))"
        }
        let candidates = [
            "t=\(t): x=\(x), predicted next \(p), actual next \(a)\(error)\(squared)",
            "t=\(t): x=\(x), predicted next \(p), actual next \(a)\(error)",
            "t=\(t) x=\(x) pred \(p) next \(actual.map(n) ?? "—")\(shortError)",
            "t=\(t) x=\(x) pred \(p)",
            "t=\(t) x=\(x)",
        ]
        return candidates.first { $0.count <= width } ?? candidates.last!
    }

    // MARK: - Plot

    private func drawPlot(_ buffer: inout Buffer, content: Rect, plotRows: Int, showSteps: Bool, current: Int,
                          theme: Theme) {
        let count = domain
        // Columns per step: room to breathe when the series is short, one column when it is long.
        let cw = max(1, min(4, (content.width - 7) / count))
        // The y-range is taken over the widest window the plot could show (the labels' width is not
        // known before the range is): it contains the window actually shown.
        let widest = max(1, content.width / cw)
        let start = windowStart(selected: current, count: count, fit: widest)
        let (lo, hi) = range(visible: start..<min(count, start + widest))
        let axis = YAxis(lo: lo, hi: hi, rows: plotRows, width: content.width, right: 0, decimals: 2)
        let top = content.y, bottom = content.y + plotRows - 1
        let rowOf = { (v: Double) in bottom - scaledLevel(axis.fraction(v), levels: plotRows) }
        let zeroRow = axis.lo < 0 && axis.hi > 0 ? rowOf(0) : nil
        axis.draw(&buffer, x: content.x, top: top, in: content, theme: theme, zeroRow: zeroRow)
        let plotX = content.x + axis.leftWidth
        let plotW = content.width - axis.leftWidth
        guard plotW > 0 else { return }
        let fit = max(1, plotW / cw)
        let first = windowStart(selected: current, count: count, fit: fit)
        let visible = first..<min(count, first + fit)
        let column = { (i: Int) in plotX + (i - first) * cw + (cw - 1) / 2 }

        // Zero line, then the cursor, then the marks over both.
        if let y = zeroRow {
            buffer.put(String(repeating: theme.ascii ? "." : "┈", count: plotW), x: plotX, y: y, in: content,
                       style: theme.dim, theme: theme)
        }
        let cursorX = column(current)
        let cursorStyle = theme.mono ? theme.bold : Style(foreground: .ansi(3), modifiers: .bold)
        for y in top...bottom {
            buffer.put(String(theme.vertical), x: cursorX, y: y, in: content, style: cursorStyle, theme: theme)
        }
        let marks = Marks(theme)
        for i in visible {
            let x = column(i)
            let v: Double? = i < values.count ? values[i] : nil
            let p: Double? = i >= 1 && i - 1 < predictions.count ? predictions[i - 1] : nil
            let vRow = v.map { $0.isFinite ? rowOf($0) : bottom }
            let pRow = p.map { $0.isFinite ? rowOf($0) : bottom }
            var vStyle = valueStyle(theme), pStyle = predictionStyle(theme)
            if i == current { vStyle.modifiers.insert(.underline) }
            if i == current + 1 { pStyle.modifiers.insert(.underline) }
            if let p, let pRow {
                let glyph = p.isFinite ? String(marks.prediction) : "!"
                buffer.put(glyph, x: x, y: pRow, in: content, style: p.isFinite ? pStyle : theme.nonFinite, theme: theme)
            }
            if let v, let vRow {
                let glyph = !v.isFinite ? "!" : vRow == pRow && p?.isFinite == true ? String(marks.both) : String(marks.value)
                buffer.put(glyph, x: x, y: vRow, in: content, style: v.isFinite ? vStyle : theme.nonFinite, theme: theme)
            }
        }

        guard showSteps else { return }
        drawStepAxis(&buffer, y: bottom + 1, plotX: plotX, plotW: plotW, visible: visible, cursorX: cursorX,
                     current: current, in: content, theme: theme)
    }

    /// The y-range of the steps in view (values and the predictions drawn over them), or `yRange`.
    private func range(visible: Range<Int>) -> (Double, Double) {
        if let yRange { return (yRange.lowerBound, yRange.upperBound) }
        var lo = Double.infinity, hi = -Double.infinity
        for i in visible {
            if i < values.count, values[i].isFinite { lo = min(lo, values[i]); hi = max(hi, values[i]) }
            if i >= 1, i - 1 < predictions.count, predictions[i - 1].isFinite {
                lo = min(lo, predictions[i - 1]); hi = max(hi, predictions[i - 1])
            }
        }
        return lo <= hi ? (lo, hi) : (-1, 1)
    }

    /// "0 … ▲ t=12 … 13": the first and last visible steps and the cursor's step under it.
    private func drawStepAxis(_ buffer: inout Buffer, y: Int, plotX: Int, plotW: Int, visible: Range<Int>,
                              cursorX: Int, current: Int, in area: Rect, theme: Theme) {
        let up = theme.ascii ? "^" : "▲"
        let right = "\(up) t=\(current)", left = "t=\(current) \(up)"
        let marker = cursorX + right.count <= plotX + plotW ? right : left
        let markerX = marker == right ? cursorX : max(plotX, cursorX - left.count + 1)
        let markerEnd = markerX + marker.count
        let firstLabel = (visible.lowerBound > 0 ? theme.ellipsis : "") + "\(visible.lowerBound)"
        let lastLabel = "\(max(0, visible.upperBound - 1))" + (visible.upperBound < domain ? theme.ellipsis : "")
        if plotX + firstLabel.count < markerX - 1 {
            buffer.put(firstLabel, x: plotX, y: y, in: area, style: theme.dim, theme: theme)
        }
        let lastX = plotX + plotW - theme.text(lastLabel).count
        if lastX > markerEnd + 1 { buffer.put(lastLabel, x: lastX, y: y, in: area, style: theme.dim, theme: theme) }
        buffer.put(marker, x: markerX, y: y, in: area, style: Style(modifiers: .bold), theme: theme)
    }
}
