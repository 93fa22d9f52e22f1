import RNNEngine

/// Reads lesson Markdown (format: lessons/README.md) into a `LessonDraft`, collecting every syntax problem.
///
/// Hand-written line by line so that each problem names its line and what was expected there.
/// Semantic checks that need the model or the input's tokens live in `LessonValidator`.
public enum LessonParser {
    /// Front matter keys and what each expects (the text used in "expected …" messages).
    public static let frontMatterKeys: [(key: String, expects: String)] = [
        ("title", "the lesson's title"),
        ("summary", "one sentence shown in the course list"),
        ("cell", "rnn_tanh, rnn_relu, lstm or gru; several separated by commas to compare them"),
        ("model", "a .safetensors file relative to this lesson, one per cell, separated by commas"),
        ("input", "the input text the lesson steps through"),
        ("contrast", "a second input with as many tokens, e.g. the input with its first word changed (placeholder divergence)"),
        ("corpus", "training text (or numbers for task: regression)"),
        ("corpus_file", "a text file with the training corpus, relative to this lesson"),
        ("corpus_generator", CorpusGenerator.expects),
        ("sequences", "whole (the corpus is one text) or per_line (each line is a sequence read from the zero state)"),
        ("tokenizer", "word or char"),
        ("task", "classification (next token) or regression (next number)"),
        ("embedding", "embedding size, a whole number; 0 = one-hot input"),
        ("hidden_size", "a whole number from 1 to \(TrainingConfig.maximumHiddenSize)"),
        ("optimizer", "sgd, adam or adagrad"),
        ("learning_rate", "a positive number such as 0.01"),
        ("epochs", "a whole number from 1 to 100000"),
        ("seq_length", "a whole number from 1 to 10000 (training window length)"),
        ("seed", "a whole number (random seed, so training is reproducible)"),
        ("clip", "a positive number: clip the gradient norm to it"),
        ("scale_recurrent", "a positive number: multiply weight_hh by it after initialisation"),
        ("loss_on", "every_step or last_step (only the last target of each sequence counts, in training and in the lesson's run)"),
        ("batch_size", "a whole number from 1 to 10000: sequences averaged per update (default 1)"),
        ("forget_bias", "LSTM only: a number from -10 to 10, the forget gate's initial bias (1 keeps the cell state from the start)"),
        ("temperature", "positive numbers separated by commas, e.g. 0.5, 1.0, 2.0"),
        ("sample_length", "a whole number from 1 to 10000 (tokens to sample)"),
    ]

    /// Keys that only make sense with a training recipe.
    static let recipeKeys: Set<String> = [
        "corpus", "corpus_file", "corpus_generator", "sequences", "tokenizer", "task", "embedding", "hidden_size", "optimizer", "learning_rate",
        "epochs", "seq_length", "seed", "clip", "scale_recurrent", "loss_on", "forget_bias", "batch_size",
    ]
    static let requiredRecipeKeys = ["tokenizer", "hidden_size", "optimizer", "learning_rate", "epochs", "seq_length", "seed"]

    /// Settings allowed on the lines right after a `## step` heading.
    public static let stepSettings: [(key: String, expects: String)] = [
        ("highlight", "a panel (input, hidden, cell, gates, output, loss, gradient, weights), optionally .gate and [unit], e.g. gates.f[2]"),
    ]

    /// Parses `text` (already checked to be valid UTF-8 text) read from `path`.
    public static func parse(_ text: String, path: String) -> (LessonDraft, [LessonProblem]) {
        var state = ParseState(path: path)
        // Split on the LF scalar: as Characters, CR LF is one grapheme that is not "\n", so a file saved with
        // Windows line ends would be read as one line (and quoted whole, line ends and all, in messages).
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { scalars -> String in
            let line = String(Substring(scalars))
            return line.hasSuffix("\r") ? String(line.dropLast()) : line
        }
        let bodyStart = state.parseFrontMatter(lines)
        state.parseBody(lines, from: bodyStart)
        state.checkRequiredKeys()
        return (state.draft, state.problems)
    }
}

// MARK: - Parser state

private struct ParseState {
    var draft: LessonDraft
    var problems: [LessonProblem] = []

