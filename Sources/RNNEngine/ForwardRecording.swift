/// What one recurrent layer computed over the sequence, in flat row-per-step buffers.
///
/// Shapes: T steps, H hidden size, G gate blocks. `hidden` and `cellState` have T+1 rows: row 0 is the
/// initial state, row t+1 is the state after step t. Layer 0 reads x_t; layer k ≥ 1 reads layer k−1's h_t.
public struct LayerRecording: Sendable {
    public let cell: CellKind
    public let steps: Int
    public let hiddenSize: Int
    /// h_0 … h_T, (T+1) × H.
    public internal(set) var hidden: [Float]
    /// c_0 … c_T for the LSTM, (T+1) × H; empty otherwise.
    public internal(set) var cellState: [Float]
    /// Gate pre-activations, T × G·H, blocks in `CellKind.gateNames` order (plain RNN: the argument of
    /// tanh / relu). GRU's n block holds W_in x + b_in + r ⊙ (W_hn h + b_hn), the full argument of its tanh.
    public internal(set) var preactivations: [Float]
    /// Post-activation gates, T × G·H (plain RNN: h_t itself).
    public internal(set) var gates: [Float]
    /// GRU only: the hidden projection W_hh h_{t-1} + b_hh, T × 3H (its n block is needed by backprop).
    public internal(set) var hiddenProjection: [Float]

    public func hPrev(_ t: Int) -> ArraySlice<Float> { hidden.row(t, width: hiddenSize) }
    public func h(_ t: Int) -> ArraySlice<Float> { hidden.row(t + 1, width: hiddenSize) }
    public func cPrev(_ t: Int) -> ArraySlice<Float> { cellState.row(t, width: hiddenSize) }
    public func c(_ t: Int) -> ArraySlice<Float> { cellState.row(t + 1, width: hiddenSize) }

    /// Post-activation gate `index` (in `CellKind.gateNames` order) at step t.
    public func gate(_ index: Int, at t: Int) -> ArraySlice<Float> {
        gates.block(index, of: cell.gateCount, width: hiddenSize, row: t)
    }

    /// Pre-activation of gate block `index` at step t.
    public func preactivation(_ index: Int, at t: Int) -> ArraySlice<Float> {
        preactivations.block(index, of: cell.gateCount, width: hiddenSize, row: t)
    }
}

/// Everything the forward pass computed, per step and by name, in flat row-per-step buffers.
///
/// Shapes: T steps, E input size, H hidden size, G gate blocks, V outputs. Row t of a `T × n` buffer is
/// step t. The per-layer buffers are in `layers` (index 0 = the bottom layer); `hidden`, `gates`, `h(t)` …
/// are the top layer's, the one the head reads — the only one of a single-layer model.
public struct ForwardRecording: Sendable {
    public let cell: CellKind
    public let task: ModelTask
    public let steps: Int
    public let inputSize: Int
    public let hiddenSize: Int
    public let outputSize: Int

    /// The inputs as layer 0 saw them: x_t (one-hot, embedding row or number), T × E.
    public internal(set) var inputs: [Float]
    /// Token ids read at each step (empty for numeric/dense input); needed for the embedding gradient.
    public internal(set) var tokenIDs: [Int]
    /// Every recurrent layer's states and gates, bottom first.
    public internal(set) var layers: [LayerRecording]
    /// Head outputs y_t = W_hy h_t + b_y, T × V (regression: the prediction, V = 1).
    public internal(set) var logits: [Float]
    /// softmax(logits), T × V; empty for regression.
    public internal(set) var probabilities: [Float]
    /// Each step's target (token id or number); nil where a step has none.
    public let targets: SequenceTargets
    /// Each step's own loss (cross-entropy or squared error); nil without a target.
    public internal(set) var stepLosses: [Double?]
    /// Mean of `stepLosses` over the steps that have a target (PyTorch's reduction "mean").
    public internal(set) var meanLoss: Double?

    public var numLayers: Int { layers.count }
    /// The top layer, which the head reads.
    public var top: LayerRecording { layers[layers.count - 1] }

    /// The top layer's h_0 … h_T, (T+1) × H.
    public var hidden: [Float] { top.hidden }
    /// The top layer's c_0 … c_T (LSTM), (T+1) × H; empty otherwise.
    public var cellState: [Float] { top.cellState }
    /// The top layer's gate pre-activations, T × G·H.
    public var preactivations: [Float] { top.preactivations }
    /// The top layer's post-activation gates, T × G·H.
    public var gates: [Float] { top.gates }
    /// The top layer's GRU hidden projection, T × 3H.
    public var hiddenProjection: [Float] { top.hiddenProjection }

    // MARK: - Per-step views (top layer)

    public func x(_ t: Int) -> ArraySlice<Float> { inputs.row(t, width: inputSize) }
    public func hPrev(_ t: Int) -> ArraySlice<Float> { top.hPrev(t) }
    public func h(_ t: Int) -> ArraySlice<Float> { top.h(t) }
    public func cPrev(_ t: Int) -> ArraySlice<Float> { top.cPrev(t) }
    public func c(_ t: Int) -> ArraySlice<Float> { top.c(t) }
    public func gate(_ index: Int, at t: Int) -> ArraySlice<Float> { top.gate(index, at: t) }
    public func preactivation(_ index: Int, at t: Int) -> ArraySlice<Float> { top.preactivation(index, at: t) }

