extension ModelParameters {
    /// Backpropagation through time over a recorded forward pass: gradients of the mean loss for every
    /// parameter, and per layer and step the total dL/dh_t, dL/dc_t and dL/d(gate pre-activations).
    ///
    /// Mirrors `forward`: the head's and the weight gradients are matrix–matrix products over the whole
    /// sequence (one-hot input: a scatter into W_ih's columns); only the recurrent path h_{t-1} ← h_t is
    /// walked step by step, from the last step back. Layers are walked from the top down: what layer k
    /// receives from above at step t is the head's dY_t · W_hy (top layer) or dPre^(k+1)_t · W_ih^(k+1).
    public func backward(_ forward: ForwardRecording) -> BackwardRecording {
        let steps = forward.steps
        let n = hiddenSize, v = outputSize
        var grads = zeroGradients()

        // Head: dY = softmax − onehot (or MSE) per step; dW_hy = dYᵀ · H, db_y = Σ_t dY_t, and the gradient
        // each step's output sends into h_t: dY · W_hy  (T × H).
        let dLogits = Loss.logitGradients(forward)
        // dHidden starts as the part from each step's own output; the loop adds the part from step t+1.
        var fromAbove = uninitializedFloats(steps * n)  // fully written by the GEMM below
        Gemm.multiply(m: v, n: n, k: steps, dLogits, aRowStride: 1, aColStride: v,
                      forward.layers[forward.layers.count - 1].hidden, bOffset: n, ldb: n,
                      into: &grads.headWeight.values, ldc: n, accumulate: true)
        Gemm.multiply(m: steps, n: n, k: v, dLogits, aRowStride: v, aColStride: 1, headWeight.values, ldb: n,
                      into: &fromAbove, ldc: n, accumulate: false)
        addColumnSums(dLogits, rows: steps, cols: v, into: &grads.headBias)

        var recorded = [LayerGradientRecording?](repeating: nil, count: layers.count)
        for k in layers.indices.reversed() {
            let (layerGradients, belowGradient) = backwardLayer(k, forward, dHidden: &fromAbove, grads: &grads)
            recorded[k] = layerGradients
            fromAbove = belowGradient
        }

        return BackwardRecording(steps: steps, hiddenSize: n, gateCount: cell.gateCount,
                                 layers: recorded.map { $0! }, parameterGradients: grads)
    }

