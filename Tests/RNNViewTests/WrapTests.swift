import RNNEngine
import Testing
@testable import RNNView

/// `wrap` splits narration into lines; a long unbroken word used to cost O(n²/width) (a 990k-character
/// lesson title took 27 s per frame), because each cut copied the rest of the word.
@Suite struct WrapTests {
    /// The former implementation, kept as the reference for what the lines must be.
    static func reference(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let w = String(word)
            if line.isEmpty { line = w } else if line.count + 1 + w.count <= width { line += " " + w } else {
                lines.append(line); line = w
            }
            while line.count > width {
                lines.append(String(line.prefix(width)))
                line = String(line.dropFirst(width))
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    @Test func sameLinesAsTheReferenceOnRandomText() {
        var rng = SeededGenerator(seed: 7)
        let pieces = ["a", "bb", "ccc", "é", "🙂", " ", "  ", "word", String(repeating: "x", count: 23)]
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 0...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let width = Int.random(in: 0...12, using: &rng)
            #expect(wrap(text, width: width) == Self.reference(text, width: width), "\(text.debugDescription) width \(width)")
        }
    }

    @Test func aWordOfAMillionCharactersIsCutIntoFullLines() {
        let n = 990_000, width = 77
        let text = "A " + String(repeating: "x", count: n) + " end"
        let lines = wrap(text, width: width)
        #expect(lines.count == 1 + (n + width - 1) / width)  // "A", the word's pieces, the last with " end"
        #expect(lines.first == "A")
        #expect(lines.dropFirst().dropLast().allSatisfy { $0.count == width })
        #expect(lines.dropFirst().joined() == String(repeating: "x", count: n) + " end")
        #expect(lines.last == String(repeating: "x", count: n % width) + " end")
    }
}
