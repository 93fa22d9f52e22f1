import Foundation
import RNNLessons
import RNNTrace

/// Work `AppState.apply` asks for instead of doing it: anything that runs a model, trains, opens a lesson
/// or writes a file. The terminal loop runs each one off the draw path (`perform` on a worker thread, the
/// screen still drawn and the quit keys still read) and hands the `EffectOutcome` back to
/// `AppState.receive`; tests can look at the effects without running them.
///
/// Each effect carries what it needs (the source, the course, the store, the session), so performing it
/// reads nothing of the state; the state is changed only by the outcome.
public enum Effect {
    /// Open lesson `number` of `course`: load it, train or read its models, run it.
    case openLesson(number: Int, course: any CourseSource)
    /// Run the model on text the learner typed.
    case runInput(text: String, source: any TraceSource)
    /// Run every compared cell on `text`. `refresh`: the comparison was open already (new input), so the
    /// outcome replaces it quietly instead of announcing it.
    case compare(text: String, source: any TraceSource, refresh: Bool)
    /// Write `trace` out (`e`).
    case export(Recording, source: any TraceSource)
    /// Begin live training (`t`): a fresh run of the model's recipe from its seed.
    case startTraining(source: any TraceSource)
    /// Train `epochs` more epochs of the live run, then record the model on `text`.
    case train(session: any TrainingSession, epochs: Int, text: String)
    /// Keep the learner's answers and furthest page of course lesson `lesson`.
    case saveProgress(LessonRecord, lesson: Int, store: any ProgressStore)

    /// What the status line says while the effect runs (before " · q stops").
    public var label: String {
        switch self {
        case .openLesson(let number, let course): return "opening lesson \(number)/\(course.lessonCount)"
        case .runInput: return "running the model"
        case .compare: return "running the compared cells"
        case .export: return "exporting the trace"
        case .startTraining: return "preparing to train"
        case .train(let session, _, _): return "training live: epoch \(session.epochLosses.count)/\(session.totalEpochs)"
        case .saveProgress: return "saving progress"
        }
    }

    /// Does the work: on the loop's worker thread, or inline in tests and non-interactive commands.
    /// `shouldStop` is asked between training updates; once it says yes the work ends soon with an error.
    public func perform(shouldStop: @escaping () -> Bool = { false }) -> EffectOutcome {
        switch self {
        case .openLesson(let number, let course):
            return .lessonOpened(number: number, Result { try course.openLesson(number: number, shouldStop: shouldStop) })
        case .runInput(let text, let source):
            return .inputRan(Result { try source.trace(for: text) })
        case .compare(let text, let source, let refresh):
            return .compared(Result { try source.comparison(for: text, shouldStop: shouldStop) }, refresh: refresh)
        case .export(let trace, let source):
            return .exported(Result { try source.export(trace) })
        case .startTraining(let source):
            return .trainingStarted(Result { try source.makeTrainingSession() })
        case .train(var session, let epochs, let text):
            let trace = Result { try session.train(epochs: epochs, text: text, shouldStop: shouldStop) }
            return .trained(session: session, trace)
        case .saveProgress(let record, let lesson, let store):
            do {
                try store.save(record, lesson: lesson)
                return .progressSaved(error: nil)
            } catch {
                return .progressSaved(error: errorLine(error))
            }
        }
    }
}

/// What came of an `Effect`, for `AppState.receive`.
public enum EffectOutcome {
    case lessonOpened(number: Int, Result<LessonSession, any Error>)
    case inputRan(Result<Recording, any Error>)
    case compared(Result<[Recording], any Error>, refresh: Bool)
    case exported(Result<String, any Error>)
    case trainingStarted(Result<any TrainingSession, any Error>)
    /// The session as far as it got (it trained on a copy), and the trace of its model now.
    case trained(session: any TrainingSession, Result<Recording, any Error>)
    /// nil when the progress is saved, else why not (one line).
    case progressSaved(error: String?)
}

/// An error as one readable line.
func errorLine(_ error: any Error) -> String {
    (error as? any LocalizedError)?.errorDescription ?? String(describing: error)
}

extension AppState {
    /// Applies `action` and runs the effects it asks for, and those their outcomes lead to, one after the
    /// other on this thread, as the terminal loop would (without the frames in between): for tests and
    /// for callers that have no loop.
    public mutating func applyRunningEffects(_ action: Action) {
        var effects = apply(action)
        while !effects.isEmpty { effects += receive(effects.removeFirst().perform()) }
    }
}
