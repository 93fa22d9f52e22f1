import Foundation
import RNNEngine
import Testing
@testable import RNNLessons

/// Lesson files through a counting twin of the disk: how often each path was read as text or loaded as a
/// model.
final class CountingFiles: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [String: Int] = [:]
    private var models: [String: Int] = [:]

    var files: LessonFiles {
        LessonFiles(
            readText: { path in
                self.lock.withLock { self.texts[path, default: 0] += 1 }
                return LessonFiles.disk.readText(path)
            },
            loadModel: { path throws(EngineError) in
                self.lock.withLock { self.models[path, default: 0] += 1 }
                return try LessonFiles.disk.loadModel(path)
            })
    }

    var textReads: [String: Int] { lock.withLock { texts } }
    var modelLoads: [String: Int] { lock.withLock { models } }
}

/// Parses of each narration text, told by `NarrationTemplate.parseObserver`.
final class CountingParses: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [String: Int] = [:]

    var observe: @Sendable (String) -> Void {
        { text in self.lock.withLock { self.texts[text, default: 0] += 1 } }
    }

    var counts: [String: Int] { lock.withLock { texts } }
}

@Suite("Opening a lesson reads each of its files once")
struct LessonLoadingTests {
    @Test("listing the course reads no lesson; opening lesson 10 reads its file, corpus and model once, and running it loads nothing more")
    func eachFileOnce() throws {
        let counting = CountingFiles()
        let course = try Course(directory: Fixture.lessonsDirectory)
        #expect(counting.textReads.isEmpty)
        let entry = try course.entry(number: 10)

        let compiled = try CompiledLesson.open(path: entry.path, files: counting.files)
        let directory = Fixture.lessonsDirectory
        #expect(counting.textReads == [entry.path: 1, directory + "/corpora/lighthouse-log.txt": 1], "\(counting.textReads)")
        #expect(counting.modelLoads == [directory + "/models/10-text-generation.safetensors": 1], "\(counting.modelLoads)")
        #expect(compiled.models.count == compiled.lesson.cells.count)

        let run = try compiled.run()
        #expect(run.primaryRun?.trace.steps.isEmpty == false)
        #expect(counting.modelLoads.values.allSatisfy { $0 == 1 }, "running loaded a model file again: \(counting.modelLoads)")
        #expect(counting.textReads.values.allSatisfy { $0 == 1 }, "running read a file again: \(counting.textReads)")
    }

    @Test("every narration text of a lesson is parsed by the parser, and playback resolves from those templates")
    func templatesParsedWithTheFile() throws {
        let compiled = try CompiledLesson.open(path: try Course(directory: Fixture.lessonsDirectory).entry(number: 3).path)
        let lesson = compiled.lesson
        #expect(!lesson.templateTexts.isEmpty)
        for text in lesson.templateTexts { #expect(lesson.templates[text] != nil, "not parsed with the file: \(text)") }
        // Not made by the fallback: the parser's own table is what the lesson keeps.
        #expect(Set(lesson.templates.keys) == Set(lesson.templateTexts))
    }

    @Test("opening each bundled lesson as the viewer does reads its files once and parses each narration text once", arguments: CourseInViewerTests.numbers)
    func eachLessonOpensReadingOnce(number: Int) throws {
        let opened = try CourseRuns.opened(number)
        let lesson = opened.session.playback.lesson
        #expect(opened.textReads[lesson.path] == 1, "lesson \(number): \(opened.textReads)")
        #expect(opened.textReads.values.allSatisfy { $0 == 1 }, "lesson \(number) read a file twice: \(opened.textReads)")
        #expect(opened.modelLoads.values.allSatisfy { $0 == 1 }, "lesson \(number) loaded a model twice: \(opened.modelLoads)")
        if let files = lesson.model.files { #expect(opened.modelLoads.count == Set(files).count, "lesson \(number): \(opened.modelLoads)") }
        // Every text of the lesson was parsed, each once (the same text in two places is one template).
        #expect(Set(opened.templateParses.keys) == Set(lesson.templateTexts), "lesson \(number)")
        let twice = opened.templateParses.filter { $0.value > 1 }
        #expect(twice.isEmpty, "lesson \(number) parsed narration more than once: \(twice.values.sorted())")
    }

    @Test("a number with no lesson, and a broken file, are one-line problems from the lessons layer")
    func problems() throws {
        let course = try Course(directory: Fixture.lessonsDirectory)
        #expect(throws: LessonLoadError.self) { try course.entry(number: 99) }
        do {
            _ = try course.entry(number: 99)
        } catch {
            #expect(error.oneLine(validate: "v").contains("there is no lesson 99: expected one of 1, 2"), "\(error)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rnnscope-load-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("01-broken.md").path
        try "---\ntitle: Broken\n---\n".write(toFile: file, atomically: true, encoding: .utf8)
        do {
            _ = try CompiledLesson.open(path: file)
            Issue.record("a broken lesson opened")
        } catch {
            let line = error.oneLine(validate: "rnnscope lesson validate \(file)")
            #expect(line.hasPrefix(file + ":"), "\(line)")
            #expect(line.contains("more: rnnscope lesson validate"), "\(line)")
            #expect(!line.contains("\n"))
        }
    }
}
