/// Colours a projector shows legibly: dark text on a white screen, every colour an explicit xterm-256
/// entry (so its brightness is known, not left to the terminal's theme), no dim text, and wherever a
/// glyph's colour would read below WCAG's 4.5:1 against its cell, black or white instead — whichever
/// contrasts more (one of the two always reaches 4.58:1). Applied to a finished frame in the presenter
/// layout with 256 colours; the 8 ANSI colours and monochrome have no known brightness to check.
enum ProjectorPalette {
    static let background: UInt8 = 231   // #ffffff
    static let text: UInt8 = 16          // #000000
    /// The least contrast between a glyph and its cell (WCAG 2 AA for normal text).
    static let minimumContrast = 4.5

    /// The 8 ANSI colours as dark xterm-256 entries that read on white (red, green, … as hues, not as
    /// the terminal's bright defaults; grey for ANSI white, which the normal theme uses for borders).
    static let ansi: [UInt8] = [16, 124, 22, 94, 19, 90, 24, 240]

    static func apply(to buffer: inout Buffer) {
        for y in 0..<buffer.height {
            for x in 0..<buffer.width {
                let cell = buffer[x, y]
                buffer[x, y] = Cell(cell.symbol, style: projected(cell.style, symbol: cell.symbol))
            }
        }
    }

    /// `style` with explicit colours, reverse resolved, dim dropped, and a legible foreground.
    static func projected(_ style: Style, symbol: Character) -> Style {
        var foreground = index(style.foreground, default: text)
        var background = index(style.background, default: background)
        var modifiers = style.modifiers
        if modifiers.contains(.reverse) { swap(&foreground, &background) }
        modifiers.subtract([.reverse, .dim])
        if symbol != " " && XtermColors.contrast(foreground, background) < minimumContrast {
            foreground = XtermColors.contrast(text, background) >= XtermColors.contrast(Self.background, background) ? text : Self.background
        }
        return Style(foreground: .indexed(foreground), background: .indexed(background), modifiers: modifiers)
    }

    static func index(_ color: Color, default fallback: UInt8) -> UInt8 {
        switch color {
        case .default: return fallback
        case .ansi(let n): return ansi[Int(n % 8)]
        case .indexed(let n): return n
        }
    }
}
