import RNNEngine

/// Bytes of an export on their way out, handed on in pieces of about a megabyte, so that writing a trace
/// costs one buffer, never the whole text. The first failure of `deliver` stops the writing and is kept.
public struct TraceOutput {
    static let pieceSize = 1 << 20
    private var buffer: [UInt8] = []
    /// Nil for a block being formatted off to the side (`StepBlocks`): it keeps its bytes.
    private let deliver: (([UInt8]) -> WriteFailure?)?
    /// Why the output could not take the bytes, if it could not.
    public private(set) var failure: WriteFailure?

    /// `deliver` writes one piece and returns nil, or says why it could not.
    public init(deliver: @escaping ([UInt8]) -> WriteFailure?) {
        self.deliver = deliver
        buffer.reserveCapacity(Self.pieceSize + 64)
    }

    /// Output straight to a file descriptor.
    public init(descriptor fd: Int32) {
        self.init { writeAll(fd, $0) }
    }

    /// A block's bytes, kept until `append(_:)` adds them to an output in order.
    init(keeping capacity: Int) {
        deliver = nil
        buffer.reserveCapacity(capacity)
    }

    /// Bytes held and not yet handed on.
    var count: Int { buffer.count }

    /// Adds what a block kept: a large block is handed on as a piece of its own, without another copy.
    mutating func append(_ block: TraceOutput) {
        if block.buffer.count >= Self.pieceSize / 4, let deliver {
            flush()
            if failure == nil { failure = deliver(block.buffer) }
        } else {
            buffer += block.buffer
            flushWhenFull()
        }
    }

    /// Hands on what is buffered; call once at the end.
    public mutating func flush() {
        guard let deliver, failure == nil, !buffer.isEmpty else { return }
        failure = deliver(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    @inline(__always) private mutating func flushWhenFull() {
        if buffer.count >= Self.pieceSize { flush() }
    }

    mutating func write(_ text: StaticString) {
        text.withUTF8Buffer { buffer.append(contentsOf: $0) }
        flushWhenFull()
    }

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        flushWhenFull()
    }

    mutating func write(byte: UInt8) {
        buffer.append(byte)
    }

    mutating func write(_ n: Int) {
        write(String(n))
    }

    /// Shortest text that reads back as the same float32 (Swift's `description` is shortest round-trip).
    @inline(__always) mutating func write(_ v: Float, _ style: NumberStyle) {
        guard v.isFinite else { return write(style.spelling(nan: v.isNaN, negative: v < 0)) }
        var text = v.description
        text.withUTF8 { buffer.append(contentsOf: $0) }
    }

    /// Shortest round-trip text of a Double (losses are computed in Double).
    mutating func write(_ v: Double, _ style: NumberStyle) {
        if v.isFinite { buffer.append(contentsOf: v.description.utf8) } else { write(style.spelling(nan: v.isNaN, negative: v < 0)) }
    }
}

/// How an export spells the numbers JSON and CSV have no literal for.
enum NumberStyle {
    /// The strings "NaN", "Infinity", "-Infinity" (JSON has no such numbers).
    case json
    /// NaN, inf, -inf: what pandas reads.
    case csv

    func spelling(nan: Bool, negative: Bool) -> StaticString {
        switch (self, nan, negative) {
        case (.json, true, _): return "\"NaN\""
        case (.json, false, false): return "\"Infinity\""
        case (.json, false, true): return "\"-Infinity\""
        case (.csv, true, _): return "NaN"
        case (.csv, false, false): return "inf"
        case (.csv, false, true): return "-inf"
        }
    }
}
