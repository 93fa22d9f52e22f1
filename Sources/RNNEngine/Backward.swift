import Foundation

extension ModelParameters {
    /// Backpropagation through time over a recorded forward pass: gradients of the mean loss for every
    /// parameter, and per step the total dL/dh_t, dL/dc_t and dL/d(gate pre-activations).
    ///
    /// Mirrors `forward`: the head's and the weight gradients are matrix–matrix products over the whole
    /// sequence; only the recurrent path h_{t-1} ← h_t is walked step by step, from the last step back.
    public func backward(_ forward: ForwardRecording) -> BackwardRecording {
        let layer = layers[0]
        let steps = forward.steps
        let e = inputSize, n = hiddenSize, gh = cell.gateCount * n, v = outputSize
        var grads = zeros()

        // Head: dY = softmax − onehot (or MSE) per step; dW_hy = dYᵀ · H, db_y = Σ_t dY_t, and the gradient
        // each step's output sends into h_t: dY · W_hy  (T × H).
        let dLogits = Loss.logitGradients(forward)
        var dHiddenFromHead = [Float](repeating: 0, count: steps * n)
        dLogits.withUnsafeBufferPointer { dy in
            forward.hidden.withUnsafeBufferPointer { hp in
                grads.headWeight.values.withUnsafeMutableBufferPointer { dw in
                    Gemm.atbAccumulate(dy.baseAddress!, hp.baseAddress! + n, dw.baseAddress!, m: steps, n: v, k: n)
                }
            }
            headWeight.values.withUnsafeBufferPointer { wp in
                dHiddenFromHead.withUnsafeMutableBufferPointer { out in
                    Gemm.abAccumulate(dy.baseAddress!, wp.baseAddress!, out.baseAddress!, m: steps, n: v, k: n)
                }
            }
        }
        for t in 0..<steps { for k in 0..<v { grads.headBias[k] += dLogits[t * v + k] } }

        var dHidden = [Float](repeating: 0, count: steps * n)
        var dCell = [Float](repeating: 0, count: cell.hasCellState ? steps * n : 0)
        var dPre = [Float](repeating: 0, count: steps * gh)
        // Gradients w.r.t. the two projections; they differ only for the GRU's n block.
        var dHH = [Float](repeating: 0, count: steps * gh)
        var norms = [Float](repeating: 0, count: steps)

        var dhNext = [Float](repeating: 0, count: n)     // dL/dh_t arriving from step t+1
        var dcNext = [Float](repeating: 0, count: n)     // dL/dc_t arriving from step t+1 (LSTM)
        var direct = [Float](repeating: 0, count: n)     // GRU's direct path z ⊙ dh

        layer.weightHH.values.withUnsafeBufferPointer { whh in
        forward.hidden.withUnsafeBufferPointer { hp in
        forward.cellState.withUnsafeBufferPointer { cp in
        forward.gates.withUnsafeBufferPointer { gp in
        forward.hiddenProjection.withUnsafeBufferPointer { hproj in
        dHiddenFromHead.withUnsafeBufferPointer { fromHead in
        dHidden.withUnsafeMutableBufferPointer { dhp in
        dCell.withUnsafeMutableBufferPointer { dcp in
        dPre.withUnsafeMutableBufferPointer { dprep in
        dHH.withUnsafeMutableBufferPointer { dhhp in
        dhNext.withUnsafeMutableBufferPointer { dhn in
        dcNext.withUnsafeMutableBufferPointer { dcn in
        direct.withUnsafeMutableBufferPointer { dir in
            for t in stride(from: steps - 1, through: 0, by: -1) {
                // Total dL/dh_t = from this step's output + from step t+1.
                let dh = dhp.baseAddress! + t * n
                var squared: Float = 0
                for u in 0..<n {
                    dh[u] = fromHead[t * n + u] + dhn[u]
                    squared += dh[u] * dh[u]
                }
                norms[t] = squared.squareRoot()

                let dpre = dprep.baseAddress! + t * gh, dhh = dhhp.baseAddress! + t * gh
                switch cell {
                case .rnnTanh:
                    TanhRNNCell.backward(dHidden: dh, hidden: hp.baseAddress! + (t + 1) * n, hiddenSize: n,
                                         dPreactivation: dpre, dHiddenProjection: dhh)
                case .lstm:
                    LSTMCell.backward(dHidden: dh, dCellFromNext: dcn.baseAddress!, gates: gp.baseAddress! + t * gh,
                                      cell: cp.baseAddress! + (t + 1) * n, cellPrev: cp.baseAddress! + t * n,
                                      hiddenSize: n, dCell: dcp.baseAddress! + t * n, dPreactivation: dpre,
                                      dHiddenProjection: dhh)
                    // c_t = f_t ⊙ c_{t-1} + …: dL/dc_{t-1} through this step is dc_t ⊙ f_t.
                    for u in 0..<n { dcn[u] = dcp[t * n + u] * gp[t * gh + n + u] }
                case .gru:
                    GRUCell.backward(dHidden: dh, gates: gp.baseAddress! + t * gh,
                                     hiddenProjection: hproj.baseAddress! + t * gh, hiddenPrev: hp.baseAddress! + t * n,
                                     hiddenSize: n, dPreactivation: dpre, dHiddenProjection: dhh,
                                     dHiddenPrevDirect: dir.baseAddress!)
                }

                // dL/dh_{t-1} = W_hhᵀ · d(hidden projection) (+ the GRU's direct path).
                for u in 0..<n { dhn[u] = cell == .gru ? dir[u] : 0 }
                for k in 0..<gh where dhh[k] != 0 {
                    axpy(dhh[k], whh.baseAddress! + k * n, dhn.baseAddress!, n)
                }
            }
        }}}}}}}}}}}}}

        // Weight gradients summed over time: dW_ih = dPreᵀ · X, dW_hh = dHHᵀ · H_prev, biases = column sums.
        // (For the GRU the input side sees dPre, the hidden side dHH.)
        dPre.withUnsafeBufferPointer { dp in
            forward.inputs.withUnsafeBufferPointer { xp in
                grads.layers[0].weightIH.values.withUnsafeMutableBufferPointer { dw in
                    Gemm.atbAccumulate(dp.baseAddress!, xp.baseAddress!, dw.baseAddress!, m: steps, n: gh, k: e)
                }
            }
        }
        dHH.withUnsafeBufferPointer { dp in
            forward.hidden.withUnsafeBufferPointer { hp in
                grads.layers[0].weightHH.values.withUnsafeMutableBufferPointer { dw in
                    Gemm.atbAccumulate(dp.baseAddress!, hp.baseAddress!, dw.baseAddress!, m: steps, n: gh, k: n)
                }
            }
        }
        for t in 0..<steps {
            for k in 0..<gh {
                grads.layers[0].biasIH[k] += dPre[t * gh + k]
                grads.layers[0].biasHH[k] += dHH[t * gh + k]
            }
        }

        // Embedding: dL/dx_t = W_ihᵀ · dPre_t, added to the row of the token read at step t.
        if embedding != nil, !forward.tokenIDs.isEmpty {
            var dX = [Float](repeating: 0, count: steps * e)
            dPre.withUnsafeBufferPointer { dp in
                layer.weightIH.values.withUnsafeBufferPointer { wp in
                    dX.withUnsafeMutableBufferPointer { out in
                        Gemm.abAccumulate(dp.baseAddress!, wp.baseAddress!, out.baseAddress!, m: steps, n: gh, k: e)
                    }
                }
            }
            for (t, id) in forward.tokenIDs.enumerated() {
                for k in 0..<e { grads.embedding!.values[id * e + k] += dX[t * e + k] }
            }
        }

        return BackwardRecording(steps: steps, hiddenSize: n, gateCount: cell.gateCount, dHidden: dHidden,
                                 dCell: dCell, dPreactivations: dPre, hiddenGradientNorms: norms,
                                 parameterGradients: grads)
    }
}
