import Foundation
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiStoreSQL

/// The reminder pass on every backend, on the day before 30/09/2025 deadlines of 343-QĐ/TU: the
/// right agencies are told, once, however many passes run at once; a pass that dies midway is
/// finished by the next one without sending anything twice.
@Suite("Reminder pass")
struct ReminderPassTests {
    static func date(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

    struct Crash: Error {}

    static func setUp(_ store: SQLStore) async throws -> (education: UserRecord, science: UserRecord, monitor: UserRecord) {
        _ = try await Backends.importSeed(store.client)
        let agencies = try await store.client.agencies()
        func user(_ email: String, _ role: Role, _ agency: String?) async throws -> UserRecord {
            try await store.accounts.createUser(
                NewUser(
                    email: email, name: email, role: role,
                    agencyID: agency.flatMap { name in agencies.first { $0.name == name }?.id },
                    passwordHash: "x", mustChangePassword: false), .system)
        }
        return (
            try await user("canbo@sgddt.gov.vn", .officer, "Sở Giáo dục và Đào tạo"),
            try await user("canbo@skhcn.gov.vn", .officer, "Sở Khoa học và Công nghệ"),
            try await user("vanphong@tinhuy.gov.vn", .monitor, nil)
        )
    }

    static func pass(_ store: SQLStore, reminders: ReminderStore? = nil) -> ReminderPass {
        ReminderPass(
            store: store.client, users: store.accounts.users, reminders: reminders ?? store.reminders,
            snapshots: PlanSnapshots(store: store.client, progress: store.progress))
    }

    @Test("the day before a deadline: the lead agencies are told once, whatever runs at once", arguments: Backends.all)
    func once(backend: String) async throws {
        try await Backends.withSQLStore(backend) { store in
            let users = try await Self.setUp(store)
            let today = Self.date("2025-09-29")
            // Four passes at once (as cron, serve and two instances would).
            let outcomes = try await withThrowingTaskGroup(of: ReminderPass.Outcome.self) { group in
                for _ in 0..<4 { group.addTask { try await Self.pass(store).run(today: today, at: "2025-09-29T01:00:00Z") } }
                var all: [ReminderPass.Outcome] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            let claimed = outcomes.map(\.claimed).reduce(0, +)
            #expect(claimed > 0)
            #expect(outcomes.allSatisfy { $0.due == outcomes[0].due })
            let education = try await store.reminders.notifications(users.education.id, 500, 0)
            let science = try await store.reminders.notifications(users.science.id, 500, 0)
            #expect(education.count + science.count == claimed)
            // Each reminder once: no title twice.
            #expect(Set(education.map(\.title)).count == education.count)
            // Sở GD&ĐT's A.17.4 (due 30/09) is due tomorrow; its A.17.2 (due 31/08) is 4 weeks overdue.
            #expect(education.contains { $0.title == "Nhiệm vụ A.17.4 còn 1 ngày đến hạn (30/09/2025)" })
            #expect(education.contains { $0.title == "Nhiệm vụ A.17.2 đã quá hạn 29 ngày (hạn 31/08/2025)" })
            let a174 = try #require(education.first { $0.title.hasPrefix("Nhiệm vụ A.17.4 ") })
            #expect(a174.link == "/plans/343-qd-tu/assignments/A.17.4")
            #expect(a174.body.contains("Hạn hoàn thành: 30/09/2025") && a174.body.contains("Sở Giáo dục và Đào tạo"))
            // Sở KH&CN hears only of its own tasks; the office has nothing waiting.
            #expect(!science.contains { $0.title.hasPrefix("Nhiệm vụ A.17.") })
            #expect(science.contains { $0.title.hasPrefix("Nhiệm vụ A.12 ") })
            #expect(try await store.reminders.counts(users.monitor.id).total == 0)
            // Again, the same day: nothing new. The next day: only what the next day owes.
            #expect(try await Self.pass(store).run(today: today, at: "2025-09-29T02:00:00Z").claimed == 0)
            let next = try await Self.pass(store).run(today: Self.date("2025-09-30"), at: "2025-09-30T01:00:00Z")
            #expect(next.byKind.keys.sorted { $0.rawValue < $1.rawValue } == [.dueToday])
        }
    }

    @Test("a pass that dies midway is finished by the next one, nothing twice", arguments: Backends.all)
    func crash(backend: String) async throws {
        try await Backends.withSQLStore(backend) { store in
            let users = try await Self.setUp(store)
            let today = Self.date("2025-09-29")
            // The reference: everything due that day, on a separate clean count.
            var failing = store.reminders
            let live = store.reminders
            let budget = Counter()
            failing.claim = { claim, at in
                guard await budget.take() else { throw Crash() }
                return try await live.claim(claim, at)
            }
            await #expect(throws: Crash.self) {
                _ = try await Self.pass(store, reminders: failing).run(today: today, at: "2025-09-29T01:00:00Z")
            }
            let before =
                try await store.reminders.counts(users.education.id).total
                + (try await store.reminders.counts(users.science.id).total)
            #expect(before == 3)
            let rest = try await Self.pass(store).run(today: today, at: "2025-09-29T01:05:00Z")
            let after =
                try await store.reminders.counts(users.education.id).total
                + (try await store.reminders.counts(users.science.id).total)
            #expect(rest.claimed > 0 && after == before + rest.claimed)
            let titles = try await store.reminders.notifications(users.education.id, 500, 0).map(\.title)
            #expect(Set(titles).count == titles.count)
            #expect(try await Self.pass(store).run(today: today, at: "2025-09-29T01:10:00Z").claimed == 0)
        }
    }

    /// Lets three claims through, then fails.
    actor Counter {
        var left = 3
        func take() -> Bool {
            guard left > 0 else { return false }
            left -= 1
            return true
        }
    }
}
