import RNNTrace

/// The colour scales of the heat cells. Signed values (h, c, gradients, the tanh gates g and n) take the
/// diverging scale, blue below zero and red above; the σ gates, which live in 0…1, take a sequential green
/// scale, so a gate near 1 does not read as "a large positive h".
///
/// In 256 colours every entry is an xterm index with a known RGB, so contrast is computed, not hoped for:
/// a cell's background is a tint by magnitude, its glyph a darker or paler shade of the same hue (whichever
/// contrasts more, never white over the colour, so the strongest value reads as the strongest), its number
/// black or white (whichever contrasts more). `HeatPaletteTests` checks text ≥ 4.5:1 and glyphs ≥ 3:1.
enum HeatPalette: Sendable {
    case diverging
    case sequential

    /// The scale for a gate's values: sequential for the σ gates, diverging for the tanh candidates.
    static func forGate(_ gate: Gate) -> HeatPalette { gate == .cell || gate == .new ? .diverging : .sequential }

    /// Background tints from near zero to the strongest value, one list a side (xterm-256 indices).
    static let negativeTints: [UInt8] = [255, 153, 117, 75, 33, 27, 21]
    static let positiveTints: [UInt8] = [255, 224, 217, 210, 203, 196, 160]
    static let sequentialTints: [UInt8] = [255, 194, 157, 120, 77, 28, 22]

    /// Shades a glyph may take over a tint of the same hue: the darkest and the palest of it.
    static let negativeShades: [UInt8] = [17, 189]
    static let positiveShades: [UInt8] = [52, 224]
    static let sequentialShades: [UInt8] = [22, 194]

    /// Level 0…6 of a value's magnitude on the [-1, 1] (or [0, 1]) scale.
    static func level(_ v: Double) -> Int { min(6, Int((min(1, abs(v)) * 6).rounded())) }

    /// The tint behind a value (256 colours).
    func tint(_ v: Double) -> UInt8 {
        switch self {
        case .diverging: return (v < 0 ? Self.negativeTints : Self.positiveTints)[Self.level(v)]
        case .sequential: return Self.sequentialTints[Self.level(v)]
        }
    }

    /// The glyph's shade over `tint(v)`: of the hue's two shades, the one that contrasts more.
    func glyphShade(_ v: Double) -> UInt8 {
        let shades: [UInt8]
        switch self {
        case .diverging: shades = v < 0 ? Self.negativeShades : Self.positiveShades
        case .sequential: shades = Self.sequentialShades
        }
        let bg = tint(v)
        return shades.max { XtermColors.contrast($0, bg) < XtermColors.contrast($1, bg) }!
    }

    /// The number's colour over `tint(v)`: black or white, whichever contrasts more.
    func textColor(_ v: Double) -> UInt8 {
        let bg = tint(v)
        return XtermColors.contrast(16, bg) >= XtermColors.contrast(231, bg) ? 16 : 231
    }
}
