import Testing
@testable import RNNLessons

@Suite("Share of a sample's 12-character windows that are not in the corpus")
struct SampleNoveltyTests {
    let corpus = "The lamp was lit at six. The sea was calm."

    @Test("a sample cut from the corpus is not new at all")
    func recitedSampleIsNotNew() {
        #expect(SampleNovelty.newWindowShare(sample: "lamp was lit at six. The", corpus: corpus) == 0)
    }

    @Test("a sample sharing no 12 characters with the corpus is entirely new")
    func unrelatedSampleIsAllNew() {
        #expect(SampleNovelty.newWindowShare(sample: "Gulls fought over bread.", corpus: corpus) == 1)
    }

    @Test("half recited, half new: counts each window once, by position")
    func mixedSampleCountsWindows() throws {
        // 13 characters give 2 windows of 12: "The lamp was" is in the corpus, "he lamp was!" is not.
        let share = try #require(SampleNovelty.newWindowShare(sample: "The lamp was!", corpus: corpus))
        #expect(share == 0.5)
    }

    @Test("new combinations of known words count as new")
    func recombinedWordsAreNew() throws {
        // Every word is in the corpus. Of the 12 windows, the 6 that span "sea was lit" are new; the first
        // ("The sea was ") and the 5 inside " was lit at six." are copied.
        let share = try #require(SampleNovelty.newWindowShare(sample: "The sea was lit at six.", corpus: corpus))
        #expect(share == 0.5)
    }

    @Test("the window length is a parameter")
    func shorterWindowFindsMoreCopies() throws {
        let sample = "The sea was lit at six."
        let twelve = try #require(SampleNovelty.newWindowShare(sample: sample, corpus: corpus))
        let four = try #require(SampleNovelty.newWindowShare(sample: sample, corpus: corpus, window: 4))
        #expect(four < twelve)
        #expect(SampleNovelty.newWindowShare(sample: "was", corpus: corpus, window: 3) == 0)
    }

    @Test("a sample shorter than one window cannot be judged")
    func shortSampleHasNoShare() {
        #expect(SampleNovelty.newWindowShare(sample: "The lamp", corpus: corpus) == nil)
    }
}
