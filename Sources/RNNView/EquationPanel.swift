import Foundation
import RNNTrace
import RNNLessons

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
    // A part too wide for the panel even on its own line continues before its " + " terms, indented by
    // two only, so that it needs as few breaks as possible.
    return lines.flatMap { l -> [EquationLine] in
        guard l.text.count > width else { return [l] }
        let isContinuation = l.text.hasPrefix(" ")
        let lead = isContinuation ? "  " : ""
        return breakEquation(String(l.text.drop { $0 == " " }), width: width - lead.count)
            .map { EquationLine(text: lead + $0, priority: priority, style: .live) }
    }
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
    let scene: Scene
    let theme: Theme

    func render(in area: Rect, into buffer: inout Buffer) {
        let title = (scene.mode == .forward ? "Equations, unit \(scene.unit)" : "Backward equations, unit \(scene.unit)")
            + scene.layerSuffix
        let inner = buffer.box(area, title: title, focused: scene.isFocused(.equations), keyboard: scene.hasKeyboardFocus(.equations), theme: theme)
        guard inner.height > 0, inner.width > 10 else { return }
        let width = inner.width - 2
        var lines = EquationPanel.lines(scene, width: width, full: true)
        if lines.count > inner.height { lines = EquationPanel.lines(scene, width: width, full: false) }
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

    static func lines(_ scene: Scene, width: Int, full: Bool) -> [EquationLine] {
        guard let s = scene.current else { return [] }
        let u = scene.unit
        func at(_ v: [Double]?) -> Double { guard let v, v.indices.contains(u) else { return .nan }; return v[u] }
        let next = s.t + 1 < scene.recording.stepCount ? scene.recording.step(s.t + 1) : nil
        var out: [EquationLine] = []
        var group = 0
        func add(_ lines: [EquationLine]) {
            group += 1
            out += lines.map { var l = $0; l.group = group; return l }
        }
        // Long equations continue on indented lines, broken before " + " terms.
        func eq(_ t: String, _ p: Int) { add(breakEquation(t, width: width).map { EquationLine(text: $0, priority: p) }) }
        func note(_ t: String, _ p: Int) { add(wrap(t, width: width).map { EquationLine(text: $0, priority: p, style: .note) }) }
        // A live line is left out while the waiting question covers something it quotes (the question cover).
        let cover = scene.cover.subject
        var liveCovered = false
        func live(_ lhs: String, _ parts: [String], _ p: Int, quotes: QuestionCover.Subject = []) {
            if !cover.isDisjoint(with: quotes) { liveCovered = true; return }
            add(chain(lhs, parts, width: width, priority: p))
        }
        // Operands printed with as many decimals as keep the printed result true (see NumberText.operandDecimals).
        func terms(_ values: [Double], result: Double, _ expression: ([Double]) -> Double) -> [String] {
            let decimals = NumberText.operandDecimals(values, result: result, expression)
            return values.map { NumberText.term($0, decimals: decimals) }
        }
        let cell = scene.recording.cell
        let regression = scene.recording.isRegression
        // The loss is the mean over the N steps that have a target, so each step's output gradient is /N.
        let lossSteps = Double(scene.statistics.lossStepCount)
        let target = s.target.flatMap { s.probs.indices.contains($0) ? $0 : nil }
        let targetName = target.map { scene.recording.vocab.indices.contains($0) ? displayToken(scene.recording.vocab[$0]) : "#\($0)" }
        // The output layer, the same for every cell (regression: the output is the prediction itself);
        // where space is short the cell's own equations and live numbers come first.
        // A layer below the top of a stacked model feeds the next layer, not the output.
        let below = scene.layer < scene.layerCount - 1
        func outputEquations() {
            if below {
                note("x_t of layer \(scene.layer + 2) is this h_t; the output reads layer \(scene.layerCount)", 3)
            } else if scene.layer > 0 {
                note("x_t here is h_t of layer \(scene.layer) (the layer below)", 4)
            }
            if below { return }
            if regression {
                eq("ŷ_t = W_hy h_t + b_y", 3)
            } else {
                eq("y_t = W_hy h_t + b_y", 3)
                eq("p_t = softmax(y_t)", 4)
            }
        }
        if scene.mode == .forward {
            switch cell {
            case .lstm:
                if full {
                    eq("i_t = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)", 3)
                    eq("f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf)", 3)
                    eq("g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)", 3)
                    eq("o_t = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho)", 3)
                }
                eq("c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t", 1)
                eq("h_t = o_t ⊙ tanh(c_t)", 1)
                outputEquations()
                let f = at(s.gate(.forget)), i = at(s.gate(.input)), g = at(s.gate(.cell)), o = at(s.gate(.output))
                let cp = at(s.cPrev), c = at(s.c), h = at(s.h)
                let cTerms = terms([f, cp, i, g], result: c) { $0[0] * $0[1] + $0[2] * $0[3] }
                live("c[\(u)]", ["f·c_prev + i·g", "\(cTerms[0])·\(cTerms[1]) + \(cTerms[2])·\(cTerms[3])", NumberText.short(c)], 0, quotes: .gates)
                let hDecimals = NumberText.operandDecimals([o, c], result: h) { $0[0] * tanh($0[1]) }
                live("h[\(u)]", ["o·tanh(c)", "\(NumberText.term(o, decimals: hDecimals))·tanh(\(NumberText.short(c, decimals: hDecimals)))", NumberText.short(h)], 0, quotes: .gates)
            case .gru:
                if full {
                    eq("r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)", 3)
                    eq("z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)", 3)
                }
                eq("n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn))", 2)
                eq("h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}", 1)
                outputEquations()
                let z = at(s.gate(.update)), n = at(s.gate(.new)), hp = at(s.hPrev), h = at(s.h)
                let pre = at(s.preactivation(.new)).isNaN ? atanh(n) : at(s.preactivation(.new))
                live("n[\(u)]", ["tanh(\(NumberText.short(pre, decimals: 2)))", NumberText.short(n)], 2, quotes: .gates)
                let hTerms = terms([z, n, hp], result: h) { (1 - $0[0]) * $0[1] + $0[0] * $0[2] }
                live("h[\(u)]", ["(1−z)·n + z·h_prev", "(1−\(hTerms[0]))·\(hTerms[1]) + \(hTerms[0])·\(hTerms[2])", NumberText.short(h)], 0, quotes: .gates)
            case .rnnRelu:
                eq("h_t = relu(W_hh h_{t-1} + W_xh x_t + b_h)", 1)
                outputEquations()
                let h = at(s.h)
                let pre = at(s.preactivation).isNaN ? h : at(s.preactivation)
                live("h[\(u)]", ["relu(\(NumberText.short(pre)))", NumberText.short(h)], 0)
            case .rnnTanh:
                eq("h_t = tanh(W_hh h_{t-1} + W_xh x_t + b_h)", 1)
                outputEquations()
                let h = at(s.h)
                let pre = at(s.preactivation).isNaN ? atanh(h) : at(s.preactivation)
                live("h[\(u)]", ["tanh(\(NumberText.short(pre)))", NumberText.short(h)], 0)
            }
            if let l = s.loss {
                if regression, let yHat = s.prediction, let y = s.targetValue {
                    let v = terms([yHat, y], result: l) { ($0[0] - $0[1]) * ($0[0] - $0[1]) }
                    live("L_t", ["(ŷ − y)²", "(\(v[0]) − \(v[1]))²", NumberText.short(l)], 2, quotes: .output)
                } else if let target, let targetName {
                    live("L_t", ["−log p(\(targetName))", "−log \(NumberText.probability(s.probs[target], loss: l))", NumberText.short(l)], 2, quotes: .output)
                }
            }
            if full, !liveCovered { note("(live numbers: unit \(u) at t=\(s.t); ↑↓ picks the unit)", 4) }
        } else {
            let dh = at(s.grad?.h)
            // Through the output layer into h_t: dL/dy_t (or dL/dŷ_t) is the step's loss gradient over N.
            // A layer below the top receives, at the same step, what the layer above sends back through its
            // input weights instead of the output term.
            let outputTerm = below ? "W_ihᵀ dL/da_t (layer \(scene.layer + 2))"
                : regression ? "W_hyᵀ·2(ŷ_t − y_t)/N" : "W_hyᵀ(p_t − 1_y)/N"
            switch cell {
            case .lstm:
                eq("dL/dh_t = \(outputTerm) + (via the gates at t+1)", 2)
                eq("dL/dc_t = dL/dh_t ⊙ o_t ⊙ (1 − tanh²c_t) + dL/dc_{t+1} ⊙ f_{t+1}", 1)
            case .gru:
                eq("dL/dh_t = \(outputTerm) + dL/dh_{t+1} ⊙ z_{t+1} + (via r, z, n)", 1)
                eq("dL/dn_t = dL/dh_t ⊙ (1 − z_t)", 2)
            case .rnnRelu:
                eq("dL/dh_t = \(outputTerm) + W_hhᵀ dL/da_{t+1}", 1)
                eq("dL/da_t = dL/dh_t ⊙ [a_t > 0]", 1)
            case .rnnTanh:
                eq("dL/dh_t = \(outputTerm) + W_hhᵀ dL/da_{t+1}", 1)
                eq("dL/da_t = dL/dh_t ⊙ (1 − h_t²)", 1)
            }
            // The output gradient at this step, with the live N; without a loss here the W_hy term is 0.
            if below {
                note("the output term reaches this layer through the layers above", 2)
            } else if s.loss != nil, regression, let yHat = s.prediction, let y = s.targetValue {
                let g = 2 * (yHat - y) / lossSteps
                let v = terms([yHat, y], result: g) { 2 * ($0[0] - $0[1]) / lossSteps }
                live("dL/dŷ_t", ["2(ŷ − y)/N", "2(\(v[0]) − \(v[1]))/\(Int(lossSteps))", NumberText.short(g)], 1, quotes: [.output, .gradients])
            } else if s.loss != nil, !regression, let target, let targetName {
                let g = (s.probs[target] - 1) / lossSteps
                // p with the 3 decimals the loss line shows, or more when they would hide the result.
                let decimals = NumberText.operandDecimals([s.probs[target]], result: g, minimum: 3) { ($0[0] - 1) / lossSteps }
                let p = NumberText.short(s.probs[target], decimals: decimals)
                live("dL/dy_t[\(targetName)]", ["(p − 1)/N", "(\(p) − 1)/\(Int(lossSteps))", NumberText.short(g)], 1, quotes: [.output, .gradients])
            } else {
                note("no loss at this step: the W_hy term is 0 (N = \(Int(lossSteps)))", 2)
            }
            live("dL/dh[\(u)]", [NumberText.short(dh)], 0, quotes: .gradients)
            switch cell {
            case .lstm:
                let o = at(s.gate(.output)), c = at(s.c)
                let dcNext = next.map { at($0.grad?.c) } ?? 0, fNext = next.map { at($0.gate(.forget)) } ?? 0
                let value = dh * o * (1 - tanh(c) * tanh(c)) + dcNext * fNext
                let dc = at(s.grad?.c).isNaN ? value : at(s.grad?.c)
                let v = terms([dh, o, c, dcNext, fNext], result: dc) {
                    $0[0] * $0[1] * (1 - tanh($0[2]) * tanh($0[2])) + $0[3] * $0[4]
                }
                live("dL/dc[\(u)]", ["dh·o·(1−tanh²c) + dc'·f'", "\(v[0])·\(v[1])·(1−tanh²\(v[2])) + \(v[3])·\(v[4])", NumberText.short(dc)], 0, quotes: [.gates, .gradients])
                note("the f path carries dL/dc back almost unchanged when f ≈ 1", 3)
            case .gru:
                let dhNext = next.map { at($0.grad?.h) } ?? 0, zNext = next.map { at($0.gate(.update)) } ?? 0
                let viaZ = terms([dhNext, zNext], result: dhNext * zNext) { $0[0] * $0[1] }
                live("via z[\(u)]", ["dh_{t+1}·z_{t+1}", "\(viaZ[0])·\(viaZ[1])", NumberText.short(dhNext * zNext)], 1, quotes: [.gates, .gradients])
                let z = at(s.gate(.update))
                let dn = terms([dh, z], result: dh * (1 - z)) { $0[0] * (1 - $0[1]) }
                live("dL/dn[\(u)]", ["dh·(1−z)", "\(dn[0])·(1−\(dn[1]))", NumberText.short(dh * (1 - z))], 2, quotes: [.gates, .gradients])
            case .rnnRelu:
                let h = at(s.h)
                let on = h > 0 ? 1.0 : 0.0
                live("dL/da[\(u)]", ["dh·[a>0]", "\(NumberText.short(dh))·\(Int(on))", NumberText.short(dh * on)], 0, quotes: .gradients)
                note("a step back multiplies by W_hhᵀ·diag([a>0]): relu passes dL/dh unchanged or stops it", 3)
            case .rnnTanh:
                let h = at(s.h)
                let da = terms([dh, h], result: dh * (1 - h * h)) { $0[0] * (1 - $0[1] * $0[1]) }
                live("dL/da[\(u)]", ["dh·(1−h²)", "\(da[0])·(1−\(da[1])²)", NumberText.short(dh * (1 - h * h))], 0, quotes: .gradients)
                // State the factor for this unit rather than a rule: with large W_hh the product grows.
                note("a step back multiplies by W_hhᵀ·diag(1−h²); 1−h[\(u)]² = \(NumberText.short(1 - h * h))", 3)
            }
            if next == nil { note("last step: nothing flows in from t+1", 2) }
        }
        return out
    }
}
