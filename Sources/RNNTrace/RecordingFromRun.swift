import RNNEngine

extension Recording {
    /// Runs `model` over `text` (forward and BPTT) and records it.
    public static func record(model: RNNModel, text: String, modelName: String? = nil) throws(EngineError) -> Recording {
        Recording(run: try model.run(text), model: model, modelName: modelName)
    }

    /// The recording of a run already computed. The engine's buffers are taken as they are (shared, not
    /// copied), so recording costs no memory beyond the run's own.
    public init(run: SequenceRun, model: RNNModel, modelName: String? = nil) {
        let f = run.forward, b = run.backward
        let cell = model.cell
        var layers: [RecordedLayer] = []
        for (forward, backward) in zip(f.layers, b.layers) {
            layers.append(RecordedLayer(
                hiddenSize: forward.hiddenSize, blockCount: cell.gateCount, hidden: forward.hidden,
                cellState: forward.cellState, gates: cell.isPlainRNN ? [] : forward.gates,
                preactivations: forward.preactivations, dHidden: backward.dHidden, dCell: backward.dCell,
                dPreactivations: backward.dPreactivations, hiddenGradientNorms: backward.hiddenGradientNorms))
        }
        var targets: [Int?] = Array(repeating: nil, count: f.steps)
        var targetValues: [Double?] = []
        switch f.targets {
        case .tokens(let ids): targets = ids
        case .numbers(let values): targetValues = values.map { $0.map(Double.init) }
        }
        self.init(cell: cell, task: model.task, modelName: modelName, inputSize: f.inputSize, hiddenSize: f.hiddenSize,
                  outputSize: f.outputSize, vocab: model.vocabulary.tokens, tokens: run.tokens, tokenIds: f.tokenIDs,
                  loss: f.meanLoss, inputs: f.inputs, layers: layers, logits: f.logits, probabilities: f.probabilities,
                  targets: targets, targetValues: targetValues, stepLosses: f.stepLosses,
                  parameterGradients: ParameterGradient.all(b.parameterGradients))
    }
}

extension ParameterGradient {
    /// Every tensor's gradient, named as the trace names it and as rnnscope's model files name it
    /// (`rnn.weight_ih_l{k}` …, `fc.weight`, `fc.bias`, `embedding.weight`): layer 0 without its `rnn.`
    /// prefix and `_l0` suffix, layer k ≥ 1 as `weight_ih_l{k}` ….
    static func all(_ g: ModelParameters) -> [ParameterGradient] {
        func matrix(_ name: String, _ file: String, _ m: Matrix) -> ParameterGradient {
            ParameterGradient(name: name, fileName: file, rows: m.rows, columns: m.cols, values: m.values)
        }
        func vector(_ name: String, _ file: String, _ v: [Float]) -> ParameterGradient {
            ParameterGradient(name: name, fileName: file, rows: v.count, columns: nil, values: v)
        }
        var out: [ParameterGradient] = []
        if let e = g.embedding { out.append(matrix("embedding.weight", "embedding.weight", e)) }
        for (k, layer) in g.layers.enumerated() {
            let suffix = k == 0 ? "" : "_l\(k)"
            out.append(matrix("weight_ih" + suffix, "rnn.weight_ih_l\(k)", layer.weightIH))
            out.append(matrix("weight_hh" + suffix, "rnn.weight_hh_l\(k)", layer.weightHH))
            out.append(vector("bias_ih" + suffix, "rnn.bias_ih_l\(k)", layer.biasIH))
            out.append(vector("bias_hh" + suffix, "rnn.bias_hh_l\(k)", layer.biasHH))
        }
        out.append(matrix("fc.weight", "fc.weight", g.headWeight))
        out.append(vector("fc.bias", "fc.bias", g.headBias))
        return out
    }
}
