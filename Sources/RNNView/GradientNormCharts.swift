import RNNTrace

/// ‖dL/dh_t‖ over every step (and ‖dL/dc_t‖ beside it for the LSTM) on one log scale with decade labels:
/// where the backward sum view's gradient sits among the others, and how much the cell state keeps of it.
struct GradientNormCharts: View {
    let recording: Recording
    let step: Int
    let cover: QuestionCover
    let theme: Theme

    /// Norms per step of the shown layer: dL/dh, then dL/dc for the LSTM.
    var series: [(name: String, norms: [Double])] {
        let layer = recording.layers[recording.shownLayer]
        guard recording.hasGradients else { return [] }
        var out = [("‖dL/dh_t‖", (0..<recording.stepCount).map { Double(layer.hiddenGradientNorm(at: $0)) })]
        if recording.hasCellState, !layer.dCell.isEmpty {
            out.append(("‖dL/dc_t‖", (0..<recording.stepCount).map { t in
                Double(layer.dc(t)!.reduce(0) { $0 + $1 * $1 }.squareRoot())
            }))
        }
        return out
    }

    /// The one range of every positive, finite norm drawn.
    var range: ClosedRange<Double>? {
        let values = series.flatMap(\.norms).filter { $0.isFinite && $0 > 0 }
        guard let lo = values.min(), let hi = values.max() else { return nil }
        return lo...hi
    }

    /// Rows wanted: a title row and the chart (at most `limit` decade rows).
    func height(limit: Int) -> Int { range.map { NormLogChart.height($0, limit: limit) + 1 } ?? 0 }

    func render(in area: Rect, into buffer: inout Buffer) {
        guard let range, area.height >= 4 else { return }
        let all = series
        let columns = area.horizontal(Array(repeating: .fill(min: 0), count: all.count), gap: 2)
        for (s, column) in zip(all, columns) {
            buffer.put("\(s.name) over steps t=0…\(recording.stepCount - 1), one log scale", x: column.x, y: column.y, in: column,
                       style: theme.label, theme: theme)
            NormLogChart(norms: s.norms, current: step, range: range, cover: cover, theme: theme)
                .render(in: Rect(x: column.x, y: column.y + 1, width: column.width, height: column.height - 1), into: &buffer)
        }
    }
}
