/// PyTorch's `nn.RNN(nonlinearity="tanh")` cell:
///
///     h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
///
/// (the primer's h_t = tanh(W_hh h_{t-1} + W_xh x_t + b_h), with b_h split into PyTorch's two biases).
/// Weights: `weight_ih` [H, E], `weight_hh` [H, H]. Element-wise work runs eight units at a time.
/// `ReLURNNCell` repeats this file line for line on purpose, so that each reads as its own equation.
enum TanhRNNCell {
    /// Forward: `inputProjection` = W_ih x_t + b_ih and `hiddenProjection` = W_hh h_{t-1} + b_hh, both [H].
    /// Writes the pre-activation, the "gate" block (h itself) and h_t.
    /// `inputProjection` may be the `preactivation` buffer itself: each block is read before it is written.
    static func forward(inputProjection xw: UnsafePointer<Float>, hiddenProjection hh: UnsafePointer<Float>,
                        hiddenSize n: Int, preactivation pre: UnsafeMutablePointer<Float>,
                        gates: UnsafeMutablePointer<Float>, hidden h: UnsafeMutablePointer<Float>) {
        forEachBlock8(n) { u, c in
            let a = load8(xw + u, c) + load8(hh + u, c)
            let y = tanh8(a)
            store8(a, pre + u, c)
            store8(y, h + u, c)
            store8(y, gates + u, c)
        }
    }

    /// Backward: from the total dL/dh_t to dL/d(pre-activation), which is also the gradient of both
    /// projections (the caller uses `dpre` for both).
    static func backward(dHidden dh: UnsafePointer<Float>, hidden h: UnsafePointer<Float>, hiddenSize n: Int,
                         dPreactivation dpre: UnsafeMutablePointer<Float>) {
        forEachBlock8(n) { u, c in
            // backprop through tanh: d tanh(a)/da = 1 - tanh(a)²
            let y = load8(h + u, c)
            store8(load8(dh + u, c) * (1 - y * y), dpre + u, c)
        }
    }
}
