extension Scene {
    /// The panel shown for `id`: one table for the zoom (`z`), the presenter's layout and anything else that
    /// places panels by name.
    func panel(_ id: PanelID, theme: Theme) -> any View {
        switch id {
        case .state: return StatePanel(scene: self, theme: theme)
        case .gates: return GatesPanel(scene: self, theme: theme)
        case .output: return OutputPanel(scene: self, theme: theme)
        case .gradients: return GradientPanel(scene: self, theme: theme)
        case .equations: return EquationPanel(scene: self, theme: theme)
        case .overview: return OverviewPanel(scene: self, theme: theme)
        case .narration: return NarrationPanel(scene: self, theme: theme)
        }
    }
}
