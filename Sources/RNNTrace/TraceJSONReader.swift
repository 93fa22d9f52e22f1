#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import RNNEngine

/// A trace file that cannot be shown, with the first problem found: `trace.json: step 4: target 999 is
/// outside the vocabulary (0…7)`.
public struct TraceFileError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let problem: String
    public var description: String { "\(file): \(problem)" }
}

/// Reads a trace file (JSON, schema version 1, as `rnnscope trace` writes it or the golden PyTorch traces
/// are) into a `Recording` in one pass, checking it as it goes so that everything the viewer indexes is
/// in range: format and version; sizes; every vector's length (x = input_size; h, h_prev, c, c_prev, gates
/// and gradients = hidden_size; logits and probs = the vocabulary, or 1 for regression); gate names per
/// cell (lstm i f g o, gru r z n, rnn_tanh and rnn_relu none); with `num_layers` ≥ 2, every step's
/// `layers`; `t` equal to the step's index; h_prev and c_prev equal to the previous step's h and c;
/// targets and token ids inside the vocabulary. Numbers may be NaN or infinite (a diverged run is exported
/// that way and the viewer marks it), except where they are sizes or indices.
///
/// The numbers go straight into the recording's flat buffers: no text, tree or second copy is held. The
/// steps are read once `cell`, `hidden_size`, `input_size` and `num_layers` are known: they come first in
/// every trace rnnscope writes, in the golden ones and in any written with sorted keys; a file with them
/// after `steps` is read a second time for its steps.
public enum TraceJSONReader {
    /// Upper bounds for a trace read from a file: at or far above anything rnnscope records, low enough that
    /// no size read from a file can make the viewer allocate or loop without end.
    public static let maximumHiddenSize = TrainingConfig.maximumHiddenSize
    public static let maximumInputSize = 1_000_000
    public static let maximumVocabularySize = 1_000_000
    public static let maximumLayers = 16

    /// Reads the trace file at `path` (named `name` in messages).
    public static func read(path: String, name: String? = nil) throws(TraceFileError) -> Recording {
        let label = name ?? path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw TraceFileError(file: label, problem: "cannot read it (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        return try read(name: label) {
            lseek(fd, 0, SEEK_SET)
            return JSONStream(descriptor: fd)
        }
    }

    /// Reads a trace held in memory.
    public static func read(bytes: [UInt8], name: String) throws(TraceFileError) -> Recording {
        try read(name: name) { JSONStream(bytes: bytes) }
    }

    /// `open` gives a stream from the start of the file (twice when the steps come before the sizes).
    static func read(name: String, open: () -> JSONStream) throws(TraceFileError) -> Recording {
        do throws(JSONStreamError) {
            var reader = TraceReading(open())
            return try reader.read(again: open)
        } catch {
            throw TraceFileError(file: name, problem: TerminalText.escaped(error.problem))
        }
    }
}

/// The state of one read: header values as they arrive, then the steps into flat buffers.
struct TraceReading {
    typealias Limits = TraceJSONReader
    let stream: JSONStream
    var format: String?, version: Int?, cell: CellKind?, task: ModelTask?, modelName: String?
    var inputSize: Int?, hiddenSize: Int?, numLayers: Int?
    var vocab: [String]?, tokens: [String]?, tokenIds: [Int]?, loss: Double?
    var stepCount: Int?
    var inputs: [Float] = []
    var layers: [LayerReading] = []
    var logits: [Float] = [], probabilities: [Float] = []
    /// The length of logits / probs at step 0, and the first step whose length differs from it.
    var outputLengths = OutputLengths()
    var targets: [Int?] = [], targetValues: [Double?] = [], stepLosses: [Double?] = []
    var parameterGradients: [ParameterGradient] = []
    var scratch: [Float] = []

    init(_ stream: JSONStream) {
        self.stream = stream
    }

    func problem(_ text: String) -> JSONStreamError { JSONStreamError(problem: text) }

    /// True when the steps came before the sizes they need: they are read in a second pass.
    var stepsDeferred = false

    mutating func read(again open: () -> JSONStream) throws(JSONStreamError) -> Recording {
        try stream.object { key throws(JSONStreamError) in try readTopLevel(key) }
        try stream.expectEnd()
        if stepsDeferred {
            guard cell != nil, hiddenSize != nil, inputSize != nil else { return try finish() }
            stepsDeferred = false
            stepCount = nil
            let second = open()
            try second.object { key throws(JSONStreamError) in
                if key == "steps" { try readSteps(from: second) } else { try second.skip() }
            }
        }
        return try finish()
    }

