import RNNLessons
import Foundation
import RNNEngine
import RNNTrace

/// The backward lines of the sum view: dL/dh_t split into what this step's loss (or the layer above) sends
/// and what flows back from step t+1, then each pre-activation's gradient with its local derivative. The
/// gradients are the recorded ones; the split is recomputed from them and the weights.
enum SumBackward {
    static func lines(_ s: SumInputs) -> [SumLine] {
        let layer = s.recording.layers[s.recording.shownLayer]
        guard let dhRow = layer.dh(s.t) else { return [] }
        let u = s.unit, n = s.size
        let dh = element(dhRow, u)
        var lines: [SumLine] = [.note("dL/dh_t = (this step's loss, via W_hyᵀ(p_t − y_t)) + (the flow from step t+1)",
                                      "dL/dh_t = from this step's loss + from step t+1", priority: 2)]
        let here = fromThisStep(s)
        let later = fromNextStep(s)
        lines += here.lines + later.lines
        lines.append(.live("dL/dh_t", "\(here.name) + step t+1", .sum([.number(here.vector[u]), .number(later.vector[u])]),
                           result: here.vector[u] + later.vector[u], priority: 0))
        let norm = { (v: [Double]) in PrintedNumber.text(v.reduce(0) { $0 + $1 * $1 }.squareRoot(), digits: 3) }
        let recordedNorm = Double(layer.hiddenGradientNorm(at: s.t))
        lines.append(.note("norms over all \(n) units: ‖\(here.name)‖ \(norm(here.vector)), ‖from t+1‖ \(norm(later.vector)), "
                           + "‖dL/dh_t‖ \(PrintedNumber.text(recordedNorm, digits: 3))",
                           "‖\(here.name)‖ \(norm(here.vector)) ‖from t+1‖ \(norm(later.vector)) ‖dL/dh_t‖ \(PrintedNumber.text(recordedNorm, digits: 3))",
                           priority: 1))
        lines.append(.blank(priority: 3))
        lines += local(s, dh: dh)
        return lines
    }

    /// What reaches h_t at step t from outside the recurrence: the loss of this step through the head
    /// (top layer), or the layer above's gradient through its W_ih.
    private static func fromThisStep(_ s: SumInputs) -> (lines: [SumLine], vector: [Double], name: String) {
        let r = s.recording, k = r.shownLayer, model = r.model!
        let u = s.unit
        if k + 1 < r.layerCount {
            let above = r.layers[k + 1]
            let dPre = above.dPreactivations.isEmpty ? [] : Array(above.dPreactivations[(s.t * above.blockCount * s.size)..<((s.t + 1) * above.blockCount * s.size)]).map(Double.init)
            let w = model.parameters.layers[k + 1].weightIH
            let vector = transposedTimes(w, dPre)
            let terms = Contributions(weights: (0..<w.rows).map { Double(w[$0, u]) }, inputs: dPre,
                                      names: { gateUnitName(r.cell, $0, size: s.size) }, kind: "rows")
            return ([.live("from the layer above", terms.alternatives, result: terms.total, priority: 1)], vector, "from above")
        }
        let dy = outputGradient(r, t: s.t)
        let head = model.parameters.headWeight
        let vector = transposedTimes(head, dy)
        guard dy.contains(where: { $0 != 0 }) else {
            return ([.note("no loss at this step (no target): 0 from the output", priority: 1)], vector, "from the loss")
        }
        let names: (Int) -> String = r.isRegression ? { _ in "y^" } : { "\"\(displayToken(r.vocab.indices.contains($0) ? r.vocab[$0] : "?"))\"" }
        let terms = Contributions(weights: (0..<head.rows).map { Double(head[$0, u]) }, inputs: dy, names: names, kind: "tokens")
        let count = r.stepLosses.compactMap { $0 }.count
        var lines: [SumLine] = [
            .note(r.isRegression ? "loss: dL/dy^_t = 2(y^_t − y_t)/N, N = \(count) steps with a target"
                                 : "loss: dL/dlogits_t = (p_t − onehot(target))/N, N = \(count) steps with a target",
                  "N = \(count) steps with a target", priority: 3),
            .live("from the loss", terms.alternatives, result: terms.total, priority: 1),
        ]
        lines += SumForward.details(terms) { "W_hy[\($0.name),\(u)]·dy[\($0.name)]" }
        return (lines, vector, "from the loss")
    }

