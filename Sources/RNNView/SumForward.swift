import RNNLessons
import RNNEngine

/// The forward lines of the sum view: each gate's pre-activation split into W_h·h_{t−1} (by unit), W_x·x_t
/// and the biases, the nonlinearity, then the state equations — every number the one the engine computed.
enum SumForward {
    static func lines(_ s: SumInputs) -> [SumLine] {
        let u = s.unit, n = s.size
        var lines: [SumLine] = []
        switch s.cell {
        case .rnnTanh, .rnnRelu:
            let f: Nonlinearity = s.cell == .rnnTanh ? .tanh : .relu
            lines.append(.note("a_t = W_hh·h_{t−1} + W_xh·x_t + b_ih + b_hh,  h_t = \(f.name)(a_t)",
                               "h_t = \(f.name)(W_hh·h_{t−1} + W_xh·x_t + b)", priority: 2))
            lines += preactivation(s, block: 0, name: "a_t", hName: "W_hh", xName: "W_xh")
            let a = s.step.preactivations[u]
            lines.append(.live("h_t", "\(f.name)(a_t)", .apply(f, .number(a)), result: s.step.h[u], priority: 0))
        case .lstm:
            lines.append(.note("a_g = W_hg·h_{t−1} + W_xg·x_t + b_ig + b_hg for each gate g of i f g o",
                               "a = W_h·h_{t−1} + W_x·x_t + b, per gate", priority: 2))
            let meanings = ["input gate", "forget gate", "candidate", "output gate"]
            for (j, g) in ["i", "f", "g", "o"].enumerated() {
                lines.append(.blank(priority: 3))
                lines += preactivation(s, block: j, name: "a_\(g)", hName: "W_h\(g)", xName: "W_x\(g)")
                let f: Nonlinearity = j == 2 ? .tanh : .sigmoid
                lines.append(.live("\(g) (\(meanings[j]))", "\(f.name)(a_\(g))", .apply(f, .number(s.step.preactivations[j * n + u])),
                                   result: s.step.gates[j * n + u], priority: 0))
            }
            let (i, f, g, o) = (s.step.gates[u], s.step.gates[n + u], s.step.gates[2 * n + u], s.step.gates[3 * n + u])
            let c = s.step.c[u]
            lines.append(.blank(priority: 3))
            lines.append(.live("c_t", "f·c_{t−1} + i·g",
                               .sum([.product([.number(f), .number(s.cPrev[u])]), .product([.number(i), .number(g)])]),
                               result: c, priority: 0))
            lines.append(.live("h_t", "o·tanh(c_t)", .product([.number(o), .apply(.tanh, .number(c))]),
                               result: s.step.h[u], priority: 0))
        case .gru:
            lines.append(.note("PyTorch's GRU: n = tanh(W_xn·x_t + b_in + r⊙(W_hn·h_{t−1} + b_hn))",
                               "n = tanh(W_xn·x + b_in + r⊙(W_hn·h + b_hn))", priority: 2))
            for (j, g) in ["r", "z"].enumerated() {
                lines.append(.blank(priority: 3))
                lines += preactivation(s, block: j, name: "a_\(g)", hName: "W_h\(g)", xName: "W_x\(g)")
                lines.append(.live("\(g) (\(j == 0 ? "reset" : "update"))", "σ(a_\(g))",
                                   .apply(.sigmoid, .number(s.step.preactivations[j * n + u])),
                                   result: s.step.gates[j * n + u], priority: 0))
            }
            lines.append(.blank(priority: 3))
            lines += gruCandidate(s)
            let (z, candidate) = (s.step.gates[n + u], s.step.gates[2 * n + u])
            lines.append(.blank(priority: 3))
            lines.append(.live("h_t", "(1 − z)·n + z·h_{t−1}",
                               .sum([.product([.oneMinus(.number(z)), .number(candidate)]),
                                     .product([.number(z), .number(s.hPrev[u])])]),
                               result: s.step.h[u], priority: 0))
        }
        return lines
    }

