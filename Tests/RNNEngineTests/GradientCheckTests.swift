import Foundation
import Testing
@testable import RNNEngine

/// Backpropagation through time checked against central finite differences of the mean loss, for every
/// parameter of every cell type, both input kinds, and the regression head.
@Suite("Finite-difference gradient checks")
struct GradientCheckTests {
    struct Case: CustomStringConvertible, Sendable {
        let cell: CellKind
        let embedding: Bool
        let task: ModelTask
        var layers = 1
        var description: String {
            "\(cell.rawValue) \(embedding ? "embedding" : "one-hot") \(task.rawValue)" + (layers > 1 ? " \(layers) layers" : "")
        }
    }

    static let cases: [Case] = CellKind.allCases.flatMap { cell in
        [Case(cell: cell, embedding: false, task: .classification),
         Case(cell: cell, embedding: true, task: .classification),
         Case(cell: cell, embedding: false, task: .regression)]
    }

    /// Stacked layers: gradients through depth (layer k+1 → layer k at the same step) and time.
    static let stackedCases: [Case] = CellKind.allCases.flatMap { cell in
        [Case(cell: cell, embedding: true, task: .classification, layers: 2),
         Case(cell: cell, embedding: false, task: .classification, layers: 3),
         Case(cell: cell, embedding: false, task: .regression, layers: 2)]
    }

    @Test(arguments: cases + stackedCases)
    func everyParameterMatchesFiniteDifferences(_ c: Case) {
        let vocabulary = 5, hidden = 4, steps = 9
        var rng = SeededGenerator(seed: 7)
        var params = ModelParameters.initialized(
            cell: c.cell, task: c.task, vocabularySize: vocabulary, inputSize: c.task == .regression ? 1 : nil,
            embeddingSize: c.embedding ? 3 : nil, hiddenSize: hidden, layers: c.layers, seed: 42)
        #expect(params.numLayers == c.layers)
        // Larger weights than the default initialisation, so gates saturate partly and every path matters.
        // (relu does not saturate: scaled up, its activations grow through every step and layer until the
        // float32 loss is too large for a central difference to resolve.)
        let scale: Float = c.cell == .rnnRelu ? 1.5 : 2.5
        params.apply { v in for i in v.indices { v[i] *= scale } }

        let inputs: SequenceInputs
        let targets: SequenceTargets
        if c.task == .regression {
            let values = (0..<steps).map { _ in rng.uniform(-1, 1) }
            inputs = .numbers(values)
            targets = .nextNumbers(values)
        } else {
            let ids = (0..<steps).map { _ in Int(rng.next() % UInt64(vocabulary)) }
            inputs = .tokens(ids)
            targets = .nextTokens(ids)
        }
        let forward = params.forward(inputs, targets: targets, task: c.task)
        let analytic = params.backward(forward).parameterGradients

        func loss(_ p: ModelParameters) -> Double {
            p.forward(inputs, targets: targets, task: c.task).meanLoss!
        }

        // Walk every tensor in the same order in the parameters and in the gradients.
        var names: [String] = []
        analytic.forEach { name, _ in names.append(name) }
        var analyticTensors: [[Float]] = []
        analytic.forEach { _, v in analyticTensors.append(v) }

        // relu has a kink at 0: a central difference across it measures neither side's slope. Where a
        // perturbation flips the sign of some pre-activation, retry with a smaller step; a parameter whose
        // smaller step still crosses a kink is not checked (and counted).
        func signs(_ p: ModelParameters) -> [Bool] {
            p.forward(inputs, targets: targets, task: c.task).layers.flatMap { $0.preactivations.map { $0 > 0 } }
        }
        let baseSigns = c.cell == .rnnRelu ? signs(params) : []

        var checked = 0, skipped = 0
        var worst = 0.0
        for (tensorIndex, name) in names.enumerated() {
            for i in analyticTensors[tensorIndex].indices {
                func perturbed(_ delta: Float) -> ModelParameters {
                    var p = params
                    var k = 0
                    p.apply { v in
                        if k == tensorIndex { v[i] += delta }
                        k += 1
                    }
                    return p
                }
                var eps: Float = 1e-2
                if c.cell == .rnnRelu {
                    func crossesKink(_ e: Float) -> Bool { signs(perturbed(e)) != baseSigns || signs(perturbed(-e)) != baseSigns }
                    if crossesKink(eps) { eps = 1e-3 }
                    if crossesKink(eps) { skipped += 1; continue }
                }
                let numeric = (loss(perturbed(eps)) - loss(perturbed(-eps))) / Double(2 * eps)
                let exact = Double(analyticTensors[tensorIndex][i])
                let allowed = 2e-4 + 2e-2 * abs(numeric)
                worst = max(worst, abs(numeric - exact) / allowed)
                #expect(abs(numeric - exact) <= allowed, "\(c) \(name)[\(i)]: BPTT \(exact), finite difference \(numeric)")
                checked += 1
            }
        }
        #expect(checked + skipped == params.parameterCount)
        #expect(skipped * 50 <= params.parameterCount, "\(c): \(skipped) of \(params.parameterCount) parameters sit at a relu kink")
        #expect(worst <= 1)
    }

