import RNNTrace

/// One problem found in a lesson file: where it is and what was wrong / what was expected.
public struct LessonProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based line, or nil for problems of the whole file (missing, empty, too large).
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message` (or `file: message`), the form compilers use, so editors can jump to it. Always
    /// one line: control characters in the path or the message (a file named "a\nb", a CR inside a quoted
    /// value) are shown escaped.
    public var description: String {
        let text = line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
        return TerminalText.escaped(text)
    }

    /// A problem whose file is added later.
    public struct Located: Equatable, Sendable {
        public var line: Int?
        public var message: String
        public init(line: Int?, message: String) {
            self.line = line
            self.message = message
        }
    }
}

/// A lesson file that could not be loaded, with every problem found in it.
public struct LessonLoadError: Error, Equatable, Sendable, CustomStringConvertible {
    public var problems: [LessonProblem]
    public init(problems: [LessonProblem]) { self.problems = problems }
    /// One problem per line.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
