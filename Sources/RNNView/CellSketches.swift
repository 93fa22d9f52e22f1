import Foundation
import RNNTrace

/// The three cells drawn Olah-style with one unit's numbers on the wires. Forward: the values of step t.
/// Backward (when the recording has gradients): dL/d(wire) — dL/dh_t, dL/dc_t, and on each gate's wire
/// dL/da, the gradient of its pre-activation — with the arrowheads turned round.
extension CellSketch {
    /// Columns of the gate boxes; the tanh / h node of the LSTM sits at `outputColumn`.
    static let gateColumns = [17, 29, 41, 53]
    static let outputColumn = 62
    static let endColumn = 67

    /// LSTM: c_{t−1} → ×f → +(i⊙g) → c_t along the top, tanh(c) × o → h_t, four gate boxes over the bus.
    static func lstm(_ s: RecordedStep, unit u: Int, backward: Bool) -> CellSketch {
        var k = CellSketch(rows: 12)
        let (cf, ci, cg, co) = (gateColumns[0], gateColumns[1], gateColumns[2], gateColumns[3])
        let hx = outputColumn
        let ig = (ci + cg) / 2  // the i·g product, between its two gates, and the + above it
        k.draw("c_{t−1}", x: 1, y: 0)
        k.horizontal(y: 0, from: 9, to: endColumn)
        k.draw("(×)", x: cf - 1, y: 0)
        k.draw("(+)", x: ig - 1, y: 0)
        k.draw("┬", x: hx, y: 0)
        k.draw("▶ c_t", x: endColumn + 1, y: 0)
        k.vertical(x: cf, from: 1, to: 6)
        k.draw("▲", x: cf, y: 1)
        k.vertical(x: ig, from: 1, to: 2)
        k.draw("▲", x: ig, y: 1)
        k.vertical(x: hx, from: 1, to: 4)
        k.draw("tanh", x: hx - 2, y: 2)
        k.draw("▼", x: hx, y: 4)
        k.draw("┌", x: ci, y: 3)
        k.horizontal(y: 3, from: ci + 1, to: cg - 1)
        k.draw("(×)", x: ig - 1, y: 3)
        k.draw("┐", x: cg, y: 3)
        k.vertical(x: ci, from: 4, to: 6)
        k.vertical(x: cg, from: 4, to: 6)
        k.draw("┌", x: co, y: 5)
        k.horizontal(y: 5, from: co + 1, to: hx - 2)
        k.draw("▶", x: hx - 2, y: 5)
        k.draw("(×)", x: hx - 1, y: 5)
        k.horizontal(y: 5, from: hx + 2, to: endColumn)
        k.draw("▶ h_t", x: endColumn + 1, y: 5)
        k.vertical(x: co, from: 6, to: 6)
        for c in gateColumns { k.draw("▲", x: c, y: 6) }
        k.gateBox(x: cf, y: 7, name: "σ f")
        k.gateBox(x: ci, y: 7, name: "σ i")
        k.gateBox(x: cg, y: 7, name: "tanh g")
        k.gateBox(x: co, y: 7, name: "σ o")
        k.inputBus(y: 10, centres: gateColumns)

        let f = s.gate(.forget)![u], i = s.gate(.input)![u], g = s.gate(.cell)![u], o = s.gate(.output)![u]
        let cPrev = s.cPrev?[u] ?? 0, c = s.c?[u] ?? 0, h = s.h[u]
        if backward, let grad = s.grad {
            let dh = grad.h[u], dc = grad.c?[u] ?? 0
            k.number(dc * f, x: 1, y: 1, gradient: true)
            k.number(dc, x: endColumn + 1, y: 1, gradient: true)
            k.number(dh * o * (1 - tanh(c) * tanh(c)), x: hx + 3, y: 2, gradient: true)
            k.number(dh, x: endColumn + 1, y: 6, gradient: true)
            for (gate, column) in [(Gate.forget, cf), (.input, ci), (.cell, cg), (.output, co)] {
                if let d = gateGradient(s, gate, unit: u) { k.number(d, x: column + 2, y: 6, gradient: true) }
            }
        } else {
            k.number(cPrev, x: 1, y: 1, gradient: false)
            k.number(f * cPrev, x: cf + 2, y: 1, gradient: false, name: "f·c")
            k.number(i * g, x: ig + 2, y: 1, gradient: false, name: "i·g")
            k.number(c, x: endColumn + 1, y: 1, gradient: false)
            k.number(tanh(c), x: hx + 3, y: 2, gradient: false)
            k.number(h, x: endColumn + 1, y: 6, gradient: false)
            for (v, column) in [(f, cf), (i, ci), (g, cg), (o, co)] { k.number(v, x: column + 2, y: 6, gradient: false) }
            k.number(s.hPrev[u], x: 1, y: 11, gradient: false, name: "h_{t−1}")
        }
        k.label("x_t: \(displayToken(s.token).prefix(24))", x: 30, y: 11)
        return k
    }

