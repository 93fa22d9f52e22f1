import Foundation
import RNNEngine
import Testing
@testable import RNNLessons

/// Lesson 10 ships its model; these tests keep the file, the recipe and the lesson's claims honest.
@Suite("Lesson 10: the shipped text model")
struct TextGenerationLessonTests {
    static var lessonPath: String { Fixture.lessonsDirectory + "/10-text-generation.md" }

    func lesson() throws -> Lesson {
        let report = LessonValidator.validate(path: Self.lessonPath)
        return try #require(report.lesson, "\(report.problems.map(\.description).joined(separator: "\n"))")
    }

    @Test("retraining from the recipe in the front matter gives the shipped file byte for byte")
    func recipeRebuildsShippedModel() throws {
        let lesson = try lesson()
        guard case .pretrained(let files, let recipe) = lesson.model else {
            Issue.record("lesson 10 should ship its model with its recipe, got \(lesson.model)")
            return
        }
        for (cell, file) in zip(lesson.cells, files) {
            var trainer = try Trainer(corpus: recipe.corpus, config: recipe.trainingConfig(for: cell))
            trainer.train()
            let rebuilt = try trainer.model.safetensors().encoded()
            let shipped = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixture.lessonsDirectory + "/" + file)))
            #expect(rebuilt == shipped, "\(file) is not what its recipe trains: retrain it with the command in the lesson's front matter (debug build)")
            // The lesson says the loss over the whole logbook is less than half the unigram baseline's.
            let tokens = recipe.tokenizer.tokenize(recipe.corpus)
            let counts = Dictionary(tokens.map { ($0, 1) }, uniquingKeysWith: +)
            let baseline = tokens.reduce(0.0) { $0 - log(Double(counts[$1]!) / Double(tokens.count)) } / Double(tokens.count)
            let finalEpochLoss = try #require(trainer.epochLosses.last)
            #expect(finalEpochLoss < baseline / 2, "corpus loss \(finalEpochLoss), unigram baseline \(baseline)")
        }
    }

    @Test("the samples at T = 0.5 and 1.0 are mostly new: at least half their 12-character windows are not in the corpus")
    func samplesAreMostlyNew() throws {
        let lesson = try lesson()
        let corpus = try #require(lesson.model.recipe?.corpus)
        let run = try LessonRunner.run(lesson)
        for temperature in [0.5, 1.0] {
            let sample = try #require(run.samples[temperature])
            let share = try #require(SampleNovelty.newWindowShare(sample: sample, corpus: corpus))
            #expect(share >= 0.5, "T = \(temperature): only \(share) of the windows are new in \"\(sample)\"")
        }
    }

    @Test("the model beats the unigram baseline on the lesson's input")
    func modelBeatsUnigramBaseline() throws {
        let run = try LessonRunner.run(try lesson())
        let model = try #require(run.primaryRun?.trace.loss)
        let baseline = try #require(run.primaryRun?.probes.scalars["unigram_loss"])
        #expect(model < baseline)
    }
}
