import Testing
import TheodoiCore

/// Known slips of decisions, found as whole words in any case and corrected in the text's own case.
@Suite("Probable typos")
struct ProbableTyposTests {
    static let table: [(text: String, found: [String], corrected: String)] = [
        (
            "Xây dựng Đề án chuyên đổi số của ngành VHTTDL", ["chuyên đổi số"],
            "Xây dựng Đề án chuyển đổi số của ngành VHTTDL"
        ),
        (
            "NHÓM NHIỆM VỤ THỰC HIỆN ĐỀ ÁN CHUYÊN ĐỘI SỐ TRONG CÁC CƠ QUAN ĐẢNG", ["CHUYÊN ĐỘI SỐ"],
            "NHÓM NHIỆM VỤ THỰC HIỆN ĐỀ ÁN CHUYỂN ĐỔI SỐ TRONG CÁC CƠ QUAN ĐẢNG"
        ),
        ("Chuyên đổi số trong cơ quan đảng", ["Chuyên đổi số"], "Chuyển đổi số trong cơ quan đảng"),
        (
            "100% người dân có VNedID; cấp Phiếu trên ứng dụng VNelD", ["VNedID", "VNelD"],
            "100% người dân có VNeID; cấp Phiếu trên ứng dụng VNeID"
        ),
        (
            "Chi nhánh ngân hàng thương mại, Thuế tinh và các địa phương", ["Thuế tinh"],
            "Chi nhánh ngân hàng thương mại, Thuế tỉnh và các địa phương"
        ),
        // Right as written, or only part of a longer word: left alone.
        ("Đề án chuyển đổi số", [], "Đề án chuyển đổi số"),
        ("Thuế tỉnh", [], "Thuế tỉnh"),
        ("VNelDX", [], "VNelDX"),
        ("", [], ""),
    ]

    @Test("found and corrected", arguments: table)
    func typos(text: String, found: [String], corrected: String) {
        #expect(ProbableTypos.suggestions(in: text).map(\.found) == found)
        #expect(ProbableTypos.corrected(text) == corrected)
    }
}
