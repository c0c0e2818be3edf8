import Foundation
import Logging
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiExport
import TheodoiOperations
import TheodoiStore
import TheodoiStoreSQL
import TheodoiTestSupport

/// The periodic report's text as of fixed dates, against golden files: the statistics sentence,
/// the headings of both formats, the formal dates, the sections and the appendix.
@Suite("Periodic report")
struct PeriodicReportTests {
    static func date(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

    /// The 343-QĐ/TU catalogue with a quarter's worth of history: completions before and during
    /// quarter IV/2025, a return, an extension, progress with difficulties and proposals, a contribution.
    static func world(today: String) async throws -> (PeriodicReports, SQLStore, PlanRecord) {
        let world = try await ReportWorld.open()
        // Done before the quarter: counted in the totals, not as new in the quarter.
        let early = try await world.report(
            "A.17.9", .done, percent: 100, on: "2025-09-05", result: "Đã ban hành kế hoạch triển khai.", achieved: "2025-09-04")
        try await world.review("A.17.9", early, .accept, on: "2025-09-08", completed: "2025-09-04")
        // Reported done 20/09 (achieved 28/08, due 31/08), accepted in the quarter: new, on time.
        let onTime = try await world.report(
            "A.17.1", .done, percent: 100, on: "2025-09-20",
            result: "Đã xây dựng kho dữ liệu số với 1.250 bài giảng điện tử", achieved: "2025-08-28")
        try await world.review("A.17.1", onTime, .accept, on: "2025-10-10", completed: "2025-08-28")
        // Late: returned once, then accepted.
        let late = try await world.report(
            "A.17.8", .done, percent: 100, on: "2025-10-05", result: "Hoàn thành tập huấn", achieved: "2025-10-03")
        try await world.review("A.17.8", late, .return, on: "2025-10-06")
        let again = try await world.report(
            "A.17.8", .done, percent: 100, on: "2025-10-10", result: "Hoàn thành tập huấn cho 320 giáo viên",
            achieved: "2025-10-03")
        try await world.review("A.17.8", again, .accept, on: "2025-10-12", completed: "2025-10-03")
        // Progress with a difficulty and a proposal; a claim waiting; a coordinator's contribution.
        try await world.report(
            "A.17.4", .inProgress, percent: 60, on: "2025-11-20", result: "Đã lắp đặt 40/65 phòng học thông minh",
            difficulties: "Thiếu kinh phí mua sắm thiết bị", proposals: "Đề nghị Sở Tài chính bố trí bổ sung kinh phí năm 2026")
        try await world.report(
            "A.17.5", .done, percent: 100, on: "2025-12-01", result: "Đã triển khai học bạ số", achieved: "2025-11-28")
        try await world.report(
            "A.17.4", .inProgress, percent: 0, on: "2025-11-25", result: "Đã thẩm định danh mục thiết bị",
            difficulties: "Giá thiết bị biến động", contribution: true)
        // Reported after the report's date: not in it.
        try await world.report("A.17.6", .inProgress, percent: 30, on: "2025-12-20", result: "Sau ngày báo cáo")
        // An extension approved in the quarter.
        try await world.extend("A.17.7", from: "2025-10-31", to: "2026-03-31", asked: "2025-10-20", approved: "2025-10-25")
        return (world.reports(today: today), world.store, world.plan)
    }

    @Test("Quý IV/2025, tính đến 14/12/2025, Party format: the golden text")
    func partyQuarter() async throws {
        let (reports, store, plan) = try await Self.world(today: "2025-12-15")
        let composed = try await reports.compose(
            slug: plan.slug, form: PeriodicReportForm(period: "quarter-2025-4", asOf: "14/12/2025", scope: "all", number: "215"))
        let document = composed.report.document
        #expect(document.number == "Số 215-BC/TU")
        #expect(document.placeAndDate == "Gia Lai, ngày 15 tháng 12 năm 2025")
        #expect(composed.report.title == "Báo cáo quý IV/2025 (tính đến ngày 14/12/2025)")
        assertSnapshot(document.plainText, named: "periodic-report-q4-2025-party.txt")
        // The sentence carries the same numbers as the dashboard as of that date.
        let dashboard = await reports.views.snapshots.dashboard(of: composed.snapshot, asOf: Self.date("2025-12-14"))
        #expect(composed.report.summary == dashboard.summary)
        #expect(document.plainText.contains(dashboard.summary.sentence))
        // The appendix has every row of the catalogue, grouped.
        let rows = document.appendix?.rows ?? []
        #expect(rows.filter { if case .cells = $0 { true } else { false } }.count == composed.snapshot.assignments.count)
        #expect(composed.report.appendixTable.rows.count == rows.count)
        await store.shutdown()
    }

    @Test("one agency's tasks in the State format, with zero-padded formal dates in February")
    func stateAgency() async throws {
        let (reports, store, plan) = try await Self.world(today: "2026-02-05")
        let snapshot = try #require(try await reports.views.snapshots.snapshot(slug: plan.slug))
        let education = try #require(snapshot.agencies.first { $0.name == "Sở Giáo dục và Đào tạo" })
        try await reports.saveSettings(
            slug: plan.slug,
            form: ReportSettingsForm(
                format: "state", issuerLines: "UBND TỈNH GIA LAI\nSỞ KHOA HỌC VÀ CÔNG NGHỆ", numberSuffix: "/BC-SKHCN",
                place: "Gia Lai", signatureAuthority: "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", signer: "Nguyễn Văn A",
                recipients: "- UBND tỉnh (b/c);\n- Văn phòng Tỉnh ủy,\n- Lưu: VT, KHCN."),
            actor: ReportWorld.office)
        #expect(
            try await store.reports.settings(plan.id)?.recipients == ["UBND tỉnh (b/c)", "Văn phòng Tỉnh ủy", "Lưu: VT, KHCN"])
        let composed = try await reports.compose(
            slug: plan.slug, form: PeriodicReportForm(period: "", asOf: "05/02/2026", scope: "agency:\(education.id)"))
        #expect(composed.report.document.placeAndDate == "Gia Lai, ngày 05 tháng 02 năm 2026")
        #expect(
            composed.report.document.number == "Số: \u{00A0}\u{00A0}\u{00A0}\u{00A0}\u{00A0}\u{00A0}\u{00A0}\u{00A0}/BC-SKHCN")
        assertSnapshot(composed.report.document.plainText, named: "periodic-report-agency-state.txt")
        await store.shutdown()
    }

    @Test("a request that cannot be read is refused with every problem named")
    func badRequests() async throws {
        let (reports, store, plan) = try await Self.world(today: "2025-12-15")
        func message(_ form: PeriodicReportForm) async -> String? {
            do {
                _ = try await reports.compose(slug: plan.slug, form: form)
                return nil
            } catch let refusal as ProgressRefusal {
                return refusal.kind == .invalid ? refusal.message : "wrong kind"
            } catch {
                return "\(error)"
            }
        }
        #expect(await message(PeriodicReportForm(period: "quarter-2025-5")) == "Kỳ báo cáo “quarter-2025-5” không hợp lệ.")
        #expect(
            await message(PeriodicReportForm(period: "quarter-2025-4", asOf: "20/12/2025"))
                == "Ngày tính đến 20/12/2025 không thuộc quý IV/2025 (từ 15/09/2025 đến 14/12/2025).")
        #expect(
            await message(PeriodicReportForm(asOf: "31/02/2025", scope: "part:Z"))
                == "Ngày tính đến “31/02/2025” không đọc được; hãy ghi theo dạng dd/MM/yyyy. Kế hoạch không có phần “Z”.")
        #expect(await message(PeriodicReportForm(scope: "everything")) == "Phạm vi báo cáo “everything” không hợp lệ.")
        // The current quarter as of today by default: quarter I/2026 starts 15/12/2025.
        let composed = try await reports.compose(slug: plan.slug, form: PeriodicReportForm(period: "quarter-2026-1"))
        #expect(composed.request.asOf == Self.date("2025-12-15"))
        await store.shutdown()
    }

    @Test("reporting period keys round-trip")
    func periodKeys() {
        for key in ["month-2025-10", "quarter-2025-4", "six-months-2026", "nine-months-2026", "year-2026"] {
            #expect(ReportingPeriod(key: key)?.key == key)
        }
        for key in ["quarter-2025", "month-2025-13", "six-months-2026-1", "decade-2020", ""] {
            #expect(ReportingPeriod(key: key) == nil)
        }
    }
}
