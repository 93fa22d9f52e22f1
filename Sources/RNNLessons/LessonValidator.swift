import Foundation
import RNNEngine

/// Checks a lesson file completely and reports every problem as `file:line: what was wrong, what was expected`.
///
/// Syntax problems come from `LessonParser`; here are the checks that need more than the text: model
/// files exist and match `cell:`, input tokens are in the vocabulary, steps fall inside the tokenized
/// input, placeholders and highlights name something the run will have.
public enum LessonValidator {
    /// The result of validating one file.
    public struct Report: Sendable {
        /// The lesson, when there were no problems (its corpus read from `corpus_file` if it had one).
        public var lesson: Lesson?
        /// Every problem, in line order.
        public var problems: [LessonProblem]
        public var isValid: Bool { problems.isEmpty }
        /// The recipe's estimated training time in seconds (all its cells), when it has a recipe.
        public var trainingSeconds: Double?
    }

    /// Reads, parses and checks the lesson at `path`.
    public static func validate(path: String) -> Report {
        switch LessonFileReader.read(path: path) {
        case .failure(let problem): return Report(lesson: nil, problems: [problem], trainingSeconds: nil)
        case .success(let text): return validate(text: text, path: path)
        }
    }

    /// Parses and checks lesson text; relative paths in it are taken from the directory of `path`.
    public static func validate(text: String, path: String) -> Report {
        var (draft, problems) = LessonParser.parse(text, path: path)
        var checker = SemanticChecks(draft: draft, directory: (path as NSString).deletingLastPathComponent)
        checker.run()
        problems += checker.problems
        draft = checker.draft
        problems = sorted(problems)
        let lesson = problems.isEmpty ? draft.lesson(corpusText: checker.corpusText) : nil
        return Report(lesson: lesson, problems: problems, trainingSeconds: checker.trainingSeconds)
    }

    /// Most seconds a recipe may be estimated to train (`TrainingCost`) when the lesson trains it on opening.
    public static let openingBudget: Double = 10
    /// Most seconds for a recipe that documents model: files (not trained on opening).
    public static let pretrainedRecipeBudget: Double = 3600

    private static func sorted(_ problems: [LessonProblem]) -> [LessonProblem] {
        // Stable: problems of the whole file first, then by line, keeping discovery order within a line.
        problems.enumerated().sorted { a, b in
            let la = a.element.line ?? 0, lb = b.element.line ?? 0
            return la != lb ? la < lb : a.offset < b.offset
        }.map(\.element)
    }
}

// MARK: - Checks that need the model and the input

private struct SemanticChecks {
    var draft: LessonDraft
    let directory: String
    var problems: [LessonProblem] = []
    var corpusText: String?
    var shape: LessonShape?
    var trainingSeconds: Double?

    init(draft: LessonDraft, directory: String) {
        self.draft = draft
        self.directory = directory
    }

    mutating func problem(_ line: Int?, _ message: String) {
        problems.append(LessonProblem(file: draft.path, line: line, message: message))
    }

    func resolve(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : (directory.isEmpty ? relative : directory + "/" + relative)
    }

    /// The path of a file the lesson names (`key` is corpus_file or model), when it lies inside the lesson's
    /// own directory, links followed; otherwise nil, with a problem. A lesson file may come from anyone, and
    /// what it reads can appear in messages and on screen: it may not read `../../etc/passwd`.
    mutating func pathInside(_ written: String, key: String, line: Int) -> String? {
        let path = resolve(written)
        let base = directory.isEmpty ? "." : directory
        func refuse(_ why: String) -> String? {
            problem(line, "\(key) \"\(written)\" \(why): expected a file in the lesson's directory or below it")
            return nil
        }
        guard LessonPaths.lexicallyInside(path, directory: base) else {
            return refuse("is outside the lesson's directory")
        }
        // Links: where the file really is must be inside where the directory really is.
        if let real = LessonPaths.realPath(path), let realBase = LessonPaths.realPath(base),
           !(real == realBase || real.hasPrefix(realBase.hasSuffix("/") ? realBase : realBase + "/")) {
            return refuse("is a link to a file outside the lesson's directory")
        }
        return path
    }

