import Foundation
import RNNEngine
import Testing
@testable import RNNLessons

/// Lessons that ship a model file and the recipe that trained it (`model:` plus a recipe).
@Suite("A lesson may give model: files together with the recipe that trained them")
struct PretrainedLessonTests {
    static let corpus = "the cat sat on the mat\nthe dog sat on the log"

    /// The tiny model the recipe of `lesson(hiddenSize:)` trains, saved next to the lesson.
    func writeModel(in dir: TempDirectory, hiddenSize: Int = 4) throws -> RNNModel {
        var trainer = try Trainer(corpus: Self.corpus, config: TrainingConfig(
            cell: .lstm, tokenizer: .word, hiddenSize: hiddenSize, epochs: 3, sequenceLength: 4, optimizer: .adam,
            learningRate: 0.01, clipNorm: nil, seed: 7))
        trainer.train()
        try trainer.model.save(to: dir.path + "/tiny.safetensors")
        return trainer.model
    }

    func lesson(recipe: String) -> String {
        """
        ---
        title: Shipped
        summary: A model file and its recipe.
        cell: lstm
        model: tiny.safetensors
        input: the cat sat
        temperature: 1.0
        sample_length: 5
        \(recipe)
        ---

        ## step 1
        Reads {token}; the unigram baseline is {unigram_loss}.
        """
    }

    static let fullRecipe = """
        corpus: \(corpus.replacingOccurrences(of: "\n", with: " "))
        tokenizer: word
        hidden_size: 4
        optimizer: adam
        learning_rate: 0.01
        epochs: 3
        seq_length: 4
        seed: 7
        """

    @Test("the recipe next to model: files is not trained on opening: over the opening budget is fine, over the absolute cap is not")
    func recipeBudgets() throws {
        let dir = try TempDirectory()
        _ = try writeModel(in: dir, hiddenSize: 64)
        // About a minute of training: too slow to train on opening, fine to document the shipped file.
        let minute = Self.fullRecipe.replacingOccurrences(of: "epochs: 3", with: "epochs: 100000")
            .replacingOccurrences(of: "hidden_size: 4", with: "hidden_size: 64")
        let report = LessonValidator.validate(path: try dir.write("minute.md", lesson(recipe: minute)))
        #expect(report.problems.isEmpty, "\(report.problems)")
        let seconds = try #require(report.trainingSeconds)
        #expect(seconds > LessonValidator.openingBudget && seconds < LessonValidator.pretrainedRecipeBudget)
        let trained = LessonValidator.validate(text: lesson(recipe: minute).replacingOccurrences(of: "model: tiny.safetensors\n", with: ""),
                                               path: dir.path + "/trained.md")
        #expect(trained.problems.contains { $0.message.contains("expected under ~10 s, so that the lesson opens quickly") }, "\(trained.problems)")
        // Days of training are refused even there.
        let days = Self.fullRecipe.replacingOccurrences(of: "epochs: 3", with: "epochs: 100000")
            .replacingOccurrences(of: "hidden_size: 4", with: "hidden_size: 1024")
        let text = lesson(recipe: days)
        let refused = LessonValidator.validate(path: try dir.write("days.md", text))
        let epochsLine = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("epochs:") }) + 1
        #expect(refused.problems.contains { $0.line == epochsLine && $0.message.contains("this recipe would train for about")
            && $0.message.contains("expected under ~60 min even for a recipe next to model: files") }, "\(refused.problems)")
    }

    @Test("the lesson runs the file, keeps the recipe, and samples with the recipe's seed")
    func loadsFileAndKeepsRecipe() throws {
        let dir = try TempDirectory()
        let shipped = try writeModel(in: dir)
        let path = try dir.write("lesson.md", lesson(recipe: Self.fullRecipe))
        let report = LessonValidator.validate(path: path)
        let parsed = try #require(report.lesson, "\(report.problems)")
        guard case .pretrained(let files, let recipe) = parsed.model else {
            Issue.record("expected model files with their recipe, got \(parsed.model)")
            return
        }
        #expect(files == ["tiny.safetensors"])
        #expect(recipe.hiddenSize == 4 && recipe.seed == 7 && recipe.epochs == 3)
        let run = try LessonRunner.run(parsed)
        // Loaded, not trained: no loss per epoch, and the weights are the file's.
        #expect(run.primaryRun?.epochLosses == [])
        #expect(run.primaryRun?.model?.parameters == shipped.parameters)
        let expectedSample = try shipped.sample(prime: "the cat sat", count: 5, temperature: 1.0, seed: 7)
        #expect(run.samples[1.0] == shipped.tokenizer.join(expectedSample))
    }

    @Test("a recipe that cannot have trained the file is reported on the model: line")
    func recipeMustMatchFile() throws {
        let dir = try TempDirectory()
        _ = try writeModel(in: dir, hiddenSize: 5)
        let text = lesson(recipe: Self.fullRecipe)
        let path = try dir.write("lesson.md", text)
        let problems = LessonValidator.validate(path: path).problems
        #expect(problems.contains { $0.line == line(of: "model:", in: text) && $0.message.contains("hidden size 5, but the recipe says hidden_size: 4") },
                "\(problems)")
    }

    @Test("recipe keys next to model: without a corpus are reported at the first of them")
    func recipeWithoutCorpus() throws {
        let dir = try TempDirectory()
        _ = try writeModel(in: dir)
        let text = lesson(recipe: "hidden_size: 4\nseed: 7")
        let path = try dir.write("lesson.md", text)
        let problems = LessonValidator.validate(path: path).problems
        #expect(problems.contains { $0.line == line(of: "hidden_size:", in: text) && $0.message.contains("has no corpus here") },
                "\(problems)")
        // unigram_loss needs the corpus too.
        #expect(problems.contains { $0.message.contains("\"unigram_loss\" names nothing") }, "\(problems)")
    }

    @Test("the unigram baseline is the mean of -ln(corpus frequency) over the targets; none when a target is not in the corpus")
    func unigramLoss() throws {
        let recipe = TrainingRecipe(corpus: "a a a b", tokenizer: .word, hiddenSize: 2, optimizer: .adam, learningRate: 0.01,
                                    epochs: 1, sequenceLength: 4, seed: 1)
        let model = try Trainer(corpus: recipe.corpus, config: recipe.trainingConfig(for: .rnnTanh)).model
        let loss = try #require(try LessonProbes.unigramLoss(model, recipe: recipe, text: "b a b"))
        #expect(abs(loss - (-log(0.75) - log(0.25)) / 2) < 1e-12)
        #expect(try LessonProbes.unigramLoss(model, recipe: recipe, text: "a") == nil)
        var lastOnly = recipe
        lastOnly.lossOn = .lastStep
        #expect(abs(try #require(try LessonProbes.unigramLoss(model, recipe: lastOnly, text: "b a b")) + log(0.25)) < 1e-12)
    }
}