    init(path: String) { draft = LessonDraft(path: path) }

    mutating func problem(_ line: Int?, _ message: String) {
        problems.append(LessonProblem(file: draft.path, line: line, message: message))
    }

    // MARK: Front matter

    /// Returns the index of the first body line.
    mutating func parseFrontMatter(_ lines: [String]) -> Int {
        guard let first = lines.first, first.trimmingSpaces == "---" else {
            problem(1, "expected the front matter to start on the first line with \"---\", then key: value lines (title:, summary:, cell:, …), then \"---\"")
            draft.frontMatterEnd = 1
            return 0
        }
        var i = 1
        while i < lines.count {
            let line = lines[i]
            let number = i + 1
            if line.trimmingSpaces == "---" {
                draft.frontMatterEnd = number
                return i + 1
            }
            i += 1
            let trimmed = line.trimmingSpaces
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                problem(number, "\"\(trimmed)\" is not a key: value line: expected e.g. \"title: What an RNN is\" (or \"---\" to end the front matter)")
                continue
            }
            let key = String(line[..<colon]).trimmingSpaces
            let value = String(line[line.index(after: colon)...]).trimmingSpaces
            guard let spec = LessonParser.frontMatterKeys.first(where: { $0.key == key }) else {
                problem(number, "unknown key \"\(key)\": expected one of \(LessonParser.frontMatterKeys.map(\.key).joined(separator: ", "))")
                continue
            }
            if let earlier = draft.entries[key] {
                problem(number, "duplicate key \"\(key)\" (first given on line \(earlier.line)): expected each key once")
                continue
            }
            draft.entries[key] = LessonDraft.Entry(value: value, line: number)
            guard !value.isEmpty else {
                problem(number, "\"\(key)\" has no value: expected \(spec.expects)")
                continue
            }
            readValue(key: key, value: value, line: number, expects: spec.expects)
        }
        problem(lines.count, "the front matter is not closed: expected a line \"---\" after the key: value lines")
        draft.frontMatterEnd = lines.count
        return lines.count
    }

    private mutating func readValue(key: String, value: String, line: Int, expects: String) {
        func bad() { problem(line, "bad value \"\(value)\" for \(key): expected \(expects)") }
        func int(_ range: ClosedRange<Int>) -> Int? {
            guard let v = Int(value), range.contains(v) else { bad(); return nil }
            return v
        }
        func positive() -> Double? {
            guard let v = Double(value), v > 0, v.isFinite else { bad(); return nil }
            return v
        }
        switch key {
        case "title": draft.title = value
        case "summary": draft.summary = value
        case "input": draft.input = value
        case "contrast": draft.contrast = value
        case "corpus": draft.corpus = value; draft.corpusLine = line
        case "corpus_file": draft.corpusFile = value
        case "cell":
            var cells: [CellKind] = []
            for part in value.split(separator: ",").map({ String($0).trimmingSpaces }) {
                guard let cell = CellKind(rawValue: part) else {
                    problem(line, "unknown cell \"\(part)\": expected rnn_tanh, rnn_relu, lstm or gru")
                    return
                }
                guard !cells.contains(cell) else {
                    problem(line, "cell \"\(part)\" is listed twice: expected each cell once")
                    return
                }
                cells.append(cell)
            }
            draft.cells = cells
        case "model":
            let files = value.split(separator: ",").map { String($0).trimmingSpaces }
            guard !files.contains(where: \.isEmpty) else { bad(); return }
            draft.modelFiles = files
        case "tokenizer":
            guard let t = TokenizerKind(rawValue: value) else { bad(); return }
            draft.tokenizer = t
        case "task":
            guard let t = ModelTask(rawValue: value) else { bad(); return }
            draft.task = t
        case "embedding": draft.embeddingSize = int(0...TrainingConfig.maximumEmbeddingSize).map { $0 == 0 ? nil : $0 } ?? nil
        case "hidden_size": draft.hiddenSize = int(1...TrainingConfig.maximumHiddenSize)
        case "optimizer":
            guard let o = OptimizerKind(rawValue: value) else { bad(); return }
            draft.optimizer = o
        case "learning_rate":
            guard let v = Double(value), v > 0, v <= 10 else { bad(); return }
            draft.learningRate = v
        case "epochs": draft.epochs = int(1...100_000)
        case "seq_length": draft.sequenceLength = int(1...10_000)
        case "seed":
            guard let s = UInt64(value) else { bad(); return }
            draft.seed = s
        case "clip": draft.clipNorm = positive()
        case "scale_recurrent": draft.scaleRecurrent = positive()
        case "loss_on":
            guard let l = LossPlacement(rawValue: value) else { bad(); return }
            draft.lossOn = l
        case "batch_size": draft.batchSize = int(1...10_000)
        case "forget_bias":
            guard let v = Double(value), v.isFinite, abs(v) <= 10 else { bad(); return }
            draft.forgetBias = v
        case "sequences":
            guard let split = SequenceSplit(rawValue: value) else { bad(); return }
            draft.sequences = split
        case "corpus_generator":
            do {
                draft.generator = try CorpusGenerator.parse(value)
            } catch {
                problem(line, error.message)
            }
        case "temperature":
            var temps: [Double] = []
            for part in value.split(separator: ",").map({ String($0).trimmingSpaces }) {
                guard let t = Double(part), t > 0, t.isFinite else {
                    problem(line, "bad temperature \"\(part)\": expected \(expects)")
                    return
                }
                temps.append(t)
            }
            draft.temperatures = temps
        case "sample_length": draft.sampleLength = int(1...10_000)
        default: break
        }
    }

    mutating func checkRequiredKeys() {
        let end = draft.frontMatterEnd
        for key in ["title", "summary", "cell", "input"] where draft.entries[key] == nil {
            let expects = LessonParser.frontMatterKeys.first { $0.key == key }!.expects
            problem(end, "missing required key \"\(key)\": expected \(key): <\(expects)> in the front matter")
        }
        let hasModel = draft.entries["model"] != nil
        let recipeEntries = draft.entries.filter { LessonParser.recipeKeys.contains($0.key) }
        if hasModel, let files = draft.modelFiles, let cells = draft.cells, files.count != cells.count {
            problem(draft.entries["model"]!.line, "\(files.count) model file(s) for \(cells.count) cell(s): expected one model file per cell, in the order of cell:")
        }
        if draft.usesRecipe {
            // Alone, the recipe trains the model when the lesson opens; next to model: it documents how
            // those files were trained, and must be just as complete.
            let sources = ["corpus", "corpus_file", "corpus_generator"].compactMap { key in draft.entries[key].map { (key, $0.line) } }
            if sources.count > 1 {
                problem(sources[1].1, "both \(sources[0].0) and \(sources[1].0) are given: expected only one source of the training corpus")
            }
            if let entry = draft.entries["sequences"], draft.entries["corpus_generator"] != nil {
                problem(entry.line, "sequences: is set by corpus_generator (one sequence per line): expected no sequences: line")
            }
            for key in LessonParser.requiredRecipeKeys where draft.entries[key] == nil {
                let expects = LessonParser.frontMatterKeys.first { $0.key == key }!.expects
                problem(end, "missing required key \"\(key)\" for the training recipe: expected \(key): <\(expects)>")
            }
        } else if hasModel {
            if let (key, entry) = recipeEntries.min(by: { $0.value.line < $1.value.line }) {
                problem(entry.line, "\"\(key)\" belongs to a training recipe, which has no corpus here: expected corpus:, corpus_file: or a ## corpus section with the recipe that trained the model: files (or no recipe keys)")
            }
        } else {
            problem(end, "missing model: expected model: <file.safetensors> or a training recipe (corpus:, corpus_file:, corpus_generator: or a ## corpus section, with tokenizer:, hidden_size:, optimizer:, learning_rate:, epochs:, seq_length:, seed:)")
        }
        if draft.entries["sample_length"] != nil && draft.temperatures.isEmpty && draft.entries["temperature"] == nil {
            problem(draft.entries["sample_length"]!.line, "sample_length is given without temperature: expected temperature: <values> as well")
        }
    }

    // MARK: Body

    mutating func parseBody(_ lines: [String], from start: Int) {
        // Split into the preamble (intro) and `## ` sections.
        var sections: [(heading: String, line: Int, body: [(String, Int)])] = []
        var preamble: [(String, Int)] = []
        var seen: [String: Int] = [:]
        for i in start..<lines.count {
            let line = lines[i]
            if line.hasPrefix("## ") {
                sections.append((String(line.dropFirst(3)).trimmingSpaces, i + 1, []))
            } else if sections.isEmpty {
                // A `# Title` line is for readers of the web page; the TUI shows `title:` instead.
                if !line.hasPrefix("# ") { preamble.append((line, i + 1)) }
            } else {
                sections[sections.count - 1].body.append((line, i + 1))
            }
        }
        if let intro = section(from: preamble) { draft.intro = intro }
        for (heading, line, body) in sections {
            let words = heading.split(separator: " ").map(String.init)
            let key = words.joined(separator: " ")
            if let first = seen[key.lowercased()] {
                problem(line, "duplicate section \"## \(heading)\" (first on line \(first)): expected each step and mode once")
                continue
            }
            seen[key.lowercased()] = line
            switch words.first {
            case "step":
                parseStep(words: words, heading: heading, line: line, body: body)
            case "end":
                guard words.count == 1 else {
                    problem(line, "unexpected \"\(heading)\": expected \"## end\"")
                    continue
                }
                draft.ending = section(from: body) ?? emptySection(line: line)
            case "corpus":
                parseCorpusSection(body: body, line: line)
            case "checks" where words.count == 1:
                parseChecks(body: body)
            default:
                problem(line, "unknown section \"## \(heading)\": expected \"## step N forward\", \"## step N backward\", \"## end\", \"## checks\" or \"## corpus\" (use ### for sub-headings in narration)")
            }
        }
    }

    private mutating func parseCorpusSection(body: [(String, Int)], line: Int) {
        // The corpus is the content of the first fenced code block, so it shows verbatim on a web page.
        guard let open = body.firstIndex(where: { $0.0.hasPrefix("```") }) else {
            problem(line, "the ## corpus section has no fenced block: expected the text between ``` lines")
            return
        }
        guard let close = body[(open + 1)...].firstIndex(where: { $0.0.hasPrefix("```") }) else {
            problem(body[open].1, "unclosed ``` block in ## corpus: expected a closing ``` line")
            return
        }
        if ["corpus", "corpus_file", "corpus_generator"].contains(where: { draft.entries[$0] != nil }) {
            problem(line, "the corpus is given twice (front matter and ## corpus): expected only one")
            return
        }
        draft.corpus = body[(open + 1)..<close].map(\.0).joined(separator: "\n")
        draft.corpusLine = line
    }

    /// `- <value> <op> <value>` lines: what the model must show. Other lines are prose for readers.
    private mutating func parseChecks(body: [(String, Int)]) {
        for (text, number) in body where text.hasPrefix("- ") {
            let source = String(text.dropFirst(2)).trimmingSpaces
            do {
                guard let comparison = try Comparison.parse(words: try PlaceholderParser.split(source)) else {
                    problem(number, "check \"\(source)\" has no comparison: expected <value> <op> <value> with <, >, <= or >= between spaces, e.g. \"- lstm: recall_min >= 0.8\"")
                    continue
                }
                draft.checks.append(LessonCheck(source: source, comparison: comparison, line: number))
            } catch {
                problem(number, "in check: \(error.message)")
            }
        }
    }

    private mutating func parseStep(words: [String], heading: String, line: Int, body: [(String, Int)]) {
        guard words.count == 2 || words.count == 3, let step = Int(words[1]), step >= 0 else {
            problem(line, "bad step heading \"## \(heading)\": expected \"## step N forward\" or \"## step N backward\" with N = t counted from 0")
            return
        }
        var mode = StepMode.forward
        if words.count == 3 {
            guard let m = StepMode(rawValue: words[2]) else {
                problem(line, "unknown mode \"\(words[2])\" in \"## \(heading)\": expected forward or backward")
                return
            }
            mode = m
        }
        if draft.steps.contains(where: { $0.step == step && $0.mode == mode }) {
            let first = draft.steps.first { $0.step == step && $0.mode == mode }!.line
            problem(line, "duplicate section for step \(step) \(mode.rawValue) (first on line \(first)): expected each step and mode once")
            return
        }
        var rest = body[...]
        while let first = rest.first, first.0.trimmingSpaces.isEmpty { rest = rest.dropFirst() }
        // Settings: `key: value` lines right after the heading, lowercase keys.
        var highlight: Highlight?
        while let (text, number) = rest.first, let (key, value) = settingLine(text) {
            rest = rest.dropFirst()
            guard LessonParser.stepSettings.contains(where: { $0.key == key }) else {
                problem(number, "unknown setting \"\(key)\": expected one of \(LessonParser.stepSettings.map(\.key).joined(separator: ", ")) (start narration with a capital letter or after a blank line)")
                continue
            }
            if highlight != nil {
                problem(number, "a second highlight: expected one highlight per step section")
                continue
            }
            do {
                highlight = try parseHighlight(value, line: number)
            } catch {
                problem(number, error.message)
            }
        }
        // Narration, with question blocks taken out; text after a question is that question's follow-up
        // (shown once it is answered), so the file's order is kept on screen.
        var narration: [(String, Int)] = []
        var questions: [Question] = []
        var after: [(String, Int)] = []
        func closeFollowUp() {
            if !questions.isEmpty { questions[questions.count - 1].followUp = self.section(from: after) }
            after = []
        }
        var i = rest.startIndex
        while i < rest.endIndex {
            let (text, number) = rest[i]
            if questionStart(text) != nil {
                closeFollowUp()
                var block: [(String, Int)] = []
                while i < rest.endIndex, rest[i].0.hasPrefix(">") {
                    block.append(rest[i]); i += 1
                }
                if let q = parseQuestion(block) { questions.append(q) }
                continue
            }
            if questions.isEmpty { narration.append((text, number)) } else { after.append((text, number)) }
            i += 1
        }
        closeFollowUp()
        let section = self.section(from: narration) ?? emptySection(line: line)
        draft.steps.append(LessonStep(step: step, mode: mode, line: line, narration: section, highlight: highlight,
                                      questions: questions))
    }

    /// Narration text from lines, trimmed of blank lines at both ends; placeholders are checked here.
    private mutating func section(from lines: [(String, Int)]) -> LessonSection? {
        guard let first = lines.firstIndex(where: { !$0.0.trimmingSpaces.isEmpty }),
              let last = lines.lastIndex(where: { !$0.0.trimmingSpaces.isEmpty }) else { return nil }
        let text = lines[first...last].map(\.0).joined(separator: "\n")
        let line = lines[first].1
        checkTemplate(text, line: line)
        return LessonSection(text: text, line: line)
    }

    /// A section with no text (a step with only its heading, an empty `## end`), its template kept like
    /// any other so that nothing parses it again later.
    private mutating func emptySection(line: Int) -> LessonSection {
        checkTemplate("", line: line)
        return LessonSection(text: "", line: line)
    }

    /// Parses a narration text once for the lesson (`draft.templates`) and reports its syntax problems.
    private mutating func checkTemplate(_ text: String, line: Int) {
        guard draft.templates[text] == nil else { return }  // the same text again: same template, same problems
        let (template, problems) = NarrationTemplate.parse(text, line: 0)
        draft.templates[text] = template
        for p in problems { problem(line + (p.line ?? 0), p.message) }
    }

    private func settingLine(_ text: String) -> (String, String)? {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return nil }
        let key = text[..<colon]
        guard key.allSatisfy({ $0.isLowercase || $0 == "_" }) else { return nil }
        let after = text[text.index(after: colon)...]
        guard after.isEmpty || after.hasPrefix(" ") else { return nil }
        return (String(key), String(after).trimmingSpaces)
    }

    private func questionStart(_ text: String) -> String? {
        guard text.hasPrefix(">") else { return nil }
        let inner = String(text.dropFirst()).trimmingSpaces
        guard inner.hasPrefix("question:") else { return nil }
        return String(inner.dropFirst("question:".count)).trimmingSpaces
    }

    private mutating func parseQuestion(_ block: [(String, Int)]) -> Question? {
        let startLine = block[0].1
        var prompt = questionStart(block[0].0) ?? ""
        var choices: [Choice] = []
        var answerText: String?
        var answerLine = startLine
        var explanation: String?
        enum Field { case prompt, explain, other }
        var field = Field.prompt
        var ok = true
        /// A problem that makes the question unusable: reported, and the question is dropped.
        func reject(_ line: Int, _ message: String) {
            problem(line, message)
            ok = false
        }
        for (text, number) in block.dropFirst() {
            let inner = String(text.dropFirst()).trimmingSpaces
            if inner.isEmpty { continue }
            if inner.hasPrefix("- ") {
                let item = String(inner.dropFirst(2)).trimmingSpaces
                guard let colon = item.firstIndex(of: ":"), item.distance(from: item.startIndex, to: colon) == 1,
                      let letter = item.first, letter.isLowercase, letter.isLetter else { reject(number, "bad choice \"\(inner)\": expected \"> - a: <choice text>\" with letters a, b, c, …"); continue }
                let expected = Character(UnicodeScalar(UInt8(ascii: "a") + UInt8(min(choices.count, 25))))
                guard letter == expected else { reject(number, "choice \"\(letter)\" is out of order: expected \"\(expected)\" here (choices are lettered a, b, c, … in order)"); continue }
                let choiceText = String(item[item.index(after: colon)...]).trimmingSpaces
                guard !choiceText.isEmpty else { reject(number, "choice \"\(letter)\" has no text: expected \"> - \(letter): <choice text>\""); continue }
                checkTemplate(choiceText, line: number)
                choices.append(Choice(letter: letter, text: choiceText, line: number))
                field = .other
            } else if inner.hasPrefix("answer:") {
                guard answerText == nil else { reject(number, "a second answer: line: expected one answer per question"); continue }
                answerText = String(inner.dropFirst("answer:".count)).trimmingSpaces
                answerLine = number
                field = .other
            } else if inner.hasPrefix("explain:") {
                guard explanation == nil else { reject(number, "a second explain: line: expected one explanation per question (continue it on the next > lines)"); continue }
                explanation = String(inner.dropFirst("explain:".count)).trimmingSpaces
                field = .explain
            } else if inner.hasPrefix("question:") {
                reject(number, "a new question inside the previous one: expected a blank line between questions")
            } else {
                switch field {
                case .prompt: prompt += " " + inner
                case .explain: explanation = (explanation ?? "") + " " + inner
                case .other:
                    reject(number, "unexpected \"\(inner)\" in a question: expected \"> - a: choice\", \"> answer: …\" or \"> explain: …\"")
                }
            }
        }
        if prompt.isEmpty {
            reject(startLine, "the question has no text: expected \"> question: <what to predict>\"")
        }
        checkTemplate(prompt, line: startLine)
        if choices.count < 2 {
            reject(startLine, "the question has \(choices.count) choice(s): expected at least two lines \"> - a: …\", \"> - b: …\"")
        }
        if choices.count > 9 {
            reject(startLine, "the question has \(choices.count) choices: expected at most nine (the viewer answers them with the keys 1–9)")
        }
        guard let answerText, !answerText.isEmpty else {
            problem(startLine, "the question has no answer: expected \"> answer: <expression>\", e.g. \"> answer: predicted\" or \"> answer: open if mean f > 0.5 else closed\"")
            return nil
        }
        if explanation == nil || explanation!.isEmpty {
            reject(startLine, "the question has no explanation: expected \"> explain: <text, may quote {placeholders}>\"")
        }
        checkTemplate(explanation ?? "", line: startLine)
        var answer: AnswerRule?
        do {
            answer = try AnswerParser.parse(answerText)
        } catch {
            reject(answerLine, error.message)
        }
        if case .closest? = answer, let bad = choices.first(where: { Double($0.text.trimmingSpaces) == nil }) {
            reject(bad.line, "choice \"\(bad.text)\" is not a number, but answer: closest … picks the nearest number: expected every choice to be a number such as 0.5 or 1e-9")
        }
        if case let .conditional(yes, _, no)? = answer {
            for word in [yes, no] where !choices.contains(where: { $0.text.lowercased() == word.lowercased() }) {
                reject(answerLine, "answer word \"\(word)\" is not one of the choices (\(choices.map(\.text).joined(separator: ", "))): expected each word of \"… if … else …\" to be a choice")
            }
        }
        guard ok, let answer else { return nil }
        return Question(prompt: prompt, choices: choices, answer: answer, explanation: explanation ?? "", line: startLine)
    }

    private func parseHighlight(_ value: String, line: Int) throws(LessonSyntaxError) -> Highlight {
        // panel[.gate][[unit]]
        var rest = Substring(value)
        let nameEnd = rest.firstIndex { !($0.isLetter || $0 == "_") } ?? rest.endIndex
        let panelName = String(rest[..<nameEnd])
        guard let panel = LessonPanel(rawValue: panelName) else {
            throw LessonSyntaxError("unknown panel \"\(panelName)\" in highlight: expected one of \(LessonPanel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        rest = rest[nameEnd...]
        var gate: String?
        if rest.hasPrefix(".") {
            rest = rest.dropFirst()
            let end = rest.firstIndex { !$0.isLetter } ?? rest.endIndex
            gate = String(rest[..<end])
            guard panel == .gates, LessonName.gates.contains(gate!) else {
                throw LessonSyntaxError("bad highlight \"\(value)\": expected a gate name (i f g o / r z n) only after gates, e.g. gates.f[2]")
            }
            rest = rest[end...]
        }
        var unit: Int?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]"), let u = Int(rest[rest.index(after: rest.startIndex)..<close]), u >= 0 else {
                throw LessonSyntaxError("bad unit in highlight \"\(value)\": expected a whole number in brackets, e.g. hidden[2]")
            }
            unit = u
            rest = rest[rest.index(after: close)...]
        }
        guard rest.trimmingSpacesSub.isEmpty else {
            throw LessonSyntaxError("unexpected \"\(rest)\" in highlight \"\(value)\": expected panel, panel[unit] or gates.f[unit]")
        }
        return Highlight(panel: panel, gate: gate, unit: unit, line: line)
    }
}

