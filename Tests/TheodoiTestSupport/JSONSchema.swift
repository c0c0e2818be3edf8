import Foundation

/// A JSON (or YAML) value as tests read it: keeps `true` apart from `1` and integers apart from
/// fractions, so a schema's types can be checked precisely.
public enum JSONDocument: Sendable, Hashable, Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONDocument])
    case object([String: JSONDocument])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONDocument].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONDocument].self))
        }
    }

    /// Parses JSON text.
    public static func parse(_ text: String) throws -> JSONDocument {
        try JSONDecoder().decode(JSONDocument.self, from: Data(text.utf8))
    }

    public subscript(_ key: String) -> JSONDocument? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var int: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    public var array: [JSONDocument]? {
        if case .array(let values) = self { return values }
        return nil
    }

    public var object: [String: JSONDocument]? {
        if case .object(let fields) = self { return fields }
        return nil
    }

    /// The JSON Schema type name of the value (`integer` for whole numbers).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): String(value)
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .string(let value): "\"\(value)\""
        case .array(let values): "[\(values.map(\.description).joined(separator: ", "))]"
        case .object(let fields):
            "{\(fields.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", "))}"
        }
    }
}

/// A small JSON Schema (2020-12, as OpenAPI 3.1 uses it) validator for the keywords theodoi's API
/// description uses: `$ref` (JSON pointers into the document), `type` (a name or a list, so
/// `[string, "null"]` is nullable), `enum`, `const`, `properties`, `required`,
/// `additionalProperties` (false or a schema), `items`, `oneOf`, `anyOf`, `allOf`, `format`
/// (`date`, `date-time`), `pattern`, `minimum`, `maximum`, `minLength`, `maxLength`. Any other
/// keyword that is not a plain annotation is reported, so a schema never passes because a
/// keyword went unchecked. Problems come back as values, each with the JSON path where it is.
public struct JSONSchemaValidator: Sendable {
    /// The whole document `$ref`s point into.
    public var root: JSONDocument

    public init(root: JSONDocument) { self.root = root }

    /// Keywords that only describe; they never make a value invalid.
    static let annotations: Set<String> = [
        "description", "title", "examples", "example", "default", "discriminator", "contentMediaType", "deprecated",
        "readOnly", "writeOnly", "$comment",
    ]
    static let checked: Set<String> = [
        "$ref", "type", "enum", "const", "properties", "required", "additionalProperties", "items", "oneOf", "anyOf", "allOf",
        "format", "pattern", "minimum", "maximum", "minLength", "maxLength",
    ]

