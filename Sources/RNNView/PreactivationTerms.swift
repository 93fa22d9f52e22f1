import RNNEngine
import RNNTrace

/// A plain RNN unit's pre-activation split into its three sources, from the model's weights:
/// a = W_hh·h_{t−1} + W_xh·x_t + b (b = b_ih + b_hh). Needs the weights, so only for a run recorded from
/// a model.
struct PreactivationTerms {
    let recurrent: Double
    let input: Double
    let bias: Double
    var sum: Double { recurrent + input + bias }

    /// nil without weights, or when the recording's shapes do not match them.
    init?(recording: Recording, step t: Int, unit u: Int) {
        guard recording.cell.isPlainRNN, let model = recording.model,
              model.parameters.layers.indices.contains(recording.shownLayer) else { return nil }
        let layer = model.parameters.layers[recording.shownLayer]
        let s = recording.step(t)
        let hPrev = s.hPrev, x = s.x
        guard layer.weightHH.cols == hPrev.count, layer.weightIH.cols == x.count, u < layer.weightHH.rows else { return nil }
        recurrent = hPrev.indices.reduce(0) { $0 + Double(layer.weightHH[u, $1]) * hPrev[$1] }
        input = x.indices.reduce(0) { $0 + Double(layer.weightIH[u, $1]) * x[$1] }
        bias = Double(layer.biasIH[u]) + Double(layer.biasHH[u])
    }
}
