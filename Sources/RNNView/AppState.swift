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

/// All the app knows between frames. Pure: `apply` changes it, `renderFrame` draws it; the only
/// outside calls go through `source`.
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
    public private(set) var mode: Mode = .forward { didSet { if mode != oldValue { lessonMoved() } } }
    public private(set) var isPlaying = false
    public private(set) var speedIndex: Int
    /// Selected hidden unit, 0…H-1; drives the equation panel.
    public private(set) var unit: Int = 0
    public private(set) var focus: PanelID = .state
    public private(set) var overview: OverviewQuantity = .hidden
    public private(set) var showHelp = false
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
    /// The lesson number n / p asked for: opened on the next tick, after a frame saying so is drawn.
    public private(set) var pendingLesson: Int?
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
    public var status: StatusMessage?
    public private(set) var shouldQuit = false
    /// Training the model live (`t`), and how far it got.
    public private(set) var training: LiveTraining?

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
    /// Seconds until the next `tick`, or nil when paused (the loop then waits for keys only). A lesson
    /// waiting to open asks for an immediate tick, so that the "opening…" frame is drawn before the work.
    public var tickInterval: Double? {
        if pendingLesson != nil { return 0.001 }
        if training?.isRunning == true { return 0.02 }
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
    public var overviewChoices: [OverviewQuantity] {
        var list: [OverviewQuantity] = [.hidden]
        if trace.hasCellState { list.append(.cell) }
        list += trace.cell.gates.map { .gate($0) }
        list.append(.gradH)
        if trace.hasCellState { list.append(.gradC) }
        return list
    }

    // MARK: - Entry points for the CLI

    /// Moves the cursor to step `t`, clamped to the trace.
    public mutating func jump(toStep t: Int) {
        step = stepCount == 0 ? 0 : min(max(0, t), stepCount - 1)
    }

    public mutating func setMode(_ mode: Mode) { self.mode = mode }

    // MARK: - Lessons

    /// Shows `session`: its trace at the first step of the forward pass, its narration, and its
    /// comparison when it opens with one. The lesson shown before is kept with its answers.
    public mutating func openLesson(_ session: LessonSession) {
        if let current = currentSession(), let k = current.position?.number {
            saveProgress()
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

    /// Saves the open lesson's answers, furthest page and whether it is finished through `progressStore`.
    /// A failure is kept in `progressSaveError` and said on the status line; it never stops the viewer.
    public mutating func saveProgress() {
        guard let progressStore, let lesson, let number = coursePosition?.number, let walk else { return }
        let record = lesson.record(furthestStep: furthest.step, furthestMode: StepMode(furthest.mode),
                                   reachedEnd: walk.rank(furthest) >= walk.rank(walk.end))
        do {
            try progressStore.save(record, lesson: number)
            progressSaveError = nil
        } catch {
            progressSaveError = describe(error)
            status = StatusMessage("progress not saved: \(progressSaveError ?? "")", kind: .error)
        }
    }

    /// Whether quitting now would lose answers: the last save failed and this lesson has some.
    private var quitWouldLoseWork: Bool {
        progressSaveError != nil && !(lesson?.answers.isEmpty ?? true)
    }

    /// q / Esc with nothing left open: saves the progress and quits; asks once (q / Esc again) when the
    /// progress cannot be saved, since the answers would then be lost.
    private mutating func quitSaving() {
        saveProgress()
        if quitWouldLoseWork && !quitPending {
            quitPending = true
            status = StatusMessage("your answers could not be saved (\(progressSaveError ?? "")): q again quits anyway, any other key stays", kind: .error)
            return
        }
        shouldQuit = true
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

    private mutating func answer(_ letter: Character) {
        guard var playback = lesson, let q = narration?.openQuestion else { return }
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
            saveProgress()
        } catch {
            status = StatusMessage(error.description, kind: .error)
        }
    }

    /// n / p: remembers which lesson to open; the next tick opens it (see `tickInterval`).
    private mutating func moveLesson(by delta: Int) {
        guard let course else {
            return status = StatusMessage("n / p move through the course: start rnnscope with no arguments to take it", kind: .warning)
        }
        guard let here = coursePosition else {
            return status = StatusMessage("this lesson was opened from a file outside the course: n / p need `rnnscope lesson N`", kind: .warning)
        }
        let target = here.number + delta
        guard target >= 1, target <= course.lessonCount else {
            return status = StatusMessage(delta > 0 ? "this is the last lesson of the course" : "this is the first lesson of the course", kind: .warning)
        }
        pendingLesson = target
        status = StatusMessage("opening lesson \(target)/\(course.lessonCount)…")
    }

    private mutating func openPendingLesson() {
        guard let number = pendingLesson else { return }
        pendingLesson = nil
        if let visited = visitedLessons[number] {
            openLesson(visited)
            status = nil  // the "opening lesson k…" message has done its job
            return
        }
        guard let course else { return }
        do {
            openLesson(try course.openLesson(number: number))
            status = nil
        } catch {
            let lines = describe(error).split(separator: "\n", omittingEmptySubsequences: true)
            let more = lines.count > 1 ? " (+\(lines.count - 1) more problems)" : ""
            status = StatusMessage("lesson \(number) did not open: \(lines.first ?? "")\(more)", kind: .error)
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

    public mutating func apply(_ action: Action) {
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
        case .faster: speedIndex = min(speedIndex + 1, options.speeds.count - 1)
        case .slower: speedIndex = max(speedIndex - 1, 0)
        case .tick:
            if pendingLesson != nil { return openPendingLesson() }
            if training?.isRunning == true { return trainSlice() }
            guard isPlaying else { return }
            // Play never runs past a question: the learner predicts before the next step is shown.
            if narration?.openQuestion != nil { return pauseForQuestion() }
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
                return
            }
            selectLayer((layer + 1) % layerCount)
            status = StatusMessage("showing \(layerLabel ?? "")\(layer == layerCount - 1 ? " (top: the output reads it)" : "")")
        case .cycleOverview:
            let choices = overviewChoices
            let i = choices.firstIndex(of: overview) ?? -1
            overview = choices[(i + 1) % choices.count]
        case .toggleCompare: toggleCompare()
        case .beginEdit:
            guard source != nil else { return needModel("editing the input") }
            edit = EditField(text: inputText)
        case .editInsert(let ch):
            guard var e = edit else { return }
            let i = e.text.index(e.text.startIndex, offsetBy: e.cursor)
            e.text.insert(ch, at: i)
            e.cursor += 1
            edit = e
        case .editBackspace:
            guard var e = edit, e.cursor > 0 else { return }
            e.text.remove(at: e.text.index(e.text.startIndex, offsetBy: e.cursor - 1))
            e.cursor -= 1
            edit = e
        case .editLeft: if var e = edit { e.cursor = max(0, e.cursor - 1); edit = e }
        case .editRight: if var e = edit { e.cursor = min(e.text.count, e.cursor + 1); edit = e }
        case .editSubmit: submitEdit()
        case .editCancel: edit = nil
        case .export:
            guard let source else { return needModel("exporting") }
            do { status = StatusMessage("exported trace to \(try source.export(fullTrace))") }
            catch { status = StatusMessage("export failed: \(describe(error))", kind: .error) }
        case .toggleHelp: showHelp.toggle()
        case .toggleTraining: toggleTraining()
        case .answer(let letter): answer(letter)
        case .nextLesson: moveLesson(by: 1)
        case .previousLesson: moveLesson(by: -1)
        case .restoreLessonInput:
            guard let own = lesson?.run.primaryRun?.trace else {
                return status = StatusMessage("r puts a lesson's own input back; no lesson is open", kind: .warning)
            }
            edit = nil
            replaceTrace(own)
            if comparison != nil { comparison = session?.comparison ?? (try? source?.comparison(for: inputText)) }
            lessonMoved()
            status = StatusMessage("back to the lesson's input")
        case .narrationUp, .narrationDown:
            // The panel clamps to its text at the size drawn; this bound only keeps the keys responsive.
            let bound = narration?.roughLineCount ?? 0
            narrationScroll = min(max(narrationScroll + (action == .narrationUp ? -3 : 3), -bound), bound)
        case .escape:
            if showHelp { showHelp = false }
            else if edit != nil { edit = nil }
            else if comparison != nil { comparison = nil }
            else { quitSaving() }
        case .quit: quitSaving()
        }
    }

    /// Stops play at a step whose question waits, and says why.
    private mutating func pauseForQuestion() {
        isPlaying = false
        status = StatusMessage("paused: a question waits here — predict first, then play on")
    }

    /// `t`: starts training the model from its seed (or pauses / resumes a run in progress). Each tick
    /// trains about 1% of the epochs and re-records the trace, so every panel follows the learning.
    private mutating func toggleTraining() {
        if var live = training, !live.isFinished {
            live.isRunning.toggle()
            training = live
            status = StatusMessage(live.isRunning ? "training resumed" : "training paused at epoch \(live.session.epochLosses.count)/\(live.session.totalEpochs): t resumes")
            return
        }
        guard let source else { return needModel("training") }
        do {
            training = LiveTraining(session: try source.makeTrainingSession(), isRunning: true)
            isPlaying = false
            status = StatusMessage("training from the seed, live: t pauses")
        } catch {
            status = StatusMessage(describe(error), kind: .warning)
        }
    }

    private mutating func trainSlice() {
        guard var live = training else { return }
        let slice = max(1, live.session.totalEpochs / 100)
        do {
            let newTrace = try live.session.train(epochs: slice, text: inputText)
            live.isRunning = !live.isFinished
            training = live
            replaceTrace(newTrace)
            refreshNarration()
            let losses = live.session.epochLosses
            let done = losses.count, total = live.session.totalEpochs
            if live.isFinished, let first = losses.first, let last = losses.last {
                status = StatusMessage("trained \(total) epochs: loss \(Num.short(first)) → \(Num.short(last)); same seed, so this is the model the lesson describes")
            } else if let last = losses.last {
                status = StatusMessage("training live: epoch \(done)/\(total), loss \(Num.short(last)) · the lesson text describes the fully trained model · t pauses")
            }
        } catch {
            // The run cannot go on from a failed (or interrupted) slice: t starts again from the seed.
            training = nil
            status = StatusMessage("training stopped: \(describe(error))", kind: .error)
        }
    }

    private mutating func toggleCompare() {
        if comparison != nil { comparison = nil; return }
        guard let source else { return needModel("comparing cells") }
        do {
            let traces = try source.comparison(for: inputText)
            if traces.isEmpty { status = StatusMessage("comparison produced no traces", kind: .error) }
            else { comparison = traces; status = StatusMessage("comparing \(traces.map(\.cellDisplayName).joined(separator: " / ")) — c or Esc to close") }
        } catch {
            status = StatusMessage("compare failed: \(describe(error))", kind: .error)
        }
    }

    private mutating func submitEdit() {
        guard let e = edit else { return }
        guard let source else { edit = nil; return needModel("editing the input") }
        let text = e.text.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { status = StatusMessage("input is empty: type some tokens, or Esc to cancel", kind: .error); return }
        do {
            let newTrace = try source.trace(for: text)
            replaceTrace(newTrace)
            edit = nil
            lessonMoved()
            if comparison != nil { comparison = try? source.comparison(for: text) }
            status = StatusMessage("ran the model on \(newTrace.tokens.count) tokens")
        } catch {
            // Keep the field open so the learner can fix the token.
            status = StatusMessage(describe(error), kind: .error)
        }
    }

    private mutating func needModel(_ what: String) {
        status = StatusMessage("\(what) needs a model: start rnnscope with --model (this is a recorded trace)", kind: .warning)
    }

    private func describe(_ error: any Error) -> String {
        (error as? any LocalizedError)?.errorDescription ?? String(describing: error)
    }
}
