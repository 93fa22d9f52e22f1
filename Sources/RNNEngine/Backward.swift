extension ModelParameters {
    /// Backpropagation through time over a recorded forward pass: gradients of the mean loss for every
    /// parameter, and per step the total dL/dh_t, dL/dc_t and dL/d(gate pre-activations).
    ///
    /// Mirrors `forward`: the head's and the weight gradients are matrix–matrix products over the whole
    /// sequence (one-hot input: a scatter into W_ih's columns); only the recurrent path h_{t-1} ← h_t is
    /// walked step by step, from the last step back.
    public func backward(_ forward: ForwardRecording) -> BackwardRecording {
        let layer = layers[0]
        let steps = forward.steps
        let e = inputSize, n = hiddenSize, gh = cell.gateCount * n, v = outputSize
        var grads = zeroGradients()

        // Head: dY = softmax − onehot (or MSE) per step; dW_hy = dYᵀ · H, db_y = Σ_t dY_t, and the gradient
        // each step's output sends into h_t: dY · W_hy  (T × H).
        let dLogits = Loss.logitGradients(forward)
        // dHidden starts as the part from each step's own output; the loop below adds the part from step t+1.
        var dHidden = uninitializedFloats(steps * n)  // fully written by the GEMM below
        dLogits.withUnsafeBufferPointer { dy in
            forward.hidden.withUnsafeBufferPointer { hp in
                grads.headWeight.values.withUnsafeMutableBufferPointer { dw in
                    Gemm.multiply(m: v, n: n, k: steps, a: dy.baseAddress!, aRowStride: 1, aColStride: v,
                                  b: hp.baseAddress! + n, ldb: n, c: dw.baseAddress!, ldc: n, accumulate: true)
                }
            }
            headWeight.values.withUnsafeBufferPointer { wp in
                dHidden.withUnsafeMutableBufferPointer { out in
                    Gemm.multiply(m: steps, n: n, k: v, a: dy.baseAddress!, aRowStride: v, aColStride: 1,
                                  b: wp.baseAddress!, ldb: n, c: out.baseAddress!, ldc: n, accumulate: false)
                }
            }
            grads.headBias.withUnsafeMutableBufferPointer {
                addColumnSums(dy.baseAddress!, rows: steps, cols: v, into: $0.baseAddress!)
            }
        }

        // Every step's rows of these are written by the cell's backward.
        var dCell = uninitializedFloats(cell.hasCellState ? steps * n : 0)
        var dPre = uninitializedFloats(steps * gh)
        // Gradient w.r.t. the hidden projection W_hh h + b_hh: the GRU's n block differs from dPre (scaled by
        // r); the other cells use dPre itself.
        var dHHGRU = uninitializedFloats(cell == .gru ? steps * gh : 0)
        var norms = [Float](repeating: 0, count: steps)

        var dhNext = [Float](repeating: 0, count: n)     // dL/dh_t arriving from step t+1
        var dcNext = [Float](repeating: 0, count: n)     // dL/dc_t arriving from step t+1 (LSTM)

        layer.weightHH.values.withUnsafeBufferPointer { whh in
        forward.hidden.withUnsafeBufferPointer { hp in
        forward.cellState.withUnsafeBufferPointer { cp in
        forward.gates.withUnsafeBufferPointer { gp in
        forward.hiddenProjection.withUnsafeBufferPointer { hproj in
        dHidden.withUnsafeMutableBufferPointer { dhp in
        dCell.withUnsafeMutableBufferPointer { dcp in
        dPre.withUnsafeMutableBufferPointer { dprep in
        dHHGRU.withUnsafeMutableBufferPointer { dhhp in
        dhNext.withUnsafeMutableBufferPointer { dhn in
        dcNext.withUnsafeMutableBufferPointer { dcn in
        norms.withUnsafeMutableBufferPointer { normp in
            for t in stride(from: steps - 1, through: 0, by: -1) {
                // Total dL/dh_t = from this step's output + from step t+1.
                let dh = dhp.baseAddress! + t * n
                add(dh, dhn.baseAddress!, into: dh, n)
                normp[t] = sumOfSquares(dh, n).squareRoot()

                let dpre = dprep.baseAddress! + t * gh
                var dhh = dpre
                switch cell {
                case .rnnTanh:
                    TanhRNNCell.backward(dHidden: dh, hidden: hp.baseAddress! + (t + 1) * n, hiddenSize: n,
                                         dPreactivation: dpre)
                case .lstm:
                    LSTMCell.backward(dHidden: dh, dCellFromNext: dcn.baseAddress!, gates: gp.baseAddress! + t * gh,
                                      cell: cp.baseAddress! + (t + 1) * n, cellPrev: cp.baseAddress! + t * n,
                                      hiddenSize: n, dCell: dcp.baseAddress! + t * n, dPreactivation: dpre)
                case .gru:
                    dhh = dhhp.baseAddress! + t * gh
                    // The direct path z ⊙ dh goes straight into dL/dh_{t-1}; the mat-vec below adds to it.
                    GRUCell.backward(dHidden: dh, gates: gp.baseAddress! + t * gh,
                                     hiddenProjection: hproj.baseAddress! + t * gh, hiddenPrev: hp.baseAddress! + t * n,
                                     hiddenSize: n, dPreactivation: dpre, dHiddenProjection: dhh,
                                     dHiddenPrevDirect: dhn.baseAddress!)
                }

                // dL/dh_{t-1} = W_hhᵀ · d(hidden projection) (+ the GRU's direct path): a row vector times W_hh.
                // Not needed after step 0: the gradient of the initial state is not part of the recording.
                guard t > 0 else { break }
                Gemm.multiply(m: 1, n: n, k: gh, a: dhh, aRowStride: gh, aColStride: 1, b: whh.baseAddress!, ldb: n,
                              c: dhn.baseAddress!, ldc: n, accumulate: cell == .gru)
            }
        }}}}}}}}}}}}

        // Weight gradients summed over time: dW_ih = dPreᵀ · X, dW_hh = dHHᵀ · H_prev, biases = column sums.
        // (For the GRU the input side sees dPre, the hidden side dHH.)
        let dHH = cell == .gru ? dHHGRU : dPre
        dPre.withUnsafeBufferPointer { dp in
            grads.layers[0].weightIH.values.withUnsafeMutableBufferPointer { dw in
                if embedding == nil && !forward.tokenIDs.isEmpty {
                    // One-hot x_t: dPre_t lands in column id of dW_ih.
                    for (t, id) in forward.tokenIDs.enumerated() {
                        let row = dp.baseAddress! + t * gh
                        for k in 0..<gh { dw[k * e + id] += row[k] }
                    }
                } else {
                    forward.inputs.withUnsafeBufferPointer { xp in
                        Gemm.multiply(m: gh, n: e, k: steps, a: dp.baseAddress!, aRowStride: 1, aColStride: gh,
                                      b: xp.baseAddress!, ldb: e, c: dw.baseAddress!, ldc: e, accumulate: true)
                    }
                }
            }
            grads.layers[0].biasIH.withUnsafeMutableBufferPointer {
                addColumnSums(dp.baseAddress!, rows: steps, cols: gh, into: $0.baseAddress!)
            }
        }
        dHH.withUnsafeBufferPointer { dp in
            forward.hidden.withUnsafeBufferPointer { hp in
                grads.layers[0].weightHH.values.withUnsafeMutableBufferPointer { dw in
                    Gemm.multiply(m: gh, n: n, k: steps, a: dp.baseAddress!, aRowStride: 1, aColStride: gh,
                                  b: hp.baseAddress!, ldb: n, c: dw.baseAddress!, ldc: n, accumulate: true)
                }
            }
            if cell != .gru {
                // Same column sums of the same dPre, from the same zeros: b_hh's gradient is b_ih's.
                grads.layers[0].biasHH = grads.layers[0].biasIH
            } else {
                grads.layers[0].biasHH.withUnsafeMutableBufferPointer {
                    addColumnSums(dp.baseAddress!, rows: steps, cols: gh, into: $0.baseAddress!)
                }
            }
        }

        // Embedding: dL/dx_t = W_ihᵀ · dPre_t, added to the row of the token read at step t.
        if embedding != nil, !forward.tokenIDs.isEmpty {
            var dX = uninitializedFloats(steps * e)  // fully written by the GEMM
            dPre.withUnsafeBufferPointer { dp in
                layer.weightIH.values.withUnsafeBufferPointer { wp in
                    dX.withUnsafeMutableBufferPointer { out in
                        Gemm.multiply(m: steps, n: e, k: gh, a: dp.baseAddress!, aRowStride: gh, aColStride: 1,
                                      b: wp.baseAddress!, ldb: e, c: out.baseAddress!, ldc: e, accumulate: false)
                    }
                }
            }
            dX.withUnsafeBufferPointer { dx in
                grads.embedding!.values.withUnsafeMutableBufferPointer { de in
                    for (t, id) in forward.tokenIDs.enumerated() {
                        add(de.baseAddress! + id * e, dx.baseAddress! + t * e, into: de.baseAddress! + id * e, e)
                    }
                }
            }
        }

        return BackwardRecording(steps: steps, hiddenSize: n, gateCount: cell.gateCount, dHidden: dHidden,
                                 dCell: dCell, dPreactivations: dPre, hiddenGradientNorms: norms,
                                 parameterGradients: grads)
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
