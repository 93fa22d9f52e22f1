/// How many colours the screen may use. The terminal layer picks one from what it detects.
public enum ColorMode: String, CaseIterable, Sendable {
    /// xterm 256-colour palette: smooth diverging heat scale.
    case color256
    /// The 8 ANSI colours: sign by hue, strength by background vs. foreground.
    case color8
    /// No colour at all: values are carried by glyph ramps, signs and bold/reverse only.
    case monochrome
}

/// Which characters the view may draw with.
public enum GlyphSet: String, CaseIterable, Sendable {
    /// Box drawing, block elements, arrows, Greek letters.
    case unicode
    /// Printable ASCII only (borders "+-|", bars "#", ramp " .,:;=*#%@" — no "+"/"-", which are signs).
    case ascii
}

/// Rendering options chosen on the command line.
public struct ViewOptions: Equatable, Sendable {
    public var colorMode: ColorMode
    public var glyphs: GlyphSet
    /// Steps per second choices for playback; `AppState` starts at `initialSpeedIndex`.
    public var speeds: [Double]
    public var initialSpeedIndex: Int
    /// The presenter's layout for a projector: fewer, larger panels beside the lesson text, and (with 256
    /// colours) the projector palette.
    public var presenter: Bool
    /// The screen drawn (the key `v` moves to the next).
    public var screen: ScreenKind

    public init(colorMode: ColorMode = .color256, glyphs: GlyphSet = .unicode,
                speeds: [Double] = [0.25, 0.5, 1, 2, 4, 8], initialSpeedIndex: Int = 2, presenter: Bool = false,
                screen: ScreenKind = .panels) {
        self.colorMode = colorMode
        self.glyphs = glyphs
        self.presenter = presenter
        self.screen = screen
        self.speeds = speeds.isEmpty ? [1] : speeds
        self.initialSpeedIndex = min(max(0, initialSpeedIndex), self.speeds.count - 1)
    }
}

/// Glyphs and styles derived from `ViewOptions`; every view draws through it so that the ASCII and
/// monochrome variants stay consistent across panels.
struct Theme {
    let options: ViewOptions
    var ascii: Bool { options.glyphs == .ascii }
    var mono: Bool { options.colorMode == .monochrome }

    init(_ options: ViewOptions) { self.options = options }

    // MARK: - Glyphs

    /// Magnitude ramp, weakest first.
    var ramp: [Character] { ascii ? Glyphs.asciiRamp : Glyphs.unicodeRamp }
    var barFull: Character { ascii ? "#" : "█" }
    /// Partial bar blocks for eighths (unicode only).
    var barEighths: [Character] { ascii ? [] : Glyphs.eighths }
    var horizontal: Character { ascii ? "-" : "─" }
    var vertical: Character { ascii ? "|" : "│" }
    var corners: (Character, Character, Character, Character) {
        ascii ? ("+", "+", "+", "+") : ("┌", "┐", "└", "┘")
    }
    var ellipsis: String { ascii ? "~" : "…" }
    var upMarker: Character { ascii ? "^" : "▲" }
    /// Marks the title of the panel Tab's focus is on.
    var focusMarker: Character { ascii ? ">" : "▶" }
    var downMarker: Character { ascii ? "v" : "▼" }

    /// The glyph for |value| in [0, 1] (values beyond 1 take the top glyph).
    func rampGlyph(_ v: Double) -> Character {
        guard v.isFinite else { return ascii ? "!" : "▒" }
        let r = ramp
        let m = min(1, abs(v))
        if m == 0 { return r[0] }
        return r[max(1, min(r.count - 1, Int((m * Double(r.count - 1)).rounded(.up))))]
    }

    /// Replaces non-ASCII characters by ASCII spellings in ASCII mode (equations, hints, tokens); a
    /// character with no spelling becomes "?".
    func text(_ s: String) -> String {
        guard ascii else { return s }
        var out = ""
        for ch in s {
            if ch.isASCII { out.append(ch) } else { out += Self.asciiSpellings[ch] ?? "?" }
        }
        return out
    }

    /// The ASCII spelling of each non-ASCII character the views draw.
    private static let asciiSpellings: [Character: String] = [
        "σ": "sig", "⊙": "*", "·": "*", "×": "x", "—": "-", "–": "-",
        "−": "-", "²": "^2", "‖": "|", "→": "->", "←": "<-", "↑": "Up",
        "↓": "Dn", "…": "..", "▶": ">", "⏸": "||", "◀": "<", "▲": "^",
        "▼": "v", "≈": "~", "∂": "d", "─": "-", "━": "-", "│": "|",
        "•": "*", "ᵀ": "^T", "␣": "_", "⏎": "\\n", "✓": "ok", "✗": "x",
        "Σ": "sum", "≥": ">=", "≤": "<=", "⊗": "(x)", "ρ": "rho",
    ]

