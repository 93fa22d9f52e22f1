import Foundation
import RNNLessons
import RNNTrace

/// A status-line message and how loudly to show it.
public struct StatusMessage: Equatable, Sendable {
    public enum Kind: Sendable { case info, warning, error }
    public var text: String
    public var kind: Kind
    public init(_ text: String, kind: Kind = .info) {
        self.text = text
        self.kind = kind
    }
}

/// The input-edit field on the status line.
public struct EditField: Equatable, Sendable {
    public var text: String
    /// Cursor position in characters, 0…text.count.
    public var cursor: Int
    public init(text: String) {
        self.text = text
        self.cursor = text.count
    }
}

/// All the app knows between frames. `apply` changes it and returns the `Effect`s to run (it never runs a
/// model, trains, opens a lesson or writes a file itself); `receive` takes what came of them; `renderFrame`
/// draws it. The sources it holds are only handed on, inside the effects.
public struct AppState {
    /// The recorded run, every layer of it: what `e` exports and what lessons compare against.
    public private(set) var fullTrace: Recording {
        didSet {
            layer = fullTrace.layerCount - 1
            trace = fullTrace.layerView(layer)
        }
    }
    /// The trace as the panels show it: for a stacked model, each step's h_prev, h, c, gates and gradients
    /// are the selected layer's (and x is that layer's input); a single-layer trace is `fullTrace` itself.
    public private(set) var trace: Recording {
        didSet { statistics = TraceStatistics(trace) }
    }
    /// Which recurrent layer the state, gates, gradient, overview and equation panels show (0 = the
    /// bottom layer); the top layer, the one the output reads, until `L` cycles it.
    public private(set) var layer: Int = 0
    /// Whole-trace numbers for the panels, recomputed only when the trace changes.
    public private(set) var statistics: TraceStatistics
    public var source: (any TraceSource)?
    public var options: ViewOptions
    /// Current time step, 0…T-1.
    public private(set) var step: Int = 0 { didSet { if step != oldValue { lessonMoved() } } }
    public private(set) var mode: StepMode = .forward { didSet { if mode != oldValue { lessonMoved() } } }
    public private(set) var isPlaying = false
    public private(set) var speedIndex: Int
    /// Selected hidden unit, 0…H-1; drives the equation panel.
    public private(set) var unit: Int = 0
    public private(set) var focus: PanelID = .state
    /// The focused panel has the whole screen (`z`).
    public private(set) var zoomed = false
    public private(set) var overview: OverviewQuantity = .hidden
    public private(set) var showHelp = false
    /// The help shows what the glyphs, colours and markers mean instead of the keys.
    public private(set) var helpShowsLegend = false
    public private(set) var edit: EditField?
    /// Traces of the three cell kinds on the same input, when the compare view is open.
    public private(set) var comparison: [Recording]? {
        didSet { comparisonStatistics = comparison?.map(TraceStatistics.init) ?? [] }
    }
    /// Statistics of each compared trace, in the same order.
    public private(set) var comparisonStatistics: [TraceStatistics] = []
    /// The open lesson: narration, questions and the learner's answers over the lesson's live run.
    public private(set) var lesson: LessonPlayback?
    /// Which lesson of the course is open (nil without a course, or for a lesson file outside it).
    public private(set) var coursePosition: CoursePosition?
    /// Opens other lessons for n / p; nil when the viewer was started on a model or trace.
    public var course: (any CourseSource)?
    /// The narration panel's page for the current step and mode, rebuilt when either changes.
    public private(set) var narration: Narration?
    /// What the waiting question covers on screen, rebuilt with the narration; every panel asks it.
    public private(set) var questionCover = QuestionCover.none
    /// Lines the narration panel is scrolled by (PgUp / PgDn), from where it shows by default.
    public private(set) var narrationScroll = 0
    /// Lessons left earlier with their answers, so that coming back shows them as they were.
    private var visitedLessons: [Int: LessonSession] = [:]
    /// The session open now (its source and first comparison), kept for `visitedLessons`.
    private var session: LessonSession?
    /// Keeps the learner's answers and furthest page between runs (nil: nothing is kept).
    public var progressStore: (any ProgressStore)?
    /// The furthest page of the open lesson the learner has reached (in walking order).
    private(set) var furthest = LessonWalk.Position(step: 0, mode: .forward)
    /// Why the last save of the progress failed; nil when it is saved (or nothing is kept).
    public private(set) var progressSaveError: String?
    /// q / Esc was pressed once while the progress could not be saved: the next q / Esc quits anyway.
    public private(set) var quitPending = false
    /// q / Esc asked to quit and the progress is being saved: the save's outcome decides.
    private var quitAfterSave = false
    public var status: StatusMessage?
    public private(set) var shouldQuit = false
    /// Training the model live (`t`), and how far it got.
    public private(set) var training: LiveTraining?
    /// The status line from before an effect began showing its progress (the outer nil: none shown), put
    /// back by its outcome.
    private var statusBeforeWork: StatusMessage??
    /// The connectivity map of the trace on screen, computed the first time the connect screen draws it.
    public let sensitivityCache = SensitivityCache()

