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

    @Option(name: .long, help: "The model, a .safetensors file with PyTorch state_dict names.",
            completion: .file(extensions: ["safetensors"]))
    var model: String?

    @Option(name: .long, help: "Instead of --model: a lesson (number or .md file), its model trained and run as the lesson does; the input defaults to the lesson's.")
    var lesson: String?

    @Option(name: .long, help: "With --lesson: which of its cells (default: the lesson's first).")
    var cell: CellKind?

    @OptionGroup var input: InputOptions

    @Option(name: .long, help: "json (schema version 1, Schema/trace.schema.json) or csv (t,token,field,index,row,column,value).")
    var format: TraceFormat = .json

    @Option(name: .shortAndLong, help: "Write here (atomically) instead of to standard output.", completion: .file())
    var output: String?

    @Option(name: .customLong("loss-on"), help: "every_step, or last_step: only the last target counts, as in a lesson with loss_on: last_step (with --lesson, the lesson's own setting).")
    var lossOn: LossPlacement?

    func validate() throws {
        if (model == nil) == (lesson == nil) { throw ValidationError("give either --model or --lesson") }
        if cell != nil && lesson == nil { throw ValidationError("--cell goes with --lesson") }
        if lossOn != nil && lesson != nil { throw ValidationError("--loss-on goes with --model: a lesson's run uses its own loss_on") }
    }

    func run() throws {
        let destination = try outputDestination(output, inputs: [("--model", model), ("--text-file", input.textFile)])
        let recording: Recording
        if let lesson {
            recording = try lessonRecording(lesson)
        } else {
            guard let model, let text = try input.load() else { throw ValidationError("give the input with --text or --text-file") }
            let loaded = try loadModel(model)
            try checkMemory(loaded, text: text, use: .export(format))
            let run = try cli { try loaded.run(text, lossOn: lossOn ?? .everyStep) }
            recording = Recording(run: run, model: loaded, modelName: (model as NSString).lastPathComponent)
        }
        try writeOutput(recording, as: format, to: destination)
        if let destination {
            // Streamed, so the size is the file's (a device or pipe has none to tell).
            let file = try? FileManager.default.attributesOfItem(atPath: destination.target)
            let size = file?[.type] as? FileAttributeType == .typeRegular ? file?[.size] as? Int : nil
            let bytes = size.map { " (\($0) bytes)" } ?? ""
            printError("wrote the \(format.rawValue) trace of \(recording.stepCount) steps\(bytes) to \(destination.path)")
        }
    }

    /// The lesson's run of one of its cells: what the viewer shows for the lesson, as an export.
    func lessonRecording(_ argument: String) throws -> Recording {
        let compiled = try loadLesson(argument: argument, directory: nil)
        let lesson = compiled.lesson
        let kind = cell ?? lesson.primaryCell
        guard let index = lesson.cells.firstIndex(of: kind) else {
            throw CLIError("\(lesson.path): the lesson has no \(kind.rawValue) model (its cells: \(lesson.cells.map(\.rawValue).joined(separator: ", ")))")
        }
        let model = try cli { try compiled.model(cellAt: index) }
        let text = try input.load() ?? lesson.input
        try checkMemory(model, text: text, use: .export(format))
        return try cli { try LessonRunner.record(model, text: text, lesson: lesson) }
    }
}

extension TraceFormat: ExpressibleByArgument {}
