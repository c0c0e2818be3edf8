import Testing
import TheodoiForms

@Suite("Multipart bodies: parts or a reason, never a trap")
struct MultipartParserTests {
    static func body(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("a browser's form: fields and a file with a Vietnamese name, a preamble, padding after a delimiter")
    func wellFormed() throws {
        let parts = try MultipartParser.parse(
            Self.body(
                "lời mở đầu\r\n--b\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nabc\r\n--b  \r\n"
                    + "Content-Disposition: form-data; name=\"files\"; filename=\"Quyết định.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
                    + "%PDF\r\n--b\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n\r\n--b--\r\nepilogue"),
            boundary: "b")
        #expect(parts.map(\.name) == ["_csrf", "files", "empty"])
        #expect(parts.map(\.fileName) == [nil, "Quyết định.pdf", nil])
        #expect(parts.map(\.body) == [Self.body("abc"), Self.body("%PDF"), []])
        #expect(parts[1].header("content-type") == "application/pdf")
    }

    @Test(
        "malformed bodies are refused with a reason",
        arguments: [
            ("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\u{E9}: 1\r\n\r\nv\r\n--x--\r\n", "x", "malformed"),
            ("--x\r\n: no name\r\n\r\nv\r\n--x--\r\n", "x", "malformed"),
            ("--x\r\nno colon\r\n\r\nv\r\n--x--\r\n", "x", "malformed"),
            ("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv", "x", "incomplete"),
            ("--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--x", "x", "incomplete"),
            ("nothing here", "x", "malformed"),
            ("--x\r\n\r\nv\r\n--x--\r\n", "", "boundary"),
            ("--x\r\n\r\nv\r\n--x--\r\n", String(repeating: "x", count: 71), "boundary"),
            ("--x\r\n\r\nv\r\n--x--\r\n", "x\u{E9}", "boundary"),
            ("--xjunk\r\n\r\nv\r\n--x--\r\n", "x", "malformed"),
        ])
    func malformed(body: String, boundary: String, kind: String) {
        #expect {
            _ = try MultipartParser.parse(Self.body(body), boundary: boundary)
        } throws: { error in
            switch (error as? MultipartError, kind) {
            case (.malformed?, "malformed"), (.incomplete?, "incomplete"), (.invalidBoundary?, "boundary"): true
            default: false
            }
        }
    }

    @Test("header values that are not UTF-8, too many headers, too many parts")
    func bounded() {
        let latin1 =
            [UInt8]("--x\r\nContent-Disposition: form-data; name=\"".utf8) + [0xE9] + Array("\"\r\n\r\nv\r\n--x--\r\n".utf8)
        #expect(throws: MultipartError.malformed("a header value that is not UTF-8")) {
            try MultipartParser.parse(latin1, boundary: "x")
        }
        let headers = "--x\r\n" + String(repeating: "A: b\r\n", count: 17) + "\r\nv\r\n--x--\r\n"
        #expect(throws: MultipartError.tooLarge("too many headers in a part")) {
            try MultipartParser.parse(Self.body(headers), boundary: "x")
        }
        let parts = String(repeating: "--x\r\nA: b\r\n\r\nv\r\n", count: 1_001) + "--x--\r\n"
        #expect(throws: MultipartError.tooLarge("more than 1000 parts")) {
            try MultipartParser.parse(Self.body(parts), boundary: "x")
        }
    }

    @Test("the first part of a body still arriving: more needed, or the part")
    func leading() throws {
        let full = Self.body(
            "--x\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntoken\r\n--x\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n"
        )
        for cut in [0, 3, 10, 40, 60] {
            #expect(try MultipartParser.leadingPart(Array(full.prefix(cut)), boundary: "x") == .needMore)
        }
        guard case .part(let part) = try MultipartParser.leadingPart(full, boundary: "x") else {
            Issue.record("no part")
            return
        }
        #expect(part.name == "_csrf" && part.body == Self.body("token"))
    }
}

@Suite("Numbers from requests, bounded")
struct RequestNumberTests {
    @Test(
        "pages and ids",
        arguments: [
            ("1", 1, 1), ("1000000", 1_000_000, 1_000_000), ("1000001", nil, 1_000_001), ("9223372036854775807", nil, Int.max),
            ("92233720368547758070", nil, nil), ("0", nil, nil), ("-1", nil, nil), ("1e3", nil, nil), ("+5", nil, nil),
            ("٣", nil, nil), (" 7 ", 7, 7), ("", 1, nil),
        ] as [(String, Int?, Int?)])
    func parse(text: String, page: Int?, id: Int?) {
        #expect(RequestNumber.page(text) == page)
        #expect(RequestNumber.id(text) == id)
    }

    @Test("offsets never overflow")
    func offsets() {
        #expect(RequestNumber.offset(page: 3, perPage: 50) == 100)
        #expect(RequestNumber.offset(page: Int.max, perPage: 1000) == Int.max)
        #expect(RequestNumber.offset(page: 0, perPage: 10) == 0)
    }

    @Test("url-encoded pairs: `+`, percent escapes, and escapes that decode to nothing are kept as sent")
    func forms() {
        let pairs = URLEncodedForm.pairs("a=b+c&%C4%91=%E1%BB%87&bad=%ZZ&&flag&x=1=2")
        #expect(pairs.map(\.name) == ["a", "đ", "bad", "flag", "x"])
        #expect(pairs.map(\.value) == ["b c", "ệ", "%ZZ", "", "1=2"])
    }
}
