import RNNEngine
import RNNTrace

/// A weight matrix's gradient as backpropagation through time builds it: the sum over the steps s ≥ t of
/// each step's outer product (gradient at the matrix's output) ⊗ (what it multiplied). Walking back from the
/// last step to t = 0 it grows into the parameter gradient of the whole sequence.
struct AccumulatedGradient {
    /// dW_ih (G·H × E), dW_hh (G·H × H), db_ih, db_hh of the shown layer, and (top layer) dW_hy (V × H), db_y.
    var weightIH: [Double]
    var weightHH: [Double]
    var biasIH: [Double]
    var biasHH: [Double]
    var head: [Double]?
    var headBias: [Double]?

    /// The sums over s ≥ `t`; nil without recorded gradients.
    init?(recording r: Recording, from t: Int) {
        let k = r.shownLayer, layer = r.layers[k]
        guard !layer.dPreactivations.isEmpty, r.stepCount > 0 else { return nil }
        let n = r.hiddenSize, g = layer.blockCount, e = r.shownInputSize
        weightIH = [Double](repeating: 0, count: g * n * e)
        weightHH = [Double](repeating: 0, count: g * n * n)
        biasIH = [Double](repeating: 0, count: g * n)
        biasHH = biasIH
        let top = k == r.layerCount - 1
        var head = top ? [Double](repeating: 0, count: r.outputSize * n) : nil
        var headBias = top ? [Double](repeating: 0, count: r.outputSize) : nil
        for s in max(0, t)..<r.stepCount {
            let step = r.step(s)
            let dPre = Array(layer.dPreactivations[(s * g * n)..<((s + 1) * g * n)]).map(Double.init)
            // The gradient at W_hh·h_{s−1} + b_hh: the pre-activation's, except the GRU's n block, which r scales.
            var dHW = dPre
            if r.cell == .gru, let reset = step.gate(.reset) {
                for j in 0..<n { dHW[2 * n + j] *= reset[j] }
            }
            let x = step.x, hPrev = step.hPrev
            for row in 0..<(g * n) {
                biasIH[row] += dPre[row]
                biasHH[row] += dHW[row]
                if dPre[row] != 0 { for c in 0..<e { weightIH[row * e + c] += dPre[row] * x[c] } }
                if dHW[row] != 0 { for c in 0..<n { weightHH[row * n + c] += dHW[row] * hPrev[c] } }
            }
            if head != nil {
                let dy = SumBackward.outputGradient(r, t: s), h = step.h
                for o in 0..<r.outputSize where dy[o] != 0 {
                    headBias![o] += dy[o]
                    for c in 0..<n { head![o * n + c] += dy[o] * h[c] }
                }
            }
        }
        self.head = head
        self.headBias = headBias
    }
}
