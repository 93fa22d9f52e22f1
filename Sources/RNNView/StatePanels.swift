import Foundation
import RNNTrace
import RNNLessons

/// Legend of a scale, for a border line: diverging "-1 ▇▅▂ 0 ▂▅▇ +1", sequential "0 ▂▄▆█ 1".
@discardableResult
func drawLegend(_ buffer: inout Buffer, x: Int, y: Int, in area: Rect, theme: Theme, scale: Double = 1,
                palette: HeatPalette = .diverging) -> Int {
    let stops: [Double] = palette == .sequential ? [0.17, 0.33, 0.5, 0.66, 0.83, 1] : [-1, -0.66, -0.33, 0, 0.33, 0.66, 1]
    let lo = palette == .sequential ? "0" : scale == 1 ? "-1" : "-" + NumberText.short(scale, decimals: 2)
    let hi = palette == .sequential ? "1" : scale == 1 ? "+1" : "+" + NumberText.short(scale, decimals: 2)
    var cx = x
    cx += buffer.put(" \(lo) ", x: cx, y: y, in: area, style: theme.dim, theme: theme)
    for s in stops {
        buffer.put(s == 0 ? "0" : String(theme.rampGlyph(s)), x: cx, y: y, in: area,
                   style: s == 0 ? theme.heat(s, palette: palette) : theme.heatGlyph(s, palette: palette), theme: theme)
        cx += 1
    }
    cx += buffer.put(" \(hi) ", x: cx, y: y, in: area, style: theme.dim, theme: theme)
    return cx - x
}

/// What x_t holds, said by what its index means: the token of a one-hot vector, the number a series reads,
/// else the vector itself (an embedding row, indexed e0…; above layer 1, the h_t of the layer below).
enum InputDescription {
    case text(String)
    case oneHot(token: String, index: Int, count: Int)
    case vector(label: String, values: [Double])

    /// The one-hot vector in words, as long as `width` allows.
    static func oneHotText(token: String, index: Int, count: Int, width: Int) -> String {
        [
            "one-hot \"\(token)\": 1 at index \(index) of \(count), 0 elsewhere",
            "one-hot \"\(token)\": 1 at index \(index) of \(count)",
            "\"\(token)\" one-hot, index \(index)/\(count)",
        ].first { $0.count <= width } ?? "\"\(token)\" #\(index)"
    }

    init(_ recording: Recording, step: RecordedStep, layer: Int) {
        let x = step.x
        if layer > 0 {
            // Layer k ≥ 1 of a stacked model reads the h_t of the layer below (numbered from 1 on screen).
            self = .vector(label: "h_t L\(layer)", values: x)
        } else if recording.isRegression, x.count == 1 {
            self = .text("the number \(NumberText.short(x[0]))")
        } else if !recording.isRegression, x.count == recording.vocab.count,
                  let hot = x.firstIndex(of: 1), x.allSatisfy({ $0 == 0 || $0 == 1 }), x.filter({ $0 == 1 }).count == 1 {
            self = .oneHot(token: displayToken(recording.vocab[hot]), index: hot, count: x.count)
        } else {
            self = .vector(label: "x_t e0…", values: x)
        }
    }
}

/// x_t, h_{t-1} → h_t and (LSTM) c_{t-1} → c_t as heat rows.
struct StatePanel: View {
    let scene: Scene
    let theme: Theme

    static func height(_ scene: Scene) -> Int { (scene.recording.hasCellState ? 5 : 3) + 3 }

    func render(in area: Rect, into buffer: inout Buffer) {
        let inner = buffer.box(area, title: "State at t=\(scene.step)\(scene.layerSuffix)", focused: scene.isFocused(.state), keyboard: scene.hasKeyboardFocus(.state), theme: theme)
        if area.height >= 2 { drawLegend(&buffer, x: area.x + 2, y: area.maxY - 1, in: area.inset(dx: 1, dy: 0), theme: theme) }
        guard let s = scene.current, inner.height > 0, inner.width > 12 else { return }
        let labelW = 8
        var rows: [(String, [Double])] = [("h_{t-1}", s.hPrev), ("h_t", s.h)]
        if let cp = s.cPrev, let c = s.c { rows += [("c_{t-1}", cp), ("c_t", c)] }
        let grid = HeatGrid(x: inner.x, width: inner.width, labelWidth: labelW, units: s.h.count, selected: scene.unit)
        var y = inner.y
        // x_t is indexed by what it reads, not by hidden unit: it goes above the units' header.
        switch InputDescription(scene.recording, step: s, layer: scene.layer) {
        case .text(let text):
            buffer.put(NumberText.pad("x_t", labelW), x: inner.x, y: y, in: inner, style: theme.label, theme: theme)
            buffer.put(text, x: inner.x + labelW + 1, y: y, in: inner, theme: theme)
        case let .oneHot(token, index, count):
            let text = InputDescription.oneHotText(token: theme.text(token), index: index, count: count, width: inner.width - labelW - 1)
            buffer.put(NumberText.pad("x_t", labelW), x: inner.x, y: y, in: inner, style: theme.label, theme: theme)
            buffer.put(text, x: inner.x + labelW + 1, y: y, in: inner, theme: theme)
        case let .vector(label, values):
            let inputGrid = HeatGrid(x: inner.x, width: inner.width, labelWidth: labelW, units: values.count, selected: 0)
            buffer.heatRow(label: label, values: values, grid: inputGrid, y: y, in: inner, theme: theme, selected: nil, fromStart: true)
        }
        y += 1
        buffer.unitHeader(grid, count: s.h.count, y: y, in: inner, theme: theme, selected: scene.unit)
        y += 1
        for (label, values) in rows where y < inner.maxY {
            buffer.heatRow(label: label, values: values, grid: grid, y: y, in: inner, theme: theme,
                           selected: scene.unit)
            y += 1
        }
    }
}

