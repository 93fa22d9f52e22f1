import RNNEngine

/// Turns the engine's flat recordings into a `Trace`.
public enum TraceRecorder {
    /// Runs `model` over `text` (forward and BPTT) and records the trace.
    public static func record(model: RNNModel, text: String, modelName: String? = nil) throws(EngineError) -> Trace {
        let run = try model.run(text)
        return trace(of: run, model: model, modelName: modelName)
    }

    /// Builds the trace of a run that has already been computed.
    public static func trace(of run: SequenceRun, model: RNNModel, modelName: String? = nil) -> Trace {
        let f = run.forward, b = run.backward
        let cell = model.cell
        let names = cell.gateNames
        let tokenIDs = f.tokenIDs
        var steps: [TraceStep] = []
        steps.reserveCapacity(f.steps)
        for t in 0..<f.steps {
            var gates: [String: [Double]] = [:]
            var pre: [String: [Double]] = [:]
            var dGates: [String: [Double]] = [:]
            if names.isEmpty {
                pre["h"] = doubles(f.preactivation(0, at: t))
                dGates["h"] = doubles(b.dPreactivation(0, at: t))
            }
            for (index, name) in names.enumerated() {
                gates[name] = doubles(f.gate(index, at: t))
                pre[name] = doubles(f.preactivation(index, at: t))
                dGates[name] = doubles(b.dPreactivation(index, at: t))
            }
            var target: Int?
            var targetValue: Double?
            switch f.targets {
            case .tokens(let ids): target = ids[t]
            case .numbers(let values): targetValue = values[t].map(Double.init)
            }
            let regression = model.task == .regression
            steps.append(TraceStep(
                t: t, token: run.tokens[t], target: target,
                x: doubles(f.x(t)), hPrev: doubles(f.hPrev(t)), h: doubles(f.h(t)),
                cPrev: cell.hasCellState ? doubles(f.cPrev(t)) : nil,
                c: cell.hasCellState ? doubles(f.c(t)) : nil,
                gates: gates, preactivations: pre,
                logits: doubles(f.logits(t)), probs: doubles(f.probabilities(t)), loss: f.stepLosses[t],
                targetValue: targetValue, prediction: regression ? Double(f.logits(t).first!) : nil,
                grad: StepGradient(h: doubles(b.dh(t)), c: cell.hasCellState ? doubles(b.dc(t)) : nil,
                                   gates: dGates, hNorm: Double(b.hiddenGradientNorms[t]))))
        }
        return Trace(cell: cell.rawValue, task: model.task.rawValue, modelName: modelName,
                     inputSize: f.inputSize, hiddenSize: f.hiddenSize, vocab: model.vocabulary.tokens,
                     tokens: run.tokens, tokenIds: tokenIDs, loss: f.meanLoss, steps: steps,
                     paramGrads: parameterGradients(b.parameterGradients))
    }

    /// Gradients under the trace's names (layer 0 without its `rnn.` prefix and `_l0` suffix).
    static func parameterGradients(_ g: ModelParameters) -> [String: ParameterGradient] {
        let layer = g.layers[0]
        var out: [String: ParameterGradient] = [
            "weight_ih": .matrix(rows(layer.weightIH)),
            "weight_hh": .matrix(rows(layer.weightHH)),
            "bias_ih": .vector(doubles(layer.biasIH[...])),
            "bias_hh": .vector(doubles(layer.biasHH[...])),
            "fc.weight": .matrix(rows(g.headWeight)),
            "fc.bias": .vector(doubles(g.headBias[...])),
        ]
        if let e = g.embedding { out["embedding.weight"] = .matrix(rows(e)) }
        return out
    }

    static func rows(_ m: Matrix) -> [[Double]] { (0..<m.rows).map { doubles(m.row($0)) } }
    static func doubles(_ values: ArraySlice<Float>) -> [Double] { values.map(Double.init) }
}
