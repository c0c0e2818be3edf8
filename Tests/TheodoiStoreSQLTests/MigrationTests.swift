import Foundation
import Logging
import SQLKit
import ServiceLifecycle
import Testing
import TheodoiStore

@testable import TheodoiStoreSQL

/// Upgrades as a province does them: several servers started at once on one empty database, and a
/// database that a newer theodoi has already migrated.
@Suite("Migrations", .serialized)
struct MigrationTests {
    /// Four stores opened on one new database (an SQLite file, or a PostgreSQL schema); the body runs
    /// with them, their services running.
    static func withStores(_ backend: String, count: Int = 4, _ body: ([SQLStore]) async throws -> Void) async throws {
        let (location, folder) = try Backends.location(backend)
        defer { if let folder { try? FileManager.default.removeItem(at: folder) } }
        var stores: [SQLStore] = []
        for _ in 0..<count { stores.append(try await SQLStore.open(location, logger: Logger(label: "test"))) }
        let services = stores.compactMap(\.service)
        let running = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for service in services { group.addTask { try await service.run() } }
                try await group.waitForAll()
            }
        }
        defer { running.cancel() }
        do {
            try await body(stores)
        } catch {
            for store in stores { await store.shutdown() }
            throw error
        }
        for store in stores { await store.shutdown() }
    }

    // On PostgreSQL in one process; on an SQLite file with four programs (`ServeCommandTests`): in
    // one process the stores would share SQLite's small thread pool, each waiter holding a thread.
    @Test(
        "servers starting at once on one empty database apply each migration once, and none fails",
        arguments: Backends.all.filter { $0 == "postgres" })
    func together(backend: String) async throws {
        try await Self.withStores(backend) { stores in
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for store in stores { group.addTask { try await store.client.migrate() } }
                    try await group.waitForAll()
                }
            } catch {
                // PostgreSQL's errors say nothing unless reflected.
                Issue.record("\(String(reflecting: error))")
                return
            }
            let versions = try await stores[0].sessions.withSession { database in
                try await database.raw("SELECT version FROM schema_migrations ORDER BY version").all().map {
                    try $0.decode(column: "version", as: Int.self)
                }
            }
            #expect(versions == Migrations.all.map(\.version))
            // Each of them works with what the others made.
            _ = try await Backends.importSeed(stores[1].client)
            #expect(try await stores[3].client.plans().map(\.number) == ["343-QĐ/TU"])
        }
    }

    @Test("a database a newer theodoi migrated is refused with what to do, and left as it was", arguments: Backends.all)
    func newerDatabase(backend: String) async throws {
        try await Self.withStores(backend, count: 1) { stores in
            let store = stores[0]
            try await store.client.migrate()
            let newer = (Migrations.all.map(\.version).max() ?? 0) + 1
            try await store.sessions.withSession { database in
                try await database.raw(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: newer), 'from the future', 'x')"
                ).run()
            }
            do {
                try await store.client.migrate()
                Issue.record("migrated a database newer than the program")
            } catch let error as NewerSchema {
                #expect(error.database == newer)
                #expect(error.description.contains("phiên bản theodoi mới hơn"))
                #expect(error.description.contains("số \(newer)"))
            }
            let count = try await store.sessions.withSession { database in
                try await database.raw("SELECT COUNT(*) AS n FROM schema_migrations").first()?.decode(column: "n", as: Int.self)
            }
            #expect(count == Migrations.all.count + 1)
        }
    }
}
