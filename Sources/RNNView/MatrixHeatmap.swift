import RNNLessons

/// One matrix as a heatmap: a coloured glyph per entry on one scale (±the largest |entry|), its shape in
/// the title, gate blocks labelled, the selected unit's rows (▶) and column (▼) marked. What does not fit is
/// windowed around the selection, each block alike, and the title says which rows and columns are shown.
struct MatrixHeatmap: View {
    let name: String
    let rows: Int
    let cols: Int
    /// Row-major, rows × cols.
    let values: [Double]
    /// Names of the stacked row blocks (i f g o, r z n), empty for one block.
    var blockNames: [String] = []
    /// Row labels in place of block names (a vocabulary for W_hy), cut to the label column.
    var rowLabels: [String]? = nil
    var markedRow: Int? = nil
    var markedColumn: Int? = nil
    /// How the title names the scale: "|w|", "|dW|".
    var magnitudeName = "|w|"
    /// Terminal rows per matrix row (an entry is 2·zoom columns wide, so it stays about square).
    var zoom = 1
    let theme: Theme

    /// Columns of one entry: 2 where the whole matrix fits at that width.
    static func entryWidth(cols: Int, width: Int, labelWidth: Int) -> Int { labelWidth + cols * 2 <= width ? 2 : 1 }
    var labelWidth: Int { rowLabels == nil ? 3 + String(max(0, rows / max(1, blockNames.count) - 1)).count : 6 }
    /// Largest |entry|: the end of the colour scale.
    var scale: Double { values.map(abs).filter(\.isFinite).max() ?? 0 }
    var scaleText: String { "max\(magnitudeName) \(PrintedNumber.text(scale, digits: 2))" }
    /// Width that shows every column at 2·zoom cells each, and the title and scale whole.
    func naturalWidth(zoom z: Int) -> Int {
        max(labelWidth + 2 * z * cols, "\(name) \(rows)×\(cols)".count, scaleText.count) + 1
    }
    /// Rows the matrix takes at `zoom`, with its three header lines.
    func naturalHeight(zoom z: Int) -> Int { 3 + rows * z }

    func render(in area: Rect, into buffer: inout Buffer) {
        guard area.height >= 4, area.width >= labelWidth + 2, rows > 0, cols > 0 else {
            if area.height >= 1 { buffer.put("\(name) \(rows)×\(cols)", x: area.x, y: area.y, in: area, style: theme.label, theme: theme) }
            return
        }
        let scale = self.scale
        let fitsZoomed = labelWidth + 2 * zoom * cols <= area.width && 3 + rows * zoom <= area.height
        let z = fitsZoomed ? zoom : 1
        let cw = z > 1 ? 2 * z : Self.entryWidth(cols: cols, width: area.width, labelWidth: labelWidth)
        let colFit = max(1, (area.width - labelWidth) / cw)
        let firstCol = windowStart(selected: markedColumn ?? 0, count: cols, fit: colFit)
        let shownCols = firstCol..<min(cols, firstCol + colFit)
        let shownRows = rowWindow(fit: (area.height - 3) / z)
        buffer.put("\(name) \(rows)×\(cols)", x: area.x, y: area.y, in: area, style: theme.label, theme: theme)
        var scaleText = self.scaleText
        // Which rows a window shows is told by their labels (block and unit); which columns, here if it fits.
        let windowedRows = shownRows.count < rows
        if shownCols.count < cols { scaleText += ", cols \(shownCols.lowerBound)–\(shownCols.upperBound - 1) of \(cols)" }
        buffer.put(scaleText, x: area.x, y: area.y + 1, in: area, style: theme.dim, theme: theme)
        if let c = markedColumn, shownCols.contains(c) {
            buffer.put(String(theme.downMarker), x: area.x + labelWidth + (c - firstCol) * cw, y: area.y + 2, in: area,
                       style: theme.highlight, theme: theme)
        }
        let blockSize = blockNames.isEmpty ? rows : max(1, rows / blockNames.count)
        var y = area.y + 3
        var previous: Int?
        for r in shownRows where y < area.maxY {
            var label = ""
            if let rowLabels { label = rowLabels.indices.contains(r) ? String(displayToken(rowLabels[r]).prefix(labelWidth - 1)) : "" }
            else if windowedRows {
                label = (blockNames.isEmpty ? "" : blockNames[min(blockNames.count - 1, r / blockSize)]) + "\(r % blockSize)"
            } else if !blockNames.isEmpty, r % blockSize == 0 || previous.map({ $0 / blockSize != r / blockSize }) ?? true {
                label = blockNames[min(blockNames.count - 1, r / blockSize)]
            }
            previous = r
            let marked = markedRow.map { !blockNames.isEmpty ? r % blockSize == $0 : r == $0 } ?? false
            for line in 0..<z where y < area.maxY {
                if line == 0 {
                    buffer.put(NumberText.pad(label, labelWidth - 1), x: area.x, y: y, in: area, style: theme.dim, theme: theme)
                    if marked { buffer.put("▶", x: area.x + labelWidth - 1, y: y, in: area, style: theme.highlight, theme: theme) }
                }
                var x = area.x + labelWidth
                for c in shownCols {
                    let v = values[r * cols + c]
                    let t = scale > 0 ? v / scale : 0
                    var style = theme.heat(t)
                    if theme.mono, marked || c == markedColumn { style.modifiers.insert(.underline) }
                    buffer.put(String(repeating: theme.rampGlyph(t), count: cw), x: x, y: y, in: area, style: style, theme: theme)
                    x += cw
                }
                y += 1
            }
        }
    }

    /// Rows shown in `fit` lines: all, or per block a window around the marked unit.
    private func rowWindow(fit: Int) -> [Int] {
        guard rows > fit else { return Array(0..<rows) }
        let blocks = max(1, blockNames.count)
        let size = rows / blocks
        let perBlock = fit / blocks
        guard perBlock >= 1, blocks > 1 else {
            let first = windowStart(selected: markedRow ?? 0, count: rows, fit: max(1, fit))
            return Array(first..<min(rows, first + max(1, fit)))
        }
        let first = windowStart(selected: markedRow ?? 0, count: size, fit: perBlock)
        return (0..<blocks).flatMap { b in (first..<min(size, first + perBlock)).map { b * size + $0 } }
    }
}