    /// dL/dlogits_t of the mean loss: (p − onehot(target))/N, or 2(y^ − y)/N for regression; zero without a target.
    static func outputGradient(_ r: Recording, t: Int) -> [Double] {
        var dy = [Double](repeating: 0, count: r.outputSize)
        let count = Double(r.stepLosses.compactMap { $0 }.count)
        guard count > 0 else { return dy }
        if r.isRegression {
            if let target = r.targetValues.indices.contains(t) ? r.targetValues[t] : nil, let y = r.prediction(at: t) {
                dy[0] = 2 * (y - target) / count
            }
        } else if let target = r.targets.indices.contains(t) ? r.targets[t] : nil {
            for (i, p) in r.probabilities(at: t).enumerated() { dy[i] = Double(p) / count }
            dy[target] -= 1 / count
        }
        return dy
    }

    /// What flows back into h_t through step t+1: W_hhᵀ times the gradient at t+1's W_hh·h_t (+ the GRU's
    /// direct z⊙dL/dh_{t+1}).
    private static func fromNextStep(_ s: SumInputs) -> (lines: [SumLine], vector: [Double]) {
        let r = s.recording, layer = r.layers[r.shownLayer], n = s.size, u = s.unit
        let zero = [Double](repeating: 0, count: n)
        guard s.t + 1 < r.stepCount, !layer.dPreactivations.isEmpty else {
            return ([.note("from step t+1: nothing, this is the last step", priority: 1)], zero)
        }
        let next = s.t + 1, g = layer.blockCount
        var dHW = Array(layer.dPreactivations[(next * g * n)..<((next + 1) * g * n)]).map(Double.init)
        var direct = zero
        if r.cell == .gru {
            let rGate = layer.block(layer.gates, 0, at: next)!.map(Double.init)
            let z = layer.block(layer.gates, 1, at: next)!.map(Double.init)
            let dhNext = layer.dh(next)!.map(Double.init)
            for j in 0..<n { dHW[2 * n + j] *= rGate[j]; direct[j] = z[j] * dhNext[j] }
        }
        let w = s.weights.weightHH
        var vector = transposedTimes(w, dHW)
        for j in 0..<n { vector[j] += direct[j] }
        var terms = Contributions(weights: (0..<w.rows).map { Double(w[$0, u]) }, inputs: dHW,
                                  names: { gateUnitName(r.cell, $0, size: n) }, kind: "rows")
        var label = "W_hhᵀ·dL/da_{t+1}"
        if r.cell == .gru {
            label = "W_hhᵀ·dL/d(W_hh·h)_{t+1} + z⊙dL/dh_{t+1}"
            let z = element(layer.block(layer.gates, 1, at: next), u)
            let dhNext = element(layer.dh(next), u)
            terms = Contributions(appending: Contributions.Term(name: "z⊙dh", weight: z, input: dhNext), to: terms)
        }
        if terms.terms.allSatisfy({ $0.value == 0 }) {
            return ([.note("from step t+1: 0 (nothing flows back from step t+1: it has no loss, nor any step after it that has)",
                           "from step t+1: 0 (no loss at or after t+1)", priority: 1)], vector)
        }
        let alternatives = terms.alternatives.map { (symbolic: $0.symbolic.map { label + " = " + $0 }, numbers: $0.numbers) }
        return ([.live("from step t+1", alternatives, result: terms.total, priority: 1)], vector)
    }

