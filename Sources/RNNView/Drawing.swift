import RNNLessons

/// A small view: draws itself into `area` of the buffer and nowhere else (ratatui's `Widget`).
protocol View {
    func render(in area: Rect, into buffer: inout Buffer)
}

extension Buffer {
    /// Writes text transliterated for the theme (ASCII mode), clipped to `area`'s row and width.
    @discardableResult
    mutating func put(_ text: String, x: Int, y: Int, in area: Rect, style: Style = .plain, theme: Theme) -> Int {
        guard y >= area.y, y < area.maxY, x < area.maxX else { return 0 }
        let start = max(x, area.x)
        let skip = start - x
        let t = theme.text(text)
        let visible = skip > 0 ? String(t.dropFirst(skip)) : t
        return write(visible, x: start, y: y, style: style, maxWidth: area.maxX - start)
    }

    /// Draws a bordered box with a title in the top border; returns the inner area.
    @discardableResult
    /// `focused`: the lesson points at the panel (heavy border); `keyboard`: Tab's focus is on it (a marked
    /// title and the zoom hint), so the two never look alike.
    mutating func box(_ area: Rect, title: String, focused: Bool, keyboard: Bool = false, theme: Theme,
                      rightTitle: String? = nil) -> Rect {
        guard area.width >= 2, area.height >= 2 else { return Rect(x: area.x, y: area.y, width: 0, height: 0) }
        let style = focused ? theme.focusedBorder : theme.border
        let (tl, tr, bl, br) = theme.corners
        let h = focused && !theme.ascii ? Character("━") : theme.horizontal
        for x in area.x + 1..<area.maxX - 1 {
            self[x, area.y] = Cell(focused && theme.ascii ? "=" : h, style: style)
            self[x, area.maxY - 1] = Cell(theme.horizontal, style: theme.border)
        }
        for y in area.y + 1..<area.maxY - 1 {
            self[area.x, y] = Cell(theme.vertical, style: style)
            self[area.maxX - 1, y] = Cell(theme.vertical, style: style)
        }
        self[area.x, area.y] = Cell(tl, style: style)
        self[area.maxX - 1, area.y] = Cell(tr, style: style)
        self[area.x, area.maxY - 1] = Cell(bl, style: style)
        self[area.maxX - 1, area.maxY - 1] = Cell(br, style: style)
        let titleArea = Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: 1)
        var used = 0
        if !title.isEmpty, titleArea.width > 2 {
            let marked = keyboard ? "\(theme.focusMarker) \(title)" : title
            used = put(" \(marked) ", x: titleArea.x + 1, y: area.y, in: titleArea,
                       style: focused || keyboard ? theme.highlight : theme.title, theme: theme) + 1
        }
        if let rightTitle = keyboard ? [rightTitle, "z zoom"].compactMap({ $0 }).joined(separator: " · ") : rightTitle,
           !rightTitle.isEmpty {
            let t = theme.text(" \(rightTitle) ")
            let x = titleArea.maxX - 1 - t.count
            if x > titleArea.x + used { put(t, x: x, y: area.y, in: titleArea, style: theme.dim, theme: theme) }
        }
        return area.inset(dx: 1, dy: 1)
    }

    /// A labelled row of heat cells on `grid`'s columns (magnitude glyph then signed value).
    /// Ends with "+N more" when units are hidden. Colours are relative to `scale`.
    @discardableResult
    mutating func heatRow(label: String, values: [Double], grid: HeatGrid, y: Int, in area: Rect, theme: Theme,
                          selected: Int?, scale: Double = 1, fromStart: Bool = false,
                          palette: HeatPalette = .diverging) -> Range<Int> {
        put(NumberText.pad(label, grid.labelWidth), x: grid.x, y: y, in: area, style: theme.label, theme: theme)
        let shown = grid.range(count: values.count, fromStart: fromStart)
        var cx = grid.x + grid.labelWidth
        if shown.lowerBound > 0 { put(theme.ellipsis, x: cx, y: y, in: area, style: theme.dim, theme: theme) }
        cx += 1
        if grid.isStrip {
            return heatStrip(values: values, shown: shown, x: cx, y: y, in: area, theme: theme, selected: selected,
                             scale: scale, palette: palette)
        }
        for u in shown {
            let v = values[u]
            var style = theme.heat(v / scale, palette: palette)
            var glyphStyle = theme.heatGlyph(v / scale, palette: palette)
            if u == selected {
                let mark: Modifiers = theme.mono ? [.underline, .reverse] : [.underline, .bold]
                style.modifiers.formUnion(mark)
                glyphStyle.modifiers.formUnion(mark)
            }
            put(String(theme.rampGlyph(v / scale)), x: cx, y: y, in: area, style: glyphStyle, theme: theme)
            put(NumberText.signed(v, width: grid.valueWidth), x: cx + 1, y: y, in: area, style: style, theme: theme)
            cx += grid.cellWidth
        }
        let hidden = values.count - shown.upperBound
        if hidden > 0 { put("+\(hidden) more", x: cx, y: y, in: area, style: theme.dim, theme: theme) }
        return shown
    }

    /// One glyph a unit, then the selected unit's number: every unit of a wide layer stays in view.
    private mutating func heatStrip(values: [Double], shown: Range<Int>, x: Int, y: Int, in area: Rect, theme: Theme,
                                    selected: Int?, scale: Double, palette: HeatPalette) -> Range<Int> {
        var cx = x
        for u in shown {
            var style = theme.heatGlyph(values[u] / scale, palette: palette)
            if u == selected { style.modifiers.formUnion(theme.mono ? [.underline, .reverse] : [.underline, .bold]) }
            put(String(theme.rampGlyph(values[u] / scale)), x: cx, y: y, in: area, style: style, theme: theme)
            cx += 1
        }
        let hidden = values.count - shown.upperBound
        if hidden > 0 {
            put("+\(hidden) more", x: cx + 1, y: y, in: area, style: theme.dim, theme: theme)
        } else if let u = selected, values.indices.contains(u), area.maxX - (cx + 1) >= HeatGrid.stripNote {
            put("u\(u) " + NumberText.signed(values[u], width: 6).trimmingCharacters(in: .whitespaces), x: cx + 1, y: y, in: area,
                style: theme.bold, theme: theme)
        }
        return shown
    }

    /// Unit indices over the grid's columns ("u0  u1 …"), the selected one highlighted; over a strip, a
    /// tick every 8 units and the selected one.
    mutating func unitHeader(_ grid: HeatGrid, count: Int, y: Int, in area: Rect, theme: Theme, selected: Int) {
        if grid.isStrip {
            let x0 = grid.x + grid.labelWidth + 1
            let shown = grid.range(count: count)
            for u in shown where u % 8 == 0 && u + 3 < shown.upperBound {
                put("u\(u)", x: x0 + u - shown.lowerBound, y: y, in: area, style: theme.dim, theme: theme)
            }
            if shown.contains(selected) {
                put(String(theme.downMarker), x: x0 + selected - shown.lowerBound, y: y, in: area, style: theme.highlight, theme: theme)
            }
            return
        }
        var cx = grid.x + grid.labelWidth + 1
        for u in grid.range(count: count) {
            put(NumberText.pad("u\(u)", grid.cellWidth - 1, right: true), x: cx, y: y, in: area,
                style: u == selected ? theme.highlight : theme.dim, theme: theme)
            cx += grid.cellWidth
        }
    }

    /// Fills a horizontal bar of `fraction` (0…1) across `width` columns, with eighth blocks in Unicode.
    mutating func bar(_ fraction: Double, x: Int, y: Int, width: Int, in area: Rect, style: Style, theme: Theme) {
        guard width > 0 else { return }
        let f = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let eighths = Int((f * Double(width * 8)).rounded())
        var s = String(repeating: theme.barFull, count: eighths / 8)
        if eighths % 8 > 0, !theme.barEighths.isEmpty { s.append(theme.barEighths[eighths % 8 - 1]) }
        else if eighths % 8 >= 4 { s.append(theme.barFull) }
        put(s, x: x, y: y, in: area, style: style, theme: theme)
    }
}

