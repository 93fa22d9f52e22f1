import RNNTrace
import RNNLessons

/// tanh RNN, LSTM and GRU on the same input, side by side: this step's h rows and gates, the ‖dL/dh‖ chart,
/// the prediction, then, in the rows left, every unit's h (and c) over time.
struct CompareView: View {
    let scene: Scene
    let theme: Theme
    /// Each cell's recording and its whole-run statistics.
    let cells: [(recording: Recording, statistics: TraceStatistics)]

    func render(in area: Rect, into buffer: inout Buffer) {
        guard !cells.isEmpty else { return }
        let columns = area.horizontal(Array(repeating: .fill(min: 0), count: cells.count))
        let statistics = cells.map(\.statistics)
        // One log scale for every column: a decay of nine orders of magnitude and one of 1.4× must not both
        // fill the sparkline from bottom to top.
        let ranges = statistics.compactMap(\.positiveNormRange)
        let shared = ranges.isEmpty ? nil : ranges.map(\.lowerBound).min()!...ranges.map(\.upperBound).max()!
        // The decade chart marks ‖dL/dc‖ of the LSTM on the same axis, so its range holds those norms too.
        let cellNorms = statistics.flatMap(\.cNorms).filter { $0.isFinite && $0 > 0 }
        let chartRange = shared.map { h in
            cellNorms.isEmpty ? h : min(h.lowerBound, cellNorms.min()!)...max(h.upperBound, cellNorms.max()!)
        }
        // Every column's ‖dL/dh‖ section starts on the same row, so the decade axes line up across cells.
        let gradientRow = cells.map { Self.rowsAboveGradients($0.recording, cover: scene.cover) }.max() ?? 0
        var drawn: [(inner: Rect, next: Int)?] = []
        for (k, (trace, col)) in zip(cells.map(\.recording), columns).enumerated() {
            drawn.append(renderColumn(trace, statistics: statistics[k], normRange: shared, chartRange: chartRange, gradientRow: gradientRow, in: col, into: &buffer))
        }
        renderHeat(in: drawn, into: &buffer)
    }

    /// Units × time heat rows below what every column shows, from the same row and over the same steps in
    /// each column, so a step sits at the same place in every cell; nothing where no rows are left.
    private func renderHeat(in drawn: [(inner: Rect, next: Int)?], into buffer: inout Buffer) {
        let shown = drawn.compactMap { $0 }
        guard shown.count == drawn.count, let narrowest = shown.map(\.inner.width).min(),
              let below = shown.map(\.next).max() else { return }
        let top = below + 1
        let stepCount = cells.map(\.recording.stepCount).max() ?? 0
        let window = UnitTimeHeat.stepWindow(stepCount: stepCount, plotWidth: narrowest - UnitTimeHeat.labelWidth, current: scene.step)
        for (trace, column) in zip(cells.map(\.recording), shown) {
            let steps = window.steps.clamped(to: 0..<trace.stepCount)
            var area = Rect(x: column.inner.x, y: top, width: column.inner.width, height: column.inner.maxY - top)
            let unit = min(scene.unit, max(0, trace.hiddenSize - 1))
            var quantities: [OverviewQuantity] = [.hidden]
            if trace.hasCellState { quantities.append(.cell) }
            for quantity in quantities {
                let used = UnitTimeHeat(recording: trace, quantity: quantity, steps: steps, columnWidth: window.columnWidth,
                                        current: scene.step, selected: unit, cover: scene.cover, theme: theme)
                    .render(in: area, into: &buffer)
                // c only below an h that shows every unit.
                guard used == UnitTimeHeat.fullHeight(units: trace.hiddenSize, theme: theme) else { break }
                area = Rect(x: area.x, y: area.y + used, width: area.width, height: area.height - used)
            }
        }
    }

    /// Rows a column draws above its ‖dL/dh‖ section: h_{t-1}, h_t, c_t for an LSTM, the gate rows (or one
    /// line saying there are none, or that they wait for the answer), then a blank row.
    static func rowsAboveGradients(_ trace: Recording, cover: QuestionCover) -> Int {
        let gates = trace.cell.gates
        let heatRows = 2 + (trace.hasCellState ? 1 : 0) + (cover.gates ? 0 : gates.count)
        let note = gates.isEmpty || cover.gates ? 1 : 0
        return heatRows + note + 1
    }

