import ArgumentParser
import Foundation
import RNNEngine
import RNNTrace

struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Run a model over an input and export the step trace (JSON or CSV)."
    )

    @Option(name: .long, help: "The model, a .safetensors file with PyTorch state_dict names.")
    var model: String

    @OptionGroup var input: InputOptions

    @Option(name: .long, help: "json (schema version 1) or csv (t,token,field,index,value).")
    var format: TraceFormat = .json

    @Option(name: .shortAndLong, help: "Write here (atomically) instead of to standard output.")
    var output: String?

    @Option(name: .customLong("loss-on"), help: "every_step, or last_step: only the last target counts, as in a lesson with loss_on: last_step.")
    var lossOn: LossPlacement = .everyStep

    func run() throws {
        let destination = try outputDestination(output, inputs: [("--model", model), ("--text-file", input.textFile)])
        guard let text = try input.load() else { throw ValidationError("give the input with --text or --text-file") }
        let loaded = try loadModel(model)
        let run = try cli { try loaded.run(text, lossOn: lossOn) }
        let trace = TraceRecorder.trace(of: run, model: loaded, modelName: (model as NSString).lastPathComponent)
        try writeOutput(Array(try trace.exported(as: format)), to: destination)
    }
}

extension TraceFormat: ExpressibleByArgument {}
