/// The float32 nearest to a decimal number, without strtof when that can be done exactly (Clinger's fast
/// path): most of a trace's numbers are shortest float32 text, at most 9 digits and a small exponent.
enum DecimalFloat {
    /// 10⁰ … 10²², every one exactly a double.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// ±`digits` × 10^`exponent` rounded to the nearest float32 (ties to even), as strtof would give it, or nil
    /// when this path cannot be sure (more digits or a larger exponent than it handles: strtof decides).
    @inline(__always)
    static func float(digits: UInt64, exponent: Int, negative: Bool) -> Float? {
        // digits ≤ 2⁵³ and |exponent| ≤ 22: both are exact doubles, so one multiply or divide rounds once, to the
        // double nearest the true value (and the result lies far inside float32's normal range).
        guard digits <= 1 << 53, exponent >= -22, exponent <= 22 else { return nil }
        let whole = Double(digits)
        let value = exponent < 0 ? whole / powersOfTen[-exponent] : whole * powersOfTen[exponent]
        // Rounding that double to float32 again gives the float nearest the true value unless the double landed
        // exactly halfway between two floats (its 29 bits below float32's precision are 1000…0): the true value
        // may then lie on either side, so strtof decides.
        if value.bitPattern & 0x1FFF_FFFF == 0x1000_0000 { return nil }
        return Float(negative ? -value : value)
    }
}
