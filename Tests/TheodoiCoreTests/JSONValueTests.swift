import Testing
import TheodoiCore

@Suite("JSONValue")
struct JSONValueTests {
    @Test("keeps key order, writes nulls and escapes what JSON requires")
    func serialises() {
        let value = JSONValue.object([
            ("number", .string("343-QĐ/TU")), ("date", .null), ("count", .int(95)), ("ok", .bool(true)),
            ("text", .string("a \"b\"\n\\\u{1}")), ("empty", .array([])), ("nested", .object([])),
        ])
        #expect(
            value.serialized(pretty: false)
                == #"{"number":"343-QĐ/TU","date":null,"count":95,"ok":true,"text":"a \"b\"\n\\\u0001","empty":[],"nested":{}}"#
        )
        #expect(JSONValue.array([.int(1), .int(2)]).serialized() == "[\n  1,\n  2\n]")
    }
}
