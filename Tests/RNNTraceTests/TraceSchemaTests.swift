import Foundation
import TestSupport
import Testing
import RNNEngine
@testable import RNNTrace

/// `Schema/trace.schema.json` describes every trace: the golden PyTorch ones and every kind rnnscope
/// exports (each cell, stacked layers, regression, non-finite values), and it refuses broken ones.
@Suite("The trace JSON Schema")
struct TraceSchemaTests {
    static let schemaFile = GoldenFiles.directory.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Schema/trace.schema.json")

    func validator() throws -> SchemaValidator {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.schemaFile))
        return SchemaValidator(root: try #require(object as? [String: Any]))
    }

    @Test(arguments: GoldenFiles.allCases)
    func goldenTracesFollowTheSchema(_ name: String) throws {
        let trace = try JSONSerialization.jsonObject(with: Data(contentsOf: GoldenFiles.trace(name)))
        let problem = try validator().problem(in: trace)
        #expect(problem == nil, "\(name): \(problem ?? "")")
    }

    @Test func everyExportedKindFollowsTheSchema() throws {
        let schema = try validator()
        for (cell, layers, task) in TraceCodingTests.kinds {
            var recording = try TraceCodingTests.recording(cell, layers: layers, task: task)
            recording.layers[0].hidden[recording.hiddenSize] = .nan
            let trace = try JSONSerialization.jsonObject(with: Data(recording.exported(as: .json)))
            let problem = schema.problem(in: trace)
            #expect(problem == nil, "\(cell) × \(layers) \(task): \(problem ?? "")")
        }
    }

    @Test func brokenTracesAreRefused() throws {
        let schema = try validator()
        let golden = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: GoldenFiles.trace("lstm_word_embed"))) as? [String: Any])
        func edited(_ edit: (inout [String: Any]) -> Void) -> [String: Any] {
            var copy = golden
            edit(&copy)
            return copy
        }
        func step(_ edit: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
            { json in
                var steps = json["steps"] as! [[String: Any]]
                edit(&steps[1])
                json["steps"] = steps
            }
        }
        let cases: [(String, [String: Any], String)] = [
            ("version", edited { $0["version"] = 2 }, "$.version"),
            ("cell", edited { $0["cell"] = "rnn_gelu" }, "$.cell"),
            ("no h", edited(step { $0.removeValue(forKey: "h") }), "$.steps[1]"),
            ("a GRU gate in an LSTM", edited(step { $0["gates"] = ["r": [0.5]] }), "$.steps[1].gates"),
            ("a word in a vector", edited(step { $0["x"] = ["big"] }), "$.steps[1].x[0]"),
            ("a fractional target", edited(step { $0["target"] = 1.5 }), "$.steps[1].target"),
        ]
        for (name, trace, path) in cases {
            let problem = schema.problem(in: trace)
            #expect(problem?.hasPrefix(path) == true, "\(name): \(problem ?? "accepted")")
        }
    }
}

/// The part of JSON Schema (2020-12) the trace schema uses: type, const, enum, required, properties,
/// additionalProperties, propertyNames, maxProperties, items, minItems, minimum, maximum, anyOf, allOf,
/// if/then and local `$ref`s. Values are as `JSONSerialization` gives them.
struct SchemaValidator {
    let root: [String: Any]

    /// The first place `value` breaks the schema, as "$.path: why", or nil.
    func problem(in value: Any) -> String? { check(value, root, "$") }

    private func check(_ value: Any, _ schemaValue: Any, _ path: String) -> String? {
        guard let schema = schemaValue as? [String: Any] else { return nil }
        if let ref = schema["$ref"] as? String {
            let name = String(ref.dropFirst("#/$defs/".count))
            guard let target = (root["$defs"] as? [String: Any])?[name] else { return "\(path): unknown $ref \(ref)" }
            if let problem = check(value, target, path) { return problem }
        }
        if let types = schema["type"] {
            let allowed = (types as? [String]) ?? [types as! String]
            guard allowed.contains(where: { matches(value, $0) }) else { return "\(path): not of type \(allowed)" }
        }
        if let constant = schema["const"], !same(value, constant) { return "\(path): is not \(constant)" }
        if let options = schema["enum"] as? [Any], !options.contains(where: { same(value, $0) }) {
            return "\(path): is not one of \(options)"
        }
        if let number = value as? NSNumber, !(value is String) {
            if let minimum = schema["minimum"] as? NSNumber, number.doubleValue < minimum.doubleValue { return "\(path): below \(minimum)" }
            if let maximum = schema["maximum"] as? NSNumber, number.doubleValue > maximum.doubleValue { return "\(path): above \(maximum)" }
        }
        if let object = value as? [String: Any] {
            for key in (schema["required"] as? [String]) ?? [] where object[key] == nil { return "\(path): missing \(key)" }
            if let most = schema["maxProperties"] as? Int, object.count > most { return "\(path): more than \(most) keys" }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in object.keys.sorted() {
                if let names = schema["propertyNames"], let problem = check(key, names, "\(path).\(key) (name)") { return problem }
                if let property = properties[key] {
                    if let problem = check(object[key]!, property, "\(path).\(key)") { return problem }
                } else if let additional = schema["additionalProperties"], let problem = check(object[key]!, additional, "\(path).\(key)") {
                    return problem
                }
            }
        }
        if let array = value as? [Any] {
            if let least = schema["minItems"] as? Int, array.count < least { return "\(path): fewer than \(least) items" }
            if let items = schema["items"] {
                for (i, element) in array.enumerated() {
                    if let problem = check(element, items, "\(path)[\(i)]") { return problem }
                }
            }
        }
        if let options = schema["anyOf"] as? [Any], !options.contains(where: { check(value, $0, path) == nil }) {
            return "\(path): matches none of anyOf"
        }
        for part in (schema["allOf"] as? [Any]) ?? [] {
            if let problem = check(value, part, path) { return problem }
        }
        if let condition = schema["if"], check(value, condition, path) == nil, let then = schema["then"] {
            if let problem = check(value, then, path) { return problem }
        }
        return nil
    }

    private func matches(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "null": return value is NSNull
        case "number": return !(value is String) && value is NSNumber
        case "integer":
            guard !(value is String), let n = value as? NSNumber else { return false }
            return n.doubleValue == n.doubleValue.rounded() && n.doubleValue.isFinite
        default: return false
        }
    }

    private func same(_ a: Any, _ b: Any) -> Bool {
        if let x = a as? String, let y = b as? String { return x == y }
        if a is String || b is String { return false }
        if let x = a as? NSNumber, let y = b as? NSNumber { return x.doubleValue == y.doubleValue }
        return false
    }
}
