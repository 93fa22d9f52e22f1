import ArgumentParser
import Foundation
import RNNEngine
import RNNLessons
import RNNTrace

struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Run a model over an input and export the step trace (JSON or CSV)."
    )

    @Option(name: .long, help: "The model, a .safetensors file with PyTorch state_dict names.")
    var model: String?

    @Option(name: .long, help: "Instead of --model: a lesson (number or .md file), its model trained and run as the lesson does; the input defaults to the lesson's.")
    var lesson: String?

    @Option(name: .long, help: "With --lesson: which of its cells (default: the lesson's first).")
    var cell: CellKind?

    @OptionGroup var input: InputOptions

    @Option(name: .long, help: "json (schema version 1) or csv (t,token,field,index,value).")
    var format: TraceFormat = .json

    @Option(name: .shortAndLong, help: "Write here (atomically) instead of to standard output.")
    var output: String?

    func validate() throws {
        if (model == nil) == (lesson == nil) { throw ValidationError("give either --model or --lesson") }
        if cell != nil && lesson == nil { throw ValidationError("--cell goes with --lesson") }
    }

    func run() throws {
        let trace: Trace
        if let lesson {
            trace = try lessonTrace(lesson)
        } else {
            guard let model, let text = try input.load() else { throw ValidationError("give the input with --text or --text-file") }
            let loaded = try loadModel(model)
            trace = try cli { try TraceRecorder.record(model: loaded, text: text, modelName: (model as NSString).lastPathComponent) }
        }
        try writeOutput(Array(try trace.exported(as: format)), to: output)
    }

    /// The lesson's run of one of its cells: what the viewer shows for the lesson, as an export.
    func lessonTrace(_ argument: String) throws -> Trace {
        let directory = Int(argument) != nil ? try lessonsDirectory(nil) : nil
        let path = try lessonCLI { () throws(LessonLoadError) in try LessonLoader.path(for: argument, directory: directory) }
        let lesson = try loadLesson(path: path)
        let kind = cell ?? lesson.primaryCell
        let models = try cli { try LessonRunner.models(for: lesson) }
        guard let index = lesson.cells.firstIndex(of: kind), models.indices.contains(index) else {
            throw CLIError("\(path): the lesson has no \(kind.rawValue) model (its cells: \(lesson.cells.map(\.rawValue).joined(separator: ", ")))")
        }
        let text = try input.load() ?? lesson.input
        return try cli { try LessonRunner.record(models[index].model, text: text, lesson: lesson) }
    }
}

extension TraceFormat: ExpressibleByArgument {}
