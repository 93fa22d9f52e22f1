import RNNView
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The in-memory twin of `CursesBackend`: it records every flushed frame and plays a script of
/// keys, timeouts, resizes and signals, so the whole app loop runs in tests without a terminal.
public final class TestBackend: TerminalBackend {
    /// One scripted input event.
    public enum Event: Hashable, Sendable {
        /// A key press.
        case key(Key)
        /// The read times out with no key (only meaningful while the app asks for ticks).
        case timeout
        /// The screen changes size; reported to the app as `Key.resize`.
        case resize(width: Int, height: Int)
        /// A quit signal (SIGINT/SIGTERM/SIGHUP) arrives while waiting.
        case quitSignal
        /// Nothing is typed for this long, in real time, so that work the loop runs meanwhile gets on: a
        /// read with a timeout sleeps through it (at most its timeout; the rest is left for the next
        /// read), a blocking read skips the rest of it.
        case pause(milliseconds: Int)
    }

    public private(set) var size: TerminalSize
    public let colorMode: ColorMode
    public private(set) var quitRequested = false
    /// Every frame passed to `flush`, in order.
    public private(set) var frames: [Buffer] = []
    /// The timeout of every `readKey` call, in order (nil = blocking read).
    public private(set) var readTimeouts: [Int?] = []
    /// How many times `restore()` was called.
    public private(set) var restoreCount = 0
    /// True when the app asked for another key after the script ended; the backend then requests a
    /// quit so a test can never hang.
    public private(set) var ranOutOfScript = false
    private var script: [Event]

    public init(width: Int = 80, height: Int = 24, colorMode: ColorMode = .color256, script: [Event] = []) {
        self.size = TerminalSize(width: width, height: height)
        self.colorMode = colorMode
        self.script = script
    }

    /// Convenience: a script of key presses only.
    public convenience init(width: Int = 80, height: Int = 24, keys: [Key]) {
        self.init(width: width, height: height, script: keys.map(Event.key))
    }

    /// The last flushed frame, if any.
    public var lastFrame: Buffer? { frames.last }

    /// Events not consumed yet.
    public var remainingScript: [Event] { script }

    public func flush(_ buffer: Buffer) {
        frames.append(buffer)
    }

    public func readKey(timeoutMilliseconds: Int?) -> Key? {
        readTimeouts.append(timeoutMilliseconds)
        if case .pause(let left)? = script.first, let timeout = timeoutMilliseconds {
            let slept = min(left, max(0, timeout))
            usleep(useconds_t(slept * 1000))
            if left > slept { script[0] = .pause(milliseconds: left - slept) } else { script.removeFirst() }
            return nil
        }
        while case .pause? = script.first, timeoutMilliseconds == nil { script.removeFirst() }
        guard !script.isEmpty else {
            ranOutOfScript = true
            quitRequested = true
            return nil
        }
        switch script.removeFirst() {
        case .pause: return nil  // handled above
        case .key(let key):
            return key
        case .timeout:
            return nil
        case .resize(let width, let height):
            size = TerminalSize(width: width, height: height)
            return .resize(width: width, height: height)
        case .quitSignal:
            quitRequested = true
            return nil
        }
    }

    public func restore() {
        restoreCount += 1
    }
}
