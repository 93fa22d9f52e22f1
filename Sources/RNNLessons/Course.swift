import Foundation

/// The bundled course: the lesson files `NN-name.md` in the lessons directory, in number order.
public struct Course: Sendable {
    /// One lesson file of the course, read far enough to list it.
    public struct Entry: Equatable, Sendable {
        public var number: Int
        public var path: String
        /// Title and summary from the front matter (the file name when the file has problems).
        public var title: String
        public var summary: String
    }

    public var directory: String
    public var entries: [Entry]

    /// Lists `directory`'s `NN-*.md` files (README.md and others are not lessons).
    public init(directory: String) throws(LessonLoadError) {
        self.directory = directory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw LessonLoadError(problems: [LessonProblem(file: directory, line: nil, message: "cannot list the lessons directory: expected a folder of NN-name.md lessons")])
        }
        entries = names.compactMap { name -> Entry? in
            guard name.hasSuffix(".md"), let number = Int(name.prefix { $0.isNumber }), name.first?.isNumber == true else { return nil }
            let path = directory + "/" + name
            var title = name, summary = ""
            if case .success(let text) = LessonFileReader.read(path: path) {
                let draft = LessonParser.parse(text, path: path).0
                title = draft.title ?? name
                summary = draft.summary ?? ""
            }
            return Entry(number: number, path: path, title: title, summary: summary)
        }.sorted { ($0.number, $0.path) < ($1.number, $1.path) }
    }

    /// Where the course lives: `$RNNSCOPE_LESSONS`, else `./lessons`, else a `lessons` or
    /// `share/rnnscope/lessons` folder next to the executable or in one of its parent folders (a SwiftPM
    /// build runs from `.build/debug/`; an installed one from `PREFIX/bin`, its course in `PREFIX/share`).
    public static func defaultDirectory(executablePath: String = runningExecutable()) -> String? {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["RNNSCOPE_LESSONS"], !env.isEmpty { return env }
        func isCourse(_ dir: String) -> Bool {
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: dir, isDirectory: &isDir) && isDir.boolValue
                && fm.fileExists(atPath: dir + "/README.md")
        }
        let cwd = fm.currentDirectoryPath + "/lessons"
        if isCourse(cwd) { return cwd }
        var dir = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            for sub in ["lessons", "share/rnnscope/lessons"] {
                let candidate = dir.appendingPathComponent(sub).path
                if isCourse(candidate) { return candidate }
            }
            dir.deleteLastPathComponent()
        }
        return nil
    }

    /// This program's file: `/proc/self/exe` on Linux, since `argv[0]` is a bare `rnnscope` when the shell
    /// found it through `$PATH`.
    public static func runningExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments.first ?? ""
    }
}

/// Loads a lesson for the CLI and the TUI: by course number or by file path.
public enum LessonLoader {
    /// `argument` is a lesson number (`3`, `03`) from `directory`, or a path to a lesson file.
    /// Throws every problem found, each as `file:line: …`.
    public static func load(_ argument: String, directory: String?) throws(LessonLoadError) -> Lesson {
        let path = try self.path(for: argument, directory: directory)
        let report = LessonValidator.validate(path: path)
        guard let lesson = report.lesson else { throw LessonLoadError(problems: report.problems) }
        return lesson
    }

    /// The file path a lesson argument names.
    public static func path(for argument: String, directory: String?) throws(LessonLoadError) -> String {
        guard let number = Int(argument), !argument.contains("/"), !argument.hasSuffix(".md") else { return argument }
        guard let directory else {
            throw LessonLoadError(problems: [LessonProblem(file: argument, line: nil, message: "no lessons directory found: expected ./lessons, PREFIX/share/rnnscope/lessons next to PREFIX/bin/rnnscope, or set RNNSCOPE_LESSONS")])
        }
        let course = try Course(directory: directory)
        guard let entry = course.entries.first(where: { $0.number == number }) else {
            let numbers = course.entries.map { String($0.number) }.joined(separator: ", ")
            throw LessonLoadError(problems: [LessonProblem(file: directory, line: nil, message: "there is no lesson \(number): expected one of \(numbers.isEmpty ? "(none found)" : numbers)")])
        }
        return entry.path
    }
}
