import Foundation
import Testing
import TheodoiCatalog
import TheodoiCore

/// The plan's heading read from the document as it arrives (issue 17, item 4): the heading block of
/// a decision, or the "kèm theo" line in its many forms, a number left blank included.
@Suite("Plan heading")
struct PlanHeadingTests {
    static let table = """
        TT\tNội dung thực hiện\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian hoàn thành\tSản phẩm
        1\tXây dựng kho dữ liệu\tSở Khoa học và Công nghệ\tCác sở, ngành\t31/12/2025\tKho dữ liệu
        """

    static func plan(_ heading: String) throws -> Catalogue.PlanHeader {
        try Support.parser.parse(text: heading + "\n\n" + table).plan
    }

    @Test("a decision's heading block: issuing body, number, place and date; the title after “DANH MỤC”")
    func headingBlock() throws {
        let plan = try Self.plan(
            """
            TỈNH ỦY GIA LAI\tĐẢNG CỘNG SẢN VIỆT NAM
            *
            Số 343-QĐ/TU\tGia Lai, ngày 03 tháng 9 năm 2025
            QUYẾT ĐỊNH
            ban hành danh mục nhiệm vụ thực hiện mô hình điểm
            Điều 1. Ban hành kèm theo Quyết định này Danh mục nhiệm vụ.
            DANH MỤC
            95 nhiệm vụ thực hiện mô hình điểm chuyển đổi số
            """)
        #expect(plan.number == "343-QĐ/TU")
        #expect(plan.date == LocalDate(iso: "2025-09-03"))
        #expect(plan.issuer == "TỈNH ỦY GIA LAI")
        #expect(plan.title == "Danh mục 95 nhiệm vụ thực hiện mô hình điểm chuyển đổi số")
        #expect(plan.declaredCount == 95)
    }

    @Test(
        "the “kèm theo” line in its forms",
        arguments: [
            (
                "(Ban hành kèm theo Kế hoạch số 120/KH-UBND ngày 15 tháng 3 năm 2025 của Ủy ban nhân dân tỉnh)",
                "120/KH-UBND", "2025-03-15", "Ủy ban nhân dân tỉnh"
            ),
            (
                "(Kèm theo Quyết định số: 1234/QĐ-UBND, ngày 05/10/2025 của UBND tỉnh Gia Lai)",
                "1234/QĐ-UBND", "2025-10-05", "UBND tỉnh Gia Lai"
            ),
            // A draft: the number left blank; the date and issuer still count, the number is asked for.
            (
                "(Kèm theo Nghị quyết số      /NQ-CP ngày 01 tháng 01 năm 2025 của Chính phủ)", nil, "2025-01-01",
                "Chính phủ"
            ),
        ] as [(String, String?, String, String)])
    func attachmentLine(_ line: String, _ number: String?, _ date: String, _ issuer: String) throws {
        let catalogue = try Support.parser.parse(text: "PHỤ LỤC\nNhiệm vụ chuyển đổi số\n\(line)\n\n\(Self.table)")
        #expect(catalogue.plan.number == number)
        #expect(catalogue.plan.date == LocalDate(iso: date))
        #expect(catalogue.plan.issuer == issuer)
        #expect(catalogue.plan.title == "Nhiệm vụ chuyển đổi số")
        #expect(catalogue.findings.contains { $0.code == .missingPlanMetadata } == (number == nil))
    }
}

@Suite("Markdown as people write it")
struct MarkdownAsWrittenTests {
    static let table = """
        | TT | Nội dung thực hiện | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành | Sản phẩm |
        |---|---|---|---|---|---|
        | **I. NHÓM PHÁP LÝ** | | | | | |
        | 1 | Xây dựng kho dữ liệu | Sở Khoa học và Công nghệ | Các sở, ngành | 31/12/2025 | Kho dữ liệu
        | 2 | Cổng dữ liệu mở | Sở Khoa học và Công nghệ |
        <!-- một dòng
        đã bỏ -->
        | 3 | Trợ lý ảo | Sở Nội vụ | Các sở | 6/2025 | Trợ lý |
        """

    @Test(
        "front matter and comments around and inside the table, rows without the closing pipe or with fewer cells, a bold group")
    func asWritten() throws {
        let text = """
            ---
            title: Kế hoạch 120
            ---
            <!-- bản nháp -->
            (Kèm theo Kế hoạch số 120/KH-UBND ngày 15/3/2025 của Ủy ban nhân dân tỉnh)

            \(Self.table)
            """
        let catalogue = try Support.parser.parse(text: text, format: .markdown)
        #expect(catalogue.assignments.map(\.code) == ["1", "2", "3"])
        #expect(catalogue.assignments.allSatisfy { $0.group == "I" })
        #expect(catalogue.assignments[1].output == "" && catalogue.assignments[0].output == "Kho dữ liệu")
        #expect(catalogue.plan.number == "120/KH-UBND")
        #expect(catalogue.findings.allSatisfy { $0.code != .unrecognisedRow })
        // Front matter that is never closed does not swallow the table.
        let unclosed = try Support.parser.parse(text: "---\ntitle: x\n\n" + Self.table, format: .markdown)
        #expect(unclosed.assignments.count == 3)
    }
}
