import Foundation
import RNNEngine
import RNNTrace
import RNNView

/// The `e` key for a replayed trace file: exports still work without a model.
public struct ReplayTraceSource: TraceSource {
    public let name: String
    public var exportDirectory: String = FileManager.default.currentDirectoryPath

    public init(name: String) { self.name = name }

    public func trace(for text: String) throws -> Recording {
        throw UserError("editing the input needs a model: open it with `rnnscope view --model FILE`")
    }

    public func comparison(for text: String) throws -> [Recording] {
        throw UserError("comparing cells needs a model: open it with `rnnscope view --model FILE`")
    }

    public func export(_ trace: Recording) throws -> String {
        try exportTrace(trace, directory: exportDirectory, stem: name)
    }
}

/// Writes `rnnscope-<stem>-<n>.trace.json` in `directory`, never replacing an existing file; returns its path.
func exportTrace(_ trace: Recording, directory: String, stem: String) throws -> String {
    let base = stem.replacingOccurrences(of: ".safetensors", with: "").replacingOccurrences(of: ".trace.json", with: "")
        .map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" }
    var n = 1
    var path: String
    repeat {
        path = (directory as NSString).appendingPathComponent("rnnscope-\(String(base))-\(n).trace.json")
        n += 1
    } while FileManager.default.fileExists(atPath: path)
    try AtomicWrite.write(to: path) { trace.write(as: .json, toDescriptor: $0) }
    return path
}