    public init(trace: Recording, source: (any TraceSource)? = nil, options: ViewOptions) {
        self.fullTrace = trace
        self.layer = trace.layerCount - 1
        let shown = trace.layerView(trace.layerCount - 1)
        self.trace = shown
        self.statistics = TraceStatistics(shown)
        self.source = source
        self.options = options
        self.speedIndex = options.initialSpeedIndex
    }

    /// The viewer on a lesson: its trace, narration and questions; `course` opens the others (n / p).
    public init(lesson session: LessonSession, course: (any CourseSource)? = nil, options: ViewOptions) {
        self.init(trace: session.trace ?? session.playback.run.cells.values.first!.trace, source: session.source, options: options)
        self.course = course
        openLesson(session)
    }

    // MARK: - Derived values

    public var stepCount: Int { trace.stepCount }
    /// Recurrent layers of the model on screen.
    public var layerCount: Int { fullTrace.layerCount }
    /// "layer 2/3" for titles and the header when the model is stacked; nil for a single layer.
    public var layerLabel: String? { layerCount > 1 ? "layer \(layer + 1)/\(layerCount)" : nil }
    public var hiddenSize: Int { trace.hiddenSize }
    public var currentStep: RecordedStep? { (0..<trace.stepCount).contains(step) ? trace.step(step) : nil }
    /// Playback speed in steps per second.
    public var speed: Double { options.speeds[min(max(0, speedIndex), options.speeds.count - 1)] }
    /// Seconds until the next `tick`, or nil when paused (the loop then waits for keys only).
    public var tickInterval: Double? {
        if let live = training, live.isRunning { return live.pace.interval }
        return isPlaying ? 1 / speed : nil
    }
    /// The text the trace was made from (tokens joined by spaces, or nothing for characters), the edit
    /// field's starting value.
    public var inputText: String {
        let characters = !trace.isRegression && !trace.vocab.isEmpty && trace.vocab.allSatisfy { $0.count == 1 }
        return trace.tokens.joined(separator: characters ? "" : " ")
    }
    /// Whether the trace on screen is the lesson's own run (not input the learner typed).
    public var showsLessonInput: Bool {
        guard let own = lesson?.run.primaryRun?.trace else { return true }
        return own.tokens == trace.tokens
    }

    /// Overview quantities this trace can show, in the order `o` cycles through them.
    public var overviewChoices: [OverviewQuantity] { OverviewQuantity.choices(for: trace) }

    // MARK: - Entry points for the CLI

    /// Moves the cursor to step `t`, clamped to the trace.
    public mutating func jump(toStep t: Int) {
        step = stepCount == 0 ? 0 : min(max(0, t), stepCount - 1)
    }

    public mutating func setMode(_ mode: StepMode) { self.mode = mode }

    // MARK: - Lessons

