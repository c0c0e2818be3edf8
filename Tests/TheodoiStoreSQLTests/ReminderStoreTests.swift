import Foundation
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiStore
import TheodoiStoreSQL

/// Reminder claims and notifications on every backend: a key is claimed once however many passes
/// race for it, and only the winner writes notifications.
@Suite("Reminder store")
struct ReminderStoreTests {
    static func date(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }
    static let admin = AuditActor(userID: nil, label: "admin", address: "local", name: "Quản trị")

    @Test("claims once under a race; notifications per recipient; read marks; settings and holidays", arguments: Backends.all)
    func claims(backend: String) async throws {
        try await Backends.withSQLStore(backend) { store in
            let (ref, agency) = try await ProgressStoreTests.setUp(store)
            let reminders = store.reminders
            var users: [UserRecord] = []
            for index in 1...2 {
                users.append(
                    try await store.accounts.createUser(
                        NewUser(
                            email: "canbo\(index)@sgddt.gov.vn", name: "Cán bộ \(index)", role: .officer, agencyID: agency,
                            passwordHash: "x", mustChangePassword: false), .system))
            }
            let claim = ReminderClaim(
                key: "due-soon:A.17.1:2025-08-31:7", planID: ref.planID, assignmentID: ref.id, kind: .dueSoon,
                sendOn: Self.date("2025-08-22"), recipients: users.map(\.id), title: "Nhiệm vụ A.17.1 sắp đến hạn",
                body: "Còn 7 ngày", link: "/plans/343-qd-tu/assignments/A.17.1")
            // Eight passes race for the same key: exactly one wins.
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 { group.addTask { try await reminders.claim(claim, "2025-08-22T02:00:00Z") } }
                var wins = 0
                for try await won in group where won { wins += 1 }
                return wins
            }
            #expect(wins == 1)
            #expect(try await reminders.claimedKeys(ref.planID) == [claim.key])
            for user in users {
                let list = try await reminders.notifications(user.id, 10, 0)
                #expect(list.map(\.title) == ["Nhiệm vụ A.17.1 sắp đến hạn"])
                #expect(list.first?.readAt == nil && list.first?.link == "/plans/343-qd-tu/assignments/A.17.1")
            }
            var second = claim
            second.key = "due-soon:A.17.1:2025-08-31:1"
            second.title = "Nhiệm vụ A.17.1 đến hạn ngày mai"
            #expect(try await reminders.claim(second, "2025-08-29T02:00:00Z"))
            #expect(try await reminders.counts(users[0].id) == (unread: 2, total: 2))
            let newest = try #require(try await reminders.notifications(users[0].id, 1, 0).first)
            #expect(newest.title == "Nhiệm vụ A.17.1 đến hạn ngày mai")
            #expect(try await reminders.markRead(users[0].id, [newest.id], "2025-08-29T03:00:00Z") == 1)
            // Another user's notification cannot be marked by this one.
            let others = try await reminders.notifications(users[1].id, 10, 0).map(\.id)
            #expect(try await reminders.markRead(users[0].id, others, "2025-08-29T03:00:00Z") == 0)
            #expect(try await reminders.counts(users[0].id) == (unread: 1, total: 2))
            #expect(try await reminders.unread(users[0].id) == 1)
            #expect(try await reminders.notification(users[0].id, newest.id)?.title == newest.title)
            #expect(try await reminders.notification(users[1].id, newest.id) == nil)
            #expect(try await reminders.markRead(users[0].id, nil, "2025-08-29T03:00:00Z") == 1)
            #expect(try await reminders.counts(users[0].id) == (unread: 0, total: 2))
            #expect(try await reminders.counts(users[1].id) == (unread: 2, total: 2))

            // Settings and holidays, audited.
            #expect(try await reminders.settings(ref.planID) == nil)
            let settings = ReminderSettings(daysBefore: [10, 3], quietDays: 45)
            try await reminders.saveSettings(ref.planID, settings, Self.admin)
            #expect(try await reminders.settings(ref.planID) == settings)
            try await reminders.saveHoliday(Holiday(day: Self.date("2025-09-02"), name: "Quốc khánh"), Self.admin)
            try await reminders.saveHoliday(Holiday(day: Self.date("2025-09-01"), name: "Nghỉ lễ Quốc khánh"), Self.admin)
            try await reminders.saveHoliday(Holiday(day: Self.date("2025-09-02"), name: "Quốc khánh 2/9"), Self.admin)
            #expect(try await reminders.holidays().map(\.name) == ["Nghỉ lễ Quốc khánh", "Quốc khánh 2/9"])
            #expect(try await reminders.removeHoliday(Self.date("2025-09-01"), Self.admin))
            #expect(try await !reminders.removeHoliday(Self.date("2025-09-01"), Self.admin))
            let audit = try await store.accounts.auditLog(AuditFilter(action: "holiday."))
            #expect(audit.entries.count == 4)
        }
    }
}
