import Foundation

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
        if symbol != " " && contrast(foreground, background) < minimumContrast {
            foreground = contrast(text, background) >= contrast(Self.background, background) ? text : Self.background
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

    /// WCAG 2 contrast ratio between two xterm-256 colours, 1 … 21.
    static func contrast(_ a: UInt8, _ b: UInt8) -> Double {
        let la = luminance(a), lb = luminance(b)
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
    }

    /// WCAG 2 relative luminance of xterm-256 colour `index` (xterm's default RGB values).
    static func luminance(_ index: UInt8) -> Double {
        let (r, g, b) = rgb(index)
        func linear(_ c: Int) -> Double {
            let s = Double(c) / 255
            return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055).pow2_4
        }
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }

    /// xterm's default RGB for palette entry `index`.
    static func rgb(_ index: UInt8) -> (Int, Int, Int) {
        let system: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        switch index {
        case 0..<16: return system[Int(index)]
        case 16..<232:
            let levels = [0, 95, 135, 175, 215, 255]
            let i = Int(index) - 16
            return (levels[i / 36], levels[(i / 6) % 6], levels[i % 6])
        default:
            let grey = 8 + 10 * (Int(index) - 232)
            return (grey, grey, grey)
        }
    }
}

private extension Double {
    /// x^2.4, the sRGB transfer exponent.
    var pow2_4: Double { exp(2.4 * log(self)) }
}