    /// Each layer's recorded total dL/dh^(k)_t is the derivative of the mean loss with respect to h^(k)_t:
    /// perturb h^(k)_t, recompute step t of the layers above it (and the head), then run the later steps from
    /// the perturbed states.
    @Test(arguments: CellKind.allCases)
    func perLayerHiddenGradientsMatchFiniteDifferences(_ cell: CellKind) {
        let n = 3, layerCount = 3, t = 2
        var params = ModelParameters.initialized(cell: cell, vocabularySize: 4, embeddingSize: 2, hiddenSize: n,
                                                 layers: layerCount, seed: 5)
        params.apply { v in for i in v.indices { v[i] *= 2 } }
        let ids = [0, 1, 2, 3, 1, 0]
        let targets = SequenceTargets.nextTokens(ids)
        let f = params.forward(.tokens(ids), targets: targets, task: .classification)
        let b = params.backward(f)
        #expect(b.layers.count == layerCount && f.layers.count == layerCount)
        let total = Double(targets.targetCount)
        guard case .tokens(let allTargets) = targets else { return }
        let tailTargets = targets.slice((t + 1)..<ids.count)

        func loss(layer k: Int, unit u: Int, delta: Float) -> Double {
            var hidden = f.layers.map { Array($0.h(t)) }
            var cells = cell.hasCellState ? f.layers.map { Array($0.c(t)) } : []
            hidden[k][u] += delta
            var stepLoss = 0.0
            if k < layerCount - 1 {
                // The layers above k, reading h^(k)_t as their input for one step.
                var above = params
                above.layers = Array(params.layers[(k + 1)...])
                above.embedding = nil
                let state = RecurrentState(
                    hidden: f.layers[(k + 1)...].flatMap { Array($0.hPrev(t)) },
                    cell: cell.hasCellState ? f.layers[(k + 1)...].flatMap { Array($0.cPrev(t)) } : [])
                let r = above.forward(.vectors(Matrix(rows: 1, cols: n, values: hidden[k])),
                                      targets: .tokens([allTargets[t]]), task: .classification, initialState: state)
                stepLoss = (r.meanLoss ?? 0) / total
                for j in r.layers.indices {
                    hidden[k + 1 + j] = Array(r.layers[j].h(0))
                    if cell.hasCellState { cells[k + 1 + j] = Array(r.layers[j].c(0)) }
                }
            } else if let y = allTargets[t] {
                // The top layer: the head alone.
                var logits = params.headBias.map(Double.init)
                for o in logits.indices { for j in 0..<n { logits[o] += Double(params.headWeight[o, j]) * Double(hidden[k][j]) } }
                let m = logits.max()!
                stepLoss = (log(logits.map { exp($0 - m) }.reduce(0, +)) - (logits[y] - m)) / total
            }
            let tail = params.forward(.tokens(Array(ids[(t + 1)...])), targets: tailTargets, task: .classification,
                                      initialState: RecurrentState(hidden: hidden.flatMap { $0 }, cell: cells.flatMap { $0 }))
            return stepLoss + (tail.meanLoss ?? 0) * Double(tailTargets.targetCount) / total
        }
        for k in 0..<layerCount {
            let recorded = Array(b.layers[k].dh(t))
            for u in 0..<n {
                let eps: Float = 1e-2
                let numeric = (loss(layer: k, unit: u, delta: eps) - loss(layer: k, unit: u, delta: -eps)) / Double(2 * eps)
                #expect(abs(numeric - Double(recorded[u])) <= 2e-4 + 2e-2 * abs(numeric),
                        "\(cell) layer \(k) unit \(u): BPTT \(recorded[u]), finite difference \(numeric)")
            }
        }
        // Every layer's gradients are exactly 0 at the last step, and the top layer's are the step's own.
        for k in 0..<layerCount { #expect(b.layers[k].dh(ids.count - 1).allSatisfy { $0 == 0 }) }
        #expect(b.dHidden == b.layers[layerCount - 1].dHidden)
    }

