import Foundation
import RNNLessons
import Testing
import TestSupport
@testable import RNNView
import RNNTrace

/// Test data: the golden PyTorch traces (Tests/Golden) and the snapshots next to this file.
enum Fixtures {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let snapshotDirectory = testsDirectory.appendingPathComponent("Snapshots")
    static let cases = GoldenFiles.singleLayerCases

    static func trace(_ name: String) throws -> Recording {
        var trace = try TraceJSONReader.read(path: GoldenFiles.trace(name).path)
        trace.modelName = name
        return trace
    }

    /// A state at a step in the middle of the sequence with a unit other than 0 selected,
    /// so that highlighting is visible in the frame.
    static func state(_ name: String, options: ViewOptions = ViewOptions(), mode: StepMode = .forward) throws -> AppState {
        var s = AppState(trace: try trace(name), options: options)
        s.jump(toStep: 2)
        s.selectUnit(1)
        s.setMode(mode)
        return s
    }
}

/// Edits of a recording's numbers, for tests that need values the golden traces do not have.
extension Recording {
    var top: Int { layerCount - 1 }

    /// h_t[unit] of the top layer.
    mutating func setH(step t: Int, unit: Int, _ value: Double) {
        layers[top].hidden[(t + 1) * hiddenSize + unit] = Float(value)
    }

    /// dL/dh_t[unit] of the top layer.
    mutating func setGradH(step t: Int, unit: Int, _ value: Double) {
        layers[top].dHidden[t * hiddenSize + unit] = Float(value)
    }

    /// ‖dL/dh_t‖ of the top layer.
    mutating func setGradNorm(step t: Int, _ value: Double) {
        layers[top].hiddenGradientNorms[t] = Float(value)
    }

    mutating func setProbability(step t: Int, id: Int, _ value: Double) {
        probabilities[t * outputSize + id] = Float(value)
    }
}

/// Compares `text` with the snapshot file `name`, or records it when RNNSCOPE_RECORD_SNAPSHOTS=1.
func assertSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = Fixtures.snapshotDirectory.appendingPathComponent("\(name).txt")
    if ProcessInfo.processInfo.environment["RNNSCOPE_RECORD_SNAPSHOTS"] == "1" {
        try text.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("missing snapshot \(name).txt (record with RNNSCOPE_RECORD_SNAPSHOTS=1); frame:\n\(text)",
                     sourceLocation: sourceLocation)
        return
    }
    if expected != text {
        Issue.record("snapshot \(name) differs:\n\(lineDiff(expected: expected, actual: text))\n--- actual frame ---\n\(text)",
                     sourceLocation: sourceLocation)
    }
}

/// The differing lines, numbered, expected (-) then actual (+).
func lineDiff(expected: String, actual: String) -> String {
    let e = expected.components(separatedBy: "\n"), a = actual.components(separatedBy: "\n")
    var out: [String] = []
    for i in 0..<max(e.count, a.count) {
        let el = i < e.count ? e[i] : "<none>", al = i < a.count ? a[i] : "<none>"
        if el != al { out.append(String(format: "%4d - %@\n     + %@", i + 1, el, al)) }
        if out.count >= 20 { out.append("…"); break }
    }
    return out.joined(separator: "\n")
}
