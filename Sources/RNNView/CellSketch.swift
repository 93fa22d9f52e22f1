/// A drawing of one recurrent cell: wires and nodes as lines of box-drawing text, and the numbers placed
/// on them. Built by `CellSketch.lstm` / `.gru` / `.plain`; drawn by `CellDiagramView`.
struct CellSketch {
    /// A number (or a short text) at a place on the drawing.
    struct Label {
        let x: Int
        let y: Int
        let text: String
        /// The value it shows, for its colour; nil for a name.
        let value: Double?
        /// A gradient, which a waiting lesson question may cover; its text without the number.
        var gradientName: String? = nil
    }

    /// The wires and nodes, one string per row; arrowheads point the forward way.
    var lines: [String]
    var labels: [Label] = []

    /// Columns the wires and the numbers take.
    var width: Int { max(lines.map(\.count).max() ?? 0, labels.map { $0.x + $0.text.count }.max() ?? 0) }
    var height: Int { lines.count }

    init(rows: Int) { lines = [String](repeating: "", count: rows) }

    /// Writes `text` at (x, y) over what is there, widening the row as needed.
    mutating func draw(_ text: String, x: Int, y: Int) {
        var row = Array(lines[y])
        if row.count < x + text.count { row += [Character](repeating: " ", count: x + text.count - row.count) }
        for (i, ch) in text.enumerated() { row[x + i] = ch }
        lines[y] = String(row)
    }

    mutating func horizontal(y: Int, from x0: Int, to x1: Int) {
        guard x1 >= x0 else { return }
        draw(String(repeating: "─", count: x1 - x0 + 1), x: x0, y: y)
    }

    mutating func vertical(x: Int, from y0: Int, to y1: Int) {
        guard y1 >= y0 else { return }
        for y in y0...y1 { draw("│", x: x, y: y) }
    }

    /// A box of 9 columns centred on `x`, rows y…y+2, `name` inside, the wire leaving upward when `up`.
    mutating func gateBox(x: Int, y: Int, name: String, up: Bool = true) {
        draw("┌───" + (up ? "┴" : "─") + "───┐", x: x - 4, y: y)
        let inner = String(repeating: " ", count: max(0, (7 - name.count) / 2)) + name
        draw("│" + inner + String(repeating: " ", count: max(0, 7 - inner.count)) + "│", x: x - 4, y: y + 1)
        draw("└───┬───┘", x: x - 4, y: y + 2)
    }

    /// The bus below the gate boxes: h_{t−1} and x_t enter every box.
    mutating func inputBus(y: Int, centres: [Int]) {
        draw("h_{t−1},x_t", x: 1, y: y)
        horizontal(y: y, from: 13, to: centres.max()!)
        for c in centres { draw("┴", x: c, y: y) }
        draw("┘", x: centres.max()!, y: y)
    }

    mutating func label(_ text: String, x: Int, y: Int, value: Double? = nil, gradientName: String? = nil) {
        labels.append(Label(x: x, y: y, text: text, value: value, gradientName: gradientName))
    }
}
