import Foundation
import TestSupport
import Testing

/// The numbers on the real screen are the trace's numbers: h_t and dL/dh_t read off the tmux pane agree
/// with `rnnscope trace` for the same model and input.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct ValuesMatchTraceTests {
    let model = GoldenFiles.model("lstm_word_embed").path
    let text = "I love AI and AI loves me"

    /// The trace as JSON, from the same binary.
    func trace() throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try rnnscopeBinary())
        process.arguments = ["trace", "--model", model, "--text", text]
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("rnnscope-values-\(UUID().uuidString).json")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        #expect(process.terminationStatus == 0)
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
    }

    /// The signed numbers of the screen row labelled `label` (e.g. "h_t"), in unit order.
    func row(_ label: String, in screen: String) throws -> [Double] {
        let line = try #require(screen.split(separator: "\n").first { $0.contains("│\(label) ") }, "no \(label) row:\n\(screen)")
        let afterLabel = line.components(separatedBy: "│\(label) ")[1]
        let panel = afterLabel.components(separatedBy: "│")[0]
        return panel.matches(of: /[+-][0-9]+\.[0-9]+/).compactMap { Double(String(panel[$0.range])) }
    }

    @Test func hiddenStateAndItsGradientMatchTheTrace() throws {
        let steps = try #require(try trace()["steps"] as? [[String: Any]])
        let session = try TmuxSession(command: "\(shellQuoted(try rnnscopeBinary())) view --model \(shellQuoted(model)) --text \(shellQuoted(text))",
                                      directory: packageRoot)
        defer { session.close() }
        try session.waitFor("t=0 of", timeout: 30)
        try session.sendKeys("Right")
        try session.sendKeys("Right")
        let forward = try session.waitFor("t=2 of")
        let expectedH = try #require(steps[2]["h"] as? [Double])
        let shownH = try row("h_t", in: forward)
        #expect(shownH.count == expectedH.count, "\(forward)")
        for (shown, expected) in zip(shownH, expectedH) {
            #expect(abs(shown - expected) <= 0.0005 + 1e-9, "h_t on screen \(shownH), trace \(expectedH)")
        }

        try session.sendKeys("b")
        let backward = try session.waitFor("backward")
        let grad = try #require(steps[2]["grad"] as? [String: Any])
        let expectedGrad = try #require(grad["h"] as? [Double])
        let shownGrad = try row("dL/dh_t", in: backward)
        #expect(shownGrad.count == expectedGrad.count, "\(backward)")
        for (shown, expected) in zip(shownGrad, expectedGrad) {
            #expect(abs(shown - expected) <= 0.0005 + 1e-9, "dL/dh_t on screen \(shownGrad), trace \(expectedGrad)")
        }
        try session.sendKeys("q")
    }
}
