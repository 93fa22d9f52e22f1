import RNNTrace

/// Training a lesson's model live, inside the viewer: `RNNApp` wraps the engine's trainer, and the app
/// asks for a few epochs per timer tick (an `Effect.train`, run off the draw path), so the learner watches the loss curve fall and every panel's
/// numbers change while the model learns.
public protocol TrainingSession {
    /// Epochs the recipe asks for.
    var totalEpochs: Int { get }
    /// Mean training loss of each epoch done so far.
    var epochLosses: [Double] { get }
    /// Trains up to `epochs` more epochs, then returns the trace of the model as it is now on `text`.
    /// `shouldStop` is asked between training updates; a stopped slice throws (the run cannot go on).
    mutating func train(epochs: Int, text: String, shouldStop: @escaping () -> Bool) throws -> Recording
}

/// Live training as the viewer shows it: the session, whether it is running, and how fast.
public struct LiveTraining {
    public var session: any TrainingSession
    public var isRunning: Bool
    /// How fast it runs (+ / − while training); a class watches one epoch a second, a learner may race.
    public var pace: TrainingPace = .fastest
    public var isFinished: Bool { session.epochLosses.count >= session.totalEpochs }
}

/// Speeds of live training, slowest first: from one epoch each time `.` is pressed to the full run.
public enum TrainingPace: Int, CaseIterable, Sendable {
    case perKey, oneASecond, fiveASecond, twentyFiveASecond, fastest

    /// Seconds between slices; nil: only the key `.` trains.
    var interval: Double? {
        switch self {
        case .perKey: return nil
        case .oneASecond: return 1
        case .fiveASecond: return 0.2
        case .twentyFiveASecond: return 0.04
        case .fastest: return 0.02
        }
    }

    /// Epochs one slice trains: one at every watchable pace, a hundredth of the run at full speed.
    func epochs(total: Int) -> Int { self == .fastest ? max(1, total / 100) : 1 }

    var label: String {
        switch self {
        case .perKey: return "one epoch per . key"
        case .oneASecond: return "1 epoch/s"
        case .fiveASecond: return "5 epochs/s"
        case .twentyFiveASecond: return "25 epochs/s"
        case .fastest: return "full speed"
        }
    }
}
