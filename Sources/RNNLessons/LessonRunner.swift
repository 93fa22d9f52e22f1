import Foundation
import RNNEngine
import RNNTrace

/// Produces a lesson's live numbers: loads or trains each cell's model, runs it over the input (forward
/// and BPTT) and samples text at the lesson's temperatures.
///
/// Deterministic: a recipe trains from its seed, and sampling uses the same seed, so a lesson shows the
/// same numbers every time it is opened.
public enum LessonRunner {
    /// The models of the lesson, one per cell, with the loss per epoch of those trained here.
    /// `shouldStop` is asked between training updates; when it says yes, training ends and this throws
    /// `EngineError.stopped` (the viewer's quit keys and signals during a lesson that takes long to open).
    /// `loadedModels`: the models of the lesson's `model:` files when they were loaded already (by the
    /// checks of `CompiledLesson.open`), so that they are not read again.
    public static func models(for lesson: Lesson, loadedModels: [RNNModel] = [], shouldStop: (() -> Bool)? = nil,
                              files: LessonFiles = .disk) throws(EngineError) -> [(model: RNNModel, epochLosses: [Double])] {
        try lesson.cells.indices.map { k throws(EngineError) in
            try models(for: lesson, cellAt: k, loadedModels: loadedModels, shouldStop: shouldStop, files: files)
        }
    }

    /// The `k`-th cell's model: from `loadedModels` when its file was loaded already, else as `model(for:cellAt:)`.
    static func models(for lesson: Lesson, cellAt k: Int, loadedModels: [RNNModel], shouldStop: (() -> Bool)?,
                       files: LessonFiles) throws(EngineError) -> (model: RNNModel, epochLosses: [Double]) {
        if loadedModels.indices.contains(k) {
            if case .pretrained(_, let recipe) = lesson.model { return (prepared(loadedModels[k], recipe: recipe), []) }
            if case .files = lesson.model { return (loadedModels[k], []) }
        }
        return try model(for: lesson, cellAt: k, shouldStop: shouldStop, files: files)
    }

    /// The model of the lesson's `k`-th cell as the lesson runs it (trained from the recipe, or loaded), with
    /// its loss per epoch when trained here.
    public static func model(for lesson: Lesson, cellAt k: Int, shouldStop: (() -> Bool)? = nil,
                             files: LessonFiles = .disk) throws(EngineError) -> (model: RNNModel, epochLosses: [Double]) {
        let directory = (lesson.path as NSString).deletingLastPathComponent
        func resolve(_ file: String) -> String { file.hasPrefix("/") || directory.isEmpty ? file : directory + "/" + file }
        switch lesson.model {
        case .files(let modelFiles):
            return (try files.loadModel(resolve(modelFiles[k])), [])
        case .pretrained(let modelFiles, let recipe):
            // The file holds what the recipe's training produced; the lesson runs it as it would a fresh one.
            return (prepared(try files.loadModel(resolve(modelFiles[k])), recipe: recipe), [])
        case .recipe(let recipe):
            var trainer = try Trainer(corpus: recipe.corpus, config: recipe.trainingConfig(for: lesson.cells[k]))
            trainer.train(shouldStop: shouldStop)
            if trainer.wasStopped { throw .stopped }
            return (prepared(trainer.model, recipe: recipe), trainer.epochLosses)
        }
    }

    /// The trained model as the lesson runs it: with `scale_recurrent`, W_hh multiplied after training, so
    /// the lesson's run shows what larger recurrent weights do to the gradients flowing back through time.
    public static func prepared(_ trained: RNNModel, recipe: TrainingRecipe) -> RNNModel {
        guard let scale = recipe.scaleRecurrent else { return trained }
        var model = trained
        let factor = Float(scale)
        for l in model.parameters.layers.indices {
            for i in model.parameters.layers[l].weightHH.values.indices {
                model.parameters.layers[l].weightHH.values[i] *= factor
            }
        }
        return model
    }

    /// Wall-clock microseconds per step of forward + BPTT over `text`: the fastest of several runs within
    /// about 20 ms, so opening a lesson stays quick. A measurement, so it differs from run to run.
    static func measureStepTime(_ model: RNNModel, text: String) throws(EngineError) -> Double {
        let (_, inputs, targets) = try model.encode(text)
        var best = Double.infinity
        let started = DispatchTime.now().uptimeNanoseconds
        for repetition in 0..<50 {
            let start = DispatchTime.now().uptimeNanoseconds
            let forward = model.parameters.forward(inputs, targets: targets, task: model.task)
            _ = model.parameters.backward(forward)
            let end = DispatchTime.now().uptimeNanoseconds
            best = Swift.min(best, Double(end - start) / 1000 / Double(Swift.max(1, inputs.count)))
            if repetition >= 2 && end - started > 20_000_000 { break }
        }
        return best
    }

    /// Everything the lesson's placeholders and questions are computed from.
    public static func run(_ lesson: Lesson, loadedModels: [RNNModel] = [], shouldStop: (() -> Bool)? = nil,
                           files: LessonFiles = .disk) throws(EngineError) -> LessonRun {
        let models = try self.models(for: lesson, loadedModels: loadedModels, shouldStop: shouldStop, files: files)
        var cells: [CellKind: LessonRun.CellRun] = [:]
        let names = lesson.referencedNames
        for (k, entry) in models.enumerated() where k < lesson.cells.count {
            let sequence = try sequenceRun(entry.model, text: lesson.input, lesson: lesson)
            let trace = Recording(run: sequence, model: entry.model, modelName: lesson.title)
            var cellRun = LessonRun.CellRun(trace: trace, epochLosses: entry.epochLosses, model: entry.model)
            cellRun.microsecondsPerStep = try measureStepTime(entry.model, text: lesson.input)
            cellRun.probes = try LessonProbes.measure(entry.model, lesson: lesson, run: sequence, names: names)
            cells[lesson.cells[k]] = cellRun
        }
        var samples: [Double: String] = [:]
        if let primary = models.first?.model {
            for temperature in lesson.temperatures {
                let tokens = try primary.sample(prime: lesson.input, count: lesson.sampleLength ?? 60,
                                                temperature: temperature, seed: recipeSeed(lesson))
                samples[temperature] = primary.tokenizer.join(tokens)
            }
        }
        return LessonRun(primary: lesson.primaryCell, cells: cells, samples: samples, clipNorm: lesson.model.recipe?.clipNorm,
                         corpus: lesson.model.recipe?.corpus)
    }

    /// Forward and BPTT of `model` over `text`, the way the lesson runs its input: with
    /// `loss_on: last_step` only the last target counts, so the gradient at step t is purely what flows
    /// back from the end through the recurrence. The viewer uses this for input the learner types, so
    /// that an edited sentence is measured the same way as the lesson's own.
    public static func record(_ model: RNNModel, text: String, lesson: Lesson) throws(EngineError) -> Recording {
        Recording(run: try sequenceRun(model, text: text, lesson: lesson), model: model, modelName: lesson.title)
    }

    /// The engine's run behind `record` (with the parameter gradients, e.g. to clip them).
    public static func sequenceRun(_ model: RNNModel, text: String, lesson: Lesson) throws(EngineError) -> SequenceRun {
        try model.run(text, lossOn: lesson.lossOnLastStep ? .lastStep : .everyStep)
    }

    private static func recipeSeed(_ lesson: Lesson) -> UInt64 {
        lesson.model.recipe?.seed ?? 1
    }
}
