import Foundation
import Testing

/// The engine as a library: another package (Tests/DependentPackage) depends on the `RNNEngine` product by
/// path, builds and trains with it; and a tagged release — what a dependency by version checks out — has
/// no unsafe build flags, so SwiftPM accepts it as a versioned dependency too.
@Suite("The RNNEngine library product", .serialized)
struct LibraryProductTests {
    static let dependent = Paths.packageRoot.appendingPathComponent("Tests/DependentPackage")

    @Test func anotherPackageBuildsAndTrainsWithIt() throws {
        let r = try run("/usr/bin/env", ["swift", "run", "--package-path", Self.dependent.path, "TrainWithRNNEngine"],
                        timeout: 1200)
        #expect(r.status == 0, "\(r.stderr.suffix(2000))\n\(r.stdout.suffix(2000))")
        // "lstm loss 2.1 -> 0.4": the program exits 1 unless the loss fell; check that it said so.
        let line = try #require(r.stdout.split(separator: "\n").last { $0.hasPrefix("lstm loss ") }, "\(r.stdout)")
        let numbers = line.dropFirst("lstm loss ".count).components(separatedBy: " -> ").compactMap { Double($0) }
        #expect(numbers.count == 2 && numbers[1] < numbers[0], "\(line)")
    }

    @Test func aTaggedReleaseHasNoUnsafeFlagsAndAWorkingCopyOptimisesDebugBuilds() throws {
        #expect(try unsafeFlagCount(tagged: true) == 0)
        #expect(try unsafeFlagCount(tagged: false) > 0)
    }

    /// How many `unsafeFlags` settings the manifest declares in a fresh git repository holding it, at a
    /// tagged commit or an untagged one.
    private func unsafeFlagCount(tagged: Bool) throws -> Int {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: Paths.packageRoot.appendingPathComponent("Package.swift"),
                                         to: dir.appendingPathComponent("Package.swift"))
        let git = ["-c", "user.name=rnnscope", "-c", "user.email=rnnscope@localhost"]
        for arguments in [["init", "-q"], ["add", "Package.swift"], git + ["commit", "-q", "-m", "release"]]
            + (tagged ? [["tag", "1.0.0"]] : []) {
            let r = try run("/usr/bin/env", ["git"] + arguments, directory: dir)
            try #require(r.status == 0, "git \(arguments): \(r.stderr)")
        }
        let dump = try run("/usr/bin/env", ["swift", "package", "dump-package"], directory: dir, timeout: 300)
        try #require(dump.status == 0, "\(dump.stderr)")
        let manifest = try #require(try JSONSerialization.jsonObject(with: dump.stdoutData) as? [String: Any])
        let targets = try #require(manifest["targets"] as? [[String: Any]])
        #expect(targets.contains { $0["name"] as? String == "RNNEngine" })
        return targets.reduce(0) { count, target in
            let settings = target["settings"] as? [[String: Any]] ?? []
            return count + settings.filter { setting in
                (setting["kind"] as? [String: Any])?["unsafeFlags"] != nil
            }.count
        }
    }
}
