import Foundation
import Testing
import TheodoiCore
import TheodoiExport
import ZIPFoundation

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("CSV and XLSX writers")
struct ExportTests {
    static let table = ExportTable(
        title: "Quá hạn: 343-QĐ/TU [đến 15/10]",
        headers: ["Mã", "Nội dung nhiệm vụ", "Hạn", "Số ngày"],
        rows: [
            [
                .text("A.17.1"), .text("Xây dựng kho dữ liệu số, bài giảng điện tử"), .date(LocalDate(iso: "2025-08-31")!),
                .number(45),
            ],
            [.text("B.4"), .text("Dòng có \"ngoặc kép\", dấu phẩy\nvà xuống dòng <&>"), .empty, .number(0)],
            [.text("C.1"), .text("Thuế tỉnh; Sở Tài chính"), .date(LocalDate(iso: "2026-01-05")!), .number(-3)],
        ])

    @Test("CSV: a BOM, CRLF, RFC 4180 quoting, dates as dd/MM/yyyy, Vietnamese intact")
    func csv() {
        let bytes = CSVWriter.bytes(Self.table)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(
            text == "Mã,Nội dung nhiệm vụ,Hạn,Số ngày\r\n"
                + "A.17.1,\"Xây dựng kho dữ liệu số, bài giảng điện tử\",31/08/2025,45\r\n"
                + "B.4,\"Dòng có \"\"ngoặc kép\"\", dấu phẩy\nvà xuống dòng <&>\",,0\r\n"
                + "C.1,\"Thuế tỉnh; Sở Tài chính\",05/01/2026,-3\r\n")
    }

    /// Every part of an XLSX: path → bytes.
    static func parts(_ bytes: [UInt8]) throws -> [String: Data] {
        let archive = try Archive(data: Data(bytes), accessMode: .read)
        var parts: [String: Data] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            parts[entry.path] = data
        }
        return parts
    }

    /// The cells of the sheet: reference → text (inline strings) or value.
    final class CellReader: NSObject, XMLParserDelegate {
        var cells: [String: String] = [:]
        var current: String?
        var text = ""
        var inValue = false

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if name == "c" {
                current = attributes["r"]
                text = ""
            }
            if name == "t" || name == "v" { inValue = true }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { if inValue { text += string } }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "t" || name == "v" { inValue = false }
            if name == "c", let current { cells[current] = text }
        }
    }

    @Test("XLSX: a ZIP of well-formed parts with the cells, a bold frozen header, real dates and the sheet name Excel allows")
    func xlsx() throws {
        let bytes = try XLSXWriter.bytes(Self.table)
        #expect(Array(bytes.prefix(4)) == [0x50, 0x4B, 0x03, 0x04])
        let parts = try Self.parts(bytes)
        #expect(
            Set(parts.keys) == [
                "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                "xl/worksheets/sheet1.xml", "docProps/core.xml",
            ])
        for (path, data) in parts {
            let parser = XMLParser(data: data)
            #expect(parser.parse(), "\(path) is not well-formed XML: \(String(describing: parser.parserError))")
        }
        let reader = CellReader()
        let parser = XMLParser(data: try #require(parts["xl/worksheets/sheet1.xml"]))
        parser.delegate = reader
        #expect(parser.parse())
        #expect(reader.cells["A1"] == "Mã")
        #expect(reader.cells["B2"] == "Xây dựng kho dữ liệu số, bài giảng điện tử")
        #expect(reader.cells["B3"] == "Dòng có \"ngoặc kép\", dấu phẩy\nvà xuống dòng <&>")
        #expect(reader.cells["C2"] == "45900")  // 31/08/2025 as Excel's day number
        #expect(reader.cells["D4"] == "-3")
        #expect(reader.cells["C3"] == nil)
        let sheet = String(decoding: try #require(parts["xl/worksheets/sheet1.xml"]), as: UTF8.self)
        #expect(sheet.contains("state=\"frozen\"") && sheet.contains("<autoFilter ref=\"A1:D4\"/>"))
        let workbook = String(decoding: try #require(parts["xl/workbook.xml"]), as: UTF8.self)
        #expect(workbook.contains("name=\"Quá hạn  343-QĐ TU  đến 15 10\""))
        // The same table gives the same bytes.
        #expect(try XLSXWriter.bytes(Self.table) == bytes)
    }

    @Test("XLSX: an empty table and a wide one still make valid sheets")
    func edges() throws {
        let empty = try Self.parts(try XLSXWriter.bytes(ExportTable(title: "", headers: ["Mã"], rows: [])))
        #expect(XMLParser(data: try #require(empty["xl/worksheets/sheet1.xml"])).parse())
        let headers = (0..<30).map { "Cột \($0 + 1)" }
        let wide = try Self.parts(
            try XLSXWriter.bytes(ExportTable(title: "Rộng", headers: headers, rows: [headers.map { .text($0) }])))
        let sheet = String(decoding: try #require(wide["xl/worksheets/sheet1.xml"]), as: UTF8.self)
        #expect(sheet.contains("<c r=\"AD1\""))
    }
}