    mutating func run() {
        guard let cells = draft.cells else {
            // Without cells nothing below can be checked against a model; still check placeholder syntax (done by the parser).
            return
        }
        var shape = LessonShape(cells: cells)
        shape.temperatures = draft.temperatures
        shape.clips = draft.clipNorm != nil
        shape.generator = draft.generator
        shape.hasContrast = draft.contrast != nil
        shape.hasRecipe = draft.usesRecipe
        var tokenizer: TokenizerKind?
        if let files = draft.modelFiles, let entry = draft.entries["model"] {
            if draft.usesRecipe {
                // The lesson runs the files; their recipe must describe models like them.
                let (_, recipeShape) = checkRecipe(cells: cells, shape: shape)
                (tokenizer, shape) = checkModels(files, cells: cells, line: entry.line, shape: shape)
                checkFilesMatchRecipe(shape, tokenizer: tokenizer, recipe: recipeShape, line: entry.line)
            } else {
                (tokenizer, shape) = checkModels(files, cells: cells, line: entry.line, shape: shape)
            }
        } else if draft.usesRecipe {
            (tokenizer, shape) = checkRecipe(cells: cells, shape: shape)
        }
        // Tokenize the input with the model's tokenizer: it fixes how many steps there are.
        if let input = draft.input, let inputLine = draft.entries["input"]?.line, let tokenizer {
            let tokens = tokenizer.tokenize(input)
            if tokens.isEmpty {
                problem(inputLine, "the input has no tokens: expected at least one \(tokenizer == .word ? "word" : "character")")
            } else {
                shape.stepCount = tokens.count
            }
            if shape.task == .regression {
                for (position, token) in tokens.enumerated() where SequenceInputs.number(token) == nil {
                    problem(inputLine, "input token \"\(token)\" (position \(position + 1)) is not a number: expected numbers separated by spaces for task: regression")
                }
            } else if let vocab = shape.vocab {
                let known = Set(vocab)
                for (position, token) in tokens.enumerated() where !known.contains(token) {
                    problem(inputLine, "input token \"\(token)\" (position \(position + 1)) is not in the model's vocabulary: expected one of \(vocabList(vocab))")
                }
            }
        }
        shape.tokenizer = tokenizer
        if let contrast = draft.contrast, let tokenizer, let line = draft.entries["contrast"]?.line {
            let tokens = tokenizer.tokenize(contrast)
            if let n = shape.stepCount, tokens.count != n {
                problem(line, "contrast has \(tokens.count) token(s) but the input has \(n): expected as many, so the two runs line up step by step")
            }
            if let vocab = shape.vocab {
                for token in tokens where !vocab.contains(token) {
                    problem(line, "contrast token \"\(token)\" is not in the model's vocabulary: expected one of \(vocabList(vocab))")
                }
            }
        }
        self.shape = shape
        checkSections(shape: shape)
    }

    private mutating func checkModels(_ files: [String], cells: [CellKind], line: Int,
                                      shape initial: LessonShape) -> (TokenizerKind?, LessonShape) {
        var shape = initial
        var tokenizer: TokenizerKind?
        for (k, file) in files.enumerated() {
            guard let path = pathInside(file, key: "model file", line: line) else { continue }
            guard FileManager.default.fileExists(atPath: path) else {
                problem(line, "model file \"\(file)\" does not exist (looked for \(path)): expected a .safetensors file relative to the lesson")
                continue
            }
            let model: RNNModel
            do {
                model = try RNNModel.load(contentsOf: path)
            } catch {
                problem(line, "model file \"\(file)\" cannot be used: \(error.description)")
                continue
            }
            if k < cells.count && model.cell != cells[k] {
                problem(line, "model file \"\(file)\" holds a \(model.cell.rawValue) model, but cell: lists \(cells[k].rawValue) in that place: expected the files in the order of cell:")
            }
            shape.hiddenSizes[model.cell] = model.parameters.hiddenSize
            if k == 0 {
                tokenizer = model.tokenizer
                shape.task = model.task
                shape.vocab = model.task == .classification ? model.vocabulary.tokens : nil
            }
        }
        return (tokenizer, shape)
    }

    /// A file that its recipe cannot have produced (another tokenizer, hidden size or vocabulary) would make
    /// the documented rebuild a lie; the tests compare the bytes, this catches the mismatch while editing.
    private mutating func checkFilesMatchRecipe(_ files: LessonShape, tokenizer: TokenizerKind?, recipe: LessonShape, line: Int) {
        if let tokenizer, let recipeTokenizer = draft.tokenizer, tokenizer != recipeTokenizer {
            problem(line, "the model file uses the \(tokenizer.rawValue) tokenizer, but the recipe says tokenizer: \(recipeTokenizer.rawValue): expected the recipe that trained the file")
        }
        for cell in files.cells {
            if let fromFile = files.hiddenSizes[cell], let fromRecipe = recipe.hiddenSizes[cell], fromFile != fromRecipe {
                problem(line, "the \(cell.rawValue) model file has hidden size \(fromFile), but the recipe says hidden_size: \(fromRecipe): expected the recipe that trained the file")
            }
        }
        if let fileVocab = files.vocab, let recipeVocab = recipe.vocab, fileVocab != recipeVocab {
            problem(line, "the model file's vocabulary (\(fileVocab.count) tokens) is not the recipe corpus's (\(recipeVocab.count) tokens, in order of first appearance): expected the recipe that trained the file")
        }
    }

