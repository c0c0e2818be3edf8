import Foundation
import Synchronization
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiStoreSQL

/// Reminder e-mail on every backend: queued with the claim, delivered once, the daily digest once a
/// day, failures retried with back-off and then kept visible as failed.
@Suite("Reminder e-mail")
struct ReminderEmailTests {
    static func date(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }
    static let settings = MailSettings(from: "theodoi@tinhuy.gialai.gov.vn", publicURL: "https://theodoi.gialai.gov.vn")

    /// A mailer that keeps what it was given, or fails while `failing` is set.
    final class Outbox: Sendable {
        let sent = Mutex<[(String, String)]>([])
        let failing = Mutex(false)

        var mailer: Mailer {
            Mailer { [self] bytes, recipient in
                if failing.withLock({ $0 }) { throw Mailer.Failure(description: "msmtp: cannot connect to 127.0.0.1:2525") }
                sent.withLock { $0.append((recipient, String(decoding: bytes, as: UTF8.self))) }
            }
        }
    }

    @Test("queued with the claim, sent once; a digest once a day; failures back off, then stay visible", arguments: Backends.all)
    func email(backend: String) async throws {
        try await Backends.withSQLStore(backend) { store in
            let users = try await ReminderPassTests.setUp(store)
            try await store.outbox.setEmailMode(users.science.id, .digest, .system)
            let mail = Outbox()
            let pass = ReminderPass(
                store: store.client, users: store.accounts.users, reminders: store.reminders,
                snapshots: PlanSnapshots(store: store.client, progress: store.progress),
                outbound: ReminderPass.Outbound(outbox: store.outbox, settings: Self.settings, mailer: mail.mailer))
            // 06:00 in Vietnam: the reminders and their e-mails go at once; the digest waits for 07:00.
            let first = try await pass.run(today: Self.date("2025-09-29"), at: "2025-09-28T23:00:00Z")
            let education = try await store.reminders.notifications(users.education.id, 500, 0)
            #expect(first.emailsQueued == education.count && first.digestsQueued == 0)
            #expect(first.delivery.sent == education.count)
            let sent = mail.sent.withLock { $0 }
            #expect(sent.allSatisfy { $0.0 == "canbo@sgddt.gov.vn" })
            let a174 = try #require(
                sent.first {
                    $0.1.contains("Subject: " + MailFormat.encodedWords("Nhiệm vụ A.17.4 còn 1 ngày đến hạn (30/09/2025)"))
                })
            #expect(a174.1.contains("Content-Type: text/plain; charset=UTF-8"))
            let body = try #require(Self.decodedBody(a174.1))
            #expect(body.contains("Mở trên hệ thống: https://theodoi.gialai.gov.vn/plans/343-qd-tu/assignments/A.17.4"))
            // 08:00: the digest of Sở KH&CN's reminders, once; a second pass sends nothing more.
            let second = try await pass.run(today: Self.date("2025-09-29"), at: "2025-09-29T01:00:00Z")
            #expect(second.claimed == 0 && second.digestsQueued == 1 && second.delivery.sent == 1)
            let digest = try #require(mail.sent.withLock { $0.last })
            #expect(digest.0 == "canbo@skhcn.gov.vn")
            let science = try await store.reminders.notifications(users.science.id, 500, 0)
            #expect(
                try #require(Self.decodedBody(digest.1)).hasPrefix("Tổng hợp \(science.count) nhắc việc đến ngày 29/09/2025:"))
            let third = try await pass.run(today: Self.date("2025-09-29"), at: "2025-09-29T02:00:00Z")
            #expect(third.digestsQueued == 0 && third.delivery.sent == 0)
            #expect(mail.sent.withLock { $0.count } == education.count + 1)

            // The next day the mail system is down: the e-mail waits, with the error, and backs off.
            mail.failing.withLock { $0 = true }
            let down = try await pass.run(today: Self.date("2025-09-30"), at: "2025-09-30T01:00:00Z")
            // Its e-mails and Sở KH&CN's digest of the day.
            let queued = down.emailsQueued + down.digestsQueued
            #expect(down.emailsQueued > 0 && down.digestsQueued == 1)
            #expect(down.delivery.retrying == queued && down.delivery.sent == 0)
            let waiting = try await store.outbox.list(.pending, 100)
            #expect(waiting.count == queued)
            #expect(waiting.allSatisfy { $0.lastError == "msmtp: cannot connect to 127.0.0.1:2525" && $0.attempts == 1 })
            #expect(waiting.allSatisfy { $0.nextAttemptAt == "2025-09-30T01:01:00Z" })
            // Too early for the next attempt: nothing leased.
            #expect(try await store.outbox.lease("2025-09-30T01:00:30Z", "2025-09-30T01:10:30Z", 10).isEmpty)
            // Six failed attempts in all, each after its back-off, and it is marked failed.
            var now = try #require(try? Date("2025-09-30T01:00:00Z", strategy: .iso8601))
            let delivery = OutboxDelivery(outbox: store.outbox, mailer: mail.mailer, settings: Self.settings)
            for wait in OutboxDelivery.backoff {
                now = now.addingTimeInterval(wait)
                _ = try await delivery.deliver(now: now)
            }
            let failed = try await store.outbox.list(.failed, 100)
            #expect(failed.count == queued && failed.allSatisfy { $0.attempts == 6 })
            // Someone retries one once the mail system is back: it goes.
            mail.failing.withLock { $0 = false }
            let one = try #require(failed.first)
            #expect(try await store.outbox.retry(one.id, now.ISO8601Format(), .system))
            #expect(try await !store.outbox.retry(one.id, now.ISO8601Format(), .system))
            #expect(try await delivery.deliver(now: now.addingTimeInterval(1)).sent == 1)
            #expect(try await store.outbox.list(.failed, 100).count == failed.count - 1)
        }
    }

    @Test("two deliveries at once send each message once", arguments: Backends.all)
    func concurrentDelivery(backend: String) async throws {
        try await Backends.withSQLStore(backend) { store in
            _ = try await ReminderPassTests.setUp(store)
            let mail = Outbox()
            let queueOnly = ReminderPass(
                store: store.client, users: store.accounts.users, reminders: store.reminders,
                snapshots: PlanSnapshots(store: store.client, progress: store.progress),
                outbound: ReminderPass.Outbound(outbox: store.outbox, settings: Self.settings, mailer: nil))
            let queued = try await queueOnly.run(today: Self.date("2025-09-29"), at: "2025-09-29T01:00:00Z").emailsQueued
            #expect(queued > 0)
            let delivery = OutboxDelivery(outbox: store.outbox, mailer: mail.mailer, settings: Self.settings)
            let now = try #require(try? Date("2025-09-29T01:00:01Z", strategy: .iso8601))
            let sent = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 { group.addTask { try await delivery.deliver(now: now, limit: 3).sent } }
                var total = 0
                while let next = try await group.next() { total += next }
                return total
            }
            let rest = try await delivery.deliver(now: now).sent
            #expect(sent + rest == queued)
            #expect(mail.sent.withLock { $0.count } == queued)
            let ids = mail.sent.withLock { $0.compactMap { $0.1.firstMatch(of: /Message-ID: <outbox-(\d+)\./)?.output.1 } }
            #expect(Set(ids).count == queued)
        }
    }

    @Test("a slow mailer: a second pass 320 s later sends nothing the first still holds", arguments: Backends.all)
    func slowMailer(backend: String) async throws {
        try await Backends.withSQLStore(backend) { store in
            _ = try await ReminderPassTests.setUp(store)
            let queueOnly = ReminderPass(
                store: store.client, users: store.accounts.users, reminders: store.reminders,
                snapshots: PlanSnapshots(store: store.client, progress: store.progress),
                outbound: ReminderPass.Outbound(outbox: store.outbox, settings: Self.settings, mailer: nil))
            let queued = try await queueOnly.run(today: Self.date("2025-09-29"), at: "2025-09-29T01:00:00Z").emailsQueued
            #expect(queued >= 3)
            let start = try #require(try? Date("2025-09-29T01:00:01Z", strategy: .iso8601))
            // Each hand-over takes 6 s on the first pass's clock; a second pass starts 320 s after the
            // first, while the first is still sending, and runs to the end before the first goes on.
            let clock = Mutex(start)
            let mail = Outbox()
            let second = OutboxDelivery(outbox: store.outbox, mailer: mail.mailer, settings: Self.settings, clock: { start })
            let secondSent = Mutex(0)
            let slow = Mailer { bytes, recipient in
                let now = clock.withLock { time in
                    time = time.addingTimeInterval(6)
                    return time
                }
                mail.sent.withLock { $0.append((recipient, String(decoding: bytes, as: UTF8.self))) }
                if now.timeIntervalSince(start) >= 320, secondSent.withLock({ $0 }) == 0 {
                    let sent = try await second.deliver(now: start.addingTimeInterval(320)).sent
                    secondSent.withLock { $0 = max(1, sent) }
                }
            }
            let first = OutboxDelivery(
                outbox: store.outbox, mailer: slow, settings: Self.settings, clock: { clock.withLock { $0 } })
            // More messages than 320 s of hand-overs, so the second pass starts while the first holds some.
            let many = max(queued, 60)
            for index in queued..<many {
                _ = try await store.outbox.queueDigest(
                    "slow:\(index)",
                    OutboxMessage(userID: nil, to: "thu\(index)@gialai.gov.vn", subject: "Nhắc việc \(index)", body: "Nội dung"),
                    [], "2025-09-29T01:00:00Z")
            }
            let firstSent = try await first.deliver(now: start).sent
            let ids = mail.sent.withLock { $0.compactMap { $0.1.firstMatch(of: /Message-ID: <outbox-(\d+)\./)?.output.1 } }
            #expect(ids.count == Set(ids).count, "a message went twice: \(ids.count) sends of \(Set(ids).count) messages")
            #expect(firstSent + (secondSent.withLock { $0 }) >= many - 1)
        }
    }

    @Test("a plan's webhook gets each reminder once as signed JSON; a failing receiver is retried", arguments: Backends.all)
    func webhook(backend: String) async throws {
        try await Backends.withSQLStore(backend) { store in
            let users = try await ReminderPassTests.setUp(store)
            let plan = try #require(try await store.client.plan("343-qd-tu"))
            let secret = "khoa-bi-mat-0123456789"
            try await store.reminders.saveSettings(
                plan.id, ReminderSettings(webhookURL: "https://chat.gialai.gov.vn/hooks/theodoi", webhookSecret: secret), .system)
            let received = Mutex<[(String, String, [String: String])]>([])
            let down = Mutex(true)
            let poster = WebhookPoster { url, body, headers in
                if down.withLock({ $0 }) { throw Mailer.Failure(description: "HTTP 503 from \(url): bảo trì") }
                received.withLock {
                    $0.append((url, String(decoding: body, as: UTF8.self), Dictionary(headers, uniquingKeysWith: { a, _ in a })))
                }
            }
            let pass = ReminderPass(
                store: store.client, users: store.accounts.users, reminders: store.reminders,
                snapshots: PlanSnapshots(store: store.client, progress: store.progress),
                outbound: ReminderPass.Outbound(
                    outbox: store.outbox, settings: Self.settings, mailer: nil, sendsEmail: false, webhook: poster))
            let first = try await pass.run(today: Self.date("2025-09-29"), at: "2025-09-29T01:00:00Z")
            #expect(first.emailsQueued == 0 && first.delivery.retrying == first.claimed)
            #expect(
                try await store.outbox.list(.pending, 500).allSatisfy {
                    $0.lastError == "HTTP 503 from https://chat.gialai.gov.vn/hooks/theodoi: bảo trì"
                })
            down.withLock { $0 = false }
            let later = try #require(try? Date("2025-09-29T01:01:00Z", strategy: .iso8601))
            let delivered = try await OutboxDelivery(outbox: store.outbox, mailer: nil, webhook: poster, settings: Self.settings)
                .deliver(now: later)
            #expect(delivered.sent == first.claimed)
            let all = received.withLock { $0 }
            #expect(all.count == first.claimed)
            let a174 = try #require(all.first { $0.1.contains("\"assignment\":\"A.17.4\"") })
            #expect(a174.0 == "https://chat.gialai.gov.vn/hooks/theodoi")
            #expect(
                a174.2["X-Theodoi-Signature"] == "sha256=" + SHA256.hmacHex(key: Array(secret.utf8), message: Array(a174.1.utf8)))
            #expect(a174.2["Content-Type"] == "application/json; charset=utf-8")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(a174.1.utf8)) as? [String: Any])
            #expect(json["title"] as? String == "Nhiệm vụ A.17.4 còn 1 ngày đến hạn (30/09/2025)")
            #expect(json["link"] as? String == "https://theodoi.gialai.gov.vn/plans/343-qd-tu/assignments/A.17.4")
            #expect(json["kind"] as? String == "due-soon" && json["dueOn"] as? String == "2025-09-30")
            // The audit log keeps the URL, never the secret.
            let audit = try await store.accounts.auditLog(AuditFilter(action: "reminder.settings"))
            #expect(audit.entries.count == 1)
            #expect(!(audit.entries.first.map { "\($0)" } ?? "").contains(secret))
            _ = users
        }
    }

    /// The base64 body of a message, decoded.
    static func decodedBody(_ message: String) -> String? {
        guard let range = message.range(of: "\r\n\r\n") else { return nil }
        let encoded = message[range.upperBound...].replacingOccurrences(of: "\r\n", with: "")
        return Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) }
    }
}

