import ArgumentParser
import Foundation
import RNNApp
import RNNEngine
import RNNLessons
import RNNTrace
import RNNView

/// `rnnscope lessons`: the course, one lesson per line.
struct LessonsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessons",
        abstract: "List the course: number, title and summary of each lesson, ✓ for lessons finished and the score so far.",
        discussion: "Progress is kept in $XDG_STATE_HOME/rnnscope/progress.json (default ~/.local/state/rnnscope/progress.json); `rnnscope lesson N --reset` starts lesson N over, `rnnscope lessons --reset` the whole course."
    )

    @OptionGroup var lessons: CourseDirectoryOption

    @Flag(name: .long, help: "Forget the answers and progress of every lesson of the course, then list it.")
    var reset = false

    func run() throws {
        let dir = try BundledCourse.directory(given: lessons.directory)
        let course = try lessonCLI { () throws(LessonLoadError) in try Course(directory: dir) }
        guard !course.entries.isEmpty else { throw CLIError("\(course.directory): no lessons (NN-name.md files) found") }
        let book = ProgressBook(course: course)
        if let warning = book.warning { Console.err(TerminalText.escaped("rnnscope: " + warning) + "\n") }
        if reset {
            let forgotten = try book.resetAll()
            Console.err("rnnscope: progress forgotten for \(forgotten) lesson\(forgotten == 1 ? "" : "s")\n")
        }
        for (i, entry) in course.entries.enumerated() {
            let record = book.record(lesson: i + 1)
            let heading = course.heading(of: entry)
            var line = String(format: "%2d ", entry.number) + (record?.finished == true ? "✓ " : " ") + heading.title
            if let record, !record.answers.isEmpty || record.questionCount > 0 {
                let left = record.questionCount - record.answers.count
                line += "  (\(record.score)\(left > 0 ? ", \(left) not answered yet" : ""))"
            }
            Console.out(TerminalText.escaped(line) + "\n")
            if !heading.summary.isEmpty { Console.out(TerminalText.escaped("    " + heading.summary) + "\n") }
        }
    }
}

