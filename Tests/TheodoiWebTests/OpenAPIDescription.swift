import Foundation
import TheodoiTestSupport
import Yams

/// The served OpenAPI document, read from YAML, with what the tests ask of it: its operations,
/// the operation a request path falls under, and whether an answer matches what it documents.
struct OpenAPIDescription: Sendable {
    /// One documented path and method (`GET`, `/api/v1/plans/{plan}`).
    struct Operation: Hashable, Sendable, CustomStringConvertible, Comparable {
        var method: String
        var path: String
        var description: String { "\(method) \(path)" }
        static func < (lhs: Operation, rhs: Operation) -> Bool { (lhs.path, lhs.method) < (rhs.path, rhs.method) }
    }

    struct ReadError: Error, CustomStringConvertible {
        var description: String
    }

    static let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    let root: JSONDocument
    var validator: JSONSchemaValidator { JSONSchemaValidator(root: root) }

    init(yaml text: String) throws {
        guard let node = try Yams.compose(yaml: text) else { throw ReadError(description: "the document is empty") }
        root = try Self.document(node, at: "$")
    }

    /// YAML → the JSON data model: resolved tags decide (a quoted `'200'` stays a string).
    static func document(_ node: Node, at path: String) throws -> JSONDocument {
        switch node {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: return .null
            case .bool:
                guard let value = node.bool else { throw ReadError(description: "\(path): bad boolean \(scalar.string)") }
                return .bool(value)
            case .int:
                guard let value = node.int else { throw ReadError(description: "\(path): bad integer \(scalar.string)") }
                return .int(value)
            case .float:
                guard let value = node.float else { throw ReadError(description: "\(path): bad number \(scalar.string)") }
                return .double(value)
            default: return .string(scalar.string)
            }
        case .mapping(let mapping):
            // Yams refuses a key that appears twice, so nothing is silently overwritten here.
            var fields: [String: JSONDocument] = [:]
            for (key, value) in mapping {
                guard case .scalar(let name) = key else { throw ReadError(description: "\(path): a key is not a scalar") }
                fields[name.string] = try document(value, at: "\(path).\(name.string)")
            }
            return .object(fields)
        case .sequence(let sequence):
            return .array(try sequence.enumerated().map { try document($0.element, at: "\(path)[\($0.offset)]") })
        case .alias:
            throw ReadError(description: "\(path): YAML aliases are not used in this document")
        }
    }

    /// Every documented operation.
    var operations: [Operation] {
        (root["paths"]?.object ?? [:]).flatMap { path, item in
            Self.methods.filter { item[$0] != nil }.map { Operation(method: $0.uppercased(), path: path) }
        }
        .sorted()
    }

    /// The documented path template a concrete path falls under (`{…}` matches one segment; literal
    /// segments win over parameters).
    func template(for path: String) -> String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        let candidates = (root["paths"]?.object ?? [:]).keys.filter { template in
            let pattern = template.split(separator: "/", omittingEmptySubsequences: false)
            guard pattern.count == segments.count else { return false }
            return zip(pattern, segments).allSatisfy { $0.hasPrefix("{") && $0.hasSuffix("}") ? !$1.isEmpty : $0 == $1 }
        }
        return candidates.min { $0.filter { $0 == "{" }.count < $1.filter { $0 == "{" }.count }
    }

    func operation(_ operation: Operation) -> JSONDocument? {
        root["paths"]?[operation.path]?[operation.method.lowercased()]
    }

    /// An object itself, or the object its `$ref` names.
    func dereferenced(_ value: JSONDocument) -> JSONDocument? {
        guard let reference = value["$ref"]?.string else { return value }
        return validator.resolve(reference)
    }

    /// The parameters of an operation, path-level ones included, `$ref`s resolved.
    func parameters(_ operation: Operation) -> [JSONDocument] {
        let shared = root["paths"]?[operation.path]?["parameters"]?.array ?? []
        let own = self.operation(operation)?["parameters"]?.array ?? []
        return (shared + own).compactMap(dereferenced)
    }

    /// Every way an answer departs from what the operation documents for its status: an
    /// undocumented status, another content type, or a JSON body its schema does not allow.
    func problems(
        _ operation: Operation, status: Int, contentType: String?, body: String
    ) -> [String] {
        guard let documented = self.operation(operation) else { return ["\(operation) is not documented"] }
        guard let declared = documented["responses"]?[String(status)], let response = dereferenced(declared) else {
            let listed = (documented["responses"]?.object ?? [:]).keys.sorted().joined(separator: ", ")
            return ["\(operation) answered \(status), which it does not document (it lists \(listed)); body: \(body.prefix(300))"]
        }
        guard let content = response["content"]?.object else {
            return body.isEmpty ? [] : ["\(operation) \(status) documents no body but sent \(body.prefix(200))"]
        }
        let mediaType = contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard let media = content[mediaType] ?? content["*/*"] else {
            return ["\(operation) \(status) sent \(contentType ?? "no Content-Type"), documented \(content.keys.sorted())"]
        }
        guard mediaType == "application/json" else { return [] }
        guard let schema = media["schema"] else { return ["\(operation) \(status) has no schema"] }
        let value: JSONDocument
        do {
            value = try JSONDocument.parse(body)
        } catch {
            return ["\(operation) \(status) sent a body that is not JSON: \(body.prefix(200))"]
        }
        return validator.problems(value, against: schema).map { "\(operation) \(status): \($0)" }
    }

    /// Every `$ref` in the document, with where it is.
    func references(in value: JSONDocument? = nil, at path: String = "$") -> [(path: String, reference: String)] {
        switch value ?? root {
        case .object(let fields):
            return fields.sorted { $0.key < $1.key }.flatMap { key, field -> [(path: String, reference: String)] in
                if key == "$ref", let text = field.string { return [(path, text)] }
                return references(in: field, at: "\(path).\(key)")
            }
        case .array(let values):
            return values.enumerated().flatMap { references(in: $0.element, at: "\(path)[\($0.offset)]") }
        default:
            return []
        }
    }
}