    public func logits(_ t: Int) -> ArraySlice<Float> { logits.row(t, width: outputSize) }
    public func probabilities(_ t: Int) -> ArraySlice<Float> {
        probabilities.isEmpty ? [] : probabilities.row(t, width: outputSize)
    }

    /// The state after the last step, every layer's (bottom first): the initial state of the next chunk in
    /// truncated BPTT.
    public var finalState: RecurrentState {
        var hidden: [Float] = [], cellValues: [Float] = []
        for layer in layers {
            hidden += layer.hPrev(steps)
            if cell.hasCellState { cellValues += layer.cPrev(steps) }
        }
        return RecurrentState(hidden: hidden, cell: cellValues)
    }
}

/// What backpropagation through time computed for one recurrent layer, per step.
public struct LayerGradientRecording: Sendable {
    public let steps: Int
    public let hiddenSize: Int
    public let gateCount: Int
    /// Total dL/dh_t of this layer (through the layer above at step t — for the top layer, step t's
    /// output — and through this layer's step t+1), T × H.
    public internal(set) var dHidden: [Float]
    /// Total dL/dc_t for the LSTM, T × H; empty otherwise.
    public internal(set) var dCell: [Float]
    /// dL/d(gate pre-activation), T × G·H, in the layout of `LayerRecording.preactivations`.
    public internal(set) var dPreactivations: [Float]
    /// ‖dL/dh_t‖₂ per step.
    public internal(set) var hiddenGradientNorms: [Float]

    public func dh(_ t: Int) -> ArraySlice<Float> { dHidden.row(t, width: hiddenSize) }
    public func dc(_ t: Int) -> ArraySlice<Float> { dCell.row(t, width: hiddenSize) }
    public func dPreactivation(_ index: Int, at t: Int) -> ArraySlice<Float> {
        dPreactivations.block(index, of: gateCount, width: hiddenSize, row: t)
    }
}

/// Everything backpropagation through time computed, per step, plus the parameter gradients.
/// Per-layer values are in `layers` (bottom first); `dHidden`, `dh(t)` … are the top layer's.
public struct BackwardRecording: Sendable {
    public let steps: Int
    public let hiddenSize: Int
    public let gateCount: Int
    /// Every recurrent layer's per-step gradients, bottom first.
    public internal(set) var layers: [LayerGradientRecording]
    /// Gradients of the mean loss for every parameter, shaped like the parameters.
    public internal(set) var parameterGradients: ModelParameters

    /// The top layer's gradients.
    public var top: LayerGradientRecording { layers[layers.count - 1] }
    /// The top layer's total dL/dh_t (through step t's output and through step t+1), T × H.
    public var dHidden: [Float] { top.dHidden }
    /// The top layer's total dL/dc_t for the LSTM, T × H; empty otherwise.
    public var dCell: [Float] { top.dCell }
    /// The top layer's dL/d(gate pre-activation), T × G·H.
    public var dPreactivations: [Float] { top.dPreactivations }
    /// The top layer's ‖dL/dh_t‖₂ per step: the numbers behind the vanishing/exploding-gradient picture.
    public var hiddenGradientNorms: [Float] { top.hiddenGradientNorms }

    public func dh(_ t: Int) -> ArraySlice<Float> { top.dh(t) }
    public func dc(_ t: Int) -> ArraySlice<Float> { top.dc(t) }
    public func dPreactivation(_ index: Int, at t: Int) -> ArraySlice<Float> { top.dPreactivation(index, at: t) }

    /// Global L2 norm over all parameter gradients.
    public var gradientNorm: Double { parameterGradients.globalNorm }

    /// Scales all parameter gradients so their global norm is at most `maxNorm` (PyTorch's
    /// `clip_grad_norm_`); returns the norm before clipping.
    @discardableResult
    public mutating func clipGradients(maxNorm: Double) -> Double {
        parameterGradients.clipGlobalNorm(maxNorm)
    }
}

extension ModelParameters {
    /// L2 norm over every value of every tensor (of gradients, when these are gradients).
    public var globalNorm: Double {
        var sum = 0.0
        forEach { _, v in for x in v { sum += Double(x) * Double(x) } }
        return sum.squareRoot()
    }

    /// Scales every value so the global norm is at most `maxNorm` (PyTorch's `clip_grad_norm_`); returns
    /// the norm before.
    @discardableResult
    public mutating func clipGlobalNorm(_ maxNorm: Double) -> Double {
        let norm = globalNorm
        guard norm > maxNorm, norm > 0 else { return norm }
        let scale = Float(maxNorm / (norm + 1e-6))
        apply { v in for i in v.indices { v[i] *= scale } }
        return norm
    }
}

extension Array where Element == Float {
    /// Row `t` of a row-major buffer whose rows are `width` long (step t of a T × width recording).
    func row(_ t: Int, width: Int) -> ArraySlice<Float> {
        self[(t * width)..<((t + 1) * width)]
    }

    /// Block `index` of row `t`, when each row is `blocks` blocks of `width` values: one gate at one step.
    func block(_ index: Int, of blocks: Int, width: Int, row t: Int) -> ArraySlice<Float> {
        let start = (t * blocks + index) * width
        return self[start..<(start + width)]
    }
}
