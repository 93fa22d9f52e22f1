import ArgumentParser

/// `--directory` of the commands that list or open the course by lesson number: one help text and one
/// default rule (`BundledCourse.directory(given:)`) for both.
struct CourseDirectoryOption: ParsableArguments {
    @Option(name: .long, help: "Lessons directory (default: $RNNSCOPE_LESSONS, ./lessons, or the one installed with rnnscope).")
    var directory: String?
}
