#if canImport(Glibc)
import Glibc
#endif

/// Keeps the Swift runtime's crash reporter from waiting for a key.
///
/// On Linux the runtime installs a backtracer that, when stdin and stdout are a terminal, ends a crash
/// report with "Press space to interact, D to debug, or any other key to quit (30s)": inside the
/// viewer that is a screen frozen for 30 s, with a false prompt over the UI. `SWIFT_BACKTRACE=interactive=no`
/// turns the prompt off (the report is still printed), but the runtime reads that variable once, while
/// it loads, before any Swift code runs — setting it from `main` would be too late. So, only when
/// stdin and stdout are a terminal and the user has not set `SWIFT_BACKTRACE` (their choice is
/// kept), rnnscope executes itself again once with `interactive=no` set: one `execv` at startup
/// (measured: 20–35 ms more on a debug build of a loaded 2-core machine, where a start takes 80–90 ms);
/// a failed exec just carries on with the interactive default.
enum Backtracer {
    static func disableInteractivePromptOnATerminal() {
        #if os(Linux)
        guard isatty(0) == 1, isatty(1) == 1, getenv("SWIFT_BACKTRACE") == nil else { return }
        // The executable's own path (not /proc/self/exe, which would name the process "exe").
        var path = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard readlink("/proc/self/exe", &path, Int(PATH_MAX)) > 0 else { return }
        guard setenv("SWIFT_BACKTRACE", "interactive=no", 1) == 0 else { return }
        execv(path, CommandLine.unsafeArgv)
        #endif
    }
}