/// Gate values per unit (LSTM i f g o, GRU r z n); the tanh RNN shows its pre-activation instead.
struct GatesPanel: View {
    let scene: Scene
    let theme: Theme

    /// Rows for values, plus room for meanings ordered by how much they teach.
    static func height(_ scene: Scene, meanings: Int) -> Int {
        let n = scene.recording.cell.gates.count
        return n == 0 ? 5 : n + min(n, meanings) + 2
    }

    func render(in area: Rect, into buffer: inout Buffer) {
        let t = scene.recording
        let title = (t.cell.gates.isEmpty ? "Pre-activation" : "Gates (σ: 0…1, tanh: −1…1)") + scene.layerSuffix
        let inner = buffer.box(area, title: title, focused: scene.isFocused(.gates), keyboard: scene.hasKeyboardFocus(.gates), theme: theme)
        guard let s = scene.current, inner.height > 0, inner.width > 12 else { return }
        if scene.cover.gates {
            coverUntilAnswered(&buffer, inner: inner, what: "the gates", theme: theme)
            return
        }
        if area.height >= 2, !t.cell.gates.isEmpty {
            // Both scales: σ gates in 0…1 (sequential), the tanh candidate in −1…1 (diverging).
            let legendArea = area.inset(dx: 1, dy: 0)
            let w = drawLegend(&buffer, x: area.x + 2, y: area.maxY - 1, in: legendArea, theme: theme, palette: .sequential)
            drawLegend(&buffer, x: area.x + 3 + w, y: area.maxY - 1, in: legendArea, theme: theme)
        }
        let labelW = 9
        let grid = HeatGrid(x: inner.x, width: inner.width, labelWidth: labelW, units: s.h.count, selected: scene.unit)
        if t.cell.gates.isEmpty {
            // relu(a) = a for a > 0: without recorded pre-activations, h is a's best stand-in.
            let relu = t.cell == .rnnRelu
            let pre = s.preactivation ?? (relu ? s.h : s.h.map { atanh($0) })
            buffer.heatRow(label: "a_t", values: pre, grid: grid, y: inner.y, in: inner, theme: theme, selected: scene.unit)
            let lines = relu ? ["a_t is the value before relu:", "h_t = relu(a_t) = max(0, a_t). No gates."]
                             : ["a_t is the value before tanh:", "h_t = tanh(a_t). No gates here."]
            for (i, l) in lines.enumerated() where inner.y + 1 + i < inner.maxY {
                buffer.put(l, x: inner.x + 1, y: inner.y + 1 + i, in: inner, style: theme.dim, theme: theme)
            }
            return
        }
        var y = inner.y
        let shown = grid.range(count: s.h.count)
        let cells = grid.isStrip ? shown.count + HeatGrid.stripNote : shown.count * grid.cellWidth
        let used = labelW + 1 + cells + (shown.count < s.h.count ? 8 : 0) + 2
        let longest = t.cell.gates.map { theme.text($0.meaning).count }.max() ?? 0
        // Meanings go beside the values only when every one fits there, else in lines below.
        let inlineFits = inner.width - used >= longest
        for g in t.cell.gates where y < inner.maxY {
            let (label, meaning) = (g.label, g.meaning)
            buffer.heatRow(label: label, values: s.gate(g) ?? [], grid: grid, y: y, in: inner, theme: theme,
                           selected: scene.unit, palette: HeatPalette.forGate(g))
            if inlineFits { buffer.put(meaning, x: inner.x + used, y: y, in: inner, style: theme.dim, theme: theme) }
            y += 1
        }
        guard !inlineFits else { return }
        // The most instructive meanings first: LSTM's forget gate, GRU's update gate.
        let order: [Gate] = t.cell == .lstm ? [.forget, .input, .output, .cell] : [.update, .reset, .new]
        for g in order where y < inner.maxY {
            let (label, meaning) = (g.label, g.meaning)
            buffer.put("\(label): \(meaning)", x: inner.x + 1, y: y, in: inner, style: theme.dim, theme: theme)
            y += 1
        }
    }
}

/// Predict, then reveal: while a lesson question about a panel waits, its values stay covered.
func coverUntilAnswered(_ buffer: inout Buffer, inner: Rect, what: String, theme: Theme) {
    let text = "Hidden until you answer the lesson's question: predict first, then see \(what)."
    for (i, l) in wrap(theme.text(text), width: max(1, inner.width - 2)).enumerated() where i < inner.height {
        buffer.put(l, x: inner.x + 1, y: inner.y + i, in: inner, style: theme.dim, theme: theme)
    }
}
