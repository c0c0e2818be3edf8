import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiOperations
import TheodoiStore

/// A plan's life (issue 19): imported as a draft (no reports, no reminders, in nobody's work),
/// announced, closed with its final issued report (read-only, kept), reopened by an admin.
@Suite("Plan lifecycle")
struct PlanLifecycleTests {
    /// A small UBND plan led by Sở Y tế, as a tab-separated table.
    static let ubnd = Data(
        ("TT\tNội dung thực hiện\tĐơn vị chủ trì\tThời gian hoàn thành\n"
            + "1\tXây dựng kho dữ liệu y tế dùng chung\tSở Y tế\t30/11/2025\n"
            + "2\tTriển khai bệnh án điện tử tại bệnh viện tỉnh\tSở Y tế\t31/12/2025\n").utf8)

    /// An issued report of the plan, stored as the periodic report page would.
    static func issue(_ world: World, plan: PlanRecord, number: String) async throws -> IssuedReportRecord {
        try await world.reports.issue(
            IssueInput(
                planID: plan.id, planNumber: plan.number, number: number, title: "Báo cáo tổng kết", period: "",
                asOf: world.today, scope: "all", scopeLabel: "Toàn bộ danh mục", issuedOn: world.today,
                files: [
                    IssueInput.File(
                        kind: "html", fileName: "bao-cao.html", contentType: "text/html", bytes: Array("<p>x</p>".utf8))
                ]),
            .system)
    }

    static func stage(_ world: World, _ slug: String) async throws -> PlanStage? {
        try await world.catalogue.plan(slug)?.stage
    }

    @Test(
        "a draft takes no report and is in nobody's work; the monitor announces it after a confirmation",
        arguments: WebBackends.all)
    func draft(backend: String) async throws {
        try await World.run(backend: backend) { world, client in
            let health = try await world.officer(of: "Sở Y tế", key: "health")
            let officer = SessionClient(base: client, cookie: health.cookie)
            let monitor = world.client(client, as: .monitor)
            let leader = world.client(client, as: .leader)
            let imported = try await world.importer.importCatalogue(
                Self.ubnd, sourceName: "ke-hoach.tsv", number: "12/KH-UBND", stage: .draft)
            #expect(imported.plan.stage == .draft)

            // The plans list marks it, and offers "Ban hành" to the monitor only.
            let list = try await HTTP.get(monitor, "/plans").body
            #expect(list.contains("badge stage-draft\">Dự thảo</span>"))
            #expect(list.contains("action=\"/plans/12-kh-ubnd/stage\""))
            #expect(list.contains(">Ban hành</button>"))
            #expect(!(try await HTTP.get(leader, "/plans").body.contains("/plans/12-kh-ubnd/stage")))
            #expect(try await HTTP.get(leader, "/plans/12-kh-ubnd").body.contains("Kế hoạch dự thảo, chưa ban hành"))

            // The officer cannot report on it, and it is not in its work.
            let refused = try await HTTP.multipart(
                officer, "/plans/12-kh-ubnd/assignments/1/report",
                ProgressFlowTests.reportFields(health, stage: "in-progress", result: "Đang làm", achievedOn: "", submit: true))
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("Kế hoạch còn là dự thảo"))
            #expect(!(try await HTTP.get(officer, "/my-work").body.contains("12/KH-UBND")))
            let log = try await world.progress.assignmentLog(
                try #require(try await world.catalogue.assignments(imported.plan.id).first?.id))
            #expect(log.reports.isEmpty)

            // A leader may not announce it; the monitor sees what will happen, then confirms.
            let forbidden = try await HTTP.post(
                leader, "/plans/12-kh-ubnd/stage", [("_csrf", "csrf-leader"), ("to", "active"), ("confirm", "yes")])
            #expect(forbidden.status == .forbidden)
            #expect(try await Self.stage(world, "12-kh-ubnd") == .draft)
            let asked = try await HTTP.post(monitor, "/plans/12-kh-ubnd/stage", [("_csrf", "csrf-monitor"), ("to", "active")])
            #expect(asked.status == .ok)
            #expect(asked.body.contains("Ban hành kế hoạch và bắt đầu theo dõi?"))
            #expect(asked.body.contains("Dự thảo → Đang theo dõi"))
            #expect(try await Self.stage(world, "12-kh-ubnd") == .draft)
            let done = try await HTTP.confirm(monitor, asked.body)
            #expect(done.location == "/plans?done=activated")
            #expect(try await Self.stage(world, "12-kh-ubnd") == .active)
            let audit = try await world.accountStore.auditLog(AuditFilter(action: "plan.activate"))
            #expect(audit.entries.map(\.subject) == ["plan:12-kh-ubnd"])

            // Announced: the officer reports, and the plan is in its work.
            let sent = try await HTTP.multipart(
                officer, "/plans/12-kh-ubnd/assignments/1/report",
                ProgressFlowTests.reportFields(health, stage: "in-progress", result: "Đang làm", achievedOn: "", submit: true))
            #expect(try await HTTP.confirm(officer, sent.body).status == .found)
            #expect(try await HTTP.get(officer, "/my-work").body.contains("12/KH-UBND"))

            // The same form again (a second tab): the stage moved on, nothing changes.
            let again = try await HTTP.post(
                monitor, "/plans/12-kh-ubnd/stage",
                [("_csrf", "csrf-monitor"), ("to", "active"), ("from", "draft"), ("confirm", "yes")])
            #expect(again.status == .conflict)
            #expect(try await world.accountStore.auditLog(AuditFilter(action: "plan.activate")).entries.count == 1)
        }
    }

