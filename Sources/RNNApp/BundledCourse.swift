import Foundation
import RNNLessons
import RNNView

/// The course on disk as the viewer's `CourseSource`: lesson k is the k-th `NN-name.md` file, compiled,
/// trained (or its model files read) and run when it is opened.
public struct BundledCourse: CourseSource {
    public let course: Course
    /// The learner's saved progress: opened lessons resume their answers and furthest page.
    public var progress: ProgressBook?
    /// Where the lessons' files are read from (the disk; tests count the reads).
    public var files: LessonFiles

    public init(course: Course, progress: ProgressBook? = nil, files: LessonFiles = .disk) {
        self.course = course
        self.progress = progress
        self.files = files
    }

    public var lessonCount: Int { course.entries.count }

    /// Lesson `number` counts from 1 in course order (`lessonCount` of them), whatever its file is numbered.
    public func openLesson(number: Int, shouldStop: @escaping () -> Bool) throws -> LessonSession {
        guard course.entries.indices.contains(number - 1) else {
            throw UserError("there is no lesson \(number): the course has \(lessonCount)")
        }
        let lesson = try LessonSession.compile(path: course.entries[number - 1].path, files: files)
        var session = try LessonSession.open(lesson, position: CoursePosition(number: number, count: lessonCount),
                                             shouldStop: shouldStop)
        progress?.resume(&session, lesson: number)
        return session
    }

    /// The course position of the lesson file at `path`, when it is one of the course's files.
    public func position(ofPath path: String) -> CoursePosition? {
        let wanted = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        guard let i = course.entries.firstIndex(where: {
            URL(fileURLWithPath: $0.path).standardizedFileURL.resolvingSymlinksInPath().path == wanted
        }) else { return nil }
        return CoursePosition(number: i + 1, count: lessonCount)
    }

    /// The lessons directory: `given`, else the one `Course.defaultDirectory` finds.
    public static func directory(given: String?) throws(UserError) -> String {
        if let given { return given }
        guard let found = Course.defaultDirectory() else {
            throw UserError("no lessons directory found: expected ./lessons, a lessons folder next to rnnscope, PREFIX/share/rnnscope/lessons for PREFIX/bin/rnnscope, or RNNSCOPE_LESSONS=<dir>")
        }
        return found
    }
}
