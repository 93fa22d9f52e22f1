import Foundation
import Testing

/// `rnnscope trace --lesson`: the lesson's own run exported, as .ci/compare-builds compares it.
@Suite("rnnscope trace --lesson")
struct LessonTraceTests {
    /// A two-cell lesson that scores only the last target, small enough to train in a moment.
    func tinyLesson() throws -> URL {
        let file = try Paths.temporaryDirectory().appendingPathComponent("01-tiny.md")
        try """
            ---
            title: Tiny
            summary: Trains in a moment.
            cell: rnn_tanh, gru
            input: red w w red
            corpus: red w w red . blue w w blue . red w w red .
            tokenizer: word
            hidden_size: 4
            optimizer: adam
            learning_rate: 0.01
            epochs: 3
            seq_length: 5
            seed: 3
            loss_on: last_step
            ---

            ## step 0 forward

            The first word is {token}.
            """.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test func exportsTheChosenCellRunAsTheLessonRunsIt() throws {
        let lesson = try tinyLesson().path
        let r = try rnnscope("trace", "--lesson", lesson, "--cell", "gru")
        #expect(r.status == 0, "\(r.stderr)")
        let trace = try #require(try JSONSerialization.jsonObject(with: r.stdoutData) as? [String: Any])
        #expect(trace["cell"] as? String == "gru")
        #expect(trace["tokens"] as? [String] == ["red", "w", "w", "red"])
        // loss_on: last_step — only step 2 (whose target is the last word) has a loss.
        let steps = try #require(trace["steps"] as? [[String: Any]])
        #expect(steps.map { $0["loss"] is Double } == [false, false, true, false])
        // The same lesson gives the same bytes: it trains from its seed.
        let again = try rnnscope("trace", "--lesson", lesson, "--cell", "gru")
        #expect(again.stdoutData == r.stdoutData)
        let first = try rnnscope("trace", "--lesson", lesson)
        #expect((try JSONSerialization.jsonObject(with: first.stdoutData) as? [String: Any])?["cell"] as? String == "rnn_tanh")
    }

    @Test func aCellTheLessonDoesNotTrainIsNamed() throws {
        let r = try rnnscope("trace", "--lesson", try tinyLesson().path, "--cell", "lstm")
        #expect(r.status != 0)
        #expect(r.stderr.contains("the lesson has no lstm model (its cells: rnn_tanh, gru)"), "\(r.stderr)")
        let both = try rnnscope("trace", "--lesson", try tinyLesson().path, "--model", "m.safetensors")
        #expect(both.status != 0)
        #expect(both.stderr.contains("give either --model or --lesson"), "\(both.stderr)")
    }
}
