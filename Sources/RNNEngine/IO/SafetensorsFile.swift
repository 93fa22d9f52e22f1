/// The contents of one safetensors file: string metadata and named float tensors.
///
/// Layout (https://github.com/huggingface/safetensors): an unsigned 64-bit little-endian header length N,
/// N bytes of UTF-8 JSON, then the data. The JSON maps each tensor name to
/// `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets relative to the start of the data) and may
/// hold `"__metadata__"`, an object of string → string.
///
/// Reading accepts F32, F64, F16 and BF16 (all converted to `Float`) and checks the whole file the way the
/// reference implementation does, so a damaged or hostile file gives one clear line instead of a crash.
/// Writing always produces F32, in the reference layout: keys sorted, data in key order, header padded
/// with spaces to a multiple of 8 bytes.
public struct SafetensorsFile: Equatable, Sendable {
    /// Element types rnnscope reads.
    public enum DType: String, CaseIterable, Sendable {
        case f32 = "F32"
        case f64 = "F64"
        case f16 = "F16"
        case bf16 = "BF16"

        /// Bytes per element.
        public var byteCount: Int {
            switch self {
            case .f32: return 4
            case .f64: return 8
            case .f16, .bf16: return 2
            }
        }
    }

    /// One named tensor, values in row-major (C) order.
    public struct Tensor: Equatable, Sendable {
        public let shape: [Int]
        public let values: [Float]
        /// The element type it had in the file it came from; written files always use F32.
        public let dtype: DType

        /// `values.count` must equal the product of `shape` (an empty shape is a scalar: one value).
        public init(shape: [Int], values: [Float], dtype: DType = .f32) {
            precondition(shape.allSatisfy { $0 >= 0 }, "tensor shape \(shape) has a negative dimension")
            precondition(values.count == shape.reduce(1, *), "tensor of shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
            self.shape = shape
            self.values = values
            self.dtype = dtype
        }
    }

    /// The name reserved by the format for the metadata object.
    public static let metadataKey = "__metadata__"
    /// The reference implementation refuses headers over 100 MB; so do we, before allocating anything.
    public static let maximumHeaderLength: UInt64 = 100_000_000

    /// `__metadata__`: free-form string pairs. rnnscope keeps `cell`, `tokenizer`, `vocab`, `task` here.
    public var metadata: [String: String]
    public var tensors: [String: Tensor]

    public init(metadata: [String: String] = [:], tensors: [String: Tensor] = [:]) {
        self.metadata = metadata
        self.tensors = tensors
    }
}

// MARK: - Reading

extension SafetensorsFile {
    /// Reads and checks the file at `path`.
    public init(contentsOf path: String) throws(EngineError) {
        try self.init(bytes: try FileBytes.read(path), path: path)
    }

    /// What a file that is not safetensors is, when its first bytes say so (asked only when they make no
    /// valid header length): a `torch.save` file (a zip
    /// archive, or a bare pickle in the old format) is the usual mistake, and says how to save instead.
    static func otherFormat(_ bytes: [UInt8]) -> String? {
        let saveInstead = "save the weights with safetensors instead: from safetensors.torch import save_file; save_file(model.state_dict(), \"model.safetensors\") (rnnscope then says which metadata to add)"
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return "is a zip archive (what torch.save writes), not safetensors; \(saveInstead)"
        }
        if bytes.count >= 2 && bytes[0] == 0x80 && (2...5).contains(bytes[1]) {
            return "is a Python pickle (torch.save's old format), not safetensors; \(saveInstead)"
        }
        return nil
    }

    /// Parses and checks the bytes of a safetensors file; `path` only names the file in error messages.
    public init(bytes: [UInt8], path: String) throws(EngineError) {
        func fail(_ problem: String) -> EngineError { .file(path: path, problem: problem) }

        guard bytes.count >= 8 else {
            throw fail("the file is \(bytes.count) bytes long, too short for safetensors (it starts with an 8-byte header length)")
        }
        var headerLength: UInt64 = 0
        for i in (0..<8).reversed() { headerLength = headerLength << 8 | UInt64(bytes[i]) }
        let afterLength = bytes.count - 8
        // Another format's first bytes read as an impossible length: name the format when we know it.
        if headerLength > min(Self.maximumHeaderLength, UInt64(afterLength)), let other = Self.otherFormat(bytes) {
            throw fail(other)
        }
        guard headerLength <= Self.maximumHeaderLength else {
            throw fail("header length \(headerLength) is over the 100 MB limit; the file is not safetensors or is damaged")
        }
        guard headerLength <= UInt64(afterLength) else {
            throw fail("header length \(headerLength) runs past the end of the file (\(afterLength) bytes follow the 8-byte length)")
        }
        let headerEnd = 8 + Int(headerLength)
        let headerBytes = Array(bytes[8..<headerEnd])
        guard String(validating: headerBytes, as: UTF8.self) != nil else {
            throw fail("the header is not valid UTF-8")
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(headerBytes)
        } catch {
            throw fail("the header is not valid JSON: \(error.description)")
        }
        guard case let .object(entries) = json else {
            throw fail("the header is \(json.kindDescription), not a JSON object")
        }

        let dataCount = bytes.count - headerEnd
        var metadata: [String: String] = [:]
        var layouts: [TensorLayout] = []
        for (name, value) in entries {
            if name == Self.metadataKey {
                metadata = try Self.parseMetadata(value, fail: fail)
            } else {
                layouts.append(try TensorLayout(name: name, entry: value, dataCount: dataCount, fail: fail))
            }
        }
        try Self.checkCoverage(layouts, dataCount: dataCount, fail: fail)

        var tensors: [String: Tensor] = [:]
        tensors.reserveCapacity(layouts.count)
        for layout in layouts {
            let values = Self.decode(bytes, from: headerEnd + layout.begin, count: layout.elementCount, dtype: layout.dtype)
            tensors[layout.name] = Tensor(shape: layout.shape, values: values, dtype: layout.dtype)
        }
        self.init(metadata: metadata, tensors: tensors)
    }

