import Foundation
import Testing
import TheodoiCatalog
import TheodoiCore

@Suite("Other catalogues of the same kind: Markdown, CSV, TSV, HTML")
struct OtherCataloguesTests {
    static let formats: [(String, CatalogueFormat)] = [
        ("ke-hoach-120.md", .markdown), ("ke-hoach-120.csv", .csv), ("ke-hoach-120.html", .html),
    ]

    @Test("another decision's appendix parses with its columns in another order", arguments: formats)
    func parses(file: String, format: CatalogueFormat) throws {
        let catalogue = try Support.parser.parse(try Support.fixture(file))
        #expect(catalogue.format == format)
        #expect(catalogue.plan.number == "120/KH-UBND")
        #expect(catalogue.plan.date == LocalDate(iso: "2025-03-15"))
        #expect(catalogue.plan.issuer == "Ủy ban nhân dân tỉnh")
        #expect(catalogue.parts.isEmpty)
        #expect(catalogue.groups.map(\.code) == ["I", "II"])
        #expect(catalogue.groups.map(\.title) == ["NHÓM THỂ CHẾ", "NHÓM HẠ TẦNG"])
        #expect(catalogue.assignments.map(\.code) == ["1", "2", "3", "4", "5", "5.1"])
        #expect(catalogue.assignments.map(\.group) == ["I", "I", "II", "II", "II", "II"])
        #expect(catalogue.assignments.last?.parent == "5")

        let deadlines = catalogue.assignments.map { "\($0.deadline.kind.rawValue) \($0.deadline.due?.iso ?? "-")" }
        #expect(
            deadlines == [
                "year 2025-12-31", "month 2025-06-30", "quarter 2025-06-30", "recurring 2025-12-31",
                "recurring 2025-12-31", "date 2025-12-31",
            ])
        #expect(catalogue.assignments[3].deadline.cadence == .yearly)
        #expect(catalogue.assignments[4].deadline.cadence == .yearly)

        let first = catalogue.assignments[0]
        #expect(first.coordinatorsText == "Bộ Nội vụ Bộ Tài chính")
        #expect(first.coordinators.map(\.name) == ["Bộ Nội vụ", "Bộ Tài chính"])
        #expect(catalogue.assignments[2].title == "Nâng cấp mạng truyền số liệu chuyên dùng cấp xã")
        #expect(
            catalogue.assignments[2].coordinators.map { $0.name + ($0.generic ? "*" : "") } == [
                "Viễn thông tỉnh", "UBND các xã, phường*",
            ])
        #expect(catalogue.assignments[2].output == "100% xã, phường kết nối")
        #expect(catalogue.findings.filter { $0.severity != .info }.isEmpty)
    }

    @Test("the three formats give the same assignments")
    func sameAcrossFormats() throws {
        let parsed = try OtherCataloguesTests.formats.map { try Support.parser.parse(try Support.fixture($0.0)) }
        let assignments = parsed.map { JSONValue.array(CatalogueDTO($0).assignments.map(\.json)).serialized() }
        #expect(Set(assignments).count == 1)
    }

    @Test("TSV with quoted cells that hold tabs, quotes and line breaks")
    func tsv() throws {
        let text = """
            STT\tNội dung nhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời hạn\tSản phẩm
            1\t"Xây dựng ""Sổ tay"" điện tử
            phần hai"\tSở Tư pháp\t"Sở Nội vụ, Sở Tài chính"\tTháng 9/2025\tSổ tay
            2\tTriển khai\tCông an tỉnh\t\t6 tháng đầu năm 2026\t"Kết quả\tthừa tab"
            """
        let catalogue = try Support.parser.parse(Data(text.utf8))
        #expect(catalogue.format == .tsv)
        #expect(catalogue.assignments.map(\.title) == ["Xây dựng \"Sổ tay\" điện tử phần hai", "Triển khai"])
        #expect(catalogue.assignments[0].coordinators.map(\.name) == ["Sở Nội vụ", "Sở Tài chính"])
        #expect(catalogue.assignments[1].deadline.due == LocalDate(iso: "2026-06-30"))
        #expect(catalogue.assignments[1].output == "Kết quả thừa tab")
        #expect(catalogue.assignments[1].line == 4)
    }

    @Test(
        "columns are found by their usual synonyms",
        arguments: [
            ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn hoàn thành", "Sản phẩm đầu ra"],
            ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Kết quả"],
            [
                "Thời gian hoàn thành", "Mục tiêu, Sản phẩm đầu ra", "TT", "Nội dung thực hiện", "Đơn vị phối hợp",
                "Đơn vị chủ trì",
            ],
        ])
    func synonyms(header: [String]) throws {
        let values: [String: String] = [
            "number": "1", "title": "Triển khai nền tảng", "lead": "Sở Y tế", "coordinators": "Công an tỉnh",
            "deadline": "Quý IV/2025", "output": "Nền tảng vận hành",
        ]
        let roles = header.map { name -> String in
            let folded = name.foldedForSearch
            if folded.hasPrefix("s") && folded.count <= 3 || folded == "tt" { return "number" }
            if folded.contains("chu tri") { return "lead" }
            if folded.contains("phoi hop") { return "coordinators" }
            if folded.hasPrefix("thoi") { return "deadline" }
            if folded.contains("san pham") || folded.contains("ket qua") { return "output" }
            return "title"
        }
        let text = header.joined(separator: "\t") + "\n" + roles.map { values[$0] ?? "" }.joined(separator: "\t") + "\n"
        let catalogue = try Support.parser.parse(Data(text.utf8))
        let assignment = try #require(catalogue.assignments.first)
        #expect(assignment.title == "Triển khai nền tảng")
        #expect(assignment.lead.map(\.name) == ["Sở Y tế"])
        #expect(assignment.coordinators.map(\.name) == ["Công an tỉnh"])
        #expect(assignment.deadline.due == LocalDate(iso: "2025-12-31"))
        #expect(assignment.output == "Nền tảng vận hành")
    }
}