    // MARK: - Styles

    var plain: Style { .plain }
    var bold: Style { Style(modifiers: .bold) }
    /// 256 colours: a grey with a known contrast (7.4:1 on black) instead of the terminal's own dimming.
    var dim: Style {
        mono ? .plain : options.colorMode == .color256 ? Style(foreground: .indexed(247)) : Style(foreground: .ansi(7), modifiers: .dim)
    }
    var label: Style { mono ? Style(modifiers: .bold) : Style(foreground: .ansi(6), modifiers: .bold) }
    var title: Style { Style(modifiers: .bold) }
    var border: Style { mono ? .plain : Style(foreground: .ansi(7)) }
    var focusedBorder: Style { mono ? Style(modifiers: .bold) : Style(foreground: .ansi(3), modifiers: .bold) }
    var headerBar: Style { Style(modifiers: .reverse) }
    var highlight: Style { Style(modifiers: [.reverse, .bold]) }
    var selectedUnit: Style { Style(modifiers: [.underline, .bold]) }
    var target: Style { mono ? Style(modifiers: .bold) : Style(foreground: .ansi(2), modifiers: .bold) }
    var warning: Style { mono ? Style(modifiers: [.bold, .reverse]) : Style(foreground: .ansi(3), modifiers: .bold) }
    var error: Style {
        mono ? Style(modifiers: [.bold, .reverse])
            : Style(foreground: options.colorMode == .color256 ? .indexed(203) : .ansi(1), modifiers: .bold)
    }
    var good: Style { mono ? Style(modifiers: .bold) : Style(foreground: .ansi(2), modifiers: .bold) }
    var nonFinite: Style {
        mono ? Style(modifiers: [.bold, .reverse])
            : options.colorMode == .color256 ? Style(foreground: .indexed(16), background: .indexed(213), modifiers: .bold)
            : Style(foreground: .ansi(0), background: .ansi(3), modifiers: .bold)
    }
    /// Bars, sparklines and curves: a light blue that reads on a dark terminal (dark blue was 2.2:1).
    var bar: Style { mono ? .plain : Style(foreground: options.colorMode == .color256 ? .indexed(75) : .ansi(6)) }
    var targetBar: Style { mono ? Style(modifiers: .bold) : Style(foreground: .ansi(2)) }

    /// Heat style of a value's number on the [-1, 1] scale ([0, 1] for a sequential palette).
    func heat(_ v: Double, palette: HeatPalette = .diverging) -> Style {
        guard v.isFinite else { return nonFinite }
        let m = min(1, abs(v))
        switch options.colorMode {
        case .monochrome:
            return m >= 0.5 ? Style(modifiers: .bold) : .plain
        case .color8:
            if m < 0.1 { return .plain }
            let hue: UInt8 = palette == .sequential ? 2 : v < 0 ? 4 : 1
            return m >= 0.5 ? Style(foreground: .ansi(7), background: .ansi(hue), modifiers: .bold)
                            : Style(foreground: .ansi(hue))
        case .color256:
            return Style(foreground: .indexed(palette.textColor(v)), background: .indexed(palette.tint(v)))
        }
    }

    /// Heat style of a value's magnitude glyph: in 256 colours a shade of the value's own hue over its tint,
    /// so the glyph reads with the colour; otherwise as the number.
    func heatGlyph(_ v: Double, palette: HeatPalette = .diverging) -> Style {
        guard v.isFinite, options.colorMode == .color256 else { return heat(v, palette: palette) }
        return Style(foreground: .indexed(palette.glyphShade(v)), background: .indexed(palette.tint(v)))
    }
}

/// Glyph tables built once: splitting a String into Characters on every cell was a large share of a frame.
enum Glyphs {
    static let asciiRamp = Array(" .,:;=*#%@")
    static let unicodeRamp = Array(" ▁▂▃▄▅▆▇█")
    static let eighths = Array("▏▎▍▌▋▊▉")
    static let asciiSpark = Array("_.:-=+*#%@")
    static let unicodeSpark = Array("▁▂▃▄▅▆▇█")
}
