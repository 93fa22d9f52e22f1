import RNNView

/// Maps the view's colours to terminal colour numbers and hands out colour pairs: one pair per
/// distinct (foreground, background), allocated on first use and cached for the whole session
/// (curses has a fixed number of pairs; allocating per draw would run out and flicker).
///
/// Pure apart from the injected `initPair`, so the mapping and caching are unit-tested.
struct ColorPalette {
    /// A terminal colour number; -1 is the terminal's own default colour.
    typealias ColorNumber = Int32

    struct PairKey: Hashable {
        var foreground: ColorNumber
        var background: ColorNumber
    }

    let support: ColorMode
    /// Whether the terminal accepted `use_default_colors` (colour -1 = its own colours).
    let hasDefaultColors: Bool
    /// The highest pair number that may be allocated.
    let maxPair: Int32
    /// Defines pair `n` as (foreground, background); returns false when curses refuses.
    let initPair: (Int32, ColorNumber, ColorNumber) -> Bool
    private(set) var pairs: [PairKey: Int32] = [:]
    private var nextPair: Int32 = 1

    init(support: ColorMode, hasDefaultColors: Bool, maxPair: Int32,
         initPair: @escaping (Int32, ColorNumber, ColorNumber) -> Bool) {
        self.support = support
        self.hasDefaultColors = hasDefaultColors
        self.maxPair = maxPair
        self.initPair = initPair
    }

    /// The pair to draw `style` with; 0 is the terminal's default pair.
    mutating func pair(for style: Style) -> Int32 {
        guard support != .monochrome else { return 0 }
        let key = PairKey(foreground: number(style.foreground, isBackground: false),
                          background: number(style.background, isBackground: true))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let pair = pairs[key] { return pair }
        // Out of pairs: draw in the default colours rather than recycle a pair already on screen.
        guard nextPair <= maxPair, initPair(nextPair, key.foreground, key.background) else { return 0 }
        pairs[key] = nextPair
        nextPair += 1
        return pairs[key]!
    }

    /// The terminal colour number for `color` on this terminal.
    func number(_ color: Color, isBackground: Bool) -> ColorNumber {
        switch color {
        case .default:
            if hasDefaultColors { return -1 }
            return isBackground ? 0 : 7
        case .ansi(let n):
            return ColorNumber(n % 8)
                + (n >= 8 && n < 16 && support == .color256 ? 8 : 0)
        case .indexed(let n):
            return support == .color256 ? ColorNumber(n) : ColorNumber(Self.nearestAnsi8(n))
        }
    }

    /// The nearest of the 8 ANSI colours to xterm palette entry `index`.
    static func nearestAnsi8(_ index: UInt8) -> UInt8 {
        switch index {
        case 0..<16:
            return index % 8
        case 16..<232:
            // 6×6×6 cube: each channel on when it is in the upper half.
            let i = Int(index) - 16
            let (r, g, b) = (i / 36, (i / 6) % 6, i % 6)
            return UInt8((r >= 3 ? 1 : 0) | (g >= 3 ? 2 : 0) | (b >= 3 ? 4 : 0))
        default:
            // Grey ramp 232…255: dark half black, light half white.
            return index < 244 ? 0 : 7
        }
    }
}
