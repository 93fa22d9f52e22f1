/// What counts as one number of a regression series: a token Swift reads as a `Float` that is finite.
/// "inf", "nan" and values past Float's range are refused (a model cannot learn from them). The model's
/// run, the trainer's corpus and the lesson validator all ask this one rule, so a lesson that validates
/// also opens.
public enum SeriesValue {
    /// The value of `token`, or nil when it is not a finite Float.
    public static func parse<S: StringProtocol>(_ token: S) -> Float? {
        guard let value = Float(token), value.isFinite else { return nil }
        return value
    }
}
