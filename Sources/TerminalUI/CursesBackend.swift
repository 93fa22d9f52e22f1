import CNcurses
import RNNView
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real terminal, through ncursesw: alternate screen, no echo, keypad keys, colour pairs.
///
/// Create it, hand it to `runApp`, and the loop restores the terminal on the way out; `restore()`
/// is idempotent and also runs from `deinit`, from `atexit`, and (best effort) on a crash signal.
public final class CursesBackend: TerminalBackend {
    public private(set) var size: TerminalSize
    public let colorMode: ColorMode
    /// The colours the terminal offers, whether or not monochrome was asked for.
    public let detectedColorMode: ColorMode
    /// The signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM or SIGPIPE) that ended
    /// the session, if one did; the CLI may exit with 128 + signal, as shells expect.
    public private(set) var quitSignal: Int32? = nil

    private var screen: OpaquePointer?
    private var palette: ColorPalette
    private var previous: Buffer? = nil
    private var needsFullRedraw = true
    /// Set when stdin reports end of file or an error: the terminal is gone, so quit.
    private var inputLost = false
    /// Set by a read a signal interrupted: curses then returns one spurious ERR, which is no end of input.
    private var readWasInterrupted = false

    /// How long the rest of an escape sequence may take to arrive after its Esc; an Esc with
    /// nothing after it for this long is the Esc key (curses waits as long before it returns it).
    static let escapeDelayMilliseconds: Int32 = 25

    /// Checks that stdin and stdout are a real terminal and `TERM` is usable, then takes the
    /// terminal over. Throws `TerminalError` (with a one-line description) instead of exiting.
    /// `monochrome`: no colour at all (the CLI's `--no-color`, or `NO_COLOR` set in the environment);
    /// otherwise as many as the terminal has (256 or 8), monochrome if it has none.
    public init(monochrome: Bool = false) throws {
        // Before any curses call: without a tty, ncurses writes escapes into the pipe forever.
        guard isatty(0) == 1, isatty(1) == 1 else { throw TerminalError.notATerminal }
        let term = getenv("TERM").map { String(cString: $0) }
        guard let term, !term.isEmpty, term != "dumb" else {
            throw TerminalError.unsupportedTerminal(term: term?.isEmpty == true ? nil : term)
        }
        setlocale(LC_ALL, "")
        // Ours before newterm: ncurses installs its own SIGINT/SIGTERM cleanup only over SIG_DFL.
        rnn_clear_quit_signal()
        _ = rnn_take_suspend_request()
        _ = rnn_take_continued()
        rnn_save_shell_modes()
        guard rnn_install_quit_handlers() == 0 else { throw TerminalError.cursesInitFailed(term: term) }
        rnn_install_crash_handlers()
        guard let screen = newterm(nil, rnn_stdout(), rnn_stdin()) else {
            rnn_reset_quit_handlers()
            throw TerminalError.cursesInitFailed(term: term)
        }
        self.screen = screen
        set_term(screen)
        rnn_set_curses_active(1)

        let window = rnn_stdscr()
        cbreak()        // keys at once; Ctrl-C still raises SIGINT
        noecho()
        nonl()          // Enter arrives as \r; also lets curses move the cursor faster
        keypad(window, true)
        intrflush(window, false)
        leaveok(window, true)
        curs_set(0)
        set_escdelay(Self.escapeDelayMilliseconds) // a lone Esc after 25 ms instead of the default second
        for (sequence, code) in extraKeySequences where key_defined(sequence) == 0 {
            define_key(sequence, code)
        }

        var detected = ColorMode.monochrome
        var hasDefaultColors = false
        if has_colors() {
            start_color()
            hasDefaultColors = use_default_colors() == OK
            let colors = rnn_colors()
            detected = colors >= 256 ? .color256 : (colors >= 8 ? .color8 : .monochrome)
        }
        detectedColorMode = detected
        colorMode = monochrome ? .monochrome : detected
        palette = ColorPalette(
            support: colorMode, hasDefaultColors: hasDefaultColors,
            maxPair: min(Int32(rnn_color_pairs()) - 1, Int32(Int16.max)),
            initPair: { init_extended_pair($0, $1, $2) == OK })
        size = TerminalSize(width: 0, height: 0)
        size = currentSize()
        rnn_prepare_emergency_restore()
    }

    deinit { restore() }

    public var quitRequested: Bool { quitSignal != nil || rnn_quit_signal_value() != 0 || inputLost }

