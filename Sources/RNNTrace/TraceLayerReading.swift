import RNNEngine

/// One recurrent layer's flat buffers, filled as the steps of a trace file arrive, with the per-step checks
/// of its fields (lengths, gate names, h_prev = the previous h, the same optional parts at every step).
struct LayerReading {
    /// The per-layer fields of a step (at the step's top level for a single-layer trace, in `layers` else).
    static let fields: Set<String> = ["h_prev", "h", "c_prev", "c", "gates", "preactivations", "grad"]

    let cell: CellKind
    let hiddenSize: Int
    var hidden: [Float] = [], cellState: [Float] = [], gates: [Float] = [], preactivations: [Float] = []
    var dHidden: [Float] = [], dCell: [Float] = [], dPreactivations: [Float] = [], norms: [Float] = []
    private var t = 0
    private var seen: Set<String> = []
    /// The optional parts step 0 had (pre-activations, gradients and their parts); every step must have the same.
    private var optionalAtStart: Set<String> = []
    private var optionalNow: Set<String> = []

    init(cell: CellKind, hiddenSize: Int) {
        self.cell = cell
        self.hiddenSize = hiddenSize
    }

    private func problem(_ text: String) -> JSONStreamError { JSONStreamError(problem: text) }

    // The readers below are static: a method of `self` given `&self.buffer` would read a copy of `self`
    // (exclusive access), and the buffer, shared with that copy, would be copied whole at every step.

    mutating func beginStep(_ step: Int) {
        t = step
        seen = []
        optionalNow = []
        // Row 0 of h and c is the state before step 0, filled in by step 0's h_prev and c_prev.
        if step == 0 {
            hidden = [Float](repeating: 0, count: hiddenSize)
            if cell.hasCellState { cellState = [Float](repeating: 0, count: hiddenSize) }
        }
    }

    mutating func read(_ field: String, from stream: JSONStream, scratch: inout [Float]) throws(JSONStreamError) {
        guard seen.insert(field).inserted else { throw problem("\(field) is given twice") }
        switch field {
        case "h": try Self.append(stream, "h", hiddenSize, to: &hidden, scratch: &scratch)
        case "h_prev": try Self.previous(stream, "h_prev", "h", hiddenSize, step: t, in: &hidden, scratch: &scratch)
        case "c", "c_prev":
            guard cell.hasCellState else { throw problem("c/c_prev are given, but only an LSTM has a cell state") }
            if field == "c" { try Self.append(stream, "c", hiddenSize, to: &cellState, scratch: &scratch) } else {
                try Self.previous(stream, "c_prev", "c", hiddenSize, step: t, in: &cellState, scratch: &scratch)
            }
        case "gates":
            try Self.blocks(stream, "gates", names: cell.gates.map(\.symbol), cell, hiddenSize, into: &gates, scratch: &scratch)
        case "preactivations":
            try Self.blocks(stream, "preactivations", names: cell.preactivationNames, cell, hiddenSize, into: &preactivations,
                            scratch: &scratch)
            optionalNow.insert("preactivations")
        case "grad":
            try gradient(stream, scratch: &scratch)
        default:
            try stream.skip()
        }
    }

    /// Reads a vector of H numbers into `scratch`, checking its length.
    private static func vector(_ stream: JSONStream, _ name: String, _ hiddenSize: Int, _ scratch: inout [Float]) throws(JSONStreamError) {
        scratch.removeAll(keepingCapacity: true)
        guard stream.peek() == UInt8(ascii: "[") else { throw JSONStreamError(problem: "\(name) is not a list of numbers") }
        let n = try stream.floats(into: &scratch)
        guard n == hiddenSize else {
            throw JSONStreamError(problem: "\(name) has \(n) numbers, expected \(hiddenSize) (hidden_size)")
        }
    }

    private static func append(_ stream: JSONStream, _ name: String, _ hiddenSize: Int, to buffer: inout [Float],
                               scratch: inout [Float]) throws(JSONStreamError) {
        try vector(stream, name, hiddenSize, &scratch)
        buffer += scratch
    }

