/// A panel drawn from its own values (no `AppState`) with the viewer's theme: the lesson widgets.
protocol ThemedPanel {
    /// Draws the panel (border and title included) into `area` of `buffer`, and nowhere else.
    func render(in area: Rect, into buffer: inout Buffer, theme: Theme, focused: Bool)
}

extension ThemedPanel {
    /// Draws the panel with the theme of `options` (tests and callers without a theme at hand).
    func render(in area: Rect, into buffer: inout Buffer, options: ViewOptions, focused: Bool = false) {
        render(in: area, into: &buffer, theme: Theme(options), focused: focused)
    }
}
