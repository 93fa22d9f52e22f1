import Foundation

/// Losses of the two heads, matching PyTorch: `F.cross_entropy` and `F.mse_loss`, reduction "mean" over the
/// steps that have a target.
public enum Loss {
    struct Evaluation {
        var probabilities: [Float]
        var stepLosses: [Double?]
        var mean: Double?
    }

    static func evaluate(logits: [Float], outputs v: Int, targets: SequenceTargets, task: ModelTask) -> Evaluation {
        let steps = targets.count
        var stepLosses = [Double?](repeating: nil, count: steps)
        var probabilities: [Float] = []
        switch (task, targets) {
        case (.classification, .tokens(let ids)):
            probabilities = uninitializedFloats(steps * v)  // every row is written below
            logits.withUnsafeBufferPointer { lp in
            probabilities.withUnsafeMutableBufferPointer { pp in
                for t in 0..<steps {
                    // softmax with the max subtracted, eight exponentials at a time; the loss is the
                    // log-sum-exp (in Double) minus the target's logit.
                    let row = lp.baseAddress! + t * v, out = pp.baseAddress! + t * v
                    var m8 = Float8(repeating: -.infinity)
                    forEachBlock8(v) { k, c in
                        var x = load8(row + k, c)
                        if c < 8 { for l in c..<8 { x[l] = -.infinity } }
                        m8 = m8.replacing(with: x, where: x .> m8)
                    }
                    let maxLogit = v > 0 ? m8.max() : 0
                    var s8 = Float8()
                    forEachBlock8(v) { k, c in
                        var ex = exp8(load8(row + k, c) - maxLogit)
                        if c < 8 { for l in c..<8 { ex[l] = 0 } }
                        s8 += ex
                        store8(ex, out + k, c)
                    }
                    let sum = s8.sum()
                    forEachBlock8(v) { k, c in store8(load8(out + k, c) / sum, out + k, c) }
                    if let target = ids[t] {
                        stepLosses[t] = log(Double(sum)) + Double(maxLogit) - Double(row[target])
                    }
                }
            }}
        case (.regression, .numbers(let values)):
            for t in 0..<steps {
                if let target = values[t] {
                    let diff = Double(logits[t * v]) - Double(target)
                    stepLosses[t] = diff * diff
                }
            }
        default:
            preconditionFailure("targets do not match the task")
        }
        var total = 0.0, present = 0
        for case let loss? in stepLosses {
            total += loss
            present += 1
        }
        return Evaluation(probabilities: probabilities, stepLosses: stepLosses,
                          mean: present == 0 ? nil : total / Double(present))
    }

    /// dL/dlogits for the mean loss, T × V: (p − onehot(target)) / N, or 2(y − target) / N for MSE.
    public static func logitGradients(_ forward: ForwardRecording) -> [Float] {
        let steps = forward.steps, v = forward.outputSize
        var grad = [Float](repeating: 0, count: steps * v)
        var present = 0
        for case .some in forward.stepLosses { present += 1 }
        guard present > 0 else { return grad }
        let count = Float(present)
        switch forward.targets {
        case .tokens(let ids):
            grad.withUnsafeMutableBufferPointer { gp in
                forward.probabilities.withUnsafeBufferPointer { pp in
                    for t in 0..<steps {
                        guard let target = ids[t] else { continue }
                        let g = gp.baseAddress! + t * v, p = pp.baseAddress! + t * v
                        forEachBlock8(v) { k, c in store8(load8(p + k, c) / count, g + k, c) }
                        g[target] -= 1 / count
                    }
                }
            }
        case .numbers(let values):
            for t in 0..<steps {
                guard let target = values[t] else { continue }
                grad[t * v] = 2 * (forward.logits[t * v] - target) / count
            }
        }
        return grad
    }
}
