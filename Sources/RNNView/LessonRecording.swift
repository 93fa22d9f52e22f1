import RNNEngine
import RNNLessons

/// A walk through a lesson as an asciinema v2 recording (`rnnscope lesson N --record FILE.cast`), so a
/// teacher can share a demo that plays in a browser or `asciinema play`, with no rnnscope installed.
///
/// The walk is a learner's: forward over every step, then back through time when the lesson has a
/// backward part. A page stays on screen as long as its text takes to read (about three words a second);
/// a question is shown open first, then answered with the right choice and revealed. The file has no
/// wall-clock timestamp, so the same lesson gives the same recording.
public enum LessonRecording {
    /// Seconds a step without text stays on screen.
    static let stepSeconds = 0.8
    /// Reading speed, words per second, and the longest a page waits.
    static let wordsPerSecond = 3.0
    static let longestPage = 15.0

    public static func cast(of initial: AppState, width: Int, height: Int, title: String) -> String {
        var state = initial
        var time = 0.0
        var out = "{\"version\": 2, \"width\": \(width), \"height\": \(height), \"title\": \(JSONText.quoted(title)), "
            + "\"env\": {\"TERM\": \"xterm-256color\"}}\n"
        func show(_ seconds: Double) {
            let frame = renderFrame(state, width: width, height: height)
            let screen = "\u{1b}[H\u{1b}[2J" + (0..<frame.height).map { FrameExport.ansiLine(frame, row: $0, trimmed: true) }.joined(separator: "\r\n")
            out += "[\(String(format: "%.3f", time)), \"o\", \(JSONText.quoted(screen))]\n"
            time += seconds
        }
        func reading(_ texts: [String]) -> Double {
            let words = texts.reduce(0) { $0 + $1.split(whereSeparator: \.isWhitespace).count }
            return words == 0 ? stepSeconds : min(longestPage, 2 + Double(words) / wordsPerSecond)
        }
        let goesBack = state.lesson?.lesson.steps.contains { $0.mode == .backward } ?? false
        for page in LessonWalk.pages(stepCount: state.stepCount, backward: goesBack) {
            state.setMode(page.mode)
            state.jump(toStep: page.step)
            while let open = state.narration?.openQuestion, let playback = state.lesson {
                show(reading((state.narration?.paragraphs ?? []) + [open.prompt] + open.choices.map(\.text)))
                state.apply(.answer(rightChoice(open, playback) ?? open.choices[0].letter))
                let reveal = state.narration?.questions.first { $0.id == open.id }?.reveal
                show(reading([reveal?.explanation ?? ""] + [open.followUp ?? ""]))
            }
            if state.narration?.questions.isEmpty ?? true { show(reading(state.narration?.paragraphs ?? [])) }
        }
        // The last frame stays a moment so the player does not cut it off.
        show(0)
        out += "[\(String(format: "%.3f", time + 3)), \"o\", \"\"]\n"
        return out
    }

    /// The letter of the choice that matches the live run, found by answering a copy of the lesson.
    static func rightChoice(_ question: QuestionState, _ playback: LessonPlayback) -> Character? {
        question.choices.first { choice in
            var copy = playback
            return (try? copy.answer(question.id, choice: choice.letter))?.isCorrect == true
        }?.letter
    }
}