    private mutating func checkRecipe(cells: [CellKind], shape initial: LessonShape) -> (TokenizerKind?, LessonShape) {
        var shape = initial
        shape.trained = true
        shape.task = draft.task ?? .classification
        if let hidden = draft.hiddenSize { for c in cells { shape.hiddenSizes[c] = hidden } }
        var corpus = draft.corpus
        if let file = draft.corpusFile, let line = draft.entries["corpus_file"]?.line,
           let path = pathInside(file, key: "corpus_file", line: line) {
            switch LessonFileReader.read(path: path) {
            case .success(let text): corpus = text
            case .failure(let p):
                problem(line, "corpus_file \"\(file)\": \(p.line.map { "line \($0): " } ?? "")\(p.message)")
            }
        }
        if let generator = draft.generator, let seed = draft.seed,
           // Priced before it is written: a generated corpus can be millions of tokens.
           checkTrainingCost(cells: cells, tokenizer: draft.tokenizer ?? .word, sequenceLengths: generator.minimumLineLengths,
                             vocabularySize: generator.vocabularySize, task: shape.task) {
            corpus = generator.corpus(seed: seed)
        }
        corpusText = corpus
        guard let tokenizer = draft.tokenizer else { return (nil, shape) }
        if let corpus {
            let split: SequenceSplit = draft.generator != nil ? .perLine : (draft.sequences ?? .whole)
            let sequences = split.texts(of: corpus).map { tokenizer.tokenize($0) }
            let tokens = sequences.flatMap { $0 }
            let line = draft.corpusLine ?? draft.entries["corpus_file"]?.line ?? draft.entries["corpus_generator"]?.line
                ?? draft.frontMatterEnd
            if tokens.count < 2 {
                problem(line, "the corpus has \(tokens.count) token(s): expected at least two to learn a next-token prediction")
            }
            if shape.task == .regression {
                for (position, token) in tokens.enumerated() where SequenceInputs.number(token) == nil {
                    problem(line, "corpus token \"\(token)\" (position \(position + 1)) is not a number: expected numbers separated by spaces for task: regression")
                    break
                }
            } else {
                // Vocabulary of a trained model = the distinct corpus tokens (their order is the trainer's).
                var seen = Set<String>()
                shape.vocab = tokens.filter { seen.insert($0).inserted }
            }
            checkTrainingCost(cells: cells, tokenizer: tokenizer, sequenceLengths: sequences.map(\.count),
                              vocabularySize: shape.vocab?.count ?? 1, task: shape.task)
        }
        return (tokenizer, shape)
    }

    /// Refuses a recipe that would train for too long, estimated from its sizes before any training
    /// (`TrainingCost`): the lesson trains it when it opens, and `validate` trains it to run the checks.
    /// A recipe next to model: files is not trained when the lesson opens (only by `rnnscope lesson model`),
    /// so it gets the larger cap.
    /// Returns whether the recipe is within its budget.
    @discardableResult
    private mutating func checkTrainingCost(cells: [CellKind], tokenizer: TokenizerKind, sequenceLengths: [Int],
                                            vocabularySize: Int, task: ModelTask) -> Bool {
        guard let hidden = draft.hiddenSize, let epochs = draft.epochs, let length = draft.sequenceLength,
              let line = draft.entries["epochs"]?.line else { return true }
        let seconds = cells.reduce(0.0) { total, cell in
            let config = TrainingConfig(cell: cell, task: task, tokenizer: tokenizer, hiddenSize: hidden,
                                        embeddingSize: draft.embeddingSize, epochs: epochs, sequenceLength: length,
                                        batchSize: draft.batchSize ?? 1)
            return total + TrainingCost(config: config, sequenceLengths: sequenceLengths, vocabularySize: vocabularySize).seconds
        }
        trainingSeconds = seconds
        let pretrained = draft.modelFiles != nil
        let budget = pretrained ? LessonValidator.pretrainedRecipeBudget : LessonValidator.openingBudget
        guard seconds > budget else { return true }
        let tokens = sequenceLengths.filter { $0 >= 2 }.reduce(0, +)
        let why = pretrained
            ? "expected under ~\(Int(budget / 60)) min even for a recipe next to model: files (rnnscope lesson model trains it)"
            : "expected under ~\(Int(budget)) s, so that the lesson opens quickly"
        problem(line, "this recipe would train for \(TrainingCost.describe(seconds: seconds)) on this machine class "
            + "(\(epochs) epoch(s) × \(tokens) tokens, hidden_size \(hidden), \(cells.count) cell(s)): \(why); lower epochs or hidden_size")
        return false
    }

