import Foundation
import Testing

/// The engine as a library for other packages: a tagged release — what a dependency by version checks out —
/// has no unsafe build flags, so SwiftPM accepts it as a versioned dependency. (.ci/run builds and runs
/// Tests/DependentPackage, which uses the `RNNEngine` product by path: a build of its own, minutes long.)
@Suite("The RNNEngine library product", .serialized)
struct LibraryProductTests {
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
