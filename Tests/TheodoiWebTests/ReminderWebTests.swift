import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import TheodoiCore
import TheodoiOperations
import TheodoiStore

/// The monitor edits a plan's reminder rules; the administrator lists holidays; both change what the
/// pass sends, and bad input changes nothing.
@Suite("Reminder rules and holidays pages")
struct ReminderWebTests {
    @Test("rules saved and checked; holidays added, refused, removed; only the right roles")
    func rulesAndHolidays() async throws {
        try await World.run(today: LocalDate(iso: "2025-09-29")!) { world, client in
            let monitor = world.client(client, as: .monitor)
            let page = try await HTTP.get(monitor, "/plans/343-qd-tu/reminders")
            #expect(page.status == .ok && page.body.contains("value=\"7, 1\""))
            let bad = try await HTTP.post(
                monitor, "/plans/343-qd-tu/reminders",
                [
                    ("_csrf", "csrf-monitor"), ("daysBefore", "10, x"), ("overdueEveryDays", "7"), ("quietDays", "400"),
                    ("recurringDaysBefore", "7"), ("reviewWaitWorkingDays", "3"), ("escalateAfterDays", "30"),
                ])
            #expect(bad.status == .unprocessableContent)
            #expect(
                bad.body.contains("Số ngày nhắc trước hạn “x” không phải số.")
                    && bad.body.contains("Số ngày im lặng phải từ 0 đến 365"))
            let plan = try #require(try await world.catalogue.plan("343-qd-tu"))
            #expect(try await world.reminders.settings(plan.id) == nil)
            let saved = try await HTTP.post(
                monitor, "/plans/343-qd-tu/reminders",
                [
                    ("_csrf", "csrf-monitor"), ("daysBefore", "10; 3"), ("onTheDay", "1"), ("overdueEveryDays", "14"),
                    ("quietDays", "0"), ("recurringDaysBefore", "5"), ("reviewWaitWorkingDays", "2"), ("escalateAfterDays", "45"),
                ])
            #expect(saved.status == .found)
            #expect(
                try await world.reminders.settings(plan.id)
                    == ReminderSettings(
                        daysBefore: [10, 3], onTheDay: true, overdueEveryDays: 14, quietDays: 0, recurringDaysBefore: 5,
                        returnedReport: false, reviewWaitWorkingDays: 2, escalateAfterDays: 45))
            // A webhook: a bad address and a short key are refused; a blank key keeps the saved one.
            let rules: [(String, String)] = [
                ("_csrf", "csrf-monitor"), ("daysBefore", "7, 1"), ("onTheDay", "1"), ("overdueEveryDays", "7"),
                ("quietDays", "30"),
                ("recurringDaysBefore", "7"), ("returnedReport", "1"), ("reviewWaitWorkingDays", "3"),
                ("escalateAfterDays", "30"),
            ]
            let badHook = try await HTTP.post(
                monitor, "/plans/343-qd-tu/reminders", rules + [("webhookURL", "chat.local/hook"), ("webhookSecret", "ngan")])
            #expect(badHook.status == .unprocessableContent)
            #expect(
                badHook.body.contains("Địa chỉ webhook phải bắt đầu bằng https://")
                    && badHook.body.contains("Khóa ký webhook cần ít nhất 16 ký tự."))
            let hook = try await HTTP.post(
                monitor, "/plans/343-qd-tu/reminders",
                rules + [("webhookURL", "https://chat.gialai.gov.vn/hook"), ("webhookSecret", "khoa-ky-rat-dai-0123")])
            #expect(hook.status == .found)
            let kept = try await HTTP.post(
                monitor, "/plans/343-qd-tu/reminders",
                rules + [("webhookURL", "https://chat.gialai.gov.vn/hook2"), ("webhookSecret", "")])
            #expect(kept.status == .found)
            let stored = try #require(try await world.reminders.settings(plan.id))
            #expect(stored.webhookURL == "https://chat.gialai.gov.vn/hook2" && stored.webhookSecret == "khoa-ky-rat-dai-0123")
            let shown = try await HTTP.get(monitor, "/plans/343-qd-tu/reminders")
            #expect(!shown.body.contains("khoa-ky-rat-dai-0123") && shown.body.contains("để trống để giữ khóa đã lưu"))
            for who in [Who.officer, .leader] {
                #expect(try await HTTP.get(world.client(client, as: who), "/plans/343-qd-tu/reminders").status == .forbidden)
            }
            // Holidays: the administrator only.
            let admin = world.client(client, as: .admin)
            #expect(try await HTTP.get(monitor, "/admin/holidays").status == .forbidden)
            let wrong = try await HTTP.post(
                admin, "/admin/holidays", [("_csrf", "csrf-admin"), ("day", "30/02/2026"), ("name", "")])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.body.contains("Ngày “30/02/2026” không đọc được") && wrong.body.contains("Cần ghi tên ngày nghỉ."))
            #expect(try await world.reminders.holidays().isEmpty)
            let added = try await HTTP.post(
                admin, "/admin/holidays", [("_csrf", "csrf-admin"), ("day", "02/09/2025"), ("name", "Quốc khánh")])
            #expect(added.status == .found)
            let list = try await HTTP.get(admin, "/admin/holidays")
            #expect(list.body.contains("<td>02/09/2025</td><td>Thứ Ba</td><td>Quốc khánh</td>"))
            let removed = try await HTTP.post(admin, "/admin/holidays/2025-09-02/remove", [("_csrf", "csrf-admin")])
            #expect(removed.status == .found)
            #expect(try await world.reminders.holidays().isEmpty)
            #expect(
                try await HTTP.post(admin, "/admin/holidays/2025-09-02/remove", [("_csrf", "csrf-admin")]).status == .notFound)
        }
    }
}

@Suite("Webhook over HTTP")
struct WebhookLiveTests {
    @Test("the live poster POSTs the JSON with its headers to a real server; a 500 is an error with the answer")
    func live() async throws {
        let received = Mutex<[(String, String?)]>([])
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            received.withLock { $0.append((String(buffer: body), request.headers[HTTPField.Name("X-Theodoi-Signature")!])) }
            return Response(status: .noContent)
        }
        router.post("/broken") { _, _ -> Response in
            Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "lỗi máy chủ")))
        }
        let app = Application(router: router)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let body = Array("{\"event\":\"reminder\",\"title\":\"Nhiệm vụ A.17.4\"}".utf8)
            try await WebhookPoster.live.post(
                "http://127.0.0.1:\(port)/hook", body,
                [("Content-Type", "application/json; charset=utf-8"), ("X-Theodoi-Signature", "sha256=abc")])
            #expect(received.withLock { $0.first?.0 } == String(decoding: body, as: UTF8.self))
            #expect(received.withLock { $0.first?.1 } == "sha256=abc")
            await #expect(throws: Mailer.Failure.self) {
                try await WebhookPoster.live.post("http://127.0.0.1:\(port)/broken", body, [])
            }
            do {
                try await WebhookPoster.live.post("http://127.0.0.1:\(port)/broken", body, [])
            } catch {
                #expect("\(error)".contains("HTTP 500") && "\(error)".contains("lỗi máy chủ"))
            }
        }
    }
}