    /// h_prev / c_prev: the initial state at step 0, and at later steps the state the previous step ended
    /// in (row t of the buffer), which it must equal.
    private static func previous(_ stream: JSONStream, _ name: String, _ stateName: String, _ hiddenSize: Int, step t: Int,
                                 in buffer: inout [Float], scratch: inout [Float]) throws(JSONStreamError) {
        try vector(stream, name, hiddenSize, &scratch)
        let row = (t * hiddenSize)..<((t + 1) * hiddenSize)
        if t == 0 {
            buffer.replaceSubrange(row, with: scratch)
            return
        }
        guard buffer.count >= row.upperBound else { return }
        for (u, (given, kept)) in zip(scratch, buffer[row]).enumerated() where given.bitPattern != kept.bitPattern && !(given.isNaN && kept.isNaN) {
            throw JSONStreamError(problem: "\(name)[\(u)] is \(given), but step \(t - 1) ended with \(stateName)[\(u)] = \(kept)")
        }
    }

    /// `{"f": [H], …}`: every one of `names`, each H numbers, placed in block order at this step.
    private static func blocks(_ stream: JSONStream, _ field: String, names: [String], _ cell: CellKind, _ hiddenSize: Int,
                               into buffer: inout [Float], scratch: inout [Float]) throws(JSONStreamError) {
        let base = buffer.count
        buffer += [Float](repeating: 0, count: names.count * hiddenSize)
        var given: [String] = []
        var unknown = false
        try stream.object { name throws(JSONStreamError) in
            given.append(name)
            guard let index = names.firstIndex(of: name), given.filter({ $0 == name }).count == 1 else {
                unknown = true
                return try stream.skip()
            }
            try vector(stream, "\(field).\(name)", hiddenSize, &scratch)
            let start = base + index * hiddenSize
            buffer.replaceSubrange(start..<(start + hiddenSize), with: scratch)
        }
        if unknown || Set(given) != Set(names) {
            let list = given.sorted().map { TerminalText.escaped(String($0.prefix(20))) }.joined(separator: " ")
            throw JSONStreamError(problem: "\(field) are [\(list)], expected [\(names.joined(separator: " "))] for \(cell.displayName)")
        }
    }

    /// `grad`: h (required), c (LSTM), gates (dL/d pre-activation), h_norm (computed from h when absent).
    private mutating func gradient(_ stream: JSONStream, scratch: inout [Float]) throws(JSONStreamError) {
        var fields = Set<String>()
        var norm: Float?
        optionalNow.insert("grad")
        try stream.object { key throws(JSONStreamError) in
            guard fields.insert(key).inserted else { throw problem("grad.\(key) is given twice") }
            switch key {
            case "h": try Self.append(stream, "grad.h", hiddenSize, to: &dHidden, scratch: &scratch)
            case "c" where cell.hasCellState:
                try Self.append(stream, "grad.c", hiddenSize, to: &dCell, scratch: &scratch)
                optionalNow.insert("grad.c")
            case "gates":
                try Self.blocks(stream, "grad.gates", names: cell.preactivationNames, cell, hiddenSize, into: &dPreactivations,
                                scratch: &scratch)
                optionalNow.insert("grad.gates")
            case "h_norm": norm = Float(try stream.double())
            default: try stream.skip()
            }
        }
        guard fields.contains("h") else { throw problem("grad.h is missing") }
        // Traces from other tools carry no h_norm: it is ‖dL/dh_t‖₂, so it is computed when absent.
        norms.append(norm ?? dHidden[(t * hiddenSize)...].reduce(0) { $0 + $1 * $1 }.squareRoot())
    }

    mutating func endStep() throws(JSONStreamError) {
        var required = ["h_prev", "h", "gates"]
        if cell.hasCellState { required += ["c_prev", "c"] }
        for name in required where !seen.contains(name) { throw problem("\(name) is missing") }
        if t == 0 { optionalAtStart = optionalNow }
        for part in optionalAtStart.union(optionalNow).sorted() where optionalAtStart.contains(part) != optionalNow.contains(part) {
            throw problem(optionalNow.contains(part) ? "\(part) is given, but step 0 has none" : "\(part) is missing (step 0 has it)")
        }
    }

    func recorded() -> RecordedLayer {
        RecordedLayer(hiddenSize: hiddenSize, blockCount: cell.gateCount, hidden: hidden, cellState: cellState,
                      gates: gates, preactivations: preactivations, dHidden: dHidden, dCell: dCell,
                      dPreactivations: dPreactivations, hiddenGradientNorms: norms)
    }
}
