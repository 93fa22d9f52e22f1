import RNNLessons
import RNNTrace

/// `--view cell`: the cell of the shown layer drawn as a diagram with the selected unit's numbers on its
/// wires at the selected step (forward values, or in backward the gradients the recording holds), and
/// below it the chain unrolled over the steps around it. Where the diagram does not fit, the same
/// numbers as equations.
struct CellDiagramView: ScreenView {
    let input: ScreenInput
    let theme: Theme

    var title: String {
        "\(recording.cellDisplayName) cell · unit \(unit) · step \(step) \(displayToken(recording.tokens[step])) · \(mode.rawValue)"
    }

    /// Backward numbers are drawn only when the recording holds gradients.
    var backward: Bool { mode == .backward && recording.hasGradients }

    var sketch: CellSketch {
        let s = recording.step(step)
        switch recording.cell {
        case .lstm: return .lstm(s, unit: unit, backward: backward)
        case .gru: return .gru(s, unit: unit, backward: backward)
        case .rnnTanh, .rnnRelu:
            let layer = recording.layers[recording.shownLayer]
            let recorded = layer.block(layer.dPreactivations, 0, at: step).map { Double($0[$0.startIndex + unit]) }
            // A trace may keep dL/dh without dL/da: then dL/da = dL/dh · f′(a), as backpropagation computes it.
            let h = s.h[unit]
            let slope = recording.cell == .rnnRelu ? (h > 0 ? 1.0 : 0.0) : 1 - h * h
            let da = recorded ?? s.grad.map { $0.h[unit] * slope }
            return .plain(s, unit: unit, relu: recording.cell == .rnnRelu, backward: backward, da: da,
                          terms: PreactivationTerms(recording: recording, step: step, unit: unit))
        }
    }

    /// What the numbers mean, under the drawing.
    var legend: String {
        if mode == .backward && !recording.hasGradients {
            return "this recording holds no gradients: the forward values are shown"
        }
        guard backward else { return "forward: the numbers of unit \(unit) at step \(step); ←/→ step, ↑/↓ unit, b backward" }
        let layer = recording.layers[recording.shownLayer]
        let kept = recording.cell == .lstm ? "dL/dh and dL/dc" : "dL/dh"
        let reset = recording.cell == .gru ? "; r's would need W_hn·h_{t−1}, which a trace does not hold" : ""
        let derived = layer.dPreactivations.isEmpty
            ? " (this trace kept \(kept) but not dL/da: computed from them by the cell's derivative\(reset))" : ""
        let gates = "a gate's wire carries dL/da, the gradient before its σ/tanh\(derived)"
        switch recording.cell {
        case .lstm:
            return "backward: each number is dL/d(its wire): dL/dc_t and dL/dh_t at the right, what flows on to c_{t−1} at the left, under tanh the part of dL/dc_t that came through h_t; \(gates)"
        case .gru:
            return "backward: each number is dL/d(its wire): dL/dh_t at the right, dL/dh_t·z flowing straight on to h_{t−1} at the left, dL/dh_t·(1−z) into n; \(gates)"
        case .rnnTanh, .rnnRelu:
            return "backward: dL/dh_t at the right; dL/da = dL/dh_t·f′(a) on the sum's wire, which W_hhᵀ carries on to h_{t−1}"
        }
    }

    func render(in area: Rect, into buffer: inout Buffer) {
        guard recording.stepCount > 0, recording.hiddenSize > 0 else { return }
        let inner = buffer.box(area, title: title, focused: false, theme: theme)
        guard inner.width > 0, inner.height > 0 else { return }
        if cover.gates && !recording.cell.isPlainRNN {
            coverUntilAnswered(&buffer, inner: inner, what: "the gates", theme: theme)
            return
        }
        let k = sketch
        guard inner.width >= k.width + 1, inner.height >= k.height + 1 else {
            if hideGradients {
                coverUntilAnswered(&buffer, inner: inner, what: "the gradients", theme: theme)
                return
            }
            CellEquationsView(input: input, backward: backward, theme: theme)
                .render(in: inner, into: &buffer)
            return
        }
        draw(k, at: inner.x + 1, y: inner.y, in: inner, into: &buffer)
        var y = inner.y + k.height
        for line in wrap(theme.text(legend), width: inner.width - 2) where y < inner.maxY {
            buffer.put(line, x: inner.x + 1, y: y, in: inner, style: theme.dim, theme: theme)
            y += 1
        }
        let chain = Rect(x: inner.x, y: y + 1, width: inner.width, height: inner.maxY - y - 1)
        if chain.height >= UnrolledChainView.height(recording) {
            UnrolledChainView(input: input, backward: backward,
                              lastShown: hideGradients ? Int.max : cover.waiting ? cover.step : nil, theme: theme)
                .render(in: chain, into: &buffer)
        }
    }

    /// The wires (arrowheads turned round in backward), then the numbers over them.
    /// A waiting lesson question about the gradients: the wires and their names stay, the numbers wait.
    private var hideGradients: Bool { cover.gradients && backward }

    private func draw(_ k: CellSketch, at x0: Int, y y0: Int, in area: Rect, into buffer: inout Buffer) {
        for (dy, line) in k.lines.enumerated() {
            for (dx, ch) in line.enumerated() where ch != " " {
                let glyph = DiagramGlyph.glyph(ch, reversed: backward, ascii: theme.ascii)
                let style = DiagramGlyph.isNode(ch) ? theme.bold : DiagramGlyph.isWire(ch) ? theme.border : theme.label
                buffer.put(String(glyph), x: x0 + dx, y: y0 + dy, in: area, style: style, theme: theme)
            }
        }
        for l in k.labels {
            let style = l.value == nil ? theme.plain : theme.bold
            let text = hideGradients ? l.gradientName.map { $0.isEmpty ? "?" : "\($0) ?" } ?? l.text : l.text
            buffer.put(text, x: x0 + l.x, y: y0 + l.y, in: area, style: style, theme: theme)
        }
    }
}

/// The characters of a cell drawing: which are wires and nodes, how arrowheads turn round, and their
/// ASCII spellings (one column each, so the drawing keeps its shape).
enum DiagramGlyph {
    static func isWire(_ ch: Character) -> Bool { "─│┌┐└┘├┤┬┴┼▶◀▲▼".contains(ch) }
    static func isNode(_ ch: Character) -> Bool { "(×+)".contains(ch) }

    static func glyph(_ ch: Character, reversed: Bool, ascii: Bool) -> Character {
        var c = ch
        if reversed {
            switch ch {
            case "▶": c = "◀"
            case "◀": c = "▶"
            case "▲": c = "▼"
            case "▼": c = "▲"
            default: break
            }
        }
        guard ascii, !c.isASCII else { return c }
        switch c {
        case "─": return "-"
        case "│": return "|"
        case "┌", "┐", "└", "┘", "├", "┤", "┬", "┴", "┼": return "+"
        case "▶": return ">"
        case "◀": return "<"
        case "▲": return "^"
        case "▼": return "v"
        case "×": return "x"
        case "⊙", "·": return "*"
        case "σ": return "s"
        case "−": return "-"
        default: return "?"
        }
    }
}
