import Foundation

extension ModelParameters {
    /// Runs the model over a sequence and records every intermediate (see `ForwardRecording`).
    ///
    /// The input projection W_ih x_t + b_ih of all steps and the head of all steps are computed as
    /// matrix–matrix products over the whole sequence; only the recurrent mat-vec is per step.
    /// Token ids must be valid for this model (`RNNModel` checks them); `targets` has one entry per step.
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
        var pre = [Float](repeating: 0, count: steps * gh)
        var gates = [Float](repeating: 0, count: steps * gh)
        var hiddenProjection = [Float](repeating: 0, count: cell == .gru ? steps * gh : 0)

        // Input projection for all steps at once: XW = X · W_ihᵀ + b_ih  (T × G·H).
        var xw = [Float](repeating: 0, count: steps * gh)
        x.withUnsafeBufferPointer { xp in
            layer.weightIH.values.withUnsafeBufferPointer { wp in
                xw.withUnsafeMutableBufferPointer { out in
                    Gemm.abt(xp.baseAddress!, wp.baseAddress!, out.baseAddress!, m: steps, n: gh, k: e, accumulate: false)
                    for t in 0..<steps { for k in 0..<gh { out[t * gh + k] += layer.biasIH[k] } }
                }
            }
        }

        var hh = [Float](repeating: 0, count: gh)
        layer.weightHH.values.withUnsafeBufferPointer { whh in
        layer.biasHH.withUnsafeBufferPointer { bhh in
        xw.withUnsafeBufferPointer { xwp in
        hidden.withUnsafeMutableBufferPointer { hp in
        cellState.withUnsafeMutableBufferPointer { cp in
        pre.withUnsafeMutableBufferPointer { prep in
        gates.withUnsafeMutableBufferPointer { gp in
        hiddenProjection.withUnsafeMutableBufferPointer { hproj in
        hh.withUnsafeMutableBufferPointer { hhp in
            for t in 0..<steps {
                let hPrev = UnsafePointer(hp.baseAddress! + t * n)
                // Recurrent projection W_hh h_{t-1} + b_hh.
                for k in 0..<gh { hhp[k] = dot(whh.baseAddress! + k * n, hPrev, n) + bhh[k] }
                let xwt = xwp.baseAddress! + t * gh
                let pt = prep.baseAddress! + t * gh, gt = gp.baseAddress! + t * gh
                let hNext = hp.baseAddress! + (t + 1) * n
                switch cell {
                case .rnnTanh:
                    TanhRNNCell.forward(inputProjection: xwt, hiddenProjection: hhp.baseAddress!, hiddenSize: n,
                                        preactivation: pt, gates: gt, hidden: hNext)
                case .lstm:
                    LSTMCell.forward(inputProjection: xwt, hiddenProjection: hhp.baseAddress!, hiddenSize: n,
                                     cellPrev: cp.baseAddress! + t * n, preactivation: pt, gates: gt,
                                     cell: cp.baseAddress! + (t + 1) * n, hidden: hNext)
                case .gru:
                    (hproj.baseAddress! + t * gh).update(from: hhp.baseAddress!, count: gh)
                    GRUCell.forward(inputProjection: xwt, hiddenProjection: hhp.baseAddress!, hiddenSize: n,
                                    hiddenPrev: hPrev, preactivation: pt, gates: gt, hidden: hNext)
                }
            }
        }}}}}}}}}

        // Head for all steps: Y = H · W_hyᵀ + b_y  (T × V).
        var logits = [Float](repeating: 0, count: steps * v)
        hidden.withUnsafeBufferPointer { hp in
            headWeight.values.withUnsafeBufferPointer { wp in
                logits.withUnsafeMutableBufferPointer { out in
                    Gemm.abt(hp.baseAddress! + n, wp.baseAddress!, out.baseAddress!, m: steps, n: v, k: n, accumulate: false)
                    for t in 0..<steps { for k in 0..<v { out[t * v + k] += headBias[k] } }
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
            for (t, id) in ids.enumerated() {
                if let embedding {
                    for k in 0..<e { x[t * e + k] = embedding.values[id * e + k] }
                } else {
                    x[t * e + id] = 1
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
