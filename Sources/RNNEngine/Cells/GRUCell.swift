import Foundation

/// PyTorch's `nn.GRU` cell (gate blocks stacked in row order r, z, n; reset applied after the hidden matmul):
///
///     r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)          reset gate: how much of the past feeds n
///     z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)          update gate: how much of h_{t-1} is kept
///     n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn))  candidate state
///     h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}
///
/// Weights: `weight_ih` [3H, E], `weight_hh` [3H, H].
enum GRUCell {
    static func forward(inputProjection xw: UnsafePointer<Float>, hiddenProjection hh: UnsafePointer<Float>,
                        hiddenSize n: Int, hiddenPrev hPrev: UnsafePointer<Float>,
                        preactivation pre: UnsafeMutablePointer<Float>, gates: UnsafeMutablePointer<Float>,
                        hidden h: UnsafeMutablePointer<Float>) {
        for u in 0..<n {
            pre[u] = xw[u] + hh[u]
            pre[n + u] = xw[n + u] + hh[n + u]
            let r = sigmoid(pre[u])
            let z = sigmoid(pre[n + u])
            pre[2 * n + u] = xw[2 * n + u] + r * hh[2 * n + u]
            let cand = tanhf(pre[2 * n + u])
            gates[u] = r
            gates[n + u] = z
            gates[2 * n + u] = cand
            h[u] = (1 - z) * cand + z * hPrev[u]
        }
    }

    /// Backward for one step. Writes dL/d(pre-activations), the gradient w.r.t. the hidden projection
    /// W_hh h + b_hh (whose n block is scaled by r), and the direct path dL/dh_{t-1} = z ⊙ dh.
    /// The input projection's gradient equals the pre-activation gradient.
    static func backward(dHidden dh: UnsafePointer<Float>, gates: UnsafePointer<Float>,
                         hiddenProjection hh: UnsafePointer<Float>, hiddenPrev hPrev: UnsafePointer<Float>,
                         hiddenSize n: Int, dPreactivation dpre: UnsafeMutablePointer<Float>,
                         dHiddenProjection dhh: UnsafeMutablePointer<Float>,
                         dHiddenPrevDirect dhPrev: UnsafeMutablePointer<Float>) {
        for u in 0..<n {
            let r = gates[u], z = gates[n + u], cand = gates[2 * n + u]
            // h = (1 − z) ⊙ n + z ⊙ h_prev
            let dN = dh[u] * (1 - z)
            let dZ = dh[u] * (hPrev[u] - cand)
            dhPrev[u] = dh[u] * z
            // n = tanh(a_n), a_n = W_in x + b_in + r ⊙ (W_hn h + b_hn)
            let dAn = dN * (1 - cand * cand)
            let dR = dAn * hh[2 * n + u]
            dpre[u] = dR * r * (1 - r)
            dpre[n + u] = dZ * z * (1 - z)
            dpre[2 * n + u] = dAn
            dhh[u] = dpre[u]
            dhh[n + u] = dpre[n + u]
            dhh[2 * n + u] = dAn * r
        }
    }
}