    /// Shows `session`: its trace at the first step of the forward pass, its narration, and its
    /// comparison when it opens with one. The lesson shown before is kept with its answers; the returned
    /// effect saves its progress.
    @discardableResult
    public mutating func openLesson(_ session: LessonSession) -> [Effect] {
        var effects: [Effect] = []
        if let current = currentSession(), let k = current.position?.number {
            effects += progressSaving()
            visitedLessons[k] = current
        }
        self.session = session
        lesson = session.playback
        coursePosition = session.position
        source = session.source
        comparison = session.comparison
        training = nil
        edit = nil
        isPlaying = false
        if let t = session.trace { replaceTrace(t) }
        furthest = LessonWalk.Position(step: 0, mode: .forward)
        step = 0
        mode = .forward
        unit = 0
        if let resume = session.resumeStep {
            jump(toStep: resume)
            mode = session.resumeMode
            furthest = LessonWalk.Position(step: step, mode: mode)
        }
        lessonMoved()
        let answered = lesson?.answers.count ?? 0
        if session.resumeStep != nil || answered > 0 {
            let count = lesson?.questionIDs.count ?? 0
            status = StatusMessage("welcome back: \(answered) of \(count) question\(count == 1 ? "" : "s") answered, at the furthest step you reached")
        }
        return effects
    }

    /// The open session with the answers given so far, reopening where the learner got to.
    private func currentSession() -> LessonSession? {
        guard var s = session, let lesson else { return nil }
        s.playback = lesson
        s.resumeStep = furthest.step
        s.resumeMode = furthest.mode
        return s
    }

    /// The walk of the open lesson (its sections in the order a learner meets them).
    private var walk: LessonWalk? { lesson.map { LessonWalk(lesson: $0.lesson, stepCount: $0.stepCount) } }

    /// The effect that saves the open lesson's answers, furthest page and whether it is finished through
    /// `progressStore`; none when nothing is kept (no store, or a lesson outside the course).
    private func progressSaving() -> [Effect] {
        guard let progressStore, let lesson, let number = coursePosition?.number, let walk else { return [] }
        let record = lesson.record(furthestStep: furthest.step, furthestMode: furthest.mode,
                                   reachedEnd: walk.rank(furthest) >= walk.rank(walk.end))
        return [.saveProgress(record, lesson: number, store: progressStore)]
    }

    /// Saves the progress now, on the caller's thread: for when the viewer has ended (however it ended),
    /// so the last answers are kept even when the loop could not run the last effect.
    public mutating func saveProgress() {
        for effect in progressSaving() { receive(effect.perform()) }
    }

    /// A save's outcome: a failure is kept in `progressSaveError` and said on the status line; it never
    /// stops the viewer. A quit waiting on the save quits now, or asks once when answers would be lost.
    private mutating func progressSaved(error: String?) {
        progressSaveError = error
        if let error { status = StatusMessage("progress not saved: \(error)", kind: .error) }
        guard quitAfterSave else { return }
        quitAfterSave = false
        if quitWouldLoseWork && !quitPending {
            quitPending = true
            status = StatusMessage("your answers could not be saved (\(progressSaveError ?? "")): q again quits anyway, any other key stays", kind: .error)
            return
        }
        shouldQuit = true
    }

    /// Whether quitting now would lose answers: the last save failed and this lesson has some.
    private var quitWouldLoseWork: Bool {
        progressSaveError != nil && !(lesson?.answers.isEmpty ?? true)
    }

    /// q / Esc with nothing left open: saves the progress and quits once it is saved; asks once (q / Esc
    /// again) when the progress cannot be saved, since the answers would then be lost.
    private mutating func quitSaving() -> [Effect] {
        let saving = progressSaving()
        if saving.isEmpty { shouldQuit = true } else { quitAfterSave = true }
        return saving
    }

    /// Rebuilds the narration after a move (step, mode, lesson or answer) and selects its unit.
    private mutating func lessonMoved() {
        narrationScroll = 0
        if let walk, showsLessonInput {
            let here = LessonWalk.Position(step: step, mode: mode)
            if walk.rank(here) > walk.rank(furthest) { furthest = here }
        }
        refreshNarration()
        if let u = narration?.highlightUnit, hiddenSize > 0 { unit = min(max(0, u), hiddenSize - 1) }
    }

    private mutating func refreshNarration() {
        guard let lesson else { narration = nil; questionCover = .none; return }
        narration = Narration(playback: lesson, position: coursePosition, step: step, mode: mode, ownInput: showsLessonInput)
        questionCover = QuestionCover(playback: lesson, narration: narration, step: step, mode: mode, ownInput: showsLessonInput)
    }

