import Foundation
import Testing
import TheodoiExport

@Suite("DOCX reader")
struct DOCXReaderTests {
    static let w = #"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#

    /// A document whose body is `body`, with an optional numbering part.
    static func document(_ body: String, numbering: String? = nil) throws -> [UInt8] {
        var parts: [(String, String)] = [
            (
                "_rels/.rels",
                #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#
            ),
            ("word/document.xml", "<w:document \(w)><w:body>\(body)</w:body></w:document>"),
        ]
        if let numbering {
            parts.append(
                (
                    "word/_rels/document.xml.rels",
                    #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>"#
                ))
            parts.append(("word/numbering.xml", "<w:numbering \(w)>\(numbering)</w:numbering>"))
        }
        return try XLSXReaderTests.zip(parts)
    }

    static func paragraph(_ text: String, list: (id: Int, level: Int)? = nil) -> String {
        let numbering = list.map {
            "<w:pPr><w:numPr><w:ilvl w:val=\"\($0.level)\"/><w:numId w:val=\"\($0.id)\"/></w:numPr></w:pPr>"
        }
        return "<w:p>\(numbering ?? "")<w:r><w:t xml:space=\"preserve\">\(text)</w:t></w:r></w:p>"
    }

    static func cell(_ content: String, properties: String = "") -> String {
        "<w:tc><w:tcPr>\(properties)</w:tcPr>\(content)</w:tc>"
    }

    static func paragraphs(_ document: WordDocument) -> [String] {
        document.blocks.compactMap {
            if case .paragraph(let text) = $0 { return text }
            return nil
        }
    }

    static func tables(_ document: WordDocument) -> [WordTable] {
        document.blocks.compactMap {
            if case .table(let table) = $0 { return table }
            return nil
        }
    }

    @Test("paragraphs keep line breaks and tabs; deleted text, field codes and tab stops are not text")
    func paragraphText() throws {
        let body = """
            <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>TỈNH ỦY</w:t></w:r><w:r><w:br/><w:t>GIA LAI</w:t></w:r></w:p>
            <w:p><w:r><w:t>Số</w:t></w:r><w:r><w:tab/><w:t>343-QĐ/TU</w:t></w:r><w:del><w:r><w:delText>344</w:delText></w:r></w:del></w:p>
            <w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:ins><w:r><w:t>Gia Lai, ngày 03 tháng 9 năm 2025</w:t></w:r></w:ins></w:p>
            <w:p/>
            """
        let document = try DOCXReader.read(Data(try Self.document(body)))
        #expect(Self.paragraphs(document) == ["TỈNH ỦY\nGIA LAI", "Số\t343-QĐ/TU", "Gia Lai, ngày 03 tháng 9 năm 2025"])
    }

