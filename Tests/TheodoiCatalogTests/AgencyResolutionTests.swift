import Testing
import TheodoiCatalog
import TheodoiCore

@Suite("Agency cells (DESIGN §4.2)")
struct AgencyResolutionTests {
    /// A cell with one row → its bodies ("*" marks a generic group, "?" an unknown body).
    static let table: [(String, [String])] = [
        ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
        ("Sở Khoa học và Công nghệ", ["Sở Khoa học và Công nghệ"]),
        ("Khoa học và Công nghệ", ["Sở Khoa học và Công nghệ"]),
        ("Cục C06, Bộ Công an", ["Cục Cảnh sát quản lý hành chính về trật tự xã hội, Bộ Công an"]),
        ("Thuế tinh", ["Thuế tỉnh"]),
        ("Bộ Nội vụ Bộ Tài chính", ["Bộ Nội vụ", "Bộ Tài chính"]),
        ("Bộ Nội vụ, Bộ Tài chính và Bộ Tư pháp", ["Bộ Nội vụ", "Bộ Tài chính", "Bộ Tư pháp"]),
        ("Các sở, ngành, địa phương", ["Các sở, ngành, địa phương*"]),
        ("Các cơ quan đảng trực thuộc Tỉnh ủy", ["Các cơ quan đảng trực thuộc Tỉnh ủy*"]),
        ("các địa phương", ["các địa phương*"]),
        ("Sở Tài chính và các cơ quan liên quan", ["Sở Tài chính", "các cơ quan liên quan*"]),
        ("Phòng Nghiệp vụ của Bộ Tư pháp", ["Phòng Nghiệp vụ của Bộ Tư pháp?"]),
        ("Sở Abc Sở Xyz", ["Sở Abc?", "Sở Xyz?"]),
        ("Hội Doanh nhân trẻ, Hội Nhà báo tỉnh", ["Hội Doanh nhân trẻ?", "Hội Nhà báo tỉnh"]),
        ("UBND tỉnh; Sở Y tế", ["Ủy ban nhân dân tỉnh", "Sở Y tế"]),
        ("Theo Hướng dẫn của Ban Tuyên giáo và Dân vận Trung ương", []),
        ("Tháng 9/2025", []),
        ("", []),
    ]

    @Test("resolves", arguments: table)
    func resolves(cell: String, expected: [String]) throws {
        let text =
            "TT\tNội dung thực hiện\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian hoàn thành\n1\tViệc\tSở Y tế\t\(cell)\t2025\n"
        let catalogue = try Support.parser.parse(text: text)
        let coordinators = try #require(catalogue.assignments.first).coordinators
        #expect(coordinators.map { $0.name + ($0.generic ? "*" : $0.kind == .unknown ? "?" : "") } == expected)
    }

    @Test("text that names no agency is reported, not turned into an agency")
    func nonAgency() throws {
        let text =
            "TT\tNội dung thực hiện\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian hoàn thành\n1\tViệc\tTháng 9/2025\tTheo chỉ đạo\t2025\n"
        let catalogue = try Support.parser.parse(text: text)
        #expect(catalogue.findings.map(\.code) == [.missingPlanMetadata, .emptyLead, .nonAgencyText, .nonAgencyText])
    }

    @Test("every directory name and alias resolves to its own entry")
    func directoryIsConsistent() {
        for entry in Support.directory.entries {
            for form in [entry.name] + entry.aliases {
                #expect(Support.directory.entry(named: form)?.name == entry.name, "\(form)")
            }
        }
        #expect(Support.directory.entries.count >= 100)
    }
}
