import Foundation

/// What one layer's cell computed at one step, in the layout of `LayerRecording`.
public struct ReferenceStep: Equatable, Sendable {
    /// Gate pre-activations, G·H, blocks in `CellKind.gateNames` order (GRU's n: the whole argument of tanh).
    public var preactivations: [Double]
    /// Post-activation gates, G·H (plain RNN: h_t).
    public var gates: [Double]
    /// The hidden projection W_hh h_{t-1} + b_hh, G·H.
    public var hiddenProjection: [Double]
    /// c_t (LSTM); empty otherwise.
    public var c: [Double]
    public var h: [Double]
}

/// Everything the reference forward pass computed.
public struct ReferenceForward: Sendable {
    /// x_t as layer 0 reads it.
    public var inputs: [[Double]]
    /// Token ids read (empty for numbers or vectors).
    public var tokenIDs: [Int]
    /// [layer][t], bottom layer first.
    public var steps: [[ReferenceStep]]
    /// Each layer's h_0 and c_0 (c_0 empty without a cell state).
    public var initialHidden: [[Double]]
    public var initialCell: [[Double]]
    /// y_t = W_hy h_t + b_y of the top layer.
    public var logits: [[Double]]
    /// softmax(y_t); empty for regression.
    public var probabilities: [[Double]]
    public var targets: SequenceTargets
    public var stepLosses: [Double?]
    public var meanLoss: Double?
}

extension ReferenceModel {
    /// Reads the sequence step by step, layer by layer, and scores each prediction against its target —
    /// the same computation as `ModelParameters.forward`, one equation per line.
    public func forward(_ inputs: SequenceInputs, targets: SequenceTargets, task: ModelTask,
                        initialState: RecurrentState? = nil) -> ReferenceForward {
        let n = hiddenSize
        var tokenIDs: [Int] = []
        var xs: [Vector]
        switch inputs {
        case .tokens(let ids):
            tokenIDs = ids
            if let embedding {
                xs = ids.map { Vector(embedding[$0]) }           // x_t = E[id]
            } else {
                let v = layers[0].weightIH[0].count
                xs = ids.map { id in Vector((0..<v).map { $0 == id ? 1 : 0 }) }   // x_t = onehot(id)
            }
        case .numbers(let values):
            xs = values.map { Vector([Double($0)]) }
        case .vectors(let m):
            xs = (0..<m.rows).map { r in Vector((0..<m.cols).map { Double(m[r, $0]) }) }
        }

        var steps: [[ReferenceStep]] = []
        var initialHidden: [[Double]] = [], initialCell: [[Double]] = []
        var layerInputs = xs
        for (k, layer) in layers.enumerated() {
            var h = Vector(repeating: 0, count: n)
            var c = Vector(repeating: 0, count: cell.hasCellState ? n : 0)
            if let initialState {
                h = Vector(Array(initialState.hidden[(k * n)..<((k + 1) * n)]).map(Double.init))
                if cell.hasCellState { c = Vector(Array(initialState.cell[(k * n)..<((k + 1) * n)]).map(Double.init)) }
            }
            initialHidden.append(h.values)
            initialCell.append(c.values)
            var layerSteps: [ReferenceStep] = []
            for x in layerInputs {
                let step = cellStep(layer, x: x, hPrev: h, cPrev: c)
                h = Vector(step.h)
                c = Vector(step.c)
                layerSteps.append(step)
            }
            steps.append(layerSteps)
            layerInputs = layerSteps.map { Vector($0.h) }    // layer k+1 reads layer k's h_t
        }

        // The head and the loss on the top layer's h_t.
        var logits: [[Double]] = [], probabilities: [[Double]] = []
        var stepLosses: [Double?] = []
        for (t, h) in layerInputs.enumerated() {
            let y = matVec(headWeight, h) + Vector(headBias)
            logits.append(y.values)
            switch (task, targets) {
            case (.classification, .tokens(let ids)):
                let p = softmax(y)
                probabilities.append(p.values)
                stepLosses.append(ids[t].map { -log(p[$0]) })    // cross-entropy: −log p(target)
            case (.regression, .numbers(let values)):
                stepLosses.append(values[t].map { (y[0] - Double($0)) * (y[0] - Double($0)) })
            default:
                preconditionFailure("targets do not match the task")
            }
        }
        let present = stepLosses.compactMap { $0 }
        return ReferenceForward(
            inputs: xs.map(\.values), tokenIDs: tokenIDs, steps: steps, initialHidden: initialHidden,
            initialCell: initialCell, logits: logits, probabilities: probabilities, targets: targets,
            stepLosses: stepLosses, meanLoss: present.isEmpty ? nil : present.reduce(0, +) / Double(present.count))
    }

    /// One step of layer `k` from the values it read (x_t, h_{t-1}, and c_{t-1} for the LSTM, empty otherwise):
    /// what a view that explains a recorded number recomputes, with the engine's own equations.
    public func cellStep(layer k: Int, x: [Double], hPrev: [Double], cPrev: [Double]) -> ReferenceStep {
        cellStep(layers[k], x: Vector(x), hPrev: Vector(hPrev), cPrev: Vector(cPrev))
    }

    /// One step of one layer: the cell's equations (see `Cells/`), with PyTorch's gate order.
    func cellStep(_ layer: Layer, x: Vector, hPrev: Vector, cPrev: Vector) -> ReferenceStep {
        let n = hiddenSize
        let xw = matVec(layer.weightIH, x) + Vector(layer.biasIH)        // W_ih x_t + b_ih
        let hw = matVec(layer.weightHH, hPrev) + Vector(layer.biasHH)    // W_hh h_{t-1} + b_hh
        switch cell {
        case .rnnTanh, .rnnRelu:
            let a = xw + hw
            let h = cell == .rnnTanh ? tanh(a) : relu(a)
            return ReferenceStep(preactivations: a.values, gates: h.values, hiddenProjection: hw.values,
                                 c: [], h: h.values)
        case .lstm:
            let a = xw + hw
            let i = sigmoid(a.block(0, size: n))
            let f = sigmoid(a.block(1, size: n))
            let g = tanh(a.block(2, size: n))
            let o = sigmoid(a.block(3, size: n))
            let c = f * cPrev + i * g
            let h = o * tanh(c)
            return ReferenceStep(preactivations: a.values, gates: Vector.stacked([i, f, g, o]).values,
                                 hiddenProjection: hw.values, c: c.values, h: h.values)
        case .gru:
            let ar = xw.block(0, size: n) + hw.block(0, size: n)
            let az = xw.block(1, size: n) + hw.block(1, size: n)
            let r = sigmoid(ar)
            let z = sigmoid(az)
            let an = xw.block(2, size: n) + r * hw.block(2, size: n)
            let candidate = tanh(an)
            let h = (1 - z) * candidate + z * hPrev
            return ReferenceStep(preactivations: Vector.stacked([ar, az, an]).values,
                                 gates: Vector.stacked([r, z, candidate]).values,
                                 hiddenProjection: hw.values, c: [], h: h.values)
        }
    }
}

/// softmax(y)_k = e^{y_k − max y} / Σ_j e^{y_j − max y}.
func softmax(_ y: Vector) -> Vector { Vector(Softmax.probabilities(logits: y.values)) }
