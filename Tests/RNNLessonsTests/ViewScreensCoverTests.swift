import Foundation
import RNNEngine
import RNNTrace
import Testing
@testable import RNNLessons
@testable import RNNView

/// The cell, text and connect screens keep a waiting question's answer covered, over the whole course,
/// as the panels do (`QuestionCoverTests`).
@Suite struct ViewScreensCoverTests {
    @Test(arguments: CourseInViewerTests.numbers)
    func noScreenGivesTheAnswerAway(number: Int) throws {
        let (_, run) = try CourseRuns.lesson(number)
        for screen in [ScreenKind.cell, .text, .connect] {
            var state = AppState(lesson: try CourseRuns.session(number),
                                 options: ViewOptions(colorMode: .monochrome, screen: screen))
            let playback = try #require(state.lesson)
            var questions = 0
            for page in LessonWalk.pages(stepCount: state.stepCount) {
                let (t, mode) = (page.step, page.mode)
                state.setMode(mode)
                state.jump(toStep: t)
                while let open = state.narration?.openQuestion {
                    questions += 1
                    let section = try #require(playback.lesson.section(step: open.id.step, mode: open.id.mode))
                    let said = ((state.narration?.paragraphs ?? []) + [open.prompt] + open.choices.map(\.text)).joined(separator: "\n")
                    let about = QuestionCoverTests.aboutTexts(section.questions[open.id.index], step: t, run: run)
                        .filter { !said.contains($0) }
                    for (w, h) in [(120, 40), (200, 60)] {
                        let frame = renderFrame(state, width: w, height: h).lines.joined(separator: "\n")
                        let title = screen == .cell ? "cell · unit" : screen == .text ? "Text coloured by" : "Connectivity"
                        #expect(frame.contains(title), "\(frame)\n\(screen) is not on screen")
                        for text in about {
                            #expect(!frame.contains(text), "\(frame)\nlesson \(number) \(screen) t=\(t) \(mode) \(w)x\(h): \"\(text)\" is on screen")
                        }
                    }
                    state.apply(.answer(open.choices[0].letter))
                }
            }
            // Every question of the lesson was met on the walk, so every one was checked.
            #expect(questions == playback.questionIDs.count, "lesson \(number) \(screen): \(questions) of \(playback.questionIDs.count) questions met")
        }
    }
}
