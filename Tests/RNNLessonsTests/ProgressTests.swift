import Foundation
import RNNTrace
import Testing
@testable import RNNLessons
@testable import RNNView

/// A progress store in memory; `failing` makes every save throw, as a read-only state directory would.
final class MemoryProgress: ProgressStore {
    var saved: [Int: LessonRecord] = [:]
    var saves = 0
    var failing = false
    struct Failure: Error, CustomStringConvertible { var description: String { "read-only file system" } }

    func save(_ record: LessonRecord, lesson number: Int) throws {
        if failing { throw Failure() }
        saves += 1
        saved[number] = record
    }
}

func temporaryStateDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rnnscope-progress-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

@Suite("Progress: answers, furthest step and finished lessons kept between runs")
struct ProgressTests {
    func state(store: MemoryProgress, resumeStep: Int? = nil, record: LessonRecord? = nil) throws -> AppState {
        let (lesson, trace) = try viewerLesson()
        var session = LessonSession(playback: LessonPlayback(lesson: lesson, trace: trace), position: CoursePosition(number: 1, count: 11))
        if let record { session.playback.restore(record) }
        session.resumeStep = resumeStep
        if let record { session.resumeMode = record.furthestMode == "backward" ? .backward : .forward }
        var s = AppState(lesson: session, options: ViewOptions(colorMode: .monochrome))
        s.progressStore = store
        return s
    }

    @Test("the file lives in XDG_STATE_HOME, else ~/.local/state")
    func paths() {
        #expect(ProgressFile.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/rnnscope/progress.json")
        #expect(ProgressFile.defaultPath(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h"]) == "/h/.local/state/rnnscope/progress.json")
        #expect(ProgressFile.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/state/rnnscope/progress.json")
        #expect(ProgressFile.defaultPath(environment: [:]) == nil)
        #expect(CourseProgress.key(forLessonAt: "/x/lessons/01-what-an-rnn-is.md") == "01-what-an-rnn-is")
    }

    @Test("saved, then loaded as it was; the directory is created")
    func roundTrip() throws {
        let dir = try temporaryStateDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/rnnscope/progress.json"
        #expect(ProgressFile.load(path: path).progress == CourseProgress(), "no file yet: empty, no warning")
        #expect(ProgressFile.load(path: path).warning == nil)
        var progress = CourseProgress()
        progress.lessons["01-x"] = LessonRecord(answers: [.init(step: 1, mode: .forward, index: 0, choice: "b", correct: true)],
                                                furthestStep: 3, furthestMode: .backward, finished: true, questionCount: 2)
        try ProgressFile.save(progress, path: path)
        let (loaded, warning) = ProgressFile.load(path: path)
        #expect(warning == nil)
        #expect(loaded == progress)
        #expect(loaded.lessons["01-x"]?.score == "1/1 right")
    }

    @Test("a corrupt file is reported in one line, kept as progress.json.bad and replaced")
    func corrupt() throws {
        let dir = try temporaryStateDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/progress.json"
        try "{ not json".write(toFile: path, atomically: true, encoding: .utf8)
        let (progress, warning) = ProgressFile.load(path: path)
        #expect(progress == CourseProgress())
        let line = try #require(warning)
        #expect(!line.contains("\n"))
        #expect(line.contains("kept it as \(path).bad"), "\(line)")
        #expect(try String(contentsOfFile: path + ".bad", encoding: .utf8) == "{ not json")
        #expect(!FileManager.default.fileExists(atPath: path))
        try ProgressFile.save(CourseProgress(), path: path)
        #expect(ProgressFile.load(path: path).warning == nil, "the new file replaces it")
        // A directory where the file should be cannot be read either: set aside, never a crash.
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        #expect(ProgressFile.load(path: path).warning != nil)
    }

