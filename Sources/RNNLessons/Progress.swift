#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import RNNEngine

/// What a learner has done in one lesson: the answers given, how far they went, whether they finished.
public struct LessonRecord: Codable, Equatable, Sendable {
    /// One answered question: where it is, the choice (the lesson file's letter) and whether it was right.
    public struct Answer: Codable, Equatable, Sendable {
        public var step: Int
        public var mode: String
        public var index: Int
        public var choice: String
        public var correct: Bool

        public init(step: Int, mode: StepMode, index: Int, choice: Character, correct: Bool) {
            self.step = step
            self.mode = mode.rawValue
            self.index = index
            self.choice = String(choice)
            self.correct = correct
        }

        public var id: QuestionID? { StepMode(rawValue: mode).map { QuestionID(step: step, mode: $0, index: index) } }
    }

    public var answers: [Answer]
    /// The furthest page reached, in the order the lesson walks (forward, then backward).
    public var furthestStep: Int
    public var furthestMode: String
    /// The learner reached the lesson's end with every question answered.
    public var finished: Bool
    /// Questions the lesson asks (for the score in `rnnscope lessons` without loading the lesson).
    public var questionCount: Int

    public init(answers: [Answer] = [], furthestStep: Int = 0, furthestMode: StepMode = .forward, finished: Bool = false,
                questionCount: Int = 0) {
        self.answers = answers
        self.furthestStep = furthestStep
        self.furthestMode = furthestMode.rawValue
        self.finished = finished
        self.questionCount = questionCount
    }

    public var right: Int { answers.filter(\.correct).count }

    /// "✓ 2/3 right" style summary: right answers of the questions answered.
    public var score: String { "\(right)/\(answers.count) right" }
}

/// Every lesson's record, keyed by the lesson file's name without `.md` (`01-what-an-rnn-is`).
public struct CourseProgress: Codable, Equatable, Sendable {
    public var version = 1
    public var lessons: [String: LessonRecord] = [:]

    public init() {}

    /// The key of the lesson file at `path`: its file name without the extension.
    public static func key(forLessonAt path: String) -> String {
        let name = (path as NSString).lastPathComponent
        return name.hasSuffix(".md") ? String(name.dropLast(3)) : name
    }
}

/// The progress file, `$XDG_STATE_HOME/rnnscope/progress.json` (or `~/.local/state/…`): read once, written
/// atomically after every answer and on quit. A file that cannot be read or decoded is set aside as
/// `progress.json.bad` and reported in one line; the course starts afresh, never crashes.
public enum ProgressFile {
    /// The file's path from the environment; nil when neither XDG_STATE_HOME nor HOME is usable.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/rnnscope/progress.json"
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return home + "/.local/state/rnnscope/progress.json"
    }

    /// The progress at `path` (empty when there is no file yet), and a one-line warning when the file was
    /// unreadable or corrupt (it is then renamed to `path.bad`).
    public static func load(path: String) -> (progress: CourseProgress, warning: String?) {
        guard FileManager.default.fileExists(atPath: path) else { return (CourseProgress(), nil) }
        let problem: String
        if let data = FileManager.default.contents(atPath: path) {
            do {
                let progress = try JSONDecoder().decode(CourseProgress.self, from: data)
                guard progress.version == 1 else {
                    return setAside(path, because: "it has version \(progress.version), this rnnscope reads version 1")
                }
                return (progress, nil)
            } catch {
                problem = "it is not valid progress JSON"
            }
        } else {
            problem = "it cannot be read (\(String(cString: strerror(errno))))"
        }
        return setAside(path, because: problem)
    }

    private static func setAside(_ path: String, because problem: String) -> (progress: CourseProgress, warning: String?) {
        let bad = path + ".bad"
        _ = unlink(bad)
        if rename(path, bad) == 0 {
            return (CourseProgress(), "progress file \(path): \(problem); kept it as \(bad) and started afresh")
        }
        return (CourseProgress(), "progress file \(path): \(problem), and it cannot be moved aside (\(String(cString: strerror(errno)))); progress is not kept this time")
    }

    /// Writes `progress` to `path` atomically, creating the directory when needed.
    public static func save(_ progress: CourseProgress, path: String) throws(EngineError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw EngineError.file(path: directory, problem: "cannot create the directory for the progress file")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do { data = try encoder.encode(progress) } catch {
            throw EngineError.file(path: path, problem: "cannot encode the progress")
        }
        try AtomicWrite.write(Array(data) + [0x0A], to: path)
    }
}

extension LessonPlayback {
    /// The learner's record for this lesson: its answers (right or not against the live run), the
    /// furthest page reached and whether the lesson is finished.
    public func record(furthestStep: Int, furthestMode: StepMode, reachedEnd: Bool) -> LessonRecord {
        let ids = questionIDs
        let answers = ids.compactMap { id -> LessonRecord.Answer? in
            // Answering again returns the first answer's reveal, computed against the live run.
            var copy = self
            guard let chosen = self.answers[id], let reveal = try? copy.answer(id, choice: chosen) else { return nil }
            return LessonRecord.Answer(step: id.step, mode: id.mode, index: id.index, choice: chosen, correct: reveal.isCorrect)
        }
        return LessonRecord(answers: answers, furthestStep: furthestStep, furthestMode: furthestMode,
                            finished: reachedEnd && answers.count == ids.count, questionCount: ids.count)
    }

    /// Puts back the answers of `record` that still fit the lesson (a question or choice removed from the
    /// file since is skipped); returns how many were restored.
    @discardableResult
    public mutating func restore(_ record: LessonRecord) -> Int {
        var restored = 0
        for a in record.answers {
            guard let id = a.id, answers[id] == nil, let letter = a.choice.first, a.choice.count == 1 else { continue }
            if (try? answer(id, choice: letter)) != nil { restored += 1 }
        }
        return restored
    }
}
