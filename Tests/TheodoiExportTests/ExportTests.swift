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

@Suite("DOCX writer")
struct DOCXTests {
    static let document = OfficialDocument(
        format: .party, issuerLines: ["TỈNH ỦY GIA LAI"], number: "Số 15-BC/TU",
        placeAndDate: "Gia Lai, ngày 05 tháng 02 năm 2026",
        kind: "BÁO CÁO", subject: ["kết quả thực hiện Quyết định số 343-QĐ/TU", "quý IV/2025 (tính đến ngày 14/12/2025)"],
        body: [
            .section("I. TÌNH HÌNH TRIỂN KHAI"),
            .paragraph([.init("Kết quả: ", bold: true), .init("Tổng số 94 nhiệm vụ; <đã> hoàn thành & \"đúng hạn\".")]),
            .bullet([.init("Dòng một\nDòng hai\tcột")]),
        ], signatureAuthority: ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"], signer: "Nguyễn Văn A",
        recipients: ["Thường trực Tỉnh ủy (b/c)", "Lưu Văn phòng Tỉnh ủy"],
        appendix: OfficialDocument.Appendix(
            title: "PHỤ LỤC", subtitle: "(kèm theo báo cáo)", columns: ["STT", "Nội dung nhiệm vụ"], widths: [1, 5],
            rows: [.group("A. NHÓM PHÁP LÝ"), .cells(["1", "Xây dựng Đề án chuyển đổi số"])]))

    /// The text of each paragraph of the document part, in order.
    final class ParagraphReader: NSObject, XMLParserDelegate {
        var paragraphs: [String] = []
        var current = ""
        var inText = false
        var sections: [String] = []

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if name == "w:t" { inText = true }
            if name == "w:br" { current += "\n" }
            if name == "w:tab" { current += "\t" }
            if name == "w:pgSz" { sections.append(attributes["w:orient"] ?? "portrait") }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current += string } }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "w:t" { inText = false }
            if name == "w:p" {
                paragraphs.append(current)
                current = ""
            }
        }
    }

    @Test("every part is well-formed XML; the text, breaks and sections come out as written")
    func document() throws {
        let bytes = try DOCXWriter.bytes(Self.document)
        let parts = try ExportTests.parts(bytes)
        #expect(
            Set(parts.keys) == [
                "[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml",
                "word/settings.xml", "docProps/core.xml",
            ])
        for (path, data) in parts {
            let parser = XMLParser(data: data)
            #expect(parser.parse(), "\(path) is not well-formed: \(String(describing: parser.parserError))")
        }
        let reader = ParagraphReader()
        let parser = XMLParser(data: try #require(parts["word/document.xml"]))
        parser.delegate = reader
        #expect(parser.parse())
        let text = reader.paragraphs.filter { !$0.isEmpty }
        #expect(
            Array(text.prefix(10)) == [
                // Row by row: the body and the motto, the star, then the number and the date on one line.
                "TỈNH ỦY GIA LAI", "ĐẢNG CỘNG SẢN VIỆT NAM", "*", "Số 15-BC/TU", "Gia Lai, ngày 05 tháng 02 năm 2026",
                "BÁO CÁO",
                "kết quả thực hiện Quyết định số 343-QĐ/TU", "quý IV/2025 (tính đến ngày 14/12/2025)", "-----",
                "I. TÌNH HÌNH TRIỂN KHAI",
            ])
        #expect(text.contains("Kết quả: Tổng số 94 nhiệm vụ; <đã> hoàn thành & \"đúng hạn\"."))
        #expect(text.contains("- Dòng một\nDòng hai\tcột"))
        #expect(text.contains("- Lưu Văn phòng Tỉnh ủy."))
        #expect(text.contains("- Thường trực Tỉnh ủy (b/c),"))
        #expect(
            Array(text.suffix(7)) == [
                "PHỤ LỤC", "(kèm theo báo cáo)", "STT", "Nội dung nhiệm vụ", "A. NHÓM PHÁP LÝ", "1",
                "Xây dựng Đề án chuyển đổi số",
            ])
        // The body on portrait A4, the appendix in a landscape section; Times New Roman 14 pt.
        #expect(reader.sections == ["portrait", "landscape"])
        let styles = String(decoding: try #require(parts["word/styles.xml"]), as: UTF8.self)
        #expect(styles.contains("w:ascii=\"Times New Roman\"") && styles.contains("<w:sz w:val=\"28\"/>"))
        // The same document gives the same bytes.
        #expect(try DOCXWriter.bytes(Self.document) == bytes)
    }
}