    @Test("automatic numbering: the number the reader sees, by level and format, restarting where Word does")
    func numbering() throws {
        let numbering = """
            <w:abstractNum w:abstractNumId="1">
              <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
              <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
            </w:abstractNum>
            <w:abstractNum w:abstractNumId="2">
              <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1"/></w:lvl>
              <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>
            </w:abstractNum>
            <w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
            <w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>
            <w:num w:numId="6"><w:abstractNumId w:val="2"/></w:num>
            <w:num w:numId="7"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
            <w:num w:numId="8"><w:abstractNumId w:val="3"/></w:num>
            """
        let body = [
            Self.paragraph("NHÓM PHÁP LÝ", list: (6, 0)), Self.paragraph("Xây dựng", list: (5, 0)),
            Self.paragraph("", list: (5, 0)), Self.paragraph("con", list: (5, 1)), Self.paragraph("con", list: (5, 1)),
            Self.paragraph("", list: (5, 0)), Self.paragraph("", list: (5, 1)), Self.paragraph("ý", list: (6, 1)),
            Self.paragraph("NHÓM HẠ TẦNG", list: (6, 0)), Self.paragraph("ý", list: (6, 1)),
            // Another instance of list 1 goes on counting; one with a start override begins again.
            Self.paragraph("tiếp", list: (5, 0)), Self.paragraph("lại", list: (7, 0)), Self.paragraph("chấm", list: (8, 0)),
        ].joined()
        let document = try DOCXReader.read(Data(try Self.document(body, numbering: numbering)))
        #expect(
            Self.paragraphs(document) == [
                "I NHÓM PHÁP LÝ", "1. Xây dựng", "2.", "2.1 con", "2.2 con", "3.", "3.1", "a) ý", "II NHÓM HẠ TẦNG", "a) ý",
                "4. tiếp", "1. lại", "chấm",
            ])
    }

    @Test("tables on their grid: cells merged across (gridSpan) and down (vMerge), skipped columns, repeated headers")
    func tables() throws {
        let row = { (cells: String, header: Bool) in
            "<w:tr>\(header ? "<w:trPr><w:tblHeader/></w:trPr>" : "")\(cells)</w:tr>"
        }
        let body =
            "<w:tbl>"
            + row(["TT", "Nội dung", "Chủ trì"].map { Self.cell(Self.paragraph($0)) }.joined(), true)
            + row(Self.cell(Self.paragraph("A. NHÓM"), properties: "<w:gridSpan w:val=\"3\"/>"), false)
            + row(
                Self.cell(Self.paragraph("1")) + Self.cell(Self.paragraph("Việc một") + Self.paragraph("đoạn hai"))
                    + Self.cell(Self.paragraph("Sở Nội vụ"), properties: "<w:vMerge w:val=\"restart\"/>"), false)
            + row(
                Self.cell(Self.paragraph("2")) + Self.cell(Self.paragraph("Việc hai"))
                    + Self.cell("<w:p/>", properties: "<w:vMerge/>"), false)
            + "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>" + Self.cell(Self.paragraph("ghi chú"))
            + Self.cell(Self.paragraph("x")) + "</w:tr>"
            // A table inside a cell is that cell's text.
            + row(
                Self.cell(Self.paragraph("3"))
                    + Self.cell(
                        "<w:tbl><w:tr>\(Self.cell(Self.paragraph("lồng")))\(Self.cell(Self.paragraph("nhau")))</w:tr></w:tbl><w:p/>"
                    )
                    + Self.cell(Self.paragraph("Sở Tư pháp")), false)
            + "</w:tbl>"
        let table = try #require(Self.tables(try DOCXReader.read(Data(try Self.document(body)))).first)
        #expect(
            table.rows == [
                ["TT", "Nội dung", "Chủ trì"], ["A. NHÓM", "", ""], ["1", "Việc một\nđoạn hai", "Sở Nội vụ"],
                ["2", "Việc hai", ""], ["", "ghi chú", "x"], ["3", "lồng nhau", "Sở Tư pháp"],
            ])
        #expect(
            table.merged == [
                WordTable.Area(firstRow: 1, firstColumn: 0, lastRow: 1, lastColumn: 2),
                WordTable.Area(firstRow: 2, firstColumn: 2, lastRow: 3, lastColumn: 2),
            ])
        #expect(table.headerRows == [0])
    }

    static func refusal(_ bytes: [UInt8]) -> DOCXReadError.Reason? {
        do {
            _ = try DOCXReader.read(Data(bytes))
            return nil
        } catch {
            return error.reason
        }
    }

    @Test("what is not a readable Word document is refused, each with its reason in Vietnamese")
    func refusals() throws {
        #expect(Self.refusal(Array("TT\tNội dung\n".utf8)) == .notZip)
        let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)
        #expect(Self.refusal(ole) == .legacyFormat)
        #expect(Self.refusal(ole + Array("EncryptionInfo".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })) == .encrypted)
        #expect(Self.refusal(try XLSXReaderTests.zip([("readme.txt", "xin chào")])) == .notDocument)
        #expect(Self.refusal(try Self.document("<w:p><w:r><w:t>mở</w:r></w:p>")) == .malformed)
        let broken = Data(try Self.document("<w:p><w:r><w:t>mở</w:r></w:p>"))
        do throws(DOCXReadError) {
            _ = try DOCXReader.read(broken)
        } catch {
            #expect(error.message.contains("Văn bản Word bị hỏng") && error.message.contains("word/document.xml"))
        }
        // A zip bomb: a part that unzips past the cap, from a small file.
        let padding = String(repeating: " ", count: XLSXReader.maximumUncompressedBytes + 1)
        let bomb = try Self.document("<w:p/>" + padding)
        #expect(bomb.count < 1 << 20)
        #expect(Self.refusal(bomb) == .tooLarge)
        // Too many cells.
        let cells = String(repeating: "<w:tc/>", count: 1_000)
        let rows = String(repeating: "<w:tr>\(cells)</w:tr>", count: DOCXReader.maximumCells / 1_000 + 1)
        #expect(Self.refusal(try Self.document("<w:tbl>\(rows)</w:tbl>")) == .tooLarge)
        #expect(DOCXReader.isWordDocument(Data(try Self.document("<w:p/>"))))
        #expect(!DOCXReader.isWordDocument(Data(try XLSXReaderTests.workbook(sheet: "<sheetData/>"))))
    }
}
