import Foundation
import RNNEngine
import RNNLessons
import RNNTrace
import Testing
import TestSupport
@testable import RNNView

/// The weights screen: the gradient it sums step by step is the engine's parameter gradient once the walk
/// back reaches t = 0, and the σ_max and ρ it prints are those of the model's W_hh.
@Suite struct WeightsViewTests {
    @Test(arguments: GoldenFiles.singleLayerCases + ["rnn_relu_word_onehot"])
    func summedGradientAtTheFirstStepIsTheParameterGradient(_ name: String) throws {
        let recording = try ModelFixtures.recording(name)
        let sum = try #require(AccumulatedGradient(recording: recording, from: 0))
        func recorded(_ n: String) throws -> [Double] {
            try #require(recording.parameterGradients.first { $0.name == n }).values.map(Double.init)
        }
        let pairs: [(String, [Double])] = [("weight_ih", sum.weightIH), ("weight_hh", sum.weightHH), ("bias_ih", sum.biasIH),
                                           ("bias_hh", sum.biasHH), ("fc.weight", try #require(sum.head)),
                                           ("fc.bias", try #require(sum.headBias))]
        for (n, mine) in pairs {
            let theirs = try recorded(n)
            #expect(mine.count == theirs.count, "\(name) \(n): \(mine.count) vs \(theirs.count)")
            let scale = max(1e-6, theirs.map(abs).max() ?? 0)
            let worst = zip(mine, theirs).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-5 * scale, "\(name) \(n): differs by \(worst) (scale \(scale))")
        }
    }

    @Test func eachStackedLayerSumsToItsOwnGradient() throws {
        let full = try ModelFixtures.recording("lstm2_word_embed")
        for k in 0..<full.layerCount {
            let sum = try #require(AccumulatedGradient(recording: full.layerView(k), from: 0))
            let suffix = k == 0 ? "" : "_l\(k)"
            for (name, mine) in [("weight_ih" + suffix, sum.weightIH), ("weight_hh" + suffix, sum.weightHH), ("bias_hh" + suffix, sum.biasHH)] {
                let theirs = try #require(full.parameterGradients.first { $0.name == name }).values.map(Double.init)
                let worst = zip(mine, theirs).map { abs($0 - $1) }.max() ?? .infinity
                #expect(mine.count == theirs.count && worst <= 1e-5 * max(1e-6, theirs.map(abs).max()!), "layer \(k) \(name): \(worst)")
            }
            #expect((sum.head != nil) == (k == full.layerCount - 1))
        }
    }

    @Test func atTheLastStepOnlyThatStepHasContributed() throws {
        let recording = try ModelFixtures.recording("rnn_tanh_word_onehot")
        let last = recording.stepCount - 1
        let sum = try #require(AccumulatedGradient(recording: recording, from: last))
        let n = recording.hiddenSize
        let dPre = recording.layers[0].dPreactivations[(last * n)..<((last + 1) * n)].map(Double.init)
        #expect(sum.biasIH == dPre)
        // The sum only grows in the number of steps it holds: from the first step it is the whole gradient.
        let all = try #require(AccumulatedGradient(recording: recording, from: 0))
        #expect(all.biasIH != sum.biasIH)
    }

    @Test func printsTheSpectrumOfTheModelsRecurrentMatrix() throws {
        let state = try ModelFixtures.state("rnn_tanh_word_onehot", screen: .weights, mode: .forward)
        let text = renderFrame(state, width: 160, height: 50).lines.joined(separator: "\n")
        let w = try #require(state.trace.model).parameters.layers[0].weightHH
        #expect(text.contains("σ_max \(PrintedNumber.text(w.largestSingularValue, digits: 3))"), "\(text)")
        #expect(text.contains("ρ \(PrintedNumber.text(try #require(w.spectralRadius), digits: 3))"), "\(text)")
        let h = state.hiddenSize, e = state.trace.inputSize, v = state.trace.outputSize
        #expect(text.contains("W_hh \(h)×\(h)"))
        #expect(text.contains("W_xh \(h)×\(e)"))
        #expect(text.contains("W_hy \(v)×\(h)"))
    }

    @Test func gatedCellsLabelTheirBlocks() throws {
        let state = try ModelFixtures.state("gru_word_embed", screen: .weights, mode: .forward)
        let lines = renderFrame(state, width: 200, height: 60).lines
        let h = state.hiddenSize
        #expect(lines.contains { $0.contains("W_hh \(3 * h)×\(h)") })
        for gate in ["r", "z", "n"] { #expect(lines.contains { $0.contains("│ \(gate) ") || $0.contains(" \(gate)  ") }, "no block \(gate)") }
    }

    @Test func traceFileWithoutWeightsSaysHowToGetThem() throws {
        var state = try Fixtures.state("lstm_word_embed")
        state.options.screen = .weights
        let text = renderFrame(state, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(text.contains("A trace file carries no weights."))
        #expect(text.contains("rnnscope view --model"))
    }
}
