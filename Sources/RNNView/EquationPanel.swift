import Foundation
import RNNTrace

/// One line of the equation panel; lower `priority` numbers survive when the panel is short.
struct EquationLine {
    var text: String
    var priority: Int
    var style: EquationStyle = .equation
    /// Lines of one wrapped equation share a group and are kept or dropped together.
    var group = 0
    enum EquationStyle { case equation, live, note }
}

/// Writes "lhs = a = b = c", continuing on indented lines at " = " when it is wider than `width`.
func chain(_ lhs: String, _ parts: [String], width: Int, priority: Int) -> [EquationLine] {
    var lines: [EquationLine] = []
    var line = lhs
    let indent = String(repeating: " ", count: min(lhs.count, 8))
    for p in parts {
        let piece = " = " + p
        if line.count + piece.count > width, line != lhs, line != indent {
            lines.append(EquationLine(text: line, priority: priority, style: .live))
            line = indent + piece
        } else {
            line += piece
        }
    }
    lines.append(EquationLine(text: line, priority: priority, style: .live))
    return lines
}

/// Breaks an equation before its " + " / " = " terms when it is wider than `width`.
func breakEquation(_ text: String, width: Int) -> [String] {
    guard text.count > width else { return [text] }
    let indent = String(repeating: " ", count: min(6, max(0, width / 4)))
    var pieces: [String] = []
    var rest = Substring(text)
    while let r = rest.range(of: " + ", options: [], range: rest.index(after: rest.startIndex)..<rest.endIndex) {
        pieces.append(String(rest[..<r.lowerBound]))
        rest = rest[r.lowerBound...].dropFirst()
    }
    pieces.append(String(rest))
    var lines: [String] = []
    var line = ""
    for p in pieces {
        if line.isEmpty { line = p } else if line.count + 1 + p.count <= width { line += " " + p } else {
            lines.append(line)
            line = indent + p
        }
    }
    lines.append(line)
    return lines.flatMap { $0.count > width ? wrap($0, width: width) : [$0] }
}

/// The cell's equations (PyTorch's form) and the selected unit's live numbers substituted.
struct EquationPanel: View {
    let state: AppState
    let theme: Theme

    func render(in area: Rect, into buffer: inout Buffer) {
        let title = state.mode == .forward ? "Equations, unit \(state.unit)" : "Backward equations, unit \(state.unit)"
        let inner = buffer.box(area, title: title, focused: isFocused(.equations, state), theme: theme)
        guard inner.height > 0, inner.width > 10 else { return }
        let width = inner.width - 2
        var lines = EquationPanel.lines(state, width: width, full: true)
        if lines.count > inner.height { lines = EquationPanel.lines(state, width: width, full: false) }
        if lines.count > inner.height {
            // Keep the most important equations whole, in their original order.
            var groups: [Int: (priority: Int, count: Int)] = [:]
            for l in lines { groups[l.group, default: (l.priority, 0)].count += 1 }
            var keep = Set<Int>(), used = 0
            for (g, v) in groups.sorted(by: { ($0.value.priority, $0.key) < ($1.value.priority, $1.key) })
            where used + v.count <= inner.height {
                keep.insert(g)
                used += v.count
            }
            lines = lines.filter { keep.contains($0.group) }
        }
        for (i, l) in lines.enumerated() {
            let style: Style = l.style == .live ? theme.bold : l.style == .note ? theme.dim : theme.plain
            buffer.put(l.text, x: inner.x + 1, y: inner.y + i, in: inner, style: style, theme: theme)
        }
    }

