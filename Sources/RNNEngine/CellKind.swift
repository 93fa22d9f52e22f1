/// The recurrent cells rnnscope teaches, named as in the model file's `cell` metadata.
public enum CellKind: String, Codable, CaseIterable, Sendable {
    case rnnTanh = "rnn_tanh"
    /// `nn.RNN(nonlinearity="relu")`: the tanh RNN's tensors with relu in place of tanh.
    case rnnRelu = "rnn_relu"
    case lstm
    case gru

    /// G: how many H-row gate blocks the stacked weight matrices hold (PyTorch's layout).
    public var gateCount: Int {
        switch self {
        case .rnnTanh, .rnnRelu: return 1
        case .lstm: return 4
        case .gru: return 3
        }
    }

    /// Names of the gate blocks in row order, as PyTorch stacks them (empty for the tanh RNN).
    public var gateNames: [String] {
        switch self {
        case .rnnTanh, .rnnRelu: return []
        case .lstm: return ["i", "f", "g", "o"]
        case .gru: return ["r", "z", "n"]
        }
    }

    /// Human-friendly name for screens.
    public var displayName: String {
        switch self {
        case .rnnTanh: return "tanh RNN"
        case .rnnRelu: return "ReLU RNN"
        case .lstm: return "LSTM"
        case .gru: return "GRU"
        }
    }

    public var hasCellState: Bool { self == .lstm }

    /// A plain (gateless) RNN: h = φ(W_ih x + b_ih + W_hh h_prev + b_hh) with φ = tanh or relu.
    public var isPlainRNN: Bool { gateCount == 1 }
}
