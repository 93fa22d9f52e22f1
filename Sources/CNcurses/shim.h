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

static void rnn_on_quit_signal(int sig) { rnn_quit_signal = sig; }

/// SIGINT, SIGTERM and SIGHUP only set a flag. No SA_RESTART: a blocked read returns, so the loop
/// sees the flag at once and restores the terminal on its normal path (endwin is not signal-safe).
/// The signals are also unblocked: test runners and some shells start children with them blocked.
static inline int rnn_install_quit_handlers(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = rnn_on_quit_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    int signals[] = {SIGINT, SIGTERM, SIGHUP};
    sigset_t unblock;
    sigemptyset(&unblock);
    for (int i = 0; i < 3; i++) {
        if (sigaction(signals[i], &sa, NULL) != 0) return -1;
        sigaddset(&unblock, signals[i]);
    }
    sigaddset(&unblock, SIGWINCH);
    return sigprocmask(SIG_UNBLOCK, &unblock, NULL);
}

static inline int rnn_quit_signal_value(void) { return rnn_quit_signal; }
static inline void rnn_clear_quit_signal(void) { rnn_quit_signal = 0; }

/// Puts the default dispositions back once curses has been left.
static inline void rnn_reset_quit_handlers(void) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
}

static inline void rnn_set_curses_active(int active) { rnn_curses_active = active; }

/// Best effort for the paths no `defer` reaches: a process exit that skips the loop's cleanup, and
/// crashes (Swift traps are SIGILL/SIGTRAP, plus SIGSEGV/SIGBUS/SIGFPE/SIGABRT).
static inline void rnn_restore_at_exit(void) {
    if (rnn_curses_active) {
        rnn_curses_active = 0;
        endwin();
    }
}

/// The crash-signal actions that were installed before ours (function-local so the Swift importer
/// emits the storage along with the code that uses it).
static inline struct sigaction *rnn_previous_crash_action(int sig) {
    static struct sigaction saved[NSIG];
    return &saved[sig];
}

static void rnn_on_crash_signal(int sig) {
    // endwin is not async-signal-safe, but the process is dying anyway and a wrecked terminal is
    // worse; ncurses' own SIGINT cleanup does the same. Then hand the signal to whoever had it
    // before (the Swift runtime's backtracer): restoring its action and returning re-raises a fault.
    if (rnn_curses_active) {
        rnn_curses_active = 0;
        endwin();
    }
    sigaction(sig, rnn_previous_crash_action(sig), NULL);
    if (sig == SIGABRT) raise(sig);  // pending until we return, then goes to the restored action
}

static inline void rnn_install_crash_handlers(void) {
    static int installed = 0;
    if (installed) return;
    installed = 1;
    int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT};
    for (int i = 0; i < 6; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = rnn_on_crash_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(signals[i], &sa, rnn_previous_crash_action(signals[i]));
    }
    atexit(rnn_restore_at_exit);
}

#endif
