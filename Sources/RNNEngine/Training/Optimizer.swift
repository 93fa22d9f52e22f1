import Foundation

/// The optimizers rnnscope trains with, each following PyTorch's update rule (`torch.optim`).
public enum OptimizerKind: String, Codable, CaseIterable, Sendable {
    /// p ← p − lr·g
    case sgd
    /// m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  p ← p − lr·m̂/(√v̂ + ε), with bias-corrected m̂, v̂.
    case adam
    /// s ← s + g²;  p ← p − lr·g/(√s + ε)  (the optimizer of Karpathy's min-char-rnn).
    case adagrad

    /// A sensible default learning rate for small models.
    public var defaultLearningRate: Double {
        switch self {
        case .sgd: return 0.5
        case .adam: return 0.01
        case .adagrad: return 0.1
        }
    }
}

/// Optimizer state for one model: moment estimates shaped like the parameters.
public struct Optimizer: Sendable {
    public let kind: OptimizerKind
    public var learningRate: Float
    private var first: ModelParameters
    private var second: ModelParameters
    private var stepCount = 0
    private let beta1: Float = 0.9, beta2: Float = 0.999

    public init(kind: OptimizerKind, learningRate: Double, parameters: ModelParameters) {
        self.kind = kind
        self.learningRate = Float(learningRate)
        self.first = parameters.zeros()
        self.second = parameters.zeros()
    }

    /// Applies one update of `gradients` to `parameters`.
    public mutating func step(_ parameters: inout ModelParameters, gradients: ModelParameters) {
        stepCount += 1
        let lr = learningRate
        switch kind {
        case .sgd:
            parameters.apply(with: gradients) { p, g in
                for i in p.indices { p[i] -= lr * g[i] }
            }
        case .adagrad:
            second.apply(with: gradients) { s, g in
                for i in s.indices { s[i] += g[i] * g[i] }
            }
            var sums: [[Float]] = []
            second.forEach { _, s in sums.append(s) }
            var k = 0
            parameters.apply(with: gradients) { p, g in
                let s = sums[k]
                for i in p.indices { p[i] -= lr * g[i] / (s[i].squareRoot() + 1e-10) }
                k += 1
            }
        case .adam:
            let b1 = beta1, b2 = beta2
            first.apply(with: gradients) { m, g in
                for i in m.indices { m[i] = b1 * m[i] + (1 - b1) * g[i] }
            }
            second.apply(with: gradients) { v, g in
                for i in v.indices { v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i] }
            }
            let c1 = 1 - powf(b1, Float(stepCount)), c2 = 1 - powf(b2, Float(stepCount))
            var ms: [[Float]] = [], vs: [[Float]] = []
            first.forEach { _, m in ms.append(m) }
            second.forEach { _, v in vs.append(v) }
            var k = 0
            parameters.apply { p in
                let m = ms[k], v = vs[k]
                for i in p.indices { p[i] -= lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + 1e-8) }
                k += 1
            }
        }
    }
}
