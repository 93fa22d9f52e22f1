import RNNLessons
import RNNTrace
import RNNView

/// Opening a lesson for the viewer: its file compiled by the lessons layer, its models loaded or trained,
/// its run wrapped with what the viewer may ask of the model later (edited input, the cell comparison,
/// live training).
extension LessonSession {
    /// The lesson file at `path`, compiled. A broken lesson is one line: its first problem (`file:line: …`)
    /// and how many more there are.
    public static func compile(path: String, files: LessonFiles = .disk) throws(UserError) -> CompiledLesson {
        do {
            return try CompiledLesson.open(path: path, files: files)
        } catch {
            throw UserError(error.oneLine(validate: "rnnscope lesson validate \(path)"))
        }
    }

    /// Trains or loads the lesson's models, runs them over its input and wraps the result for the viewer.
    /// Lessons with several cells open with them side by side: comparing them is their point.
    /// `shouldStop` is asked between training updates (the viewer's quit keys and signals, while a lesson
    /// that takes long to train opens from n / p).
    public static func open(_ compiled: CompiledLesson, position: CoursePosition?,
                            shouldStop: (() -> Bool)? = nil) throws(UserError) -> LessonSession {
        let lesson = compiled.lesson
        let run: LessonRun
        do {
            run = try compiled.run(shouldStop: shouldStop)
        } catch {
            throw UserError("\(lesson.path): \(error.description)")
        }
        let playback = LessonPlayback(lesson: lesson, run: run)
        guard let primary = run.primaryRun else { throw UserError("\(lesson.path): the lesson's run produced no trace") }
        var source: (any TraceSource)?
        if let model = primary.model {
            var modelSource = ModelTraceSource(model: model, modelName: lesson.title)
            modelSource.lesson = lesson
            for cell in lesson.cells.dropFirst() {
                if let other = run.cells[cell]?.model { modelSource.comparisonModels[cell] = (other, "\(lesson.title) (\(cell.displayName))") }
            }
            if lesson.cells.count > 1 { modelSource.comparisonCells = lesson.cells }
            source = modelSource
        }
        let comparison = lesson.cells.count > 1 ? lesson.cells.compactMap { run.cells[$0]?.trace } : nil
        return LessonSession(playback: playback, position: position, source: source,
                             comparison: comparison.flatMap { $0.count > 1 ? $0 : nil })
    }
}