    /// The gradient at each pre-activation, with its local derivative.
    private static func local(_ s: SumInputs, dh: Double) -> [SumLine] {
        let r = s.recording, layer = r.layers[r.shownLayer], n = s.size, u = s.unit
        let step = r.step(s.t)
        guard let grad = step.grad else { return [] }
        switch r.cell {
        case .rnnTanh:
            let h = step.h[u]
            let slope = 1 - h * h
            return [
                .live("tanh'(a_t)", "1 − h_t²", .oneMinus(.square(.number(h))), result: slope, priority: 0),
                .live("dL/da_t", "dL/dh_t·tanh'(a_t)", .product([.number(dh), .number(slope)]), result: dh * slope, priority: 0),
            ]
        case .rnnRelu:
            let a = step.preactivation?[u] ?? s.step.preactivations[u]
            let slope: Double = a > 0 ? 1 : 0
            return [
                .note("relu'(a_t) = \(Int(slope)) because a_t = \(PrintedNumber.text(a, digits: 4)) is \(a > 0 ? "above" : "not above") 0", priority: 0),
                .live("dL/da_t", "dL/dh_t·relu'(a_t)", .product([.number(dh), .number(slope)]), result: dh * slope, priority: 0),
            ]
        case .lstm:
            guard let dcRow = grad.c else { return [] }
            let gates = (0..<4).map { step.gate(r.cell.gates[$0])![u] }
            let (i, f, g, o) = (gates[0], gates[1], gates[2], gates[3])
            let c = step.c![u], cPrev = step.cPrev![u]
            let dc = dcRow[u]
            var lines: [SumLine] = []
            let hasNext = s.t + 1 < r.stepCount
            let dcNext = hasNext ? element(layer.dc(s.t + 1), u) : 0
            let fNext = hasNext ? element(layer.block(layer.gates, 1, at: s.t + 1), u) : 0
            lines.append(.live("dL/dc_t", "dL/dh_t·o·(1 − tanh²c_t) + dL/dc_{t+1}·f_{t+1}",
                               .sum([.product([.number(dh), .number(o), .oneMinus(.square(.apply(.tanh, .number(c))))]),
                                     .product([.number(dcNext), .number(fNext)])]),
                               result: dh * o * (1 - tanh(c) * tanh(c)) + dcNext * fNext, priority: 0))
            lines.append(.note("recorded dL/dc_t = \(PrintedNumber.text(dc, digits: 4))", priority: 5))
            lines.append(.live("dL/da_i", "dL/dc_t·g·i(1 − i)", .product([.number(dc), .number(g), .number(i), .oneMinus(.number(i))]),
                               result: dc * g * i * (1 - i), priority: 0))
            lines.append(.live("dL/da_f", "dL/dc_t·c_{t−1}·f(1 − f)", .product([.number(dc), .number(cPrev), .number(f), .oneMinus(.number(f))]),
                               result: dc * cPrev * f * (1 - f), priority: 0))
            lines.append(.live("dL/da_g", "dL/dc_t·i·(1 − g²)", .product([.number(dc), .number(i), .oneMinus(.square(.number(g)))]),
                               result: dc * i * (1 - g * g), priority: 0))
            lines.append(.live("dL/da_o", "dL/dh_t·tanh(c_t)·o(1 − o)", .product([.number(dh), .apply(.tanh, .number(c)), .number(o), .oneMinus(.number(o))]),
                               result: dh * tanh(c) * o * (1 - o), priority: 0))
            return lines
        case .gru:
            let rGate = step.gate(.reset)![u], z = step.gate(.update)![u], candidate = step.gate(.new)![u]
            let hPrev = step.hPrev[u]
            let dan = dh * (1 - z) * (1 - candidate * candidate)
            let hiddenPart = s.step.hiddenProjection[2 * n + u]
            return [
                .live("dL/da_n", "dL/dh_t·(1 − z)·(1 − n²)", .product([.number(dh), .oneMinus(.number(z)), .oneMinus(.square(.number(candidate)))]),
                      result: dan, priority: 0),
                .live("dL/da_z", "dL/dh_t·(h_{t−1} − n)·z(1 − z)",
                      .product([.number(dh), .sum([.number(hPrev), .number(-candidate)]), .number(z), .oneMinus(.number(z))]),
                      result: dh * (hPrev - candidate) * z * (1 - z), priority: 0),
                .live("dL/da_r", "dL/da_n·(W_hn·h_{t−1} + b_hn)·r(1 − r)",
                      .product([.number(dan), .number(hiddenPart), .number(rGate), .oneMinus(.number(rGate))]),
                      result: dan * hiddenPart * rGate * (1 - rGate), priority: 0),
            ]
        }
    }

    /// Element `i` of a recorded row (a slice of a flat buffer, so indexed from its start), widened; 0 when absent.
    static func element(_ row: ArraySlice<Float>?, _ i: Int) -> Double {
        guard let row, row.indices.contains(row.startIndex + i) else { return 0 }
        return Double(row[row.startIndex + i])
    }

    /// Mᵀ·v for a stacked weight matrix.
    static func transposedTimes(_ m: Matrix, _ v: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: m.cols)
        for r in 0..<min(m.rows, v.count) where v[r] != 0 {
            for c in 0..<m.cols { out[c] += Double(m[r, c]) * v[r] }
        }
        return out
    }

    /// Row `index` of a stacked G·H block named by gate and unit: "i3", "n0"; a plain RNN's by unit: "u3".
    static func gateUnitName(_ cell: CellKind, _ index: Int, size: Int) -> String {
        let names = cell.gateNames
        return names.isEmpty ? "u\(index)" : "\(names[index / size])\(index % size)"
    }
}
