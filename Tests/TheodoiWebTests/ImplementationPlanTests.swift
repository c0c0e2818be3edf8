import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TheodoiCore
import TheodoiOperations
import TheodoiStore

/// A Sở's own implementation plan (issue 19): Sở Giáo dục và Đào tạo imports its plan for
/// 343-QĐ/TU's A.17, which it leads; the plan is its own (its officers update it), every task of
/// it implements A.17, and no other agency's officer may import it, or any other plan.
@Suite("Implementation plans")
struct ImplementationPlanTests {
    static let upload = CatalogueImportWebTests.upload

    /// Imports `file` through the form as `session`'s officer: the preview's status and body, then the confirmation's.
    static func importThroughForm(
        _ client: any TestClientProtocol, _ session: TestSession, task: String, number: String, file: Data,
        kind: String = "implementation"
    ) async throws -> (preview: (HTTPResponse.Status, String), done: (HTTPResponse.Status, String)?) {
        let officer = SessionClient(base: client, cookie: session.cookie)
        let given = [("kind", kind), ("task", task), ("number", number), ("date", "20/10/2025")]
        let preview = try await HTTP.multipart(
            officer, upload, [("_csrf", session.csrf)] + given, files: [("file", "kh.tsv", Array(file))])
        guard preview.status == .ok else { return ((preview.status, preview.body), nil) }
        var fields = try CatalogueImportWebTests.confirmation(preview.body, csrf: session.csrf)
        for name in ["kind", "task"] { fields.append((name, CatalogueImportWebTests.hidden(name, in: preview.body) ?? "")) }
        let done = try await HTTP.multipart(officer, CatalogueImportWebTests.confirm, fields)
        return ((preview.status, preview.body), (done.status, done.body))
    }

    @Test(
        "the lead agency's officer imports its plan under A.17: its own, linked, rolled up; others are refused",
        arguments: WebBackends.all)
    func importByOfficer(backend: String) async throws {
        try await World.run(backend: backend) { world, client in
            let school = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "school")
            let finance = try await world.officer(of: "Sở Tài chính", key: "finance")

            // The task page offers the import to the lead's officer only.
            let a17 = try await HTTP.get(SessionClient(base: client, cookie: school.cookie), "/plans/343-qd-tu/assignments/A.17")
            #expect(a17.body.contains("/catalogues/import?kind=implementation&amp;task=343-qd-tu%2FA.17"))
            let form = try await HTTP.get(
                SessionClient(base: client, cookie: school.cookie), "/catalogues/import?kind=implementation&task=343-qd-tu/A.17")
            #expect(form.status == .ok)
            #expect(form.body.contains("<option value=\"343-qd-tu/A.17\">343-QĐ/TU · A.17"))
            #expect(!form.body.contains("<option value=\"plan\""))
            #expect(
                !(try await HTTP.get(SessionClient(base: client, cookie: finance.cookie), "/plans/343-qd-tu/assignments/A.17")
                    .body.contains("kind=implementation")))

            // Another agency's officer: refused, nothing stored.
            let refused = try await Self.importThroughForm(
                client, finance, task: "343-qd-tu/A.17", number: "05/KH-SGDĐT", file: LinkTests.school)
            #expect(refused.preview.0 == .forbidden)
            #expect(refused.preview.1.contains("Đơn vị chỉ nạp kế hoạch triển khai cho nhiệm vụ mình chủ trì"))
            #expect(try await world.catalogue.plan("05-kh-sgddt") == nil)
            // An officer imports no plan of its own choosing.
            let plain = try await Self.importThroughForm(
                client, school, task: "", number: "06/KH-SGDĐT", file: LinkTests.school, kind: "plan")
            #expect(plain.preview.0 == .forbidden)
            #expect(try await world.catalogue.plan("06-kh-sgddt") == nil)

