#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files the safe way for every layer above the engine: to a temporary file beside the target,
/// then renamed over it, so a user's file is never left half-written.
public enum AtomicWrite {
    public static func write(_ bytes: [UInt8], to path: String) throws(EngineError) {
        try OutputDestination(path).write(bytes)
    }

    /// Writes what `produce` writes to the descriptor it is given (see `OutputDestination.write(producing:)`).
    public static func write(to path: String, producing produce: (Int32) -> WriteFailure?) throws(EngineError) {
        try OutputDestination(path).write(producing: produce)
    }
}

/// Where an `-o PATH` goes, checked before any long work, so that a run is never lost at the end and no
/// input is ever overwritten.
///
/// - A regular file (or a new name) is written atomically: a temporary file beside it, flushed, then
///   renamed over it. An existing file keeps its permission mode (0600 stays 0600); a read-only file is
///   refused, as the shell's `>` would.
/// - A symbolic link is written *through*: the file it points at is replaced and the link is kept
///   (replacing the link itself would silently cut it from what it pointed at, e.g. a dotfile kept in a
///   repository, or `/dev/stdout`).
/// - A character device, FIFO or socket (`/dev/null`, a named pipe, a terminal) is opened and written
///   directly: such a node is never replaced by a regular file.
/// - The file behind our own standard output or error (`-o /dev/stdout`, `/proc/self/fd/1`, or the very
///   file stdout is redirected to) is written through that descriptor.
/// - A directory, a missing or unwritable directory, or any input of the command (same device and
///   inode, so hard links and other spellings count) is refused with one line.
public struct OutputDestination: Sendable {
    enum Kind: Sendable {
        /// Atomic replace of `target`; `mode` is the existing file's permission bits, if any.
        case regular(mode: mode_t?, owner: (uid_t, gid_t)?)
        /// Open and write in place (devices, FIFOs, sockets).
        case stream
        /// One of our own standard descriptors.
        case descriptor(Int32)
    }

    /// The path as the user gave it (for messages).
    public let path: String
    /// The file actually written: `path` with symbolic links followed.
    public let target: String
    let kind: Kind

    /// Checks `path` as an output that must not be any of `inputs` (pairs of option name and path, e.g.
    /// `("--model", "m.safetensors")`).
    public init(_ path: String, inputs: [(option: String, path: String)] = []) throws(EngineError) {
        self.path = path
        guard !path.isEmpty else { throw EngineError.file(path: path, problem: "an empty output path") }
        target = try OutputDestination.followLinks(path)
        var info = stat()
        let exists = stat(path, &info) == 0
        if exists {
            for input in inputs {
                var other = stat()
                if stat(input.path, &other) == 0, other.st_dev == info.st_dev, other.st_ino == info.st_ino {
                    throw EngineError.invalidArgument("-o \(path) is the same file as \(input.option) \(input.path): refusing to overwrite an input; choose another output file")
                }
            }
        }
        for fd: Int32 in [1, 2] where exists {
            var own = stat()
            if fstat(fd, &own) == 0, own.st_dev == info.st_dev, own.st_ino == info.st_ino {
                kind = .descriptor(fd)
                return
            }
        }
        let type = info.st_mode & S_IFMT
        if exists && type == S_IFDIR { throw EngineError.file(path: path, problem: "is a directory: give a file name") }
        if exists && (type == S_IFCHR || type == S_IFIFO || type == S_IFSOCK || type == S_IFBLK) {
            guard type != S_IFBLK else { throw EngineError.file(path: path, problem: "is a block device: refusing to write to it") }
            kind = .stream
            return
        }
        let directory = OutputDestination.directory(of: target)
        var dirInfo = stat()
        guard stat(directory, &dirInfo) == 0 else {
            throw EngineError.file(path: path, problem: "cannot write it (No such file or directory in the directory \(directory))")
        }
        guard (dirInfo.st_mode & S_IFMT) == S_IFDIR else {
            throw EngineError.file(path: path, problem: "cannot write it (\(directory) is not a directory)")
        }
        // A probe file, created and removed at once, answers "can the temporary file be made there?" for
        // every reason (permissions, a read-only file system, /proc), also for root, before any long work.
        let probe = directory + "/.rnnscope-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let probeFD = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard probeFD >= 0 else {
            throw EngineError.file(path: path, problem: "cannot write it (\(errnoText()) in the directory \(directory))")
        }
        close(probeFD)
        unlink(probe)
        if exists {
            guard faccessat(AT_FDCWD, target, W_OK, AT_EACCESS) == 0 else {
                throw EngineError.file(path: path, problem: "cannot write it (\(errnoText())); the file is read-only")
            }
            kind = .regular(mode: info.st_mode & 0o7777, owner: (info.st_uid, info.st_gid))
        } else {
            kind = .regular(mode: nil, owner: nil)
        }
    }

    /// Writes `bytes`: atomically for regular files, directly for devices, FIFOs and our own stdout/stderr.
    public func write(_ bytes: [UInt8]) throws(EngineError) {
        try write { writeAll($0, bytes) }
    }

    /// Writes whatever `produce` writes to the descriptor it is given, piece by piece (an export too large
    /// to hold whole), with the same guarantees as `write(_:)`. `produce` returns nil, or why it failed.
    public func write(producing produce: (Int32) -> WriteFailure?) throws(EngineError) {
        switch kind {
        case .descriptor(let fd):
            if let reason = produce(fd) { throw EngineError.file(path: path, problem: "cannot write it (\(reason))") }
        case .stream:
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw EngineError.file(path: path, problem: "cannot open it for writing (\(errnoText()))") }
            defer { close(fd) }
            if let reason = produce(fd) { throw EngineError.file(path: path, problem: "cannot write it (\(reason))") }
        case .regular(let mode, let owner):
            try writeAtomically(produce, mode: mode, owner: owner)
        }
    }

    private func writeAtomically(_ produce: (Int32) -> WriteFailure?, mode: mode_t?, owner: (uid_t, gid_t)?) throws(EngineError) {
        let directory = OutputDestination.directory(of: target)
        let name = target.split(separator: "/").last.map(String.init) ?? target
        let temporary = (target.contains("/") ? directory + "/" : "") + ".\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        // The guard is armed before the file exists, so that no signal can fall between the two.
        TemporaryFileGuard.begin(temporary)
        var created = false, ok = false
        defer {
            if created && !ok { unlink(temporary) }
            TemporaryFileGuard.end()
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode ?? 0o644)
        created = fd >= 0
        guard fd >= 0 else {
            throw EngineError.file(path: path, problem: "cannot write it (\(errnoText()) in the directory \(directory))")
        }
        // open() applies the umask: set the old file's exact mode (and, when we may, its owner).
        if let mode { _ = fchmod(fd, mode) }
        if let owner, geteuid() == 0 { _ = fchown(fd, owner.0, owner.1) }
        if let reason = produce(fd) {
            close(fd)
            throw EngineError.file(path: path, problem: "cannot write it (\(reason)); the old file, if any, is unchanged")
        }
        // Flush before the rename so that after a crash the name points at either the old or the new file.
        if fsync(fd) != 0 {
            let reason = errnoText()
            close(fd)
            throw EngineError.file(path: path, problem: "cannot write it (\(reason)); the old file, if any, is unchanged")
        }
        guard close(fd) == 0 else { throw EngineError.file(path: path, problem: "cannot write it (\(errnoText()))") }
        guard rename(temporary, target) == 0 else {
            throw EngineError.file(path: path, problem: "cannot replace it (\(errnoText()))")
        }
        ok = true
    }

    /// `path` with every symbolic link in its last component followed (at most 40, like the kernel).
    /// A dangling link resolves to the missing file it names, which is then created.
    static func followLinks(_ path: String) throws(EngineError) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n > 0 else { throw EngineError.file(path: path, problem: "cannot read the symbolic link (\(errnoText()))") }
            let link = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : (current.contains("/") ? directory(of: current) + "/" + link : link)
        }
        throw EngineError.file(path: path, problem: "too many levels of symbolic links")
    }

    /// The directory holding `path` ("." for a bare name).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }
}

