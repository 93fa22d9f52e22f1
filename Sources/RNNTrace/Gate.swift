import RNNEngine

/// One gate of a gated cell, in the order PyTorch stacks the gate blocks (`CellKind.gates`).
public enum Gate: String, CaseIterable, Sendable {
    case input = "i", forget = "f", cell = "g", output = "o"
    case reset = "r", update = "z", new = "n"

    /// The name in the trace format and in the equations (`i`, `f`, …).
    public var symbol: String { rawValue }

    /// The label beside a gate's row and what the gate does, for screens.
    public var label: String {
        switch self {
        case .input: return "i input"
        case .forget: return "f forget"
        case .cell: return "g cell"
        case .output: return "o output"
        case .reset: return "r reset"
        case .update: return "z update"
        case .new: return "n new"
        }
    }

    public var meaning: String {
        switch self {
        case .input: return "how much of g is written"
        case .forget: return "how much of c_{t-1} is kept"
        case .cell: return "candidate for c (−1…1)"
        case .output: return "how much of tanh(c) shows"
        case .reset: return "how much h_{t-1} feeds n"
        case .update: return "how much of h_{t-1} is kept"
        case .new: return "candidate for h (−1…1)"
        }
    }
}

extension CellKind {
    /// The gates in block order (i f g o, r z n); none for the plain RNNs.
    public var gates: [Gate] {
        switch self {
        case .rnnTanh, .rnnRelu: return []
        case .lstm: return [.input, .forget, .cell, .output]
        case .gru: return [.reset, .update, .new]
        }
    }

    /// Where `gate` sits among this cell's gate blocks; nil when the cell has no such gate.
    public func blockIndex(of gate: Gate) -> Int? { gates.firstIndex(of: gate) }

    /// The names of the pre-activation blocks: the gates, or `h` (the argument of tanh / relu) for a plain RNN.
    var preactivationNames: [String] { isPlainRNN ? ["h"] : gates.map(\.symbol) }
}