    /// GRU: h_{t−1} → ×z → + ((1−z)·n) → h_t along the top; r scales the hidden part of n's sum.
    static func gru(_ s: RecordedStep, unit u: Int, backward: Bool) -> CellSketch {
        var k = CellSketch(rows: 12)
        let (cz, cr, cn) = (gateColumns[0], gateColumns[1], gateColumns[2])
        k.draw("h_{t−1}", x: 1, y: 0)
        k.horizontal(y: 0, from: 9, to: endColumn)
        k.draw("(×)", x: cz - 1, y: 0)
        k.draw("(+)", x: cn - 1, y: 0)
        k.draw("▶ h_t", x: endColumn + 1, y: 0)
        k.vertical(x: cz, from: 1, to: 6)
        k.draw("▲", x: cz, y: 1)
        k.vertical(x: cn, from: 1, to: 3)
        k.draw("▲", x: cn, y: 1)
        k.draw("├", x: cz, y: 4)
        k.horizontal(y: 4, from: cz + 1, to: cn - 3)
        k.draw("(1−)", x: 24, y: 4)
        k.draw("▶", x: cn - 2, y: 4)
        k.draw("(×)", x: cn - 1, y: 4)
        k.vertical(x: cn, from: 5, to: 6)
        k.draw("▲", x: cz, y: 6)
        k.draw("▲", x: cn, y: 6)
        k.gateBox(x: cz, y: 7, name: "σ z")
        k.gateBox(x: cr, y: 7, name: "σ r", up: false)
        k.draw("──▶", x: cr + 5, y: 8)
        k.gateBox(x: cn, y: 7, name: "tanh n")
        k.draw("r⊙(W_hn·h+b)", x: cn + 6, y: 8)
        k.inputBus(y: 10, centres: [cz, cr, cn])

        let z = s.gate(.update)![u], r = s.gate(.reset)![u], n = s.gate(.new)![u]
        let hPrev = s.hPrev[u], h = s.h[u]
        if backward, let grad = s.grad {
            let dh = grad.h[u]
            k.number(dh * z, x: 1, y: 1, gradient: true)
            k.number(dh, x: endColumn + 1, y: 1, gradient: true)
            k.number(dh * (1 - z), x: cn + 2, y: 2, gradient: true, name: "dh·(1−z)")
            for (gate, column) in [(Gate.update, cz), (.reset, cr), (.new, cn)] {
                if let d = gateGradient(s, gate, unit: u) { k.number(d, x: column + 2, y: 6, gradient: true) }
            }
        } else {
            k.number(hPrev, x: 1, y: 1, gradient: false)
            k.number(z * hPrev, x: cz + 2, y: 1, gradient: false, name: "z·h")
            k.number((1 - z) * n, x: cn + 2, y: 2, gradient: false, name: "(1−z)·n")
            k.number(1 - z, x: 24, y: 3, gradient: false)
            k.number(h, x: endColumn + 1, y: 1, gradient: false)
            for (v, column) in [(z, cz), (r, cr), (n, cn)] { k.number(v, x: column + 2, y: 6, gradient: false) }
            k.number(hPrev, x: 1, y: 11, gradient: false, name: "h_{t−1}")
        }
        k.label("x_t: \(displayToken(s.token).prefix(24))", x: 30, y: 11)
        return k
    }

