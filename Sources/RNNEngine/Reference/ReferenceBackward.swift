import Foundation

/// Everything the reference backpropagation through time computed, in the layout of `BackwardRecording`.
public struct ReferenceBackward: Equatable, Sendable {
    /// Total dL/dh_t, [layer][t][unit].
    public var dHidden: [[[Double]]]
    /// Total dL/dc_t (LSTM), [layer][t][unit]; empty rows otherwise.
    public var dCell: [[[Double]]]
    /// dL/d(gate pre-activations), [layer][t][G·H].
    public var dPreactivations: [[[Double]]]
    /// ‖dL/dh_t‖₂, [layer][t].
    public var hiddenGradientNorms: [[Double]]
    /// dL/dθ for every parameter of the mean loss, shaped like the model.
    public var gradients: ReferenceModel
}

extension ReferenceModel {
    /// Backpropagation through time, min-char-rnn style: the head's gradient at every step, then each layer
    /// from the top down and each step from the last back, every local derivative one line.
    public func backward(_ f: ReferenceForward) -> ReferenceBackward {
        let n = hiddenSize, steps = f.logits.count
        var grads = zeros()

        // Head: dL/dy_t = (p_t − onehot(target)) / N, or 2 (y_t − target) / N for the squared error.
        let count = Double(f.stepLosses.compactMap { $0 }.count)
        var fromAbove: [Vector] = []          // what reaches the current layer's h_t from above
        for t in 0..<steps {
            var dy = Vector(repeating: 0, count: headBias.count)
            switch f.targets {
            case .tokens(let ids):
                if let target = ids[t] {
                    dy = (1 / count) * Vector(f.probabilities[t])
                    dy[target] -= 1 / count
                }
            case .numbers(let values):
                if let target = values[t] { dy[0] = 2 * (f.logits[t][0] - Double(target)) / count }
            }
            let hTop = Vector(f.steps[layers.count - 1][t].h)
            addOuterProduct(&grads.headWeight, dy, hTop)     // dW_hy += dy ⊗ h_t
            add(dy, to: &grads.headBias)                      // db_y += dy
            fromAbove.append(transposedMatVec(headWeight, dy))   // dh_t += W_hyᵀ dy
        }

        var dHidden = [[[Double]]](repeating: [], count: layers.count)
        var dCell = dHidden, dPre = dHidden
        for k in layers.indices.reversed() {
            let layer = layers[k]
            let states = f.steps[k]
            var dhNext = Vector(repeating: 0, count: n)   // dL/dh_t through step t+1
            var dcNext = Vector(repeating: 0, count: n)   // dL/dc_t through step t+1 (LSTM)
            var below = [Vector](repeating: Vector([]), count: steps)
            var layerDH = [[Double]](repeating: [], count: steps)
            var layerDC = layerDH, layerDPre = layerDH
            for t in stride(from: steps - 1, through: 0, by: -1) {
                let s = states[t]
                let hPrev = Vector(t > 0 ? states[t - 1].h : f.initialHidden[k])
                let cPrev = Vector(t > 0 ? states[t - 1].c : f.initialCell[k])
                let x = k == 0 ? Vector(f.inputs[t]) : Vector(f.steps[k - 1][t].h)
                let dh = fromAbove[t] + dhNext
                layerDH[t] = dh.values

                // dPreact: the gradient at the gate pre-activations; dHW: at W_hh h_{t-1} + b_hh (the same
                // except for the GRU's n block, which r scales); dhDirect: the GRU's z ⊙ h_{t-1} path.
                let dPreact: Vector, dHW: Vector
                var dhDirect = Vector(repeating: 0, count: n)
                let gates = Vector(s.gates)
                switch cell {
                case .rnnTanh:
                    let h = Vector(s.h)
                    dPreact = dh * (1 - h * h)                               // tanh′ = 1 − tanh²
                    dHW = dPreact
                case .rnnRelu:
                    dPreact = Vector((0..<n).map { s.h[$0] > 0 ? dh[$0] : 0 })   // relu′ = [a > 0]
                    dHW = dPreact
                case .lstm:
                    let i = gates.block(0, size: n), fg = gates.block(1, size: n)
                    let g = gates.block(2, size: n), o = gates.block(3, size: n)
                    let tc = tanh(Vector(s.c))
                    let dc = dcNext + dh * o * (1 - tc * tc)                 // h = o ⊙ tanh(c)
                    layerDC[t] = dc.values
                    let di = dc * g, df = dc * cPrev, dg = dc * i, dO = dh * tc   // c = f ⊙ c_prev + i ⊙ g
                    dPreact = Vector.stacked([di * i * (1 - i), df * fg * (1 - fg),   // σ′ = σ(1 − σ)
                                              dg * (1 - g * g), dO * o * (1 - o)])
                    dHW = dPreact
                    dcNext = dc * fg                                          // c_t = f_t ⊙ c_{t-1} + …
                case .gru:
                    let r = gates.block(0, size: n), z = gates.block(1, size: n)
                    let candidate = gates.block(2, size: n)
                    let dCandidate = dh * (1 - z)                             // h = (1 − z) ⊙ n + z ⊙ h_prev
                    let dz = dh * (hPrev - candidate)
                    dhDirect = dh * z
                    let dan = dCandidate * (1 - candidate * candidate)        // n = tanh(a_n)
                    let hwN = Vector(s.hiddenProjection).block(2, size: n)
                    let dr = dan * hwN                                        // a_n = … + r ⊙ (W_hn h + b_hn)
                    let dar = dr * r * (1 - r), daz = dz * z * (1 - z)
                    dPreact = Vector.stacked([dar, daz, dan])
                    dHW = Vector.stacked([dar, daz, dan * r])
                }
                layerDPre[t] = dPreact.values

                addOuterProduct(&grads.layers[k].weightIH, dPreact, x)        // dW_ih += dPreact ⊗ x_t
                add(dPreact, to: &grads.layers[k].biasIH)
                addOuterProduct(&grads.layers[k].weightHH, dHW, hPrev)        // dW_hh += dHW ⊗ h_{t-1}
                add(dHW, to: &grads.layers[k].biasHH)
                below[t] = transposedMatVec(layer.weightIH, dPreact)          // dx_t = W_ihᵀ dPreact
                dhNext = transposedMatVec(layer.weightHH, dHW) + dhDirect     // dh_{t-1} through this step
            }
            dHidden[k] = layerDH
            dCell[k] = cell.hasCellState ? layerDC : []
            dPre[k] = layerDPre
            if k == 0, grads.embedding != nil {
                for (t, id) in f.tokenIDs.enumerated() {                      // dE[id] += dx_t
                    for j in 0..<below[t].count { grads.embedding![id][j] += below[t][j] }
                }
            }
            fromAbove = below
        }
        let norms = dHidden.map { layer in layer.map { dh in dh.reduce(0) { $0 + $1 * $1 }.squareRoot() } }
        return ReferenceBackward(dHidden: dHidden, dCell: dCell, dPreactivations: dPre,
                                 hiddenGradientNorms: norms, gradients: grads)
    }
}
