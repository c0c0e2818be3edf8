import Foundation
import Testing
import TheodoiCore

@testable import TheodoiExport

@Suite("ZIP and XML read by checked readers: values or reasons, never a trap")
struct CheckedReadersTests {
    static func fixture() throws -> [UInt8] {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/ke-hoach-120-libreoffice.xlsx")
        return [UInt8](try Data(contentsOf: url))
    }

    @Test("a real workbook: every entry inflates and passes its CRC-32")
    func realWorkbook() throws {
        let zip = try ZipReader(try Self.fixture())
        #expect(zip.entries.contains { $0.path == "xl/workbook.xml" })
        for entry in zip.entries where !entry.isDirectory {
            #expect(try zip.extract(entry, limit: 1 << 20).count == entry.uncompressedSize)
        }
    }

    @Test("every single-byte corruption of a real workbook gives a sheet or a reason")
    func corruptions() throws {
        let bytes = try Self.fixture()
        var refused = 0
        for index in stride(from: 0, to: bytes.count, by: 7) {
            for value: UInt8 in [0x00, 0xFF, bytes[index] ^ 0x80] {
                var corrupt = bytes
                corrupt[index] = value
                do {
                    _ = try XLSXReader.read(corrupt)
                } catch {
                    refused += 1
                    #expect(!error.message.isEmpty)
                }
            }
        }
        #expect(refused > 0)
    }

    @Test("offsets and sizes past the end are refused")
    func offsets() throws {
        let bytes = try Self.fixture()
        let end = try ZipReader.endOfCentralDirectory(bytes)
        for field in [12, 16] {
            var corrupt = bytes
            for offset in 0..<4 { corrupt[end + field + offset] = 0xFF }
            #expect(throws: ZipError.self) { _ = try ZipReader(corrupt) }
        }
        #expect(throws: ZipError.notZip) { _ = try ZipReader(Array(bytes.prefix(20))) }
    }

    @Test(
        "XML that is malformed, not UTF-8 or declares a DTD is an error with its line",
        arguments: [
            ([0x3C, 0x61, 0xFF, 0x2F, 0x3E], "UTF-8"), (Array("<?xml version=\"1.0\"?>\n<a><b></a>".utf8), "không khớp"),
            (Array("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>".utf8), "DOCTYPE"), (Array("<a>&bogus;</a>".utf8), "&bogus;"),
            (Array("<a>&#0;</a>".utf8), "&#0;"), (Array("<a>&#x110000;</a>".utf8), "&#x110000;"),
            (Array("<a b=c/>".utf8), "nháy"),
            (Array("<a b='1' b='2'/>".utf8), "lặp lại"), (Array("<a>".utf8), "không đóng"), (Array("".utf8), "không có phần tử"),
            (Array("<a/><b/>".utf8), "hơn một"), (Array("<?pi".utf8), "không đóng"),
        ] as [([UInt8], String)])
    func malformedXML(bytes: [UInt8], reason: String) {
        #expect {
            try XMLTokenizer.parse(bytes) { _ in }
        } throws: { error in
            (error as? XMLSyntaxError)?.reason.contains(reason) == true
        }
    }

    @Test("entities, CDATA, prefixes and line breaks read as Excel writes them")
    func wellFormedXML() throws {
        var events: [String] = []
        try XMLTokenizer.parse(
            Array(
                "\u{FEFF}<?xml version=\"1.0\"?><!-- c --><x:a x:r=\"1&amp;2\"><t>&lt;&#273;&#x1EC7;\r\n</t><![CDATA[<b>]]></x:a>"
                    .utf8)
        ) { event in
            switch event {
            case .start(let name, let attributes): events.append("start \(name) \(attributes.sorted { $0.key < $1.key })")
            case .end(let name): events.append("end \(name)")
            case .text(let text): events.append("text \(text)")
            }
        }
        #expect(events == [#"start a [(key: "x:r", value: "1&2")]"#, "start t []", "text <đệ\n", "end t", "text <b>", "end a"])
    }

    @Test("a text cell that a spreadsheet would run is written as text; numbers stay numbers")
    func csvFormulas() {
        let table = ExportTable(
            title: "Danh mục", headers: ["TT", "Nội dung"],
            rows: [
                [.number(-5), .text("=HYPERLINK(\"http://evil.example\",\"Bấm\")")], [.number(1), .text("+1")],
                [.number(2), .text("@SUM(A1)")],
                [.number(3), .text("  -2+3")], [.number(4), .text("Sở -- Ban")],
            ])
        let text = String(decoding: CSVWriter.bytes(table).dropFirst(3), as: UTF8.self)
        #expect(
            text
                == "TT,Nội dung\r\n-5,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Bấm\"\")\"\r\n1,'+1\r\n2,'@SUM(A1)\r\n3,'  -2+3\r\n4,Sở -- Ban\r\n"
        )
    }
}
