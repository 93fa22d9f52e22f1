/// How far back each prediction looks: ‖∂L_t/∂x_s‖₂, the gradient of step t's own loss with respect to the
/// input x_s that layer 0 read at step s (one-hot, embedding row or number), for s ≤ t inside a window of
/// the last steps. Each row t is one backward pass with the loss of step t alone, so the whole map costs
/// O(W²) cell steps for a window of W: compute it once per run, never per frame.
public struct InputSensitivity: Sendable, Equatable {
    /// The first step of the window; steps before it are not in the map (their state is its start).
    public let start: Int
    /// W: steps in the window, start ..< start + W.
    public let count: Int
    /// Row-major W × W: entry (t − start, s − start) is ‖∂L_t/∂x_s‖₂; NaN where s > t or step t has no target.
    public let norms: [Float]

    /// The map of `inputs` over the last `window` steps (all of them when the sequence is shorter).
    public init(parameters: ModelParameters, inputs: SequenceInputs, targets: SequenceTargets, task: ModelTask,
                window: Int) {
        let steps = inputs.count
        let w = min(steps, max(1, window))
        start = steps - w
        count = w
        var norms = [Float](repeating: .nan, count: w * w)
        let initial = Self.state(parameters: parameters, inputs: inputs, targets: targets, task: task, before: start)
        for row in 0..<w {
            let t = start + row
            guard let gradients = Self.inputGradients(parameters: parameters, inputs: inputs, targets: targets,
                                                      task: task, start: start, initial: initial, step: t) else { continue }
            for (column, g) in gradients.enumerated() {
                norms[row * w + column] = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
            }
        }
        self.norms = norms
    }

    /// ‖∂L_t/∂x_s‖₂, or nil outside the window, for s > t, or when step t has no target.
    public func norm(loss t: Int, input s: Int) -> Float? {
        guard (start..<start + count).contains(t), (start...t).contains(s) else { return nil }
        let v = norms[(t - start) * count + (s - start)]
        return v.isNaN ? nil : v
    }

    /// ∂L_t/∂x_s for s = start … t (E numbers each), from one forward and backward pass over those steps with
    /// the loss of step t alone, started from the state the full run had at `start`; nil when step t has no
    /// target.
    public static func inputGradients(parameters: ModelParameters, inputs: SequenceInputs, targets: SequenceTargets,
                                      task: ModelTask, start: Int, step t: Int) -> [[Float]]? {
        inputGradients(parameters: parameters, inputs: inputs, targets: targets, task: task, start: start,
                       initial: state(parameters: parameters, inputs: inputs, targets: targets, task: task, before: start),
                       step: t)
    }

    /// The state of every layer after steps 0 ..< start (nil: the zero state, before step 0).
    private static func state(parameters: ModelParameters, inputs: SequenceInputs, targets: SequenceTargets,
                              task: ModelTask, before start: Int) -> RecurrentState? {
        guard start > 0 else { return nil }
        return parameters.forward(inputs.slice(0..<start), targets: targets.slice(0..<start).removingAll(),
                                  task: task).finalState
    }

    private static func inputGradients(parameters: ModelParameters, inputs: SequenceInputs, targets: SequenceTargets,
                                       task: ModelTask, start: Int, initial: RecurrentState?, step t: Int) -> [[Float]]? {
        guard let only = targets.keepingOnly(t) else { return nil }
        let range = start..<(t + 1)
        let forward = parameters.forward(inputs.slice(range), targets: only.slice(range), task: task,
                                         initialState: initial)
        let backward = parameters.backward(forward)
        let layer = parameters.layers[0]
        let gh = parameters.cell.gateCount * layer.hiddenSize, e = layer.inputSize
        let steps = range.count
        var dx = [Float](repeating: 0, count: steps * e)
        backward.layers[0].dPreactivations.withUnsafeBufferPointer { dp in
            layer.weightIH.values.withUnsafeBufferPointer { wp in
                dx.withUnsafeMutableBufferPointer { out in
                    Gemm.multiply(m: steps, n: e, k: gh, a: dp.baseAddress!, aRowStride: gh, aColStride: 1,
                                  b: wp.baseAddress!, ldb: e, c: out.baseAddress!, ldc: e, accumulate: false)
                }
            }
        }
        return (0..<steps).map { Array(dx[($0 * e)..<(($0 + 1) * e)]) }
    }
}

extension SequenceInputs {
    /// Steps `range` of the inputs.
    public func slice(_ range: Range<Int>) -> SequenceInputs {
        switch self {
        case .tokens(let ids): return .tokens(Array(ids[range]))
        case .numbers(let values): return .numbers(Array(values[range]))
        case .vectors(let m):
            return .vectors(Matrix(rows: range.count, cols: m.cols,
                                   values: Array(m.values[(range.lowerBound * m.cols)..<(range.upperBound * m.cols)])))
        }
    }
}

extension SequenceTargets {
    /// The same steps with step t's target alone; nil when step t has none.
    func keepingOnly(_ t: Int) -> SequenceTargets? {
        switch self {
        case .tokens(let v):
            guard let target = v[t] else { return nil }
            return .tokens(v.indices.map { $0 == t ? target : nil })
        case .numbers(let v):
            guard let target = v[t] else { return nil }
            return .numbers(v.indices.map { $0 == t ? target : nil })
        }
    }

    /// The same steps with no target at all (a forward pass that only carries the state).
    func removingAll() -> SequenceTargets {
        switch self {
        case .tokens(let v): return .tokens(v.map { _ in nil })
        case .numbers(let v): return .numbers(v.map { _ in nil })
        }
    }
}