    /// Draws a column's step values, gradients and prediction; returns its inner area and the first row left
    /// below them (nil when the column is too small to show a step).
    private func renderColumn(_ trace: Recording, statistics: TraceStatistics, normRange: ClosedRange<Double>?, chartRange: ClosedRange<Double>?,
                              gradientRow: Int, in area: Rect,
                              into buffer: inout Buffer) -> (inner: Rect, next: Int)? {
        let step = min(scene.step, max(0, trace.stepCount - 1))
        // A comparison model that was not trained says so, so its numbers are not read as a trained model's.
        let untrained = trace.modelName?.contains("untrained") == true
        let title = "\(trace.cellDisplayName) H=\(trace.hiddenSize)" + (untrained ? " · untrained" : "")
        let cover = scene.cover
        let inner = buffer.box(area, title: title, focused: false, theme: theme,
                               rightTitle: cover.output ? nil : trace.loss.map { "loss \(NumberText.short($0))" })
        guard (0..<trace.stepCount).contains(step), inner.height > 0, inner.width > 12 else { return nil }
        let s = trace.step(step)
        // Short labels (gates by their symbol) so that a 32-unit strip fits a 40-column cell at 120×40;
        // the ‖dL/dh‖ section below keeps its wider labels.
        let labelW = 5
        let chartLabelW = 9
        let unit = min(scene.unit, max(0, s.h.count - 1))
        let grid = HeatGrid(x: inner.x, width: inner.width, labelWidth: labelW, units: s.h.count, selected: unit)
        var rows: [(String, [Double], HeatPalette)] = [("h_t-1", s.hPrev, .diverging), ("h_t", s.h, .diverging)]
        if let c = s.c { rows.append(("c_t", c, .diverging)) }
        if !cover.gates {
            for g in trace.cell.gates { rows.append((g.symbol, s.gate(g) ?? [], HeatPalette.forGate(g))) }
        }
        var y = inner.y
        for (label, values, palette) in rows where y < inner.maxY {
            buffer.heatRow(label: label, values: values, grid: grid, y: y, in: inner, theme: theme, selected: unit, palette: palette)
            y += 1
        }
        if cover.gates, !trace.cell.gates.isEmpty, y < inner.maxY {
            buffer.put("gates shown after the question", x: inner.x + labelW + 1, y: y, in: inner, style: theme.dim, theme: theme)
            y += 1
        } else if trace.cell.gates.isEmpty, y < inner.maxY {
            buffer.put("(no gates)", x: inner.x + labelW + 1, y: y, in: inner, style: theme.dim, theme: theme)
            y += 1
        }
        y = max(y + 1, inner.y + gradientRow)
        if y + 1 < inner.maxY {
            buffer.put("‖dL/dh‖", x: inner.x, y: y, in: inner, style: theme.label, theme: theme)
            buffer.put("log, all", x: inner.x, y: y + 1, in: inner, style: theme.dim, theme: theme)
            // With room below (the prediction line still fits), a row per decade; else the one-row sparkline.
            let chartHeight = chartRange.map { NormLogChart.height($0, limit: 12) } ?? 0
            if cover.gradients {
                buffer.put("shown after the question", x: inner.x + chartLabelW + 1, y: y, in: inner, style: theme.dim, theme: theme)
                y += 4
            } else if let range = chartRange, chartHeight >= 3, inner.maxY - y >= chartHeight + 2 {
                buffer.put("one scale", x: inner.x, y: y + 2, in: inner, style: theme.dim, theme: theme)
                buffer.put("all cells", x: inner.x, y: y + 3, in: inner, style: theme.dim, theme: theme)
                if !statistics.cNorms.isEmpty, chartHeight >= 6 {
                    buffer.put(String(NormLogChart.cellMarker(theme)), x: inner.x, y: y + 5, in: inner,
                               style: NormLogChart.cellMarkerStyle(theme, inBar: nil), theme: theme)
                    buffer.put(theme.text("‖dL/dc‖"), x: inner.x + 2, y: y + 5, in: inner, style: theme.label, theme: theme)
                }
                NormLogChart(norms: statistics.hNorms, current: step, range: range, cover: cover, theme: theme,
                             cellNorms: statistics.cNorms)
                    .render(in: Rect(x: inner.x + chartLabelW, y: y, width: inner.width - chartLabelW, height: chartHeight), into: &buffer)
                y += chartHeight + 1
            } else {
                drawNormSparkline(&buffer, statistics: statistics, current: step, x: inner.x + chartLabelW + 1, y: y,
                                  width: inner.width - chartLabelW - 1, in: inner, theme: theme, range: normRange, cover: cover)
                if let range = normRange, y + 2 < inner.maxY {
                    let scale = "one scale: \(NumberText.short(range.lowerBound))…\(NumberText.short(range.upperBound))"
                    buffer.put(scale, x: inner.x + chartLabelW + 1, y: y + 2, in: inner, style: theme.dim, theme: theme)
                }
                y += 4
            }
        }
        if y < inner.maxY, cover.output {
            buffer.put("prediction hidden until you answer", x: inner.x + 1, y: y, in: inner, style: theme.dim, theme: theme)
        } else if y < inner.maxY, case let probs = s.probs, let best = probs.indices.max(by: { probs[$0] < probs[$1] }) {
            var text = "predicts \(displayToken(trace.vocab.indices.contains(best) ? trace.vocab[best] : "?")) \(NumberText.short(probs[best], decimals: 2))"
            if let target = s.target, probs.indices.contains(target) {
                text += ", target p=\(NumberText.short(probs[target], decimals: 2))"
            }
            buffer.put(text, x: inner.x + 1, y: y, in: inner, theme: theme)
        }
        return (inner, y + 1)
    }
}
