#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic writes through POSIX calls, so every failure becomes one line naming the
/// path and the system's reason (`No such file or directory`, `Is a directory`, …).
enum FileBytes {
    /// Reads stop here: rnnscope's models are small, and an endless source (`/dev/zero`, a runaway pipe)
    /// must end in a message, not in exhausted memory.
    static let maximumReadSize = 1 << 30

    static func read(_ path: String) throws(EngineError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw failure(path, "cannot open it") }
        defer { close(fd) }

        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure(path, "cannot read it") }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw EngineError.file(path: path, problem: "is a directory, not a model file") }

        var bytes: [UInt8] = []
        if info.st_size > 0 { bytes.reserveCapacity(min(Int(info.st_size), maximumReadSize)) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc_read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(path, "cannot read it")
            }
            if n == 0 { break }
            guard bytes.count + n <= maximumReadSize else {
                throw EngineError.file(path: path, problem: "is larger than 1 GiB; rnnscope reads only small models")
            }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    /// Writes `bytes` to a temporary file next to `path`, flushes it to disk, then renames it over `path`.
    /// On any failure the temporary file is removed and `path` is left as it was.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(EngineError) {
        let (directory, name) = split(path)
        let temporary = directory + ".\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            let reason = errnoText()
            throw EngineError.file(path: path, problem: "cannot write it (\(reason) in the directory \(directory.isEmpty ? "." : directory))")
        }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Glibc_write(fd, raw.baseAddress.map { $0 + written }, raw.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = errnoText()
                close(fd)
                throw EngineError.file(path: path, problem: "cannot write it (\(reason)); the old file, if any, is unchanged")
            }
            written += n
        }
        // Flush before the rename so that after a crash the name points at either the old or the new file.
        if fsync(fd) != 0 {
            let reason = errnoText()
            close(fd)
            throw EngineError.file(path: path, problem: "cannot write it (\(reason)); the old file, if any, is unchanged")
        }
        guard close(fd) == 0 else {
            throw failure(path, "cannot write it")
        }
        guard rename(temporary, path) == 0 else {
            throw failure(path, "cannot replace it")
        }
        ok = true
    }

    /// ("dir/", "name") — the directory keeps its trailing slash so joining is plain concatenation.
    private static func split(_ path: String) -> (String, String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }

    private static func failure(_ path: String, _ what: String) -> EngineError {
        .file(path: path, problem: "\(what) (\(errnoText()))")
    }

    private static func errnoText() -> String {
        guard let s = strerror(errno) else { return "error \(errno)" }
        return String(cString: s)
    }
}

// `read`/`write` are shadowed by instance names in some contexts; name the C functions explicitly.
@inline(__always) private func Glibc_read(_ fd: Int32, _ buf: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buf, count)
}

@inline(__always) private func Glibc_write(_ fd: Int32, _ buf: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buf, count)
}