/// `rnnscope lesson N|FILE` and `rnnscope lesson validate FILE…`.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Open a lesson of the course by number or file, or check lesson files.",
        // A command's own positional argument would swallow the word "validate": opening is a
        // subcommand too, the default one, so `rnnscope lesson 3` still opens lesson 3.
        subcommands: [Open.self, Validate.self, LessonModelCommand.self, LessonCorpusCommand.self],
        defaultSubcommand: Open.self
    )

    /// `rnnscope lesson N|FILE`: the lesson in the viewer (or one frame of it with --plain).
    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a lesson (the default: `rnnscope lesson 3` is `rnnscope lesson open 3`)."
        )

        @Argument(help: "Lesson number (see `rnnscope lessons`) or path to a lesson .md file.")
        var lesson: String

        @OptionGroup var lessons: CourseDirectoryOption

        @Flag(name: .long, help: "Forget this lesson's saved answers and furthest step, and start it over.")
        var reset = false

        @OptionGroup var display: DisplayOptions

        @Option(name: .long, help: ArgumentHelp("Write a walk through the lesson (every step, each question asked, then answered) as an asciinema v2 recording, at --size; - for stdout.", valueName: "file.cast"))
        var record: String?

        func validate() throws {
            if reset && display.plain { throw ValidationError("--reset starts the lesson over in the viewer: drop --plain") }
            if record != nil && (display.plain || reset) { throw ValidationError("--record writes a recording instead of opening the viewer: drop --plain and --reset") }
        }

        func run() throws {
            if let record {
                let isFile = Int(lesson) == nil || lesson.contains("/")
                let destination = try outputDestination(record, inputs: [("lesson", isFile ? lesson : nil)])
                var options = display.viewOptions
                options.colorMode = display.monochrome ? .monochrome : .color256
                let state = try lessonViewerState(lesson, directory: lessons.directory, options: options)
                let title = "rnnscope — " + (state.coursePosition.map { "Lesson \($0.number): " } ?? "") + (state.lesson?.lesson.title ?? lesson)
                let cast = LessonRecording.cast(of: state, width: display.size.width, height: display.size.height, title: title)
                try writeOutput(Array(cast.utf8), to: destination)
                return
            }
            try display.checkTerminal()
            let options = display.viewOptions
            try display.show(try lessonViewerState(lesson, directory: lessons.directory, options: options, keepProgress: !display.plain, reset: reset))
        }
    }

    /// `rnnscope lesson validate FILE…`: every problem on stderr, exit 1 if there is any.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check lesson files and report every problem as file:line: what was wrong, what was expected.",
            discussion: "With no file, checks every lesson of the course. Exit status 0 when all are valid, 1 otherwise."
        )

        @Argument(help: "Lesson files or numbers (default: the whole course).")
        var lessons: [String] = []

        @Option(name: .long, help: "Lessons directory for lesson numbers and the default list.")
        var directory: String?

        func run() throws {
            var paths: [String] = []
            var problems: [LessonProblem] = []
            if lessons.isEmpty {
                let dir = try BundledCourse.directory(given: directory)
                let course = try lessonCLI { () throws(LessonLoadError) in try Course(directory: dir) }
                paths = course.entries.map(\.path)
            } else {
                for argument in lessons {
                    do {
                        let dir = Int(argument) != nil ? try BundledCourse.directory(given: directory) : directory
                        paths.append(try LessonLoader.path(for: argument, directory: dir))
                    } catch let error as LessonLoadError {
                        problems += error.problems
                    }
                }
            }
            for path in paths {
                let report = LessonValidator.validate(path: path)
                problems += report.problems
                guard let lesson = report.lesson else { continue }
                // The file is well formed: now train or load its model and test what the narration claims.
                let results: [LessonChecks.Result]
                do {
                    results = LessonChecks.evaluate(lesson, run: try LessonRunner.run(lesson))
                } catch {
                    problems.append(LessonProblem(file: path, line: nil, message: "the lesson's model cannot be run: \(error.description)"))
                    continue
                }
                let failed = LessonChecks.problems(results, path: path)
                problems += failed
                Console.out(TerminalText.escaped("\(path): \(failed.isEmpty ? "ok" : "\(failed.count) of \(results.count) check(s) failed")"
                    + (results.isEmpty ? " (no checks)" : "")) + "\n")
                if let seconds = report.trainingSeconds {
                    let trained = lesson.model.recipe != nil && lesson.model.files == nil
                    Console.out("  recipe: training estimated at \(TrainingCost.describe(seconds: seconds))"
                        + (trained ? " (under ~\(Int(LessonValidator.openingBudget)) s allowed)" : " (not run on opening)") + "\n")
                }
                for result in results { Console.out("  " + TerminalText.escaped(result.summary) + "\n") }
            }
            guard problems.isEmpty else {
                let text = problems.map(\.description).joined(separator: "\n") + "\n"
                Console.err(text)
                throw ExitCode(1)
            }
        }
    }
}

/// The lessons directory: the `--directory` given, or the course found by `Course.defaultDirectory`.
/// The viewer's state for a lesson argument (see `LessonViewerOpening`); a progress file that could not
/// be used is said on stderr too, where it stays after the viewer closes.
func lessonViewerState(_ argument: String?, directory: String?, options: ViewOptions, keepProgress: Bool = false,
                       reset: Bool = false) throws -> AppState {
    let opening = try LessonViewerOpening(argument, directory: directory, options: options, keepProgress: keepProgress, reset: reset)
    if let warning = opening.progressWarning { Console.err(TerminalText.escaped("rnnscope: " + warning) + "\n") }
    return opening.state
}

/// Runs `body`, turning a lesson load error into one CLI error whose lines are its problems.
func lessonCLI<T>(_ body: () throws(LessonLoadError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw CLIError(error.description)
    }
}