    private static func parseMetadata(_ value: JSONValue, fail: (String) -> EngineError) throws(EngineError) -> [String: String] {
        guard case let .object(pairs) = value else {
            throw fail("\"__metadata__\" is \(value.kindDescription), not an object of strings")
        }
        var metadata: [String: String] = [:]
        for (key, v) in pairs {
            guard case let .string(s) = v else {
                throw fail("metadata \(JSONText.quoted(key)) is \(v.kindDescription), not a string (safetensors metadata values are strings)")
            }
            metadata[key] = s
        }
        return metadata
    }

    /// The reference implementation requires the tensors to tile the data exactly: no overlap (two tensors
    /// sharing bytes), no gap and no trailing bytes (hidden content). We check the same.
    private static func checkCoverage(_ layouts: [TensorLayout], dataCount: Int, fail: (String) -> EngineError) throws(EngineError) {
        let sorted = layouts.sorted { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        var covered = 0
        var previous: TensorLayout?
        for layout in sorted {
            if layout.begin < covered, let p = previous {
                throw fail("tensors \(JSONText.quoted(p.name)) \(p.offsetsText) and \(JSONText.quoted(layout.name)) \(layout.offsetsText) overlap")
            }
            if layout.begin > covered {
                throw fail("data bytes [\(covered), \(layout.begin)) belong to no tensor (safetensors allows no gaps)")
            }
            covered = layout.end
            previous = layout
        }
        if covered != dataCount {
            throw fail("the data has \(dataCount) bytes after the header but the tensors cover only \(covered)")
        }
    }

    /// Converts little-endian elements to `Float`. Offsets were checked before we get here.
    private static func decode(_ bytes: [UInt8], from start: Int, count: Int, dtype: DType) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            switch dtype {
            case .f32:
                for i in 0..<count {
                    out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * i, as: UInt32.self)))
                }
            case .f64:
                for i in 0..<count {
                    out[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: start + 8 * i, as: UInt64.self))))
                }
            case .f16:
                for i in 0..<count {
                    out[i] = halfToFloat(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: start + 2 * i, as: UInt16.self)))
                }
            case .bf16:
                // bfloat16 is the top half of a float32.
                for i in 0..<count {
                    let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: start + 2 * i, as: UInt16.self))
                    out[i] = Float(bitPattern: UInt32(bits) << 16)
                }
            }
        }
        return out
    }

    /// IEEE 754 binary16 → binary32, done by hand because `Float16` is not available on every platform.
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h >> 15) << 31
        let exponent = UInt32((h >> 10) & 0x1F)
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0x1F {  // inf / nan
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        if exponent == 0 {  // zero / subnormal: mantissa · 2^-24
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign == 0 ? magnitude : -magnitude
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }
}

/// Where one tensor's bytes are, after checking its header entry.
private struct TensorLayout {
    var name: String
    var dtype: SafetensorsFile.DType
    var shape: [Int]
    var elementCount: Int
    var begin: Int
    var end: Int

    var offsetsText: String { "[\(begin), \(end)]" }

