import Foundation
import RNNEngine
import Testing
@testable import RNNLessons

@Suite("Generated corpora: seeded tasks written one sequence per line")
struct CorpusGeneratorTests {
    @Test func recallLinesHaveTheirShape() throws {
        let generator = try CorpusGenerator.parse("recall keys=red,blue filler=w,x gap=3 lines=40 before=0-2")
        guard case .recall(let task) = generator else { Issue.record("not a recall task"); return }
        let lines = generator.corpus(seed: 5).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.count == 40)
        var contexts = Set<Int>()
        for words in lines {
            // Sentences of key, three fillers, key, joined by ".": the last one is what the loss scores.
            let sentences = words.split(separator: ".").map(Array.init)
            contexts.insert(sentences.count - 1)
            for sentence in sentences {
                #expect(sentence.count == 5)
                #expect(task.keys.contains(sentence[0]) && sentence[4] == sentence[0], "\(sentence)")
                #expect(sentence[1...3].allSatisfy { task.fillers.contains($0) }, "\(sentence)")
            }
        }
        #expect(contexts == [0, 1, 2], "every number of sentences before the scored one appears")
        #expect(generator.corpus(seed: 5) == generator.corpus(seed: 5))
        #expect(generator.corpus(seed: 5) != generator.corpus(seed: 6))
    }

    @Test func sineLinesAreWindowsOfTheWave() throws {
        let generator = try CorpusGenerator.parse("sine lines=20 length=12 period=8 noise=0")
        let lines = generator.corpus(seed: 1).split(separator: "\n")
        #expect(lines.count == 20)
        for line in lines {
            let values = line.split(separator: " ").compactMap { Double($0) }
            #expect(values.count == 12)
            // Noise-free: one period later the wave repeats (to the two decimals written).
            for t in 0..<4 { #expect(abs(values[t] - values[t + 8]) <= 0.011, "\(line)") }
        }
    }

    @Test func badGeneratorsAreNamed() {
        let cases: [(String, String)] = [
            ("", "empty corpus_generator"),
            ("copy lines=3", "unknown corpus_generator \"copy\""),
            ("recall keys=red filler=w gap=3 lines=5", "expected two or more different keys"),
            ("recall keys=red,w filler=w gap=3 lines=5", "none of them a filler"),
            ("recall keys=red,blue filler=w gap=0 lines=5", "bad gap=0"),
            ("recall keys=red,blue filler=w gap=3", "needs lines="),
            ("recall keys=red,blue filler=w gap=3 lines=5 before=2-1", "bad before=2-1"),
            ("recall keys=red,blue filler=w gap=3 lines=5 colour=1", "unknown setting \"colour\""),
            ("sine lines=5 length=10 period=1 noise=0", "bad period=1"),
            ("sine lines=5 length=10 period=8", "needs noise="),
            ("recall keys=red,blue filler=w gap", "\"gap\" in corpus_generator is not key=value"),
        ]
        for (text, expected) in cases {
            do {
                _ = try CorpusGenerator.parse(text)
                Issue.record("\"\(text)\" was accepted")
            } catch {
                #expect(error.message.contains(expected), "\"\(text)\": \(error.message)")
            }
        }
    }

    @Test("a generated corpus trains per line; lesson corpus text and vocabulary come from it")
    func recipeUsesTheGenerator() throws {
        let dir = try TempDirectory()
        let path = try dir.write("lesson.md", """
            ---
            title: t
            summary: s
            cell: lstm
            input: red w w red
            corpus_generator: recall keys=red,blue filler=w gap=2 lines=30
            tokenizer: word
            hidden_size: 4
            optimizer: adam
            learning_rate: 0.02
            epochs: 2
            seq_length: 8
            seed: 3
            loss_on: last_step
            ---
            """)
        let report = LessonValidator.validate(path: path)
        let lesson = try #require(report.lesson, "\(report.problems)")
        let recipe = try #require(lesson.model.recipe)
        #expect(recipe.sequences == .perLine)
        #expect(recipe.corpus == recipe.generator?.corpus(seed: 3))
        #expect(recipe.corpus.split(separator: "\n").count == 30)
        let run = try LessonRunner.run(lesson)
        #expect(run.primaryRun?.probes.scalars["corpus_lines"] == 30)
        // Recall probes exist for a recall task: every key from the zero state (no "." in a before=0 corpus).
        #expect(run.primaryRun?.probes.scalars["recall_min_zero"] != nil)
        #expect(run.primaryRun?.probes.scalars["recall_min_after"] == nil)
    }
}
