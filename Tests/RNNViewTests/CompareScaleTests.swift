import Foundation
import Testing
@testable import RNNView
import RNNTrace

/// The comparison view draws every cell's ‖dL/dh‖ on one log scale, so a gradient that vanishes and one
/// that barely shrinks look different (lesson 5's point), not both like a full ramp.
@Suite struct CompareScaleTests {
    /// A trace whose ‖dL/dh_t‖ are `norms`.
    func trace(norms: [Double]) throws -> Recording {
        var t = try Fixtures.trace("lstm_word_embed")
        for i in 0..<t.stepCount { t.setGradNorm(step: i, norms[i % norms.count]) }
        return t
    }

    func sparkline(_ statistics: TraceStatistics, range: ClosedRange<Double>?, steps: Int) -> String {
        var buffer = Buffer(width: steps, height: 2)
        drawNormSparkline(&buffer, statistics: statistics, current: -1, x: 0, y: 0, width: steps,
                          in: Rect(x: 0, y: 0, width: steps, height: 2), theme: Theme(ViewOptions()), range: range)
        return snapshotText(buffer, withStyles: false).split(separator: "\n").first.map(String.init) ?? ""
    }

    @Test func oneScaleKeepsASmallDecayHigh() throws {
        let vanishing = try trace(norms: [1e-9, 1e-7, 1e-5, 1e-3, 1e-1, 1, 0])
        let kept = try trace(norms: [0.7, 0.75, 0.8, 0.85, 0.9, 1, 0])
        let a = TraceStatistics(vanishing), b = TraceStatistics(kept)
        // Each on its own scale, both are a ramp from the lowest block to the highest.
        #expect(sparkline(b, range: nil, steps: 7).hasPrefix("▁"))
        // On the shared scale the kept gradient stays in the top blocks from the first step.
        let shared = a.positiveNormRange!.lowerBound...max(a.positiveNormRange!.upperBound, b.positiveNormRange!.upperBound)
        let keptLine = sparkline(b, range: shared, steps: 7)
        #expect(keptLine.prefix(6).allSatisfy { "▇█".contains($0) }, "\(keptLine)")
        #expect(sparkline(a, range: shared, steps: 7).hasPrefix("▁"))
    }

    @Test func theComparisonSaysItsScaleIsShared() throws {
        final class TwoCells: TraceSource {
            let traces: [Recording]
            init(_ traces: [Recording]) { self.traces = traces }
            func trace(for text: String) throws -> Recording { traces[0] }
            func comparison(for text: String) throws -> [Recording] { traces }
            func export(_ trace: Recording) throws -> String { "" }
        }
        let pair = [try trace(norms: [1e-9, 1e-7, 1e-5, 1e-3, 1e-1, 1, 0]), try trace(norms: [0.7, 0.75, 0.8, 0.85, 0.9, 1, 0])]
        var s = AppState(trace: pair[0], source: TwoCells(pair), options: ViewOptions())
        s.applyRunningEffects(.toggleCompare)
        let text = renderFrame(s, width: 160, height: 50).lines.joined(separator: "\n")
        // With room, a decade axis from 1e0 to 1e-8 in each column, said to be one scale for both.
        #expect(text.components(separatedBy: "  1e-8 ").count == 3 && text.components(separatedBy: "   1e0 ").count == 3, "\(text)")
        #expect(text.components(separatedBy: "one scale").count == 3, "\(text)")
        // Where there is no room for it, the one-row sparkline says the shared range.
        let small = renderFrame(s, width: 120, height: 24).lines.joined(separator: "\n")
        #expect(small.components(separatedBy: "one scale: 1.00e-09…1.000").count == 3, "\(small)")
    }
}