    private mutating func answer(_ letter: Character) -> [Effect] {
        guard var playback = lesson, let q = narration?.openQuestion else { return [] }
        do {
            let reveal = try playback.answer(q.id, choice: letter)
            lesson = playback
            narrationScroll = 0
            refreshNarration()
            if let correct = reveal.correct {
                status = reveal.isCorrect ? StatusMessage("right: \(q.label(of: correct)) \(reveal.answer)")
                    : StatusMessage("not quite: the live answer is \(q.label(of: correct)) \(reveal.answer)", kind: .warning)
            } else {
                status = StatusMessage("the live answer is \(reveal.answer)")
            }
            // Kept at once: quitting (or a crash) later loses nothing.
            return progressSaving()
        } catch {
            status = StatusMessage(error.description, kind: .error)
            return []
        }
    }

    /// n / p: shows a lesson visited before at once; any other is opened by an `Effect.openLesson`.
    private mutating func moveLesson(by delta: Int) -> [Effect] {
        guard let course else {
            status = StatusMessage("n / p move through the course: start rnnscope with no arguments to take it", kind: .warning)
            return []
        }
        guard let here = coursePosition else {
            status = StatusMessage("this lesson was opened from a file outside the course: n / p need `rnnscope lesson N`", kind: .warning)
            return []
        }
        let target = here.number + delta
        guard target >= 1, target <= course.lessonCount else {
            status = StatusMessage(delta > 0 ? "this is the last lesson of the course" : "this is the first lesson of the course", kind: .warning)
            return []
        }
        if let visited = visitedLessons[target] {
            let effects = openLesson(visited)
            status = nil
            return effects
        }
        return [.openLesson(number: target, course: course)]
    }

    /// An opened lesson replaces this one; a lesson that did not open leaves this one on screen.
    private mutating func lessonOpened(number: Int, _ result: Result<LessonSession, any Error>) -> [Effect] {
        switch result {
        case .success(let session):
            let effects = openLesson(session)
            status = nil
            return effects
        case .failure(let error):
            let lines = errorLine(error).split(separator: "\n", omittingEmptySubsequences: true)
            let more = lines.count > 1 ? " (+\(lines.count - 1) more problems)" : ""
            status = StatusMessage("lesson \(number) did not open: \(lines.first ?? "")\(more)", kind: .error)
            return []
        }
    }

    /// Selects hidden unit `u`, clamped.
    public mutating func selectUnit(_ u: Int) { unit = hiddenSize == 0 ? 0 : min(max(0, u), hiddenSize - 1) }

    /// Shows recurrent layer `k` (clamped) in the state, gates, gradient, overview and equation panels.
    public mutating func selectLayer(_ k: Int) {
        let chosen = min(max(0, k), layerCount - 1)
        guard chosen != layer else { return }
        layer = chosen
        trace = fullTrace.layerView(chosen)
        if !overviewChoices.contains(overview) { overview = .hidden }
    }

    /// Replaces the trace (new input or lesson), keeping the cursor in range and the selected layer when
    /// the new trace has it.
    public mutating func replaceTrace(_ newTrace: Recording) {
        let keep = layer
        fullTrace = newTrace
        if keep < layerCount - 1 { selectLayer(keep) }
        jump(toStep: step)
        selectUnit(unit)
        if !overviewChoices.contains(overview) { overview = .hidden }
    }

    // MARK: - Actions

