import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `-o` can never hurt an input, a link, a device node or a file's mode; output failures are reported.
@Suite("rnnscope -o targets and standard output")
struct OutputSafetyTests {
    let model = GoldenFiles.model("lstm_word_embed").path
    let corpusText = "I love AI and AI loves me . I love AI and AI loves me ."

    /// Runs a shell command line with "$0" the built binary (for redirections and pipes).
    func shell(_ script: String) throws -> CommandResult {
        try run("/bin/sh", ["-c", script, Paths.binary.path])
    }

    @Test func outputThatIsAnInputIsRefusedAndTheInputKept() throws {
        let dir = try Paths.temporaryDirectory()
        let m = dir.appendingPathComponent("m.safetensors")
        try FileManager.default.copyItem(atPath: model, toPath: m.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: m.path)
        let before = try Data(contentsOf: m)
        let r = try rnnscope("trace", "--model", m.path, "--text", "I love AI", "-o", m.path)
        #expect(r.status != 0)
        #expect(r.stderr.contains("is the same file as --model"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(try Data(contentsOf: m) == before)

        // The input text, under another name (a hard link): the same inode is refused too.
        let text = dir.appendingPathComponent("in.txt"), link = dir.appendingPathComponent("alias.txt")
        try "I love AI".write(to: text, atomically: true, encoding: .utf8)
        try FileManager.default.linkItem(at: text, to: link)
        let t = try rnnscope("trace", "--model", m.path, "--text-file", text.path, "-o", link.path)
        #expect(t.status != 0)
        #expect(t.stderr.contains("is the same file as --text-file"))
        #expect(try String(contentsOf: text, encoding: .utf8) == "I love AI")

        // train: the corpus is refused before any training.
        let corpus = dir.appendingPathComponent("c.txt")
        try corpusText.write(to: corpus, atomically: true, encoding: .utf8)
        let tr = try rnnscope("train", "--text-file", corpus.path, "--hidden", "4", "--epochs", "1", "-o", corpus.path)
        #expect(tr.status != 0)
        #expect(tr.stderr.contains("is the same file as --text-file"))
        #expect(!tr.stderr.contains("epoch"))
        #expect(try String(contentsOf: corpus, encoding: .utf8) == corpusText)
    }

    @Test func symlinksAreWrittenThroughAndKept() throws {
        let dir = try Paths.temporaryDirectory()
        let real = dir.appendingPathComponent("real.json"), link = dir.appendingPathComponent("link.json")
        try Data("old".utf8).write(to: real)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real.json")
        let r = try rnnscope("trace", "--model", model, "--text", "I love AI", "-o", link.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "real.json")
        #expect(try String(contentsOf: real, encoding: .utf8).contains("\"cell\":\"lstm\""))
    }

