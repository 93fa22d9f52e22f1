import Foundation

/// Losses of the two heads, matching PyTorch: `F.cross_entropy` and `F.mse_loss`, reduction "mean" over the
/// steps that have a target.
enum Loss {
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
            probabilities = [Float](repeating: 0, count: steps * v)
            for t in 0..<steps {
                // softmax with the max subtracted; the loss from log-sum-exp in Double for accuracy.
                let row = logits[(t * v)..<((t + 1) * v)]
                let maxLogit = row.max() ?? 0
                var sum = 0.0
                for k in 0..<v { sum += exp(Double(logits[t * v + k] - maxLogit)) }
                for k in 0..<v { probabilities[t * v + k] = Float(exp(Double(logits[t * v + k] - maxLogit)) / sum) }
                if let target = ids[t] {
                    stepLosses[t] = log(sum) + Double(maxLogit) - Double(logits[t * v + target])
                }
            }
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
        let present = stepLosses.compactMap { $0 }
        let mean = present.isEmpty ? nil : present.reduce(0, +) / Double(present.count)
        return Evaluation(probabilities: probabilities, stepLosses: stepLosses, mean: mean)
    }

    /// dL/dlogits for the mean loss, T × V: (p − onehot(target)) / N, or 2(y − target) / N for MSE.
    static func logitGradients(_ forward: ForwardRecording) -> [Float] {
        let steps = forward.steps, v = forward.outputSize
        var grad = [Float](repeating: 0, count: steps * v)
        let count = Float(forward.stepLosses.compactMap { $0 }.count)
        guard count > 0 else { return grad }
        switch forward.targets {
        case .tokens(let ids):
            for t in 0..<steps {
                guard let target = ids[t] else { continue }
                for k in 0..<v { grad[t * v + k] = forward.probabilities[t * v + k] / count }
                grad[t * v + target] -= 1 / count
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
