import Testing
@testable import RNNView
import RNNTrace

/// `t` trains live: a fake session stands in for the engine's trainer and returns traces whose h values
/// record how many epochs were done, so the test can see the screen follow the training.
@Suite("Live training")
struct LiveTrainingTests {
    struct CountingSession: TrainingSession {
        let base: Recording
        let totalEpochs: Int
        var epochLosses: [Double] = []

        mutating func train(epochs: Int, text: String, shouldStop: @escaping () -> Bool) throws -> Recording {
            for _ in 0..<epochs where epochLosses.count < totalEpochs {
                epochLosses.append(2.0 / Double(epochLosses.count + 1))
            }
            var trace = base
            trace.setH(step: 0, unit: 0, Double(epochLosses.count))
            return trace
        }
    }

    final class TrainableSource: TraceSource {
        let base: Recording
        let epochs: Int
        init(base: Recording, epochs: Int) { self.base = base; self.epochs = epochs }
        func trace(for text: String) throws -> Recording { base }
        func comparison(for text: String) throws -> [Recording] { [base] }
        func export(_ trace: Recording) throws -> String { "/tmp/unused" }
        func makeTrainingSession() throws -> any TrainingSession { CountingSession(base: base, totalEpochs: epochs) }
    }

    /// Live training a class can watch: + and − step the pace from full speed down to one epoch per key,
    /// each slower pace one epoch a slice at a longer interval; `.` trains exactly one epoch and pauses.
    @Test func trainingPaceGoesFromFullSpeedToOneEpochPerKey() throws {
        let trace = try Fixtures.trace("lstm_word_embed")
        var state = AppState(trace: trace, source: TrainableSource(base: trace, epochs: 250), options: ViewOptions())
        state.applyRunningEffects(keymap(.character("."), state: state)!)
        #expect(state.training == nil && state.status?.text.contains("press t") == true)
        state.applyRunningEffects(keymap(.character("t"), state: state)!)
        #expect(state.training?.pace == .fastest && state.tickInterval == 0.02)
        var intervals: [Double?] = []
        for _ in TrainingPace.allCases.dropFirst() {
            state.applyRunningEffects(keymap(.character("-"), state: state)!)
            intervals.append(state.tickInterval)
        }
        #expect(intervals == [0.04, 0.2, 1, nil])
        #expect(state.training?.pace == .perKey && state.status?.text.contains("one epoch per . key") == true)
        // Playback speed is untouched while training owns + and −.
        #expect(state.speed == ViewOptions().speeds[ViewOptions().initialSpeedIndex])
        state.applyRunningEffects(keymap(.character("+"), state: state)!)
        #expect(state.training?.pace == .oneASecond)
        state.applyRunningEffects(.tick)
        #expect(state.training?.session.epochLosses.count == 1, "one epoch a slice below full speed")
        for expected in 2...4 {
            state.applyRunningEffects(keymap(.character("."), state: state)!)
            #expect(state.training?.session.epochLosses.count == expected)
            #expect(state.training?.isRunning == false && state.tickInterval == nil)
        }
        #expect(state.status?.text.contains("epoch 4/250") == true)
    }

    @Test func trainsInSlicesOnTicksUntilDone() throws {
        let trace = try Fixtures.trace("lstm_word_embed")
        var state = AppState(trace: trace, source: TrainableSource(base: trace, epochs: 250), options: ViewOptions())
        #expect(state.tickInterval == nil)
        state.applyRunningEffects(keymap(.character("t"), state: state)!)
        #expect(state.training?.isRunning == true)
        #expect(state.tickInterval != nil)
        state.applyRunningEffects(.tick)
        // 1% of 250 epochs per tick, rounded down to 2.
        #expect(state.training?.session.epochLosses.count == 2)
        #expect(state.trace.step(0).h[0] == 2)
        #expect(state.status?.text.contains("epoch 2/250") == true)
        let frame = renderFrame(state, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(frame.contains("Training loss (live)"), "\(frame)")

        // t pauses: ticks no longer train.
        state.applyRunningEffects(.toggleTraining)
        #expect(state.training?.isRunning == false)
        #expect(state.tickInterval == nil)
        state.applyRunningEffects(.tick)
        #expect(state.training?.session.epochLosses.count == 2)

        state.applyRunningEffects(.toggleTraining)
        for _ in 0..<200 { state.applyRunningEffects(.tick) }
        #expect(state.training?.session.epochLosses.count == 250)
        #expect(state.training?.isRunning == false)
        #expect(state.tickInterval == nil)
        #expect(state.trace.step(0).h[0] == 250)
        #expect(state.status?.text.hasPrefix("trained 250 epochs") == true)
    }

    @Test func withoutARecipeItSaysWhy() throws {
        final class FileModelSource: TraceSource {
            let base: Recording
            init(base: Recording) { self.base = base }
            func trace(for text: String) throws -> Recording { base }
            func comparison(for text: String) throws -> [Recording] { [base] }
            func export(_ trace: Recording) throws -> String { "/tmp/unused" }
        }
        let trace = try Fixtures.trace("gru_word_embed")
        var state = AppState(trace: trace, source: FileModelSource(base: trace), options: ViewOptions())
        state.applyRunningEffects(.toggleTraining)
        #expect(state.training == nil)
        #expect(state.status?.text.contains("live training needs a lesson that trains its model") == true)
        var replay = AppState(trace: trace, options: ViewOptions())
        replay.applyRunningEffects(.toggleTraining)
        #expect(replay.status?.text.contains("needs a model") == true)
    }
}
