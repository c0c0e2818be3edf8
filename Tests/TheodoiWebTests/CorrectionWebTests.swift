import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TheodoiCore
import TheodoiOperations
import TheodoiStore

/// Issue 16, item 3: a sent report withdrawn by its agency, decisions reversed by the office, each a
/// new dated event on the page, in the audit log and in the status of later dates only.
@Suite("Withdrawing and reversing through the pages and the API")
struct CorrectionWebTests {
    static func date(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }
    static let path = "/plans/343-qd-tu/assignments/A.17.1"

    static func send(_ officer: any TestClientProtocol, _ session: TestSession, stage: String = "done") async throws {
        var fields = DeliberateActsTests.fields(session, percent: "", stage: stage, send: true)
        fields[6] = ("achievedOn", "28/08/2025")
        let asked = try await HTTP.multipart(officer, Self.path + "/report", fields)
        #expect(try await HTTP.confirm(officer, asked.body).status == .found)
    }

    @Test(
        "withdraw before a decision; a reversed acceptance leaves earlier dates done and later ones waiting",
        arguments: WebBackends.all)
    func flow(backend: String) async throws {
        try await World.run(backend: backend, today: Self.date("2025-09-20")) { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            let monitor = world.client(client, as: .monitor)
            try await Self.send(officer, education)
            let first = try #require(try await DeliberateActsTests.log(world).reports.first)

            // The officer sees the withdrawal form; the monitor does not.
            let page = try await HTTP.get(officer, Self.path)
            #expect(page.body.contains("action=\"/reports/\(first.id)/withdraw\""))
            #expect(!(try await HTTP.get(monitor, Self.path)).body.contains("/withdraw\""))
            // Another agency's officer cannot withdraw it.
            let other = world.client(client, as: .otherOfficer)
            let foreign = try await HTTP.post(
                other, "/reports/\(first.id)/withdraw", [("_csrf", "csrf-other"), ("confirm", "yes")])
            #expect(foreign.status == .forbidden)

            world.move(to: Self.date("2025-09-21"))
            let asking = try await HTTP.post(
                officer, "/reports/\(first.id)/withdraw", [("_csrf", "csrf-edu"), ("reason", "Gửi nhầm bản chưa ký")])
            #expect(asking.body.contains("Rút lại báo cáo này?") && asking.body.contains("Gửi nhầm bản chưa ký"))
            #expect(try await world.progress.report(first.id)?.state == .submitted)
            let withdrawn = try await HTTP.confirm(officer, asking.body)
            #expect(withdrawn.location?.hasPrefix(Self.path + "?done=withdrawn") == true)
            #expect(try await world.progress.report(first.id)?.state == .withdrawn)
            let snapshot = try #require(try await world.views.snapshots.snapshot(slug: "343-qd-tu"))
            let position = try #require(snapshot.index["A.17.1"])
            #expect(snapshot.status(at: position, asOf: Self.date("2025-09-20")).stage == .awaitingReview)
            #expect(snapshot.status(at: position, asOf: Self.date("2025-09-21")).stage == .notStarted)
            // The next report starts from the withdrawn one.
            let form = try await HTTP.get(officer, Self.path + "/report")
            #expect(form.body.contains("(đã rút lại)"))

            try await Self.send(officer, education)
            let second = try #require(try await DeliberateActsTests.log(world).reports.last)
            world.move(to: Self.date("2025-09-25"))
            let accepting = try await HTTP.post(
                monitor, "/reports/\(second.id)/review", [("_csrf", "csrf-monitor"), ("decision", "accept"), ("reason", "")])
            #expect(try await HTTP.confirm(monitor, accepting.body).status == .found)
            let review = try #require(try await DeliberateActsTests.log(world).reviews.last)

            // 30/09: the acceptance was a mistake. Without a reason nothing happens.
            world.move(to: Self.date("2025-09-30"))
            let noReason = try await HTTP.post(
                monitor, "/reviews/\(review.id)/reverse", [("_csrf", "csrf-monitor"), ("reason", " ")])
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.body.contains("Hủy quyết định cần ghi lý do"))
            let reversing = try await HTTP.post(
                monitor, "/reviews/\(review.id)/reverse", [("_csrf", "csrf-monitor"), ("reason", "Xác nhận nhầm nhiệm vụ")])
            #expect(reversing.body.contains("Hủy quyết định “Xác nhận hoàn thành”?"))
            let reversed = try await HTTP.confirm(monitor, reversing.body)
            #expect(reversed.location?.hasPrefix(Self.path + "?done=review-reversed") == true)
            // The officer cannot reverse; a second reversal is refused.
            let again = try await HTTP.post(
                monitor, "/reviews/\(review.id)/reverse", [("_csrf", "csrf-monitor"), ("reason", "Lần hai"), ("confirm", "yes")])
            #expect(again.status == .conflict)

            let after = try #require(try await world.views.snapshots.snapshot(slug: "343-qd-tu"))
            #expect(after.status(at: position, asOf: Self.date("2025-09-29")).timeliness == .doneOnTime)
            #expect(after.status(at: position, asOf: Self.date("2025-09-30")).stage == .awaitingReview)
            // The snapshot followed the events; a fresh load from the database says the same.
            let fresh = try #require(
                try await PlanSnapshots(store: world.catalogue, progress: world.progress).snapshot(slug: "343-qd-tu"))
            #expect(fresh.history(of: "A.17.1") == after.history(of: "A.17.1"))

