import Foundation
import RNNEngine
import RNNLessons
import RNNTrace
import RNNView
import TerminalUI

/// The viewer's window on the engine: new traces for edited input, the three-cell comparison, exports.
struct ModelTraceSource: TraceSource {
    let model: RNNModel
    let modelName: String
    /// Models of the other cell kinds for the `c` comparison, when the caller has them (a lesson trains
    /// all three on the same corpus); otherwise they are initialised with the same sizes and marked untrained.
    var comparisonModels: [CellKind: (model: RNNModel, name: String)] = [:]
    /// The cells `c` shows side by side: the three classic ones (a ReLU RNN model stands in for the tanh
    /// RNN), or a lesson's own cells when it lists several.
    var comparisonCells: [CellKind] = [.rnnTanh, .lstm, .gru]
    /// When the model is a lesson's: edited input is run the way the lesson runs its own (its loss
    /// placement), so that the gradients mean the same thing as in the narration.
    var lesson: Lesson?
    /// Where `e` writes exports.
    var exportDirectory: String = FileManager.default.currentDirectoryPath

    func trace(for text: String) throws -> Recording {
        try record(model, text: text, name: modelName)
    }

    func comparison(for text: String) throws -> [Recording] {
        try comparison(for: text, shouldStop: { false })
    }

    /// `shouldStop` is asked while a lesson's comparison models train (the first `c` of a recipe lesson).
    func comparison(for text: String, shouldStop: @escaping () -> Bool) throws -> [Recording] {
        try comparisonCells.map { listed in
            let kind = listed == .rnnTanh && model.cell == .rnnRelu && !comparisonCells.contains(.rnnRelu) ? .rnnRelu : listed
            let (other, name) = try comparisonModel(kind, shouldStop: shouldStop)
            return try record(other, text: text, name: name)
        }
    }

    private func record(_ model: RNNModel, text: String, name: String) throws -> Recording {
        if let lesson {
            var trace = try cli { try LessonRunner.record(model, text: text, lesson: lesson) }
            trace.modelName = name
            return trace
        }
        return try cli { try Recording.record(model: model, text: text, modelName: name) }
    }

    private func comparisonModel(_ kind: CellKind, shouldStop: @escaping () -> Bool) throws -> (RNNModel, String) {
        if kind == model.cell { return (model, modelName) }
        if let given = comparisonModels[kind] { return given }
        // A lesson that trains its model trains the other cells on the same task (quick: its recipe is
        // sized to open fast), so the comparison is of trained models; they are kept for the next `c`.
        if let lesson, case .recipe = lesson.model {
            if let trained = trainedComparisons.models[kind] { return trained }
            var sameTask = lesson
            sameTask.cells = [kind]
            let trained = try cli { try LessonRunner.model(for: sameTask, cellAt: 0, shouldStop: shouldStop).model }
            let entry = (trained, "\(kind.displayName), trained on this lesson's task")
            trainedComparisons.models[kind] = entry
            return entry
        }
        let p = model.parameters
        let params = ModelParameters.initialized(
            cell: kind, task: model.task, vocabularySize: model.vocabulary.count,
            inputSize: p.embedding == nil ? p.inputSize : nil, embeddingSize: p.embedding?.cols,
            hiddenSize: p.hiddenSize, outputSize: p.outputSize, layers: p.numLayers, seed: 1)
        let other = RNNModel(parameters: params, tokenizer: model.tokenizer, vocabulary: model.vocabulary, task: model.task)
        return (other, "\(kind.displayName), untrained (seed 1)")
    }

    /// Comparison models trained on the lesson's task, kept across key presses.
    private let trainedComparisons = TrainedComparisons()

    /// Writes `rnnscope-<model>-<n>.trace.json` in the export directory, never replacing an existing file.
    func export(_ trace: Recording) throws -> String {
        try exportTrace(trace, directory: exportDirectory, stem: modelName)
    }

    /// A lesson with a training recipe trains its model again, live, from the same seed.
    func makeTrainingSession() throws -> any TrainingSession {
        guard let lesson, let recipe = lesson.model.recipe else { throw TrainingUnavailable() }
        let trainer = try cli { try Trainer(corpus: recipe.corpus, config: recipe.trainingConfig(for: model.cell)) }
        return LiveTrainer(trainer: trainer, recipe: recipe, lesson: lesson, modelName: modelName)
    }
}

/// Comparison models trained for the `c` key, by cell (a reference type: the trace source is a value;
/// only the one effect running at a time touches it).
final class TrainedComparisons: @unchecked Sendable {
    var models: [CellKind: (RNNModel, String)] = [:]
}

/// The engine's trainer behind the viewer's `t` key. Each slice trains some epochs and records the model
/// as the lesson would run it, so the screen shows the same kind of numbers as the lesson's own run.
struct LiveTrainer: TrainingSession {
    var trainer: Trainer
    let recipe: TrainingRecipe
    let lesson: Lesson
    let modelName: String

    var totalEpochs: Int { trainer.config.epochs }
    var epochLosses: [Double] { trainer.epochLosses }

    mutating func train(epochs: Int, text: String, shouldStop: @escaping () -> Bool) throws -> Recording {
        // The viewer's quit keys and signals stop a slice part-way: the run cannot go on from there.
        for _ in 0..<epochs where !trainer.wasStopped && trainer.epochLosses.count < trainer.config.epochs {
            trainer.trainEpoch(shouldStop: shouldStop)
        }
        if trainer.wasStopped { throw CLIError("interrupted at epoch \(trainer.epochLosses.count + 1) (t trains again from the seed)") }
        let model = LessonRunner.prepared(trainer.model, recipe: recipe)
        var trace = try cli { try LessonRunner.record(model, text: text, lesson: lesson) }
        trace.modelName = modelName
        return trace
    }
}

/// The `e` key for a replayed trace file: exports still work without a model.
struct ReplayTraceSource: TraceSource {
    let name: String
    var exportDirectory: String = FileManager.default.currentDirectoryPath

    func trace(for text: String) throws -> Recording {
        throw CLIError("editing the input needs a model: open it with `rnnscope view --model FILE`")
    }

    func comparison(for text: String) throws -> [Recording] {
        throw CLIError("comparing cells needs a model: open it with `rnnscope view --model FILE`")
    }

    func export(_ trace: Recording) throws -> String {
        try exportTrace(trace, directory: exportDirectory, stem: name)
    }
}

func exportTrace(_ trace: Recording, directory: String, stem: String) throws -> String {
    let base = stem.replacingOccurrences(of: ".safetensors", with: "").replacingOccurrences(of: ".trace.json", with: "")
        .map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" }
    var n = 1
    var path: String
    repeat {
        path = (directory as NSString).appendingPathComponent("rnnscope-\(String(base))-\(n).trace.json")
        n += 1
    } while FileManager.default.fileExists(atPath: path)
    try cli { try AtomicWrite.write(to: path) { trace.write(as: .json, toDescriptor: $0) } }
    return path
}