    private mutating func checkSections(shape: LessonShape) {
        let last = shape.stepCount.map { $0 - 1 }
        if let intro = draft.intro { checkTemplate(intro.text, line: intro.line, step: 0, shape: shape) }
        if let ending = draft.ending { checkTemplate(ending.text, line: ending.line, step: last ?? 0, shape: shape) }
        let checker = ExpressionChecker(shape: shape, step: last ?? 0)
        for check in draft.checks {
            for e in [check.comparison.left, check.comparison.right] {
                for message in checker.problems(in: e) { problem(check.line, "in check: \(message)") }
            }
        }
        for section in draft.steps {
            if let n = shape.stepCount, section.step >= n {
                let input = draft.input ?? ""
                problem(section.line, "step \(section.step) is past the end of the input: \"\(input)\" has \(n) token(s), so steps run from 0 to \(n - 1)")
                continue
            }
            checkTemplate(section.narration.text, line: section.narration.line, step: section.step, shape: shape)
            if let h = section.highlight { checkHighlight(h, shape: shape) }
            for q in section.questions {
                checkTemplate(q.prompt, line: q.line, step: section.step, shape: shape)
                checkTemplate(q.explanation, line: q.line, step: section.step, shape: shape)
                if let f = q.followUp { checkTemplate(f.text, line: f.line, step: section.step, shape: shape) }
                for c in q.choices { checkTemplate(c.text, line: c.line, step: section.step, shape: shape) }
                let checker = ExpressionChecker(shape: shape, step: section.step)
                let expressions: [Expression]
                switch q.answer {
                case .value(let e), .closest(let e): expressions = [e]
                case let .conditional(_, condition, _): expressions = [condition.left, condition.right]
                }
                for e in expressions {
                    for message in checker.problems(in: e) { problem(q.line, "in answer: \(message)") }
                }
            }
        }
    }

    private mutating func checkTemplate(_ text: String, line: Int, step: Int, shape: LessonShape) {
        let checker = ExpressionChecker(shape: shape, step: step)
        for (placeholder, placeholderLine) in NarrationTemplate.parse(text, line: line).0.placeholders {
            for message in checker.problems(in: placeholder.expression) {
                problem(placeholderLine, "{\(placeholder.source)}: \(message)")
            }
        }
    }

    private mutating func checkHighlight(_ h: Highlight, shape: LessonShape) {
        let cell = shape.cells[0]
        if h.panel == .cell && cell != .lstm {
            problem(h.line, "highlight cell: the \(cell.displayName) has no cell state: expected hidden, or use an LSTM")
        }
        if h.panel == .gates && cell.isPlainRNN {
            problem(h.line, "highlight gates: the \(cell.displayName) has no gates: expected hidden or another panel")
        }
        if let gate = h.gate, !cell.gateNames.contains(gate), !cell.isPlainRNN {
            problem(h.line, "highlight gates.\(gate): the \(cell.displayName) has no gate \(gate): expected one of \(cell.gateNames.joined(separator: ", "))")
        }
        guard let unit = h.unit else { return }
        let size: Int?
        switch h.panel {
        case .hidden, .cell, .gates, .gradient: size = shape.hiddenSizes[cell]
        case .output: size = shape.vocab?.count
        case .input, .loss, .weights: size = nil
        }
        if let size, unit >= size {
            problem(h.line, "highlight unit \(unit) is out of range: the \(h.panel.rawValue) panel has \(size) units (0 to \(size - 1))")
        }
    }

    private func vocabList(_ vocab: [String]) -> String {
        let shown = vocab.prefix(12).map { "\"\($0)\"" }.joined(separator: ", ")
        return vocab.count > 12 ? shown + ", … (\(vocab.count) in all)" : shown
    }
}

/// Where a lesson's files may be: inside its own directory.
enum LessonPaths {
    /// Whether `path` stays inside `directory` by its text alone ("." and ".." applied, links not followed).
    static func lexicallyInside(_ path: String, directory: String) -> Bool {
        let base = components(absolute(directory))
        let file = components(absolute(path))
        guard let base, let file else { return false }
        return file.count > base.count && Array(file.prefix(base.count)) == base
    }

    /// The path from the root with "." and ".." applied; nil when ".." climbs above the root.
    private static func components(_ path: String) -> [Substring]? {
        var out: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                guard !out.isEmpty else { return nil }
                out.removeLast()
            } else {
                out.append(part)
            }
        }
        return out
    }

    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// The path with every link resolved (`realpath`), or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
