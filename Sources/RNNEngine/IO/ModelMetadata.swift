/// The metadata a model file needs besides its tensors (`cell`, `tokenizer`, `vocab`, optional `task`),
/// read in one pass. Every missing or unreadable key, and tied weights saved as one copy, are reported
/// together in one message that says what the tensors show and ends with the Python line that saves the
/// model right, filled in from them — one round trip, not one per key.
///
/// A plain RNN's tensors fit tanh and relu alike, so its cell is never guessed: the line reads it from
/// the model (`"rnn_" + model.rnn.nonlinearity`).
struct ModelMetadata {
    var cell: CellKind
    var task: ModelTask
    var tokenizer: TokenizerKind
    var vocabulary: Vocabulary

    init(_ meta: [String: String], evidence: TensorEvidence, fileName: String,
         fail: (String) -> EngineError) throws(EngineError) {
        typealias Key = RNNModel.MetadataKey
        var missing: [String] = []
        var problems: [String] = []

        var cell: CellKind?
        switch meta[Key.cell] {
        case nil:
            missing.append(Key.cell)
        case let value?:
            cell = CellKind(rawValue: value)
            if cell == nil {
                let caseHint = CellKind(rawValue: value.lowercased()).map { " (lower case: \(JSONText.quoted($0.rawValue)))" } ?? ""
                problems.append("metadata cell is \(JSONText.quoted(value)); expected one of \(Self.cellNames)\(caseHint)")
            }
        }
        if cell == nil && evidence.cells.isEmpty {
            let shape = evidence.weightHHShape.map { "\($0)" } ?? "missing"
            throw fail("metadata has no valid \"cell\", and tensor \(JSONText.quoted(evidence.weightHH)) has shape \(shape), which fits no cell: PyTorch's weight_hh is [G·H, H] with G = 1 (RNN), 3 (GRU) or 4 (LSTM)")
        }

        var task = ModelTask.classification
        switch meta[Key.task] {
        case nil where evidence.looksLikeRegression && meta[Key.vocab] == nil:
            missing.append(Key.task)
            task = .regression
        case nil:
            break
        case let value?:
            if let parsed = ModelTask(rawValue: value) {
                task = parsed
            } else {
                problems.append("metadata task is \(JSONText.quoted(value)); expected classification or regression")
            }
        }

        var tokenizer: TokenizerKind?
        switch meta[Key.tokenizer] {
        case nil where task == .regression:
            tokenizer = .word  // numbers in: whitespace-separated, like words
        case nil:
            missing.append(Key.tokenizer)
        case let value?:
            tokenizer = TokenizerKind(rawValue: value)
            if tokenizer == nil { problems.append("metadata tokenizer is \(JSONText.quoted(value)); expected word or char") }
        }

        var vocabulary: Vocabulary?
        switch meta[Key.vocab] {
        case nil where task == .regression:
            vocabulary = Vocabulary([])
        case nil:
            missing.append(Key.vocab)
        case let text?:
            switch Self.parseVocabulary(text, task: task) {
            case .success(let parsed): vocabulary = parsed
            case .failure(let problem): problems.append(problem.text)
            }
        }

        let tied = task == .classification && evidence.looksTied
        if tied, let e = evidence.inputSize, let v = evidence.outputs {
            problems.append("there is no embedding tensor, yet \(JSONText.quoted(evidence.weightIH)) reads \(e) inputs (one-hot input would be \(v) wide) and \(JSONText.quoted(evidence.headWeight)) is [\(v), \(e)]: the embedding looks tied to the output layer, and the file kept one copy")
        }

        if let cell, let tokenizer, let vocabulary, missing.isEmpty, problems.isEmpty {
            self.cell = cell
            self.task = task
            self.tokenizer = tokenizer
            self.vocabulary = vocabulary
            return
        }

        // MARK: One message for everything
        var parts: [String] = []
        if !missing.isEmpty { parts.append("metadata has no " + Self.orList(missing.map(JSONText.quoted))) }
        parts += problems
        var entries: [String] = []
        var notes: [String] = []
        if let cell {
            entries.append("\"cell\": \(JSONText.quoted(cell.rawValue))")
        } else if evidence.cells.count == 1 {
            entries.append("\"cell\": \(JSONText.quoted(evidence.cells[0].rawValue))")
        } else {
            entries.append("\"cell\": \"rnn_\" + \(evidence.recurrentModule).nonlinearity")
            notes.append("nn.RNN's nonlinearity makes the cell \"rnn_tanh\" or \"rnn_relu\"")
        }
        if task == .regression {
            entries.append("\"task\": \"regression\"")
        } else {
            let known = tokenizer ?? vocabulary.flatMap(Self.tokenizer(fitting:))
            let kind = known ?? .char
            entries.append("\"tokenizer\": \(JSONText.quoted(kind.rawValue))")
            let variable = kind == .char ? "chars" : "words"
            entries.append("\"vocab\": json.dumps(\(variable))")
            if vocabulary == nil {
                let count = evidence.outputs.map { "\($0) " } ?? ""
                notes.append("\(variable) is the list of the \(count)token strings in id order")
            }
            if known == nil { notes.append("tokenizer \"char\" reads one token per character, \"word\" splits at whitespace") }
        }
        let state = tied ? "{k: v.clone() for k, v in model.state_dict().items()}" : "model.state_dict()"
        if tied { notes.append("the clone saves the tied matrix both as the embedding and as the output layer") }
        let line = "save_file(\(state), \(JSONText.quoted(fileName)), metadata={\(entries.joined(separator: ", "))})"
        let noteText = notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")"
        throw fail(parts.joined(separator: "; ") + "; the tensors are \(evidence.summary). Save it with: \(line)\(noteText)")
    }

