import Foundation
import RNNLessons
import Testing
import TestSupport
@testable import RNNView
import RNNTrace

/// Stacked layers in the viewer (the golden 2-layer LSTM) and the ReLU RNN's frames.
@Suite struct LayerViewTests {
    @Test func stackedFramesForEachLayerAndMode() throws {
        for layer in 0..<2 {
            for mode in StepMode.allCases {
                var state = try Fixtures.state("lstm2_word_embed", options: ViewOptions(colorMode: .monochrome), mode: mode)
                state.selectLayer(layer)
                let text = snapshotText(renderFrame(state, width: 120, height: 40), withStyles: false)
                try assertSnapshot(text, named: "lstm2_word_embed-120x40-layer\(layer + 1)-\(mode.rawValue)-mono")
            }
        }
    }

    @Test func reluFrames() throws {
        for mode in StepMode.allCases {
            let state = try Fixtures.state("rnn_relu_word_onehot", options: ViewOptions(colorMode: .monochrome), mode: mode)
            let text = snapshotText(renderFrame(state, width: 120, height: 40), withStyles: false)
            #expect(text.contains("ReLU RNN"))
            try assertSnapshot(text, named: "rnn_relu_word_onehot-120x40-\(mode.rawValue)-mono")
        }
    }

    @Test func layerKeyCyclesAndPanelsShowTheLayer() throws {
        var state = try Fixtures.state("lstm2_word_embed")
        let trace = state.fullTrace
        #expect(state.layerCount == 2 && state.layer == 1)
        // The top layer is the trace's own step fields.
        #expect(state.currentStep?.h == trace.step(2).h)
        #expect(state.currentStep?.h == trace.layers[1].h(2).map(Double.init))
        let key = try #require(keymap(.character("L"), state: state))
        #expect(key == .cycleLayer)
        state.apply(.cycleLayer)
        #expect(state.layer == 0)
        #expect(state.currentStep?.h == trace.layers[0].h(2).map(Double.init))
        #expect(state.currentStep?.grad?.h == trace.layers[0].dh(2)?.map(Double.init))
        #expect(state.currentStep?.x == trace.x(at: 2).map(Double.init))
        let frame = renderFrame(state, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(frame.contains("LSTM H=8 layer 1/2"))
        #expect(frame.contains("State at t=2, layer 1/2"))
        #expect(frame.contains("Gradients dL/d· (BPTT), layer 1/2"))
        state.apply(.cycleLayer)
        #expect(state.layer == 1)
        // The top layer's own fields are the trace's; its x is the layer below's h.
        #expect(state.currentStep?.gate(.forget) == trace.step(2).gate(.forget))
        #expect(state.trace.step(2).x == trace.layers[0].h(2).map(Double.init))
        #expect(state.trace.shownInputSize == trace.hiddenSize)
    }

    @Test func singleLayerModelHasNoLayerSelection() throws {
        var state = try Fixtures.state("lstm_word_embed")
        #expect(state.layerCount == 1 && state.layerLabel == nil)
        state.apply(.cycleLayer)
        #expect(state.layer == 0)
        #expect(state.status?.text == "this model has a single recurrent layer")
        #expect(state.trace.shownLayer == state.fullTrace.shownLayer)
    }

    @Test func newTraceKeepsTheSelectedLayer() throws {
        var state = try Fixtures.state("lstm2_word_embed")
        state.selectLayer(0)
        state.replaceTrace(try Fixtures.trace("lstm2_word_embed"))
        #expect(state.layer == 0)
        state.replaceTrace(try Fixtures.trace("gru_word_embed"))
        #expect(state.layer == 0 && state.layerCount == 1)
    }
}
