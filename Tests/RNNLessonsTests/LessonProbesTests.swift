import Foundation
import RNNEngine
import RNNTrace
import Testing
@testable import RNNLessons

@Suite("Lesson values measured beyond the input")
struct LessonProbesTests {
    static func tinyModel(_ cell: CellKind, corpus: String = "a b c a b c a", seed: UInt64 = 4) throws -> RNNModel {
        var trainer = try Trainer(corpus: corpus, config: TrainingConfig(cell: cell, tokenizer: .word, hiddenSize: 3,
                                                                        epochs: 3, sequenceLength: 4, seed: seed))
        trainer.train()
        return trainer.model
    }

    @Test func largestSingularValueOfAKnownMatrix() {
        // diag(3, -5) rotated: singular values 5 and 3.
        let m = Matrix(rows: 2, cols: 2, values: [0, -5, 3, 0])
        #expect(abs(m.largestSingularValue - 5) < 1e-9)
        #expect(Matrix(zeros: 2, 2).largestSingularValue == 0)
        // A non-square one, like an LSTM's W_hh (4H × H): σ_max of [[3, 4]] is 5.
        #expect(abs(Matrix(rows: 1, cols: 2, values: [3, 4]).largestSingularValue - 5) < 1e-9)
    }

    @Test func persistenceIsTheMeanSquaredStep() throws {
        var trainer = try Trainer(corpus: "0 1 0 1", config: TrainingConfig(cell: .rnnTanh, task: .regression, tokenizer: .word,
                                                                           hiddenSize: 2, epochs: 0, seed: 1))
        trainer.train()
        let mse = try LessonProbes.persistenceMSE(trainer.model, text: "0 1 3", lastOnly: false)
        #expect(mse == 2.5)
        #expect(try LessonProbes.persistenceMSE(trainer.model, text: "0 1 3", lastOnly: true) == 4)
    }

    @Test(arguments: CellKind.allCases)
    func gradientPartsAddUpAndDxMatchesTheWeightGradient(_ cell: CellKind) throws {
        let model = try Self.tinyModel(cell)
        let run = try model.run("a b c a")
        let (local, recurrent) = LessonProbes.hiddenGradientParts(run, headWeight: model.parameters.headWeight)
        // The last step has no step after it; every dL/dh_t is its two parts (the triangle inequality bounds it).
        #expect(recurrent.last! < 1e-7)
        for t in 0..<run.backward.steps {
            let total = Double(run.backward.hiddenGradientNorms[t])
            #expect(total <= local[t] + recurrent[t] + 1e-6 && total >= abs(local[t] - recurrent[t]) - 1e-6)
        }
        // One-hot input: dL/dx_t is W_ihᵀ·dPre_t; summed over the steps that read token a, it is the
        // gradient of W_ih's column for a.
        let dx = LessonProbes.inputGradientNorms(run, weightIH: model.parameters.layers[0].weightIH)
        #expect(dx.count == 4 && dx.allSatisfy { $0.isFinite && $0 >= 0 })
        #expect(dx[3] == 0, "the last step has no target and nothing after it")
    }

    @Test("divergence is the distance between the two runs' hidden states; zero for the same input")
    func divergenceOfContrastInputs() throws {
        let dir = try TempDirectory()
        func lesson(contrast: String) throws -> Lesson {
            let path = try dir.write("l.md", """
                ---
                title: t
                summary: s
                cell: lstm
                input: a b c
                contrast: \(contrast)
                corpus: a b c a b c a
                tokenizer: word
                hidden_size: 3
                optimizer: adam
                learning_rate: 0.01
                epochs: 2
                seq_length: 4
                seed: 2
                ---
                """)
            let report = LessonValidator.validate(path: path)
            return try #require(report.lesson, "\(report.problems)")
        }
        let same = try LessonRunner.run(try lesson(contrast: "a b c"))
        #expect(same.primaryRun?.probes.divergence == [0, 0, 0])
        let other = try LessonRunner.run(try lesson(contrast: "b b c"))
        let d = try #require(other.primaryRun?.probes.divergence)
        let a = try #require(other.primaryRun?.trace.steps[0].h)
        let model = try #require(other.primaryRun?.model)
        let b = try model.run("b b c").forward.h(0).map(Double.init)
        #expect(abs(d[0] - zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()) < 1e-6)
        #expect(other.primaryRun?.probes.cellDivergence?.count == 3)
    }

