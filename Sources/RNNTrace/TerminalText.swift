/// Text from files (tokens, vocabulary entries, lesson and trace strings, echoed input) on its way to a
/// terminal: control characters are shown as Swift-style escapes (`\u{1b}`) instead of being sent raw,
/// so a file can never move the cursor, clear the screen, set the window title or hide what follows.
///
/// Escaped: C0 controls (U+0000–U+001F, except those kept), DEL (U+007F) and C1 controls
/// (U+0080–U+009F, the 8-bit forms of ESC sequences). Everything else, including every printable
/// non-ASCII character, passes unchanged.
public enum TerminalText {
    /// True for a scalar that a terminal would act on rather than show.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// True when `character` holds no control scalar (what a single screen cell may show as it is).
    public static func isSafe(_ character: Character) -> Bool {
        !character.unicodeScalars.contains(where: isControl)
    }

    /// `text` with every control scalar written as `\u{hex}`; `keepNewlines` / `keepTabs` leave `\n` / `\t`
    /// as they are (for multi-line messages and tab-separated listings).
    public static func escaped(_ text: String, keepNewlines: Bool = false, keepTabs: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) && !(keepNewlines && scalar == "\n") && !(keepTabs && scalar == "\t") {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
