import Foundation

/// ‖dL/dh_t‖ of every step as bars on a log axis with one row per decade, labelled `1e0`, `1e-1` …: where
/// cells are compared, nine orders of magnitude take nine rows, so a gradient that vanishes looks nine
/// times as far down as one that shrinks by a decade. Used where there is room (the comparison view);
/// the one-row sparkline stays for tight spots.
struct NormLogChart {
    let norms: [Double]
    let current: Int
    /// The shared scale of every chart on screen (positive norms only).
    let range: ClosedRange<Double>
    var cover: QuestionCover = .none
    let theme: Theme
    /// ‖dL/dc_t‖ of an LSTM, drawn as a marker at its decade over each step's bar (empty: none).
    var cellNorms: [Double] = []

    static let labelWidth = 6

    /// The decades the chart spans: from 10^bottom to 10^top, at least one.
    static func decades(_ range: ClosedRange<Double>) -> (top: Int, bottom: Int) {
        let top = Int(log10(range.upperBound).rounded(.up))
        let bottom = Int(log10(range.lowerBound).rounded(.down))
        return (top, min(bottom, top - 1))
    }

    /// Decades per row when `rows` rows show `range`: a whole number, so the labels step evenly.
    static func decadesPerRow(_ range: ClosedRange<Double>, rows: Int) -> Int {
        let (top, bottom) = decades(range)
        return max(1, (top - bottom + rows - 1) / max(1, rows))
    }

    /// Rows it wants: a row per decade (or per 2, 3 … decades beyond `limit` rows) and one for the marker.
    static func height(_ range: ClosedRange<Double>, limit: Int) -> Int {
        let (top, bottom) = decades(range)
        let step = decadesPerRow(range, rows: limit)
        return (top - bottom + step - 1) / step + 1
    }

    /// The ‖dL/dc_t‖ marker and its style: over the bar's colour inside it, in its own colour above it.
    static func cellMarker(_ theme: Theme) -> Character { theme.ascii ? "o" : "◆" }
    static func cellMarkerStyle(_ theme: Theme, inBar bar: Style?) -> Style {
        let color256 = theme.options.colorMode == .color256
        if theme.mono { return Style(modifiers: .bold) }
        if let bar { return Style(foreground: color256 ? .indexed(16) : .ansi(0), background: bar.foreground, modifiers: .bold) }
        return Style(foreground: color256 ? .indexed(215) : .ansi(5), modifiers: .bold)
    }

    func render(in area: Rect, into buffer: inout Buffer) {
        guard area.height >= 3, area.width > Self.labelWidth + 2, !norms.isEmpty else { return }
        let (top, lowest) = Self.decades(range)
        let step = Self.decadesPerRow(range, rows: area.height - 1)
        let rows = (top - lowest + step - 1) / step
        let bottom = top - rows * step
        let decadesPerRow = Double(step)
        for r in 0..<rows {
            let label = "1e\(top - r * step)"
            buffer.put(String(repeating: " ", count: max(0, Self.labelWidth - label.count)) + label, x: area.x, y: area.y + r,
                       in: area, style: theme.dim, theme: theme)
        }
        let plot = Rect(x: area.x + Self.labelWidth + 1, y: area.y, width: area.width - Self.labelWidth - 1, height: rows)
        let columnWidth = max(1, min(3, plot.width / norms.count))
        let fit = max(1, plot.width / columnWidth)
        let start = windowStart(selected: current, count: norms.count, fit: fit)
        let levels = theme.ascii ? Glyphs.asciiSpark : Glyphs.unicodeSpark
        for (column, t) in (start..<min(norms.count, start + fit)).enumerated() {
            if cover.hides(step: t, gradient: true) { continue }
            let x = plot.x + column * columnWidth
            let width = max(1, columnWidth - (columnWidth > 1 ? 1 : 0))
            var style = theme.bar
            if t == current { style.modifiers.insert(.bold); if theme.mono { style.modifiers.insert(.underline) } else { style.foreground = .ansi(3) } }
            let v = norms[t]
            if !v.isFinite {
                buffer.put(String(repeating: "!", count: width), x: x, y: plot.y, in: plot, style: theme.nonFinite, theme: theme)
            } else if v > 0 {
                // Rows filled from the bottom: whole rows, then the fraction of the next as a partial block.
                let height = min(Double(rows), max(0, (log10(v) - Double(bottom)) / decadesPerRow))
                let whole = Int(height)
                for k in 0..<whole {
                    buffer.put(String(repeating: levels[levels.count - 1], count: width), x: x, y: plot.maxY - 1 - k, in: plot, style: style, theme: theme)
                }
                // The rest of a row in the glyph set's steps (eighths in Unicode): level k of n is k/n of a row.
                let part = Int(((height - Double(whole)) * Double(levels.count)).rounded())
                if whole < rows, part > 0 {
                    let glyph = levels[min(part, levels.count) - 1]
                    buffer.put(String(repeating: glyph, count: width), x: x, y: plot.maxY - 1 - whole, in: plot, style: style, theme: theme)
                }
            }
            if cellNorms.indices.contains(t), cellNorms[t].isFinite, cellNorms[t] > 0 {
                // The row of the decade ‖dL/dc_t‖ falls in; inside the bar the marker is cut out of it.
                let height = (log10(cellNorms[t]) - Double(bottom)) / decadesPerRow
                let row = min(rows - 1, max(0, Int(height)))
                let inBar = v.isFinite && v > 0 && Double(row + 1) <= (log10(v) - Double(bottom)) / decadesPerRow
                buffer.put(String(repeating: String(Self.cellMarker(theme)), count: width), x: x, y: plot.maxY - 1 - row, in: plot,
                           style: Self.cellMarkerStyle(theme, inBar: inBar ? style : nil), theme: theme)
            }
            if t == current {
                buffer.put(String(theme.upMarker), x: x, y: area.maxY - 1, in: area, style: theme.focusedBorder, theme: theme)
            }
        }
    }
}
