/// PyTorch's `nn.GRU` cell (gate blocks stacked in row order r, z, n; reset applied after the hidden matmul):
///
///     r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)          reset gate: how much of the past feeds n
///     z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)          update gate: how much of h_{t-1} is kept
///     n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn))  candidate state
///     h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}
///
/// Weights: `weight_ih` [3H, E], `weight_hh` [3H, H]. Element-wise work runs eight units at a time.
enum GRUCell {
    /// `inputProjection` may be the `preactivation` buffer itself: each block is read before it is written.
    static func forward(inputProjection xw: UnsafePointer<Float>, hiddenProjection hh: UnsafePointer<Float>,
                        hiddenSize n: Int, hiddenPrev hPrev: UnsafePointer<Float>,
                        preactivation pre: UnsafeMutablePointer<Float>, gates: UnsafeMutablePointer<Float>,
                        hidden h: UnsafeMutablePointer<Float>) {
        forEachBlock8(n) { u, w in
            let ar = load8(xw + u, w) + load8(hh + u, w)
            let az = load8(xw + n + u, w) + load8(hh + n + u, w)
            let r = sigmoid8(ar), z = sigmoid8(az)
            let an = load8(xw + 2 * n + u, w) + r * load8(hh + 2 * n + u, w)
            let cand = tanh8(an)
            store8(ar, pre + u, w); store8(az, pre + n + u, w); store8(an, pre + 2 * n + u, w)
            store8(r, gates + u, w); store8(z, gates + n + u, w); store8(cand, gates + 2 * n + u, w)
            store8((1 - z) * cand + z * load8(hPrev + u, w), h + u, w)
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
        forEachBlock8(n) { u, w in
            let r = load8(gates + u, w), z = load8(gates + n + u, w), cand = load8(gates + 2 * n + u, w)
            let dhu = load8(dh + u, w)
            // h = (1 − z) ⊙ n + z ⊙ h_prev
            let dN = dhu * (1 - z)
            let dZ = dhu * (load8(hPrev + u, w) - cand)
            store8(dhu * z, dhPrev + u, w)
            // n = tanh(a_n), a_n = W_in x + b_in + r ⊙ (W_hn h + b_hn)
            let dAn = dN * (1 - cand * cand)
            let dR = dAn * load8(hh + 2 * n + u, w)
            let dr = dR * r * (1 - r), dz = dZ * z * (1 - z)
            store8(dr, dpre + u, w); store8(dz, dpre + n + u, w); store8(dAn, dpre + 2 * n + u, w)
            store8(dr, dhh + u, w); store8(dz, dhh + n + u, w); store8(dAn * r, dhh + 2 * n + u, w)
        }
    }
}
