import RNNEngine

/// Turns the engine's flat recordings into a `Trace`.
public enum TraceRecorder {
    /// Runs `model` over `text` (forward and BPTT) and records the trace.
    public static func record(model: RNNModel, text: String, modelName: String? = nil) throws(EngineError) -> Trace {
        let run = try model.run(text)
        return trace(of: run, model: model, modelName: modelName)
    }

    /// Builds the trace of a run that has already been computed. A stacked model's steps also carry every
    /// layer's values (`layers`), and its trace `num_layers`; the step's own fields are the top layer's.
    public static func trace(of run: SequenceRun, model: RNNModel, modelName: String? = nil) -> Trace {
        let f = run.forward, b = run.backward
        let cell = model.cell
        let names = cell.gateNames
        let tokenIDs = f.tokenIDs
        let layerCount = f.numLayers
        let top = layerCount - 1
        var steps: [TraceStep] = []
        steps.reserveCapacity(f.steps)
        for t in 0..<f.steps {
            var layers: [TraceLayerStep] = []
            for k in 0..<layerCount {
                layers.append(layerStep(f.layers[k], b.layers[k], cell: cell, names: names, at: t))
            }
            let own = layers[top]
            var target: Int?
            var targetValue: Double?
            switch f.targets {
            case .tokens(let ids): target = ids[t]
            case .numbers(let values): targetValue = values[t].map(Double.init)
            }
            let regression = model.task == .regression
            steps.append(TraceStep(
                t: t, token: run.tokens[t], target: target,
                x: doubles(f.x(t)), hPrev: own.hPrev, h: own.h, cPrev: own.cPrev, c: own.c,
                gates: own.gates, preactivations: own.preactivations,
                logits: doubles(f.logits(t)), probs: doubles(f.probabilities(t)), loss: f.stepLosses[t],
                targetValue: targetValue, prediction: regression ? Double(f.logits(t).first!) : nil,
                grad: own.grad, layers: layerCount > 1 ? layers : nil))
        }
        return Trace(cell: cell.rawValue, task: model.task.rawValue, modelName: modelName,
                     inputSize: f.inputSize, hiddenSize: f.hiddenSize, numLayers: layerCount > 1 ? layerCount : nil,
                     vocab: model.vocabulary.tokens, tokens: run.tokens, tokenIds: tokenIDs, loss: f.meanLoss,
                     steps: steps, paramGrads: parameterGradients(b.parameterGradients))
    }

    /// One layer's values at step t.
    static func layerStep(_ f: LayerRecording, _ b: LayerGradientRecording, cell: CellKind, names: [String],
                          at t: Int) -> TraceLayerStep {
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
        return TraceLayerStep(
            hPrev: doubles(f.hPrev(t)), h: doubles(f.h(t)),
            cPrev: cell.hasCellState ? doubles(f.cPrev(t)) : nil, c: cell.hasCellState ? doubles(f.c(t)) : nil,
            gates: gates, preactivations: pre,
            grad: StepGradient(h: doubles(b.dh(t)), c: cell.hasCellState ? doubles(b.dc(t)) : nil,
                               gates: dGates, hNorm: Double(b.hiddenGradientNorms[t])))
    }

    /// Gradients under the trace's names: layer 0 without its `rnn.` prefix and `_l0` suffix, layer k ≥ 1
    /// as `weight_ih_l{k}` …
    static func parameterGradients(_ g: ModelParameters) -> [String: ParameterGradient] {
        var out: [String: ParameterGradient] = [
            "fc.weight": .matrix(rows(g.headWeight)),
            "fc.bias": .vector(doubles(g.headBias[...])),
        ]
        for (k, layer) in g.layers.enumerated() {
            let suffix = k == 0 ? "" : "_l\(k)"
            out["weight_ih" + suffix] = .matrix(rows(layer.weightIH))
            out["weight_hh" + suffix] = .matrix(rows(layer.weightHH))
            out["bias_ih" + suffix] = .vector(doubles(layer.biasIH[...]))
            out["bias_hh" + suffix] = .vector(doubles(layer.biasHH[...]))
        }
        if let e = g.embedding { out["embedding.weight"] = .matrix(rows(e)) }
        return out
    }

    static func rows(_ m: Matrix) -> [[Double]] { (0..<m.rows).map { doubles(m.row($0)) } }
    static func doubles(_ values: ArraySlice<Float>) -> [Double] { values.map(Double.init) }
}