    public func restore() {
        guard screen != nil else { return }
        if quitSignal == nil, rnn_quit_signal_value() != 0 { quitSignal = Int32(rnn_quit_signal_value()) }
        curs_set(1)
        endwin()
        rnn_set_curses_active(0)
        rnn_reset_quit_handlers()
        // The SCREEN is left allocated: freeing it gains nothing this close to exit, and a late
        // atexit/crash path must never touch freed memory.
        screen = nil
    }

    // MARK: - Output

    public func flush(_ buffer: Buffer) {
        guard screen != nil else { return }
        let window = rnn_stdscr()
        var full = needsFullRedraw
        if let previous, previous.width != buffer.width || previous.height != buffer.height { full = true }
        if full { werase(window) }
        let width = min(buffer.width, size.width)
        let height = min(buffer.height, size.height)
        for y in 0..<height {
            // Redraw the changed span of the row, one cell further: a wide glyph that became
            // narrow leaves its right half to repaint.
            var first = 0
            var last = width - 1
            if !full, let previous {
                guard let changed = changedSpan(row: y, in: buffer, versus: previous, width: width) else { continue }
                first = changed.lowerBound
                last = min(width - 1, changed.upperBound + 1)
            }
            var x = first
            while x <= last {
                // Within the span, unchanged cells are skipped, except the one after a changed cell
                // (a wide glyph that became narrow leaves its right half to repaint).
                if !full, let previous, x > first, buffer[x, y] == previous[x, y], buffer[x - 1, y] == previous[x - 1, y] {
                    x += 1
                    continue
                }
                x += draw(buffer[x, y], x: x, y: y)
            }
        }
        wnoutrefresh(window)
        doupdate()
        previous = buffer
        needsFullRedraw = false
    }

    private func changedSpan(row y: Int, in buffer: Buffer, versus previous: Buffer, width: Int) -> ClosedRange<Int>? {
        var first: Int? = nil
        var last = 0
        for x in 0..<width where buffer[x, y] != previous[x, y] {
            if first == nil { first = x }
            last = x
        }
        return first.map { $0...last }
    }

    /// Draws one cell; returns the columns it took (2 for a wide glyph, whose neighbour it covers).
    private func draw(_ cell: Cell, x: Int, y: Int) -> Int {
        let scalars = cell.symbol.unicodeScalars
        // Most cells are one scalar: draw those without building an array.
        if scalars.count == 1, let scalar = scalars.first {
            let w = wchar_t(bitPattern: scalar.value)
            let columns = Int(rnn_wcwidth(w))
            if columns >= 1, x + columns <= size.width {
                var glyph: (wchar_t, wchar_t) = (w, 0)
                withUnsafePointer(to: &glyph) { p in
                    p.withMemoryRebound(to: wchar_t.self, capacity: 2) { g in
                        _ = rnn_put_cell(Int32(y), Int32(x), g, attributes(cell.style.modifiers), Int16(palette.pair(for: cell.style)))
                    }
                }
                return columns
            }
        }
        var glyph = Array(scalars.prefix(4).map { wchar_t(bitPattern: $0.value) })
        var columns = Int(rnn_wcwidth(glyph[0]))
        if columns < 1 {
            // Control characters or a lone combining mark: show a visible stand-in, never escapes.
            glyph = [wchar_t(UInt8(ascii: cell.symbol == "\t" ? " " : "?"))]
            columns = 1
        }
        if x + columns > size.width { glyph = [wchar_t(UInt8(ascii: " "))]; columns = 1 }
        glyph.append(0)
        _ = rnn_put_cell(Int32(y), Int32(x), glyph, attributes(cell.style.modifiers), Int16(palette.pair(for: cell.style)))
        return columns
    }

    private func attributes(_ modifiers: Modifiers) -> attr_t {
        var attr = rnn_a_normal()
        if modifiers.contains(.bold) { attr |= rnn_a_bold() }
        if modifiers.contains(.reverse) { attr |= rnn_a_reverse() }
        if modifiers.contains(.underline) { attr |= rnn_a_underline() }
        if modifiers.contains(.dim) { attr |= rnn_a_dim() }
        return attr
    }

    // MARK: - Input

