import Testing
@testable import RNNView

/// ‖dL/dh‖ on a log axis, a row per decade: a decay of nine decades is nine rows, one of 1.4× a fraction of one.
@Suite struct NormLogChartTests {
    /// Filled rows of each step's column (full blocks, plus a partial one as its share of a row).
    func heights(_ buffer: Buffer, columns: [Int], rows: Int) -> [Double] {
        let levels = Glyphs.unicodeSpark
        return columns.map { x in
            (0..<rows).reduce(0.0) { sum, y in
                guard let i = levels.firstIndex(of: buffer[x, y].symbol) else { return sum }
                return sum + Double(i + 1) / Double(levels.count)
            }
        }
    }

    @Test func nineDecadesAreNineRowsWithTheirLabels() {
        let range = 1e-9...1.0
        let height = NormLogChart.height(range, limit: 12)
        #expect(height == 10, "9 decades and the marker row")
        var buffer = Buffer(width: 40, height: height)
        // tanh-like: 1 → 1e-9 over 4 steps; LSTM-like would stay near 1.
        let chart = NormLogChart(norms: [1e-9, 1e-6, 1e-3, 1], current: 3, range: range, theme: Theme(ViewOptions(colorMode: .monochrome)))
        chart.render(in: buffer.area, into: &buffer)
        let lines = buffer.lines
        #expect(lines[0].hasPrefix("   1e0"), "\(lines.joined(separator: "\n"))")
        #expect(lines[8].hasPrefix("  1e-8"), "\(lines.joined(separator: "\n"))")
        let x0 = NormLogChart.labelWidth + 1
        let filled = heights(buffer, columns: [x0, x0 + 3, x0 + 6, x0 + 9], rows: 9)
        #expect(filled[0] == 0, "1e-9 is the bottom of the axis: \(filled)")
        #expect(abs(filled[1] - 3) < 0.2 && abs(filled[2] - 6) < 0.2 && abs(filled[3] - 9) < 0.2, "\(filled)")
        #expect(lines[9].contains("▲"), "the current step is marked")
    }

    @Test func aSmallChangeStaysAFractionOfARow() {
        let range = 0.7...1.0
        #expect(NormLogChart.decades(range) == (top: 0, bottom: -1))
        var buffer = Buffer(width: 30, height: 4)
        NormLogChart(norms: [0.7, 1.0], current: 0, range: range, theme: Theme(ViewOptions())).render(in: buffer.area, into: &buffer)
        let x0 = NormLogChart.labelWidth + 1
        let filled = heights(buffer, columns: [x0, x0 + 3], rows: 3)
        #expect(filled[1] - filled[0] <= 0.5, "a 1.4× change is half a row of a 3-row decade axis: \(filled)")
    }

    @Test func manyDecadesStepEvenly() {
        let range = 1e-20...0.5
        #expect(NormLogChart.decadesPerRow(range, rows: 12) == 2)
        #expect(NormLogChart.height(range, limit: 12) == 11, "20 decades in 10 rows of 2, and the marker row")
        var buffer = Buffer(width: 30, height: 11)
        NormLogChart(norms: [1e-20, 0.5], current: 1, range: range, theme: Theme(ViewOptions())).render(in: buffer.area, into: &buffer)
        let labels = buffer.lines.prefix(10).map { $0.prefix(NormLogChart.labelWidth).trimmingCharacters(in: .whitespaces) }
        #expect(labels == ["1e0", "1e-2", "1e-4", "1e-6", "1e-8", "1e-10", "1e-12", "1e-14", "1e-16", "1e-18"], "\(labels)")
    }

    @Test("‖dL/dc‖ sits as a marker in its decade's row: above a low ‖dL/dh‖ bar, cut out of a high one")
    func cellNormMarkersSitInTheirDecade() {
        let range = 1e-9...1.0
        var buffer = Buffer(width: 40, height: NormLogChart.height(range, limit: 12))
        // Step 0: dL/dh 1e-8, dL/dc 0.5e-2 (row of 1e-2 … 1e-3, far above the bar); step 1: dL/dh 1, dL/dc 1e-5.
        NormLogChart(norms: [1e-8, 1], current: 0, range: range, theme: Theme(ViewOptions(colorMode: .color256)),
                     cellNorms: [0.5e-2, 1e-5 * 1.5])
            .render(in: buffer.area, into: &buffer)
        let x0 = NormLogChart.labelWidth + 1
        let markers = (0..<9).flatMap { y in [x0, x0 + 3].compactMap { x in buffer[x, y].symbol == "◆" ? (x, y) : nil } }
        #expect(markers.count == 2, "\(buffer.lines.joined(separator: "\n"))")
        // Row y holds 1e-(y+1) … 1e-y: 0.005 in row 2, 1.5e-5 in row 4 (the label of a row is its top).
        #expect(markers.contains { $0 == (x0, 2) } && markers.contains { $0 == (x0 + 3, 4) }, "\(markers)")
        #expect(buffer[x0, 2].style.background == .default, "above the bar: on the terminal's background")
        #expect(buffer[x0 + 3, 4].style.background == Theme(ViewOptions(colorMode: .color256)).bar.foreground, "inside the bar: on its colour")
    }
}
