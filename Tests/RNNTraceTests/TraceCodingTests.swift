import Foundation
import TestSupport
import Testing
import RNNEngine
@testable import RNNTrace

@Suite("Trace values and export")
struct TraceCodingTests {

    @Test(arguments: GoldenFiles.singleLayerCases)
    func goldenTracesDecode(_ name: String) throws {
        let data = try Data(contentsOf: GoldenFiles.trace(name))
        let trace = try Trace.decode(json: data)
        #expect(trace.task == "classification")
        #expect(trace.steps.count == trace.tokens.count)
        #expect(trace.steps.last?.target == nil)
        // h_norm is absent in the golden file: derived from grad.h.
        let step = trace.steps[0]
        let norm = (step.grad!.h.map { $0 * $0 }.reduce(0, +)).squareRoot()
        #expect(abs(step.grad!.hNorm - norm) < 1e-12)
    }

    @Test func exportedJSONRoundTripsExactly() throws {
        let params = ModelParameters.initialized(cell: .lstm, vocabularySize: 4, embeddingSize: 3, hiddenSize: 2, seed: 1)
        let model = RNNModel(parameters: params, tokenizer: .char, vocabulary: Vocabulary(["a", "b", ",", "\""]))
        let trace = try TraceRecorder.record(model: model, text: "ab,\"a", modelName: "m")
        let decoded = try Trace.decode(json: trace.jsonData())
        #expect(decoded == trace)
        #expect(try decoded.jsonData() == trace.jsonData())
    }

    @Test func nonFiniteNumbersSurviveJSON() throws {
        let params = ModelParameters.initialized(cell: .rnnTanh, vocabularySize: 2, embeddingSize: nil, hiddenSize: 2, seed: 1)
        var trace = try TraceRecorder.record(model: RNNModel(parameters: params, tokenizer: .char, vocabulary: Vocabulary(["a", "b"])), text: "ab")
        trace.steps[0].h = [.nan, .infinity]
        let text = String(decoding: try trace.jsonData(), as: UTF8.self)
        #expect(text.contains("\"NaN\""))
        let back = try Trace.decode(json: Data(text.utf8))
        #expect(back.steps[0].h[0].isNaN)
        #expect(back.steps[0].h[1] == .infinity)
    }

    @Test func csvQuotesTokensWithCommasAndQuotes() {
        #expect(csvField("a") == "a")
        #expect(csvField(",") == "\",\"")
        #expect(csvField("\"") == "\"\"\"\"")
        #expect(csvNumber(.nan) == "NaN")
        #expect(csvNumber(-.infinity) == "-inf")
    }
}
