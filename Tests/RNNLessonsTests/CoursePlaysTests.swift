import Foundation
import RNNEngine
import Testing
@testable import RNNLessons

@Suite("Every bundled lesson plays over its live run")
struct CoursePlaysTests {
    /// Plays `path`: every placeholder resolves, every question's live answer is one of its choices.
    /// Returns the whole resolved lesson as text (printed when RNNSCOPE_LESSON_DUMP is set, for review).
    func play(_ path: String) throws -> String {
        let report = LessonValidator.validate(path: path)
        let lesson = try #require(report.lesson, "\(report.problems.map(\.description).joined(separator: "\n"))")
        let run = try LessonRunner.run(lesson)
        #expect(Set(run.cells.keys) == Set(lesson.cells))
        var playback = LessonPlayback(lesson: lesson, run: run)
        #expect(playback.stepCount == TokenizerKindOf(lesson).tokenize(lesson.input).count)
        var out = "# \(lesson.title)\n\(playback.intro ?? "")\n"
        for section in lesson.steps {
            let page = playback.page(step: section.step, mode: section.mode)
            out += "\n## step \(section.step) \(section.mode.rawValue)\n\(page.narration ?? "")\n"
            for q in page.questions {
                let question = section.questions[q.id.index]
                let live = try #require(playback.liveAnswer(question, step: section.step), "\(path): no live answer for \"\(q.prompt)\"")
                let correct = question.choices.first { $0.text.lowercased() == live.lowercased() || Double($0.text).map { $0 == Double(live) } == true }
                #expect(correct != nil, "\(path):\(question.line): live answer \"\(live)\" is not among the choices \(question.choices.map(\.text))")
                let reveal = try playback.answer(q.id, choice: correct?.letter ?? "a")
                out += "Q: \(q.prompt) \(q.choices.map { "\($0.letter)) \($0.text)" }.joined(separator: " ")) → \(reveal.answer)\n   \(reveal.explanation)\n"
                for text in [q.prompt, reveal.explanation] + q.choices.map(\.text) {
                    #expect(!text.contains("?}"), "\(path): unresolved placeholder in \"\(text)\"")
                }
            }
            #expect(!(page.narration ?? "").contains("?}"), "\(path) step \(section.step) \(section.mode): unresolved placeholder:\n\(page.narration ?? "")")
        }
        out += "\n## end\n\(playback.ending ?? "")\n"
        #expect(!out.contains("?}"), "\(path): unresolved placeholder in intro or end")
        return out
    }

    @Test("all placeholders resolve and all answers are among the choices", arguments: try Course(directory: Fixture.lessonsDirectory).entries.map(\.path))
    func lessonPlays(path: String) throws {
        let text = try play(path)
        if let dump = ProcessInfo.processInfo.environment["RNNSCOPE_LESSON_DUMP"] {
            try text.write(toFile: dump + "/" + (path as NSString).lastPathComponent, atomically: true, encoding: .utf8)
        }
    }
}

/// The tokenizer the lesson's model uses (for counting steps).
func TokenizerKindOf(_ lesson: Lesson) -> TokenizerKind {
    switch lesson.model {
    case .recipe(let r), .pretrained(_, let r): return r.tokenizer
    case .files(let files):
        let dir = (lesson.path as NSString).deletingLastPathComponent
        return (try? RNNModel.load(contentsOf: dir + "/" + files[0]).tokenizer) ?? .word
    }
}
