/// A dense row-major matrix of `Float`, shaped like a PyTorch 2-D tensor (`rows` × `cols`).
public struct Matrix: Equatable, Sendable {
    public var rows: Int
    public var cols: Int
    /// Row-major values, `rows * cols` of them.
    public var values: [Float]

    public init(rows: Int, cols: Int, values: [Float]) {
        precondition(values.count == rows * cols, "Matrix \(rows)x\(cols) needs \(rows * cols) values, got \(values.count)")
        self.rows = rows
        self.cols = cols
        self.values = values
    }

    public init(zeros rows: Int, _ cols: Int) {
        self.init(rows: rows, cols: cols, values: [Float](repeating: 0, count: rows * cols))
    }

    public subscript(row: Int, col: Int) -> Float {
        get { values[row * cols + col] }
        set { values[row * cols + col] = newValue }
    }

    public func row(_ r: Int) -> ArraySlice<Float> { values.row(r, width: cols) }

    /// Rows as nested arrays: the state_dict layout used in traces.
    public var nestedRows: [[Float]] { (0..<rows).map { Array(row($0)) } }

    public var shape: [Int] { [rows, cols] }
}

extension Matrix {
    /// self · other ([m×k]·[k×n] = [m×n]) with the engine's matrix kernel. Its rows are independent of each
    /// other: the shape of work that can run for all positions of a sequence at once, where a recurrence
    /// must wait for the step before.
    public func times(_ other: Matrix) -> Matrix {
        precondition(cols == other.rows, "times needs [m×k]·[k×n], got [\(rows)×\(cols)]·[\(other.rows)×\(other.cols)]")
        var result = Matrix(zeros: rows, other.cols)
        values.withUnsafeBufferPointer { a in
            other.values.withUnsafeBufferPointer { b in
                result.values.withUnsafeMutableBufferPointer { c in
                    Gemm.multiply(m: rows, n: other.cols, k: cols, a: a.baseAddress!, aRowStride: cols, aColStride: 1,
                                  b: b.baseAddress!, ldb: other.cols, c: c.baseAddress!, ldc: other.cols, accumulate: false)
                }
            }
        }
        return result
    }
}

extension Matrix {
    /// σ_max, the largest singular value: the most one multiplication by this matrix can stretch a vector
    /// (power iteration on MᵀM, in Double; 0 for a zero matrix).
    public var largestSingularValue: Double {
        guard rows > 0, cols > 0 else { return 0 }
        var v = [Double](repeating: 1 / Double(cols).squareRoot(), count: cols)
        var mv = [Double](repeating: 0, count: rows)
        var sigma = 0.0
        for _ in 0..<200 {
            for r in 0..<rows {
                var sum = 0.0
                for c in 0..<cols { sum += Double(values[r * cols + c]) * v[c] }
                mv[r] = sum
            }
            var next = [Double](repeating: 0, count: cols)
            for r in 0..<rows where mv[r] != 0 {
                for c in 0..<cols { next[c] += Double(values[r * cols + c]) * mv[r] }
            }
            let norm = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0 else { return 0 }
            sigma = norm.squareRoot()
            v = next.map { $0 / norm }
        }
        return sigma
    }
}
