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
                  parameterGradients: ParameterGradient.all(b.parameterGradients, names: model.stateDictNames))
        self.model = model
    }
}

extension ParameterGradient {
    /// Every tensor's gradient, named as the trace names it (layer 0 `weight_ih` …, layer k ≥ 1
    /// `weight_ih_l{k}` …, `fc.weight`, `fc.bias`, `embedding.weight`) and as the model's own state_dict
    /// names it (`names`: the file's names, or rnnscope's `rnn.weight_ih_l{k}` …).
    static func all(_ g: ModelParameters, names: StateDictNames) -> [ParameterGradient] {
        func matrix(_ name: String, _ file: String, _ m: Matrix) -> ParameterGradient {
            ParameterGradient(name: name, fileName: file, rows: m.rows, columns: m.cols, values: m.values)
        }
        func vector(_ name: String, _ file: String, _ v: [Float]) -> ParameterGradient {
            ParameterGradient(name: name, fileName: file, rows: v.count, columns: nil, values: v)
        }
        var out: [ParameterGradient] = []
        if let e = g.embedding { out.append(matrix("embedding.weight", names.embedding ?? "embedding.weight", e)) }
        for (k, (layer, file)) in zip(g.layers, names.layers).enumerated() {
            let suffix = k == 0 ? "" : "_l\(k)"
            out.append(matrix("weight_ih" + suffix, file[0], layer.weightIH))
            out.append(matrix("weight_hh" + suffix, file[1], layer.weightHH))
            out.append(vector("bias_ih" + suffix, file[2], layer.biasIH))
            out.append(vector("bias_hh" + suffix, file[3], layer.biasHH))
        }
        out.append(matrix("fc.weight", names.headWeight, g.headWeight))
        out.append(vector("fc.bias", names.headBias, g.headBias))
        return out
    }
}
