import RNNLessons
import RNNTrace

/// Where a lesson sits in the course: lesson `number` of `count` (both counted from 1).
public struct CoursePosition: Equatable, Sendable {
    public var number: Int
    public var count: Int

    public init(number: Int, count: Int) {
        self.number = number
        self.count = count
    }
}

/// An opened lesson: its playback over the live run, and how the viewer can ask for more numbers.
public struct LessonSession {
    /// Narration, questions and answers, resolved against the lesson's run.
    public var playback: LessonPlayback
    /// Place in the course; nil for a lesson file that is not part of it.
    public var position: CoursePosition?
    /// Runs the lesson's model on edited input and for the cell comparison; nil when there is no model.
    public var source: (any TraceSource)?
    /// Traces to show side by side from the start (lessons that are about comparing cells), else nil.
    public var comparison: [Recording]?
    /// Where to open: the furthest page the learner reached before (saved progress); nil opens at the start.
    public var resumeStep: Int?
    public var resumeMode: StepMode = .forward

    public init(playback: LessonPlayback, position: CoursePosition? = nil, source: (any TraceSource)? = nil,
                comparison: [Recording]? = nil) {
        self.playback = playback
        self.position = position
        self.source = source
        self.comparison = comparison
    }

    /// The trace the lesson's steps walk through.
    public var trace: Recording? { playback.run.primaryRun?.trace }
}

/// The course as the viewer sees it; `RNNApp` implements it (loading, training and running lessons).
/// `AppState` asks for it only for the n / p keys (an `Effect.openLesson`), so that state stays testable
/// with a fake.
public protocol CourseSource {
    /// Number of lessons in the course.
    var lessonCount: Int { get }
    /// Opens lesson `number` (1 … `lessonCount`). Throws a readable error (a broken lesson file, a model
    /// that fails to load); the viewer shows it on the status line and stays on the current lesson.
    /// `shouldStop` is asked between training updates of a lesson that trains its model; a stopped
    /// opening throws.
    func openLesson(number: Int, shouldStop: @escaping () -> Bool) throws -> LessonSession
}

/// Where the viewer keeps the learner's progress; `RNNApp` implements it (a file in the XDG state
/// directory). `AppState` asks to save (an `Effect.saveProgress`) after every answer, when it leaves a
/// lesson and on quit.
public protocol ProgressStore: AnyObject {
    /// Saves the record of the course's lesson `number` (1-based). Throws a readable one-line error.
    func save(_ record: LessonRecord, lesson number: Int) throws
}
