import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TheodoiCore
import TheodoiStore

/// The decision's own slips corrected on record (issue 15): the findings page offers the known
/// slips to the office, correcting them changes every page and the report, the original is kept
/// and audited, and only the office may do it.
@Suite("Text corrections")
struct TextCorrectionWebTests {
    @Test(
        "the office corrects “chuyên đổi số”; the report no longer repeats it; the original is kept", arguments: WebBackends.all)
    func corrections(backend: String) async throws {
        try await World.run(backend: backend, today: LocalDate(iso: "2025-12-15")!) { world, client in
            let monitor = world.client(client, as: .monitor)
            let officer = world.client(client, as: .officer)
            let findings = try await HTTP.get(monitor, "/plans/343-qd-tu/findings")
            #expect(findings.body.contains("Sửa lỗi chính tả của văn bản"))
            #expect(findings.body.contains("value=\"part-title:B\" checked> Tên phần B: “CHUYÊN ĐỘI SỐ” → “CHUYỂN ĐỔI SỐ”"))
            #expect(findings.body.contains("value=\"title:A.1\" checked> Nội dung nhiệm vụ của nhiệm vụ A.1"))
            // Officers read the findings but are not offered the correction, and may not post it.
            let read = try await HTTP.get(officer, "/plans/343-qd-tu/findings")
            #expect(read.status == .ok && !read.body.contains("Sửa lỗi chính tả của văn bản"))
            let refused = try await HTTP.post(
                officer, "/plans/343-qd-tu/corrections", [("_csrf", "csrf-officer"), ("fix", "part-title:B")])
            #expect(refused.status == .forbidden)
            // A key that is not a current slip corrects nothing.
            let stale = try await HTTP.post(
                monitor, "/plans/343-qd-tu/corrections", [("_csrf", "csrf-monitor"), ("fix", "title:Z.9")])
            #expect(stale.status == .conflict && stale.body.contains("hãy tải lại trang"))

            let before = try await HTTP.get(monitor, "/plans/343-qd-tu/report?period=quarter-2025-4&asOf=2025-12-14")
            #expect(before.body.contains("CHUYÊN ĐỘI SỐ") && before.body.contains("chuyên đổi số"))
            let keys = [
                "plan-title:", "part-title:B", "title:A.1", "title:C.13", "output:C.13", "title:C.20", "output:C.20",
                "coordinators:C.12",
            ]
            let fixed = try await HTTP.post(
                monitor, "/plans/343-qd-tu/corrections", [("_csrf", "csrf-monitor")] + keys.map { ("fix", $0) })
            #expect(fixed.status == .found)
            let landed = try await HTTP.get(monitor, try #require(fixed.location))
            #expect(landed.body.contains("Đã sửa 8 chỗ gõ nhầm"))
            #expect(!landed.body.contains("Sửa các chỗ đã chọn"))
            #expect(
                landed.body.contains(
                    "Tên phần B: “NHÓM NHIỆM VỤ THỰC HIỆN ĐỀ ÁN CHUYÊN ĐỘI SỐ TRONG CÁC CƠ QUAN ĐẢNG” → “NHÓM NHIỆM VỤ THỰC HIỆN ĐỀ ÁN CHUYỂN ĐỔI SỐ TRONG CÁC CƠ QUAN ĐẢNG”"
                ))

            let after = try await HTTP.get(monitor, "/plans/343-qd-tu/report?period=quarter-2025-4&asOf=2025-12-14")
            #expect(!after.body.contains("CHUYÊN ĐỘI SỐ") && !after.body.contains("chuyên đổi số"))
            #expect(!after.body.contains("VNedID") && !after.body.contains("VNelD") && !after.body.contains("Thuế tinh"))
            #expect(after.body.contains("ĐỀ ÁN CHUYỂN ĐỔI SỐ TRONG CÁC CƠ QUAN ĐẢNG"))
            let task = try await HTTP.get(monitor, "/plans/343-qd-tu/assignments/A.1")
            #expect(task.body.contains("Đề án chuyển đổi số của ngành VHTTDL"))
            let audit = try await HTTP.get(monitor, "/audit")
            #expect(audit.body.contains("Sửa lỗi chính tả của văn bản"))
        }
    }
}