            // The lead's officer: previewed, confirmed, owned, every task linked to A.17.
            let imported = try await Self.importThroughForm(
                client, school, task: "343-qd-tu/A.17", number: "05/KH-SGDĐT", file: LinkTests.school)
            #expect(imported.preview.0 == .ok)
            #expect(
                imported.preview.1.contains("Sẽ tạo kế hoạch triển khai 05/KH-SGDĐT với 3 dòng nhiệm vụ, thực hiện nhiệm vụ A.17")
            )
            #expect(imported.done?.0 == .created)
            let plan = try #require(try await world.catalogue.plan("05-kh-sgddt"))
            let agency = try #require(try await world.catalogue.agencies().first { $0.name == "Sở Giáo dục và Đào tạo" })
            #expect(plan.ownerAgency == agency.id && plan.stage == .active)
            #expect(plan.issuer == "Sở Giáo dục và Đào tạo")
            #expect(plan.implements == (try await ProgressFlowTests.assignmentID(world, "A.17")))
            let list = try await HTTP.get(world.client(client, as: .leader), "/plans").body
            #expect(
                list.contains(
                    "Kế hoạch triển khai của Sở Giáo dục và Đào tạo, thực hiện nhiệm vụ A.17 của 343-QĐ/TU. <a href=\"/plans/343-qd-tu/assignments/A.17\">"
                ))
            let json = try await HTTP.get(world.client(client, as: .leader), "/api/v1/plans").body
            #expect(json.contains(#""owner":"Sở Giáo dục và Đào tạo","implements":{"plan":"343-qd-tu","code":"A.17"}"#))
            let higher = try await HTTP.get(world.client(client, as: .leader), "/plans/343-qd-tu/assignments/A.17").body
            #expect(higher.contains("trong 3 nhiệm vụ thực hiện đã hoàn thành"))

            // Its officer updates it; another agency's officer may not, under any task.
            let updated = Data(
                (String(decoding: LinkTests.school, as: UTF8.self)
                    + "4\tKiểm tra việc sử dụng phần mềm\tSở Giáo dục và Đào tạo\t31/12/2025\n").utf8)
            let again = try await Self.importThroughForm(
                client, school, task: "343-qd-tu/A.17", number: "05/KH-SGDĐT", file: updated)
            #expect(again.done?.0 == .ok)
            #expect(try await world.catalogue.plan("05-kh-sgddt")?.assignmentCount == 4)
            let taken = try await Self.importThroughForm(
                client, finance, task: "343-qd-tu/A.4", number: "05/KH-SGDĐT", file: LinkTests.school)
            #expect(taken.preview.0 == .forbidden)
            #expect(taken.preview.1.contains("là của một kế hoạch đã có mà đơn vị không quản lý"))
            #expect(try await world.catalogue.plan("05-kh-sgddt")?.assignmentCount == 4)
        }
    }

    @Test("the owning Sở monitors its plan: its officers review reports on it; another Sở's may not", arguments: WebBackends.all)
    func monitoredBySo(backend: String) async throws {
        try await World.run(backend: backend) { world, client in
            let school = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "school")
            let finance = try await world.officer(of: "Sở Tài chính", key: "finance")
            let imported = try await Self.importThroughForm(
                client, school, task: "343-qd-tu/A.17", number: "05/KH-SGDĐT", file: LinkTests.school)
            #expect(imported.done?.0 == .created)
            let officer = SessionClient(base: client, cookie: school.cookie)
            let sent = try await HTTP.multipart(
                officer, "/plans/05-kh-sgddt/assignments/1/report",
                ProgressFlowTests.reportFields(
                    school, stage: "done", result: "Đã mua sắm", achievedOn: "29/09/2025", submit: true))
            // Sending asks for a confirmation first.
            #expect(sent.status == .ok)
            #expect(try await HTTP.confirm(officer, sent.body).status == .found)
            let plan = try #require(try await world.catalogue.plan("05-kh-sgddt"))
            let task = try #require(try await world.catalogue.assignments(plan.id).first { $0.code == "1" })
            let report = try #require(try await world.progress.assignmentLog(task.id).reports.first)

            // Another Sở's officer: not its plan to monitor.
            let other = try await HTTP.post(
                SessionClient(base: client, cookie: finance.cookie), "/reports/\(report.id)/review",
                [("_csrf", finance.csrf), ("decision", "accept"), ("confirm", "yes")])
            #expect(other.status == .forbidden)
            #expect(try await world.progress.report(report.id)?.state == .submitted)
            // The Sở's own officer sees the review form and accepts after the confirmation.
            let page = try await HTTP.get(officer, "/reports/\(report.id)")
            #expect(page.body.contains("Xác nhận hoàn thành"))
            let asking = try await HTTP.post(
                officer, "/reports/\(report.id)/review", [("_csrf", school.csrf), ("decision", "accept")])
            #expect(asking.status == .ok)
            let accepted = try await HTTP.confirm(officer, asking.body)
            #expect(accepted.status == .found)
            #expect(try await world.progress.report(report.id)?.state == .accepted)
            // It monitors only its own plan: a report on 343-QĐ/TU is the office's to review.
            let a17 = try await HTTP.get(officer, "/plans/343-qd-tu/assignments/A.17").body
            #expect(!a17.contains("Xác nhận hoàn thành"))
        }
    }
}
