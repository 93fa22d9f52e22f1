import Foundation
import RNNLessons
import RNNView

/// The learner's progress through the course, kept in `progress.json` in the XDG state directory
/// (`$XDG_STATE_HOME/rnnscope/`, else `~/.local/state/rnnscope/`): read when the course opens, written
/// atomically after every answer, when a lesson is left and on quit.
public final class ProgressBook: ProgressStore {
    /// The file; nil when the environment names no home or state directory (nothing is kept then).
    public let path: String?
    public private(set) var progress: CourseProgress
    /// One line about a progress file that could not be used (set aside as progress.json.bad).
    public let warning: String?
    /// The key of each lesson of the course, by its 1-based position.
    private let keys: [Int: String]

    public init(course: Course, path: String? = ProgressFile.defaultPath()) {
        self.path = path
        keys = Dictionary(uniqueKeysWithValues: course.entries.enumerated().map { ($0.offset + 1, CourseProgress.key(forLessonAt: $0.element.path)) })
        if let path {
            (progress, warning) = ProgressFile.load(path: path)
        } else {
            (progress, warning) = (CourseProgress(), nil)
        }
    }

    /// The record of the course's lesson `number` (1-based), if the learner has been there.
    public func record(lesson number: Int) -> LessonRecord? {
        keys[number].flatMap { progress.lessons[$0] }
    }

    public func save(_ record: LessonRecord, lesson number: Int) throws {
        guard let path else { throw UserError("set HOME or XDG_STATE_HOME to keep answers between runs") }
        guard let key = keys[number] else { return }
        progress.lessons[key] = record
        do { try ProgressFile.save(progress, path: path) } catch { throw UserError(error.description) }
    }

    /// Forgets lesson `number` (`rnnscope lesson N --reset`) and writes the file at once.
    public func reset(lesson number: Int) throws {
        guard let key = keys[number], progress.lessons[key] != nil, let path else { return }
        progress.lessons[key] = nil
        do { try ProgressFile.save(progress, path: path) } catch { throw UserError(error.description) }
    }

    /// Forgets every lesson of this course (`rnnscope lessons --reset`) and writes the file at once; returns
    /// how many lessons had progress. Records of lessons from other courses in the same file are kept.
    public func resetAll() throws -> Int {
        let kept = keys.values.filter { progress.lessons[$0] != nil }
        guard !kept.isEmpty, let path else { return 0 }
        for key in kept { progress.lessons[key] = nil }
        do { try ProgressFile.save(progress, path: path) } catch { throw UserError(error.description) }
        return kept.count
    }

    /// Puts the saved answers and furthest page of lesson `number` into `session`.
    public func resume(_ session: inout LessonSession, lesson number: Int) {
        guard let record = record(lesson: number) else { return }
        session.playback.restore(record)
        session.resumeStep = min(max(0, record.furthestStep), max(0, session.playback.stepCount - 1))
        session.resumeMode = StepMode(rawValue: record.furthestMode) ?? .forward
    }
}
