import Foundation
import TestSupport
import Testing

/// `--view sum` and `--view weights` with `--plain`: the frame a slide or a test gets, from the first lesson
/// and from a model, and the one line a trace file gets instead of weights it does not carry.
@Suite struct ScreenViewCommandTests {
    @Test func sumViewOfTheFirstLessonForwardAndBackward() throws {
        let forward = try rnnscope("--plain", "--view", "sum", "--step", "1", "--mode", "forward")
        #expect(forward.status == 0, "\(forward.stderr)")
        #expect(forward.stdout.contains("Where h_t[0] comes from: t=1"), "\(forward.stdout)")
        #expect(forward.stdout.contains("W_hh·h_{t−1} = "), "\(forward.stdout)")
        #expect(forward.stdout.contains("h_t = tanh(a_t) = tanh("), "\(forward.stdout)")
        let backward = try rnnscope("--plain", "--view", "sum", "--step", "1", "--mode", "backward")
        #expect(backward.status == 0, "\(backward.stderr)")
        #expect(backward.stdout.contains("Where dL/dh_t[0] comes from: t=1"), "\(backward.stdout)")
        #expect(backward.stdout.contains("dL/da_t = "), "\(backward.stdout)")
    }

    @Test func weightsViewOfAModel() throws {
        let r = try rnnscope("view", "--model", GoldenFiles.model("lstm_word_embed").path, "--text", "I love AI",
                             "--plain", "--view", "weights", "--mode", "backward", "--step", "0", "--size", "120x40")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("dW_hh 12×3"), "\(r.stdout)")
        #expect(r.stdout.contains("at t = 0 it is dL/dW"), "\(r.stdout)")
    }

    @Test func aTraceFileSaysItCarriesNoWeights() throws {
        for view in ["sum", "weights"] {
            let r = try rnnscope("view", "--trace", GoldenFiles.trace("gru_word_embed").path, "--plain", "--view", view)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("trace file carries no weights"), "\(view): \(r.stdout)")
            #expect(r.stdout.contains("rnnscope view --model"), "\(view): \(r.stdout)")
        }
    }
}
