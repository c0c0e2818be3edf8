import Foundation
import SQLKit
import Synchronization
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiOperations
import TheodoiStore

@testable import TheodoiStoreSQL

/// Backup and restore across both databases (issue 18): a backup taken while others write is one
/// consistent moment; restored into an empty SQLite file and an empty PostgreSQL it matches the
/// source table by table, with the audit chain intact; a cut or altered file and a database that
/// already holds data are refused and nothing is written.
@Suite("Backup and restore")
struct BackupTests {
    static let today = LocalDate(iso: "2025-12-01")!

    /// The seed with a demo history, a report with an attachment of every byte value, a user with
    /// an API token and a session, and an agency merged into one created after it.
    static func fill(_ store: SQLStore) async throws {
        let (ref, agency) = try await ProgressStoreTests.setUp(store)
        _ = try await DemoHistoryGenerator.load(
            slug: ref.planSlug, reports: 300, today: today, store: store.client, progress: store.progress,
            actor: .commandLine)
        let bytes = Array("%PDF-".utf8) + (0...255).map(UInt8.init) + [0, 0x0D, 0x0A, 0x27, 0x22, 0x5C]
        _ = try await store.progress.saveReport(
            ProgressStoreTests.save(
                ref, agency, result: "Kèm tệp ‘ngoặc’ \"kép\" \\ và dòng\nmới",
                files: [ProgressStoreTests.file("biên bản.pdf", bytes)]),
            ProgressStoreTests.officer)
        let user = try await store.accounts.createUser(
            NewUser(
                email: "canbo@sgddt.gov.vn", name: "Cán bộ Sở", role: .officer, agencyID: agency, passwordHash: "h$1",
                mustChangePassword: false), .commandLine)
        try await store.accounts.createSession("digest-1", user, "csrf", "2099-01-01T00:00:00Z", .commandLine)
        _ = try await store.accounts.createAPIToken(user.id, "Máy tính bảng", "api-digest", "td_abc", .commandLine)
        let agencies = try await store.client.agencies()
        let first = try #require(agencies.min { $0.id.rawValue < $1.id.rawValue })
        let last = try #require(agencies.max { $0.id.rawValue < $1.id.rawValue })
        _ = try await store.client.mergeAgencies(first.id, last.id, .commandLine)
        // An amendment of the seed: A.6's deadline moved, A.4 ended.
        var amending = Backends.seed
        amending.assignments = amending.assignments.filter { $0.code == "A.4" || $0.code == "A.6" }.map { row in
            var row = row
            if row.code == "A.6" { row.deadline = Deadline(parsing: "Tháng 12/2025") } else { row.title = "Bãi bỏ" }
            return row
        }
        let amended = try await store.client.importCatalogue(
            ImportRequest(
                catalogue: amending, number: ref.planSlug == "343-qd-tu" ? "343-QĐ/TU" : ref.planSlug, sourceName: "qd-400.tsv",
                amendment: AmendmentRequest(number: "400-QĐ/TU", issuedOn: today, endsMissing: false)))
        #expect(amended.changed.map(\.code) == ["A.6"] && amended.ended == ["A.4"])
        // A second plan implementing the seed's A.17.1, closed with its issued report.
        let second = try await store.client.importCatalogue(
            ImportRequest(catalogue: Backends.seed, number: "12/KH-SGDĐT", sourceName: "sgd.txt"))
        let lower = try #require(try await store.client.assignments(second.plan.id).first { $0.code == "A.17.1" })
        _ = try await store.links.add(lower.id, ref.id, .commandLine)
        let issued = try await store.reports.issue(
            IssueInput(
                planID: second.plan.id, planNumber: "12/KH-SGDĐT", number: "Số 3-BC/SGDĐT", title: "Báo cáo tổng kết",
                period: "", asOf: today, scope: "all", scopeLabel: "Toàn bộ danh mục", issuedOn: today,
                files: [IssueInput.File(kind: "html", fileName: "b.html", contentType: "text/html", bytes: Array("<p/>".utf8))]),
            .commandLine)
        let closed = try await store.client.setPlanStage(
            PlanStageChange(slug: second.plan.slug, from: .active, to: .closed, on: today, finalReport: issued.id.rawValue),
            .commandLine)
        #expect(closed?.stage == .closed && closed?.closingReport == "Số 3-BC/SGDĐT")
    }