/// Column layout shared by the heat rows of a panel, so that units line up under their header.
/// Cells are 8 columns (3 decimals) when every unit fits, else 7 or 6 (2 decimals); past that a strip of one
/// glyph a unit; only where even the strip does not fit, a window on the selection with "+N more".
struct HeatGrid {
    let x: Int
    let labelWidth: Int
    let cellWidth: Int
    /// Columns available for cells.
    let room: Int
    let first: Int
    /// Too many units for numbers: one glyph a unit, the selected unit's number after the strip.
    let isStrip: Bool
    /// Room a strip needs after it for " u12 +0.42" (left out where it does not fit).
    static let stripNote = 11

    init(x: Int, width: Int, labelWidth: Int, units: Int, selected: Int) {
        self.x = x
        self.labelWidth = labelWidth
        room = max(0, width - labelWidth - 1)
        // Narrower cells before hiding units: 6 drops the gap (the next cell's glyph separates the values);
        // past that, a strip of glyphs shows every unit, as long as it fits.
        isStrip = units * 6 > room && units <= room
        cellWidth = isStrip ? 1 : units * 8 <= room ? 8 : units * 7 <= room ? 7 : 6
        let fit = isStrip || units * cellWidth <= room ? units : max(1, (room - 8) / cellWidth)
        first = windowStart(selected: selected, count: units, fit: fit)
    }

    /// Characters of a value after its glyph: a gap follows it in cells of 7 or 8.
    var valueWidth: Int { cellWidth == 6 ? 5 : cellWidth - 2 }

    /// Units shown for a row of `count` values; rows that are not hidden units (x_t) start at 0.
    func range(count: Int, fromStart: Bool = false) -> Range<Int> {
        if count * cellWidth <= room { return 0..<count }
        let n = max(1, (room - 8) / cellWidth)  // leave room for "+N more"
        let lo = fromStart ? 0 : min(max(0, first), max(0, count - n))
        return lo..<min(count, lo + n)
    }
}

/// First unit of a window of `fit` units that keeps `selected` visible.
func windowStart(selected: Int, count: Int, fit: Int) -> Int {
    guard fit > 0, count > fit else { return 0 }
    return min(max(0, selected - fit / 2), count - fit)
}

/// Splits text into lines of at most `width` columns at spaces; a word longer than a line is cut into
/// pieces of `width`. Linear in the text's length: each piece is cut once from the word, by index.
func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    var line = ""
    var lineCount = 0  // line.count, kept so that the text is not counted again for every word
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
        let wordCount = word.count
        if line.isEmpty {
            line = String(word); lineCount = wordCount
        } else if lineCount + 1 + wordCount <= width {
            line += " "; line += word; lineCount += 1 + wordCount
        } else {
            lines.append(line); line = String(word); lineCount = wordCount
        }
        if lineCount > width {
            // Only a word alone on its line can be longer than the line: cut it from the front.
            var start = line.startIndex
            while lineCount > width {
                let end = line.index(start, offsetBy: width)
                lines.append(String(line[start..<end]))
                start = end
                lineCount -= width
            }
            line = String(line[start...])
        }
    }
    if !line.isEmpty || lines.isEmpty { lines.append(line) }
    return lines
}
