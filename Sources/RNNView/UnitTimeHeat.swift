import RNNTrace
import RNNLessons

/// One quantity of a cell (h, or c for the LSTM) over units × steps, for a column of the comparison: every
/// unit where the rows allow. In 256 colours with Unicode glyphs a row holds two units (▀ in unit 2k's
/// colour over unit 2k+1's), so 32 units take 16 rows; otherwise a row per unit, glyph by magnitude, as in
/// the overview. Where rows run short, a window around the selected unit, and the title says which show.
struct UnitTimeHeat {
    let recording: Recording
    let quantity: OverviewQuantity
    /// The steps drawn (the same window in every column, so the steps line up across cells) and their width.
    let steps: Range<Int>
    let columnWidth: Int
    let current: Int
    let selected: Int
    let cover: QuestionCover
    let theme: Theme

    static let labelWidth = 6

    /// Units a text row holds: two with half blocks in 256 colours, else one.
    static func unitsPerRow(_ theme: Theme) -> Int { theme.options.colorMode == .color256 && !theme.ascii ? 2 : 1 }

    /// Rows that show every one of `units`: the title, the unit rows and the step axis.
    static func fullHeight(units: Int, theme: Theme) -> Int {
        let k = unitsPerRow(theme)
        return 2 + (units + k - 1) / k
    }

    /// The steps every column draws: `fit` columns of the narrowest plot, a window around `current`.
    static func stepWindow(stepCount: Int, plotWidth: Int, current: Int) -> (steps: Range<Int>, columnWidth: Int) {
        guard stepCount > 0, plotWidth > 0 else { return (0..<0, 1) }
        let width = max(1, min(3, plotWidth / stepCount))
        let fit = max(1, plotWidth / width)
        let start = windowStart(selected: current, count: stepCount, fit: fit)
        return (start..<min(stepCount, start + fit), width)
    }

    /// Draws into `area` (at least a title, one unit row and the axis); returns the rows used.
    @discardableResult
    func render(in area: Rect, into buffer: inout Buffer) -> Int {
        let units = recording.hiddenSize
        let perRow = Self.unitsPerRow(theme)
        guard area.height >= 3, area.width > Self.labelWidth + 1, units > 0, !steps.isEmpty else { return 0 }
        let rows = min(area.height - 2, (units + perRow - 1) / perRow)
        let shownUnits = min(units, rows * perRow)
        // A window that keeps the selected unit, starting on an even unit when rows hold pairs.
        var first = windowStart(selected: selected, count: units, fit: shownUnits)
        first -= first % perRow
        let last = min(units, first + shownUnits) - 1
        let name = quantity == .cell ? "c" : "h"
        // The longest title that fits, always naming the units shown when not all are.
        let window = "units \(first)–\(last) of \(units)"
        let titles = shownUnits < units
            ? ["\(name) over units × time · \(window)", "\(name) over time, \(window)", "\(name), \(window)", "\(name) u\(first)–\(last)/\(units)"]
            : ["\(name) over units × time", "\(name) over time"]
        let title = titles.map(theme.text).first { $0.count <= area.width } ?? theme.text(titles.last!)
        buffer.put(title, x: area.x, y: area.y, in: area, style: theme.label, theme: theme)
        let series = overviewSeries(recording, quantity, steps: steps)
        let plotX = area.x + Self.labelWidth
        for r in 0..<rows {
            let top = first + r * perRow
            guard top <= last else { break }
            let y = area.y + 1 + r
            let pair = perRow == 2 && top + 1 <= last
            let label = pair ? "\(top)-\(top + 1)" : "u\(top)"
            let holdsSelected = selected == top || (pair && selected == top + 1)
            buffer.put(NumberText.pad(label, Self.labelWidth - 1, right: true), x: area.x, y: y, in: area,
                       style: holdsSelected ? theme.highlight : theme.label, theme: theme)
            // Later steps stay blank while a question waits (the question cover).
            for (column, t) in steps.enumerated() where !cover.hides(step: t) {
                guard let values = series[column], values.indices.contains(top) else { continue }
                let x = plotX + column * columnWidth
                if perRow == 2 {
                    let below = pair && values.indices.contains(top + 1) ? color(values[top + 1]) : Color.default
                    let style = Style(foreground: color(values[top]), background: below)
                    buffer.put(String(repeating: "▀", count: columnWidth), x: x, y: y, in: area, style: style, theme: theme)
                } else {
                    let v = values[top]
                    var style = theme.heatGlyph(v)
                    if t == current { style.modifiers.formUnion(theme.mono ? [.underline, .bold] : [.underline]) }
                    let sign: Character = !v.isFinite ? "!" : v < 0 ? "-" : v > 0 ? "+" : " "
                    let glyph = String(theme.rampGlyph(v))
                    let text = columnWidth == 1 ? glyph : String(sign) + String(repeating: glyph, count: columnWidth - 1)
                    buffer.put(text, x: x, y: y, in: area, style: style, theme: theme)
                }
            }
        }
        drawAxis(y: area.y + 1 + rows, plotX: plotX, in: area, into: &buffer)
        return rows + 2
    }

    /// The 256-colour tint of a value (the non-finite colour for NaN and ±Inf).
    private func color(_ v: Double) -> Color {
        v.isFinite ? .indexed(HeatPalette.diverging.tint(v)) : theme.nonFinite.background
    }

    /// "t", every fifth step's index where it does not touch the current step, and ▲ under the current one.
    private func drawAxis(y: Int, plotX: Int, in area: Rect, into buffer: inout Buffer) {
        buffer.put("t", x: area.x, y: y, in: area, style: theme.dim, theme: theme)
        let currentX = steps.contains(current) ? plotX + (current - steps.lowerBound) * columnWidth : nil
        for (column, t) in steps.enumerated() where t % 5 == 0 {
            let x = plotX + column * columnWidth
            let label = String(t)
            if let cx = currentX, cx >= x - 1, cx <= x + label.count { continue }
            buffer.put(label, x: x, y: y, in: area, style: theme.dim, theme: theme)
        }
        if let cx = currentX {
            buffer.put(String(theme.upMarker), x: cx, y: y, in: area, style: theme.focusedBorder, theme: theme)
        }
    }
}
