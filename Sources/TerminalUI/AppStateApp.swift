import RNNView

/// The rnnscope viewer as a `TerminalApp`: keys go through the view's `keymap` table to actions,
/// the loop's timer becomes `Action.tick`, and frames come from `renderFrame`.
/// `shouldQuit` and `tickInterval` are `AppState`'s own.
extension AppState: TerminalApp {
    public mutating func handle(_ key: Key) {
        // Resizes need no action: the next frame is simply rendered at the new size.
        if let action = keymap(key, state: self) { apply(action) }
    }

    public mutating func tick() {
        apply(.tick)
    }

    public func render(width: Int, height: Int) -> Buffer {
        renderFrame(self, width: width, height: height)
    }
}

extension ColorSupport {
    /// The view's colour mode for a terminal with these colours (before any `--no-color` choice).
    public var viewColorMode: ColorMode {
        switch self {
        case .monochrome: return .monochrome
        case .ansi8: return .color8
        case .indexed256: return .color256
        }
    }
}
