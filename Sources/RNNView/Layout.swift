/// How much room a piece of a split wants (ratatui's `Constraint`).
enum Constraint {
    /// Exactly n cells (less if the area runs out).
    case length(Int)
    /// At least n cells, then an equal share of what is left.
    case fill(min: Int)
}

extension Rect {
    /// Splits the rectangle top to bottom; lengths are served first, then fills share the rest.
    func vertical(_ constraints: [Constraint]) -> [Rect] {
        Rect.split(total: height, constraints).map { Rect(x: x, y: y + $0.offset, width: width, height: $0.size) }
    }

    /// Splits the rectangle left to right, with `gap` blank columns between pieces.
    func horizontal(_ constraints: [Constraint], gap: Int = 0) -> [Rect] {
        let gaps = max(0, constraints.count - 1) * gap
        return Rect.split(total: max(0, width - gaps), constraints).enumerated().map { i, p in
            Rect(x: x + p.offset + i * gap, y: y, width: p.size, height: height)
        }
    }

    /// The rectangle shrunk by `dx` columns and `dy` rows on each side.
    func inset(dx: Int, dy: Int) -> Rect {
        Rect(x: x + dx, y: y + dy, width: width - 2 * dx, height: height - 2 * dy)
    }

    /// A `w`×`h` rectangle centred in this one.
    func centered(width w: Int, height h: Int) -> Rect {
        let cw = min(w, width), ch = min(h, height)
        return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
    }

    private static func split(total: Int, _ constraints: [Constraint]) -> [(offset: Int, size: Int)] {
        var sizes = [Int](repeating: 0, count: constraints.count)
        var left = max(0, total)
        for (i, c) in constraints.enumerated() {
            let want: Int
            switch c {
            case .length(let n): want = n
            case .fill(let n): want = n
            }
            sizes[i] = min(left, max(0, want))
            left -= sizes[i]
        }
        let fills = constraints.indices.filter { if case .fill = constraints[$0] { return true } else { return false } }
        if !fills.isEmpty {
            let share = left / fills.count
            var extra = left % fills.count
            for i in fills {
                sizes[i] += share + (extra > 0 ? 1 : 0)
                extra -= 1
            }
        }
        var offset = 0
        return sizes.map { s in defer { offset += s }; return (offset, s) }
    }
}