    /// Applies one action and returns the work it asks for, to be run (off the draw path) and its outcome
    /// handed to `receive`. Nothing slow happens here. Discarding the effects drops that work: tests that
    /// only move around may do so.
    @discardableResult
    public mutating func apply(_ action: Action) -> [Effect] {
        // A message lasts until the next key; timer ticks and typing into the field leave it standing.
        switch action {
        case .tick, .editInsert, .editBackspace, .editLeft, .editRight: break
        default: status = nil
        }
        // A pending "quit anyway?" lasts one key.
        if quitPending, action != .quit, action != .escape, action != .tick { quitPending = false }
        switch action {
        case .stepForward: jump(toStep: step + 1)
        case .stepBackward: jump(toStep: step - 1)
        case .firstStep: jump(toStep: 0)
        case .lastStep: jump(toStep: stepCount - 1)
        case .jump(let t): jump(toStep: t)
        case .togglePlay:
            isPlaying.toggle()
            // Starting at the end of the run (in the direction of play) restarts from the other end.
            if isPlaying, mode == .forward, step == stepCount - 1 { step = 0 }
            if isPlaying, mode == .backward, step == 0 { jump(toStep: stepCount - 1) }
        // While a model trains live, + and − set the training's pace instead of playback's.
        case .faster, .slower:
            if var live = training, !live.isFinished {
                let paces = TrainingPace.allCases
                let i = min(max(0, live.pace.rawValue + (action == .faster ? 1 : -1)), paces.count - 1)
                live.pace = paces[i]
                training = live
                status = StatusMessage("training pace: \(live.pace.label) (+/− change, . one epoch, t pauses)")
            } else if action == .faster {
                speedIndex = min(speedIndex + 1, options.speeds.count - 1)
            } else {
                speedIndex = max(speedIndex - 1, 0)
            }
        case .trainOneEpoch:
            guard var live = training, !live.isFinished else {
                status = StatusMessage(training == nil ? "press t to start training; . then trains one epoch at a time" : "training is finished")
                return []
            }
            // One epoch per key: the run stays paused between keys.
            live.isRunning = false
            live.pace = .perKey
            training = live
            return [.train(session: live.session, epochs: 1, text: inputText)]
        case .toggleZoom:
            zoomed.toggle()
            status = StatusMessage(zoomed ? "zoomed: the \(focus.rawValue) panel has the screen (z or Esc: back; Tab: next panel)" : "all panels")
        case .tick:
            if let live = training, live.isRunning { return trainingSlice(live) }
            guard isPlaying else { return [] }
            // Play never runs past a question: the learner predicts before the next step is shown.
            if narration?.openQuestion != nil { pauseForQuestion(); return [] }
            // Backward mode plays right to left, the order backpropagation through time visits steps.
            let next = mode == .forward ? step + 1 : step - 1
            if next < 0 || next >= stepCount { isPlaying = false } else { step = next }
            if narration?.openQuestion != nil { pauseForQuestion() }
        case .toggleMode: mode = mode == .forward ? .backward : .forward
        case .setMode(let m): mode = m
        case .nextUnit: if hiddenSize > 0 { unit = (unit + 1) % hiddenSize }
        case .previousUnit: if hiddenSize > 0 { unit = (unit - 1 + hiddenSize) % hiddenSize }
        case .focusNext, .focusPrevious:
            let all = PanelID.allCases
            let i = all.firstIndex(of: focus) ?? 0
            focus = all[(i + (action == .focusNext ? 1 : all.count - 1)) % all.count]
        case .cycleLayer:
            guard layerCount > 1 else {
                status = StatusMessage("this model has a single recurrent layer")
                return []
            }
            selectLayer((layer + 1) % layerCount)
            status = StatusMessage("showing \(layerLabel ?? "")\(layer == layerCount - 1 ? " (top: the output reads it)" : "")")
        case .cycleOverview:
            let choices = overviewChoices
            let i = choices.firstIndex(of: overview) ?? -1
            overview = choices[(i + 1) % choices.count]
        case .toggleCompare:
            if comparison != nil { comparison = nil; return [] }
            guard let source else { needModel("comparing cells"); return [] }
            return [.compare(text: inputText, source: source, refresh: false)]
        case .beginEdit:
            guard source != nil else { needModel("editing the input"); return [] }
            edit = EditField(text: inputText)
        case .editInsert(let ch):
            guard var e = edit else { return [] }
            let i = e.text.index(e.text.startIndex, offsetBy: e.cursor)
            e.text.insert(ch, at: i)
            e.cursor += 1
            edit = e
        case .editBackspace:
            guard var e = edit, e.cursor > 0 else { return [] }
            e.text.remove(at: e.text.index(e.text.startIndex, offsetBy: e.cursor - 1))
            e.cursor -= 1
            edit = e
        case .editLeft: if var e = edit { e.cursor = max(0, e.cursor - 1); edit = e }
        case .editRight: if var e = edit { e.cursor = min(e.text.count, e.cursor + 1); edit = e }
        case .editSubmit: return submitEdit()
        case .editCancel: edit = nil
        case .export:
            guard let source else { needModel("exporting"); return [] }
            return [.export(fullTrace, source: source)]
        case .toggleHelp:
            showHelp.toggle()
            helpShowsLegend = false
        case .toggleHelpLegend: helpShowsLegend.toggle()
        case .toggleTraining: return toggleTraining()
        case .answer(let letter): return answer(letter)
        case .nextLesson: return moveLesson(by: 1)
        case .previousLesson: return moveLesson(by: -1)
        case .restoreLessonInput:
            guard let own = lesson?.run.primaryRun?.trace else {
                status = StatusMessage("r puts a lesson's own input back; no lesson is open", kind: .warning)
                return []
            }
            edit = nil
            replaceTrace(own)
            lessonMoved()
            status = StatusMessage("back to the lesson's input")
            if comparison != nil {
                if let opening = session?.comparison { comparison = opening }
                else if let source { return [.compare(text: inputText, source: source, refresh: true)] }
            }
        case .nextNarratedPage: nextNarratedPage()
        case .nextScreen:
            options.screen = options.screen.next
            status = StatusMessage(options.screen.summary + " (v: next view)")
        case .togglePresenter:
            options.presenter.toggle()
            status = StatusMessage(options.presenter ? "presenter layout: the lesson text and two large panels (P: back)" : "full layout")
        case .narrationUp, .narrationDown:
            // The panel clamps to its text at the size drawn; this bound only keeps the keys responsive.
            let bound = narration?.roughLineCount ?? 0
            narrationScroll = min(max(narrationScroll + (action == .narrationUp ? -3 : 3), -bound), bound)
        case .escape:
            if showHelp { showHelp = false }
            else if edit != nil { edit = nil }
            else if zoomed { zoomed = false }
            else if comparison != nil { comparison = nil }
            else { return quitSaving() }
        case .quit: return quitSaving()
        }
        return []
    }