    @Test("a playback's record restores its answers")
    func recordAndRestore() throws {
        let (lesson, trace) = try viewerLesson()
        var playback = LessonPlayback(lesson: lesson, trace: trace)
        let id = try #require(playback.questionIDs.first)
        let reveal = try playback.answer(id, choice: "b")
        let record = playback.record(furthestStep: 2, furthestMode: .forward, reachedEnd: true)
        #expect(record.answers == [.init(step: id.step, mode: id.mode, index: 0, choice: "b", correct: reveal.isCorrect)])
        #expect(record.finished, "the end reached with every question answered")
        #expect(record.questionCount == 1)
        var fresh = LessonPlayback(lesson: lesson, trace: trace)
        #expect(fresh.restore(record) == 1)
        #expect(fresh.answers[id] == "b")
        // Answers to questions that are no longer in the lesson are skipped.
        var stale = record
        stale.answers.append(.init(step: 4, mode: .forward, index: 0, choice: "a", correct: false))
        stale.answers.append(.init(step: 0, mode: .forward, index: 0, choice: "z", correct: false))
        var other = LessonPlayback(lesson: lesson, trace: trace)
        #expect(other.restore(stale) == 1)
        #expect(!LessonPlayback(lesson: lesson, trace: trace).record(furthestStep: 6, furthestMode: .backward, reachedEnd: true).finished,
                "not finished while a question waits")
    }

    @Test("every answer is saved at once, with the furthest page; q saves and quits without asking")
    func savesOnAnswerAndQuit() throws {
        let store = MemoryProgress()
        var s = try state(store: store)
        s.applyRunningEffects(keymap(.character("2"), state: s)!)
        #expect(store.saves == 1)
        #expect(store.saved[1]?.answers.first?.choice == "b")
        #expect(store.saved[1]?.finished == false)
        s.applyRunningEffects(.stepForward)
        s.applyRunningEffects(.stepForward)
        s.applyRunningEffects(.stepBackward)
        s.applyRunningEffects(.quit)
        #expect(s.shouldQuit, "no confirmation: nothing is lost")
        #expect(store.saved[1]?.furthestStep == 2, "the furthest step, not the last one")
        // The end of the walk (t=0 backward) with every question answered: finished.
        var t = try state(store: store)
        t.applyRunningEffects(.answer("a"))
        t.applyRunningEffects(.lastStep)
        t.applyRunningEffects(.toggleMode)
        t.applyRunningEffects(.firstStep)
        t.applyRunningEffects(keymap(.escape, state: t)!)
        #expect(t.shouldQuit)
        #expect(store.saved[1]?.finished == true)
        #expect(store.saved[1]?.furthestMode == "backward")
    }

    @Test("reopened: at the furthest page, the answers revealed, a welcome back on the status line")
    func resumes() throws {
        let store = MemoryProgress()
        var first = try state(store: store)
        first.applyRunningEffects(.answer("c"))
        first.applyRunningEffects(.jump(4))
        first.applyRunningEffects(.quit)
        let record = try #require(store.saved[1])
        let s = try state(store: store, resumeStep: record.furthestStep, record: record)
        #expect(s.step == 4 && s.mode == .forward)
        #expect(s.lesson?.answers.values.first == "c")
        #expect(s.status?.text.contains("welcome back: 1 of 1 question answered") == true, "\(String(describing: s.status))")
        var back = s
        back.applyRunningEffects(.firstStep)
        #expect(back.narration?.questions.first?.reveal?.chosen == "c", "the answer is revealed, not asked again")
        back.applyRunningEffects(.quit)
        #expect(store.saved[1]?.furthestStep == 4, "going back does not lose the furthest step")
    }

    @Test("an answer and q ask for the save as an effect; the viewer quits on its outcome, not before")
    func savesAreEffects() throws {
        let store = MemoryProgress()
        var s = try state(store: store)
        let answered = s.apply(.answer("b"))
        guard answered.count == 1, case .saveProgress(let record, let lesson, _) = answered[0] else { Issue.record("\(answered)"); return }
        #expect(lesson == 1 && record.answers.first?.choice == "b")
        #expect(store.saves == 0, "apply writes nothing")
        let quit = s.apply(.quit)
        #expect(quit.count == 1)
        #expect(!s.shouldQuit, "not before the save's outcome")
        s.receive(quit[0].perform())
        #expect(store.saves == 1)
        #expect(s.shouldQuit)
    }

    @Test("when the progress cannot be saved, q asks once before the answers are lost")
    func failingSaveAsksOnce() throws {
        let store = MemoryProgress()
        store.failing = true
        var s = try state(store: store)
        s.applyRunningEffects(.quit)
        #expect(s.shouldQuit, "nothing answered yet: nothing to lose")
        var t = try state(store: store)
        t.applyRunningEffects(.answer("a"))
        #expect(t.status?.kind == .error)
        #expect(t.status?.text.contains("progress not saved: read-only file system") == true)
        t.applyRunningEffects(.quit)
        #expect(!t.shouldQuit)
        #expect(t.status?.text.contains("q again quits anyway") == true)
        t.applyRunningEffects(.stepForward)
        t.applyRunningEffects(.quit)
        #expect(!t.shouldQuit, "another key in between: asks again")
        t.applyRunningEffects(.quit)
        #expect(t.shouldQuit)
        // Saving works again: q quits at once.
        var u = try state(store: store)
        u.applyRunningEffects(.answer("a"))
        store.failing = false
        u.applyRunningEffects(.quit)
        #expect(u.shouldQuit)
        #expect(store.saved[1]?.answers.count == 1)
    }
}
