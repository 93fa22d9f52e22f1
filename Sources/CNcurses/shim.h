#ifndef RNNSCOPE_CNCURSES_SHIM_H
#define RNNSCOPE_CNCURSES_SHIM_H
// Wide-character ncurses for Swift. Swift cannot import curses' macros with casts, its variadic
// functions or its mutable globals (stdscr, COLORS, …), so this header wraps them in small
// `static inline` functions. Only the TerminalUI target imports this module: the `static` signal
// flags below exist once per importing module, so install and check them from that one module.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <termios.h>
#include <ncursesw/curses.h>

// MARK: - Globals and macros Swift cannot see

static inline WINDOW *rnn_stdscr(void) { return stdscr; }
static inline int rnn_colors(void) { return COLORS; }
static inline int rnn_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *rnn_stdin(void) { return stdin; }
static inline FILE *rnn_stdout(void) { return stdout; }
static inline void rnn_getmaxyx(WINDOW *win, int *rows, int *cols) {
    int y, x;
    getmaxyx(win, y, x);
    *rows = y;
    *cols = x;
}

static inline attr_t rnn_a_normal(void) { return A_NORMAL; }
static inline attr_t rnn_a_bold(void) { return A_BOLD; }
static inline attr_t rnn_a_reverse(void) { return A_REVERSE; }
static inline attr_t rnn_a_underline(void) { return A_UNDERLINE; }
static inline attr_t rnn_a_dim(void) { return A_DIM; }

static inline int rnn_key_code_yes(void) { return KEY_CODE_YES; }

// glibc declares wcwidth only under _XOPEN_SOURCE, which the Glibc module was built without.
extern int wcwidth(wchar_t c);
/// Columns `c` takes on screen (2 for wide CJK/emoji, 0 for combining marks, -1 for controls).
static inline int rnn_wcwidth(wchar_t c) { return wcwidth(c); }

/// Draws one styled glyph (a spacing character plus up to 4 combining marks, NUL-terminated) at
/// (y, x) on stdscr. The bottom-right cell reports ERR because the cursor cannot advance, yet is drawn.
static inline int rnn_put_cell(int y, int x, const wchar_t *glyph, attr_t attr, short pair) {
    cchar_t cc;
    memset(&cc, 0, sizeof cc);
    if (setcchar(&cc, glyph, attr, pair, NULL) == ERR) return ERR;
    return mvwadd_wch(stdscr, y, x, &cc);
}

// MARK: - Signals

/// Set by the quit-signal handler; read by the event loop between key reads.
static volatile sig_atomic_t rnn_quit_signal = 0;
/// Non-zero while curses owns the screen, so the crash and exit paths know whether to restore.
static volatile sig_atomic_t rnn_curses_active = 0;
/// Set by SIGTSTP (Ctrl-Z): the loop leaves curses, stops the process, and takes the screen back.
static volatile sig_atomic_t rnn_suspend_requested = 0;
/// Set by SIGCONT: the terminal may have been used meanwhile (keypad mode reset, screen overwritten).
static volatile sig_atomic_t rnn_continued = 0;

static void rnn_on_quit_signal(int sig) { rnn_quit_signal = sig; }
static void rnn_on_suspend_signal(int sig) { (void)sig; rnn_suspend_requested = 1; }
static void rnn_on_continue_signal(int sig) { (void)sig; rnn_continued = 1; }

/// The signals that end the viewer like SIGTERM: the terminal is restored, then the CLI exits with
/// 128 + n. Their default action would kill the process with the terminal raw and in the alternate
/// screen (USR1, USR2, ALRM, PIPE), or (QUIT) the Swift runtime would print a crash report over the UI.
#define RNN_QUIT_SIGNAL_COUNT 8
static inline const int *rnn_quit_signals(void) {
    static const int signals[RNN_QUIT_SIGNAL_COUNT] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE};
    return signals;
}

/// The actions in place before ours, put back when curses is left (function-local so the Swift
/// importer emits the storage along with the code that uses it).
static inline struct sigaction *rnn_previous_action(int sig) {
    static struct sigaction saved[NSIG];
    return &saved[sig];
}

static inline int rnn_catch(int sig, void (*handler)(int)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    return sigaction(sig, &sa, rnn_previous_action(sig));
}

/// The quit signals only set a flag. No SA_RESTART: a blocked read returns, so the loop sees the
/// flag at once and restores the terminal on its normal path (endwin is not signal-safe). Ctrl-Z
/// (SIGTSTP, unless ignored) and SIGCONT set flags the same way, so suspending and resuming run in
/// the loop too (ncurses' own SIGTSTP handler restarts the read and leaves keypad mode off).
/// The signals are also unblocked: test runners and some shells start children with them blocked.
static inline int rnn_install_quit_handlers(void) {
    const int *signals = rnn_quit_signals();
    sigset_t unblock;
    sigemptyset(&unblock);
    for (int i = 0; i < RNN_QUIT_SIGNAL_COUNT; i++) {
        if (rnn_catch(signals[i], rnn_on_quit_signal) != 0) return -1;
        sigaddset(&unblock, signals[i]);
    }
    struct sigaction current;
    if (sigaction(SIGTSTP, NULL, &current) == 0 && current.sa_handler != SIG_IGN) {
        if (rnn_catch(SIGTSTP, rnn_on_suspend_signal) != 0) return -1;
        sigaddset(&unblock, SIGTSTP);
    }
    if (rnn_catch(SIGCONT, rnn_on_continue_signal) != 0) return -1;
    sigaddset(&unblock, SIGCONT);
    sigaddset(&unblock, SIGWINCH);
    return sigprocmask(SIG_UNBLOCK, &unblock, NULL);
}