extension Substring {
    var trimmingSpacesSub: String { String(self).trimmingSpaces }
}

/// Parses `answer:` lines: an expression, or `word if <expr> <op> <expr> else word`.
public enum AnswerParser {
    public static func parse(_ text: String) throws(LessonSyntaxError) -> AnswerRule {
        let words = try PlaceholderParser.split(text)
        if words.first == "closest" {
            return .closest(try PlaceholderParser.parseExpression(words.dropFirst().joined(separator: " ")))
        }
        guard let ifAt = words.firstIndex(of: "if") else {
            return .value(try PlaceholderParser.parseExpression(text))
        }
        guard let elseAt = words.lastIndex(of: "else"), elseAt > ifAt else {
            throw LessonSyntaxError("\"if\" without \"else\" in answer \"\(text)\": expected \"<word> if <value> > <number> else <word>\"")
        }
        let yes = words[..<ifAt].joined(separator: " ")
        let no = words[(elseAt + 1)...].joined(separator: " ")
        let condition = Array(words[(ifAt + 1)..<elseAt])
        guard !yes.isEmpty, !no.isEmpty else {
            throw LessonSyntaxError("answer \"\(text)\" needs a word before \"if\" and after \"else\": expected e.g. \"open if mean f > 0.5 else closed\"")
        }
        guard let comparison = try Comparison.parse(words: condition) else {
            throw LessonSyntaxError("no comparison in answer \"\(text)\": expected <, >, <= or >= between two values, with spaces around it")
        }
        return .conditional(ifTrue: yes, condition: comparison, ifFalse: no)
    }
}

extension Comparison {
    /// `<value> <op> <value>` from placeholder words, as answers and checks write it; nil without an operator.
    static func parse<Words: Collection>(words: Words) throws(LessonSyntaxError) -> Comparison? where Words.Element == String {
        let words = Array(words)
        let ops = Operator.allCases.map(\.rawValue)
        guard let opAt = words.firstIndex(where: { ops.contains($0) }), let op = Operator(rawValue: words[opAt]) else {
            return nil
        }
        let left = try PlaceholderParser.parseExpression(words[..<opAt].joined(separator: " "))
        let right = try PlaceholderParser.parseExpression(words[(opAt + 1)...].joined(separator: " "))
        return Comparison(left: left, op: op, right: right)
    }
}
