import Foundation

/// Reads a lesson file as text, refusing what is not a lesson before parsing: a missing file, a file
/// above the size limit, an empty file, a binary file, invalid UTF-8.
public enum LessonFileReader {
    /// Lesson files are prose: 1 MB is far more than any lesson needs, and keeps a wrong file from
    /// being read whole.
    public static let maximumFileSize = 1_000_000

    /// The file's text, or the one problem that stops it from being read.
    public static func read(path: String) -> Result<String, LessonProblem> {
        func fail(_ line: Int?, _ message: String) -> Result<String, LessonProblem> {
            .failure(LessonProblem(file: path, line: line, message: message))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return fail(nil, "no such file: expected the path of a lesson .md file")
        }
        guard !isDirectory.boolValue else {
            return fail(nil, "is a directory: expected a lesson .md file")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        if size > maximumFileSize {
            return fail(nil, "the file is \(megabytes(size)); lesson files are limited to \(megabytes(maximumFileSize)): expected a Markdown lesson (models belong in lessons/models/)")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return fail(nil, "cannot be read (permission denied?): expected a readable lesson file")
        }
        defer { try? handle.close() }
        // Read at most one byte past the limit, in case the file grew since it was measured.
        let data = (try? handle.read(upToCount: maximumFileSize + 1)) ?? Data()
        if data.count > maximumFileSize {
            return fail(nil, "the file is larger than \(megabytes(maximumFileSize)): expected a Markdown lesson")
        }
        return decode([UInt8](data), path: path)
    }

    /// Checks bytes for emptiness, NUL bytes and UTF-8 validity, naming the line of the first bad byte.
    public static func decode(_ bytes: [UInt8], path: String) -> Result<String, LessonProblem> {
        func fail(_ line: Int?, _ message: String) -> Result<String, LessonProblem> {
            .failure(LessonProblem(file: path, line: line, message: message))
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return fail(nil, "the file is empty: expected a lesson (a front matter block between --- lines, then ## step sections)")
        }
        if let nul = bytes.firstIndex(of: 0) {
            return fail(lineNumber(of: nul, in: bytes), "binary data (a NUL byte): expected a UTF-8 Markdown text file")
        }
        if let bad = firstInvalidUTF8(bytes) {
            let line = lineNumber(of: bad, in: bytes)
            let lineStart = bytes[..<bad].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            return fail(line, "invalid UTF-8 (byte 0x\(String(bytes[bad], radix: 16, uppercase: true)) at byte \(bad - lineStart + 1) of the line): expected the file saved as UTF-8")
        }
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }  // a byte-order mark some editors add
        return .success(text)
    }

    private static func lineNumber(of offset: Int, in bytes: [UInt8]) -> Int {
        bytes[..<offset].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    private static func megabytes(_ n: Int) -> String {
        let mb = Double(n) / 1_000_000
        return mb >= 10 ? "\(Int(mb.rounded())) MB" : String(format: "%.1f MB", mb)
    }

    /// Offset of the first byte that does not start or continue a valid UTF-8 sequence (RFC 3629:
    /// no overlong forms, no surrogates, nothing above U+10FFFF); nil when all is valid.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch b {
            case 0x00...0x7F: i += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return i
            }
            guard i + length <= bytes.count else { return i }
            let second = bytes[i + 1]
            guard second >= low && second <= high else { return i }
            for k in 2..<max(2, length) where bytes[i + k] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }
}
