import Foundation

/// The bundled course: the lesson files `NN-name.md` in the lessons directory, in number order.
public struct Course: Sendable {
    /// One lesson file of the course.
    public struct Entry: Equatable, Sendable {
        public var number: Int
        public var path: String
    }

    public var directory: String
    public var entries: [Entry]

    /// Lists `directory`'s `NN-*.md` files (README.md and others are not lessons). No file is read: a
    /// lesson is read when it is opened (or its heading is asked for).
    public init(directory: String) throws(LessonLoadError) {
        self.directory = directory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw LessonLoadError(problems: [LessonProblem(file: directory, line: nil, message: "cannot list the lessons directory: expected a folder of NN-name.md lessons")])
        }
        entries = names.compactMap { name -> Entry? in
            guard name.hasSuffix(".md"), let number = Int(name.prefix { $0.isNumber }), name.first?.isNumber == true else { return nil }
            return Entry(number: number, path: directory + "/" + name)
        }.sorted { ($0.number, $0.path) < ($1.number, $1.path) }
    }

    /// The entry of lesson `number` (as its file name numbers it), or the one problem saying which exist.
    public func entry(number: Int) throws(LessonLoadError) -> Entry {
        guard let entry = entries.first(where: { $0.number == number }) else {
            let numbers = entries.map { String($0.number) }.joined(separator: ", ")
            throw LessonLoadError(problems: [LessonProblem(file: directory, line: nil, message: "there is no lesson \(number): expected one of \(numbers.isEmpty ? "(none found)" : numbers)")])
        }
        return entry
    }

    /// Title and summary from the front matter, for listing the course (the file name when the file has
    /// problems).
    public func heading(of entry: Entry, files: LessonFiles = .disk) -> (title: String, summary: String) {
        let name = (entry.path as NSString).lastPathComponent
        guard case .success(let text) = files.readText(entry.path) else { return (name, "") }
        let draft = LessonParser.parse(text, path: entry.path).0
        return (draft.title ?? name, draft.summary ?? "")
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

/// Finds a lesson for the CLI and the TUI: by course number or by file path.
public enum LessonLoader {
    /// Whether a lesson argument is a course number (`3`, `03`) rather than a path.
    public static func isNumber(_ argument: String) -> Bool {
        Int(argument) != nil && !argument.contains("/") && !argument.hasSuffix(".md")
    }

    /// The file path a lesson argument names: a number is looked up in the course in `directory`.
    public static func path(for argument: String, directory: String?) throws(LessonLoadError) -> String {
        guard isNumber(argument), let number = Int(argument) else { return argument }
        guard let directory else {
            throw LessonLoadError(problems: [LessonProblem(file: argument, line: nil, message: "no lessons directory found: expected ./lessons, PREFIX/share/rnnscope/lessons next to PREFIX/bin/rnnscope, or set RNNSCOPE_LESSONS")])
        }
        return try Course(directory: directory).entry(number: number).path
    }
}
