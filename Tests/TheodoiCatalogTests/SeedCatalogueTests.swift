import Foundation
import Testing
import TheodoiCatalog
import TheodoiCore

@Suite("The 343-QĐ/TU seed, read whole")
struct SeedCatalogueTests {
    let seed = Support.seed

    @Test("names the decision: number, date, issuer, title and the total it declares")
    func plan() {
        #expect(seed.plan.number == "343-QĐ/TU")
        #expect(seed.plan.date == LocalDate(iso: "2025-09-03"))
        #expect(seed.plan.issuer == "Ban Thường vụ Tỉnh ủy")
        #expect(
            seed.plan.title
                == "Danh mục 95 nhiệm vụ thực hiện mô hình điểm thúc đẩy triển khai Nghị quyết số 57-NQ/TW, "
                + "Đề án 06 và Đề án chuyên đổi số trong các cơ quan đảng")
        #expect(seed.plan.declaredCount == 95)
        #expect(seed.format == .pdfText)
    }

    @Test("has parts A, B, C with the counts declared and the counts found")
    func parts() {
        #expect(seed.parts.map(\.code) == ["A", "B", "C"])
        #expect(seed.parts.map(\.declaredCount) == [52, 14, 29])
        #expect(seed.parts.map(\.foundCount) == [52, 13, 29])
        #expect(seed.parts[0].title == "NHÓM NHIỆM VỤ THỰC HIỆN NGHỊ QUYẾT 57-NQ/TW")
        #expect(seed.parts[1].title == "NHÓM NHIỆM VỤ THỰC HIỆN ĐỀ ÁN CHUYÊN ĐỘI SỐ TRONG CÁC CƠ QUAN ĐẢNG")
        #expect(seed.parts[0].groups.map(\.code) == ["I", "II", "III", "IV", "V"])
        #expect(
            seed.parts[0].groups.map(\.title) == [
                "NHÓM PHÁP LÝ", "NHÓM HẠ TẦNG CÔNG NGHỆ, AN NINH, AN TOÀN", "NHÓM DỮ LIỆU", "NHÓM NGUỒN LỰC",
                "NHÓM PHÁT TRIỂN KHOA HỌC, ĐỔI MỚI SÁNG TẠO",
            ])
        #expect(seed.parts[1].groups.isEmpty)
        #expect(seed.parts[2].groups.map(\.code) == ["I", "II", "III"])
    }

    @Test("lists every assignment and sub-assignment once, in document order")
    func order() {
        var expected: [String] = []
        for number in 1...52 {
            expected.append("A.\(number)")
            if number == 17 { expected += (1...9).map { "A.17.\($0)" } }
            if number == 26 { expected += (1...4).map { "A.26.\($0)" } }
        }
        for number in 1...13 {
            expected.append("B.\(number)")
            if number == 1 { expected += ["B.1.1", "B.1.2"] }
        }
        let children = [6: 2, 15: 3, 16: 3, 23: 2]
        for number in 1...29 {
            expected.append("C.\(number)")
            if let count = children[number] { expected += (1...count).map { "C.\(number).\($0)" } }
        }
        #expect(seed.assignments.map(\.code) == expected)
        #expect(seed.assignments.filter(\.isSubAssignment).count == 25)
        #expect(seed.assignments.first { $0.code == "A.17.3" }?.parent == "A.17")
        #expect(seed.assignments.first { $0.code == "C.16.2" }?.group == "III")
        #expect(seed.assignments.first { $0.code == "A.45" }?.group == "V")
        #expect(seed.assignments.first { $0.code == "B.7" }?.group == nil)
    }

    @Test("joins cells that run over a page break, column by column")
    func pageBreaks() throws {
        let byCode = Dictionary(uniqueKeysWithValues: seed.assignments.map { ($0.code, $0) })
        let a4 = try #require(byCode["A.4"])
        #expect(
            a4.output.hasSuffix(
                "(có bao gồm nội dung chính sách thu phí 0 đồng để khuyến khích người dân, doanh nghiệp tham gia nộp hồ sơ trực tuyến)"
            ))
        let a10 = try #require(byCode["A.10"])
        #expect(a10.leadText == "Sở Khoa học và Công nghệ")
        #expect(a10.lead.map(\.name) == ["Sở Khoa học và Công nghệ"])
        let a27 = try #require(byCode["A.27"])
        #expect(a27.output.hasSuffix("hỗ trợ miễn phí các nền tảng số, phần mềm kế toán dùng chung (trong năm đầu thành lập)"))
        let a39 = try #require(byCode["A.39"])
        #expect(
            a39.title
                == "Triển khai thực hiện chương trình phổ cập phù hợp với khung kỹ năng số của từng nhóm đối tượng phổ cập, "
                + "tập trung vào nội dung cốt lõi, tăng cường thực hành, ứng dụng trong công việc và đời sống "
                + "(theo Chương trình của Bộ Giáo dục và Đào tạo)")
        #expect(a39.leadText == "Sở Giáo dục và Đào tạo")
        #expect(a39.coordinatorsText == "các trường đại học, cao đẳng trên địa bàn tỉnh")
        #expect(a39.deadline.text == "Tháng 8/2025")
        #expect(a39.deadline.due == LocalDate(iso: "2025-08-31"))
        #expect(a39.output == "Kế hoạch triển khai")
    }

    @Test("parses every deadline")
    func deadlines() {
        let kinds = Dictionary(grouping: seed.assignments, by: \.deadline.kind).mapValues { $0.map(\.code) }
        #expect(kinds[.unknown] == nil)
        #expect(kinds[.recurring] == ["A.8", "B.9", "B.10", "C.18", "C.20"])
        #expect(kinds[.external] == ["B.4", "B.11", "C.16.3"])
        #expect(kinds[.none] == ["C.16"])
        #expect(kinds[.month]?.count == seed.assignments.count - 9)
        #expect(seed.assignments.first { $0.code == "B.4" }?.deadline.text == "Theo KH của Trung ương")
    }

    /// Code → lead names; coordinators as "name" or "name*" for a generic group.
    static let agencies: [(String, [String], [String])] = [
        ("A.1", ["Sở Văn hóa, Thể thao và Du lịch"], ["Sở Khoa học và Công nghệ"]),
        ("A.4", ["Sở Tài chính"], ["Các sở, ban, ngành có liên quan*"]),
        ("A.7", ["Sở Tư pháp"], ["Văn phòng Ủy ban nhân dân tỉnh", "các cơ quan, đơn vị có liên quan*"]),
        ("A.9", ["Sở Khoa học và Công nghệ"], ["Sở Tài chính", "các cơ quan liên quan*"]),
        ("A.14", ["Sở Khoa học và Công nghệ"], ["Các sở, ban, ngành có liên quan*", "các doanh nghiệp viễn thông*"]),
        (
            "A.16", ["Sở Khoa học và Công nghệ"],
            ["Cục Cảnh sát quản lý hành chính về trật tự xã hội, Bộ Công an", "Văn phòng Ủy ban nhân dân tỉnh"]
        ),
        ("A.24", ["Sở Y tế"], ["Các bệnh viện tuyến tỉnh*", "trung tâm y tế*"]),
        ("A.26.4", ["Sở Văn hóa, Thể thao và Du lịch"], ["Sở Khoa học và Công nghệ", "Báo và Phát thanh, Truyền hình tỉnh"]),
        ("A.34", ["Sở Nội vụ"], ["Ban Tổ chức Tỉnh ủy", "các sở, ban, ngành, địa phương*"]),
        ("A.38", ["Sở Nội vụ"], []),
        ("A.42", ["Ban Tuyên giáo và Dân vận Tỉnh ủy"], []),
        ("A.43", ["Sở Nội vụ"], ["Trường Đại học Quy Nhơn", "Sở Nội vụ", "Sở Khoa học và Công nghệ"]),
        (
            "A.45", ["Sở Khoa học và Công nghệ"],
            ["Các sở, ngành liên quan*", "Trung tâm Quốc tế Khoa học và Giáo dục liên ngành"]
        ),
        ("A.51", ["Sở Nông nghiệp và Môi trường"], ["Sở Khoa học và Công nghệ"]),
        ("B.1", ["Văn phòng Tỉnh ủy"], ["Các cơ quan đảng trực thuộc Tỉnh ủy*"]),
        ("B.7", ["Văn phòng Tỉnh ủy"], ["Các cơ quan đảng, đoàn thể trực thuộc Tỉnh ủy*"]),
        ("B.11", ["Ủy ban Kiểm tra Tỉnh ủy"], ["Văn phòng Tỉnh ủy"]),
        ("C.3", ["Văn phòng Ủy ban nhân dân tỉnh"], ["Các cơ quan thuộc UBND tỉnh*"]),
        ("C.7", ["Công an tỉnh"], ["Tổng công ty Đường sắt Việt Nam", "Sở Xây dựng"]),
        (
            "C.8", ["Công an tỉnh"],
            [
                "Cục Cảnh sát quản lý hành chính về trật tự xã hội, Bộ Công an", "Sở Tài chính",
                "Sở Văn hóa, Thể thao và Du lịch", "Sở Y tế", "Thuế tỉnh",
            ]
        ),
        ("C.9", ["Văn phòng Ủy ban nhân dân tỉnh"], ["Ngân hàng TMCP Đầu tư và Phát triển Việt Nam", "UBND một số phường, xã*"]),
        (
            "C.12", ["Ngân hàng Nhà nước chi nhánh Khu vực XI"],
            ["Chi nhánh ngân hàng thương mại*", "Thuế tỉnh", "các địa phương*"]
        ),
        ("C.19", ["Sở Tư pháp"], ["Phòng Nghiệp vụ của Bộ Tư pháp"]),
        ("C.26", ["Tòa án nhân dân tỉnh"], ["Sở Tư pháp"]),
        ("C.27", ["Thuế tỉnh"], ["Công an tỉnh"]),
    ]

    @Test("splits agency cells into bodies, generic groups kept apart", arguments: agencies)
    func splitsAgencies(code: String, lead: [String], coordinators: [String]) throws {
        let assignment = try #require(seed.assignments.first { $0.code == code })
        #expect(assignment.lead.map(\.name) == lead)
        #expect(assignment.coordinators.map { $0.name + ($0.generic ? "*" : "") } == coordinators)
    }

    @Test("no lead is a generic phrase, and every seed body but one is in the directory")
    func leadsAreAgencies() {
        for assignment in seed.assignments {
            #expect(assignment.lead.count == 1, "\(assignment.code)")
            #expect(assignment.lead.allSatisfy { !$0.generic && $0.kind != .unknown }, "\(assignment.code)")
        }
        let unknown = Set(seed.assignments.flatMap { $0.lead + $0.coordinators }.filter { $0.kind == .unknown }.map(\.name))
        #expect(unknown == ["Phòng Nghiệp vụ của Bộ Tư pháp"])
    }

    @Test("reports the document's own inconsistencies, each at its line")
    func findings() {
        let summary = seed.findings.map { "\($0.line) \($0.code.rawValue)" }
        let lateLines = [31, 36, 38, 39, 40, 44, 45, 64, 65, 75, 82, 84, 85, 90, 97, 134, 136, 146, 156, 162, 169, 174, 180, 182]
        var expected = lateLines.map { "\($0) deadline-before-plan-date" }
        expected += [
            "5 declared-count-mismatch", "91 non-agency-text", "92 lead-also-coordinator", "108 declared-count-mismatch",
            "169 unknown-agency",
        ]
        // The document's own slips: "chuyên đổi số" (its title, A.1), "CHUYÊN ĐỘI SỐ" (part B), "VNedID", "VNelD", "Thuế tinh".
        expected += [5, 12, 108, 152, 153, 153, 170, 170].map { "\($0) probable-typo" }
        #expect(summary.sorted() == expected.sorted())
        let typos = seed.findings.filter { $0.code == .probableTypo }.map(\.message)
        #expect(
            typos.contains(
                "Nội dung nhiệm vụ A.1 có thể gõ nhầm “chuyên đổi số”; đề nghị sửa thành “chuyển đổi số”. "
                    + "Văn phòng có thể sửa trên hệ thống (văn bản gốc vẫn được lưu) để báo cáo không lặp lại lỗi này."))
        #expect(typos.contains { $0.hasPrefix("Tên phần B có thể gõ nhầm “CHUYÊN ĐỘI SỐ”; đề nghị sửa thành “CHUYỂN ĐỔI SỐ”.") })
        let partB = seed.findings.first { $0.line == 108 }
        #expect(partB?.message == "Phần B ghi 14 nhiệm vụ nhưng danh mục có 13 nhiệm vụ (không tính nhiệm vụ con).")
        let total = seed.findings.first { $0.line == 5 }
        #expect(total?.message == "Văn bản ghi 95 nhiệm vụ nhưng danh mục có 94 nhiệm vụ (A: 52, B: 13, C: 29).")
        #expect(seed.findings.allSatisfy { $0.severity != .error })
    }
}
