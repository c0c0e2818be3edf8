import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TheodoiCore
import TheodoiOperations
import TheodoiStore

/// Issue 16, item 4: events reach the people concerned at once; leaders get one digest; the
/// office sees what waits; notices list what asks for action first.
@Suite("Notices that matter")
struct NoticeWebTests {
    static func date(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

    @Test("a report sent, returned, an extension decided: each is told at once, without a reminder pass")
    func atOnce() async throws {
        try await World.run(today: Self.date("2025-09-20")) { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            let monitor = world.client(client, as: .monitor)
            #expect(try await HTTP.get(monitor, "/plans").body.contains("Chờ xử lý (0)"))
            try await CorrectionWebTests.send(officer, education)
            let waiting = try await HTTP.get(monitor, "/notifications")
            #expect(waiting.body.contains("Báo cáo nhiệm vụ A.17.1 chờ xem xét"))
            #expect(try await HTTP.get(monitor, "/plans").body.contains("Chờ xử lý (1)"))
            let report = try #require(try await DeliberateActsTests.log(world).reports.first)
            #expect(
                try await HTTP.post(
                    monitor, "/reports/\(report.id)/review",
                    [("_csrf", "csrf-monitor"), ("decision", "return"), ("reason", "Thiếu bản ký"), ("confirm", "yes")]
                ).status == .found)
            #expect(try await HTTP.get(officer, "/notifications").body.contains("Báo cáo nhiệm vụ A.17.1 bị trả lại"))
            #expect(try await HTTP.get(monitor, "/plans").body.contains("Chờ xử lý (0)"))

            #expect(
                try await HTTP.post(
                    officer, "/plans/343-qd-tu/assignments/A.17.7/extensions",
                    [("_csrf", "csrf-edu"), ("newDue", "31/12/2025"), ("reason", "Chờ nhà cung cấp")]
                ).status == .found)
            #expect(try await HTTP.get(monitor, "/plans").body.contains("Chờ xử lý (1)"))
            let snapshot = try #require(try await world.views.snapshots.snapshot(slug: "343-qd-tu"))
            let a177 = snapshot.assignments[try #require(snapshot.index["A.17.7"])]
            let request = try #require(try await world.progress.assignmentLog(a177.id).extensions.first)
            #expect(
                try await HTTP.post(
                    monitor, "/extensions/\(request.id)/decision",
                    [("_csrf", "csrf-monitor"), ("approve", "1"), ("reason", ""), ("confirm", "yes")]
                ).status == .found)
            let told = try await HTTP.get(officer, "/notifications").body
            #expect(told.contains("Nhiệm vụ A.17.7: thời hạn mới 31/12/2025"))
            // What asks for action (the return) comes before what informs (the decision).
            let returned = try #require(told.range(of: "bị trả lại"))
            let decided = try #require(told.range(of: "thời hạn mới 31/12/2025"))
            #expect(returned.lowerBound < decided.lowerBound)
        }
    }

    @Test("an extension request reaches the office at once; a reversed decision reaches the agency, and a second return is told")
    func requestsAndReversals() async throws {
        try await World.run(today: Self.date("2025-09-20")) { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            let monitor = world.client(client, as: .monitor)
            #expect(
                try await HTTP.post(
                    officer, "/plans/343-qd-tu/assignments/A.17.7/extensions",
                    [("_csrf", "csrf-edu"), ("newDue", "31/12/2025"), ("reason", "Chờ nhà cung cấp")]
                ).status == .found)
            let asked = try await HTTP.get(monitor, "/notifications").body
            #expect(asked.contains("Nhiệm vụ A.17.7: đề nghị gia hạn đến 31/12/2025"))
            #expect(asked.contains("Sở Giáo dục và Đào tạo đề nghị gia hạn"))

            // A return, reversed, then made again: the agency hears of the reversal and of the second return.
            try await CorrectionWebTests.send(officer, education)
            let report = try #require(try await DeliberateActsTests.log(world).reports.first)
            let decide = [("_csrf", "csrf-monitor"), ("decision", "return"), ("reason", "Thiếu bản ký"), ("confirm", "yes")]
            #expect(try await HTTP.post(monitor, "/reports/\(report.id)/review", decide).status == .found)
            let review = try #require(try await DeliberateActsTests.log(world).reviews.first)
            world.move(to: Self.date("2025-09-22"))
            #expect(
                try await HTTP.post(
                    monitor, "/reviews/\(review.id)/reverse",
                    [("_csrf", "csrf-monitor"), ("reason", "Trả nhầm"), ("confirm", "yes")]
                ).status == .found)
            let reversed = try await HTTP.get(officer, "/notifications").body
            #expect(reversed.contains("Nhiệm vụ A.17.1: cơ quan theo dõi hủy quyết định"))
            #expect(reversed.contains("hủy quyết định “trả lại báo cáo” ngày 20/09/2025"))
            world.move(to: Self.date("2025-09-23"))
            #expect(try await HTTP.post(monitor, "/reports/\(report.id)/review", decide).status == .found)
            let again = try await HTTP.get(officer, "/notifications").body
            #expect(again.components(separatedBy: "Báo cáo nhiệm vụ A.17.1 bị trả lại").count - 1 == 2)
        }
    }

    @Test("leaders get one digest per pass listing the long-overdue tasks by agency, with today's days overdue")
    func escalationDigest() async throws {
        try await World.run(today: Self.date("2026-01-15")) { world, client in
            let pass = ReminderPass(
                store: world.catalogue, users: world.accountStore.users, reminders: world.reminders,
                snapshots: world.views.snapshots)
            let outcome = try await pass.run(today: world.today, at: "2026-01-15T02:00:00Z")
            let escalated = outcome.byKind[.escalation] ?? 0
            #expect(escalated > 10)
            let leader = try #require(world.session(.leader))
            let notices = try await world.reminders.notifications(leader.user.id, 500, 0)
            #expect(notices.count == 1)
            let digest = try #require(notices.first)
            #expect(digest.title.hasPrefix("Quá hạn kéo dài: \(escalated) nhiệm vụ của "))
            #expect(digest.link == "/plans/343-qd-tu/lists/overdue")
            // The days are as of today, the number the overdue list shows today.
            let list = try await HTTP.get(world.client(client, as: .leader), "/plans/343-qd-tu/lists/overdue")
            let snapshot = try #require(try await world.views.snapshots.snapshot(slug: "343-qd-tu"))
            let statuses = snapshot.statuses(asOf: world.today)
            let position = try #require(
                snapshot.assignments.indices.first {
                    statuses[$0].timeliness == .openOverdue && snapshot.children[snapshot.assignments[$0].code] == nil
                })
            let code = snapshot.assignments[position].code
            let days = try #require(statuses[position].effectiveDue).days(to: world.today)
            #expect(digest.body.contains("\(code) quá hạn \(days) ngày"))
            #expect(list.body.contains(code))
            // A second pass the same day adds nothing.
            _ = try await pass.run(today: world.today, at: "2026-01-15T03:00:00Z")
            #expect(try await world.reminders.notifications(leader.user.id, 500, 0).count == 1)
        }
    }
}
