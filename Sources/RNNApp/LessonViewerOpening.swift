import RNNLessons
import RNNView

/// The state the viewer opens on for `rnnscope lesson ARGUMENT` (a course number or a lesson file) and,
/// with a nil argument, for `rnnscope` alone (the course's first lesson). n / p move through the course.
public struct LessonViewerOpening {
    public var state: AppState
    /// One line about a progress file that could not be used (it is on the first frame too); the CLI also
    /// says it on stderr, where it stays after the viewer closes.
    public var progressWarning: String?

    /// With `keepProgress` (the interactive viewer, not `--plain`), course lessons resume the learner's
    /// saved answers and furthest page and save them again; `reset` first forgets the opened lesson's
    /// progress.
    public init(_ argument: String?, directory: String?, options: ViewOptions, keepProgress: Bool = false,
                reset: Bool = false, files: LessonFiles = .disk) throws {
        let isNumber = argument.map(LessonLoader.isNumber) ?? true
        let dir = isNumber ? try BundledCourse.directory(given: directory) : (directory ?? Course.defaultDirectory())
        var course: BundledCourse?
        if let dir {
            do { course = BundledCourse(course: try Course(directory: dir), files: files) } catch {
                if isNumber { throw UserError(error.description) }
            }
        }
        if keepProgress, let loaded = course?.course {
            let book = ProgressBook(course: loaded)
            progressWarning = book.warning
            course?.progress = book
        }
        let session: LessonSession
        if isNumber {
            guard let course else { throw UserError("no lessons directory found") }
            guard let first = course.course.entries.first else { throw UserError("\(course.course.directory): no lessons (NN-name.md files) found") }
            let number = argument.flatMap { Int($0) } ?? first.number
            let entry: Course.Entry
            do { entry = try course.course.entry(number: number) } catch { throw UserError(error.description) }
            guard let index = course.course.entries.firstIndex(of: entry) else { throw UserError("there is no lesson \(number)") }
            if reset { try course.progress?.reset(lesson: index + 1) }
            session = try course.openLesson(number: index + 1, shouldStop: { false })
        } else if let argument {
            let lesson = try LessonSession.compile(path: argument, files: files)
            var opened = try LessonSession.open(lesson, position: course?.position(ofPath: argument))
            if let number = opened.position?.number {
                if reset { try course?.progress?.reset(lesson: number) }
                course?.progress?.resume(&opened, lesson: number)
            }
            session = opened
        } else {
            throw UserError("no lesson given")
        }
        // n / p only make sense from inside the course.
        state = AppState(lesson: session, course: session.position == nil ? nil : course, options: options)
        if session.position != nil, let book = course?.progress {
            state.progressStore = book
            if let warning = book.warning { state.status = StatusMessage(warning, kind: .warning) }
            else if reset { state.status = StatusMessage("lesson \(session.position!.number): progress reset, starting over") }
        }
    }
}
