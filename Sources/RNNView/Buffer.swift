import RNNTrace

/// A terminal colour as the view chooses it; the terminal layer maps it to what the screen supports.
public enum Color: Hashable, Sendable {
    case `default`
    /// One of the 8 basic ANSI colours (0 black … 7 white); `bright` selects 8–15 where available.
    case ansi(UInt8)
    /// A 256-colour palette index.
    case indexed(UInt8)
}

/// Text attributes of one cell.
public struct Modifiers: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Modifiers(rawValue: 1 << 0)
    public static let reverse = Modifiers(rawValue: 1 << 1)
    public static let underline = Modifiers(rawValue: 1 << 2)
    public static let dim = Modifiers(rawValue: 1 << 3)
}

public struct Style: Hashable, Sendable {
    public var foreground: Color
    public var background: Color
    public var modifiers: Modifiers

    public init(foreground: Color = .default, background: Color = .default, modifiers: Modifiers = []) {
        self.foreground = foreground
        self.background = background
        self.modifiers = modifiers
    }

    public static let plain = Style()
}

/// One screen cell: a single-column glyph and its style.
public struct Cell: Hashable, Sendable {
    public var symbol: Character
    public var style: Style

    public init(_ symbol: Character = " ", style: Style = .plain) {
        self.symbol = symbol
        self.style = style
    }

    public static let blank = Cell()
}

/// A rectangle on the screen, in cells.
public struct Rect: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }
}

/// The grid of styled cells a frame is drawn into; the terminal layer only flushes it.
public struct Buffer: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = [Cell](repeating: .blank, count: self.width * self.height)
    }

    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Writes `text` from (x, y), clipped to `maxWidth` columns and to the buffer; returns columns written.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var column = x
        for ch in text {
            if column >= limit { break }
            // A control character never reaches a cell (nor the terminal, nor a --plain frame); text
            // from files is escaped before it is drawn (`displayToken`), this is the last guard.
            if column >= 0 { self[column, y] = Cell(TerminalText.isSafe(ch) ? ch : "?", style: style) }
            column += 1
        }
        return max(0, column - x)
    }

    /// Sets the style of every cell in `rect` without changing symbols.
    public mutating func setStyle(_ style: Style, in rect: Rect) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) { cells[y * width + x].style = style }
        }
    }

    public mutating func fill(_ rect: Rect, with cell: Cell) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) { cells[y * width + x] = cell }
        }
    }

    /// The frame as plain text, one line per row, trailing spaces kept (snapshot form).
    public var lines: [String] {
        (0..<height).map { y in String((0..<width).map { cells[y * width + $0].symbol }) }
    }
}
