import ArgumentParser

@main
struct RNNScope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rnnscope",
        abstract: "Step through a recurrent neural network, forward and backward through time, in your terminal.",
        discussion: """
            With no subcommand, rnnscope opens the first lesson of the bundled course in the terminal viewer
            (n / p: next / previous lesson, ? lists every key).
            """,
        version: "0.1.0",
        subcommands: [ViewCommand.self, LessonsCommand.self, LessonCommand.self, TraceCommand.self, TrainCommand.self,
                      SampleCommand.self, BenchCommand.self],
        defaultSubcommand: ViewCommand.self
    )

    /// argument-parser's own `main`, except that every message goes through `Console`: help text to
    /// stdout with a checked write, errors to stderr with the control characters of file text escaped.
    static func main() {
        Backtracer.disableInteractivePromptOnATerminal()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty {
                if code == .success { Console.out(message + "\n") } else { Console.err(message + "\n") }
            }
            Console.exit(code.rawValue)
        }
    }
}
