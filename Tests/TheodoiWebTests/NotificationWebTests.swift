import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TheodoiCore
import TheodoiOperations
import TheodoiStore

/// Reminders reach people in the app: the bell counts what is unread, the list says what is due and
/// by when, opening one goes to the task and marks it read.
@Suite("Notification pages")
struct NotificationWebTests {
    @Test("after the pass on 29/09/2025 an officer sees the bell, the list, opens one, marks all read")
    func bell() async throws {
        try await World.run(today: LocalDate(iso: "2025-09-29")!) { world, client in
            let pass = ReminderPass(
                store: world.catalogue, users: world.accountStore.users, reminders: world.reminders,
                snapshots: world.views.snapshots)
            let outcome = try await pass.run(today: world.today, at: "2025-09-29T02:00:00Z")
            #expect(outcome.claimed > 0)
            // The officer of Sở Khoa học và Công nghệ.
            let officer = world.client(client, as: .officer)
            let user = try #require(world.session(.officer)).user
            let counts = try await world.reminders.counts(user.id)
            #expect(counts.unread > 0)
            let plan = try await HTTP.get(officer, "/plans/343-qd-tu")
            #expect(
                plan.body.contains(
                    "<a href=\"/notifications\" class=\"bell unread\" title=\"Thông báo nhắc việc\">Thông báo <span class=\"count\">\(counts.unread)</span></a>"
                ))
            let list = try await HTTP.get(officer, "/notifications")
            #expect(list.status == .ok)
            #expect(list.body.contains("<strong>\(counts.unread)</strong> thông báo chưa đọc"))
            #expect(list.body.contains("Nhiệm vụ A.12 còn 1 ngày đến hạn (30/09/2025)"))
            #expect(list.body.contains("Đề nghị cập nhật tiến độ và gửi báo cáo kết quả trước hạn."))
            let first = try #require(try await world.reminders.notifications(user.id, 1, 0).first)
            let opened = try await HTTP.post(officer, "/notifications/\(first.id)/open", [("_csrf", "csrf-officer")])
            #expect(opened.status == .found && opened.location == first.link)
            #expect(try await world.reminders.counts(user.id).unread == counts.unread - 1)
            // Another officer cannot open it; a form without its token is refused.
            let other = world.client(client, as: .otherOfficer)
            #expect(
                try await HTTP.post(other, "/notifications/\(first.id)/open", [("_csrf", "csrf-otherOfficer")]).status
                    == .notFound)
            #expect(try await HTTP.post(officer, "/notifications/read", []).status == .forbidden)
            let all = try await HTTP.post(officer, "/notifications/read", [("_csrf", "csrf-officer")])
            #expect(all.status == .found)
            #expect(try await world.reminders.counts(user.id).unread == 0)
            let after = try await HTTP.get(officer, "/plans/343-qd-tu")
            #expect(after.body.contains("<a href=\"/notifications\" class=\"bell\" title=\"Thông báo nhắc việc\">Thông báo</a>"))
            #expect(try await HTTP.get(client, "/notifications").status != .ok)
        }
    }
}

@Suite("E-mail choice and outbox pages")
struct OutboxWebTests {
    @Test("a user picks how e-mail comes; the office sees failed e-mails with their error and sends them again")
    func outbox() async throws {
        try await World.run(today: LocalDate(iso: "2025-09-29")!) { world, client in
            let officer = world.client(client, as: .officer)
            let user = try #require(world.session(.officer)).user
            let page = try await HTTP.get(officer, "/notifications")
            #expect(page.body.contains("<option value=\"immediate\" selected>Gửi thư ngay mỗi lần nhắc</option>"))
            let bad = try await HTTP.post(
                officer, "/notifications/preferences", [("_csrf", "csrf-officer"), ("emailMode", "weekly")])
            #expect(bad.status == .badRequest)
            let saved = try await HTTP.post(
                officer, "/notifications/preferences", [("_csrf", "csrf-officer"), ("emailMode", "digest")])
            #expect(saved.status == .found)
            #expect(try await world.outbox.emailModes()[user.id] == .digest)
            #expect(try await HTTP.get(officer, "/notifications?saved=1").body.contains("Đã lưu cách nhận thư nhắc việc."))

            // A message that could not be sent six times is failed, with its error, on the office's page.
            let pass = ReminderPass(
                store: world.catalogue, users: world.accountStore.users, reminders: world.reminders,
                snapshots: world.views.snapshots,
                outbound: ReminderPass.Outbound(
                    outbox: world.outbox, settings: MailSettings(from: "theodoi@localhost", publicURL: "http://localhost"),
                    mailer: nil))
            let outcome = try await pass.run(today: world.today, at: "2025-09-29T02:00:00Z")
            #expect(outcome.digestsQueued == 1)
            let leased = try await world.outbox.lease("2025-09-29T02:00:01Z", "2025-09-29T02:10:00Z", 10)
            let message = try #require(leased.first)
            try await world.outbox.finish(message.id, .failed(error: "msmtp: host 10.0.0.5 refused the connection"))
            #expect(try await HTTP.get(officer, "/admin/outbox").status == .forbidden)
            let monitor = world.client(client, as: .monitor)
            let list = try await HTTP.get(monitor, "/admin/outbox?state=failed")
            #expect(list.status == .ok)
            #expect(list.body.contains("Gửi không được (1)"))
            #expect(list.body.contains("msmtp: host 10.0.0.5 refused the connection"))
            #expect(list.body.contains("Tổng hợp nhắc việc ngày 29/09/2025"))
            let retried = try await HTTP.post(monitor, "/admin/outbox/\(message.id)/retry", [("_csrf", "csrf-monitor")])
            #expect(retried.status == .found)
            #expect(try await world.outbox.list(.failed, 10).isEmpty)
            #expect(
                try await HTTP.post(monitor, "/admin/outbox/\(message.id)/retry", [("_csrf", "csrf-monitor")]).status == .notFound
            )
        }
    }
}