    public func readKey(timeoutMilliseconds: Int?) -> Key? {
        guard screen != nil else { return nil }
        let window = rnn_stdscr()
        let clock = ContinuousClock()
        let deadline = timeoutMilliseconds.map { clock.now.advanced(by: .milliseconds(max(0, $0))) }
        while !quitRequested {
            if let redraw = resumeAfterStop() { return redraw }
            var wait: Int32 = -1
            if let deadline {
                let left = clock.now.duration(to: deadline)
                wait = left <= .zero ? 0 : Int32(clamping: left.components.seconds * 1000
                    + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            }
            switch read(window, wait: wait) {
            case .key(let key): return key
            case .skipped, .interrupted: break // EINTR: some signal woke us; the flags are checked above
            case .timedOut: break
            case .lost:
                inputLost = true // a blocking read failed without a signal: stdin is closed
                return nil
            }
            if let deadline, clock.now >= deadline { return nil }
        }
        return nil
    }

    private enum ReadResult {
        case key(Key)
        /// Input the app has no use for (an unknown key or escape sequence).
        case skipped
        case timedOut
        /// A signal interrupted the read.
        case interrupted
        /// The read failed: stdin is gone.
        case lost
    }

    /// One key from the terminal, waiting up to `wait` ms (forever when negative).
    private func read(_ window: UnsafeMutablePointer<WINDOW>?, wait: Int32) -> ReadResult {
        wtimeout(window, wait)
        var code: wint_t = 0
        errno = 0
        let status = wget_wch(window, &code)
        if status != ERR { readWasInterrupted = false }
        if status == OK {
            if code == 27 { return readEscapeSequence(window).map(ReadResult.key) ?? .skipped }
            return translate(.character(UInt32(code))).map(ReadResult.key) ?? .skipped
        } else if status == rnn_key_code_yes() {
            if Int32(code) == KEY_RESIZE {
                size = currentSize()
                needsFullRedraw = true
                clearok(window, true) // the terminal may have reflowed the old screen
                return .key(.resize(width: size.width, height: size.height))
            }
            return translate(.keyCode(Int32(code))).map(ReadResult.key) ?? .skipped
        } else if errno == EINTR {
            readWasInterrupted = true
            return .interrupted
        }
        if readWasInterrupted {
            // curses keeps the failed read of an interrupted call in its queue and hands it out now.
            readWasInterrupted = false
            return .interrupted
        }
        return wait < 0 ? .lost : .timedOut
    }

    /// After an Esc curses did not decode as a key: reads the rest of the sequence, if any. An Esc
    /// with nothing after it within the escape delay is the Esc key; a sequence means the key it
    /// names (arrows in either cursor-key mode, Home, End, …) or nothing — Alt+letter, unknown
    /// sequences and Esc Esc are ignored, never read as Esc (which quits).
    private func readEscapeSequence(_ window: UnsafeMutablePointer<WINDOW>?) -> Key? {
        var tail: [RawInput] = []
        while true {
            if case .complete(let key) = EscapeSequence.classify(tail) { return key }
            wtimeout(window, Self.escapeDelayMilliseconds)
            var code: wint_t = 0
            let status = wget_wch(window, &code)
            if status == OK {
                tail.append(.character(UInt32(code)))
            } else if status == rnn_key_code_yes(), Int32(code) != KEY_RESIZE {
                tail.append(.keyCode(Int32(code)))
            } else {
                if status == rnn_key_code_yes() { ungetch(KEY_RESIZE) } // report it on the next read
                return tail.isEmpty ? .escape : nil
            }
        }
    }

    /// Ctrl-Z (SIGTSTP) and `fg` (SIGCONT). Suspending leaves curses first, so the shell gets its screen
    /// and modes back; on SIGCONT, after a suspension or a SIGSTOP, the terminal is taken back: program
    /// modes, keypad (application cursor-key) mode re-sent — ncurses' own handler leaves it off, so the
    /// next arrow arrived as `ESC [ B` — cursor hidden, and the whole screen redrawn. Returns the resize
    /// key that makes the loop draw a fresh frame, or nil when neither signal came.
    private func resumeAfterStop() -> Key? {
        if rnn_take_suspend_request() != 0 {
            curs_set(1)
            endwin()
            rnn_stop_self() // returns on SIGCONT
            _ = rnn_take_continued()
        } else if rnn_take_continued() != 0 {
            endwin() // the terminal may have been used meanwhile: hand it back and take it anew
        } else {
            return nil
        }
        let window = rnn_stdscr()
        reset_prog_mode()
        keypad(window, true)
        curs_set(0)
        clearok(window, true)
        needsFullRedraw = true
        size = currentSize()
        return .resize(width: size.width, height: size.height)
    }

    private func currentSize() -> TerminalSize {
        var rows: Int32 = 0
        var columns: Int32 = 0
        rnn_getmaxyx(rnn_stdscr(), &rows, &columns)
        return TerminalSize(width: Int(columns), height: Int(rows))
    }
}
