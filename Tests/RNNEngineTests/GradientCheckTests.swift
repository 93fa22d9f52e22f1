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
        var description: String { "\(cell.rawValue) \(embedding ? "embedding" : "one-hot") \(task.rawValue)" }
    }

    static let cases: [Case] = CellKind.allCases.flatMap { cell in
        [Case(cell: cell, embedding: false, task: .classification),
         Case(cell: cell, embedding: true, task: .classification),
         Case(cell: cell, embedding: false, task: .regression)]
    }

    @Test(arguments: cases)
    func everyParameterMatchesFiniteDifferences(_ c: Case) {
        let vocabulary = 5, hidden = 4, steps = 9
        var rng = SeededGenerator(seed: 7)
        var params = ModelParameters.initialized(
            cell: c.cell, task: c.task, vocabularySize: vocabulary, inputSize: c.task == .regression ? 1 : nil,
            embeddingSize: c.embedding ? 3 : nil, hiddenSize: hidden, seed: 42)
        // Larger weights than the default initialisation, so gates saturate partly and every path matters.
        params.apply { v in for i in v.indices { v[i] *= 2.5 } }

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

        var checked = 0
        var worst = 0.0
        for (tensorIndex, name) in names.enumerated() {
            for i in analyticTensors[tensorIndex].indices {
                let eps: Float = 1e-2
                func perturbed(_ delta: Float) -> ModelParameters {
                    var p = params
                    var k = 0
                    p.apply { v in
                        if k == tensorIndex { v[i] += delta }
                        k += 1
                    }
                    return p
                }
                let numeric = (loss(perturbed(eps)) - loss(perturbed(-eps))) / Double(2 * eps)
                let exact = Double(analyticTensors[tensorIndex][i])
                let allowed = 2e-4 + 2e-2 * abs(numeric)
                worst = max(worst, abs(numeric - exact) / allowed)
                #expect(abs(numeric - exact) <= allowed, "\(c) \(name)[\(i)]: BPTT \(exact), finite difference \(numeric)")
                checked += 1
            }
        }
        #expect(checked == params.parameterCount)
        #expect(worst <= 1)
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
