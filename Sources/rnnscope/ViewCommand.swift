import ArgumentParser
import Foundation
import RNNApp
import RNNEngine
import RNNLessons
import RNNTrace
import RNNView
import TerminalUI

/// How the frame looks: shared by `view` and `lesson`.
struct DisplayOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one frame as text to stdout instead of opening the terminal viewer.")
    var plain = false

    @Option(name: .long, parsing: .unconditional, help: "With --plain: the step to show, t = 0 … T−1 (as in h_t and the trace).")
    var step: Int = 0

    @Option(name: .long, help: "With --plain: forward or backward.")
    var mode: StepMode = .forward

    @Option(name: .long, parsing: .unconditional, help: "The recurrent layer the panels show, 1 … L for a stacked model (default: the top layer, L; the key L cycles it).")
    var layer: Int?

    @Option(name: .long, help: "With --plain: text (default), ansi (colour escapes), svg or html (colour kept, for slides and web pages).")
    var format: FrameFormat = .text

    @Option(name: .long, help: "With --plain: frame size as WIDTHxHEIGHT.")
    var size: FrameSize = FrameSize(width: 120, height: 40)

    @Flag(name: .customLong("no-color"), help: "Monochrome (also when NO_COLOR is set): values shown by glyphs, signs and bold.")
    var noColor = false

    @Flag(name: .long, help: "ASCII glyphs only (also in a non-UTF-8 locale).")
    var ascii = false

    @Flag(name: .long, help: "Presenter layout for a projector: the lesson text and two large panels, dark text on white (the key P switches it).")
    var present = false

    @Option(name: .customLong("view"), help: "The screen to open: \(ScreenKind.allCases.map(\.rawValue).joined(separator: ", ")) (the key v goes to the next).")
    var screen: ScreenKind = .panels

    func validate() throws {
        if format != .text && !plain { throw ValidationError("--format \(format.rawValue) prints one frame: add --plain") }
        if plain && (size.width < minimumFrameWidth || size.height < minimumFrameHeight) {
            throw ValidationError("--size \(size.width)x\(size.height) is too small: a frame needs at least \(minimumFrameWidth)x\(minimumFrameHeight)")
        }
    }

    var monochrome: Bool { noColor || ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } == true }

    var glyphs: GlyphSet {
        if ascii { return .ascii }
        let env = ProcessInfo.processInfo.environment
        let locale = env["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 } ?? env["LC_CTYPE"].flatMap { $0.isEmpty ? nil : $0 } ?? env["LANG"] ?? ""
        let utf8 = locale.uppercased().replacingOccurrences(of: "-", with: "").contains("UTF8")
        return utf8 ? .unicode : .ascii
    }

    /// The viewer's options. A plain text frame prints no colour attributes, so monochrome glyphs carry the
    /// values; the ANSI, SVG and HTML frames keep 256 colours (unless --no-color or NO_COLOR).
    var viewOptions: ViewOptions {
        let colorless = plain && (format == .text || monochrome)
        return ViewOptions(colorMode: colorless ? .monochrome : .color256, glyphs: glyphs, presenter: present, screen: screen)
    }

    /// Refuses early when the viewer cannot open (no terminal), before any slow work such as training
    /// a lesson's model; `--plain` needs no terminal.
    func checkTerminal() throws {
        guard !plain else { return }
        guard isatty(0) == 1, isatty(1) == 1 else { throw CLIError(TerminalError.notATerminal.description) }
    }

    /// Prints the frame of `state` at the chosen step and mode, or opens the terminal viewer.
    func show(_ initial: AppState) throws {
        var state = initial
        if let layer {
            guard (1...state.layerCount).contains(layer) else {
                throw CLIError("--layer \(layer) is outside 1…\(state.layerCount) (the model has \(state.layerCount) recurrent layer\(state.layerCount == 1 ? "" : "s"))")
            }
            state.selectLayer(layer - 1)
        }
        if plain {
            guard (0..<max(1, state.stepCount)).contains(step) else {
                throw CLIError("--step \(step) is outside 0…\(max(0, state.stepCount - 1)) (the input has \(state.stepCount) steps, t = 0 … T−1)")
            }
            state.jump(toStep: step)
            state.setMode(mode)
            // The cells hold no control characters (file text is escaped before it is drawn).
            Console.out(FrameExport.render(renderFrame(state, width: size.width, height: size.height), as: format))
            return
        }
        let backend: CursesBackend
        do {
            backend = try CursesBackend(monochrome: monochrome)
        } catch let error as TerminalError {
            throw CLIError(error.description)
        }
        state.options.colorMode = backend.colorMode
        // Saved once more however the viewer ends (q, Esc, a signal, an error): nothing is lost on quit.
        defer { state.saveProgress() }
        try runApp(&state, backend: backend)
        if let signal = backend.quitSignal { throw ExitCode(128 + signal) }
    }
}

extension FrameFormat: ExpressibleByArgument {}

struct FrameSize: ExpressibleByArgument {
    let width: Int
    let height: Int

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    init?(argument: String) {
        let parts = argument.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), (1...1000).contains(w), (1...1000).contains(h) else { return nil }
        self.init(width: w, height: h)
    }

    /// As a user writes it, for `--help`: 120x40.
    var defaultValueDescription: String { "\(width)x\(height)" }
}

extension StepMode: ExpressibleByArgument {}
extension ScreenKind: ExpressibleByArgument {}

struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Open a model, an exported trace, or (with neither) the first lesson of the course in the terminal viewer; --plain prints one frame.",
        discussion: "This is what `rnnscope` with no subcommand runs: the course opens at lesson 1, and n / p move between lessons."
    )

    @Option(name: .long, help: "The model (.safetensors). With it, give --text or --text-file.")
    var model: String?

    @OptionGroup var input: InputOptions

    @Option(name: .long, help: "Replay a trace exported by `rnnscope trace` (JSON) instead of running a model.")
    var trace: String?

    @OptionGroup var display: DisplayOptions

    func validate() throws {
        if model != nil && trace != nil { throw ValidationError("give either --model or --trace, not both") }
        if model == nil && trace == nil && (input.text != nil || input.textFile != nil) {
            throw ValidationError("--text/--text-file need --model FILE")
        }
        if trace != nil && (input.text != nil || input.textFile != nil) {
            throw ValidationError("a trace already holds its input: drop --text/--text-file")
        }
    }

    func run() throws {
        let options = display.viewOptions
        if let trace {
            let decoded: Recording
            do { decoded = try TraceJSONReader.read(path: trace) } catch { throw CLIError(error.description) }
            let name = (trace as NSString).lastPathComponent
            try display.show(AppState(trace: decoded, source: ReplayTraceSource(name: name), options: options))
            return
        }
        guard let model else {
            // Neither a model nor a trace: the course, from its first lesson.
            try display.checkTerminal()
            try display.show(try lessonViewerState(nil, directory: nil, options: options, keepProgress: !display.plain))
            return
        }
        guard let text = try input.load() else { throw ValidationError("give the input with --text or --text-file") }
        let loaded = try loadModel(model)
        try checkMemory(loaded, text: text, use: .view)
        let name = (model as NSString).lastPathComponent
        let source = ModelTraceSource(model: loaded, modelName: name)
        let first = try cli { try source.trace(for: text) }
        try display.show(AppState(trace: first, source: source, options: options))
    }
}
