import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiTestSupport

/// Amendments (issue 19): Quyết định 400-QĐ/TU of 15/10/2025 amends 343-QĐ/TU — moves A.6's deadline,
/// gives A.7 to Sở Nội vụ, ends A.4 and adds A.53 and A.54. Before that day everything reads as the
/// decision wrote it; from that day as amended; a re-import of either decision changes nothing.
@Suite("Amendments")
struct AmendmentTests {
    static let day = LocalDate(iso: "2025-10-15")!
    static let before = LocalDate(iso: "2025-10-10")!
    static let after = LocalDate(iso: "2025-11-05")!

    /// The amendment as a table of the changed rows only, built from what 343-QĐ/TU stores for A.6 and A.7.
    static func amendment(_ world: World) async throws -> Data {
        let plan = try #require(try await world.catalogue.plan("343-qd-tu"))
        let rows = try await world.catalogue.assignments(plan.id)
        let a6 = try #require(rows.first { $0.code == "A.6" })
        let a7 = try #require(rows.first { $0.code == "A.7" })
        func line(_ cells: [String]) -> String { cells.joined(separator: "\t") + "\n" }
        let text =
            line([
                "TT", "Nội dung thực hiện", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành",
                "Mục tiêu, Sản phẩm đầu ra",
            ])
            + line(["A. NHÓM NHIỆM VỤ THỰC HIỆN NGHỊ QUYẾT 57-NQ/TW", "", "", "", "", ""])
            + line(["4", "Bãi bỏ", "", "", "", ""])
            + line([a6.number, a6.title, a6.leadText, a6.coordinatorsText, "Tháng 12/2025", a6.output])
            + line([a7.number, a7.title, "Sở Nội vụ", a7.coordinatorsText, a7.deadline.text, a7.output])
            + line([
                "53", "Xây dựng cơ sở dữ liệu cán bộ, công chức dùng chung", "Sở Nội vụ", "Sở Khoa học và Công nghệ",
                "Tháng 12/2025", "Cơ sở dữ liệu được đưa vào sử dụng",
            ])
            + line([
                "54", "Số hóa hồ sơ đất đai của tỉnh", "Sở Nông nghiệp và Môi trường", "Các sở, ngành liên quan",
                "Tháng 3/2026", "Hồ sơ đất đai được số hóa",
            ])
        return Data(text.utf8)
    }

    static func json(_ client: any TestClientProtocol, _ path: String) async throws -> JSONDocument {
        let response = try await HTTP.get(client, path)
        #expect(response.status == .ok, "\(path)")
        return try JSONDocument.parse(response.body)
    }

    static let input = AmendmentInput(plan: "343-qd-tu", number: "400-QĐ/TU", issuedOn: day, endsMissing: false)

    /// The seed read again, as an independent reckoning: its top-level tasks and those each agency leads.
    static func seed() throws -> Catalogue {
        try CatalogueParser(directory: try AgencyDirectory.bundled()).parse(try SeedCatalogue.data())
    }

    static func topLevel(_ catalogue: Catalogue, led agency: String? = nil) -> Set<String> {
        Set(
            catalogue.assignments.filter { assignment in
                !assignment.isSubAssignment && (agency.map { name in assignment.lead.contains { $0.name == name } } ?? true)
            }.map(\.code))
    }

