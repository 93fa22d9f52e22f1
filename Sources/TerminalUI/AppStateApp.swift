import RNNView

/// The rnnscope viewer as a `TerminalApp`: keys go through the view's `keymap` table to actions,
/// the loop's timer becomes `Action.tick`, effects are `Effect`s performed by `Effect.perform`, and
/// frames come from `renderFrame`. `shouldQuit` and `tickInterval` are `AppState`'s own.
extension AppState: TerminalApp {
    public mutating func handle(_ key: Key) -> [Effect] {
        // Resizes need no action: the next frame is simply rendered at the new size.
        guard let action = keymap(key, state: self) else { return [] }
        return apply(action)
    }

    public mutating func tick() -> [Effect] {
        apply(.tick)
    }

    public static func perform(_ effect: Effect, shouldStop: @escaping @Sendable () -> Bool) -> EffectOutcome {
        effect.perform(shouldStop: shouldStop)
    }

    public func render(width: Int, height: Int) -> Buffer {
        renderFrame(self, width: width, height: height)
    }
}
