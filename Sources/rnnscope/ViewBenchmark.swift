import Foundation
import RNNEngine
import RNNTrace
import RNNView
import TerminalUI

/// Timings of the viewer's own work, without a terminal: building a frame at 200×60, and one key press
/// (apply + render) while stepping through a long trace.
struct ViewBenchmark {
    struct Result {
        var traceSteps: Int
        var hiddenSize: Int
        var recordSeconds: Double
        var frameMilliseconds: Double
        var keyMilliseconds: Double
        /// Build + flush to the real terminal, when the benchmark runs on one (nil otherwise).
        var flushMilliseconds: Double?
        var terminalSize: TerminalSize?
    }

    /// A word-level LSTM with H = `hiddenSize` reads `steps` random tokens; the frame is rendered at 200×60.
    func run(steps: Int = 10_000, hiddenSize: Int = 256) throws -> Result {
        let vocabulary = (0..<64).map { "w\($0)" }
        let params = ModelParameters.initialized(cell: .lstm, vocabularySize: vocabulary.count, embeddingSize: 32,
                                                 hiddenSize: hiddenSize, seed: 1)
        let model = RNNModel(parameters: params, tokenizer: .word, vocabulary: Vocabulary(vocabulary))
        var rng = SeededGenerator(seed: 2)
        let text = (0..<steps).map { _ in vocabulary[Int(rng.next() % 64)] }.joined(separator: " ")
        let recordStart = DispatchTime.now().uptimeNanoseconds
        let trace = try cli { try Recording.record(model: model, text: text, modelName: "bench") }
        let recordSeconds = Double(DispatchTime.now().uptimeNanoseconds - recordStart) / 1e9

        var state = AppState(trace: trace, options: ViewOptions())
        state.jump(toStep: steps / 2)
        _ = renderFrame(state, width: 200, height: 60)  // warm-up
        let frames = 20
        var start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<frames { _ = renderFrame(state, width: 200, height: 60) }
        let frameMs = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(frames)

        // Key presses: step forward (and back, in backward mode) and redraw, as the event loop does.
        start = DispatchTime.now().uptimeNanoseconds
        let presses = 40
        for i in 0..<presses {
            if let action = keymap(i % 10 == 9 ? .character("b") : .right, state: state) { state.apply(action) }
            _ = renderFrame(state, width: 200, height: 60)
        }
        let keyMs = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(presses)
        var result = Result(traceSteps: steps, hiddenSize: hiddenSize, recordSeconds: recordSeconds,
                            frameMilliseconds: frameMs, keyMilliseconds: keyMs)
        if isatty(0) == 1 && isatty(1) == 1 {
            (result.flushMilliseconds, result.terminalSize) = try flushTiming(state)
        }
        return result
    }

    /// Steps through the trace on the real terminal: each frame is built at the terminal's size and
    /// flushed (only changed cells are written). Run it in a 200×60 terminal for the reference number.
    private func flushTiming(_ initial: AppState) throws -> (Double, TerminalSize) {
        var state = initial
        let backend = try CursesBackend()
        defer { backend.restore() }
        let size = backend.size
        backend.flush(renderFrame(state, width: size.width, height: size.height))
        let frames = 50
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<frames {
            state.apply(.stepForward)
            backend.flush(renderFrame(state, width: size.width, height: size.height))
        }
        return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(frames), size)
    }
}
