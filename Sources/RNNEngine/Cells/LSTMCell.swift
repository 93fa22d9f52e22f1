/// PyTorch's `nn.LSTM` cell (gate blocks stacked in row order i, f, g, o):
///
///     i_t = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)      input gate: how much of the candidate is written
///     f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf)      forget gate: how much of c_{t-1} is kept
///     g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)   candidate values
///     o_t = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho)      output gate: how much of the cell is shown
///     c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
///     h_t = o_t ⊙ tanh(c_t)
///
/// Weights: `weight_ih` [4H, E], `weight_hh` [4H, H]. Element-wise work runs eight units at a time.
enum LSTMCell {
    /// `inputProjection` may be the `preactivation` buffer itself: each block is read before it is written.
    static func forward(inputProjection xw: UnsafePointer<Float>, hiddenProjection hh: UnsafePointer<Float>,
                        hiddenSize n: Int, cellPrev cPrev: UnsafePointer<Float>,
                        preactivation pre: UnsafeMutablePointer<Float>, gates: UnsafeMutablePointer<Float>,
                        cell c: UnsafeMutablePointer<Float>, hidden h: UnsafeMutablePointer<Float>) {
        forEachBlock8(n) { u, w in
            let ai = load8(xw + u, w) + load8(hh + u, w)
            let af = load8(xw + n + u, w) + load8(hh + n + u, w)
            let ag = load8(xw + 2 * n + u, w) + load8(hh + 2 * n + u, w)
            let ao = load8(xw + 3 * n + u, w) + load8(hh + 3 * n + u, w)
            store8(ai, pre + u, w); store8(af, pre + n + u, w)
            store8(ag, pre + 2 * n + u, w); store8(ao, pre + 3 * n + u, w)
            let i = sigmoid8(ai), f = sigmoid8(af), g = tanh8(ag), o = sigmoid8(ao)
            store8(i, gates + u, w); store8(f, gates + n + u, w)
            store8(g, gates + 2 * n + u, w); store8(o, gates + 3 * n + u, w)
            let cNew = f * load8(cPrev + u, w) + i * g
            store8(cNew, c + u, w)
            store8(o * tanh8(cNew), h + u, w)
        }
    }

    /// Backward for one step. `dCellFromNext` is dL/dc_t through c_{t+1} (= dc_{t+1} ⊙ f_{t+1}), zero at the
    /// last step; on return it holds dL/dc_{t-1} through this step (dc_t ⊙ f_t). Writes the total dL/dc_t and
    /// dL/d(pre-activations), which is also the gradient of both projections.
    static func backward(dHidden dh: UnsafePointer<Float>, dCellFromNext dcNext: UnsafeMutablePointer<Float>,
                         gates: UnsafePointer<Float>, cell c: UnsafePointer<Float>, cellPrev cPrev: UnsafePointer<Float>,
                         hiddenSize n: Int, dCell dc: UnsafeMutablePointer<Float>,
                         dPreactivation dpre: UnsafeMutablePointer<Float>) {
        forEachBlock8(n) { u, w in
            let i = load8(gates + u, w), f = load8(gates + n + u, w)
            let g = load8(gates + 2 * n + u, w), o = load8(gates + 3 * n + u, w)
            let tc = tanh8(load8(c + u, w))
            let dhu = load8(dh + u, w)
            // h = o ⊙ tanh(c): into o, and into c through tanh
            let dO = dhu * tc
            let dcu = load8(dcNext + u, w) + dhu * o * (1 - tc * tc)
            store8(dcu, dc + u, w)
            // c = f ⊙ c_prev + i ⊙ g
            let dI = dcu * g
            let dG = dcu * i
            let dF = dcu * load8(cPrev + u, w)
            // through σ (σ' = σ(1-σ)) and tanh (1 - tanh²)
            store8(dI * i * (1 - i), dpre + u, w)
            store8(dF * f * (1 - f), dpre + n + u, w)
            store8(dG * (1 - g * g), dpre + 2 * n + u, w)
            store8(dO * o * (1 - o), dpre + 3 * n + u, w)
            // c_t = f_t ⊙ c_{t-1} + …: dL/dc_{t-1} through this step is dc_t ⊙ f_t.
            store8(dcu * f, dcNext + u, w)
        }
    }
}
