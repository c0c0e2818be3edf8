import Foundation
import Logging
import PostgresKit
import SQLiteKit
import ServiceLifecycle
import Testing
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiStoreSQL

/// The audit log is append-only and hash-chained: intact after many writes, and `verify` finds the
/// first entry someone edited or removed directly in the database.
@Suite("Audit chain")
struct AuditChainTests {
    /// The backends where a test can open its own connection to tamper: an SQLite file, and PostgreSQL when set.
    static var backends: [String] {
        var names = ["sqlite-file"]
        if ProcessInfo.processInfo.environment["THEODOI_TEST_POSTGRES_URL"] != nil { names.append("postgres") }
        return names
    }

    /// Runs `body` with the store and a function that runs raw SQL on the same database, outside the store.
    static func withTamperableStore(
        _ backend: String, _ body: (AccountStore, StoreClient, @escaping (String) async throws -> Void) async throws -> Void
    ) async throws {
        let logger = Logger(label: "test")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-audit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let location: DatabaseLocation
        var schema = ""
        if backend == "postgres" {
            let base = ProcessInfo.processInfo.environment["THEODOI_TEST_POSTGRES_URL"] ?? ""
            schema = "a_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            location = try DatabaseLocation.parse(base + (base.contains("?") ? "&" : "?") + "schema=\(schema)", defaultPath: "")
        } else {
            location = .sqliteFile(path: folder.appendingPathComponent("audit.sqlite").path)
        }
        let store = try await SQLStore.open(location, logger: logger)
        let service = store.service
        let running = Task { try await service?.run() }
        defer { running.cancel() }
        try await store.client.migrate()
        switch location {
        case .postgres(let url):
            var configuration = PostgresClient.Configuration(
                host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
                tls: .disable)
            configuration.options.additionalStartupParameters = [("search_path", schema)]
            let raw = PostgresClient(configuration: configuration, backgroundLogger: logger)
            let rawRunning = Task { await raw.run() }
            defer { rawRunning.cancel() }
            try await body(store.accounts, store.client) { sql in
                try await raw.withConnection { try await $0.sql().raw(SQLQueryString(sql)).run() }
            }
        default:
            let connection = try await SQLiteConnection.open(
                storage: .file(path: folder.appendingPathComponent("audit.sqlite").path), logger: logger)
            try await body(store.accounts, store.client) { sql in try await connection.sql().raw(SQLQueryString(sql)).run() }
            try await connection.close()
        }
        await store.shutdown()
    }

    static func makeUsers(_ accounts: AccountStore, count: Int) async throws {
        for index in 0..<count {
            let user = try await accounts.createUser(
                NewUser(
                    email: "u\(index)@gialai.gov.vn", name: "Người \(index)", role: .leader, agencyID: nil, passwordHash: "x",
                    mustChangePassword: false), .commandLine)
            _ = try await accounts.updateUser(
                user.id, UserChange(name: "Người \(index) đã sửa", role: .leader, agencyID: nil, disabled: false), .commandLine)
        }
    }

    @Test("intact after many writes, several at once", arguments: backends)
    func intact(backend: String) async throws {
        try await AuditChainTests.withTamperableStore(backend) { accounts, _, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<4 {
                    group.addTask {
                        for index in 0..<50 {
                            try await accounts.appendAudit(
                                "test.write", "writer:\(writer)", nil, .object([("index", .int(index))]), .commandLine)
                        }
                    }
                }
                try await group.waitForAll()
            }
            try await AuditChainTests.makeUsers(accounts, count: 10)
            let report = try await AuditVerifier(store: accounts, batchSize: 37).verify()
            #expect(report.checked == 220)
            #expect(report.lastSequence == 220)
            #expect(report.broken == nil)
            #expect(report.summary.hasPrefix("Nhật ký nguyên vẹn: 220 mục"))
        }
    }

    @Test("the store itself refuses to change or remove an entry", arguments: backends)
    func appendOnly(backend: String) async throws {
        try await AuditChainTests.withTamperableStore(backend) { accounts, _, raw in
            try await AuditChainTests.makeUsers(accounts, count: 2)
            await #expect(throws: (any Error).self) { try await raw("UPDATE audit_log SET actor = 'ai đó' WHERE sequence = 2") }
            await #expect(throws: (any Error).self) { try await raw("DELETE FROM audit_log WHERE sequence = 2") }
            #expect(try await AuditVerifier(store: accounts).verify().broken == nil)
        }
    }

    @Test("an edited entry breaks the chain at that entry", arguments: backends)
    func edited(backend: String) async throws {
        try await AuditChainTests.withTamperableStore(backend) { accounts, _, raw in
            try await AuditChainTests.makeUsers(accounts, count: 5)
            // Someone with database access removes the guard and rewrites history.
            try await AuditChainTests.dropGuards(backend, raw)
            try await raw("UPDATE audit_log SET after_state = '{\"role\":\"admin\"}' WHERE sequence = 4")
            let report = try await AuditVerifier(store: accounts).verify()
            #expect(report.broken?.sequence == 4)
            #expect(report.checked == 3)
            #expect(report.summary.contains("chuỗi đứt ở mục 4"))
        }
    }

    @Test("a re-sealed edit breaks the link to the next entry; a removed entry is found", arguments: backends)
    func resealedAndRemoved(backend: String) async throws {
        try await AuditChainTests.withTamperableStore(backend) { accounts, _, raw in
            try await AuditChainTests.makeUsers(accounts, count: 5)
            try await AuditChainTests.dropGuards(backend, raw)
            // Re-seal entry 3 with a made-up hash: entry 4 no longer points at it.
            try await raw("UPDATE audit_log SET hash = '\(String(repeating: "a", count: 64))' WHERE sequence = 3")
            #expect(try await AuditVerifier(store: accounts).verify().broken?.sequence == 3)
            try await raw("DELETE FROM audit_log WHERE sequence = 3")
            let report = try await AuditVerifier(store: accounts).verify()
            #expect(report.broken?.sequence == 4)
            #expect(report.broken?.reason.contains("đã bị xóa") == true)
        }
    }

    static func dropGuards(_ backend: String, _ raw: (String) async throws -> Void) async throws {
        if backend == "postgres" {
            try await raw("DROP TRIGGER audit_log_no_change ON audit_log")
        } else {
            try await raw("DROP TRIGGER audit_log_no_update")
            try await raw("DROP TRIGGER audit_log_no_delete")
        }
    }
}
