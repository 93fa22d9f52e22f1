import Foundation
import RNNTrace

/// The cell diagram's numbers as equations, for an area too small for the drawing: the same values,
/// printed the same way, so that each line's result can be recomputed from its terms.
struct CellEquationsView: ScreenView {
    let input: ScreenInput
    /// The cell diagram's choice: gradients where the recording holds them and the mode is backward.
    let backward: Bool
    let theme: Theme

    func render(in area: Rect, into buffer: inout Buffer) {
        var y = area.y
        for line in lines {
            for piece in wrap(theme.text(line), width: max(1, area.width - 2)) where y < area.maxY {
                buffer.put(piece, x: area.x + 1, y: y, in: area, style: y == area.y ? theme.dim : theme.plain, theme: theme)
                y += 1
            }
        }
    }

    private func n(_ v: Double) -> String { WireNumber.text(v, gradient: false) }
    private func d(_ v: Double) -> String { WireNumber.text(v, gradient: true) }

    var lines: [String] {
        let s = recording.step(step), u = unit
        let h = s.h[u], hPrev = s.hPrev[u]
        var out = ["(too small for the drawing: the cell as equations)"]
        switch recording.cell {
        case .lstm:
            let f = s.gate(.forget)![u], i = s.gate(.input)![u], g = s.gate(.cell)![u], o = s.gate(.output)![u]
            let cPrev = s.cPrev?[u] ?? 0, c = s.c?[u] ?? 0
            if backward, let grad = s.grad {
                out.append("dL/dh_t \(d(grad.h[u]))  dL/dc_t \(d(grad.c?[u] ?? 0))")
                out.append("dL/da: " + [Gate.forget, .input, .cell, .output].map { "\($0.symbol) \(d(CellSketch.gateGradient(s, $0, unit: u) ?? .nan))" }.joined(separator: "  "))
            } else {
                out.append("f \(n(f))  i \(n(i))  g \(n(g))  o \(n(o))")
                out.append("c_t = f·c_{t−1} + i·g = \(n(f))·\(n(cPrev)) + \(n(i))·\(n(g)) = \(n(c))")
                out.append("h_t = o·tanh(c_t) = \(n(o))·\(n(tanh(c))) = \(n(h))")
            }
        case .gru:
            let r = s.gate(.reset)![u], z = s.gate(.update)![u], nn = s.gate(.new)![u]
            if backward, let grad = s.grad {
                out.append("dL/dh_t \(d(grad.h[u]))  to h_{t−1} directly: dh·z \(d(grad.h[u] * z))")
                out.append("dL/da: " + [Gate.reset, .update, .new].map { "\($0.symbol) \(d(CellSketch.gateGradient(s, $0, unit: u) ?? .nan))" }.joined(separator: "  "))
            } else {
                out.append("r \(n(r))  z \(n(z))  n \(n(nn))")
                out.append("h_t = (1−z)·n + z·h_{t−1} = \(n(1 - z))·\(n(nn)) + \(n(z))·\(n(hPrev)) = \(n(h))")
            }
        case .rnnTanh, .rnnRelu:
            let relu = recording.cell == .rnnRelu
            let a = s.preactivation?[u]
            if backward, let grad = s.grad {
                let slope = relu ? ((a ?? 0) > 0 ? 1.0 : 0.0) : 1 - h * h
                out.append("dL/da = dL/dh_t·\(relu ? "f′(a)" : "(1−h²)") = \(d(grad.h[u]))·\(n(slope)) = \(d(grad.h[u] * slope))")
            } else if let a {
                out.append("h_{t−1} \(n(hPrev))  a = W_hh·h_{t−1} + W_xh·x_t + b = \(n(a))")
                out.append("h_t = \(relu ? "relu" : "tanh")(a) = \(n(h))")
            } else {
                out.append("h_{t−1} \(n(hPrev))  h_t \(n(h))")
            }
        }
        return out
    }
}
