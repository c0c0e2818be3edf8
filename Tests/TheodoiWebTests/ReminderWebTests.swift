import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
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
