/// Token strings and their ids (id = index), as stored in the model file's `vocab` metadata.
public struct Vocabulary: Equatable, Sendable {
    public let tokens: [String]
    private let ids: [String: Int]

    public init(_ tokens: [String]) {
        self.tokens = tokens
        var ids: [String: Int] = [:]
        for (i, t) in tokens.enumerated() where ids[t] == nil { ids[t] = i }
        self.ids = ids
    }

    public var count: Int { tokens.count }
    public func id(of token: String) -> Int? { ids[token] }

    /// Ids of `tokens`, or an error naming the first unknown token and its position.
    public func encode(_ tokens: [String]) throws(EngineError) -> [Int] {
        try tokens.enumerated().map { (position, token) throws(EngineError) -> Int in
            guard let id = ids[token] else {
                throw EngineError.unknownToken(token: token, position: position, known: self.tokens)
            }
            return id
        }
    }
}

/// A complete model: parameters plus how text becomes inputs and what the head predicts.
public struct RNNModel: Equatable, Sendable {
    public var parameters: ModelParameters
    public var tokenizer: TokenizerKind
    /// Empty for regression models (numbers in, numbers out).
    public var vocabulary: Vocabulary
    public var task: ModelTask
    /// The tensor names of the file the model was loaded from, when they are not rnnscope's own; see
    /// `stateDictNames`. Where the weights came from, not what the model is: `==` leaves it out.
    public var fileNames: StateDictNames?

    /// The same model: the same weights, tokenizer, vocabulary and task, whatever names its file used.
    public static func == (a: RNNModel, b: RNNModel) -> Bool {
        a.parameters == b.parameters && a.tokenizer == b.tokenizer && a.vocabulary == b.vocabulary && a.task == b.task
    }

    public init(parameters: ModelParameters, tokenizer: TokenizerKind, vocabulary: Vocabulary, task: ModelTask = .classification) {
        self.parameters = parameters
        self.tokenizer = tokenizer
        self.vocabulary = vocabulary
        self.task = task
    }

    public var cell: CellKind { parameters.cell }
}
