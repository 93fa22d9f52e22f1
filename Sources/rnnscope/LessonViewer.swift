import Foundation
import RNNEngine
import RNNLessons
import RNNTrace
import RNNView
import TerminalUI

/// The course on disk as the viewer's `CourseSource`: lesson k is the k-th `NN-name.md` file, loaded,
/// trained (or its model files read) and run when it is opened.
struct BundledCourse: CourseSource {
    let course: Course
    /// The learner's saved progress: opened lessons resume their answers and furthest page.
    var progress: ProgressBook?

    var lessonCount: Int { course.entries.count }

    /// Lesson `number` counts from 1 in course order (`lessonCount` of them), whatever its file is numbered.
    func openLesson(number: Int, shouldStop: @escaping () -> Bool) throws -> LessonSession {
        guard course.entries.indices.contains(number - 1) else {
            throw CLIError("there is no lesson \(number): the course has \(lessonCount)")
        }
        let lesson = try loadLesson(path: course.entries[number - 1].path)
        var session = try openLessonSession(lesson, position: CoursePosition(number: number, count: lessonCount),
                                            shouldStop: shouldStop)
        progress?.resume(&session, lesson: number)
        return session
    }

    /// The course position of the lesson file at `path`, when it is one of the course's files.
    func position(ofPath path: String) -> CoursePosition? {
        let wanted = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        guard let i = course.entries.firstIndex(where: {
            URL(fileURLWithPath: $0.path).standardizedFileURL.resolvingSymlinksInPath().path == wanted
        }) else { return nil }
        return CoursePosition(number: i + 1, count: lessonCount)
    }
}

/// The lesson file at `path`, compiled by the lessons layer. A broken lesson is one line: its first
/// problem (`file:line: …`) and how many more there are.
func loadLesson(path: String) throws -> CompiledLesson {
    do {
        return try CompiledLesson.open(path: path)
    } catch {
        throw CLIError(error.oneLine(validate: "rnnscope lesson validate \(path)"))
    }
}

/// Trains or loads the lesson's models, runs them over its input and wraps the result for the viewer.
/// Lessons with several cells open with them side by side: comparing them is their point.
/// `shouldStop` is asked between training updates (the viewer's quit keys and signals, while a lesson
/// that takes long to train opens from n / p).
func openLessonSession(_ compiled: CompiledLesson, position: CoursePosition?, shouldStop: (() -> Bool)? = nil) throws -> LessonSession {
    let lesson = compiled.lesson
    let run: LessonRun
    do {
        run = try compiled.run(shouldStop: shouldStop)
    } catch {
        throw CLIError("\(lesson.path): \(error.description)")
    }
    let playback = LessonPlayback(lesson: lesson, run: run)
    guard let primary = run.primaryRun else { throw CLIError("\(lesson.path): the lesson's run produced no trace") }
    var source: (any TraceSource)?
    if let model = primary.model {
        var modelSource = ModelTraceSource(model: model, modelName: lesson.title)
        modelSource.lesson = lesson
        for cell in lesson.cells.dropFirst() {
            if let other = run.cells[cell]?.model { modelSource.comparisonModels[cell] = (other, "\(lesson.title) (\(cell.displayName))") }
        }
        if lesson.cells.count > 1 { modelSource.comparisonCells = lesson.cells }
        source = modelSource
    }
    let comparison = lesson.cells.count > 1 ? lesson.cells.compactMap { run.cells[$0]?.trace } : nil
    return LessonSession(playback: playback, position: position, source: source,
                         comparison: comparison.flatMap { $0.count > 1 ? $0 : nil })
}

/// The state the viewer opens on for `rnnscope lesson ARGUMENT` (a course number or a lesson file) and,
/// with a nil argument, for `rnnscope` alone (the course's first lesson). n / p move through the course.
/// With `keepProgress` (the interactive viewer, not `--plain`), course lessons resume the learner's saved
/// answers and furthest page and save them again; `reset` first forgets the opened lesson's progress.
func lessonViewerState(_ argument: String?, directory: String?, options: ViewOptions, keepProgress: Bool = false,
                       reset: Bool = false) throws -> AppState {
    let isNumber = argument.map(LessonLoader.isNumber) ?? true
    let dir = isNumber ? try lessonsDirectory(directory) : (directory ?? Course.defaultDirectory())
    var course: BundledCourse?
    if let dir {
        do { course = BundledCourse(course: try Course(directory: dir)) } catch {
            if isNumber { throw CLIError(error.description) }
        }
    }
    if keepProgress, let loaded = course?.course {
        let book = ProgressBook(course: loaded)
        // Said on stderr (left on the terminal after the viewer closes) and on the first frame.
        if let warning = book.warning { Console.err(TerminalText.escaped("rnnscope: " + warning) + "\n") }
        course?.progress = book
    }
    let session: LessonSession
    if isNumber {
        guard let course else { throw CLIError("no lessons directory found") }
        guard let first = course.course.entries.first else { throw CLIError("\(course.course.directory): no lessons (NN-name.md files) found") }
        let number = argument.flatMap { Int($0) } ?? first.number
        let entry = try lessonCLI { () throws(LessonLoadError) in try course.course.entry(number: number) }
        guard let index = course.course.entries.firstIndex(of: entry) else { throw CLIError("there is no lesson \(number)") }
        if reset { try course.progress?.reset(lesson: index + 1) }
        session = try course.openLesson(number: index + 1, shouldStop: { false })
    } else if let argument {
        let lesson = try loadLesson(path: argument)
        var opened = try openLessonSession(lesson, position: course?.position(ofPath: argument))
        if let number = opened.position?.number {
            if reset { try course?.progress?.reset(lesson: number) }
            course?.progress?.resume(&opened, lesson: number)
        }
        session = opened
    } else {
        throw CLIError("no lesson given")
    }
    // n / p only make sense from inside the course.
    var state = AppState(lesson: session, course: session.position == nil ? nil : course, options: options)
    if session.position != nil, let book = course?.progress {
        state.progressStore = book
        if let warning = book.warning { state.status = StatusMessage(warning, kind: .warning) }
        else if reset { state.status = StatusMessage("lesson \(session.position!.number): progress reset, starting over") }
    }
    return state
}