static inline int rnn_quit_signal_value(void) { return rnn_quit_signal; }
static inline void rnn_clear_quit_signal(void) { rnn_quit_signal = 0; }

/// Returns and clears the SIGTSTP / SIGCONT flags.
static inline int rnn_take_suspend_request(void) { int r = rnn_suspend_requested; rnn_suspend_requested = 0; return r; }
static inline int rnn_take_continued(void) { int r = rnn_continued; rnn_continued = 0; return r; }

/// Stops the process as Ctrl-Z would (the default SIGTSTP action), and returns once it is continued.
static inline void rnn_stop_self(void) {
    struct sigaction dfl, ours;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGTSTP, &dfl, &ours);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTSTP);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(SIGTSTP);
    sigaction(SIGTSTP, &ours, NULL);
}

/// Puts back the actions that were there before ours once curses has been left.
static inline void rnn_reset_quit_handlers(void) {
    const int *signals = rnn_quit_signals();
    for (int i = 0; i < RNN_QUIT_SIGNAL_COUNT; i++) sigaction(signals[i], rnn_previous_action(signals[i]), NULL);
    sigaction(SIGTSTP, rnn_previous_action(SIGTSTP), NULL);
    sigaction(SIGCONT, rnn_previous_action(SIGCONT), NULL);
}

static inline void rnn_set_curses_active(int active) { rnn_curses_active = active; }

// MARK: - Restoring the terminal from a signal handler

/// The terminal's modes before curses took it, and the bytes that hand the screen back (leave the
/// alternate screen, show the cursor, keypad off, attributes off): prepared in normal context, so
/// the crash handler only needs write(2) and tcsetattr, which are async-signal-safe (endwin is not).
/// (Storage function-local, as above: file-level aggregates are not emitted by the Swift importer.)
static inline struct termios *rnn_shell_modes(void) { static struct termios modes; return &modes; }
static volatile sig_atomic_t rnn_have_shell_modes = 0;
#define RNN_RESET_CAPACITY 512
static inline char *rnn_reset_bytes(void) { static char bytes[RNN_RESET_CAPACITY]; return bytes; }
static volatile sig_atomic_t rnn_reset_length = 0;

/// Call before curses changes the terminal.
static inline void rnn_save_shell_modes(void) {
    if (tcgetattr(STDIN_FILENO, rnn_shell_modes()) == 0) rnn_have_shell_modes = 1;
}

/// Appends terminfo capability `name` without its padding (`$<…>`), if the terminal has it.
static inline void rnn_append_capability(const char *name, size_t *length) {
    char *value = tigetstr((char *)name);
    if (value == NULL || value == (char *)-1) return;
    for (const char *p = value; *p && *length < RNN_RESET_CAPACITY; p++) {
        if (p[0] == '$' && p[1] == '<') {
            const char *close = strchr(p, '>');
            if (close) { p = close; continue; }
        }
        rnn_reset_bytes()[(*length)++] = *p;
    }
}

/// Call once curses is set up (the terminfo entry is loaded).
static inline void rnn_prepare_emergency_restore(void) {
    size_t length = 0;
    const char *names[] = {"sgr0", "rmkx", "cnorm", "rmcup"};
    for (int i = 0; i < 4; i++) rnn_append_capability(names[i], &length);
    rnn_reset_length = (sig_atomic_t)length;
}

/// Async-signal-safe: gives the terminal back with write(2) and tcsetattr only.
static inline void rnn_emergency_restore(void) {
    if (!rnn_curses_active) return;
    rnn_curses_active = 0;
    size_t done = 0, length = (size_t)rnn_reset_length;
    while (done < length) {
        ssize_t n = write(STDOUT_FILENO, rnn_reset_bytes() + done, length - done);
        if (n <= 0) break;
        done += (size_t)n;
    }
    (void)write(STDOUT_FILENO, "\r\n", 2);
    if (rnn_have_shell_modes) tcsetattr(STDIN_FILENO, TCSADRAIN, rnn_shell_modes());
}

/// Best effort for a process exit that skips the loop's cleanup (normal context: endwin is fine).
static inline void rnn_restore_at_exit(void) {
    if (rnn_curses_active) {
        rnn_curses_active = 0;
        endwin();
    }
}

/// The crash-signal actions that were installed before ours.
static inline struct sigaction *rnn_previous_crash_action(int sig) {
    static struct sigaction saved[NSIG];
    return &saved[sig];
}

static void rnn_on_crash_signal(int sig, siginfo_t *info, void *context) {
    // Crashes: Swift traps are SIGILL/SIGTRAP, plus SIGSEGV/SIGBUS/SIGFPE/SIGABRT. Give the terminal
    // back with signal-safe calls only, then hand the signal to whoever had it before (the Swift
    // runtime's backtracer), its action restored.
    rnn_emergency_restore();
    struct sigaction *previous = rnn_previous_crash_action(sig);
    sigaction(sig, previous, NULL);
    if (info != NULL && info->si_code > 0) return;  // a fault: it faults again, into that action
    // A signal that was sent (kill, raise, abort: si_code <= 0) does not come back by itself: run the
    // previous action now, then end the process with the signal's default action (pending until return).
    if (previous->sa_flags & SA_SIGINFO) {
        if (previous->sa_sigaction) previous->sa_sigaction(sig, info, context);
    } else if (previous->sa_handler != SIG_DFL && previous->sa_handler != SIG_IGN) {
        previous->sa_handler(sig);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static inline void rnn_install_crash_handlers(void) {
    static int installed = 0;
    if (installed) return;
    installed = 1;
    int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT};
    for (int i = 0; i < 6; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = rnn_on_crash_signal;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigemptyset(&sa.sa_mask);
        sigaction(signals[i], &sa, rnn_previous_crash_action(signals[i]));
    }
    atexit(rnn_restore_at_exit);
}

#endif
