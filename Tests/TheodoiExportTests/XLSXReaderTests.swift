import Foundation
import Testing
import TheodoiCore
import TheodoiExport
import ZIPFoundation

@Suite("XLSX reader")
struct XLSXReaderTests {
    static let main = #"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#
    static let relationshipsNamespace = #"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#

    /// A ZIP of the given parts.
    static func zip(_ parts: [(String, String)]) throws -> [UInt8] {
        let archive = try Archive(accessMode: .create)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
        }
        return [UInt8](try #require(archive.data))
    }

    /// A workbook of one sheet (`sheetData` inside `<worksheet>`), with optional shared strings and styles.
    static func workbook(
        sheet: String, sharedStrings: [String]? = nil, styles: String? = nil, workbookProperties: String = ""
    ) throws -> [UInt8] {
        var relationships =
            #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#
        var parts: [(String, String)] = [
            (
                "_rels/.rels",
                #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
            (
                "xl/workbook.xml",
                "<workbook \(main) \(relationshipsNamespace)>\(workbookProperties)<sheets><sheet name=\"Danh mục\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
            ),
            ("xl/worksheets/sheet1.xml", "<worksheet \(main)>\(sheet)</worksheet>"),
        ]
        if let sharedStrings {
            relationships +=
                #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#
            parts.append(
                ("xl/sharedStrings.xml", "<sst \(main)>" + sharedStrings.map { "<si>\($0)</si>" }.joined() + "</sst>"))
        }
        if let styles {
            relationships +=
                #"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/xl/styles.xml"/>"#
            parts.append(("xl/styles.xml", "<styleSheet \(main)>\(styles)</styleSheet>"))
        }
        parts.append(
            (
                "xl/_rels/workbook.xml.rels",
                #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"# + relationships
                    + "</Relationships>"
            ))
        return try zip(parts)
    }

    static let styles =
        #"<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="[$-42A]mm/yyyy;@"/></numFmts>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>"#
        + #"<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="9"/><xf numFmtId="14"/><xf numFmtId="17"/></cellXfs>"#

    @Test("shared strings with rich-text runs, inline strings, numbers, booleans, dates; cells placed by reference")
    func cellKinds() throws {
        let sheet = """
            <sheetData>
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>
            <row r="3"><c r="B3" t="inlineStr"><is><t>Nội dung</t></is></c><c r="E3" t="inlineStr"><is><r><t xml:space="preserve">Phần </t></r><r><rPr><b/></rPr><t>đậm</t></r></is></c></row>
            <row r="5"><c r="A5"><v>17</v></c><c r="B5"><v>17.5</v></c><c r="C5" s="1"><v>45930</v></c><c r="D5" s="2"><v>45930</v></c><c r="E5" t="b"><v>1</v></c><c r="F5" s="3"><v>1</v></c><c r="G5" s="4"><v>45930.75</v></c><c r="H5" s="5"><v>45931</v></c></row>
            <row r="6"><c r="B6" t="str"><f>A5&amp;"x"</f><v>17x</v></c><c r="C6" t="e"><v>#N/A</v></c><c r="D6"><v>-3</v></c><c r="E6" t="s"><v>99</v></c></row>
            </sheetData>
            <mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>
            """
        let bytes = try Self.workbook(
            sheet: sheet,
            sharedStrings: [
                "<t>TT</t>",
                #"<r><t>Sở Khoa học</t></r><r><rPr><i/></rPr><t xml:space="preserve"> và Công nghệ</t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh>"#,
            ], styles: Self.styles)
        let sheetRead = try XLSXReader.read(bytes)
        #expect(sheetRead.sheetName == "Danh mục")
        #expect(
            sheetRead.rows == [
                ["TT", "", "Sở Khoa học và Công nghệ"],
                [],
                ["", "Nội dung", "", "", "Phần đậm"],
                [],
                ["17", "17.5", "30/09/2025", "09/2025", "TRUE", "100%", "30/09/2025", "10/2025"],
                ["", "17x", "#N/A", "-3"],
            ])
        #expect(sheetRead.mergedRanges == [CellRange(firstRow: 0, firstColumn: 0, lastRow: 0, lastColumn: 1)])
    }

    @Test("cells and rows without a reference follow the one before; empty cells and columns are skipped")
    func implicitReferences() throws {
        let sheet = """
            <sheetData>
            <row><c t="inlineStr"><is><t>a</t></is></c><c/><c t="inlineStr"><is><t>c</t></is></c></row>
            <row><c r="D2" t="inlineStr"><is><t>d</t></is></c><c t="inlineStr"><is><t>e</t></is></c><c r="G2" t="inlineStr"><is><t></t></is></c></row>
            </sheetData>
            """
        #expect(try XLSXReader.read(try Self.workbook(sheet: sheet)).rows == [["a", "", "c"], ["", "", "", "d", "e"]])
    }

