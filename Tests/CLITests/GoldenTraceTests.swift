import Foundation
import TestSupport
import Testing

/// Every golden case from real PyTorch, reproduced through the real `rnnscope trace` command and checked
/// with the golden folder's own `compare.py`.
@Suite("Golden traces through rnnscope trace")
struct GoldenTraceTests {
    static let cases = GoldenFiles.allCases

    @Test(arguments: cases)
    func traceMatchesPyTorch(_ name: String) throws {
        let dir = try Paths.temporaryDirectory()
        let actual = dir.appendingPathComponent("\(name).trace.json")
        let result = try rnnscope("trace", "--model", GoldenFiles.model(name).path,
                                  "--text-file", GoldenFiles.input(name).path,
                                  "-o", actual.path)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let compare = try run("/usr/bin/env", ["python3", GoldenFiles.compareScript.path,
                                               GoldenFiles.trace(name).path, actual.path])
        #expect(compare.status == 0, "compare.py: \(compare.stdout)\(compare.stderr)")
    }

    @Test func compareCatchesAWrongTrace() throws {
        // The check above can fail: a trace of a different input does not match.
        let dir = try Paths.temporaryDirectory()
        let actual = dir.appendingPathComponent("wrong.trace.json")
        let result = try rnnscope("trace", "--model", GoldenFiles.model("lstm_word_embed").path,
                                  "--text", "I love AI and AI loves AI", "-o", actual.path)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let compare = try run("/usr/bin/env", ["python3", GoldenFiles.compareScript.path,
                                               GoldenFiles.trace("lstm_word_embed").path, actual.path])
        #expect(compare.status == 1)
    }

    @Test func stdoutAndFileAreTheSameBytesAndRepeatable() throws {
        let model = GoldenFiles.model("gru_word_embed").path
        let first = try rnnscope("trace", "--model", model, "--text", "I love AI")
        let second = try rnnscope("trace", "--model", model, "--text", "I love AI")
        #expect(first.status == 0)
        #expect(!first.stdoutData.isEmpty)
        #expect(first.stdoutData == second.stdoutData)
        let dir = try Paths.temporaryDirectory()
        let file = dir.appendingPathComponent("t.json")
        #expect(try rnnscope("trace", "--model", model, "--text", "I love AI", "-o", file.path).status == 0)
        #expect(try Data(contentsOf: file) == first.stdoutData)
    }

    @Test func csvIsTidyAndAgreesWithJSON() throws {
        let model = GoldenFiles.model("lstm_word_embed").path
        let csv = try rnnscope("trace", "--model", model, "--text", "I love AI", "--format", "csv")
        let json = try rnnscope("trace", "--model", model, "--text", "I love AI")
        #expect(csv.status == 0 && json.status == 0)
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first == "t,token,field,index,row,column,value")
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 7 })
        // h of step 1, unit 2 must be the same number in both formats.
        let object = try JSONSerialization.jsonObject(with: json.stdoutData) as! [String: Any]
        let steps = object["steps"] as! [[String: Any]]
        let h = (steps[1]["h"] as! [Double])[2]
        let row = lines.first { $0.hasPrefix("1,love,h,2,,,") }
        let value = try #require(row.flatMap { Double($0.split(separator: ",").last!) })
        #expect(Float(value) == Float(h))
        // Field names are the JSON's paths; a matrix entry carries its row and column (W_hh is 4H × H = 12 × 3).
        #expect(lines.contains { $0.hasPrefix("2,AI,gates.f,0,,,") })
        #expect(lines.contains { $0.hasPrefix(",,param_grads.weight_hh,5,1,2,") })
        #expect(lines.contains { $0.hasPrefix(",,param_grads.rnn.weight_hh_l0,5,1,2,") })
    }
}
