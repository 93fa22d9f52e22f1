import Foundation
import Testing
import TestSupport

/// The cell, text and connect screens as `--plain --view NAME` prints them, from a lesson, a model and a
/// trace file.
@Suite struct ViewScreensTests {
    static func modelArgs(_ name: String) -> [String] {
        ["view", "--model", GoldenFiles.model(name).path, "--text-file", GoldenFiles.input(name).path]
    }

    @Test func cellOfTheFirstLessonForwardAndBackward() throws {
        let forward = try rnnscope("--plain", "--view", "cell", "--step", "1")
        #expect(forward.status == 0, "\(forward.stderr)")
        #expect(forward.stdout.contains("cell · unit") && forward.stdout.contains("h_t"), "\(forward.stdout)")
        let backward = try rnnscope(Self.modelArgs("lstm_word_embed") + ["--plain", "--view", "cell", "--step", "2", "--mode", "backward"],
                                    environment: [:])
        #expect(backward.status == 0, "\(backward.stderr)")
        for text in ["◀ c_t", "◀ h_t", "σ f", "dL/d"] { #expect(backward.stdout.contains(text), "\(text)\n\(backward.stdout)") }
    }

    @Test func textAndConnectFromAModel() throws {
        let text = try rnnscope(Self.modelArgs("gru_word_embed") + ["--plain", "--view", "text", "--step", "3"], environment: [:])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("Text coloured by h of unit 0") && text.stdout.contains("loves"), "\(text.stdout)")
        let connect = try rnnscope(Self.modelArgs("gru_word_embed") + ["--plain", "--view", "connect"], environment: [:])
        #expect(connect.status == 0, "\(connect.stderr)")
        #expect(connect.stdout.contains("scale:") && connect.stdout.contains("t5 loves"), "\(connect.stdout)")
    }

    @Test func connectFromATraceFileSaysWhereTheWeightsAre() throws {
        let r = try rnnscope(["view", "--trace", GoldenFiles.trace("lstm_word_embed").path, "--plain", "--view", "connect"],
                             environment: [:])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("carries no weights") && r.stdout.contains("--model"), "\(r.stdout)")
    }
}