    init(name: String, entry: JSONValue, dataCount: Int, fail: (String) -> EngineError) throws(EngineError) {
        let q = JSONText.quoted(name)
        guard case let .object(fields) = entry else {
            throw fail("tensor \(q) is \(entry.kindDescription) in the header, not an object with dtype, shape and data_offsets")
        }
        func field(_ key: String) throws(EngineError) -> JSONValue {
            guard let v = fields.first(where: { $0.key == key })?.value else {
                throw fail("tensor \(q) has no \"\(key)\"")
            }
            return v
        }

        let dtypeValue = try field("dtype")
        guard case let .string(dtypeName) = dtypeValue else {
            throw fail("tensor \(q) has dtype \(dtypeValue.compactText), not a string such as \"F32\"")
        }
        guard let dtype = SafetensorsFile.DType(rawValue: dtypeName) else {
            throw fail("tensor \(q) has dtype \(dtypeName); rnnscope reads only F32, F64, F16 and BF16")
        }

        let shapeValue = try field("shape")
        guard case let .array(dims) = shapeValue else {
            throw fail("tensor \(q) has shape \(shapeValue.compactText), not an array of sizes")
        }
        var shape: [Int] = []
        var elementCount = 1
        for d in dims {
            guard case let .number(text) = d else {
                throw fail("tensor \(q) has shape \(shapeValue.compactText): \(d.compactText) is not a size")
            }
            guard let n = Self.wholeNumber(text) else {
                if Self.isDigits(text) { throw fail("tensor \(q) has shape \(shapeValue.compactText), absurdly large") }
                throw fail("tensor \(q) has shape \(shapeValue.compactText): \(text) is not a whole number")
            }
            guard n >= 0 else {
                throw fail("tensor \(q) has shape \(shapeValue.compactText) with a negative size")
            }
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: n)
            guard !overflow else {
                throw fail("tensor \(q) has shape \(shapeValue.compactText), absurdly large")
            }
            elementCount = product
            shape.append(n)
        }
        let (byteSize, overflow) = elementCount.multipliedReportingOverflow(by: dtype.byteCount)
        guard !overflow else {
            throw fail("tensor \(q) has shape \(shapeValue.compactText), absurdly large")
        }

        let offsetsValue = try field("data_offsets")
        guard case let .array(offsets) = offsetsValue, offsets.count == 2,
              case let .number(beginText) = offsets[0], case let .number(endText) = offsets[1] else {
            throw fail("tensor \(q) has data_offsets \(offsetsValue.compactText), not [begin, end]")
        }
        let shown = "[\(beginText), \(endText)]"
        if Self.isDigits(beginText), Self.isDigits(endText), Self.wholeNumber(beginText) == nil || Self.wholeNumber(endText) == nil {
            // Digits only but beyond Int: certainly past the end of any file we can hold in memory.
            throw fail("tensor \(q) data_offsets \(shown) run past the end of the data (\(dataCount) bytes)")
        }
        guard let begin = Self.wholeNumber(beginText), let end = Self.wholeNumber(endText), begin >= 0, end >= 0 else {
            throw fail("tensor \(q) has data_offsets \(offsetsValue.compactText), not two whole numbers from 0 up")
        }
        guard begin <= end else {
            throw fail("tensor \(q) data_offsets \(shown) begin after they end")
        }
        guard end <= dataCount else {
            throw fail("tensor \(q) data_offsets \(shown) run past the end of the data (\(dataCount) bytes)")
        }
        guard end - begin == byteSize else {
            throw fail("tensor \(q) of shape \(shape) and dtype \(dtypeName) needs \(byteSize) bytes but data_offsets \(shown) hold \(end - begin)")
        }

        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.elementCount = elementCount
        self.begin = begin
        self.end = end
    }

    /// A JSON number that is an integer fitting in `Int` ("12", "-3"); nil for "1.5", "1e3" or huge values.
    static func wholeNumber(_ text: String) -> Int? { Int(text) }

    /// Only ASCII digits: a non-negative integer, however large.
    static func isDigits(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}

// MARK: - Writing

extension SafetensorsFile {
    /// The file's bytes: every tensor as little-endian F32, keys sorted, header padded with spaces to a
    /// multiple of 8 bytes (as the reference implementation does, so the data starts aligned).
    public func encoded() throws(EngineError) -> [UInt8] {
        if tensors[Self.metadataKey] != nil {
            throw .invalidArgument("a tensor may not be named \"__metadata__\": safetensors reserves that name")
        }
        let names = tensors.keys.sorted()
        var header = "{"
        var parts: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { JSONText.quoted($0) + ":" + JSONText.quoted(metadata[$0] ?? "") }
            parts.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for name in names {
            guard let t = tensors[name] else { continue }
            let size = t.values.count * 4
            let shape = t.shape.map(String.init).joined(separator: ",")
            parts.append(JSONText.quoted(name) + ":{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + size)]}")
            offset += size
        }
        header += parts.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        let padding = (8 - headerBytes.count % 8) % 8
        headerBytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))

        var out: [UInt8] = []
        out.reserveCapacity(8 + headerBytes.count + offset)
        var length = UInt64(headerBytes.count)
        for _ in 0..<8 {
            out.append(UInt8(truncatingIfNeeded: length))
            length >>= 8
        }
        out.append(contentsOf: headerBytes)
        for name in names {
            guard let t = tensors[name] else { continue }
            for v in t.values {
                let bits = v.bitPattern
                out.append(UInt8(truncatingIfNeeded: bits))
                out.append(UInt8(truncatingIfNeeded: bits >> 8))
                out.append(UInt8(truncatingIfNeeded: bits >> 16))
                out.append(UInt8(truncatingIfNeeded: bits >> 24))
            }
        }
        return out
    }

    /// Writes the file atomically: a temporary file in the same directory, then a rename over `path`,
    /// so a crash or a full disk never leaves a half-written model behind.
    public func write(to path: String) throws(EngineError) {
        try FileBytes.writeAtomically(try encoded(), to: path)
    }
}
