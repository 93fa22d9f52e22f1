import Foundation
import RNNEngine

/// Runs a lesson's `## checks` against its live run: what the model must show for the narration to be true.
public enum LessonChecks {
    /// One check's outcome.
    public struct Result: Sendable {
        public var check: LessonCheck
        /// The two sides as measured, e.g. "0.97 >= 0.8"; nil when a side has no value.
        public var measured: String?
        /// Why a side has no value.
        public var error: String?
        public var passed: Bool

        /// One line for `rnnscope lesson validate`.
        public var summary: String {
            "\(passed ? "✓" : "✗") \(check.source)  (\(measured ?? error ?? "no value"))"
        }
    }

    /// Every check of `lesson`, evaluated at the last step of `run`.
    public static func evaluate(_ lesson: Lesson, run: LessonRun) -> [Result] {
        let evaluator = ExpressionEvaluator(run: run, step: max(0, run.stepCount - 1))
        return lesson.checks.map { check -> Result in
            do throws(EvaluationError) {
                let leftValue = try evaluator.evaluate(check.comparison.left)
                let rightValue = try evaluator.evaluate(check.comparison.right)
                let passed = check.comparison.op.holds(try number(leftValue), try number(rightValue))
                let measured = "\(Self.written(check.comparison.left, leftValue)) \(check.comparison.op.rawValue) \(Self.written(check.comparison.right, rightValue))"
                return Result(check: check, measured: measured, error: nil, passed: passed)
            } catch {
                return Result(check: check, measured: nil, error: error.message, passed: false)
            }
        }
    }

    /// The failed checks as problems naming file:line, the check and what was measured.
    public static func problems(_ results: [Result], path: String) -> [LessonProblem] {
        results.filter { !$0.passed }.map { result in
            let why = result.measured.map { "measured \($0)" } ?? "no value: \(result.error ?? "")"
            return LessonProblem(file: path, line: result.check.line, message: "check failed: \(result.check.source) (\(why))")
        }
    }

    /// A literal as the file writes it (0.8, 1e-9), a measured value with three significant digits.
    private static func written(_ expression: Expression, _ value: LessonValue) -> String {
        if case .number(let literal) = expression {
            // %g writes 1e+07 and 1e-06; a lesson file writes 1e7 and 1e-6.
            return String(format: "%g", literal).replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(of: "e+", with: "e")
                .replacingOccurrences(of: "e-0", with: "e-")
        }
        return value.formatted()
    }

    private static func number(_ value: LessonValue) throws(EvaluationError) -> Double {
        guard let v = value.numeric else { throw EvaluationError("a check compares numbers, got \(value.formatted())") }
        return v
    }
}

extension Lesson {
    /// Every name the lesson's placeholders, answers and checks use (e.g. to measure timings only when asked).
    public var referencedNames: Set<String> {
        var names = Set<String>()
        var expressions: [Expression] = checks.flatMap { [$0.comparison.left, $0.comparison.right] }
        for step in steps {
            for q in step.questions {
                switch q.answer {
                case .value(let e), .closest(let e): expressions.append(e)
                case let .conditional(_, c, _): expressions += [c.left, c.right]
                }
            }
        }
        for text in templateTexts {
            expressions += template(text).placeholders.map(\.0.expression)
        }
        for e in expressions { e.collectNames(into: &names) }
        return names
    }
}

extension Expression {
    /// Adds the names of the terms in this expression to `names`.
    func collectNames(into names: inout Set<String>) {
        switch self {
        case .number, .sample, .novelty, .probability: break
        case .term(let term): names.insert(term.name)
        case .function(_, let inner), .inCell(_, let inner), .after(_, let inner): inner.collectNames(into: &names)
        case let .binary(_, a, b):
            a.collectNames(into: &names)
            b.collectNames(into: &names)
        }
    }
}
