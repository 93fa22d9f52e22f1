import Foundation
import Testing
@testable import RNNLessons

/// 1-based line of the first line of `text` containing `needle`.
func line(of needle: String, in text: String) -> Int? {
    text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) }.map { $0 + 1 }
}

@Suite("Lesson validation reports every problem as file:line")
struct LessonValidatorTests {
    /// Writes `text`, validates it, and returns the file path and the problems.
    func validate(_ text: String) throws -> (String, [LessonProblem], TempDirectory) {
        let dir = try TempDirectory()
        let path = try dir.write("bad.md", text)
        return (path, LessonValidator.validate(path: path).problems, dir)
    }

    func expectProblem(_ problems: [LessonProblem], file: String, line: Int?, containing parts: [String],
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let found = problems.contains { p in p.file == file && p.line == line && parts.allSatisfy { p.message.contains($0) } }
        #expect(found, "no problem at \(file):\(line.map(String.init) ?? "-") containing \(parts); got:\n\(problems.map(\.description).joined(separator: "\n"))",
                sourceLocation: sourceLocation)
    }

    @Test("the golden-model lesson used as a base is valid")
    func baseIsValid() throws {
        let (_, problems, _) = try validate(goldenLSTMLesson())
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("unknown front matter key")
    func unknownKey() throws {
        let text = goldenLSTMLesson(extraFrontMatter: "colour: blue\n")
        let (path, problems, _) = try validate(text)
        expectProblem(problems, file: path, line: line(of: "colour:", in: text), containing: ["unknown key \"colour\"", "expected one of", "title"])
        #expect(problems.count == 1)
    }

    @Test("bad value for a key")
    func badValue() throws {
        let text = goldenLSTMLesson(extraFrontMatter: "temperature: 0.5, hot\n")
        let (path, problems, _) = try validate(text)
        expectProblem(problems, file: path, line: line(of: "temperature:", in: text), containing: ["\"hot\"", "expected positive numbers"])
        let cellText = goldenLSTMLesson().replacingOccurrences(of: "cell: lstm", with: "cell: lstm2")
        let (path2, problems2, _) = try validate(cellText)
        expectProblem(problems2, file: path2, line: line(of: "cell:", in: cellText), containing: ["unknown cell \"lstm2\"", "expected rnn_tanh, rnn_relu, lstm or gru"])
    }

    @Test("a placeholder that names nothing")
    func placeholderNamesNothing() throws {
        let body = defaultBody.replacingOccurrences(of: "unit 1 of h is {h[1]}", with: "the reset gate is {mean r}, h[7] is {h[7]}, {colour}")
        let text = goldenLSTMLesson(body: body)
        let (path, problems, _) = try validate(text)
        let l = line(of: "{mean r}", in: text)
        expectProblem(problems, file: path, line: l, containing: ["{mean r}", "the LSTM has no gate r", "i f g o"])
        expectProblem(problems, file: path, line: l, containing: ["h[7] is out of range", "3 values"])
        expectProblem(problems, file: path, line: l, containing: ["unknown name \"colour\"", "expected one of"])
    }

    @Test("a step past the end of the tokenized input")
    func stepPastEnd() throws {
        let text = goldenLSTMLesson(body: defaultBody + "\n## step 7 forward\nToo far.\n")
        let (path, problems, _) = try validate(text)
        expectProblem(problems, file: path, line: line(of: "## step 7", in: text), containing: ["step 7 is past the end", "7 token(s)", "0 to 6"])
    }

    @Test("a model file that does not exist")
    func missingModel() throws {
        let text = goldenLSTMLesson().replacingOccurrences(of: Fixture.lstmModel, with: "models/nowhere.safetensors")
        let (path, problems, _) = try validate(text)
        expectProblem(problems, file: path, line: line(of: "model:", in: text), containing: ["\"models/nowhere.safetensors\" does not exist", "expected a .safetensors file"])
    }

    @Test("a model file of another cell than cell: says")
    func wrongCellModel() throws {
        let text = goldenLSTMLesson().replacingOccurrences(of: Fixture.lstmModel, with: Fixture.tanhModel)
        let (path, problems, _) = try validate(text)
        expectProblem(problems, file: path, line: line(of: "model:", in: text), containing: ["holds a rnn_tanh model", "lists lstm"])
    }

    @Test("missing required keys are each reported at the end of the front matter")
    func missingKeys() throws {
        let text = goldenLSTMLesson()
            .replacingOccurrences(of: "title: Gates on a tiny sentence\n", with: "")
            .replacingOccurrences(of: "summary: Watch the forget gate while the LSTM reads seven words.\n", with: "")
        let (path, problems, _) = try validate(text)
        let end = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).indices.dropFirst().first {
            text.split(separator: "\n", omittingEmptySubsequences: false)[$0] == "---"
        }.map { $0 + 1 })
        expectProblem(problems, file: path, line: end, containing: ["missing required key \"title\""])
        expectProblem(problems, file: path, line: end, containing: ["missing required key \"summary\""])
    }

    @Test("duplicate steps and duplicate keys")
    func duplicates() throws {
        let text = goldenLSTMLesson(extraFrontMatter: "input: again\n", body: defaultBody + "\n## step 0\nAgain.\n")
        let (path, problems, _) = try validate(text)
        let firstStep = try #require(line(of: "## step 0 forward", in: text))
        expectProblem(problems, file: path, line: line(of: "Again.", in: text).map { $0 - 1 },
                      containing: ["duplicate section for step 0 forward", "first on line \(firstStep)"])
        expectProblem(problems, file: path, line: line(of: "input: again", in: text), containing: ["duplicate key \"input\""])
    }

    @Test("every problem in a file is reported, in line order")
    func reportsEveryProblem() throws {
        let body = defaultBody
            .replacingOccurrences(of: "highlight: gates.f[1]", with: "highlight: gates.f[9]")
            .replacingOccurrences(of: "> answer: predicted", with: "> answer: predicted probably")
            + "\n## step 99 sideways\nx\n## appendix\n"
        let text = goldenLSTMLesson(extraFrontMatter: "colour: blue\n", body: body)
        let (_, problems, _) = try validate(text)
        #expect(problems.count >= 5, "\(problems)")
        let lines = problems.compactMap(\.line)
        #expect(lines == lines.sorted())
        #expect(problems.contains { $0.message.contains("unknown key \"colour\"") })
        #expect(problems.contains { $0.message.contains("highlight unit 9 is out of range") })
        #expect(problems.contains { $0.message.contains("unexpected \"probably\"") })
        #expect(problems.contains { $0.message.contains("unknown mode \"sideways\"") })
        #expect(problems.contains { $0.message.contains("unknown section \"## appendix\"") })
    }

    @Test("question blocks: wrong letters, missing answer, answer word not a choice")
    func badQuestions() throws {
        let body = """
        ## step 1 forward

        > question: Open or closed?
        > - a: open
        > - c: shut
        > answer: open if mean f > 0.5 else closed
        > explain: mean f is {mean f}.

        > question: Nothing to answer with
        > - a: yes
        > - b: no
        """
        let text = goldenLSTMLesson(body: body)
        let (path, problems, _) = try validate(text)
        expectProblem(problems, file: path, line: line(of: "- c: shut", in: text), containing: ["out of order", "expected \"b\""])
        expectProblem(problems, file: path, line: line(of: "answer: open if", in: text), containing: ["answer word \"closed\" is not one of the choices"])
        expectProblem(problems, file: path, line: line(of: "Nothing to answer", in: text), containing: ["no answer"])
    }

    @Test("an empty file")
    func emptyFile() throws {
        let (path, problems, _) = try validate("  \n\n")
        #expect(problems == [LessonProblem(file: path, line: nil, message: problems.first?.message ?? "")])
        expectProblem(problems, file: path, line: nil, containing: ["the file is empty", "expected a lesson"])
    }

    @Test("a binary file")
    func binaryFile() throws {
        let dir = try TempDirectory()
        let path = try dir.write("model.md", bytes: Array("---\ntitle: x\n".utf8) + [0x00, 0x01, 0x02, 0xFF])
        let problems = LessonValidator.validate(path: path).problems
        expectProblem(problems, file: path, line: 3, containing: ["binary data", "expected a UTF-8 Markdown text file"])
    }

    @Test("invalid UTF-8 names the line")
    func invalidUTF8() throws {
        let dir = try TempDirectory()
        // Line 3 holds a Latin-1 é (0xE9) followed by ASCII: not valid UTF-8.
        let path = try dir.write("latin1.md", bytes: Array("---\ntitle: ok\nsummary: caf".utf8) + [0xE9] + Array(" au lait\n---\n".utf8))
        let problems = LessonValidator.validate(path: path).problems
        expectProblem(problems, file: path, line: 3, containing: ["invalid UTF-8", "0xE9", "byte 13 of the line", "expected the file saved as UTF-8"])
        #expect(problems.count == 1)
    }

    @Test("a 10 MB file is refused before it is read")
    func hugeFile() throws {
        let dir = try TempDirectory()
        let path = try dir.write("huge.md", String(repeating: "RNN lesson text. ", count: 10_000_000 / 17 + 1))
        let problems = LessonValidator.validate(path: path).problems
        expectProblem(problems, file: path, line: nil, containing: ["the file is 10 MB", "limited to 1.0 MB"])
    }

    @Test("a file that does not exist")
    func missingFile() {
        let problems = LessonValidator.validate(path: "/nonexistent/lesson.md").problems
        expectProblem(problems, file: "/nonexistent/lesson.md", line: nil, containing: ["no such file"])
    }

    @Test("the UTF-8 checker rejects overlong forms and surrogates and accepts all valid scalars")
    func utf8Checker() {
        #expect(LessonFileReader.firstInvalidUTF8(Array("héllo ‖dL/dh‖ 😀".utf8)) == nil)
        #expect(LessonFileReader.firstInvalidUTF8([0x41, 0xC0, 0x80]) == 1)  // overlong NUL
        #expect(LessonFileReader.firstInvalidUTF8([0xED, 0xA0, 0x80]) == 0)  // surrogate U+D800
        #expect(LessonFileReader.firstInvalidUTF8([0xF4, 0x90, 0x80, 0x80]) == 0)  // above U+10FFFF
        #expect(LessonFileReader.firstInvalidUTF8([0x41, 0xE2, 0x80]) == 1)  // truncated
    }

    @Test("a recipe lesson checks input tokens against the corpus vocabulary and missing recipe keys")
    func recipeChecks() throws {
        let text = """
        ---
        title: t
        summary: s
        cell: rnn_tanh
        input: the zebra sat
        corpus: the cat sat on the mat
        tokenizer: word
        hidden_size: 4
        ---

        ## step 1
        Reads {token}; epoch loss {epoch_loss[0]}.
        """
        let (path, problems, _) = try validate(text)
        expectProblem(problems, file: path, line: line(of: "input:", in: text), containing: ["\"zebra\" (position 2) is not in the model's vocabulary"])
        for key in ["optimizer", "learning_rate", "epochs", "seq_length", "seed"] {
            expectProblem(problems, file: path, line: 9, containing: ["missing required key \"\(key)\" for the training recipe"])
        }
    }

    // MARK: - Files a lesson may read

    /// A small recipe lesson that reads its corpus from `corpusFile`.
    static func corpusFileLesson(_ corpusFile: String) -> String {
        """
        ---
        title: Files
        summary: Reads its corpus from a file.
        cell: rnn_tanh
        input: a b
        corpus_file: \(corpusFile)
        tokenizer: word
        hidden_size: 2
        optimizer: adam
        learning_rate: 0.01
        epochs: 1
        seq_length: 4
        seed: 1
        ---

        Text.
        """
    }

    @Test("corpus_file and model: outside the lesson's directory are refused on their line, and nothing of the file is shown",
          arguments: ["../../../../../../../../etc/passwd", "/etc/passwd", "sub/../../outside.txt", "./../outside.txt"])
    func filesOutsideTheLessonDirectory(_ written: String) throws {
        let dir = try TempDirectory()
        try FileManager.default.createDirectory(atPath: dir.path + "/sub", withIntermediateDirectories: true)
        let text = Self.corpusFileLesson(written)
        let path = try dir.write("files.md", text)
        let problems = LessonValidator.validate(path: path).problems
        expectProblem(problems, file: path, line: line(of: "corpus_file:", in: text),
                      containing: ["corpus_file \"\(written)\" is outside the lesson's directory", "expected a file in the lesson's directory"])
        #expect(!problems.contains { $0.message.contains("root:") }, "\(problems)")

        let modelText = goldenLSTMLesson().replacingOccurrences(of: Fixture.lstmModel, with: written)
        let modelPath = try dir.write("model.md", modelText)
        let modelProblems = LessonValidator.validate(path: modelPath).problems
        expectProblem(modelProblems, file: modelPath, line: line(of: "model:", in: modelText),
                      containing: ["model file \"\(written)\" is outside the lesson's directory"])
    }

    @Test("a link inside the lesson's directory to a file outside it is refused; one to a file inside is read")
    func linksMustStayInside() throws {
        let dir = try TempDirectory()
        let outside = try TempDirectory()
        let target = try outside.write("corpus.txt", "secret a b a b\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/link.txt", withDestinationPath: target)
        try FileManager.default.createDirectory(atPath: dir.path + "/data", withIntermediateDirectories: true)
        try dir.write("data/corpus.txt", "a b a b\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/inside.txt", withDestinationPath: "data/corpus.txt")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/model-link.safetensors",
                                                   withDestinationPath: outside.path + "/../" + (outside.path as NSString).lastPathComponent + "/m.safetensors")
        try FileManager.default.copyItem(atPath: dir.path + "/" + Fixture.lstmModel, toPath: outside.path + "/m.safetensors")

        let text = Self.corpusFileLesson("link.txt")
        let path = try dir.write("files.md", text)
        let problems = LessonValidator.validate(path: path).problems
        expectProblem(problems, file: path, line: line(of: "corpus_file:", in: text),
                      containing: ["corpus_file \"link.txt\" is a link to a file outside the lesson's directory"])
        #expect(!problems.contains { $0.message.contains("secret") }, "\(problems)")

        let inside = try dir.write("inside.md", Self.corpusFileLesson("inside.txt"))
        let report = LessonValidator.validate(path: inside)
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.lesson?.model.recipe?.corpus == "a b a b\n")

        let modelText = goldenLSTMLesson().replacingOccurrences(of: Fixture.lstmModel, with: "model-link.safetensors")
        let modelPath = try dir.write("model.md", modelText)
        expectProblem(LessonValidator.validate(path: modelPath).problems, file: modelPath, line: line(of: "model:", in: modelText),
                      containing: ["model file \"model-link.safetensors\" is a link to a file outside the lesson's directory"])
    }

    @Test("a lesson saved with CR LF line ends reads as the same lesson (it used to be one long line)")
    func windowsLineEnds() throws {
        let text = try String(contentsOfFile: Fixture.lessonsDirectory + "/01-what-is-an-rnn.md", encoding: .utf8)
        let lf = try TempDirectory(), crlf = try TempDirectory()
        let a = LessonValidator.validate(path: try lf.write("01.md", text))
        let b = LessonValidator.validate(path: try crlf.write("01.md", text.replacingOccurrences(of: "\n", with: "\r\n")))
        #expect(b.problems.isEmpty, "\(b.problems)")
        var lesson = try #require(b.lesson)
        lesson.path = try #require(a.lesson).path
        #expect(lesson == a.lesson)
    }

    @Test("a generated corpus too large to train on is refused before it is written (lines=20000 length=1000 took minutes)")
    func generatedCorpusPricedFirst() throws {
        let text = try String(contentsOfFile: Fixture.lessonsDirectory + "/09-time-series.md", encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("corpus_generator:") ? "corpus_generator: sine lines=20000 length=1000 period=2 noise=1" : String(line)
        }
        let dir = try TempDirectory()
        let path = try dir.write("09.md", lines.joined(separator: "\n"))
        let problems = LessonValidator.validate(path: path).problems
        let epochsLine = try #require(lines.firstIndex { $0.hasPrefix("epochs:") }) + 1
        expectProblem(problems, file: path, line: epochsLine, containing: ["this recipe would train for about", "20000000 tokens"])
    }
}
