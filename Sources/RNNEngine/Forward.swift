extension ModelParameters {
    /// Runs the model over a sequence and records every intermediate (see `ForwardRecording`).
    ///
    /// The input projection W_ih x_t + b_ih of all steps and the head of all steps are computed as
    /// matrix–matrix products over the whole sequence (one-hot input: a gather of W_ih's columns); only the
    /// recurrent mat-vec is per step. Token ids must be valid for this model (`RNNModel` checks them);
    /// `targets` has one entry per step.
    public func forward(_ inputs: SequenceInputs, targets: SequenceTargets, task: ModelTask,
                        initialState: RecurrentState? = nil) -> ForwardRecording {
        let layer = layers[0]
        let steps = inputs.count
        let e = inputSize, n = hiddenSize, gh = cell.gateCount * n, v = outputSize
        precondition(targets.count == steps, "one target per step")

        let x = inputMatrix(inputs)
        var tokenIDs: [Int] = []
        if case .tokens(let ids) = inputs { tokenIDs = ids }

        let start = initialState ?? .zero(cell: cell, hiddenSize: n)
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
        pre.withUnsafeMutableBufferPointer { out in
            layer.biasIH.withUnsafeBufferPointer { fillRows(out.baseAddress!, rows: steps, cols: gh, with: $0.baseAddress!) }
            layer.weightIH.values.withUnsafeBufferPointer { w in
                if embedding == nil && !tokenIDs.isEmpty {
                    // A one-hot x_t picks column id of W_ih: gather it instead of multiplying by zeros.
                    for (t, id) in tokenIDs.enumerated() {
                        let row = out.baseAddress! + t * gh
                        for k in 0..<gh { row[k] += w[k * e + id] }
                    }
                } else {
                    let wT = transposed(layer.weightIH.values, rows: gh, cols: e)
                    x.withUnsafeBufferPointer { xp in
                        wT.withUnsafeBufferPointer { wtp in
                            Gemm.multiply(m: steps, n: gh, k: e, a: xp.baseAddress!, aRowStride: e, aColStride: 1,
                                          b: wtp.baseAddress!, ldb: gh, c: out.baseAddress!, ldc: gh, accumulate: true)
                        }
                    }
                }
            }
        }

        // W_hhᵀ (H × G·H), so each step's W_hh h_{t-1} is a row vector times a matrix with contiguous rows.
        let whhT = transposed(layer.weightHH.values, rows: gh, cols: n)
        var hh = [Float](repeating: 0, count: gh)
        whhT.withUnsafeBufferPointer { whh in
        layer.biasHH.withUnsafeBufferPointer { bhh in
        hidden.withUnsafeMutableBufferPointer { hp in
        cellState.withUnsafeMutableBufferPointer { cp in
        pre.withUnsafeMutableBufferPointer { prep in
        gates.withUnsafeMutableBufferPointer { gp in
        hiddenProjection.withUnsafeMutableBufferPointer { hproj in
        hh.withUnsafeMutableBufferPointer { hhp in
            for t in 0..<steps {
                let hPrev = UnsafePointer(hp.baseAddress! + t * n)
                // Recurrent projection W_hh h_{t-1} + b_hh (the GRU records it).
                let proj = cell == .gru ? hproj.baseAddress! + t * gh : hhp.baseAddress!
                proj.update(from: bhh.baseAddress!, count: gh)
                Gemm.multiply(m: 1, n: gh, k: n, a: hPrev, aRowStride: n, aColStride: 1,
                              b: whh.baseAddress!, ldb: gh, c: proj, ldc: gh, accumulate: true)
                let pt = prep.baseAddress! + t * gh, gt = gp.baseAddress! + t * gh
                let hNext = hp.baseAddress! + (t + 1) * n
                switch cell {
                case .rnnTanh:
                    TanhRNNCell.forward(inputProjection: pt, hiddenProjection: proj, hiddenSize: n,
                                        preactivation: pt, gates: gt, hidden: hNext)
                case .lstm:
                    LSTMCell.forward(inputProjection: pt, hiddenProjection: proj, hiddenSize: n,
                                     cellPrev: cp.baseAddress! + t * n, preactivation: pt, gates: gt,
                                     cell: cp.baseAddress! + (t + 1) * n, hidden: hNext)
                case .gru:
                    GRUCell.forward(inputProjection: pt, hiddenProjection: proj, hiddenSize: n,
                                    hiddenPrev: hPrev, preactivation: pt, gates: gt, hidden: hNext)
                }
            }
        }}}}}}}}

        // Head for all steps: Y = H · W_hyᵀ + b_y  (T × V).
        var logits = uninitializedFloats(steps * v)
        let wyT = transposed(headWeight.values, rows: v, cols: n)
        hidden.withUnsafeBufferPointer { hp in
            wyT.withUnsafeBufferPointer { wp in
                logits.withUnsafeMutableBufferPointer { out in
                    headBias.withUnsafeBufferPointer { fillRows(out.baseAddress!, rows: steps, cols: v, with: $0.baseAddress!) }
                    Gemm.multiply(m: steps, n: v, k: n, a: hp.baseAddress! + n, aRowStride: n, aColStride: 1,
                                  b: wp.baseAddress!, ldb: v, c: out.baseAddress!, ldc: v, accumulate: true)
                }
            }
        }

        let loss = Loss.evaluate(logits: logits, outputs: v, targets: targets, task: task)
        return ForwardRecording(
            cell: cell, task: task, steps: steps, inputSize: e, hiddenSize: n, outputSize: v,
            inputs: x, tokenIDs: tokenIDs, hidden: hidden, cellState: cellState, preactivations: pre, gates: gates,
            hiddenProjection: hiddenProjection, logits: logits, probabilities: loss.probabilities, targets: targets,
            stepLosses: loss.stepLosses, meanLoss: loss.mean)
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