    static func lines(_ state: AppState, width: Int, full: Bool) -> [EquationLine] {
        guard let s = state.currentStep else { return [] }
        let u = state.unit
        func at(_ v: [Double]?) -> Double { guard let v, v.indices.contains(u) else { return .nan }; return v[u] }
        let n2 = { (v: Double) in Num.term(v) }
        let next = s.t >= 0 && s.t < state.trace.steps.count - 1 ? state.trace.steps[s.t + 1] : nil
        var out: [EquationLine] = []
        var group = 0
        func add(_ lines: [EquationLine]) {
            group += 1
            out += lines.map { var l = $0; l.group = group; return l }
        }
        // Long equations continue on indented lines, broken before " + " terms.
        func eq(_ t: String, _ p: Int) { add(breakEquation(t, width: width).map { EquationLine(text: $0, priority: p) }) }
        func note(_ t: String, _ p: Int) { add(wrap(t, width: width).map { EquationLine(text: $0, priority: p, style: .note) }) }
        // The live numbers quote gates and gradients: covered while a question about them waits.
        let liveCovered = state.gateQuestionIsOpen || state.gradientQuestionIsOpen
        func live(_ lhs: String, _ parts: [String], _ p: Int) {
            if liveCovered { return }
            add(chain(lhs, parts, width: width, priority: p))
        }
        let cell = state.trace.cell
        if state.mode == .forward {
            switch cell {
            case "lstm":
                if full {
                    eq("i_t = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)", 3)
                    eq("f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf)", 3)
                    eq("g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)", 3)
                    eq("o_t = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho)", 3)
                }
                eq("c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t", 1)
                eq("h_t = o_t ⊙ tanh(c_t)", 1)
                let f = at(s.gates["f"]), i = at(s.gates["i"]), g = at(s.gates["g"]), o = at(s.gates["o"])
                let cp = at(s.cPrev), c = at(s.c), h = at(s.h)
                live("c[\(u)]", ["f·c_prev + i·g", "\(n2(f))·\(n2(cp)) + \(n2(i))·\(n2(g))", Num.short(c)], 0)
                live("h[\(u)]", ["o·tanh(c)", "\(n2(o))·tanh(\(Num.short(c, decimals: 2)))", Num.short(h)], 0)
            case "gru":
                if full {
                    eq("r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)", 3)
                    eq("z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)", 3)
                }
                eq("n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn))", 2)
                eq("h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}", 1)
                let z = at(s.gates["z"]), n = at(s.gates["n"]), hp = at(s.hPrev), h = at(s.h)
                let pre = at(s.preactivations?["n"]).isNaN ? atanh(n) : at(s.preactivations?["n"])
                live("n[\(u)]", ["tanh(\(n2(pre)))", Num.short(n)], 2)
                live("h[\(u)]", ["(1−z)·n + z·h_prev", "(1−\(n2(z)))·\(n2(n)) + \(n2(z))·\(n2(hp))", Num.short(h)], 0)
            default:
                eq("h_t = tanh(W_hh h_{t-1} + W_xh x_t + b_h)", 1)
                eq("y_t = W_hy h_t + b_y", 2)
                eq("p_t = softmax(y_t)", 3)
                let h = at(s.h)
                let pre = at(s.preactivations?["h"]).isNaN ? atanh(h) : at(s.preactivations?["h"])
                live("h[\(u)]", ["tanh(\(Num.short(pre)))", Num.short(h)], 0)
            }
            if let target = s.target, let l = s.loss, s.probs.indices.contains(target) {
                let name = state.trace.vocab.indices.contains(target) ? displayToken(state.trace.vocab[target]) : "#\(target)"
                live("L_t", ["−log p(\(name))", "−log \(Num.short(s.probs.indices.contains(target) ? s.probs[target] : .nan))", Num.short(l)], 2)
            }
            if full, !liveCovered { note("(live numbers: unit \(u) at t=\(s.t); ↑↓ picks the unit)", 4) }
        } else {
            let dh = at(s.grad?.h)
            switch cell {
            case "lstm":
                eq("dL/dh_t = W_hyᵀ(p_t − 1_y) + (via the gates at t+1)", 2)
                eq("dL/dc_t = dL/dh_t ⊙ o_t ⊙ (1 − tanh²c_t) + dL/dc_{t+1} ⊙ f_{t+1}", 1)
                live("dL/dh[\(u)]", [Num.short(dh)], 0)
                let o = at(s.gates["o"]), c = at(s.c)
                let dcNext = next.map { at($0.grad?.c) } ?? 0, fNext = next.map { at($0.gates["f"]) } ?? 0
                let value = dh * o * (1 - tanh(c) * tanh(c)) + dcNext * fNext
                live("dL/dc[\(u)]", ["dh·o·(1−tanh²c) + dc'·f'",
                                     "\(n2(dh))·\(n2(o))·(1−tanh²\(n2(c))) + \(n2(dcNext))·\(n2(fNext))",
                                     Num.short(at(s.grad?.c).isNaN ? value : at(s.grad?.c))], 0)
                note("the f path carries dL/dc back almost unchanged when f ≈ 1", 3)
            case "gru":
                eq("dL/dh_t = W_hyᵀ(p_t − 1_y) + dL/dh_{t+1} ⊙ z_{t+1} + (via r, z, n)", 1)
                eq("dL/dn_t = dL/dh_t ⊙ (1 − z_t)", 2)
                live("dL/dh[\(u)]", [Num.short(dh)], 0)
                let dhNext = next.map { at($0.grad?.h) } ?? 0, zNext = next.map { at($0.gates["z"]) } ?? 0
                live("via z[\(u)]", ["dh_{t+1}·z_{t+1}", "\(n2(dhNext))·\(n2(zNext))", Num.short(dhNext * zNext)], 1)
                let z = at(s.gates["z"])
                live("dL/dn[\(u)]", ["dh·(1−z)", "\(n2(dh))·(1−\(n2(z)))", Num.short(dh * (1 - z))], 2)
            default:
                eq("dL/dh_t = W_hyᵀ(p_t − 1_y) + W_hhᵀ dL/da_{t+1}", 1)
                eq("dL/da_t = dL/dh_t ⊙ (1 − h_t²)", 1)
                live("dL/dh[\(u)]", [Num.short(dh)], 0)
                let h = at(s.h)
                live("dL/da[\(u)]", ["dh·(1−h²)", "\(n2(dh))·(1−\(n2(h))²)", Num.short(dh * (1 - h * h))], 0)
                // State the factor for this unit rather than a rule: with large W_hh the product grows.
                note("a step back multiplies by W_hhᵀ·diag(1−h²); 1−h[\(u)]² = \(n2(1 - h * h))", 3)
            }
            if next == nil { note("last step: nothing flows in from t+1", 2) }
        }
        return out
    }
}