    private mutating func readTopLevel(_ key: String) throws(JSONStreamError) {
        switch key {
        case "format":
            let value = try stream.string()
            guard value == TraceJSONWriter.formatName else {
                throw problem("not an rnnscope trace (format \"\(String(value.prefix(40)))\", expected \"\(TraceJSONWriter.formatName)\")")
            }
            format = value
        case "version":
            let value = try stream.integer()
            guard value == TraceJSONWriter.version else {
                throw problem("trace format version \(value) is not one this rnnscope reads (version \(TraceJSONWriter.version))")
            }
            version = value
        case "cell":
            let value = try stream.string()
            guard let kind = CellKind(rawValue: value) else {
                throw problem("cell \"\(String(value.prefix(40)))\" is not one rnnscope shows (rnn_tanh, rnn_relu, lstm or gru)")
            }
            cell = kind
        case "task":
            let value = try stream.string()
            guard let parsed = ModelTask(rawValue: value) else {
                throw problem("task \"\(String(value.prefix(40)))\" is not classification or regression")
            }
            task = parsed
        case "model_name":
            modelName = try stream.null() ? nil : try stream.string()
        case "hidden_size":
            let value = try stream.integer()
            guard (1...Limits.maximumHiddenSize).contains(value) else {
                throw problem("hidden_size \(value) is outside 1…\(Limits.maximumHiddenSize)")
            }
            hiddenSize = value
        case "input_size":
            let value = try stream.integer()
            guard (1...Limits.maximumInputSize).contains(value) else {
                throw problem("input_size \(value) is outside 1…\(Limits.maximumInputSize)")
            }
            inputSize = value
        case "num_layers":
            let value = try stream.integer()
            guard (1...Limits.maximumLayers).contains(value) else {
                throw problem("num_layers \(value) is outside 1…\(Limits.maximumLayers)")
            }
            numLayers = value
            // Steps already read as one layer's: they are read again in a second pass.
            if stepCount != nil { stepsDeferred = true }
        case "vocab":
            let value = try stream.strings()
            guard value.count <= Limits.maximumVocabularySize else {
                throw problem("the vocabulary has \(value.count) entries, more than \(Limits.maximumVocabularySize)")
            }
            vocab = value
        case "tokens": tokens = try stream.strings()
        case "token_ids":
            var ids: [Int] = []
            try stream.array { _ throws(JSONStreamError) in ids.append(try stream.integer()) }
            tokenIds = ids
        case "loss": loss = try stream.null() ? nil : try stream.double()
        case "steps":
            guard stepCount == nil, !stepsDeferred else { throw problem("steps is given twice") }
            if cell == nil || hiddenSize == nil || inputSize == nil {
                stepsDeferred = true
                try stream.skip()
            } else {
                try readSteps(from: stream)
            }
        case "param_grads": try readParameterGradients()
        default: try stream.skip()
        }
    }

    private mutating func readSteps(from stream: JSONStream) throws(JSONStreamError) {
        layers = (0..<(numLayers ?? 1)).map { _ in LayerReading(cell: cell!, hiddenSize: hiddenSize!) }
        inputs = []
        logits = []
        probabilities = []
        outputLengths = OutputLengths()
        targets = []
        targetValues = []
        stepLosses = []
        var count = 0
        try stream.array { i throws(JSONStreamError) in
            try readStep(i, from: stream)
            count += 1
        }
        stepCount = count
    }

    private mutating func readStep(_ i: Int, from stream: JSONStream) throws(JSONStreamError) {
        func bad(_ what: String) -> JSONStreamError { problem("step \(i): \(what)") }
        let stacked = layers.count > 1
        var seen = Set<String>()
        var target: Int?, loss: Double?, targetValue: Double?
        var layerEntries = 0
        for k in layers.indices { layers[k].beginStep(i) }
        try stream.object { key throws(JSONStreamError) in
            guard seen.insert(key).inserted else { throw bad("\(key) is given twice") }
            switch key {
            case "t":
                let t = try stream.integer()
                guard t == i else { throw bad("t is \(t), expected \(i) (steps are numbered from 0 in order)") }
            case "token": _ = try stream.string()
            case "target": target = try stream.null() ? nil : try stream.integer()
            case "loss": loss = try stream.null() ? nil : try stream.double()
            case "target_value": targetValue = try stream.null() ? nil : try stream.double()
            case "x":
                let n = try stream.floats(into: &inputs)
                guard n == inputSize! else { throw bad("x has \(n) numbers, expected \(inputSize!) (input_size)") }
            case "logits": outputLengths.note(logits: try stream.floats(into: &logits), at: i)
            case "probs": outputLengths.note(probs: try stream.floats(into: &probabilities), at: i)
            case "layers" where stacked:
                try stream.array { k throws(JSONStreamError) in
                    guard k < layers.count else { throw bad("layers has more than \(layers.count) entries (num_layers)") }
                    do throws(JSONStreamError) {
                        try stream.object { field throws(JSONStreamError) in try layers[k].read(field, from: stream, scratch: &scratch) }
                        try layers[k].endStep()
                    } catch {
                        throw bad("layers[\(k)]: \(error.problem)")
                    }
                    layerEntries += 1
                }
            case _ where !stacked && LayerReading.fields.contains(key):
                do throws(JSONStreamError) { try layers[0].read(key, from: stream, scratch: &scratch) } catch { throw bad(error.problem) }
            default:
                // The top-level copies of a stacked trace's top layer are read from `layers`.
                try stream.skip()
            }
        }
        for required in ["t", "token", "x", "logits", "probs"] where !seen.contains(required) {
            throw bad("\(required) is missing")
        }
        if stacked {
            guard layerEntries == layers.count else {
                throw bad("layers has \(layerEntries) entries, expected \(layers.count) (num_layers)")
            }
        } else {
            do throws(JSONStreamError) { try layers[0].endStep() } catch { throw bad(error.problem) }
        }
        targets.append(target)
        stepLosses.append(loss)
        targetValues.append(targetValue)
    }

