import ArgumentParser
import Foundation
import RNNApp
import RNNEngine
import RNNLessons
import RNNTrace
import RNNView

/// `rnnscope lesson model N -o FILE`: the model the lesson shows, for a notebook or `rnnscope trace`.
struct LessonModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Write a lesson's model (trained from its recipe, as the lesson runs it) to a .safetensors file.",
        discussion: """
            `rnnscope trace --model FILE --text "<the lesson's input>"` then gives the numbers the lesson shows \
            (add --loss-on last_step for a lesson with loss_on: last_step).
            """
    )

    @Argument(help: "Lesson number (see `rnnscope lessons`) or path to a lesson .md file.")
    var lesson: String

    @Option(name: .long, help: "Which of the lesson's cells (rnn_tanh, rnn_relu, lstm, gru); default: the one its steps walk through.")
    var cell: CellKind?

    @Option(name: .shortAndLong, help: "The .safetensors file to write.")
    var output: String

    @Option(name: .long, help: "Lessons directory for lesson numbers.")
    var directory: String?

    func run() throws {
        let compiled = try loadLesson(argument: self.lesson, directory: directory)
        let lesson = compiled.lesson
        let chosen = cell ?? lesson.primaryCell
        guard let index = lesson.cells.firstIndex(of: chosen) else {
            throw CLIError("\(lesson.path) runs no \(chosen.rawValue) model: expected --cell \(lesson.cells.map(\.rawValue).joined(separator: " or "))")
        }
        // Checked before the training: a lesson file, corpus or shipped model is never overwritten, and a
        // bad destination is known before the wait.
        var inputs: [(option: String, path: String?)] = [("the lesson", lesson.path)]
        let directory = (lesson.path as NSString).deletingLastPathComponent
        if let corpusFile = lesson.model.recipe?.corpusFile { inputs.append(("its corpus_file", directory + "/" + corpusFile)) }
        for file in lesson.model.files ?? [] { inputs.append(("its model file", directory + "/" + file)) }
        let destination = try outputDestination(output, inputs: inputs)
        let model = try cli { try compiled.model(cellAt: index) }
        try writeOutput(try cli { try model.safetensors().encoded() }, to: destination)
        printError("saved \(output): the \(chosen.displayName) of \(lesson.path), input \"\(lesson.input)\"")
    }
}

/// `rnnscope lesson corpus N`: the text the lesson's model was trained on.
struct LessonCorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Print the text a lesson's model was trained on (a generated corpus: one sequence per line)."
    )

    @Argument(help: "Lesson number (see `rnnscope lessons`) or path to a lesson .md file.")
    var lesson: String

    @Option(name: .long, help: "Lessons directory for lesson numbers.")
    var directory: String?

    func run() throws {
        let lesson = try loadLesson(argument: self.lesson, directory: directory).lesson
        guard let recipe = lesson.model.recipe else {
            throw CLIError("\(lesson.path) loads a model file and has no training recipe, so no corpus to print")
        }
        let text = recipe.corpus.hasSuffix("\n") ? recipe.corpus : recipe.corpus + "\n"
        Console.out(TerminalText.escaped(text, keepNewlines: true, keepTabs: true))
    }
}

/// A lesson by number (in the course directory) or by path, compiled.
func loadLesson(argument: String, directory: String?) throws -> CompiledLesson {
    let dir = LessonLoader.isNumber(argument) ? try BundledCourse.directory(given: directory) : directory
    let path: String
    do {
        path = try LessonLoader.path(for: argument, directory: dir)
    } catch {
        throw CLIError(error.description)
    }
    return try LessonSession.compile(path: path)
}

