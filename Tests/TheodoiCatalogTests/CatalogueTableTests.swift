import Foundation
import Testing
import TheodoiCatalog
import TheodoiCore

@Suite("Tables of cells (a spreadsheet's first sheet) read by the CSV rules")
struct CatalogueTableTests {
    /// The seed's lines split at tabs: what a spreadsheet of the same appendix holds, row for row.
    static func seedTable() -> CatalogueTable {
        CatalogueTable(
            rows: Support.seedText.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            })
    }

    @Test("the 343-QĐ/TU appendix as a table gives the same catalogue, lines and findings as its text")
    func seedAsTable() throws {
        let table = try Support.parser.parse(table: Self.seedTable())
        #expect(table.format == .xlsx)
        #expect(Support.full(table) == Support.full(Support.seed))
        #expect(table.findings == Support.seed.findings)
        #expect(table.assignments.count == 119)
    }

    static let header = ["TT", "Nội dung thực hiện", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành", "Sản phẩm"]

    @Test("a lead merged down over sub-tasks belongs to each; a heading merged across reads once")
    func mergedCells() throws {
        let rows: [[String]] = [
            ["Kèm theo Kế hoạch số 7/KH-UBND ngày 02/01/2026 của Ủy ban nhân dân tỉnh"],
            Self.header,
            ["I. NHÓM HẠ TẦNG"],
            ["1", "Nâng cấp mạng", "Sở Khoa học và Công nghệ", "", "Tháng 10/2026", "Mạng"],
            ["1.1", "Cấp tỉnh", "Sở Tài chính", "", "", ""],
            ["1.2", "Cấp xã", "", "", "", ""],
            ["2", "Đào tạo", "Sở Nội vụ", "", "2026", ""],
            ["", "", "Sở Y tế", "", "", ""],
        ]
        let merged = [
            // The heading across all columns, the lead of 1.1–1.2, the deadline of 1–1.2, and task 2's
            // TT cell down over its second row (which then continues task 2, as an empty TT does).
            CatalogueTable.MergedArea(firstRow: 2, firstColumn: 0, lastRow: 2, lastColumn: 5),
            CatalogueTable.MergedArea(firstRow: 4, firstColumn: 2, lastRow: 5, lastColumn: 2),
            CatalogueTable.MergedArea(firstRow: 3, firstColumn: 4, lastRow: 5, lastColumn: 4),
            CatalogueTable.MergedArea(firstRow: 6, firstColumn: 0, lastRow: 7, lastColumn: 0),
        ]
        let catalogue = try Support.parser.parse(table: CatalogueTable(rows: rows, mergedAreas: merged))
        #expect(catalogue.plan.number == "7/KH-UBND")
        #expect(catalogue.groups.map(\.title) == ["NHÓM HẠ TẦNG"])
        #expect(catalogue.assignments.map(\.code) == ["1", "1.1", "1.2", "2"])
        #expect(
            catalogue.assignments.map(\.leadText) == [
                "Sở Khoa học và Công nghệ", "Sở Tài chính", "Sở Tài chính", "Sở Nội vụ Sở Y tế",
            ])
        #expect(catalogue.assignments.map(\.deadline.text) == ["Tháng 10/2026", "Tháng 10/2026", "Tháng 10/2026", "2026"])
        #expect(catalogue.assignments.map(\.line) == [4, 5, 6, 7])
        #expect(catalogue.findings.filter { $0.severity != .info }.isEmpty)
    }

    @Test("rows are lines: a finding names the spreadsheet row; cells are cleaned as in CSV")
    func rowsAreLines() throws {
        let rows: [[String]] = [
            [], Self.header, ["1", "Việc\u{00A0}một\nhai dòng", "Sở Y tế", "", "Quý V/2026", ""],
            ["3", "Việc ba", "", "", "2026", ""],
        ]
        let catalogue = try Support.parser.parse(table: CatalogueTable(rows: rows))
        #expect(catalogue.assignments.map(\.title) == ["Việc một hai dòng", "Việc ba"])
        let warnings = catalogue.findings.filter { $0.severity == .warning }
        #expect(warnings.map(\.code) == [.unparsedDeadline, .emptyLead, .skippedNumber])
        #expect(warnings.map(\.line) == [3, 4, 4])
    }

    @Test("an empty sheet and a sheet with no header row are refused with the text formats' reasons")
    func refusals() {
        #expect(throws: CatalogueReadError.self) { try Support.parser.parse(table: CatalogueTable(rows: [[], ["", " "]])) }
        do {
            _ = try Support.parser.parse(table: CatalogueTable(rows: [["Báo cáo"], ["1", "x"]]))
            Issue.record("read a table with no header")
        } catch {
            #expect(error.reason == .notATable)
        }
    }
}
