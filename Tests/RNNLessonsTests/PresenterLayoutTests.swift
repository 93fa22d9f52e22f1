import Foundation
import RNNEngine
import RNNTrace
import Testing
@testable import RNNLessons
@testable import RNNView

/// The presenter's layout and projector palette, over the course as a teacher shows it.
@Suite("Presenter layout: the lesson text beside two large panels, in colours a projector shows")
struct PresenterLayoutTests {
    static let presenter = ViewOptions(colorMode: .color256, presenter: true)

    @Test func contrastRatiosFollowWCAG() {
        #expect(abs(XtermColors.contrast(16, 231) - 21) < 1e-9)
        #expect(abs(XtermColors.contrast(231, 231) - 1) < 1e-9)
        // #ff0000 on white: 4.00; #0000ff on black: 2.44 (the "dark blue on black" a projector loses).
        #expect(abs(XtermColors.contrast(196, 231) - 4.00) < 0.01)
        #expect(abs(XtermColors.contrast(21, 16) - 2.44) < 0.01)
        // #808080 on white is just under AA.
        #expect(abs(XtermColors.contrast(244, 231) - 3.95) < 0.01)
    }

    /// Every glyph of every page of the course, question open and answered, both passes, reads at 4.5:1 or
    /// more against its cell, in explicit colours (none left to the terminal's theme), with no dim text.
    @Test(arguments: CourseInViewerTests.numbers)
    func everyGlyphOfTheCourseReadsOnAProjector(number: Int) throws {
        var state = AppState(lesson: try CourseRuns.session(number), options: Self.presenter)
        var worst = (ratio: 21.0, place: "")
        var cells = 0
        func check(_ place: String) {
            let buffer = renderFrame(state, width: 120, height: 40)
            for y in 0..<buffer.height {
                for x in 0..<buffer.width {
                    let cell = buffer[x, y]
                    guard case .indexed(let fg) = cell.style.foreground, case .indexed(let bg) = cell.style.background else {
                        Issue.record("\(place) (\(x), \(y)): a colour left to the terminal: \(cell.style)")
                        return
                    }
                    #expect(!cell.style.modifiers.contains(.dim) && !cell.style.modifiers.contains(.reverse), "\(place): \(cell.style)")
                    guard cell.symbol != " " else { continue }
                    cells += 1
                    let ratio = XtermColors.contrast(fg, bg)
                    if ratio < worst.ratio { worst = (ratio, "\(place) (\(x), \(y)) \"\(cell.symbol)\"") }
                }
            }
        }
        for mode in StepMode.allCases {
            state.setMode(mode)
            for t in 0..<state.stepCount {
                state.jump(toStep: t)
                check("lesson \(number) t=\(t) \(mode)")
                while let open = state.narration?.openQuestion {
                    state.apply(.answer(open.choices[0].letter))
                    check("lesson \(number) t=\(t) \(mode) answered")
                }
            }
        }
        #expect(cells > 1000)
        #expect(worst.ratio >= ProjectorPalette.minimumContrast, "lowest contrast \(worst.ratio) at \(worst.place)")
    }

    /// From 80×24 to 300×100 the narration with its question and the page's panels are on screen, no fewer
    /// than two panels beside the text, and never the seven-panel layout.
    @Test(arguments: [(80, 24), (100, 30), (120, 40), (160, 50), (200, 60), (240, 80), (300, 100)])
    func rendersAtEverySize(width: Int, height: Int) throws {
        var state = AppState(lesson: try CourseRuns.session(7), options: Self.presenter)
        let question = try #require((0..<state.stepCount).first { t in state.jump(toStep: t); return state.narration?.openQuestion != nil })
        state.jump(toStep: question)
        let frame = renderFrame(state, width: width, height: height).lines.joined(separator: "\n")
        let open = try #require(state.narration?.openQuestion)
        #expect(frame.contains(String(open.prompt.prefix(20))), "\(frame)\n\(width)x\(height): the question is not on screen")
        #expect(frame.contains("1) " + open.choices[0].text.prefix(10)), "\(frame)\n\(width)x\(height): choice 1 is not on screen")
        let titles = ["Gates", "State at", "Output", "Overview", "Equations", "Gradient"].filter { frame.contains($0) }
        #expect(titles.count >= 2 && titles.count <= 3, "\(frame)\n\(width)x\(height): panels \(titles)")
        #expect(frame.contains("Gates"), "\(frame)\n\(width)x\(height): the highlighted panel (gates) is not shown")
    }

    @Test("the pieces follow the page's highlight, else the pass")
    func piecesFollowTheHighlightThenThePass() throws {
        var state = AppState(trace: try Fixture.goldenTrace("lstm_word_embed"), options: Self.presenter)
        #expect(PresenterLayout.pieces(Scene(state)) == [.panel(.gates), .panel(.output)])
        state.setMode(.backward)
        #expect(PresenterLayout.pieces(Scene(state)) == [.panel(.gradients), .panel(.equations)])
        var lesson = AppState(lesson: try CourseRuns.session(7), options: Self.presenter)
        let gatesPage = try #require((0..<lesson.stepCount).first { t in lesson.jump(toStep: t); return lesson.narration?.highlightPanel == .gates })
        lesson.jump(toStep: gatesPage)
        #expect(PresenterLayout.pieces(Scene(lesson)) == [.panel(.gates), .panel(.state)])
    }
}