/// Why a write failed: the `errno` value and the system's text for it.
public struct WriteFailure: Error, Sendable, CustomStringConvertible {
    public let code: Int32
    public let description: String
}

/// Writes every byte to `fd`, retrying short writes and EINTR; nil on success.
public func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> WriteFailure? {
    var written = 0
    while written < bytes.count {
        let n = bytes.withUnsafeBytes { raw in
            Glibc_write_all(fd, raw.baseAddress.map { $0 + written }, raw.count - written)
        }
        if n < 0 {
            if errno == EINTR { continue }
            let code = errno
            return WriteFailure(code: code, description: errnoText())
        }
        if n == 0 { return WriteFailure(code: EIO, description: "nothing written") }
        written += n
    }
    return nil
}

private func errnoText() -> String {
    guard let s = strerror(errno) else { return "error \(errno)" }
    return String(cString: s)
}

@inline(__always) private func Glibc_write_all(_ fd: Int32, _ buf: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buf, count)
}

/// While a temporary file is being written, SIGINT, SIGTERM and SIGHUP remove it before the process
/// ends, so an interrupted export leaves nothing behind. Only signals whose action is the default
/// (terminate) are taken over: a program that handles them itself (the terminal viewer) keeps its
/// handler, finishes the write and removes the file on its own failure path.
enum TemporaryFileGuard {
    nonisolated(unsafe) static var path: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static var saved: [(Int32, sigaction)] = []
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    static func begin(_ temporary: String) {
        path = strdup(temporary)
        saved = []
        for sig in signals {
            var old = sigaction()
            guard sigaction(sig, nil, &old) == 0, isDefault(old) else { continue }
            var action = sigaction()
            #if canImport(Darwin)
            action.__sigaction_u.__sa_handler = removeTemporaryAndDie
            #else
            action.__sigaction_handler.sa_handler = removeTemporaryAndDie
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            if sigaction(sig, &action, nil) == 0 { saved.append((sig, old)) }
        }
    }

    static func end() {
        for (sig, old) in saved {
            var o = old
            sigaction(sig, &o, nil)
        }
        saved = []
        let p = path
        path = nil
        free(p)
    }

    private static func isDefault(_ action: sigaction) -> Bool {
        #if canImport(Darwin)
        let handler = unsafeBitCast(action.__sigaction_u.__sa_handler, to: Int.self)
        #else
        let handler = unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
        #endif
        return handler == 0 // SIG_DFL
    }
}

private func removeTemporaryAndDie(_ sig: Int32) {
    if let p = TemporaryFileGuard.path { unlink(p) }
    signal(sig, SIG_DFL)
    raise(sig)
}
