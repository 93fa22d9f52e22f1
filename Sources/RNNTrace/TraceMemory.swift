import Foundation
import RNNEngine

/// Memory a recorded run needs, estimated before it starts, so that an input too long for this machine is
/// refused with a message instead of dying by SIGSEGV in the allocator after minutes of work.
///
/// A run keeps every intermediate of every step (x, h, c, gates, pre-activations, logits, probs and their
/// gradients) as float32 in the recording, and the parameter gradients; an export streams from the
/// recording through buffers of a few megabytes, so it costs what showing the run costs. Measured peak
/// resident memory (H = 256 LSTM, T = 10,000; H = 64, T = 100,000): about 4 bytes per number, counted
/// here as 5 to leave room for the engine's work buffers; per parameter about 16 bytes (weights, their
/// gradients, the model file's bytes).
public struct TraceMemory: Sendable {
    /// What the run is for (the message names it; the cost is the same).
    public enum Use: Sendable {
        /// Recorded and shown in the viewer.
        case view
        /// Exported in a format.
        case export(TraceFormat)

        var bytesPerNumber: Double { 5 }
        var bytesPerParameter: Double { 16 }
    }

    /// The most a command may plan to use: 8 GB, or half of this machine's memory if that is less.
    public static var limit: Double {
        min(8e9, Double(ProcessInfo.processInfo.physicalMemory) / 2)
    }

    public var steps: Int
    /// Numbers recorded per step.
    public var numbersPerStep: Int
    public var parameterCount: Int
    public var use: Use
    /// Estimated peak bytes.
    public var bytes: Double

    /// - Parameters:
    ///   - inputSize: numbers in x_t (E, or V for one-hot input); outputSize: V (1 for regression).
    public init(cell: CellKind, inputSize: Int, hiddenSize: Int, outputSize: Int, parameterCount: Int, steps: Int, use: Use) {
        let h = hiddenSize, g = cell.gateCount
        // x, h_prev, h, gates, pre-activations, grad.h, grad.gates (+ c_prev, c, grad.c for the LSTM), logits, probs.
        numbersPerStep = inputSize + 2 * outputSize + h * (3 + 3 * max(1, g) + (cell == .lstm ? 3 : 0))
        self.parameterCount = parameterCount
        self.steps = steps
        self.use = use
        bytes = Double(steps) * Double(numbersPerStep) * use.bytesPerNumber + Double(parameterCount) * use.bytesPerParameter
    }

    /// A run of `model` over `steps` tokens.
    public init(model: RNNModel, steps: Int, use: Use) {
        let p = model.parameters
        self.init(cell: p.cell, inputSize: p.inputSize, hiddenSize: p.hiddenSize, outputSize: p.outputSize,
                  parameterCount: p.parameterCount, steps: steps, use: use)
    }

    /// Steps that fit under the limit with this model (0 when not even the model fits).
    public var maximumSteps: Int {
        let room = Self.limit - Double(parameterCount) * use.bytesPerParameter
        return Int(max(0, min(room / (Double(numbersPerStep) * use.bytesPerNumber), Double(Int.max / 2))))
    }

    /// A one-line refusal when the estimate is over the limit, nil when it fits.
    public var refusal: String? {
        guard bytes > Self.limit else { return nil }
        let what: String
        switch use {
        case .view: what = "to record and show"
        case .export(let format): what = "to export as \(format.rawValue.uppercased())"
        }
        let advice = maximumSteps > 0
            ? "shorten the input to at most \(Self.grouped(maximumSteps)) steps"
            : "the model alone (\(Self.grouped(parameterCount)) parameters) is too large"
        return "this run would need about \(Self.describe(bytes)) of memory \(what) (\(Self.grouped(steps)) steps × "
            + "\(Self.grouped(numbersPerStep)) numbers per step, \(Self.grouped(parameterCount)) parameters), over the "
            + "\(Self.describe(Self.limit)) limit of this machine: \(advice)"
    }

    static func describe(_ bytes: Double) -> String {
        bytes >= 1e9 ? "\(Self.grouped(Int(min(bytes / 1e9, 1e15).rounded()))) GB" : "\(Int((bytes / 1e6).rounded())) MB"
    }

    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }
}
