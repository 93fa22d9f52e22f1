import Foundation

/// PyTorch's `nn.LSTM` cell (gate blocks stacked in row order i, f, g, o):
///
///     i_t = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)      input gate: how much of the candidate is written
///     f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf)      forget gate: how much of c_{t-1} is kept
///     g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)   candidate values
///     o_t = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho)      output gate: how much of the cell is shown
///     c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
///     h_t = o_t ⊙ tanh(c_t)
///
/// Weights: `weight_ih` [4H, E], `weight_hh` [4H, H].
enum LSTMCell {
    static func forward(inputProjection xw: UnsafePointer<Float>, hiddenProjection hh: UnsafePointer<Float>,
                        hiddenSize n: Int, cellPrev cPrev: UnsafePointer<Float>,
                        preactivation pre: UnsafeMutablePointer<Float>, gates: UnsafeMutablePointer<Float>,
                        cell c: UnsafeMutablePointer<Float>, hidden h: UnsafeMutablePointer<Float>) {
        for k in 0..<(4 * n) { pre[k] = xw[k] + hh[k] }
        for u in 0..<n {
            let i = sigmoid(pre[u])
            let f = sigmoid(pre[n + u])
            let g = tanhf(pre[2 * n + u])
            let o = sigmoid(pre[3 * n + u])
            gates[u] = i
            gates[n + u] = f
            gates[2 * n + u] = g
            gates[3 * n + u] = o
            c[u] = f * cPrev[u] + i * g
            h[u] = o * tanhf(c[u])
        }
    }

    /// Backward for one step. `dCellFromNext` is dL/dc_t through c_{t+1} (= dc_{t+1} ⊙ f_{t+1}), zero at the
    /// last step. Writes the total dL/dc_t and dL/d(pre-activations); the gradient w.r.t. both projections
    /// equals the pre-activation gradient.
    static func backward(dHidden dh: UnsafePointer<Float>, dCellFromNext dcNext: UnsafePointer<Float>,
                         gates: UnsafePointer<Float>, cell c: UnsafePointer<Float>, cellPrev cPrev: UnsafePointer<Float>,
                         hiddenSize n: Int, dCell dc: UnsafeMutablePointer<Float>,
                         dPreactivation dpre: UnsafeMutablePointer<Float>, dHiddenProjection dhh: UnsafeMutablePointer<Float>) {
        for u in 0..<n {
            let i = gates[u], f = gates[n + u], g = gates[2 * n + u], o = gates[3 * n + u]
            let tc = tanhf(c[u])
            // h = o ⊙ tanh(c): into o, and into c through tanh
            let dO = dh[u] * tc
            dc[u] = dcNext[u] + dh[u] * o * (1 - tc * tc)
            // c = f ⊙ c_prev + i ⊙ g
            let dI = dc[u] * g
            let dG = dc[u] * i
            let dF = dc[u] * cPrev[u]
            // through σ (σ' = σ(1-σ)) and tanh (1 - tanh²)
            dpre[u] = dI * i * (1 - i)
            dpre[n + u] = dF * f * (1 - f)
            dpre[2 * n + u] = dG * (1 - g * g)
            dpre[3 * n + u] = dO * o * (1 - o)
        }
        for k in 0..<(4 * n) { dhh[k] = dpre[k] }
    }
}
