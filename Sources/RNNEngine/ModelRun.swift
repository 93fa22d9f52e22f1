/// A forward pass and its backpropagation through time over one input.
public struct SequenceRun: Sendable {
    public let tokens: [String]
    public let forward: ForwardRecording
    public let backward: BackwardRecording

    /// A run computed elsewhere (e.g. with targets only at some steps, as lessons on vanishing gradients use).
    public init(tokens: [String], forward: ForwardRecording, backward: BackwardRecording) {
        self.tokens = tokens
        self.forward = forward
        self.backward = backward
    }
}

extension RNNModel {
    /// The step inputs for `text`: token ids through the tokenizer and vocabulary, or numbers for regression.
    /// Errors name an unknown token and its position, an unparsable number, or empty input.
    public func encode(_ text: String) throws(EngineError) -> (tokens: [String], inputs: SequenceInputs, targets: SequenceTargets) {
        let tokens = tokenizer.tokenize(text)
        guard !tokens.isEmpty else { throw EngineError.emptyInput }
        switch task {
        case .classification:
            let ids = try vocabulary.encode(tokens)
            return (tokens, .tokens(ids), .nextTokens(ids))
        case .regression:
            var values: [Float] = []
            for (position, token) in tokens.enumerated() {
                guard let value = SequenceInputs.number(token) else {
                    throw EngineError.invalidArgument("\"\(token)\" at position \(position + 1) is not a number (this model reads a series of numbers)")
                }
                values.append(value)
            }
            return (tokens, .numbers(values), .nextNumbers(values))
        }
    }

    /// Reads `text` step by step (step t predicts token t+1) and backpropagates the mean loss through time.
    /// With `lossOn: .lastStep` only the last target counts, so dL/dh_t is purely what flows back from the end.
    public func run(_ text: String, lossOn: LossPlacement = .everyStep) throws(EngineError) -> SequenceRun {
        let (tokens, inputs, allTargets) = try encode(text)
        let targets = lossOn == .lastStep ? allTargets.keepingOnlyLast() : allTargets
        let forward = parameters.forward(inputs, targets: targets, task: task)
        return SequenceRun(tokens: tokens, forward: forward, backward: parameters.backward(forward))
    }
}
