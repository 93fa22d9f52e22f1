import RNNLessons
import RNNEngine
import RNNTrace

/// What the sum view reads for one step of the shown layer: the recorded inputs of the step, the layer's
/// weights, and the step recomputed from them with the engine's reference equations (in Double).
struct SumInputs {
    let recording: Recording
    let weights: RecurrentLayerWeights
    let t: Int
    let unit: Int
    /// H
    let size: Int
    let x: [Double]
    let hPrev: [Double]
    let cPrev: [Double]
    let step: ReferenceStep

    init?(recording: Recording, t: Int, unit: Int) {
        guard let model = recording.model, (0..<recording.stepCount).contains(t),
              model.parameters.layers.indices.contains(recording.shownLayer) else { return nil }
        let layer = recording.shownLayer
        let recorded = recording.step(t)
        self.recording = recording
        weights = model.parameters.layers[layer]
        self.t = t
        size = recording.hiddenSize
        self.unit = min(max(0, unit), size - 1)
        x = recorded.x
        hPrev = recorded.hPrev
        cPrev = recorded.cPrev ?? []
        // Only this layer is widened to Double: the reference cell needs nothing else.
        let single = ModelParameters(cell: model.cell, embedding: nil, layers: [weights],
                                     headWeight: Matrix(zeros: 1, size), headBias: [0])
        step = ReferenceModel(single).cellStep(layer: 0, x: x, hPrev: hPrev, cPrev: cPrev)
    }

    var cell: CellKind { recording.cell }

    /// Row `unit` of gate block `block` of a stacked weight matrix, widened.
    func row(_ m: Matrix, block: Int, unit u: Int? = nil) -> [Double] {
        m.row(block * size + (u ?? unit)).map(Double.init)
    }

    /// x_t read as one-hot (the bottom layer of a token model without an embedding): its token id.
    var oneHotToken: Int? {
        guard recording.shownLayer == 0, recording.model?.parameters.embedding == nil, !recording.isRegression,
              recording.tokenIds.indices.contains(t) else { return nil }
        return recording.tokenIds[t]
    }

    /// x_t's k-th number: an embedding or input coordinate, or (above the bottom layer) the layer below's unit k.
    func inputName(_ k: Int) -> String { "x\(k)" }

    var tokenText: String { "\"\(displayToken(recording.tokens[t]))\"" }
}
