import Foundation
import Testing
@testable import RNNEngine

/// The fast forward pass and BPTT (GEMM, SIMD cells, fused buffers) against the plain reference
/// (`ReferenceModel`, Double arithmetic written as the equations): every recorded value and every
/// parameter gradient, for every cell, one-hot and embedding input, classification and regression, 1–3
/// layers, on seeded random models.
///
/// Tolerance: |fast − reference| ≤ 5·10⁻⁶ + 2.5·10⁻⁵·|reference| for every value. The fast path is float32
/// (ε ≈ 6·10⁻⁸), sums in another order and uses polynomial exp/tanh; on these models (≤ 20 steps, 3 layers,
/// weights doubled so gates saturate partly) its largest error is 2.6·10⁻⁵ on a 3-layer ReLU RNN's values
/// near 3 (relu does not bound them) and under 10⁻⁶ for the other cells — at most a third of the bound,
/// which a wrong term (≥ 10⁻³ here) is far beyond.
@Suite("Fast path against the reference forward/backward")
struct ReferenceOracleTests {
    enum Input: String, CaseIterable, Sendable { case oneHot = "one-hot", embedding, numbers }

    struct Case: CustomStringConvertible, Sendable {
        let cell: CellKind
        let input: Input
        let layers: Int
        var hidden = 11
        var steps = 13
        var task: ModelTask { input == .numbers ? .regression : .classification }
        var description: String { "\(cell.rawValue) \(input.rawValue) \(task.rawValue) \(layers) layer(s) H=\(hidden) T=\(steps)" }
    }

    static let cases: [Case] = CellKind.allCases.flatMap { cell in
        Input.allCases.flatMap { input in (1...3).map { Case(cell: cell, input: input, layers: $0) } }
    }

    /// Sizes that reach every kernel shape: H below, at and above one SIMD block of 8, gate rows past the
    /// 32-column mat-vec block, T past the 6-row GEMM tile.
    static let sizeCases: [Case] = [CellKind.lstm, .gru, .rnnTanh].flatMap { cell in
        [(1, 3), (8, 6), (33, 20)].map { Case(cell: cell, input: .embedding, layers: 2, hidden: $0.0, steps: $0.1) }
    }

    static let absoluteTolerance = 5e-6
    static let relativeTolerance = 2.5e-5

    @Test(arguments: cases + sizeCases)
    func everyRecordedValueAndGradientMatches(_ c: Case) throws {
        let vocabulary = 9
        var rng = SeededGenerator(seed: 11)
        var params = ModelParameters.initialized(
            cell: c.cell, task: c.task, vocabularySize: vocabulary, inputSize: c.input == .numbers ? 1 : nil,
            embeddingSize: c.input == .embedding ? 5 : nil, hiddenSize: c.hidden, layers: c.layers, seed: 3)
        // Larger weights than the default initialisation, so gates saturate partly and every path counts.
        params.apply { v in for i in v.indices { v[i] *= 2 } }

        let inputs: SequenceInputs, targets: SequenceTargets
        if c.task == .regression {
            let values = (0..<c.steps).map { _ in rng.uniform(-1, 1) }
            inputs = .numbers(values)
            targets = .nextNumbers(values)
        } else {
            let ids = (0..<c.steps).map { _ in Int(rng.next() % UInt64(vocabulary)) }
            inputs = .tokens(ids)
            // A gap in the targets, as lessons with the loss on some steps have.
            targets = .tokens(SequenceTargets.nextTokens(ids).tokenTargets.enumerated().map { $0.offset == 2 ? nil : $0.element })
        }

        let fast = params.forward(inputs, targets: targets, task: c.task)
        let fastGradients = params.backward(fast)
        let reference = ReferenceModel(params)
        let expected = reference.forward(inputs, targets: targets, task: c.task)
        let expectedGradients = reference.backward(expected)

        var check = Comparison()
        check.values("x", fast.inputs, expected.inputs.flatMap { $0 })
        for k in 0..<c.layers {
            let layer = fast.layers[k], steps = expected.steps[k]
            check.values("h layer \(k)", Array(layer.hidden[c.hidden...]), steps.flatMap(\.h))
            check.values("gates layer \(k)", layer.gates, steps.flatMap(\.gates))
            check.values("pre-activations layer \(k)", layer.preactivations, steps.flatMap(\.preactivations))
            if c.cell == .lstm { check.values("c layer \(k)", Array(layer.cellState[c.hidden...]), steps.flatMap(\.c)) }
            if c.cell == .gru { check.values("W_hh h + b_hh layer \(k)", layer.hiddenProjection, steps.flatMap(\.hiddenProjection)) }

            let grads = fastGradients.layers[k]
            check.values("dL/dh layer \(k)", grads.dHidden, expectedGradients.dHidden[k].flatMap { $0 })
            check.values("dL/dpre layer \(k)", grads.dPreactivations, expectedGradients.dPreactivations[k].flatMap { $0 })
            check.values("‖dL/dh‖ layer \(k)", grads.hiddenGradientNorms, expectedGradients.hiddenGradientNorms[k])
            if c.cell == .lstm { check.values("dL/dc layer \(k)", grads.dCell, expectedGradients.dCell[k].flatMap { $0 }) }
        }
        check.values("logits", fast.logits, expected.logits.flatMap { $0 })
        check.values("probabilities", fast.probabilities, expected.probabilities.flatMap { $0 })
        check.numbers("step losses", fast.stepLosses, expected.stepLosses)
        check.numbers("mean loss", [fast.meanLoss], [expected.meanLoss])

        var fastTensors: [String: [Float]] = [:]
        fastGradients.parameterGradients.forEach { fastTensors[$0] = $1 }
        var names: [String] = []
        expectedGradients.gradients.forEach { name, values in
            names.append(name)
            check.values("d\(name)", fastTensors[name] ?? [], values)
        }
        #expect(names.count == fastTensors.count, "the same parameters on both paths")
        #expect(check.compared > 0)
        #expect(check.failures.isEmpty, "\(c): \(check.failures.prefix(5).joined(separator: "; "))")
    }