    @Test(
        "the preview shows every change; confirmed, counts, scorecard and deadlines follow the amendment from its day only",
        arguments: WebBackends.all)
    func amend(backend: String) async throws {
        try await World.run(backend: backend) { world, client in
            let monitor = world.client(client, as: .monitor)
            let leader = world.client(client, as: .leader)
            let file = Array(try await Self.amendment(world))

            // The form: an amendment of 343-QĐ/TU, numbered and dated by the office.
            let form = try await HTTP.get(monitor, CatalogueImportWebTests.upload).body
            #expect(form.contains("<option value=\"343-qd-tu\">343-QĐ/TU"))
            let fields = [
                ("_csrf", "csrf-monitor"), ("kind", "amendment"), ("target", "343-qd-tu"), ("number", "400-QĐ/TU"),
                ("date", "15/10/2025"), ("missing", "keep"),
            ]
            let preview = try await HTTP.multipart(
                monitor, CatalogueImportWebTests.upload, fields, files: [("file", "qd-400.tsv", file)])
            #expect(preview.status == .ok)
            #expect(preview.body.contains("Sẽ điều chỉnh kế hoạch 343-QĐ/TU theo Quyết định số 400-QĐ/TU ngày 15/10/2025"))
            #expect(preview.body.contains("Bổ sung 2 nhiệm vụ: A.53, A.54."))
            #expect(preview.body.contains("A.6: điều chỉnh thời hạn."))
            #expect(preview.body.contains("A.7: điều chỉnh chủ trì."))
            #expect(preview.body.contains("Bãi bỏ 1 nhiệm vụ: A.4; báo cáo đã có được giữ."))
            #expect(preview.body.contains("<del>Tháng 9/2025</del></td><td data-label=\"Sau\"><ins>Tháng 12/2025</ins>"))
            #expect(preview.body.contains("<del>Sở Tư pháp</del></td><td data-label=\"Sau\"><ins>Sở Nội vụ</ins>"))
            let plan = try #require(try await world.catalogue.plan("343-qd-tu"))
            #expect(try await world.catalogue.amendments(plan.id).isEmpty)

            var confirmation = try CatalogueImportWebTests.confirmation(preview.body, csrf: "csrf-monitor")
            for name in ["kind", "target", "missing"] {
                confirmation.append((name, try #require(CatalogueImportWebTests.hidden(name, in: preview.body))))
            }
            let done = try await HTTP.multipart(monitor, CatalogueImportWebTests.confirm, confirmation)
            #expect(done.status == .ok)
            #expect(done.body.contains("Đã điều chỉnh danh mục 343-QĐ/TU theo Quyết định số 400-QĐ/TU"))
            let amendments = try await world.catalogue.amendments(plan.id)
            #expect(amendments.map(\.number) == ["400-QĐ/TU"])
            #expect(amendments.first.map { [$0.added, $0.changed, $0.ended] } == [2, 2, 1])
            let audit = try await world.accountStore.auditLog(AuditFilter(action: "plan.amend")).entries
            #expect(audit.map(\.subject) == ["plan:343-qd-tu"])

            // An independent reckoning from the seed: the counts before and after the amendment.
            let seed = try Self.seed()
            let all = Self.topLevel(seed)
            #expect(all.contains("A.4") && !all.contains("A.53"))
            let justice = Self.topLevel(seed, led: "Sở Tư pháp")
            let home = Self.topLevel(seed, led: "Sở Nội vụ")
            let dashboardBefore = try #require(try await world.views.dashboard(slug: "343-qd-tu", asOf: Self.before))
            let dashboardAfter = try #require(try await world.views.dashboard(slug: "343-qd-tu", asOf: Self.after))
            #expect(dashboardBefore.overall.total == all.count)
            #expect(dashboardAfter.overall.total == all.count - 1 + 2)
            let snapshots = world.views.snapshots
            for (date, justiceCount, homeCount) in [
                (Self.before, justice.count, home.count), (Self.after, justice.count - 1, home.count + 2),
            ] {
                let snapshot = try #require(try await snapshots.snapshot(slug: "343-qd-tu", asOf: date))
                let scorecard = await snapshots.monitoring(of: snapshot, asOf: date).scorecard
                #expect(scorecard.first { $0.name == "Sở Tư pháp" }?.assigned == justiceCount, "\(date)")
                #expect(scorecard.first { $0.name == "Sở Nội vụ" }?.assigned == homeCount, "\(date)")
            }

            // A.6: overdue under its old deadline before the amendment, in time under the new one after.
            let a6Before = try await Self.json(leader, "/api/v1/plans/343-qd-tu/assignments/A.6?asOf=2025-10-10")
            #expect(a6Before["deadlineText"]?.string == "Tháng 9/2025")
            #expect(a6Before["status"]?["timeliness"]?.string == "open-overdue")
            let a6After = try await Self.json(leader, "/api/v1/plans/343-qd-tu/assignments/A.6?asOf=2025-11-05")
            #expect(a6After["deadlineText"]?.string == "Tháng 12/2025")
            #expect(a6After["status"]?["timeliness"]?.string == "open-in-time")
            #expect(a6After["amendments"]?.array?.first?["before"]?["deadlineText"]?.string == "Tháng 9/2025")
            #expect(a6After["amendments"]?.array?.first?["fields"]?.array?.first?.string == "thời hạn")
            let list = try await Self.json(leader, "/api/v1/plans/343-qd-tu/amendments")
            #expect(list["items"]?.array?.first?["number"]?.string == "400-QĐ/TU")
            #expect(list["items"]?.array?.first?["ended"]?.int == 1)

            // The pages: the plan as of each day, the task's amendments and notices.
            let planBefore = try await HTTP.get(leader, "/plans/343-qd-tu?asOf=2025-10-10").body
            #expect(planBefore.contains("Từ ngày 15/10/2025, danh mục được điều chỉnh theo Quyết định số 400-QĐ/TU"))
            let planAfter = try await HTTP.get(leader, "/plans/343-qd-tu?asOf=2025-11-05&part=A").body
            #expect(
                planAfter.contains(
                    "Điều chỉnh theo Quyết định số 400-QĐ/TU ngày 15/10/2025: bổ sung 2 nhiệm vụ, điều chỉnh 2 nhiệm vụ, bãi bỏ 1 nhiệm vụ (bãi bỏ A.4)"
                ))
            #expect(planAfter.contains("/plans/343-qd-tu/assignments/A.53"))
            #expect(!planAfter.contains("/plans/343-qd-tu/assignments/A.4?"))
            let a6Page = try await HTTP.get(leader, "/plans/343-qd-tu/assignments/A.6").body
            #expect(a6Page.contains("Sửa đổi, bổ sung"))
            #expect(a6Page.contains("<td data-label=\"Mục\">thời hạn</td><td data-label=\"Trước\"><del>Tháng 9/2025</del>"))
            #expect(a6Page.contains("từ ngày 15/10/2025 nhiệm vụ được điều chỉnh theo Quyết định số 400-QĐ/TU"))
            let a4Page = try await HTTP.get(leader, "/plans/343-qd-tu/assignments/A.4?asOf=2025-11-05").body
            #expect(a4Page.contains("Nhiệm vụ đã bãi bỏ từ ngày 15/10/2025 theo Quyết định số 400-QĐ/TU"))
            let a53Page = try await HTTP.get(leader, "/plans/343-qd-tu/assignments/A.53?asOf=2025-10-10").body
            #expect(a53Page.contains("ngày 10/10/2025 chưa thuộc danh mục"))

            // Importing the amendment again, or the decision itself, changes nothing.
            let revision = try #require(try await world.catalogue.plan("343-qd-tu")).revision
            let again = try await world.importer.importAmendment(Data(file), sourceName: "qd-400.tsv", input: Self.input)
            #expect(again.isUnchanged)
            let seedAgain = try await world.importer.importCatalogue(try SeedCatalogue.data(), sourceName: SeedCatalogue.fileName)
            #expect(seedAgain.isUnchanged)
            #expect(seedAgain.missing.isEmpty)
            #expect(try #require(try await world.catalogue.plan("343-qd-tu")).revision == revision)
            let a6Now = try #require(
                try await world.catalogue.assignments(plan.id).first { $0.code == "A.6" })
            #expect(a6Now.deadline.text == "Tháng 12/2025")

            // The same number saying something else is refused, and nothing changes.
            var other = String(decoding: file, as: UTF8.self)
            other = other.replacingOccurrences(of: "Tháng 3/2026", with: "Tháng 6/2026")
            await #expect(throws: ProgressRefusal.self) {
                try await world.importer.importAmendment(Data(other.utf8), sourceName: "qd-400b.tsv", input: Self.input)
            }
            #expect(try #require(try await world.catalogue.plan("343-qd-tu")).revision == revision)
        }
    }

    @Test(
        "an ended task takes no new report from its end date; the periodic report names the amendment", arguments: WebBackends.all
    )
    func endedAndReported(backend: String) async throws {
        try await World.run(backend: backend) { world, client in
            _ = try await world.importer.importAmendment(
                try await Self.amendment(world), sourceName: "qd-400.tsv", input: Self.input)
            world.clock.advance(by: 20 * 86_400)
            let finance = try await world.officer(of: "Sở Tài chính", key: "finance")
            let officer = SessionClient(base: client, cookie: finance.cookie)
            let refused = try await HTTP.multipart(
                officer, "/plans/343-qd-tu/assignments/A.4/report",
                ProgressFlowTests.reportFields(finance, stage: "in-progress", result: "Đang làm", achievedOn: "", submit: true))
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("Nhiệm vụ đã bãi bỏ từ ngày 15/10/2025 theo Quyết định số 400-QĐ/TU"))
            #expect(!(try await HTTP.get(officer, "/my-work").body.contains("/plans/343-qd-tu/assignments/A.4\"")))

            let monitor = world.client(client, as: .monitor)
            let report = try await HTTP.get(monitor, "/plans/343-qd-tu/report?period=&asOf=2025-11-05").body
            #expect(
                report.contains(
                    "Danh mục nhiệm vụ được điều chỉnh theo Quyết định số 400-QĐ/TU ngày 15/10/2025 (bổ sung 2 nhiệm vụ, điều chỉnh 2 nhiệm vụ, bãi bỏ 1 nhiệm vụ)"
                ))
            #expect(report.contains("(điều chỉnh theo Quyết định số 400-QĐ/TU)"))
            #expect(report.contains("(bổ sung theo Quyết định số 400-QĐ/TU)"))
            let earlier = try await HTTP.get(monitor, "/plans/343-qd-tu/report?period=&asOf=2025-10-10").body
            #expect(!earlier.contains("400-QĐ/TU"))
        }
    }

    @Test("an amendment names its own number and date, and only a stored plan that is not closed")
    func refusals() async throws {
        try await World.run { world, client in
            let monitor = world.client(client, as: .monitor)
            let file = Array(try await Self.amendment(world))
            func upload(_ fields: [(String, String)]) async throws -> (status: HTTPResponse.Status, body: String) {
                let page = try await HTTP.multipart(
                    monitor, CatalogueImportWebTests.upload,
                    [("_csrf", "csrf-monitor"), ("kind", "amendment"), ("target", "343-qd-tu")] + fields,
                    files: [("file", "qd.tsv", file)])
                return (page.status, page.body)
            }
            let noNumber = try await upload([("date", "15/10/2025")])
            #expect(noNumber.status == .unprocessableContent)
            #expect(noNumber.body.contains("Tệp không ghi số hiệu của quyết định sửa đổi, bổ sung"))
            let noDate = try await upload([("number", "400-QĐ/TU")])
            #expect(noDate.status == .unprocessableContent)
            #expect(noDate.body.contains("Tệp không ghi ngày ban hành của quyết định sửa đổi, bổ sung"))
            let own = try await upload([("number", "343-QĐ/TU"), ("date", "15/10/2025")])
            #expect(own.body.contains("là của chính kế hoạch 343-QĐ/TU"))
            let early = try await upload([("number", "400-QĐ/TU"), ("date", "01/01/2025")])
            #expect(early.body.contains("trước ngày của kế hoạch 343-QĐ/TU (03/09/2025)"))
            let unknown = try await HTTP.multipart(
                monitor, CatalogueImportWebTests.upload,
                [
                    ("_csrf", "csrf-monitor"), ("kind", "amendment"), ("target", "khong-co"), ("number", "400-QĐ/TU"),
                    ("date", "15/10/2025"),
                ], files: [("file", "qd.tsv", file)])
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.body.contains("Hãy chọn kế hoạch được sửa đổi, bổ sung trong danh sách."))
            let plan = try #require(try await world.catalogue.plan("343-qd-tu"))
            #expect(try await world.catalogue.amendments(plan.id).isEmpty)
        }
    }
}
