import Foundation
import Testing
@testable import RNNEngine

/// ∂L_t/∂x_s, one backward pass per step t with the loss of step t alone: checked against central finite
/// differences of step t's loss, and, summed over t, against the embedding gradient of the mean loss.
@Suite struct InputSensitivityTests {
    static let cells: [CellKind] = [.rnnTanh, .lstm, .gru]

    static func parameters(_ cell: CellKind, embedding: Int? = nil, inputSize: Int? = 3) -> ModelParameters {
        var p = ModelParameters.initialized(cell: cell, vocabularySize: 4, inputSize: embedding == nil ? inputSize : nil,
                                            embeddingSize: embedding, hiddenSize: 4, seed: 11)
        // Larger weights than the default initialisation, so that the gradient changes along the sequence.
        p.apply { v in for i in v.indices { v[i] *= 2 } }
        return p
    }

    @Test(arguments: cells)
    func matchesFiniteDifferences(_ cell: CellKind) throws {
        let steps = 6, e = 3
        var rng = SeededGenerator(seed: 3)
        let x = Matrix(rows: steps, cols: e, values: (0..<(steps * e)).map { _ in rng.uniform(-1, 1) })
        let ids: [Int?] = (0..<steps).map { _ in Int(rng.next() % 4) }
        let targets = SequenceTargets.tokens(ids)
        let p = Self.parameters(cell)

        func stepLoss(_ m: Matrix, _ t: Int) -> Double {
            p.forward(.vectors(m), targets: targets.keepingOnly(t)!, task: .classification).stepLosses[t]!
        }
        // A window of the last 4 steps: its gradients are those of the whole sequence for s ≥ its start.
        for start in [0, 2] {
            for t in start..<steps {
                let analytic = try #require(InputSensitivity.inputGradients(
                    parameters: p, inputs: .vectors(x), targets: targets, task: .classification, start: start, step: t))
                #expect(analytic.count == t - start + 1)
                for s in start...t {
                    for k in 0..<e {
                        let eps: Float = 1e-2
                        var plus = x, minus = x
                        plus[s, k] += eps
                        minus[s, k] -= eps
                        let numeric = (stepLoss(plus, t) - stepLoss(minus, t)) / Double(2 * eps)
                        let a = Double(analytic[s - start][k])
                        #expect(abs(a - numeric) <= 2e-3 + 0.02 * abs(numeric),
                                "\(cell) t=\(t) s=\(s) k=\(k): analytic \(a), numeric \(numeric)")
                    }
                }
            }
        }
        // The map holds the norms of these vectors, NaN-free for s ≤ t.
        let map = InputSensitivity(parameters: p, inputs: .vectors(x), targets: targets, task: .classification, window: 4)
        #expect(map.start == 2 && map.count == 4)
        let g = try #require(InputSensitivity.inputGradients(parameters: p, inputs: .vectors(x), targets: targets,
                                                              task: .classification, start: 2, step: 5))
        let norm = g[1].reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(try #require(map.norm(loss: 5, input: 3)) - norm) <= 1e-6 * max(1, norm))
        #expect(map.norm(loss: 3, input: 4) == nil)
        #expect(map.norm(loss: 5, input: 1) == nil)
    }

    @Test(arguments: cells)
    func sumOverStepsIsTheEmbeddingGradient(_ cell: CellKind) throws {
        let ids = [0, 2, 1, 2, 3, 0, 2]
        let p = Self.parameters(cell, embedding: 3)
        let targets = SequenceTargets.nextTokens(ids)
        let forward = p.forward(.tokens(ids), targets: targets, task: .classification)
        let embeddingGradient = try #require(p.backward(forward).parameterGradients.embedding)
        // The mean loss is Σ_t L_t / N; each token's embedding row gets the gradients of every step that read it.
        let n = Float(targets.targetCount)
        var summed = [Float](repeating: 0, count: embeddingGradient.values.count)
        for t in ids.indices {
            guard let g = InputSensitivity.inputGradients(parameters: p, inputs: .tokens(ids), targets: targets,
                                                          task: .classification, start: 0, step: t) else { continue }
            for (s, row) in g.enumerated() {
                for (k, v) in row.enumerated() { summed[ids[s] * 3 + k] += v / n }
            }
        }
        for (a, b) in zip(summed, embeddingGradient.values) {
            #expect(abs(a - b) <= 1e-5 + 1e-3 * abs(b), "\(cell): Σ_t ∂L_t/∂x / N \(a) vs dL/dE \(b)")
        }
        #expect(embeddingGradient.values.contains { abs($0) > 1e-4 })
    }
}