    /// BPTT through layer k. `dHidden` holds, per step, what reaches h^(k)_t from above; it becomes (in place)
    /// the total dL/dh^(k)_t. Adds layer k's weight gradients (and, for layer 0, the embedding's) to `grads`; returns
    /// the layer's recording and, for k ≥ 1, dL/d(input) = what reaches h^(k−1)_t from above (T × H).
    private func backwardLayer(_ index: Int, _ forward: ForwardRecording, dHidden: inout [Float],
                               grads: inout ModelParameters) -> (LayerGradientRecording, [Float]) {
        let layer = layers[index]
        let states = forward.layers[index]
        let steps = forward.steps
        let e = layer.inputSize, n = layer.hiddenSize, gh = cell.gateCount * n
        // Layer k's input: x (layer 0) or rows 1…T of layer k−1's hidden buffer.
        let input = index == 0 ? forward.inputs : forward.layers[index - 1].hidden
        let inputOffset = index == 0 ? 0 : n
        let oneHotIDs = index == 0 && embedding == nil ? forward.tokenIDs : []

        // Every step's rows of these are written by the cell's backward.
        var dCell = uninitializedFloats(cell.hasCellState ? steps * n : 0)
        var dPre = uninitializedFloats(steps * gh)
        // Gradient w.r.t. the hidden projection W_hh h + b_hh: the GRU's n block differs from dPre (scaled by
        // r); the other cells use dPre itself.
        var dHHGRU = uninitializedFloats(cell == .gru ? steps * gh : 0)
        var norms = [Float](repeating: 0, count: steps)

        BackwardLayerWorkspace.borrowing(
            recording: states, weightHH: layer.weightHH.values, dHidden: &dHidden, dCell: &dCell,
            dPreactivations: &dPre, dHiddenProjection: &dHHGRU, hiddenGradientNorms: &norms
        ) { w in
            for t in stride(from: steps - 1, through: 0, by: -1) {
                // Total dL/dh_t = from above (this step's output or the next layer) + from step t+1.
                let dh = w.dHidden[t]
                add(dh, w.dhNext, into: dh, n)
                w.hiddenGradientNorms[t] = sumOfSquares(dh, n).squareRoot()

                // Through the cell to its pre-activations (and, for the gradient of W_hh h + b_hh, dhh).
                let dpre = w.dPreactivations[t]
                var dhh = dpre
                switch cell {
                case .rnnTanh:
                    TanhRNNCell.backward(dHidden: dh, hidden: w.h(t), hiddenSize: n, dPreactivation: dpre)
                case .rnnRelu:
                    ReLURNNCell.backward(dHidden: dh, hidden: w.h(t), hiddenSize: n, dPreactivation: dpre)
                case .lstm:
                    LSTMCell.backward(dHidden: dh, dCellFromNext: w.dcNext, gates: w.gates[t], cell: w.c(t),
                                      cellPrev: w.cPrev(t), hiddenSize: n, dCell: w.dCell[t], dPreactivation: dpre)
                case .gru:
                    dhh = w.dHiddenProjection[t]
                    // The direct path z ⊙ dh goes straight into dL/dh_{t-1}; the mat-vec below adds to it.
                    GRUCell.backward(dHidden: dh, gates: w.gates[t], hiddenProjection: w.hiddenProjection[t],
                                     hiddenPrev: w.hPrev(t), hiddenSize: n, dPreactivation: dpre,
                                     dHiddenProjection: dhh, dHiddenPrevDirect: w.dhNext)
                }

                // dL/dh_{t-1} = W_hhᵀ · d(hidden projection) (+ the GRU's direct path): a row vector times W_hh.
                // Not needed after step 0: the gradient of the initial state is not part of the recording.
                guard t > 0 else { break }
                Gemm.multiply(m: 1, n: n, k: gh, a: dhh, aRowStride: gh, aColStride: 1, b: w.weightHH, ldb: n,
                              c: w.dhNext, ldc: n, accumulate: cell == .gru)
            }
        }

        // Weight gradients summed over time: dW_ih = dPreᵀ · X, dW_hh = dHHᵀ · H_prev, biases = column sums.
        // (For the GRU the input side sees dPre, the hidden side dHH.)
        let dHH = cell == .gru ? dHHGRU : dPre
        if !oneHotIDs.isEmpty {
            // One-hot x_t: dPre_t lands in column id of dW_ih.
            addRows(dPre, width: gh, toColumns: oneHotIDs, of: &grads.layers[index].weightIH.values, columns: e)
        } else {
            Gemm.multiply(m: gh, n: e, k: steps, dPre, aRowStride: 1, aColStride: gh, input, bOffset: inputOffset, ldb: e,
                          into: &grads.layers[index].weightIH.values, ldc: e, accumulate: true)
        }
        addColumnSums(dPre, rows: steps, cols: gh, into: &grads.layers[index].biasIH)
        Gemm.multiply(m: gh, n: n, k: steps, dHH, aRowStride: 1, aColStride: gh, states.hidden, ldb: n,
                      into: &grads.layers[index].weightHH.values, ldc: n, accumulate: true)
        if cell != .gru {
            // Same column sums of the same dPre, from the same zeros: b_hh's gradient is b_ih's.
            grads.layers[index].biasHH = grads.layers[index].biasIH
        } else {
            addColumnSums(dHH, rows: steps, cols: gh, into: &grads.layers[index].biasHH)
        }

        // dL/d(input)_t = dPre_t · W_ih: into the layer below (k ≥ 1), or the embedding row of the token read
        // at step t (layer 0 with an embedding).
        var dX: [Float] = []
        if index > 0 || (embedding != nil && !forward.tokenIDs.isEmpty) {
            dX = uninitializedFloats(steps * e)  // fully written by the GEMM
            Gemm.multiply(m: steps, n: e, k: gh, dPre, aRowStride: gh, aColStride: 1, layer.weightIH.values, ldb: e,
                          into: &dX, ldc: e, accumulate: false)
        }
        if index == 0, embedding != nil, !forward.tokenIDs.isEmpty {
            addRows(dX, toRows: forward.tokenIDs, of: &grads.embedding!.values, width: e)
            dX = []
        }

        let recording = LayerGradientRecording(steps: steps, hiddenSize: n, gateCount: cell.gateCount,
                                               dHidden: dHidden, dCell: dCell, dPreactivations: dPre,
                                               hiddenGradientNorms: norms)
        return (recording, dX)
    }

    /// Zero gradient accumulators shaped like the parameters, as fresh arrays (`zeros()` copies every tensor
    /// before zeroing it).
    private func zeroGradients() -> ModelParameters {
        func zero(_ m: Matrix) -> Matrix { Matrix(zeros: m.rows, m.cols) }
        return ModelParameters(
            cell: cell, embedding: embedding.map(zero),
            layers: layers.map {
                RecurrentLayerWeights(weightIH: zero($0.weightIH), weightHH: zero($0.weightHH),
                                      biasIH: [Float](repeating: 0, count: $0.biasIH.count),
                                      biasHH: [Float](repeating: 0, count: $0.biasHH.count))
            },
            headWeight: zero(headWeight), headBias: [Float](repeating: 0, count: headBias.count))
    }
}