    @Test func aLinkToOurOwnStdoutWritesToThePipe() throws {
        // A link to /proc/self/fd/1 (what /dev/stdout is), kept in a temporary folder so that nothing of
        // the system's /dev is at risk: the trace must reach the pipe and the link must stay a link.
        let dir = try Paths.temporaryDirectory()
        let link = dir.appendingPathComponent("stdout")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "/proc/self/fd/1")
        let r = try shell("\"$0\" trace --model '\(model)' --text 'I love AI' -o '\(link.path)' | cat")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"cell\":\"lstm\""))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "/proc/self/fd/1")
        // The real /dev/stdout, with stdout a pipe: the data arrives, the node is untouched.
        let d = try shell("\"$0\" trace --model '\(model)' --text 'I love AI' -o /dev/stdout | cat")
        #expect(d.status == 0, "\(d.stderr)")
        #expect(d.stdout.contains("\"cell\":\"lstm\""))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/dev/stdout") == "/proc/self/fd/1")
    }

    @Test func fifosAndCharacterDevicesAreWrittenNotReplaced() throws {
        let dir = try Paths.temporaryDirectory()
        let fifo = dir.appendingPathComponent("pipe")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        // A reader that never blocks: the child's open for writing then succeeds at once.
        let reader = open(fifo.path, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        let r = try rnnscope("trace", "--model", model, "--text", "I love AI", "-o", fifo.path)
        #expect(r.status == 0, "\(r.stderr)")
        var info = stat()
        #expect(lstat(fifo.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(reader, &chunk, chunk.count)
            if n <= 0 { break }
            received += chunk[0..<n]
        }
        #expect(String(decoding: received, as: UTF8.self).contains("\"cell\":\"lstm\""))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["pipe"])

        // /dev/null: accepted and still a character device afterwards (checked only, never replaced).
        let n = try rnnscope("trace", "--model", model, "--text", "I love AI", "-o", "/dev/null")
        #expect(n.status == 0, "\(n.stderr)")
        #expect(lstat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
    }

    @Test func anExistingFileKeepsItsMode() throws {
        let dir = try Paths.temporaryDirectory()
        let out = dir.appendingPathComponent("private.json")
        try Data("old".utf8).write(to: out)
        #expect(chmod(out.path, 0o600) == 0)
        let r = try rnnscope("trace", "--model", model, "--text", "I love AI", "-o", out.path)
        #expect(r.status == 0, "\(r.stderr)")
        var info = stat()
        #expect(stat(out.path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(try String(contentsOf: out, encoding: .utf8).contains("\"cell\":\"lstm\""))
    }

    @Test func trainChecksTheDestinationBeforeTraining() throws {
        let dir = try Paths.temporaryDirectory()
        let corpus = dir.appendingPathComponent("c.txt")
        try corpusText.write(to: corpus, atomically: true, encoding: .utf8)
        // /proc refuses new files even for root; a directory is not a file name; a missing folder.
        for (out, message) in [("/proc/m.safetensors", "cannot write it"), (dir.path, "is a directory"),
                               (dir.appendingPathComponent("no/m.safetensors").path, "No such file or directory in the directory")] {
            let r = try rnnscope("train", "--text-file", corpus.path, "--hidden", "4", "--epochs", "3", "-o", out)
            #expect(r.status != 0)
            #expect(r.stderr.contains(message), "\(r.stderr)")
            #expect(!r.stderr.contains("epoch"), "trained before refusing: \(r.stderr)")
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace"), "needs strace to hold the write open"))
    func anInterruptedWriteLeavesNoTemporaryFile() throws {
        // strace delays the fsync of the temporary file by 3 s: a window in which SIGINT / SIGTERM reach
        // rnnscope with the temporary file written but not yet renamed, every time.
        let dir = try Paths.temporaryDirectory()
        for signal in [SIGINT, SIGTERM] {
            let out = dir.appendingPathComponent("t.json")
            let tracer = Process()
            // The test runner's threads block most signals and Foundation's Process passes that mask on:
            // python3 clears it before it starts strace, so the signals reach rnnscope as in a shell.
            tracer.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            tracer.arguments = ["python3", "-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])",
                                "/usr/bin/strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=fsync", "-e", "inject=fsync:delay_enter=3000000",
                                Paths.binary.path, "trace", "--model", model, "--text", "I love AI", "-o", out.path]
            tracer.standardOutput = FileHandle.nullDevice
            tracer.standardError = FileHandle.nullDevice
            try tracer.run()
            var child: Int32?
            let deadline = Date().addingTimeInterval(30)
            while tracer.isRunning && Date() < deadline {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
                let children = (try? String(contentsOfFile: "/proc/\(tracer.processIdentifier)/task/\(tracer.processIdentifier)/children", encoding: .utf8)) ?? ""
                if names.contains(where: { $0.contains(".tmp-") }), let pid = children.split(separator: " ").first.flatMap({ Int32($0) }) {
                    child = pid
                    kill(pid, signal)
                    break
                }
                usleep(1000)
            }
            tracer.waitUntilExit()
            try #require(child != nil, "strace could not run rnnscope (ptrace not permitted?)")
            #expect(tracer.terminationStatus == 128 + signal || tracer.terminationReason == .uncaughtSignal, "status \(tracer.terminationStatus)")
            let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            #expect(left.isEmpty, "after signal \(signal): \(left)")
        }
    }

    @Test func standardOutputFailuresAreReported() throws {
        for args in ["trace --model '\(model)' --text 'I love AI'", "sample --model '\(model)' --prime I --length 3",
                     "view --model '\(model)' --text 'I love AI' --plain", "lessons", "--help"] {
            let r = try shell("\"$0\" \(args) > /dev/full")
            #expect(r.status == 1, "\(args): status \(r.status), \(r.stderr)")
            #expect(r.stderr.contains("rnnscope: cannot write to standard output: No space left on device"), "\(args): \(r.stderr)")
            #expect(!r.stderr.contains("Fatal error"))
        }
    }

    @Test func aBrokenPipeEndsQuietlyWithStatus141() throws {
        let dir = try Paths.temporaryDirectory()
        let input = dir.appendingPathComponent("in.txt"), status = dir.appendingPathComponent("status")
        try Array(repeating: "I love AI", count: 3000).joined(separator: " ").write(to: input, atomically: true, encoding: .utf8)
        // SIGPIPE ignored (inherited from the shell): the write fails with EPIPE instead of killing us.
        let r = try shell("trap '' PIPE; { \"$0\" trace --model '\(model)' --text-file '\(input.path)'; echo $? > '\(status.path)'; } | head -c 10 > /dev/null")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        #expect(try String(contentsOf: status, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) == "141")
    }
}
