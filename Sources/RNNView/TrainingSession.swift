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

/// Live training as the viewer shows it: the session, and whether it is running.
public struct LiveTraining {
    public var session: any TrainingSession
    public var isRunning: Bool
    public var isFinished: Bool { session.epochLosses.count >= session.totalEpochs }
}
