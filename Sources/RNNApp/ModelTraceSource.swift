import Foundation
import RNNEngine
import RNNLessons
import RNNTrace
import RNNView

/// The viewer's window on the engine: new traces for edited input, the three-cell comparison, exports.
public struct ModelTraceSource: TraceSource {
    public let model: RNNModel
    public let modelName: String
    /// Models of the other cell kinds for the `c` comparison, when the caller has them (a lesson trains
    /// all three on the same corpus); otherwise they are initialised with the same sizes and marked untrained.
    public var comparisonModels: [CellKind: (model: RNNModel, name: String)] = [:]
    /// The cells `c` shows side by side: the three classic ones (a ReLU RNN model stands in for the tanh
    /// RNN), or a lesson's own cells when it lists several.
    public var comparisonCells: [CellKind] = [.rnnTanh, .lstm, .gru]
    /// When the model is a lesson's: edited input is run the way the lesson runs its own (its loss
    /// placement), so that the gradients mean the same thing as in the narration.
    public var lesson: Lesson?
    /// Where `e` writes exports.
    public var exportDirectory: String = FileManager.default.currentDirectoryPath

    public init(model: RNNModel, modelName: String) {
        self.model = model
        self.modelName = modelName
    }

    public func trace(for text: String) throws -> Recording {
        try record(model, text: text, name: modelName)
    }

    public func comparison(for text: String) throws -> [Recording] {
        try comparison(for: text, shouldStop: { false })
    }

    /// `shouldStop` is asked while a lesson's comparison models train (the first `c` of a recipe lesson).
    public func comparison(for text: String, shouldStop: @escaping () -> Bool) throws -> [Recording] {
        try comparisonCells.map { listed in
            let kind = listed == .rnnTanh && model.cell == .rnnRelu && !comparisonCells.contains(.rnnRelu) ? .rnnRelu : listed
            let (other, name) = try comparisonModel(kind, shouldStop: shouldStop)
            return try record(other, text: text, name: name)
        }
    }

    private func record(_ model: RNNModel, text: String, name: String) throws -> Recording {
        if let lesson {
            var trace = try LessonRunner.record(model, text: text, lesson: lesson)
            trace.modelName = name
            return trace
        }
        return try Recording.record(model: model, text: text, modelName: name)
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
            let trained = try LessonRunner.model(for: sameTask, cellAt: 0, shouldStop: shouldStop).model
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
    public func export(_ trace: Recording) throws -> String {
        try exportTrace(trace, directory: exportDirectory, stem: modelName)
    }

    /// A lesson with a training recipe trains its model again, live, from the same seed.
    public func makeTrainingSession() throws -> any TrainingSession {
        guard let lesson, let recipe = lesson.model.recipe else { throw TrainingUnavailable() }
        let trainer = try Trainer(corpus: recipe.corpus, config: recipe.trainingConfig(for: model.cell))
        return LiveTrainer(trainer: trainer, recipe: recipe, lesson: lesson, modelName: modelName)
    }
}

/// Comparison models trained for the `c` key, by cell (a reference type: the trace source is a value;
/// only the one effect running at a time touches it).
final class TrainedComparisons: @unchecked Sendable {
    var models: [CellKind: (RNNModel, String)] = [:]
}