            // Both the decision and its reversal are on the page and in the audit log.
            let leaderPage = try await HTTP.get(world.client(client, as: .leader), Self.path)
            for text in [
                "rút lại báo cáo gửi lúc", "Gửi nhầm bản chưa ký", "Xác nhận hoàn thành, ngày hoàn thành 28/08/2025",
                "Đã hủy ngày 30/09/2025", "Hủy quyết định “Xác nhận hoàn thành”", "Xác nhận nhầm nhiệm vụ",
                "Đã gửi, chờ xem xét",
            ] {
                #expect(leaderPage.body.contains(text), "the assignment page lacks \(text)")
            }
            let audit = try await world.accountStore.auditLog(AuditFilter(limit: 50)).entries.map(\.action)
            #expect(audit.contains("report.withdraw") && audit.contains("review.reverse") && audit.contains("report.accept"))
            // The report waits in the queue again and can be decided anew.
            #expect((try await HTTP.get(monitor, "/plans/343-qd-tu/review")).body.contains("/reports/\(second.id)"))
        }
    }

    @Test("an extension approved by mistake is reversed: the old due date is back from that day, and the request waits")
    func extensionReversal() async throws {
        try await World.run(today: Self.date("2025-10-01")) { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            let monitor = world.client(client, as: .monitor)
            let path = "/plans/343-qd-tu/assignments/A.17.7"
            #expect(
                try await HTTP.post(
                    officer, path + "/extensions",
                    [("_csrf", "csrf-edu"), ("newDue", "31/12/2025"), ("reason", "Chờ nhà cung cấp")]
                ).status == .found)
            let snapshot = try #require(try await world.views.snapshots.snapshot(slug: "343-qd-tu"))
            let assignment = snapshot.assignments[try #require(snapshot.index["A.17.7"])]
            let request = try #require(try await world.progress.assignmentLog(assignment.id).extensions.first)
            world.move(to: Self.date("2025-10-02"))
            #expect(
                try await HTTP.post(
                    monitor, "/extensions/\(request.id)/decision",
                    [("_csrf", "csrf-monitor"), ("approve", "1"), ("reason", ""), ("confirm", "yes")]
                ).status == .found)
            world.move(to: Self.date("2025-10-05"))
            let page = try await HTTP.get(monitor, path)
            #expect(page.body.contains("action=\"/extensions/\(request.id)/reverse\""))
            let asking = try await HTTP.post(
                monitor, "/extensions/\(request.id)/reverse", [("_csrf", "csrf-monitor"), ("reason", "Đồng ý nhầm")])
            #expect(asking.body.contains("Từ hôm nay hạn trở lại 31/10/2025"))
            #expect(try await HTTP.confirm(monitor, asking.body).status == .found)
            let after = try #require(try await world.views.snapshots.snapshot(slug: "343-qd-tu"))
            let position = try #require(after.index["A.17.7"])
            #expect(after.status(at: position, asOf: Self.date("2025-10-04")).effectiveDue == Self.date("2025-12-31"))
            #expect(after.status(at: position, asOf: Self.date("2025-10-05")).effectiveDue == Self.date("2025-10-31"))
            let log = try await world.progress.assignmentLog(assignment.id)
            #expect(log.extensions.map(\.state) == [.approved, .pending])
            let shown = try await HTTP.get(world.client(client, as: .leader), path)
            #expect(shown.body.contains("Đề nghị gia hạn đang chờ quyết định"))
            #expect(shown.body.contains("Hủy quyết định đồng ý gia hạn đến 31/12/2025"))
        }
    }

    @Test("the API withdraws and reverses with the same rules, answering the described shapes")
    func api() async throws {
        try await World.run(today: Self.date("2025-09-20")) { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            try await Self.send(officer, education)
            let report = try #require(try await DeliberateActsTests.log(world).reports.first)
            let officerToken = try await world.accounts.createAPIToken(for: education.user, label: "t", by: .system).token
            let monitorToken = try await world.accounts.createAPIToken(
                for: try #require(world.session(.monitor)).user, label: "t", by: .system
            ).token
            let refused = try await HTTP.json(client, .post, "/api/v1/reports/\(report.id)/withdraw", "{}", token: monitorToken)
            #expect(refused.status == .forbidden)
            let withdrawn = try await HTTP.json(
                client, .post, "/api/v1/reports/\(report.id)/withdraw", #"{"reason": "Nhầm"}"#, token: officerToken)
            #expect(withdrawn.status == .ok)
            let object = try JSONSerialization.jsonObject(with: Data(withdrawn.body.utf8)) as? [String: Any]
            #expect(object?["state"] as? String == "withdrawn")
            #expect((object?["withdrawal"] as? [String: Any])?["reason"] as? String == "Nhầm")
            let twice = try await HTTP.json(client, .post, "/api/v1/reports/\(report.id)/withdraw", "", token: officerToken)
            #expect(twice.status == .conflict)
            let noReview = try await HTTP.json(
                client, .post, "/api/v1/reviews/999/reverse", #"{"reason": "x"}"#, token: monitorToken)
            #expect(noReview.status == .notFound)
        }
    }
}