    // MARK: - Outcomes of effects

    /// Takes what came of an effect `apply` asked for, and returns any further work it leads to.
    @discardableResult
    public mutating func receive(_ outcome: EffectOutcome) -> [Effect] {
        if let before = statusBeforeWork {
            status = before
            statusBeforeWork = .none
        }
        switch outcome {
        case .lessonOpened(let number, let result):
            return lessonOpened(number: number, result)
        case .inputRan(let result):
            return inputRan(result)
        case .compared(let result, let refresh):
            switch result {
            case .success(let traces) where traces.isEmpty:
                if !refresh { status = StatusMessage("comparison produced no traces", kind: .error) }
            case .success(let traces):
                comparison = traces
                if !refresh { status = StatusMessage("comparing \(traces.map(\.cellDisplayName).joined(separator: " / ")) — c or Esc to close") }
            case .failure(let error):
                if refresh { comparison = nil }
                status = StatusMessage("compare failed: \(errorLine(error))", kind: .error)
            }
        case .exported(let result):
            switch result {
            case .success(let path): status = StatusMessage("exported trace to \(path)")
            case .failure(let error): status = StatusMessage("export failed: \(errorLine(error))", kind: .error)
            }
        case .trainingStarted(let result):
            switch result {
            case .success(let session):
                training = LiveTraining(session: session, isRunning: true)
                isPlaying = false
                status = StatusMessage("training from the seed, live: t pauses")
            case .failure(let error):
                status = StatusMessage(errorLine(error), kind: .warning)
            }
        case .trained(let session, let result):
            trained(session, result)
        case .progressSaved(let error):
            progressSaved(error: error)
        }
        return []
    }

    /// The status line while an effect runs: what it is doing, for how long, and that q stops it. The
    /// message shown before comes back with the outcome (e.g. an answer's "right: …" under its save).
    public mutating func working(on effect: Effect, seconds: Int) {
        if statusBeforeWork == nil { statusBeforeWork = .some(status) }
        status = StatusMessage("\(effect.label)… \(seconds) s · q stops")
    }

