/// Lesson text shown in the narration panel; RNNLessons fills it, `AppState` holds it.
public struct Narration: Equatable, Sendable {
    public var title: String
    /// Where the learner is, e.g. "2/9"; shown in the panel title.
    public var progress: String?
    public var paragraphs: [String]
    /// A panel to draw attention to (its border is highlighted).
    public var highlightPanel: PanelID?
    /// A hidden unit to select and highlight in every panel.
    public var highlightUnit: Int?
    public var question: QuestionState?

    public init(title: String, progress: String? = nil, paragraphs: [String], highlightPanel: PanelID? = nil,
                highlightUnit: Int? = nil, question: QuestionState? = nil) {
        self.title = title
        self.progress = progress
        self.paragraphs = paragraphs
        self.highlightPanel = highlightPanel
        self.highlightUnit = highlightUnit
        self.question = question
    }
}

/// A predict-then-reveal question: the learner picks a lettered choice, then sees the live answer.
public struct QuestionState: Equatable, Sendable {
    public var prompt: String
    /// Choice texts; shown as "a) …", "b) …".
    public var choices: [String]
    /// Index of the right choice, when there is one (some questions only ask for a prediction).
    public var correctIndex: Int?
    /// Shown after answering: the live value and why.
    public var explanation: String
    /// The learner's pick, nil until answered.
    public var answer: Int?

    public init(prompt: String, choices: [String], correctIndex: Int? = nil, explanation: String, answer: Int? = nil) {
        self.prompt = prompt
        self.choices = choices
        self.correctIndex = correctIndex
        self.explanation = explanation
        self.answer = answer
    }

    public var isAnswered: Bool { answer != nil }

    /// The key letter of choice `index` ("a", "b", …).
    public static func letter(_ index: Int) -> Character {
        Character(UnicodeScalar(UInt8(97 + max(0, min(25, index)))))
    }
}
