import Foundation
import RNNEngine
import RNNTrace

/// The connectivity map of the recording on screen, computed once and kept: it costs W² cell steps, far
/// too much for every frame. Shared by the copies of the state that hold it (a reference), and keyed on the
/// recording's tokens and outputs, so a new input or newly trained weights compute it again.
public final class SensitivityCache: @unchecked Sendable {
    /// The window the map covers: the last steps of a longer input.
    public static let window = 200

    private struct Key: Equatable {
        let cell: CellKind
        let tokens: [String]
        let logits: [Float]
    }

    private let lock = NSLock()
    private var entry: (key: Key, map: InputSensitivity)?

    public init() {}

    /// The map of the recording's run, or nil when it carries no weights (a trace read from a file).
    func map(for recording: Recording) -> InputSensitivity? {
        guard let model = recording.model, recording.stepCount > 0 else { return nil }
        let key = Key(cell: recording.cell, tokens: recording.tokens, logits: recording.logits)
        lock.lock()
        defer { lock.unlock() }
        if let entry, entry.key == key { return entry.map }
        let map = Self.compute(model: model, recording: recording)
        entry = (key, map)
        return map
    }

    /// The inputs as the run read them, and the targets its loss used: a step the loss skips (as in a lesson
    /// that scores only the last prediction) has no row.
    static func compute(model: RNNModel, recording: Recording) -> InputSensitivity {
        let inputs: SequenceInputs, targets: SequenceTargets
        if recording.isRegression {
            let values = (0..<recording.stepCount).map { recording.inputs[$0 * recording.inputSize] }
            inputs = .numbers(values)
            targets = .numbers(recording.targetValues.map { $0.map(Float.init) })
        } else {
            inputs = .tokens(recording.tokenIds)
            targets = .tokens(recording.targets)
        }
        return InputSensitivity(parameters: model.parameters, inputs: inputs, targets: targets, task: model.task,
                                window: window)
    }
}
