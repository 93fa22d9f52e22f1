import RNNEngine
import RNNLessons
import RNNTrace
import RNNView

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
        if trainer.wasStopped { throw UserError("interrupted at epoch \(trainer.epochLosses.count + 1) (t trains again from the seed)") }
        let model = LessonRunner.prepared(trainer.model, recipe: recipe)
        var trace = try LessonRunner.record(model, text: text, lesson: lesson)
        trace.modelName = modelName
        return trace
    }
}
