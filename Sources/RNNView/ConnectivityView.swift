import RNNLessons
import Foundation
import RNNEngine
import RNNTrace

/// `--view connect` (after Distill's "Memorization in RNNs"): ‖∂L_t/∂x_s‖ over input position s (columns)
/// and prediction position t (rows, s ≤ t) on one log scale with decade labels — how far back each
/// prediction looks. Needs the model's weights; a trace read from a file says so instead.
/// A waiting lesson question about the output or the gradients covers the whole map; one about anything
/// else covers the rows from its step on.
struct ConnectivityView: ScreenView {
    let input: ScreenInput
    /// nil: the recording has no weights.
    let map: InputSensitivity?
    let theme: Theme

    var title: String { "Connectivity ‖∂L_t/∂x_s‖: how far back each prediction looks" }

    private let labelWidth = 12

    func render(in area: Rect, into buffer: inout Buffer) {
        let inner = buffer.box(area, title: title, focused: false, theme: theme)
        guard inner.width > 4, inner.height > 0 else { return }
        if cover.output || cover.gradients {
            coverUntilAnswered(&buffer, inner: inner, what: "how far back each prediction looks", theme: theme)
            return
        }
        guard let map else {
            let text = "A trace file carries no weights, so the gradients of each step's loss cannot be computed here. Open the model instead: rnnscope view --model MODEL --text \"…\" --view connect"
            for (i, line) in wrap(theme.text(text), width: inner.width - 2).enumerated() where i < inner.height {
                buffer.put(line, x: inner.x + 1, y: inner.y + i, in: inner, style: theme.warning, theme: theme)
            }
            return
        }
        let values = map.norms.filter { $0.isFinite && $0 > 0 }.map(Double.init)
        guard let largest = values.max(), let smallest = values.min() else {
            buffer.put("no step has a target: nothing to differentiate", x: inner.x + 1, y: inner.y, in: inner, style: theme.dim, theme: theme)
            return
        }
        let scale = DecadeScale(smallest: smallest, largest: largest)
        var y = inner.y
        let window = map.count < recording.stepCount
            ? "the last \(map.count) of \(recording.stepCount) steps (a window keeps this O(T²) map quick). "
            : ""
        let note = "\(window)Row t: step t's loss; column s: the input it read at step s (s ≤ t). Darker: the prediction depends more on that input."
        for line in wrap(theme.text(note), width: inner.width - 2) where y < inner.maxY - 2 {
            buffer.put(line, x: inner.x + 1, y: y, in: inner, style: theme.dim, theme: theme)
            y += 1
        }
        y = drawLegend(scale, y: y, in: inner, into: &buffer) + 1
        let grid = Rect(x: inner.x + 1, y: y, width: inner.width - 2, height: inner.maxY - y)
        guard grid.height >= 2, grid.width > labelWidth + 2 else { return }
        let steps = map.start..<(map.start + map.count)
        let cw = max(1, min(3, (grid.width - labelWidth) / map.count))
        let fitColumns = max(1, (grid.width - labelWidth) / cw)
        let fitRows = grid.height - 1
        let current = min(max(step, steps.lowerBound), steps.upperBound - 1)
        let t0 = steps.lowerBound + windowStart(selected: current - steps.lowerBound, count: map.count, fit: fitRows)
        let s0 = steps.lowerBound + windowStart(selected: current - steps.lowerBound, count: map.count, fit: fitColumns)
        let columns = s0..<min(steps.upperBound, s0 + fitColumns)
        // Header: input positions, every few columns.
        buffer.put("t \\ s", x: grid.x, y: grid.y, in: grid, style: theme.label, theme: theme)
        var nextFree = grid.x + labelWidth
        for s in columns {
            let x = grid.x + labelWidth + (s - s0) * cw
            if x >= nextFree, s % 5 == 0 || cw >= 3 || s == current {
                nextFree = x + buffer.put(String(s), x: x, y: grid.y, in: grid, style: s == current ? theme.highlight : theme.dim, theme: theme) + 1
            }
        }
        for (row, t) in (t0..<min(steps.upperBound, t0 + fitRows)).enumerated() {
            let ry = grid.y + 1 + row
            let label = (t == current ? "▶" : " ") + "t\(t) " + displayToken(recording.tokens[t])
            buffer.put(String(label.prefix(labelWidth - 1)), x: grid.x, y: ry, in: grid,
                       style: t == current ? theme.highlight : theme.label, theme: theme)
            if cover.waiting && t >= cover.step {
                buffer.put("covered until you answer the lesson's question", x: grid.x + labelWidth, y: ry, in: grid,
                           style: theme.dim, theme: theme)
                continue
            }
            if map.norm(loss: t, input: t) == nil && map.norm(loss: t, input: map.start) == nil {
                buffer.put("no target at this step", x: grid.x + labelWidth, y: ry, in: grid, style: theme.dim, theme: theme)
                continue
            }
            for s in columns where s <= t {
                guard let v = map.norm(loss: t, input: s) else { continue }
                let level = max(0.01, scale.level(Double(v)))
                let glyph = String(repeating: String(theme.rampGlyph(level)), count: cw)
                buffer.put(glyph, x: grid.x + labelWidth + (s - s0) * cw, y: ry, in: grid,
                           style: theme.heat(max(0.05, level)), theme: theme)
            }
        }
    }

    /// "1e-9 ▁ 1e-8 ▂ … 1e0 █": each decade's glyph and colour; returns the row it drew on.
    private func drawLegend(_ scale: DecadeScale, y: Int, in area: Rect, into buffer: inout Buffer) -> Int {
        var x = area.x + 1
        x += buffer.put("scale: ", x: x, y: y, in: area, style: theme.label, theme: theme)
        for d in scale.labelledDecades {
            let level = max(0.01, scale.level(pow(10, Double(d))))
            x += buffer.put("1e\(d) ", x: x, y: y, in: area, style: theme.dim, theme: theme)
            x += buffer.put(String(theme.rampGlyph(level)), x: x, y: y, in: area, style: theme.heat(max(0.05, level)), theme: theme)
            x += buffer.put(" ", x: x, y: y, in: area, theme: theme)
        }
        return y + 1
    }
}

/// One log scale over whole decades: 10^low … 10^high maps to 0 … 1.
struct DecadeScale {
    let low: Int
    let high: Int

    init(smallest: Double, largest: Double) {
        let hi = Int(log10(largest).rounded(.up))
        // At most 12 decades below the largest value: smaller ones draw as the weakest glyph.
        high = hi
        low = max(hi - 12, min(hi - 1, Int(log10(smallest).rounded(.down))))
    }

    /// The position of `v` on the scale, 0…1 (values below the scale at its bottom).
    func level(_ v: Double) -> Double {
        guard v > 0 else { return 0 }
        let x = (log10(v) - Double(low)) / Double(high - low)
        return min(1, max(0, x))
    }

    /// Every decade, or every other when there are many.
    var labelledDecades: [Int] {
        let stride = high - low > 8 ? 2 : 1
        return Array(Swift.stride(from: low, through: high, by: stride))
    }
}
