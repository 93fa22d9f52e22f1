extension ModelParameters {
    /// Runs the model over a sequence and records every intermediate (see `ForwardRecording`).
    ///
    /// Layer by layer, bottom first: layer 0 reads x_t, layer k ≥ 1 reads layer k−1's h_t of the same step,
    /// the head reads the top layer. In each layer the input projection W_ih x_t + b_ih of all steps and
    /// the head of all steps are computed as matrix–matrix products over the whole sequence (one-hot input:
    /// a gather of W_ih's columns); only the recurrent mat-vec is per step. Token ids must be valid for this
    /// model (`RNNModel` checks them); `targets` has one entry per step; `initialState` holds every layer's
    /// state, bottom first (nil: zeros).
    public func forward(_ inputs: SequenceInputs, targets: SequenceTargets, task: ModelTask,
                        initialState: RecurrentState? = nil) -> ForwardRecording {
        let steps = inputs.count
        let e = inputSize, n = hiddenSize, v = outputSize
        precondition(targets.count == steps, "one target per step")

        let x = inputMatrix(inputs)
        var tokenIDs: [Int] = []
        if case .tokens(let ids) = inputs { tokenIDs = ids }

        let start = initialState ?? .zero(cell: cell, hiddenSize: n, layers: layers.count)
        precondition(start.hidden.count == layers.count * n, "an initial state for every layer")
        var recorded: [LayerRecording] = []
        recorded.reserveCapacity(layers.count)
        for k in layers.indices {
            let state = RecurrentState(
                hidden: layers.count == 1 ? start.hidden : Array(start.hidden[(k * n)..<((k + 1) * n)]),
                cell: !cell.hasCellState || layers.count == 1 ? start.cell : Array(start.cell[(k * n)..<((k + 1) * n)]))
            if k == 0 {
                recorded.append(forwardLayer(0, steps: steps, input: x, inputOffset: 0,
                                             oneHotIDs: embedding == nil ? tokenIDs : [], start: state))
            } else {
                // Layer k reads rows 1…T of layer k−1's hidden buffer (row 0 is its initial state).
                recorded.append(forwardLayer(k, steps: steps, input: recorded[k - 1].hidden, inputOffset: n,
                                             oneHotIDs: [], start: state))
            }
        }

        // Head for all steps: Y = H · W_hyᵀ + b_y  (T × V), from the top layer.
        var logits = uninitializedFloats(steps * v)
        fillRows(&logits, rows: steps, cols: v, with: headBias)
        Gemm.multiply(m: steps, n: v, k: n, recorded[recorded.count - 1].hidden, aOffset: n, aRowStride: n, aColStride: 1,
                      transposed(headWeight.values, rows: v, cols: n), ldb: v, into: &logits, ldc: v, accumulate: true)

        let loss = Loss.evaluate(logits: logits, outputs: v, targets: targets, task: task)
        return ForwardRecording(
            cell: cell, task: task, steps: steps, inputSize: e, hiddenSize: n, outputSize: v,
            inputs: x, tokenIDs: tokenIDs, layers: recorded, logits: logits, probabilities: loss.probabilities,
            targets: targets, stepLosses: loss.stepLosses, meanLoss: loss.mean)
    }

    /// One recurrent layer over the whole sequence. `input` holds the layer's inputs as T rows of its input
    /// size starting at `inputOffset`; `oneHotIDs` (layer 0 without an embedding) says they are one-hot.
    private func forwardLayer(_ index: Int, steps: Int, input x: [Float], inputOffset: Int, oneHotIDs tokenIDs: [Int],
                              start: RecurrentState) -> LayerRecording {
        let layer = layers[index]
        let e = layer.inputSize, n = layer.hiddenSize, gh = cell.gateCount * n

        var hidden = [Float](repeating: 0, count: (steps + 1) * n)
        hidden.replaceSubrange(0..<n, with: start.hidden)
        var cellState: [Float] = []
        if cell.hasCellState {
            cellState = [Float](repeating: 0, count: (steps + 1) * n)
            cellState.replaceSubrange(0..<n, with: start.cell)
        }
        // Buffers every element of which is written below start uninitialised (no zero pass over ~MBs at large T).
        var pre = uninitializedFloats(steps * gh)
        var gates = uninitializedFloats(steps * gh)
        var hiddenProjection = uninitializedFloats(cell == .gru ? steps * gh : 0)

        // Input projection for all steps at once, XW = X · W_ihᵀ + b_ih  (T × G·H), written straight into the
        // pre-activation buffer: each cell reads its step's XW there before overwriting it.
        fillRows(&pre, rows: steps, cols: gh, with: layer.biasIH)
        if !tokenIDs.isEmpty {
            // A one-hot x_t picks column id of W_ih: gather it instead of multiplying by zeros.
            addColumns(of: layer.weightIH.values, columns: e, at: tokenIDs, toRows: &pre, width: gh)
        } else {
            Gemm.multiply(m: steps, n: gh, k: e, x, aOffset: inputOffset, aRowStride: e, aColStride: 1,
                          transposed(layer.weightIH.values, rows: gh, cols: e), ldb: gh, into: &pre, ldc: gh,
                          accumulate: true)
        }

        // W_hhᵀ (H × G·H), so each step's W_hh h_{t-1} is a row vector times a matrix with contiguous rows.
        let whhT = transposed(layer.weightHH.values, rows: gh, cols: n)
        ForwardLayerWorkspace.borrowing(
            hidden: &hidden, cellState: &cellState, preactivations: &pre, gates: &gates,
            hiddenProjection: &hiddenProjection, recordsProjection: cell == .gru, weightHHT: whhT,
            biasHH: layer.biasHH, hiddenSize: n
        ) { w in
            for t in 0..<steps {
                // Recurrent projection W_hh h_{t-1} + b_hh (the GRU records it).
                let proj = w.hiddenProjection[t]
                proj.update(from: w.biasHH, count: gh)
                Gemm.multiply(m: 1, n: gh, k: n, a: w.hPrev(t), aRowStride: n, aColStride: 1,
                              b: w.weightHHT, ldb: gh, c: proj, ldc: gh, accumulate: true)
                // The cell: its pre-activation row holds W_ih x_t + b_ih until it writes the pre-activation there.
                let a = w.preactivations[t], gate = w.gates[t]
                switch cell {
                case .rnnTanh:
                    TanhRNNCell.forward(inputProjection: a, hiddenProjection: proj, hiddenSize: n,
                                        preactivation: a, gates: gate, hidden: w.h(t))
                case .rnnRelu:
                    ReLURNNCell.forward(inputProjection: a, hiddenProjection: proj, hiddenSize: n,
                                        preactivation: a, gates: gate, hidden: w.h(t))
                case .lstm:
                    LSTMCell.forward(inputProjection: a, hiddenProjection: proj, hiddenSize: n, cellPrev: w.cPrev(t),
                                     preactivation: a, gates: gate, cell: w.c(t), hidden: w.h(t))
                case .gru:
                    GRUCell.forward(inputProjection: a, hiddenProjection: proj, hiddenSize: n, hiddenPrev: w.hPrev(t),
                                    preactivation: a, gates: gate, hidden: w.h(t))
                }
            }
        }

        return LayerRecording(cell: cell, steps: steps, hiddenSize: n, hidden: hidden, cellState: cellState,
                              preactivations: pre, gates: gates, hiddenProjection: hiddenProjection)
    }

    /// x_t for every step as a T × E buffer: embedding rows, one-hot vectors, numbers or dense vectors.
    func inputMatrix(_ inputs: SequenceInputs) -> [Float] {
        let e = inputSize
        switch inputs {
        case .tokens(let ids):
            var x = [Float](repeating: 0, count: ids.count * e)
            x.withUnsafeMutableBufferPointer { xp in
                if let embedding {
                    embedding.values.withUnsafeBufferPointer { ep in
                        for (t, id) in ids.enumerated() {
                            (xp.baseAddress! + t * e).update(from: ep.baseAddress! + id * e, count: e)
                        }
                    }
                } else {
                    for (t, id) in ids.enumerated() { xp[t * e + id] = 1 }
                }
            }
            return x
        case .numbers(let values):
            precondition(e == 1, "numeric input needs input size 1")
            return values
        case .vectors(let m):
            precondition(m.cols == e, "input vectors need \(e) columns")
            return m.values
        }
    }
}