    /// The schema a `$ref` such as `#/components/schemas/Plan` names, or nil.
    public func resolve(_ reference: String) -> JSONDocument? {
        guard reference.hasPrefix("#") else { return nil }
        var node = root
        for token in reference.dropFirst().split(separator: "/", omittingEmptySubsequences: true) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch node {
            case .object(let fields):
                guard let next = fields[key] else { return nil }
                node = next
            case .array(let values):
                guard let index = Int(key), values.indices.contains(index) else { return nil }
                node = values[index]
            default: return nil
            }
        }
        return node
    }

    /// Every way `value` breaks `schema`; empty when it conforms.
    public func problems(_ value: JSONDocument, against schema: JSONDocument, at path: String = "$") -> [String] {
        guard case .object(let keywords) = schema else {
            if case .bool(let allowed) = schema { return allowed ? [] : ["\(path): no value is allowed here"] }
            return ["\(path): the schema is not an object: \(schema)"]
        }
        var problems: [String] = []
        for key in keywords.keys.sorted() where !Self.checked.contains(key) && !Self.annotations.contains(key) {
            problems.append("\(path): the validator does not know the keyword \"\(key)\"")
        }
        if let reference = keywords["$ref"] {
            guard let text = reference.string, let target = resolve(text) else {
                return problems + ["\(path): $ref \(reference) does not resolve"]
            }
            problems += self.problems(value, against: target, at: path)
        }
        if let type = keywords["type"] {
            let allowed = type.array?.compactMap(\.string) ?? type.string.map { [$0] } ?? []
            let actual = value.typeName
            guard allowed.contains(actual) || (actual == "integer" && allowed.contains("number")) else {
                return problems + ["\(path): expected \(allowed.joined(separator: " or ")), got \(actual) \(value)"]
            }
        }
        if let options = keywords["enum"]?.array, !options.contains(value) {
            problems.append("\(path): \(value) is not one of \(options.map(\.description).joined(separator: ", "))")
        }
        if let constant = keywords["const"], constant != value {
            problems.append("\(path): expected \(constant), got \(value)")
        }
        for subschema in keywords["allOf"]?.array ?? [] {
            problems += self.problems(value, against: subschema, at: path)
        }
        if let options = keywords["anyOf"]?.array,
            !options.contains(where: { self.problems(value, against: $0, at: path).isEmpty })
        {
            problems.append("\(path): matches none of the anyOf schemas")
        }
        if let options = keywords["oneOf"]?.array {
            let outcomes = options.map { self.problems(value, against: $0, at: path) }
            let matching = outcomes.filter(\.isEmpty).count
            if matching == 0 {
                let closest = outcomes.min { $0.count < $1.count } ?? []
                problems.append(
                    "\(path): matches none of the oneOf schemas; the closest says: \(closest.joined(separator: "; "))")
            } else if matching > 1 {
                problems.append("\(path): matches \(matching) of the oneOf schemas, not exactly one")
            }
        }
        switch value {
        case .object(let fields):
            let properties = keywords["properties"]?.object ?? [:]
            for name in keywords["required"]?.array?.compactMap(\.string) ?? [] where fields[name] == nil {
                problems.append("\(path): the required field \"\(name)\" is missing")
            }
            for (name, field) in fields.sorted(by: { $0.key < $1.key }) {
                if let schema = properties[name] {
                    problems += self.problems(field, against: schema, at: "\(path).\(name)")
                } else if let additional = keywords["additionalProperties"] {
                    if case .bool(false) = additional {
                        problems.append("\(path): the field \"\(name)\" is not documented")
                    } else {
                        problems += self.problems(field, against: additional, at: "\(path).\(name)")
                    }
                }
            }
        case .array(let items):
            if let schema = keywords["items"] {
                for (index, item) in items.enumerated() {
                    problems += self.problems(item, against: schema, at: "\(path)[\(index)]")
                }
            }
        case .string(let text):
            if let format = keywords["format"]?.string, !Self.conforms(text, format: format) {
                problems.append("\(path): \"\(text)\" is not a \(format)")
            }
            if let pattern = keywords["pattern"]?.string {
                if let regex = try? Regex(pattern) {
                    if (try? regex.firstMatch(in: text)) == nil {
                        problems.append("\(path): \"\(text)\" does not match \(pattern)")
                    }
                } else {
                    problems.append("\(path): the pattern \(pattern) is not a regular expression")
                }
            }
            if let minimum = keywords["minLength"]?.int, text.count < minimum {
                problems.append("\(path): shorter than \(minimum) characters")
            }
            if let maximum = keywords["maxLength"]?.int, text.count > maximum {
                problems.append("\(path): longer than \(maximum) characters")
            }
        case .int(let number):
            if let minimum = keywords["minimum"]?.int, number < minimum { problems.append("\(path): \(number) < \(minimum)") }
            if let maximum = keywords["maximum"]?.int, number > maximum { problems.append("\(path): \(number) > \(maximum)") }
        case .null, .bool, .double:
            break
        }
        return problems
    }

    /// Whether `text` is a `date` (`YYYY-MM-DD`, a real day) or a `date-time` (RFC 3339).
    static func conforms(_ text: String, format: String) -> Bool {
        switch format {
        case "date":
            guard let match = text.wholeMatch(of: /(\d{4})-(\d{2})-(\d{2})/), let month = Int(match.output.2),
                let day = Int(match.output.3), let year = Int(match.output.1), (1...12).contains(month)
            else { return false }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
            guard let first = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
                let days = calendar.range(of: .day, in: .month, for: first)
            else { return false }
            return days.contains(day)
        case "date-time":
            return text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/) != nil
        default:
            // Other formats are annotations in JSON Schema 2020-12.
            return true
        }
    }
}