    @Test("a contrast input of another length is reported at its line")
    func contrastLengthIsChecked() throws {
        let dir = try TempDirectory()
        let path = try dir.write("l.md", """
            ---
            title: t
            summary: s
            cell: rnn_tanh
            input: a b c
            contrast: a b
            corpus: a b c a
            tokenizer: word
            hidden_size: 3
            optimizer: adam
            learning_rate: 0.01
            epochs: 1
            seq_length: 4
            seed: 2
            ---
            """)
        let problems = LessonValidator.validate(path: path).problems.map(\.description)
        #expect(problems == ["\(path):6: contrast has 2 token(s) but the input has 3: expected as many, so the two runs line up step by step"])
    }

    @Test("after \"…\" evaluates in a run over that text; closest picks the nearest numeric choice")
    func afterAndClosest() throws {
        let model = try Self.tinyModel(.gru)
        let trace = try Recording.record(model: model, text: "a b")
        var cell = LessonRun.CellRun(trace: trace, model: model)
        cell.probes = LessonProbes()
        let run = LessonRun(primary: .gru, cells: [.gru: cell])
        let evaluator = ExpressionEvaluator(run: run, step: 0)
        let direct = try Recording.record(model: model, text: "c a b c")
        let expected = direct.steps[3].probs[try #require(model.vocabulary.id(of: "a"))]
        let value = try evaluator.evaluate(try PlaceholderParser.parseExpression("after \"c a b c\" prob \"a\""))
        #expect(value == .number(expected))
        #expect(try evaluator.evaluate(try PlaceholderParser.parseExpression("after \"c a b c\" t")) == .integer(3))

        let choices = ["0.5", "0.75", "1.0"].enumerated().map { Choice(letter: Character(UnicodeScalar(97 + $0.offset)!), text: $0.element, line: 1) }
        #expect(LessonPlayback.closestChoice(to: 0.78, in: choices)?.text == "0.75")
        let magnitudes = ["1e-1", "1e-4", "1e-9"].enumerated().map { Choice(letter: Character(UnicodeScalar(97 + $0.offset)!), text: $0.element, line: 1) }
        #expect(LessonPlayback.closestChoice(to: 3e-8, in: magnitudes)?.text == "1e-9", "orders of magnitude, not differences")
        #expect(LessonPlayback.closestChoice(to: 0, in: magnitudes)?.text == "1e-9")
    }

    @Test("plus, times and power: counts stay whole numbers, anything else is a number")
    func arithmetic() throws {
        let model = try Self.tinyModel(.rnnTanh)
        let run = LessonRun(primary: .rnnTanh, cells: [.rnnTanh: LessonRun.CellRun(trace: try Recording.record(model: model, text: "a b"), model: model)])
        let evaluator = ExpressionEvaluator(run: run, step: 0)
        func value(_ text: String) throws -> LessonValue { try evaluator.evaluate(try PlaceholderParser.parseExpression(text)) }
        #expect(try value("times hidden_size input_size") == .integer(9))
        #expect(try value("plus times 2 hidden_size vocab_size") == .number(9))
        #expect(try value("plus hidden_size vocab_size") == .integer(6))
        #expect(try value("power 2 10") == .number(1024))
        #expect(try value("diff hidden_size 5") == .number(-2), "a literal is a number, so the result is one")
        #expect(try value("diff hidden_size vocab_size") == .integer(0))
    }

    @Test(arguments: [1, 2])
    func dxIsTheGradientOfTheEmbeddingRowEachStepReads(layers: Int) throws {
        // With an embedding, x_t is the row of the token read at t: when every token is read once,
        // ‖dL/dx_t‖ is the norm of that row's gradient (in a stacked model, the bottom layer reads x).
        var trainer = try Trainer(corpus: "a b c d a b c d", config: TrainingConfig(
            cell: .lstm, tokenizer: .word, hiddenSize: 3, layers: layers, embeddingSize: 2, epochs: 2, sequenceLength: 4, seed: 3))
        trainer.train()
        let model = trainer.model
        let run = try model.run("a b c d")
        let dx = LessonProbes.inputGradientNorms(run, weightIH: model.parameters.layers[0].weightIH)
        let embedding = try #require(run.backward.parameterGradients.embedding)
        for (t, token) in ["a", "b", "c"].enumerated() {
            let row = embedding.row(try #require(model.vocabulary.id(of: token)))
            let norm = row.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - dx[t]) < 1e-6 * max(1, norm), "step \(t): \(norm) vs \(dx[t])")
        }
    }
}