extension ReminderEmailTests {
    @Test(
        "retention: sent messages past the limit, expired sessions and old sign-in failures go; the rest stays",
        arguments: Backends.all)
    func retention(backend: String) async throws {
        // The store's clock: 1 December 2025, moved to the 20th before the pass.
        let clock = Mutex(Date(timeIntervalSince1970: 1_764_547_200))
        let now: @Sendable () -> Date = { clock.withLock { $0 } }
        try await Backends.withSQLStore(backend, now: now) { store in
            _ = try await ReminderPassTests.setUp(store)
            let old = "2025-08-01T00:00:00Z"
            let recent = "2025-11-30T00:00:00Z"
            for (index, at) in [old, old, recent].enumerated() {
                _ = try await store.outbox.queueDigest(
                    "keep:\(index)", OutboxMessage(userID: nil, to: "a\(index)@gialai.gov.vn", subject: "S", body: "B"), [], at)
            }
            _ = try await store.outbox.queueDigest(
                "failed", OutboxMessage(userID: nil, to: "f@gialai.gov.vn", subject: "S", body: "B"), [], old)
            let queued = try await store.outbox.list(nil, 100).sorted { $0.id < $1.id }
            for (message, at) in zip(queued.suffix(4).prefix(3), [old, old, recent]) {
                try await store.outbox.finish(message.id, .sent(at: at))
            }
            try await store.outbox.finish(queued.last!.id, .failed(error: "hỏng"))
            let user = try #require(try await store.accounts.users().first)
            try await store.accounts.createSession("live", user, "c", "2026-01-01T00:00:00Z", .commandLine)
            try await store.accounts.createSession("ends", user, "c", "2025-12-15T00:00:00Z", .commandLine)
            clock.withLock { $0 = $0.addingTimeInterval(19 * 86_400) }
            let pruned = try await store.prune(sentDays: 90)
            #expect(pruned.sentMessages == 2)
            #expect(pruned.expiredSessions == 1)
            let left = try await store.outbox.list(nil, 100)
            #expect(left.count == queued.count - 2)
            #expect(left.contains { $0.id == queued.last!.id && $0.state == .failed })
            #expect(try await store.accounts.session("live", "2025-12-20T00:00:00Z") != nil)
            #expect(try await store.prune(sentDays: 90) == SQLStore.Pruned())
        }
    }
}
