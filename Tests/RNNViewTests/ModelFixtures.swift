import Foundation
import RNNEngine
import RNNLessons
import RNNTrace
import TestSupport
@testable import RNNView

/// Recordings made from the golden models (Tests/Golden): unlike a trace file they keep the weights, which
/// the sum and weights screens need.
enum ModelFixtures {
    /// The golden model `name` run over its own input text.
    static func recording(_ name: String) throws -> Recording {
        let model = try RNNModel.load(contentsOf: GoldenFiles.model(name).path)
        let text = try String(contentsOf: GoldenFiles.input(name), encoding: .utf8)
        return try Recording.record(model: model, text: text.trimmingCharacters(in: .whitespacesAndNewlines), modelName: name)
    }

    /// The viewer on `screen` at step 2, unit 1 (as the panel snapshots), in `mode`.
    static func state(_ name: String, screen: ScreenKind, mode: StepMode, options: ViewOptions = ViewOptions()) throws -> AppState {
        var options = options
        options.screen = screen
        var s = AppState(trace: try recording(name), options: options)
        s.jump(toStep: 2)
        s.selectUnit(1)
        s.setMode(mode)
        return s
    }
}