    private mutating func readParameterGradients() throws(JSONStreamError) {
        try stream.object { name throws(JSONStreamError) in
            var values: [Float] = []
            if stream.peek() == UInt8(ascii: "[") {
                var rows = 0, columns: Int?
                try stream.array { row throws(JSONStreamError) in
                    if stream.peek() == UInt8(ascii: "[") {
                        let n = try stream.floats(into: &values)
                        if columns == nil { columns = n }
                        guard n == columns else {
                            throw problem("param_grads.\(String(name.prefix(40))): row \(row) has \(n) numbers, expected \(columns!)")
                        }
                    } else {
                        guard columns == nil else { throw problem("param_grads.\(String(name.prefix(40))): mixes numbers and rows") }
                        values.append(try stream.float())
                    }
                    rows += 1
                }
                parameterGradients.append(ParameterGradient(name: name, fileName: nil, rows: rows, columns: columns, values: values))
            } else {
                throw problem("param_grads.\(String(name.prefix(40))) is not a list of numbers or rows")
            }
        }
    }

    /// The checks that need the whole file, then the recording.
    private mutating func finish() throws(JSONStreamError) -> Recording {
        for (key, present) in [("format", format != nil), ("version", version != nil), ("cell", cell != nil),
                               ("hidden_size", hiddenSize != nil), ("input_size", inputSize != nil),
                               ("vocab", vocab != nil), ("tokens", tokens != nil), ("steps", stepCount != nil)] where !present {
            throw problem("not an rnnscope trace (missing \"\(key)\")")
        }
        let cell = cell!, task = task ?? .classification, vocab = vocab!, tokens = tokens!, steps = stepCount!
        let regression = task == .regression
        if !regression && vocab.isEmpty { throw problem("the vocabulary is empty") }
        guard steps > 0 else { throw problem("the trace has no steps") }
        guard tokens.count == steps else { throw problem("\(tokens.count) tokens for \(steps) steps") }
        let v = vocab.count
        let vocabRange = v > 0 ? "0…\(v - 1)" : "empty"
        let ids = tokenIds ?? []
        if !regression || !ids.isEmpty {
            guard ids.count == steps else { throw problem("\(ids.count) token_ids for \(steps) steps") }
        }
        for (i, id) in ids.enumerated() where !(0..<v).contains(id) {
            throw problem("token_ids[\(i)] = \(id) is outside the vocabulary (\(vocabRange))")
        }
        for (i, target) in targets.enumerated() {
            guard let target else { continue }
            guard !regression else { throw problem("step \(i): a regression trace has no token targets (target \(target))") }
            guard (0..<v).contains(target) else { throw problem("step \(i): target \(target) is outside the vocabulary (\(vocabRange))") }
        }
        let outputSize = regression ? 1 : v
        if let issue = outputLengths.problem(expected: outputSize, probsMayBeEmpty: regression,
                                              what: regression ? "one output for regression" : "vocabulary size") {
            throw problem(issue)
        }
        return Recording(
            cell: cell, task: task, modelName: modelName, inputSize: inputSize!, hiddenSize: hiddenSize!,
            outputSize: outputSize, vocab: vocab, tokens: tokens, tokenIds: ids, loss: loss, inputs: inputs,
            layers: layers.map { $0.recorded() }, logits: logits,
            probabilities: regression && outputLengths.probs == 0 ? [] : probabilities,
            targets: targets, targetValues: regression ? targetValues : [], stepLosses: stepLosses,
            parameterGradients: parameterGradients)
    }
}

/// How many logits and probs step 0 had, and the first step that had another number of them.
struct OutputLengths {
    var logits: Int?, probs: Int?
    var logitsOff: (step: Int, count: Int)?, probsOff: (step: Int, count: Int)?

    mutating func note(logits n: Int, at t: Int) {
        if logits == nil { logits = n } else if n != logits, logitsOff == nil { logitsOff = (t, n) }
    }

    mutating func note(probs n: Int, at t: Int) {
        if probs == nil { probs = n } else if n != probs, probsOff == nil { probsOff = (t, n) }
    }

    func problem(expected: Int, probsMayBeEmpty: Bool, what: String) -> String? {
        func check(_ name: String, _ first: Int?, _ off: (step: Int, count: Int)?, emptyOK: Bool) -> String? {
            guard let first else { return nil }
            if first != expected && !(emptyOK && first == 0) {
                return "step 0: \(name) has \(first) numbers, expected \(expected) (\(what))"
            }
            if let off { return "step \(off.step): \(name) has \(off.count) numbers, expected \(first == 0 ? 0 : expected) (\(what))" }
            return nil
        }
        return check("logits", logits, logitsOff, emptyOK: false) ?? check("probs", probs, probsOff, emptyOK: probsMayBeEmpty)
    }
}
