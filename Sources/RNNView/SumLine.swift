/// One line of the "where does this number come from" view: its printed forms, fullest first (the view
/// draws the first that fits), and how much it matters when rows run short (0 is kept longest).
struct SumLine {
    enum Kind { case heading, note, live, blank }
    var kind: Kind
    var forms: [String]
    var priority: Int

    static func heading(_ text: String, priority: Int = 0) -> SumLine { SumLine(kind: .heading, forms: [text], priority: priority) }
    static func note(_ forms: String..., priority: Int) -> SumLine { SumLine(kind: .note, forms: forms, priority: priority) }
    static func blank(priority: Int) -> SumLine { SumLine(kind: .blank, forms: [""], priority: priority) }

    /// "label = symbolic = numbers = result", the numbers printed with the digits the result needs; each
    /// alternative is tried with its symbolic part, then all of them without.
    static func live(_ label: String, _ alternatives: [(symbolic: String?, numbers: Arithmetic)], result: Double,
                     priority: Int) -> SumLine {
        let resultText = PrintedNumber.text(result, digits: PrintedNumber.resultDigits)
        // Numbers that print as the result itself (a one-hot column, a single term) are not printed twice.
        func isJustResult(_ numbers: Arithmetic) -> Bool { numbers.text(digits: numbers.digits(for: result)) == resultText }
        func form(_ symbolic: String?, _ numbers: Arithmetic) -> String {
            var parts = [label]
            if let symbolic { parts.append(symbolic) }
            if !isJustResult(numbers) { parts.append(numbers.text(digits: numbers.digits(for: result))) }
            parts.append(resultText)
            return parts.joined(separator: " = ")
        }
        let withSymbols = alternatives.compactMap { a in a.symbolic.map { form($0, a.numbers) } }
        // Without its symbolic part a line that is only its result would say nothing.
        let bare = alternatives.filter { !isJustResult($0.numbers) }.map { form(nil, $0.numbers) }
        var forms: [String] = []
        for f in withSymbols + bare where !forms.contains(f) { forms.append(f) }
        return SumLine(kind: .live, forms: forms, priority: priority)
    }

    static func live(_ label: String, _ symbolic: String?, _ numbers: Arithmetic, result: Double, priority: Int) -> SumLine {
        live(label, [(symbolic, numbers)], result: result, priority: priority)
    }
}

/// The terms of one dot product (a row of a weight matrix times a vector), largest first: what the view
/// names one by one and what it sums as "the other N".
struct Contributions {
    struct Term {
        /// What the term is named by on screen: "u3", "\"love\"", "x2".
        var name: String
        var weight: Double
        var input: Double
        var value: Double { weight * input }
    }

    /// Every term, by decreasing |value|.
    let terms: [Term]
    /// What the remainder is called: "units", "tokens".
    let kind: String

    init(weights: [Double], inputs: [Double], names: (Int) -> String, kind: String) {
        terms = zip(weights, inputs).enumerated()
            .map { Term(name: names($0.offset), weight: $0.element.0, input: $0.element.1) }
            .sorted { abs($0.value) > abs($1.value) }
        self.kind = kind
    }

    /// `terms` with one more term, kept in order of size.
    init(appending term: Term, to terms: Contributions) {
        self.terms = (terms.terms + [term]).sorted { abs($0.value) > abs($1.value) }
        kind = terms.kind
    }

    /// The exact sum of every term.
    var total: Double { terms.reduce(0) { $0 + $1.value } }

    /// The `k` largest terms by name and the rest summed, or every term when at most one would be left over.
    func top(_ k: Int) -> (symbolic: String, numbers: Arithmetic) {
        if terms.isEmpty { return ("0", .number(0)) }
        if terms.count <= k + 1 {
            return (terms.map(\.name).joined(separator: " + "), .sum(terms.map { .number($0.value) }))
        }
        let named = terms.prefix(k)
        let rest = terms.dropFirst(k).reduce(0) { $0 + $1.value }
        let symbolic = named.map(\.name).joined(separator: " + ") + " + \(terms.count - k) other \(kind)"
        return (symbolic, .sum(named.map { .number($0.value) } + [.number(rest)]))
    }

    /// The forms of the line from 4 named terms down to 1.
    var alternatives: [(symbolic: String?, numbers: Arithmetic)] {
        (1...4).reversed().map { k in let t = top(k); return (t.symbolic, t.numbers) }
    }
}