    /// tanh (or ReLU) RNN: a = W_hh·h_{t−1} + W_xh·x_t + b, then the nonlinearity gives h_t.
    static func plain(_ s: RecordedStep, unit u: Int, relu: Bool, backward: Bool, da: Double?,
                      terms: PreactivationTerms?) -> CellSketch {
        var k = CellSketch(rows: terms == nil || backward ? 7 : 8)
        let name = relu ? "relu" : "tanh"
        k.draw("a = W_hh·h_{t−1} + W_xh·x_t + b", x: 14, y: 0)
        k.draw("┌──────┐", x: 45, y: 1)
        k.draw("h_{t−1}", x: 1, y: 2)
        k.horizontal(y: 2, from: 9, to: 20)
        k.draw("▶(+)", x: 21, y: 2)
        k.horizontal(y: 2, from: 25, to: 43)
        k.draw("▶│ \(name) │", x: 44, y: 2)
        k.horizontal(y: 2, from: 53, to: 62)
        k.draw("▶ h_t", x: 63, y: 2)
        k.draw("└──────┘", x: 45, y: 3)
        k.draw("▲", x: 23, y: 3)
        k.draw("x_t", x: 1, y: 4)
        k.horizontal(y: 4, from: 5, to: 22)
        k.draw("┘", x: 23, y: 4)

        let h = s.h[u]
        let a = s.preactivation?[u]
        let slope = relu ? (h > 0 ? 1.0 : 0.0) : 1 - h * h
        if backward, let grad = s.grad {
            let dh = grad.h[u]
            k.number(dh, x: 63, y: 3, gradient: true)
            if let da { k.number(da, x: 26, y: 3, gradient: true, name: "dL/da") }
            k.number(slope, x: 45, y: 4, gradient: false, name: relu ? "f′(a)" : "1−h²")
        } else {
            k.number(s.hPrev[u], x: 1, y: 3, gradient: false)
            if let a { k.number(a, x: 26, y: 3, gradient: false, name: "a") }
            k.number(h, x: 63, y: 3, gradient: false)
            if let terms {
                let n = { WireNumber.text($0, gradient: false) }
                k.label("a = W_hh·h_{t−1} + W_xh·x_t + b = \(n(terms.recurrent)) + \(n(terms.input)) + \(n(terms.bias)) = \(n(a ?? terms.sum))",
                        x: 1, y: 7)
            }
        }
        k.label("x_t: \(displayToken(s.token).prefix(24))", x: 1, y: 5)
        return k
    }

    /// dL/da of `gate` for unit u: as recorded, or — for a trace that kept dL/dh and dL/dc but not the
    /// pre-activation gradients — by the cell's local derivative, as backpropagation computes it. nil for
    /// the GRU's r, whose derivative needs W_hn·h_{t−1}, which a trace does not hold.
    static func gateGradient(_ s: RecordedStep, _ gate: Gate, unit u: Int) -> Double? {
        guard let grad = s.grad else { return nil }
        if let d = grad.gate(gate)?[u] { return d }
        let dh = grad.h[u]
        func v(_ g: Gate) -> Double { s.gate(g)?[u] ?? 0 }
        switch gate {
        case .input: return (grad.c?[u] ?? 0) * v(.cell) * v(.input) * (1 - v(.input))
        case .forget: return (grad.c?[u] ?? 0) * (s.cPrev?[u] ?? 0) * v(.forget) * (1 - v(.forget))
        case .cell: return (grad.c?[u] ?? 0) * v(.input) * (1 - v(.cell) * v(.cell))
        case .output: return dh * tanh(s.c?[u] ?? 0) * v(.output) * (1 - v(.output))
        case .update: return dh * (s.hPrev[u] - v(.new)) * v(.update) * (1 - v(.update))
        case .new: return dh * (1 - v(.update)) * (1 - v(.new) * v(.new))
        case .reset: return nil
        }
    }

    /// A number on a wire, with an optional name before it ("f·c +0.466").
    mutating func number(_ v: Double, x: Int, y: Int, gradient: Bool, name: String? = nil) {
        let text = WireNumber.text(v, gradient: gradient)
        label(name.map { "\($0) \(text)" } ?? text, x: x, y: y, value: v, gradientName: gradient ? (name ?? "") : nil)
    }
}