    @Test("the 1904 date system of old Mac workbooks")
    func date1904() throws {
        let sheet = #"<sheetData><row r="1"><c r="A1" s="1"><v>44468</v></c></row></sheetData>"#
        let bytes = try Self.workbook(
            sheet: sheet, styles: Self.styles, workbookProperties: #"<workbookPr date1904="1"/>"#)
        #expect(try XLSXReader.read(bytes).rows == [["30/09/2025"]])
    }

    @Test(
        "number formats: which are dates and how much of the date they show",
        arguments: [
            ("dd/mm/yyyy", "30/09/2025"), ("d-mmm-yy", "30/09/2025"), (#"[$-42A]mm/yyyy;@"#, "09/2025"),
            ("mmm-yy", "09/2025"), ("yyyy", "2025"), ("\"Năm\" yyyy", "2025"), ("h:mm AM/PM", "45930"),
            ("0.0%", "4593000%"), ("#,##0", "45930"), ("General", "45930"), (#"[Red]0;"dd"\d"#, "45930"),
        ])
    func numberFormats(code: String, expected: String) throws {
        let styles =
            "<numFmts><numFmt numFmtId=\"170\" formatCode=\"\(code.replacingOccurrences(of: "\"", with: "&quot;"))\"/></numFmts>"
            + #"<cellXfs><xf numFmtId="0"/><xf numFmtId="170"/></cellXfs>"#
        let sheet = #"<sheetData><row r="1"><c r="A1" s="1"><v>45930</v></c></row></sheetData>"#
        #expect(try XLSXReader.read(try Self.workbook(sheet: sheet, styles: styles)).rows == [[expected]])
    }

    @Test("what XLSXWriter writes reads back: text, numbers, dates as dd/MM/yyyy, Vietnamese intact")
    func roundTrip() throws {
        let table = ExportTable(
            title: "Danh mục", headers: ["Mã", "Nội dung", "Hạn", "Số"],
            rows: [
                [
                    .text("A.17.1"), .text("Dòng có \"ngoặc kép\" <&> và\nxuống dòng"), .date(LocalDate(iso: "2025-08-31")!),
                    .number(45),
                ],
                [.text("B.4"), .empty, .empty, .number(-3)],
            ])
        let read = try XLSXReader.read(try XLSXWriter.bytes(table))
        #expect(read.sheetName == "Danh mục")
        #expect(
            read.rows == [
                ["Mã", "Nội dung", "Hạn", "Số"], ["A.17.1", "Dòng có \"ngoặc kép\" <&> và\nxuống dòng", "31/08/2025", "45"],
                ["B.4", "", "", "-3"],
            ])
    }

    @Test("a workbook LibreOffice wrote from a CSV: shared strings, styles, a date cell")
    func libreOffice() throws {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/ke-hoach-120-libreoffice.xlsx")
        let sheet = try XLSXReader.read(try Data(contentsOf: url))
        #expect(sheet.rows.count == 10)
        #expect(sheet.rows[1] == ["STT", "Thời hạn", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Sản phẩm", "Cơ quan phối hợp"])
        #expect(sheet.rows[2] == ["I", "", "NHÓM THỂ CHẾ"])
        #expect(sheet.rows[3].prefix(2) == ["1", "2025"])
        #expect(sheet.rows[6][2] == "Nâng cấp mạng truyền số liệu chuyên dùng\ncấp xã")
        #expect(sheet.rows[9].prefix(2) == ["5.1", "31/12/2025"])
    }

    // MARK: Refusals

    static func refusal(_ bytes: [UInt8]) -> XLSXReadError.Reason? {
        do {
            _ = try XLSXReader.read(bytes)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test("a file that is not a ZIP, an encrypted workbook and an Excel 97–2003 file are refused, each with its reason")
    func notZip() throws {
        #expect(Self.refusal(Array("TT,Nội dung\n1,x\n".utf8)) == .notZip)
        #expect(Self.refusal([]) == .notZip)
        #expect(Self.refusal([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]) == .notZip)
        let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)
        #expect(Self.refusal(ole) == .legacyFormat)
        let encrypted = ole + Array("EncryptionInfo".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        #expect(Self.refusal(encrypted) == .encrypted)
        do {
            _ = try XLSXReader.read(encrypted)
        } catch {
            #expect(error.message.contains("mật khẩu"))
        }
    }

    @Test("a ZIP that is no workbook, and a workbook without a worksheet, are refused")
    func noSheet() throws {
        #expect(Self.refusal(try Self.zip([("readme.txt", "xin chào")])) == .notWorkbook)
        let noSheets = try Self.zip([
            ("xl/workbook.xml", "<workbook \(Self.main)><sheets/></workbook>"),
            (
                "xl/_rels/workbook.xml.rels",
                #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>"#
            ),
        ])
        #expect(Self.refusal(noSheets) == .noWorksheet)
        // The sheet the workbook names is missing from the package.
        var parts = try Self.workbook(sheet: "<sheetData/>")
        let archive = try Archive(data: Data(parts), accessMode: .update)
        try archive.remove(try #require(archive["xl/worksheets/sheet1.xml"]))
        parts = [UInt8](try #require(archive.data))
        #expect(Self.refusal(parts) == .noWorksheet)
    }

    @Test("broken XML names the part")
    func brokenXML() throws {
        let bytes = try Self.workbook(sheet: "<sheetData><row><c><v>1</v></row></sheetData>")
        do {
            _ = try XLSXReader.read(bytes)
            Issue.record("read a broken sheet")
        } catch {
            #expect(error.reason == .malformed)
            #expect(error.message.contains("xl/worksheets/sheet1.xml"))
        }
    }

    @Test("a part that unzips past the cap is refused before it fills the memory")
    func zipBomb() throws {
        let padding = String(repeating: " ", count: XLSXReader.maximumUncompressedBytes + 1)
        let bytes = try Self.workbook(sheet: "<sheetData/>" + padding)
        #expect(bytes.count < 1 << 20)
        #expect(Self.refusal(bytes) == .tooLarge)
    }
}