    /// Every row of the backup file, per table, as sorted lines (byte columns as base64).
    static func rows(_ url: URL) throws -> [String: [String]] {
        var reader = try BackupReader(url)
        defer { reader.close() }
        var result: [String: [String]] = [:]
        while let item = try reader.next() {
            if case .row(let section, let cells) = item {
                result[section.table, default: []].append(
                    cells.map { cell in
                        switch cell {
                        case .null: "∅"
                        case .integer(let value): "\(value)"
                        case .text(let value): "“\(value)”"
                        case .bytes(let value): value.base64EncodedString()
                        }
                    }.joined(separator: " | "))
            }
        }
        return result.mapValues { $0.sorted() }
    }

    /// An empty database on `backend` that nothing has migrated, open for `body`.
    static func withEmpty<R>(_ backend: String, _ body: (SQLStore) async throws -> R) async throws -> R {
        try await Backends.withSQLStore(backend, migrate: false, body)
    }

    static var targets: [String] { Backends.all.filter { $0 != "sqlite-memory" } }

    @Test(
        "taken while reports are written, restored into an empty SQLite and PostgreSQL, every table matches",
        arguments: Backends.all)
    func roundTrip(source: String) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("a.theodoi-backup")
        try await Backends.withSQLStore(source) { store in
            try await Self.fill(store)
            // Writers keep going while the backup is taken: it holds one moment of the database.
            let stop = Mutex(false)
            let writing = Task {
                var written = 0
                while !stop.withLock({ $0 }), written < 400 {
                    _ = try await store.accounts.createUser(
                        NewUser(
                            email: "u\(written)@gialai.gov.vn", name: "Người \(written)", role: .leader, agencyID: nil,
                            passwordHash: "x", mustChangePassword: false), .commandLine)
                    written += 1
                }
                return written
            }
            let manifest = try await store.backup(to: file)
            stop.withLock { $0 = true }
            let written = try await writing.value
            #expect(written > 0)
            // One moment: the users in the file and the audit entries that created them agree.
            let rows = try Self.rows(file)
            let users = rows["users"]?.count ?? 0
            let audit = rows["audit_log"] ?? []
            let created = audit.filter { $0.contains("“user.create”") }.count
            #expect(created == users, "users \(users), audit entries creating users \(created)")
            #expect(manifest.auditHead?.sequence == audit.count)
            #expect(rows["sessions"] == nil && rows["login_failures"] == nil)
            #expect(manifest.tables.first { $0.name == "attachments" }?.rows ?? 0 >= 1)
            #expect(try BackupManifest.verify(file) == manifest)
            #expect(!FileManager.default.fileExists(atPath: file.path + ".partial"))
        }
        let expected = try Self.rows(file)
        for target in Self.targets {
            try await Self.withEmpty(target) { restored in
                let manifest = try await restored.restore(from: file)
                let check = folder.appendingPathComponent("\(target).theodoi-backup")
                let again = try await restored.backup(to: check)
                #expect(again.tables == manifest.tables, "\(source) → \(target)")
                let actual = try Self.rows(check)
                for table in BackupTables.order {
                    #expect(actual[table] == expected[table], "\(source) → \(target): table \(table) differs")
                }
                #expect(again.auditHead == manifest.auditHead)
                let report = try await AuditVerifier(store: restored.accounts).verify()
                #expect(report.broken == nil && report.checked == manifest.auditHead?.sequence)
                // The restored database is a working one: the next write continues ids and the chain.
                let user = try await restored.accounts.createUser(
                    NewUser(
                        email: "moi@gialai.gov.vn", name: "Người mới", role: .leader, agencyID: nil, passwordHash: "x",
                        mustChangePassword: false), .commandLine)
                #expect(user.id.rawValue > (expected["users"]?.count ?? 0))
                #expect(try await AuditVerifier(store: restored.accounts).verify().broken == nil)
                #expect(try await restored.accounts.session("digest-1", "2026-01-01T00:00:00Z") == nil)
                // A second restore into the same, now filled, database is refused.
                await #expect(throws: BackupError.self) { _ = try await restored.restore(from: file) }
            }
        }
    }

    @Test("a cut, altered or foreign file is refused before anything is written")
    func damaged() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("a.theodoi-backup")
        try await Backends.withSQLStore("sqlite-memory") { store in
            _ = try await Backends.importSeed(store.client)
            _ = try await store.backup(to: file)
        }
        let whole = try Data(contentsOf: file)
        let lines = whole.split(separator: 0x0A, omittingEmptySubsequences: false)
        var altered = whole
        let at = try #require(altered.range(of: Data("Sở Khoa học".utf8)))
        altered.replaceSubrange(at, with: Data("Sở Khoa hoc".utf8))
        let cases: [(String, Data, String)] = [
            ("cut", whole.prefix(whole.count / 2), "bị cắt"),
            ("no manifest", Data(lines.dropLast(2).joined(separator: [0x0A])) + Data([0x0A]), "bị cắt"),
            ("altered", altered, "SHA-256"),
            ("foreign", Data("id,name\n1,a\n".utf8), "không phải tệp sao lưu"),
        ]
        for (name, bytes, message) in cases {
            let damaged = folder.appendingPathComponent("\(name).theodoi-backup")
            try bytes.write(to: damaged)
            do {
                _ = try BackupManifest.verify(damaged)
                Issue.record("\(name) was accepted")
            } catch let error as BackupError {
                #expect(error.message.contains(message), "\(name): \(error.message)")
            }
            try await Self.withEmpty("sqlite-file") { target in
                await #expect(throws: BackupError.self) { _ = try await target.restore(from: damaged) }
                let counts = try await target.tableCounts()
                let applied = try await target.schemaVersions().applied
                #expect(counts.allSatisfy { $0.rows == 0 })
                #expect(applied.isEmpty, "\(name): the empty database was migrated")
            }
        }
    }

    @Test(
        "a scheduled backup is written by one instance at a time (PostgreSQL's lock); a backup by hand does not wait",
        arguments: Backends.all)
    func oneScheduledAtATime(backend: String) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-busy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await Backends.withSQLStore(backend) { store in
            _ = try await ProgressStoreTests.setUp(store)
            let busy = folder.appendingPathComponent("busy.theodoi-backup")
            if store.sessions.backend == .postgres {
                // Another instance holds the lock: a scheduled backup writes nothing, not even its
                // partial file; one by hand goes ahead.
                let (refused, byHand) = try await store.sessions.withSession { database in
                    try await database.raw("BEGIN").run()
                    try await database.raw("SELECT pg_advisory_xact_lock(\(bind: SQLStore.scheduledBackupLockKey))").run()
                    let refused: Bool
                    do {
                        _ = try await store.backup(to: busy, scheduled: true)
                        refused = false
                    } catch is BackupBusy {
                        refused = true
                    }
                    let byHand = try await store.backup(to: folder.appendingPathComponent("hand.theodoi-backup"))
                    try await database.raw("COMMIT").run()
                    return (refused, byHand)
                }
                #expect(refused)
                #expect(byHand.rowCount > 0)
                #expect(!FileManager.default.fileExists(atPath: busy.path))
                #expect(!FileManager.default.fileExists(atPath: busy.path + ".partial"))
            }
            // Free again (or SQLite, where one server holds the file): it is written.
            let manifest = try await store.backup(to: busy, scheduled: true)
            #expect(try BackupManifest.verify(busy) == manifest)
        }
    }

    @Test("the connection counts /metrics reads: sessions taken, none left in use or waiting", arguments: Backends.all)
    func poolStatistics(backend: String) async throws {
        try await Backends.withSQLStore(backend) { store in
            let before = store.poolStatistics()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 { group.addTask { _ = try await store.client.plans() } }
                try await group.waitForAll()
            }
            let after = store.poolStatistics()
            #expect(after.acquisitions >= before.acquisitions + 20)
            #expect(after.inUse == 0 && after.waiting == 0)
            #expect(after.waitSeconds >= before.waitSeconds)
            #expect(after.connections == (backend == "sqlite-memory" ? 1 : backend == "sqlite-file" ? 3 : 8))
        }
    }
}