    static let cellNames = CellKind.allCases.map(\.rawValue).joined(separator: ", ")

    /// `"a"`, `"a" or "b"`, `"a", "b" or "c"`.
    private static func orList(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " or " + items[items.count - 1]
    }

    /// The tokenizer a vocabulary can only belong to: a token of several characters is a word, a whitespace
    /// token a character (words never hold whitespace). nil when either would fit.
    private static func tokenizer(fitting vocabulary: Vocabulary) -> TokenizerKind? {
        if vocabulary.tokens.contains(where: { $0.unicodeScalars.count > 1 }) { return .word }
        if vocabulary.tokens.contains(where: { $0.unicodeScalars.allSatisfy { $0.properties.isWhitespace } }) { return .char }
        return nil
    }

    struct Problem: Error { var text: String }

    /// The `vocab` metadata: a JSON array of distinct strings (empty exactly for regression). The common
    /// slips of writing it from Python (`str(list)`, `"".join`, a token → id dict) are named with the fix.
    static func parseVocabulary(_ text: String, task: ModelTask) -> Result<Vocabulary, Problem> {
        func fail(_ text: String) -> Result<Vocabulary, Problem> { .failure(Problem(text: text)) }
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            let trimmed = text.drop { $0 == " " }
            if trimmed.hasPrefix("[") && (trimmed.hasPrefix("['") || trimmed.contains(", '")) {
                return fail("metadata vocab is Python's str() of a list (quoted with '), not JSON: write it with json.dumps")
            }
            if !trimmed.hasPrefix("[") && !trimmed.hasPrefix("{") {
                return fail("metadata vocab is not a JSON array (it starts \(JSONText.quoted(String(text.prefix(12))))); write the token list with json.dumps")
            }
            return fail("metadata vocab is not valid JSON: \(error.description)")
        }
        guard case let .array(items) = json else {
            if case .object = json {
                return fail("metadata vocab is an object (a token → id dict?), not a JSON array of token strings in id order")
            }
            return fail("metadata vocab is \(json.kindDescription), not a JSON array of token strings")
        }
        var tokens: [String] = []
        var firstIndex: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            guard case let .string(token) = item else {
                return fail("metadata vocab entry \(i) is \(item.kindDescription) (\(item.compactText)), not a string")
            }
            if let earlier = firstIndex[token] {
                return fail("metadata vocab lists \(JSONText.quoted(token)) twice (entries \(earlier) and \(i)); token ids must be unique")
            }
            firstIndex[token] = i
            tokens.append(token)
        }
        switch task {
        case .classification:
            if tokens.isEmpty { return fail("metadata vocab is empty; a model that predicts tokens needs at least one") }
        case .regression:
            if !tokens.isEmpty {
                return fail("metadata vocab lists \(tokens.count) tokens, but a regression model reads numbers: remove vocab or set task to classification")
            }
        }
        return .success(Vocabulary(tokens))
    }
}