    @Test(
        "closing needs an issued report; a closed plan is read-only and kept; only an admin reopens it, with a reason",
        arguments: WebBackends.all)
    func close(backend: String) async throws {
        try await World.run(backend: backend) { world, client in
            let monitor = world.client(client, as: .monitor)
            let admin = world.client(client, as: .admin)
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            let seed = try #require(try await world.catalogue.plan("343-qd-tu"))

            // A report sent before the plan closes stays in its history.
            let sent = try await HTTP.multipart(
                officer, "/plans/343-qd-tu/assignments/A.17.1/report",
                ProgressFlowTests.reportFields(education, stage: "in-progress", result: "Đang làm", achievedOn: "", submit: true))
            #expect(try await HTTP.confirm(officer, sent.body).status == .found)

            // No issued report yet: closing is refused, saying what to do first.
            let early = try await HTTP.post(monitor, "/plans/343-qd-tu/stage", [("_csrf", "csrf-monitor"), ("to", "closed")])
            #expect(early.status == .conflict)
            #expect(early.body.contains("hãy ban hành báo cáo tổng kết"))

            // Two issued reports, the first superseded by nothing: the page offers both, newest first.
            let first = try await Self.issue(world, plan: seed, number: "Số 15-BC/TU")
            let final = try await Self.issue(world, plan: seed, number: "Số 20-BC/TU")
            let asked = try await HTTP.post(monitor, "/plans/343-qd-tu/stage", [("_csrf", "csrf-monitor"), ("to", "closed")])
            #expect(asked.status == .ok)
            #expect(asked.body.contains("Kết thúc kế hoạch?"))
            let newest = try #require(asked.body.range(of: "<option value=\"\(final.id.rawValue)\" selected>"))
            let older = try #require(asked.body.range(of: "<option value=\"\(first.id.rawValue)\">"))
            #expect(newest.lowerBound < older.lowerBound)
            let closed = try await HTTP.post(
                monitor, "/plans/343-qd-tu/stage",
                [
                    ("_csrf", "csrf-monitor"), ("to", "closed"), ("from", "active"), ("choice", String(first.id.rawValue)),
                    ("confirm", "yes"),
                ])
            #expect(closed.location == "/plans?done=closed")
            let plan = try #require(try await world.catalogue.plan("343-qd-tu"))
            #expect(plan.stage == .closed && plan.closingReport == "Số 15-BC/TU" && plan.stageChangedOn == world.today)
            let list = try await HTTP.get(monitor, "/plans").body
            #expect(list.contains("Đã kết thúc ngày \(world.today.vietnameseShort) với báo cáo Số 15-BC/TU; chỉ xem."))
            #expect(!list.contains("action=\"/plans/343-qd-tu/stage\""))
            #expect(try await HTTP.get(admin, "/plans").body.contains(">Mở lại</button>"))
            #expect(
                try await HTTP.get(officer, "/plans/343-qd-tu").body.contains(
                    "Kế hoạch đã kết thúc ngày \(world.today.vietnameseShort) với báo cáo Số 15-BC/TU: chỉ xem"))

            // Read-only: no report, no review, no re-import; the history and the pages stay.
            let refused = try await HTTP.multipart(
                officer, "/plans/343-qd-tu/assignments/A.17.4/report",
                ProgressFlowTests.reportFields(
                    education, stage: "in-progress", result: "Sau khi kết thúc", achievedOn: "", submit: true))
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("Kế hoạch đã kết thúc"))
            let a171 = try #require(try await ProgressFlowTests.assignmentID(world, "A.17.1"))
            let report = try #require(try await world.progress.assignmentLog(a171).reports.first)
            let review = try await HTTP.post(
                monitor, "/reports/\(report.id)/review", [("_csrf", "csrf-monitor"), ("decision", "accept"), ("reason", "")])
            #expect(review.status == .conflict)
            await #expect(throws: ProgressRefusal.self) {
                try await world.importer.importCatalogue(try SeedCatalogue.data(), sourceName: "343-QD-TU.txt")
            }
            #expect(try await HTTP.get(monitor, "/plans/343-qd-tu/assignments/A.17.1").body.contains("Đang làm"))
            #expect(try await HTTP.get(officer, "/my-work").body.contains("343-QĐ/TU") == false)

            // Reopening: not the monitor; the admin must give a reason.
            let notMonitor = try await HTTP.post(
                monitor, "/plans/343-qd-tu/stage", [("_csrf", "csrf-monitor"), ("to", "active"), ("confirm", "yes")])
            #expect(notMonitor.status == .forbidden)
            let noReason = try await HTTP.post(
                admin, "/plans/343-qd-tu/stage", [("_csrf", "csrf-admin"), ("to", "active"), ("confirm", "yes"), ("reason", " ")])
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.body.contains("Hãy ghi lý do mở lại kế hoạch."))
            #expect(try await Self.stage(world, "343-qd-tu") == .closed)
            let reopened = try await HTTP.post(
                admin, "/plans/343-qd-tu/stage",
                [("_csrf", "csrf-admin"), ("to", "active"), ("confirm", "yes"), ("reason", "Báo cáo tổng kết ban hành nhầm kỳ")])
            #expect(reopened.location == "/plans?done=reopened")
            #expect(try await Self.stage(world, "343-qd-tu") == .active)
            let entries = try await world.accountStore.auditLog(AuditFilter(action: "plan.reopen")).entries
            #expect(entries.count == 1)
            #expect(entries.first?.after?.contains("Báo cáo tổng kết ban hành nhầm kỳ") == true)
            #expect(try await world.accountStore.auditLog(AuditFilter(action: "plan.close")).entries.count == 1)
        }
    }

    @Test("the API: the plan's stage on the wire; announce, close and reopen with the same rules")
    func api() async throws {
        try await World.run { world, client in
            let monitor = try await world.accounts.createAPIToken(
                for: try #require(world.session(.monitor)).user, label: "t", by: .system
            ).token
            let admin = try await world.accounts.createAPIToken(
                for: try #require(world.session(.admin)).user, label: "t", by: .system
            )
            .token
            let leader = try await world.accounts.createAPIToken(
                for: try #require(world.session(.leader)).user, label: "t", by: .system
            ).token
            let path = "/api/v1/plans/343-qd-tu/stage"
            let listed = try await HTTP.json(client, .get, "/api/v1/plans", "", token: leader)
            #expect(listed.body.contains(#""stage":"active""#) && listed.body.contains(#""closingReport":null"#))

            #expect(try await HTTP.json(client, .put, path, #"{"stage":"closed"}"#, token: leader).status == .forbidden)
            #expect(
                try await HTTP.json(client, .put, path, #"{"stage":"paused"}"#, token: monitor).status == .unprocessableContent)
            #expect(try await HTTP.json(client, .put, path, #"{"stage":"draft"}"#, token: monitor).status == .conflict)
            #expect(try await HTTP.json(client, .put, path, #"{"stage":"closed"}"#, token: monitor).status == .conflict)
            let seed = try #require(try await world.catalogue.plan("343-qd-tu"))
            let issued = try await Self.issue(world, plan: seed, number: "Số 21-BC/TU")
            #expect(
                try await HTTP.json(client, .put, path, #"{"stage":"closed","finalReport":999999}"#, token: monitor).status
                    == .unprocessableContent)
            #expect(
                try await HTTP.json(client, .put, path, #"{"stage":"closed","from":"draft"}"#, token: monitor).status == .conflict
            )
            let closed = try await HTTP.json(
                client, .put, path, #"{"stage":"closed","finalReport":\#(issued.id.rawValue)}"#, token: monitor)
            #expect(closed.status == .ok)
            #expect(closed.body.contains(#""stage":"closed""#) && closed.body.contains(#""closingReport":"Số 21-BC/TU""#))
            #expect(
                try await HTTP.json(client, .put, path, #"{"stage":"active","reason":"x"}"#, token: monitor).status == .forbidden)
            #expect(try await HTTP.json(client, .put, path, #"{"stage":"active"}"#, token: admin).status == .unprocessableContent)
            let reopened = try await HTTP.json(
                client, .put, path, #"{"stage":"active","reason":"Mở lại để bổ sung"}"#, token: admin)
            #expect(reopened.status == .ok && reopened.body.contains(#""stage":"active""#))
        }
    }
}