    /// Stops play at a step whose question waits, and says why.
    /// Enter: the lesson's next narrated page, or the next step without a lesson.
    private mutating func nextNarratedPage() {
        if let open = narration?.openQuestion {
            status = StatusMessage("a question waits here: press 1–\(open.choices.count) to answer it first", kind: .warning)
            return
        }
        guard let walk, showsLessonInput else { jump(toStep: mode == .forward ? step + 1 : step - 1); return }
        let here = LessonWalk.Position(step: step, mode: mode)
        let end = walk.end
        guard let next = walk.next(after: here) ?? (walk.rank(end) > walk.rank(here) ? end : nil) else {
            status = StatusMessage(coursePosition.map { $0.number < $0.count ? "the end of this lesson: n opens the next" : "the end of the course" } ?? "the end of this lesson")
            return
        }
        isPlaying = false
        mode = next.mode
        jump(toStep: next.step)
    }

    private mutating func pauseForQuestion() {
        isPlaying = false
        status = StatusMessage("paused: a question waits here — predict first, then play on")
    }

    /// `t`: starts training the model from its seed (or pauses / resumes a run in progress). Each tick
    /// asks for about 1% of the epochs and the re-recorded trace, so every panel follows the learning.
    private mutating func toggleTraining() -> [Effect] {
        if var live = training, !live.isFinished {
            live.isRunning.toggle()
            training = live
            status = StatusMessage(live.isRunning ? "training resumed" : "training paused at epoch \(live.session.epochLosses.count)/\(live.session.totalEpochs): t resumes")
            return []
        }
        guard let source else { needModel("training"); return [] }
        return [.startTraining(source: source)]
    }

    private func trainingSlice(_ live: LiveTraining) -> [Effect] {
        [.train(session: live.session, epochs: live.pace.epochs(total: live.session.totalEpochs), text: inputText)]
    }

    private mutating func trained(_ session: any TrainingSession, _ result: Result<Recording, any Error>) {
        guard var live = training else { return }
        switch result {
        case .success(let newTrace):
            live.session = session
            live.isRunning = live.isRunning && !live.isFinished
            training = live
            replaceTrace(newTrace)
            refreshNarration()
            let losses = session.epochLosses
            let done = losses.count, total = session.totalEpochs
            if live.isFinished, let first = losses.first, let last = losses.last {
                status = StatusMessage("trained \(total) epochs: loss \(NumberText.short(first)) → \(NumberText.short(last)); same seed, so this is the model the lesson describes")
            } else if let last = losses.last {
                status = StatusMessage("training live: epoch \(done)/\(total), loss \(NumberText.short(last)) · t pauses · \(live.pace.label) (+/− pace, . one epoch) · the lesson text describes the fully trained model")
            }
        case .failure(let error):
            // The run cannot go on from a failed (or interrupted) slice: t starts again from the seed.
            training = nil
            status = StatusMessage("training stopped: \(errorLine(error))", kind: .error)
        }
    }

    private mutating func submitEdit() -> [Effect] {
        guard let e = edit else { return [] }
        guard let source else { edit = nil; needModel("editing the input"); return [] }
        let text = e.text.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            status = StatusMessage("input is empty: type some tokens, or Esc to cancel", kind: .error)
            return []
        }
        return [.runInput(text: text, source: source)]
    }

    private mutating func inputRan(_ result: Result<Recording, any Error>) -> [Effect] {
        switch result {
        case .success(let newTrace):
            replaceTrace(newTrace)
            edit = nil
            lessonMoved()
            status = StatusMessage("ran the model on \(newTrace.tokens.count) tokens")
            if comparison != nil, let source { return [.compare(text: inputText, source: source, refresh: true)] }
        case .failure(let error):
            // Keep the field open so the learner can fix the token.
            status = StatusMessage(errorLine(error), kind: .error)
        }
        return []
    }

    private mutating func needModel(_ what: String) {
        status = StatusMessage("\(what) needs a model: start rnnscope with --model (this is a recorded trace)", kind: .warning)
    }
}
