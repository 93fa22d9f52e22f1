/// How much of a generated text is new rather than recited: the share of its windows of `window`
/// consecutive characters that occur nowhere in the training corpus.
///
/// A model that memorised its corpus reproduces long verbatim pieces, so nearly every 12-character
/// window of its samples is found in the corpus (share near 0); a model that learned spelling and word
/// order recombines them, and most windows spanning two or three words are new (share near 1).
public enum SampleNovelty {
    /// Twelve characters span two or three words: long enough that a common word alone never counts
    /// as copied, short enough that a recited phrase always does.
    public static let defaultWindow = 12

    /// The fraction (0…1) of `sample`'s windows of `window` characters that are not a substring of
    /// `corpus`; nil when the sample is shorter than one window, so there is nothing to judge.
    public static func newWindowShare(sample: String, corpus: String, window: Int = defaultWindow) -> Double? {
        precondition(window >= 1, "a window has at least one character")
        let sampleCharacters = Array(sample)
        guard sampleCharacters.count >= window else { return nil }
        let known = windows(of: Array(corpus), length: window)
        let sampleWindows = (0...(sampleCharacters.count - window)).map { String(sampleCharacters[$0..<($0 + window)]) }
        let new = sampleWindows.filter { !known.contains($0) }.count
        return Double(new) / Double(sampleWindows.count)
    }

    private static func windows(of characters: [Character], length: Int) -> Set<String> {
        guard characters.count >= length else { return [] }
        return Set((0...(characters.count - length)).map { String(characters[$0..<($0 + length)]) })
    }
}