    /// W_h·h_{t−1} by unit, W_x·x_t, the biases, and their sum a, for gate block `block`.
    private static func preactivation(_ s: SumInputs, block: Int, name: String, hName: String, xName: String) -> [SumLine] {
        let row = block * s.size + s.unit
        let hh = recurrent(s, block: block, hName: hName)
        let xh = input(s, block: block, xName: xName)
        let (bi, bh) = (Double(s.weights.biasIH[row]), Double(s.weights.biasHH[row]))
        let bias = bi + bh
        let biasName = name == "a_t" ? "b" : "b" + name.dropFirst()     // b, b_i, b_f …
        return hh.lines + xh.lines + [
            .live(biasName, "b_ih + b_hh", .sum([.number(bi), .number(bh)]), result: bias, priority: 2),
            .live(name, "\(hName)·h + \(xName)·x + \(biasName)", .sum([.number(hh.total), .number(xh.total), .number(bias)]),
                  result: s.step.preactivations[row], priority: 0),
        ]
    }

    /// W_h·h_{t−1} for the selected unit, by unit of h_{t−1}, with its largest terms worked out.
    static func recurrent(_ s: SumInputs, block: Int, hName: String) -> (lines: [SumLine], total: Double) {
        if s.hPrev.allSatisfy({ $0 == 0 }) {
            return ([.note("\(hName)·h_{t−1} = 0: h_{t−1} is the initial state, all zeros", "\(hName)·h_{t−1} = 0 (h_{t−1} = 0)", priority: 1)], 0)
        }
        let terms = Contributions(weights: s.row(s.weights.weightHH, block: block), inputs: s.hPrev,
                                  names: { "u\($0)" }, kind: "units")
        var lines: [SumLine] = [.live("\(hName)·h_{t−1}", terms.alternatives, result: terms.total, priority: 1)]
        lines += details(terms) { "\(hName)[\(s.unit),\($0.name.dropFirst())]·h_{t−1}[\($0.name.dropFirst())]" }
        return (lines, terms.total)
    }

    /// W_x·x_t: one column for a one-hot x (picked by the token), else by input number.
    static func input(_ s: SumInputs, block: Int, xName: String) -> (lines: [SumLine], total: Double) {
        let weights = s.row(s.weights.weightIH, block: block)
        if let id = s.oneHotToken, weights.indices.contains(id) {
            let w = weights[id]
            return ([.live("\(xName)·x_t", "column \(s.tokenText) (x_t is one-hot)", .number(w), result: w, priority: 1)], w)
        }
        let terms = Contributions(weights: weights, inputs: s.x, names: s.inputName, kind: "inputs")
        var lines: [SumLine] = [.live("\(xName)·x_t", terms.alternatives, result: terms.total, priority: 1)]
        lines += details(terms) { "\(xName)[\(s.unit),\($0.name.dropFirst())]·x_t[\($0.name.dropFirst())]" }
        return (lines, terms.total)
    }

    /// "u3: W_hh[1,3]·h_{t−1}[3] = 0.52·(−0.77) = −0.40" for the largest terms, shown when there is room.
    static func details(_ terms: Contributions, symbol: (Contributions.Term) -> String) -> [SumLine] {
        terms.terms.prefix(3).map { term in
            .live("  \(term.name)", symbol(term), .product([.number(term.weight), .number(term.input)]),
                  result: term.value, priority: 4)
        }
    }

    /// The GRU's candidate: r scales W_hn·h_{t−1} + b_hn, not the input's part.
    private static func gruCandidate(_ s: SumInputs) -> [SumLine] {
        let n = s.size, u = s.unit, row = 2 * n + u
        let hh = recurrent(s, block: 2, hName: "W_hn")
        let xh = input(s, block: 2, xName: "W_xn")
        let (bi, bh) = (Double(s.weights.biasIH[row]), Double(s.weights.biasHH[row]))
        let hiddenPart = s.step.hiddenProjection[row]      // W_hn·h_{t−1} + b_hn
        let r = s.step.gates[u]
        var lines = hh.lines + xh.lines
        lines.append(.live("W_hn·h + b_hn", nil, .sum([.number(hh.total), .number(bh)]), result: hiddenPart, priority: 1))
        lines.append(.live("a_n", "W_xn·x + b_in + r·(W_hn·h + b_hn)",
                           .sum([.number(xh.total), .number(bi), .product([.number(r), .number(hiddenPart)])]),
                           result: s.step.preactivations[row], priority: 0))
        lines.append(.live("n (candidate)", "tanh(a_n)", .apply(.tanh, .number(s.step.preactivations[row])),
                           result: s.step.gates[row], priority: 0))
        return lines
    }
}