    /// relu′(0) = 0, as PyTorch's threshold_backward: a pre-activation of exactly 0 passes no gradient.
    @Test func reluPassesNoGradientAtExactlyZero() {
        // One-hot input, all weights 0 except the head: every pre-activation is exactly 0.
        var params = ModelParameters.initialized(cell: .rnnRelu, vocabularySize: 3, embeddingSize: nil, hiddenSize: 2, seed: 1)
        params.layers[0] = .zeros(cell: .rnnRelu, inputSize: 3, hiddenSize: 2)
        let ids = [0, 1, 2]
        let f = params.forward(.tokens(ids), targets: .nextTokens(ids), task: .classification)
        let b = params.backward(f)
        #expect(f.preactivations.allSatisfy { $0 == 0 } && f.hidden.allSatisfy { $0 == 0 })
        #expect(b.dHidden.contains { $0 != 0 })
        #expect(b.dPreactivations.allSatisfy { $0 == 0 })
        #expect(b.parameterGradients.layers[0].weightIH.values.allSatisfy { $0 == 0 })
        // Just above 0 the gradient passes unchanged; below, it is 0.
        params.layers[0].biasIH = [1e-6, -1e-6]
        let f2 = params.forward(.tokens(ids), targets: .nextTokens(ids), task: .classification)
        let b2 = params.backward(f2)
        #expect(b2.dPreactivation(0, at: 0).first == b2.dh(0).first)
        #expect(b2.dPreactivation(0, at: 0).last == 0)
    }

    @Test func clippingScalesToTheRequestedNorm() {
        let params = ModelParameters.initialized(cell: .rnnTanh, vocabularySize: 4, embeddingSize: nil, hiddenSize: 3, seed: 1)
        let ids = [0, 1, 2, 3, 0, 1]
        let f = params.forward(.tokens(ids), targets: .nextTokens(ids), task: .classification)
        var b = params.backward(f)
        let before = b.gradientNorm
        #expect(before > 0.01)
        let reported = b.clipGradients(maxNorm: before / 10)
        #expect(abs(reported - before) < 1e-9)
        #expect(abs(b.gradientNorm - before / 10) < 1e-4 * before)
    }

    @Test func lastStepGradientsAreZeroAndNormsMatchVectors() {
        let params = ModelParameters.initialized(cell: .lstm, vocabularySize: 4, embeddingSize: 2, hiddenSize: 3, seed: 3)
        let ids = [0, 1, 2, 3]
        let f = params.forward(.tokens(ids), targets: .nextTokens(ids), task: .classification)
        let b = params.backward(f)
        #expect(b.dh(3).allSatisfy { $0 == 0 })
        #expect(b.dc(3).allSatisfy { $0 == 0 })
        for t in 0..<4 {
            let norm = b.dh(t).map { $0 * $0 }.reduce(0, +).squareRoot()
            #expect(abs(norm - b.hiddenGradientNorms[t]) < 1e-6)
        }
    }
}
