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

    /// Writes `bytes` atomically, with every check of `OutputDestination` (links, devices, mode, inputs).
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(EngineError) {
        try OutputDestination(path).write(bytes)
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

