import Foundation
import Testing
import TheodoiTestSupport

/// The schema validator the OpenAPI tests rely on: strict enough that a missing, extra or
/// wrongly-typed field fails.
@Suite("JSON Schema validator")
struct JSONSchemaValidatorTests {
    static let document = try! OpenAPIDescription(
        yaml: """
            components:
              schemas:
                Day:
                  type: string
                  format: date
                Plan:
                  type: object
                  properties:
                    id:
                      type: string
                    total:
                      type: integer
                      minimum: 0
                    published:
                      type: boolean
                    date:
                      type: [string, 'null']
                      format: date
                    kind:
                      type: string
                      enum: [month, none]
                    tags:
                      type: array
                      items:
                        type: string
                    asOf:
                      $ref: '#/components/schemas/Day'
                    cadence:
                      type: [string, 'null']
                      enum: [yearly, null]
                  required: [id, total, published, date]
                  additionalProperties: false
                Item:
                  oneOf:
                    - type: object
                      properties:
                        type:
                          const: review
                      required: [type]
                    - type: object
                      properties:
                        type:
                          enum: [report, contribution]
                      required: [type]
                Odd:
                  type: string
                  patternProperties: {}
            """)
    static func problems(_ json: String, _ schema: String = "Plan") throws -> [String] {
        let validator = JSONSchemaValidator(root: document.root)
        return validator.problems(
            try JSONDocument.parse(json), against: .object(["$ref": .string("#/components/schemas/\(schema)")]))
    }

    @Test("JSON keeps booleans, integers, fractions and null apart")
    func decoding() throws {
        let value = try JSONDocument.parse(#"{"a": true, "b": 1, "c": 1.5, "d": null, "e": "1"}"#)
        #expect(value["a"] == .bool(true))
        #expect(value["b"] == .int(1))
        #expect(value["c"] == .double(1.5))
        #expect(value["d"] == .null)
        #expect(value["e"] == .string("1"))
    }

    @Test("a conforming value passes")
    func conforming() throws {
        #expect(
            try Self.problems(
                #"{"id": "343-qd-tu", "total": 3, "published": false, "date": null, "kind": "month", "tags": ["a"], "asOf": "2025-02-28", "cadence": null}"#
            ) == [])
        #expect(try Self.problems(#"{"id": "x", "total": 0, "published": true, "date": "2024-02-29"}"#) == [])
        #expect(try Self.problems(#"{"type": "review"}"#, "Item") == [])
    }

    @Test(
        "a missing, extra, wrongly-typed, null, out-of-range or badly formatted field fails",
        arguments: [
            (#"{"id": "x", "published": true, "date": null}"#, "the required field \"total\" is missing"),
            (#"{"id": "x", "total": 1, "published": true, "date": null, "extra": 1}"#, "the field \"extra\" is not documented"),
            (#"{"id": "x", "total": "1", "published": true, "date": null}"#, "$.total: expected integer, got string"),
            (#"{"id": "x", "total": 1.5, "published": true, "date": null}"#, "$.total: expected integer, got number"),
            (#"{"id": "x", "total": 1, "published": 1, "date": null}"#, "$.published: expected boolean, got integer"),
            (#"{"id": null, "total": 1, "published": true, "date": null}"#, "$.id: expected string, got null"),
            (#"{"id": "x", "total": -1, "published": true, "date": null}"#, "$.total: -1 < 0"),
            (#"{"id": "x", "total": 1, "published": true, "date": "2025-02-29"}"#, "is not a date"),
            (#"{"id": "x", "total": 1, "published": true, "date": "30/09/2025"}"#, "is not a date"),
            (#"{"id": "x", "total": 1, "published": true, "date": null, "kind": "week"}"#, "is not one of"),
            (#"{"id": "x", "total": 1, "published": true, "date": null, "tags": [1]}"#, "$.tags[0]: expected string"),
            (
                #"{"id": "x", "total": 1, "published": true, "date": null, "asOf": "2025-9-1"}"#,
                "$.asOf: \"2025-9-1\" is not a date"
            ),
            (#"{"id": "x", "total": 1, "published": true, "date": null, "cadence": "weekly"}"#, "is not one of"),
            (#"[]"#, "expected object, got array"),
        ])
    func failing(json: String, expected: String) throws {
        let problems = try Self.problems(json)
        #expect(problems.contains { $0.contains(expected) }, "\(problems)")
    }

    @Test("oneOf wants exactly one match; an unknown keyword or a broken $ref is reported, never skipped")
    func strictness() throws {
        #expect(try Self.problems(#"{"type": "due-set"}"#, "Item").first?.contains("matches none of the oneOf") == true)
        #expect(try Self.problems(#""x""#, "Odd") == [#"$: the validator does not know the keyword "patternProperties""#])
        #expect(try Self.problems("{}", "Missing") == [##"$: $ref "#/components/schemas/Missing" does not resolve"##])
    }

    @Test("YAML tags decide types: a quoted number stays a string, a repeated key is an error")
    func yaml() throws {
        let document = try OpenAPIDescription(yaml: "a: '200'\nb: 200\nc: true\nd: null\ne: 'null'\n")
        #expect(document.root["a"] == .string("200"))
        #expect(document.root["b"] == .int(200))
        #expect(document.root["c"] == .bool(true))
        #expect(document.root["d"] == .null)
        #expect(document.root["e"] == .string("null"))
        #expect(throws: (any Error).self) { try OpenAPIDescription(yaml: "a: 1\na: 2\n") }
    }
}
