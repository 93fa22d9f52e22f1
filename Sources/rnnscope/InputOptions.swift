import ArgumentParser
import Foundation
import RNNEngine
import RNNTrace

/// The input sequence: `--text` or `--text-file` (`-` for standard input).
struct InputOptions: ParsableArguments {
    @Option(name: .long, help: "The input sequence, e.g. \"I love AI\".")
    var text: String?

    @Option(name: .customLong("text-file"), help: "Read the input sequence from this UTF-8 file (- for standard input).",
            completion: .file())
    var textFile: String?

    func validate() throws {
        if text != nil && textFile != nil { throw ValidationError("give either --text or --text-file, not both") }
    }

    /// The text to read, or nil when neither option was given.
    func load() throws -> String? {
        if let text { return text }
        guard let textFile else { return nil }
        return try readTextFile(textFile)
    }
}

/// Reads UTF-8 text from a file, or from standard input for `-`, with a one-line error naming the file and
/// the problem. Pipes and FIFOs (`/dev/stdin`, `<(…)`) are read like files.
func readTextFile(_ path: String) throws -> String {
    let handle: FileHandle
    if path == "-" {
        handle = FileHandle.standardInput
    } else {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CLIError("\(path): no such file")
        }
        if isDirectory.boolValue { throw CLIError("\(path): is a directory, not a text file") }
        guard let opened = FileHandle(forReadingAtPath: path) else { throw CLIError("\(path): cannot open it (permission denied?)") }
        handle = opened
    }
    let name = path == "-" ? "standard input" : path
    let data: Data
    do {
        data = try handle.readToEnd() ?? Data()
    } catch {
        throw CLIError("\(name): cannot read it (\(error.localizedDescription))")
    }
    guard let text = String(data: data, encoding: .utf8) else { throw CLIError("\(name): is not UTF-8 text") }
    return text
}

/// Refuses, before any of the work, a run of `model` over `text` whose recording would not fit in this
/// machine's memory (see `TraceMemory`): a clear message instead of a crash in the allocator after minutes.
func checkMemory(_ model: RNNModel, text: String, use: TraceMemory.Use) throws {
    let steps = model.tokenizer.tokenize(text).count
    if let refusal = TraceMemory(model: model, steps: steps, use: use).refusal { throw CLIError(refusal) }
}

/// Loads a model file with a one-line error.
func loadModel(_ path: String) throws -> RNNModel {
    try cli { try RNNModel.load(contentsOf: path) }
}

/// Checks an `-o` destination before any long work (see `OutputDestination`): nil means standard output
/// (no `-o`, or `-o -`). `inputs` are the files the command reads, which the output must not be.
func outputDestination(_ path: String?, inputs: [(option: String, path: String?)]) throws -> OutputDestination? {
    guard let path, path != "-" else { return nil }
    return try cli { try OutputDestination(path, inputs: inputs.compactMap { i in i.path.map { (i.option, $0) } }) }
}

/// Writes bytes to the checked destination, or to standard output when it is nil.
func writeOutput(_ bytes: [UInt8], to destination: OutputDestination?) throws {
    guard let destination else {
        Console.out(bytes: bytes)
        return
    }
    try cli { try destination.write(bytes) }
}

/// Writes a recording in `format`, streamed, to the checked destination (atomically for a file) or to
/// standard output when it is nil.
func writeOutput(_ recording: Recording, as format: TraceFormat, to destination: OutputDestination?) throws {
    guard let destination else {
        Console.out { recording.write(as: format, toDescriptor: $0) }
        return
    }
    try cli { try destination.write { recording.write(as: format, toDescriptor: $0) } }
}

/// Standard error, for progress and messages that must not mix with exported data on stdout.
func printError(_ message: String, terminator: String = "\n") {
    Console.err(message + terminator)
}
