#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import RNNEngine
import RNNTrace

/// Every byte rnnscope prints goes through here, and every write is checked.
///
/// - Standard output that cannot take the text (a full disk, `/dev/full`, a closed descriptor) ends the
///   program with `rnnscope: cannot write to standard output: <reason>` on stderr and status 1, never a
///   silent exit 0 or a trap.
/// - A broken pipe (`rnnscope trace … | head`) ends it quietly with status 141 (128 + SIGPIPE), the status
///   a shell shows for any Unix tool killed by SIGPIPE: the reader has gone and wants no more, which is no
///   error to report. With SIGPIPE at its default action the kernel ends the process the same way before
///   the write returns; with SIGPIPE ignored by the parent, this gives the same result.
/// - Standard error is written the same way; when even that fails there is nobody left to tell.
enum Console {
    static let brokenPipeStatus: Int32 = 141

    /// Writes `text` to standard output as it is (the caller escapes file text it includes).
    static func out(_ text: String) {
        write(Array(text.utf8), to: 1)
    }

    /// Writes `bytes` to standard output (exported data).
    static func out(bytes: [UInt8]) {
        write(bytes, to: 1)
    }

    /// Writes what `produce` writes to standard output (an export written piece by piece), failing as `out` does.
    static func out(producing produce: (Int32) -> WriteFailure?) {
        guard let failure = produce(1) else { return }
        fail(failure, fd: 1)
    }

    /// Writes `text` to standard error with control characters escaped (newlines kept, so multi-line
    /// messages stay readable, and a carriage return is kept only when `progress` redraws a line).
    static func err(_ text: String, progress: Bool = false) {
        let safe = progress ? text : TerminalText.escaped(text, keepNewlines: true)
        write(Array(safe.utf8), to: 2)
    }

    /// Ends the process with `status` (C's `exit`: buffers flushed, no Swift trap).
    static func exit(_ status: Int32) -> Never {
        #if canImport(Darwin)
        Darwin.exit(status)
        #else
        Glibc.exit(status)
        #endif
    }

    private static func write(_ bytes: [UInt8], to fd: Int32) {
        guard let failure = writeAll(fd, bytes) else { return }
        fail(failure, fd: fd)
    }

    private static func fail(_ failure: WriteFailure, fd: Int32) -> Never {
        if failure.code == EPIPE { Console.exit(brokenPipeStatus) }
        if fd == 1 {
            _ = writeAll(2, Array("rnnscope: cannot write to standard output: \(failure)\n".utf8))
        }
        Console.exit(1)
    }
}
