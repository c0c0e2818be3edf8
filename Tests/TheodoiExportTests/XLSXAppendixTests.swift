import Testing
import TheodoiCore

@testable import TheodoiExport

/// The report's XLSX appendix reads on paper (issue 15): the report's title and date above the
/// table, STT as numbers where they are numbers, the header row repeated on every printed page,
/// part and group rows bold and merged across.
@Suite("XLSX appendix")
struct XLSXAppendixTests {
    static let table = ExportTable(
        title: "Phụ lục", headers: ["STT", "Nội dung nhiệm vụ", "Thời hạn"],
        rows: [
            [.empty, .text("A. NHÓM NHIỆM VỤ THỰC HIỆN NGHỊ QUYẾT 57-NQ/TW")],
            [.number(1), .text("Xây dựng Đề án"), .text("Tháng 10/2025")],
            [.text("1.1"), .text("Kế hoạch"), .text("31/03/2027")],
        ],
        heading: ["PHỤ LỤC: Kết quả thực hiện …", "(Kèm theo báo cáo quý IV/2025; Gia Lai, ngày 15 tháng 12 năm 2025)"],
        emphasizedRows: [0])

    @Test("title rows, numbers, repeated header, bold merged group rows")
    func appendix() throws {
        let sheet = XLSXWriter.sheet(Self.table)
        // Two heading rows, each merged across the table; the header on row 3, frozen below it.
        #expect(sheet.contains("<row r=\"1\" ht=\"21\" customHeight=\"1\"><c r=\"A1\" t=\"inlineStr\" s=\"5\">"))
        #expect(sheet.contains("<mergeCell ref=\"A1:C1\"/>") && sheet.contains("<mergeCell ref=\"A2:C2\"/>"))
        #expect(sheet.contains("<c r=\"A3\" t=\"inlineStr\" s=\"1\"><is><t>STT</t>"))
        #expect(sheet.contains("<pane ySplit=\"3\" topLeftCell=\"A4\""))
        #expect(sheet.contains("<autoFilter ref=\"A3:C6\"/>"))
        // The part's row: bold (style 4) and merged across.
        #expect(sheet.contains("<c r=\"A4\" t=\"inlineStr\" s=\"4\"><is><t xml:space=\"preserve\">A. NHÓM NHIỆM VỤ"))
        #expect(sheet.contains("<mergeCell ref=\"A4:C4\"/>"))
        // STT 1 a number, 1.1 text.
        #expect(sheet.contains("<c r=\"A5\" s=\"7\"><v>1</v></c>"))
        #expect(sheet.contains("<c r=\"A6\" t=\"inlineStr\" s=\"3\"><is><t xml:space=\"preserve\">1.1</t>"))
        // The header row repeats on every printed page.
        let workbook = XLSXWriter.workbook("Phụ lục", headerRow: 3)
        #expect(workbook.contains("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'Phụ lục'!$3:$3</definedName>"))
        // It reads back: our own reader finds the cells where they were written.
        let read = try XLSXReader.read(try XLSXWriter.bytes(Self.table))
        let rows = read.rows
        #expect(rows.count == 6)
        #expect(read.mergedRanges.count == 3)
        #expect(rows[2].first == "STT" && rows[4].first == "1" && rows[5].first == "1.1")
    }
}
