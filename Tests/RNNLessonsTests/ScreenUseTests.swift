import Foundation
import RNNEngine
import RNNTrace
import Testing
@testable import RNNLessons
@testable import RNNView

/// A screen that uses its space: on the sizes a class and a laptop use (120×40, 200×60), no panel hides
/// values ("+N more") while more than a quarter of the screen is empty.
@Suite("Every lesson uses the screen before it hides anything")
struct ScreenUseTests {
    /// Cells in runs of 8 or more blanks between two borders: room nothing uses (the gaps between words and
    /// columns of numbers are shorter).
    static func emptyShare(_ text: [String]) -> Double {
        var empty = 0, total = 0
        for line in text {
            let chars = Array(line)
            total += chars.count
            var run = 0
            for ch in chars + ["│"] {
                if ch == " " { run += 1; continue }
                if run >= 8 { empty += run }
                run = 0
            }
        }
        return total == 0 ? 0 : Double(empty) / Double(total)
    }

    static func hidden(_ text: [String]) -> [String] {
        text.flatMap { line in
            line.matches(of: /\+\d+ more/).map { String($0.output) }
        }
    }

    @Test(arguments: CourseInViewerTests.numbers)
    func nothingIsHiddenWhileAQuarterOfTheScreenIsEmpty(number: Int) throws {
        var state = AppState(lesson: try CourseRuns.session(number), options: ViewOptions(colorMode: .monochrome))
        for (width, height) in [(120, 40), (200, 60)] {
            for mode in StepMode.allCases {
                state.setMode(mode)
                for t in Set([0, state.stepCount / 2, state.stepCount - 1]) {
                    state.jump(toStep: t)
                    let text = renderFrame(state, width: width, height: height).lines
                    let share = Self.emptyShare(text), hidden = Self.hidden(text)
                    #expect(hidden.isEmpty || share <= 0.25,
                            "lesson \(number) \(width)×\(height) t=\(t) \(mode): \(hidden) while \(Int(share * 100))% is empty")
                }
            }
        }
    }

    @Test func theMeasureSeesAnEmptyScreen() {
        let blank = Array(repeating: "│" + String(repeating: " ", count: 100) + "│", count: 10)
        #expect(Self.emptyShare(blank) > 0.9)
        #expect(Self.emptyShare(["│ a b c d e f g h │"]) == 0)
        #expect(Self.hidden(["│x_t  +0.1 +3 more  │", "│h_t ▁▂▃+12 more │"]) == ["+3 more", "+12 more"])
    }
}