    /// The oracle itself is not vacuous: a change of 0.1 in one weight moves its answer beyond the tolerance.
    @Test func theComparisonNoticesAWrongWeight() {
        var params = ModelParameters.initialized(cell: .lstm, vocabularySize: 9, embeddingSize: nil, hiddenSize: 11, seed: 3)
        let ids = [1, 4, 2, 8, 0, 3]
        let fast = params.backward(params.forward(.tokens(ids), targets: .nextTokens(ids), task: .classification))
        params.layers[0].weightHH.values[5] += 0.1
        let reference = ReferenceModel(params)
        let wrong = reference.backward(reference.forward(.tokens(ids), targets: .nextTokens(ids), task: .classification))
        var check = Comparison()
        check.values("dL/dh", fast.dHidden, wrong.dHidden[0].flatMap { $0 })
        #expect(!check.failures.isEmpty)
    }

    /// Values compared within `|fast − reference| ≤ atol + rtol·|reference|`, collecting what differs.
    struct Comparison {
        var failures: [String] = []
        var compared = 0

        mutating func values(_ name: String, _ fast: [Float], _ reference: [Double]) {
            guard fast.count == reference.count else {
                failures.append("\(name): \(fast.count) values, reference \(reference.count)")
                return
            }
            for i in fast.indices { one(name, i, Double(fast[i]), reference[i]) }
        }

        mutating func numbers(_ name: String, _ fast: [Double?], _ reference: [Double?]) {
            guard fast.count == reference.count else {
                failures.append("\(name): \(fast.count) values, reference \(reference.count)")
                return
            }
            for i in fast.indices {
                switch (fast[i], reference[i]) {
                case (nil, nil): compared += 1
                case let (a?, b?): one(name, i, a, b)
                default: failures.append("\(name)[\(i)]: \(String(describing: fast[i])) vs \(String(describing: reference[i]))")
                }
            }
        }

        private mutating func one(_ name: String, _ i: Int, _ a: Double, _ b: Double) {
            compared += 1
            let bound = ReferenceOracleTests.absoluteTolerance + ReferenceOracleTests.relativeTolerance * abs(b)
            if !(abs(a - b) <= bound) { failures.append("\(name)[\(i)]: \(a) vs reference \(b)") }
        }
    }
}

private extension SequenceTargets {
    var tokenTargets: [Int?] {
        if case .tokens(let t) = self { return t }
        return []
    }
}
