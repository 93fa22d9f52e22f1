import Foundation

/// xterm's default RGB values for the 256-colour palette, and what follows from them: WCAG luminance
/// and contrast (the projector palette's check) and hex colours (the SVG and HTML frames).
public enum XtermColors {
    /// The terminal's own colours when a frame leaves them to it, as a dark terminal shows them.
    static let defaultForeground = (229, 229, 229)
    static let defaultBackground = (0, 0, 0)

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

    /// The RGB a view colour shows as on a dark xterm.
    static func rgb(_ color: Color, isBackground: Bool) -> (Int, Int, Int) {
        switch color {
        case .default: return isBackground ? defaultBackground : defaultForeground
        case .ansi(let n): return rgb(n % 16)
        case .indexed(let n): return rgb(n)
        }
    }

    /// "#rrggbb".
    static func hex(_ c: (Int, Int, Int)) -> String {
        String(format: "#%02x%02x%02x", c.0, c.1, c.2)
    }

    /// WCAG 2 contrast ratio between two xterm-256 colours, 1 … 21.
    static func contrast(_ a: UInt8, _ b: UInt8) -> Double {
        let la = luminance(a), lb = luminance(b)
        return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
    }

    /// WCAG 2 relative luminance of xterm-256 colour `index`.
    static func luminance(_ index: UInt8) -> Double {
        let (r, g, b) = rgb(index)
        func linear(_ c: Int) -> Double {
            let s = Double(c) / 255
            return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }
}
