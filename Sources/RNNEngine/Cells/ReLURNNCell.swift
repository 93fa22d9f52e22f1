/// PyTorch's `nn.RNN(nonlinearity="relu")` cell:
///
///     h_t = relu(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
///
/// The same tensors as the tanh RNN (`weight_ih` [H, E], `weight_hh` [H, H]); only the metadata `cell`
/// tells the two apart. relu′(a) = 1 where a > 0 and 0 elsewhere — at exactly a = 0 too, as PyTorch's
/// `threshold_backward` has it. A NaN pre-activation stays NaN (PyTorch's relu propagates it).
/// Written out like `TanhRNNCell` line for line on purpose: one file per cell the course teaches.
enum ReLURNNCell {
    /// Forward: `inputProjection` = W_ih x_t + b_ih and `hiddenProjection` = W_hh h_{t-1} + b_hh, both [H].
    /// Writes the pre-activation, the "gate" block (h itself) and h_t.
    /// `inputProjection` may be the `preactivation` buffer itself: each block is read before it is written.
    static func forward(inputProjection xw: UnsafePointer<Float>, hiddenProjection hh: UnsafePointer<Float>,
                        hiddenSize n: Int, preactivation pre: UnsafeMutablePointer<Float>,
                        gates: UnsafeMutablePointer<Float>, hidden h: UnsafeMutablePointer<Float>) {
        forEachBlock8(n) { u, c in
            let a = load8(xw + u, c) + load8(hh + u, c)
            let y = a.replacing(with: 0, where: a .< 0)
            store8(a, pre + u, c)
            store8(y, h + u, c)
            store8(y, gates + u, c)
        }
    }

    /// Backward: dL/d(pre-activation) = dL/dh_t where h_t > 0 (that is, where the pre-activation is > 0),
    /// else 0; also the gradient of both projections.
    static func backward(dHidden dh: UnsafePointer<Float>, hidden h: UnsafePointer<Float>, hiddenSize n: Int,
                         dPreactivation dpre: UnsafeMutablePointer<Float>) {
        forEachBlock8(n) { u, c in
            let y = load8(h + u, c)
            let d = load8(dh + u, c)
            store8(d.replacing(with: 0, where: y .<= 0), dpre + u, c)
        }
    }
}
