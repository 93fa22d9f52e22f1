import Foundation

/// PyTorch's `nn.RNN(nonlinearity="tanh")` cell:
///
///     h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
///
/// (the primer's h_t = tanh(W_hh h_{t-1} + W_xh x_t + b_h), with b_h split into PyTorch's two biases).
/// Weights: `weight_ih` [H, E], `weight_hh` [H, H].
enum TanhRNNCell {
    /// Forward: `inputProjection` = W_ih x_t + b_ih and `hiddenProjection` = W_hh h_{t-1} + b_hh, both [H].
    /// Writes the pre-activation, the "gate" block (h itself) and h_t.
    static func forward(inputProjection xw: UnsafePointer<Float>, hiddenProjection hh: UnsafePointer<Float>,
                        hiddenSize n: Int, preactivation pre: UnsafeMutablePointer<Float>,
                        gates: UnsafeMutablePointer<Float>, hidden h: UnsafeMutablePointer<Float>) {
        for u in 0..<n {
            pre[u] = xw[u] + hh[u]
            h[u] = tanhf(pre[u])
            gates[u] = h[u]
        }
    }

    /// Backward: from the total dL/dh_t to dL/d(pre-activation); the same gradient flows to both projections.
    static func backward(dHidden dh: UnsafePointer<Float>, hidden h: UnsafePointer<Float>, hiddenSize n: Int,
                         dPreactivation dpre: UnsafeMutablePointer<Float>,
                         dHiddenProjection dhh: UnsafeMutablePointer<Float>) {
        for u in 0..<n {
            // backprop through tanh: d tanh(a)/da = 1 - tanh(a)²
            dpre[u] = dh[u] * (1 - h[u] * h[u])
            dhh[u] = dpre[u]
        }
    }
}
