import SQLKit

/// A numbered schema change, applied once, in order, inside a transaction.
struct Migration: Sendable {
    var version: Int
    var name: String
    var statements: @Sendable (SQLBackend) -> [String]
}

/// Every migration, in order. Add new ones at the end; never edit an applied one.
enum Migrations {
    static let all: [Migration] = [
        M001_CreateCatalogue.migration, M002_CreateAccounts.migration, M003_CreateProgress.migration,
        M004_CreateReports.migration, M005_CreateReminders.migration, M006_CreateOutbox.migration,
        M007_CreateSignInAddresses.migration, M008_IssuedReportNumbers.migration,
        M009_TextCorrections.migration, M010_Corrections.migration, M011_AgencyReports.migration,
        M012_PlanStages.migration, M013_AssignmentLinks.migration, M014_WaitingIndex.migration,
        M015_Amendments.migration, M016_PlanOwners.migration, M017_AgencyOpenReports.migration,
    ]

    /// Applies the migrations the database has not seen; returns the versions applied. Several
    /// programs starting at once on one database apply each migration once: on PostgreSQL they take
    /// turns under an advisory lock (each migration its own transaction); on SQLite the whole run is
    /// one transaction holding the write lock. A database that a newer theodoi has migrated
    /// further than this one knows is refused (`NewerSchema`), before anything is changed.
    static func run(on sessions: any SQLSessions, now: String, upTo last: Int = .max) async throws -> [Int] {
        // One lock per schema: programs on different schemas of one database do not wait for each other.
        let lockKey = lockKey(schema: (sessions as? PostgresSessions)?.schema)
        return try await sessions.withSession { database in
            if sessions.backend == .postgres {
                try await database.raw("SELECT pg_advisory_lock(\(unsafeRaw: String(lockKey)))").run()
            }
            do {
                // SQLite: the whole run is one transaction, taken with the write lock at once, so a
                // second program waits for the first and then finds nothing left to do.
                let done =
                    sessions.backend == .sqlite
                    ? try await Transaction.run(on: database, backend: .sqlite) { database in
                        try await apply(on: database, backend: .sqlite, now: now, upTo: last, inTransaction: true)
                    }
                    : try await apply(on: database, backend: sessions.backend, now: now, upTo: last, inTransaction: false)
                if sessions.backend == .postgres {
                    try await database.raw("SELECT pg_advisory_unlock(\(unsafeRaw: String(lockKey)))").run()
                }
                return done
            } catch {
                if sessions.backend == .postgres {
                    try? await database.raw("SELECT pg_advisory_unlock(\(unsafeRaw: String(lockKey)))").run()
                }
                throw error
            }
        }
    }

    /// The advisory lock migrations take on PostgreSQL: "theodoi" in ASCII, mixed with the schema's
    /// name (FNV-1a) when there is one.
    static func lockKey(schema: String?) -> Int64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in (schema ?? "").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return Int64(bitPattern: (schema == nil ? 0 : hash) ^ 0x74_68_65_6F_64_6F_69)
    }

    private static func apply(
        on database: any SQLDatabase, backend: SQLBackend, now: String, upTo last: Int, inTransaction: Bool
    ) async throws -> [Int] {
        try await database.raw(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)
            """
        ).run()
        let applied = Set(
            try await database.raw("SELECT version FROM schema_migrations").all().map {
                try $0.decode(column: "version", as: Int.self)
            })
        let known = all.map(\.version).max() ?? 0
        if let newest = applied.max(), newest > known {
            throw NewerSchema(database: newest, program: known)
        }
        var done: [Int] = []
        for migration in all where !applied.contains(migration.version) && migration.version <= last {
            let body: (any SQLDatabase) async throws -> Void = { database in
                for statement in migration.statements(backend) {
                    try await database.raw(SQLQueryString(statement)).run()
                }
                try await database.raw(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: now))"
                ).run()
            }
            if inTransaction {
                try await body(database)
            } else {
                try await Transaction.run(on: database, backend: backend, body)
            }
            done.append(migration.version)
        }
        return done
    }
}

/// A database migrated by a newer theodoi than the one running.
public struct NewerSchema: Error, CustomStringConvertible {
    /// The newest migration the database has, and the newest this program knows.
    public var database: Int
    public var program: Int

    public init(database: Int, program: Int) {
        self.database = database
        self.program = program
    }

    public var description: String {
        "Cơ sở dữ liệu đã được một phiên bản theodoi mới hơn nâng cấp (lược đồ số \(database); phiên bản đang chạy "
            + "chỉ biết đến số \(program)). Hãy chạy phiên bản mới hơn, hoặc khôi phục bản sao lưu trước khi nâng cấp."
    }
}

/// BEGIN … COMMIT around a body, ROLLBACK when it throws.
enum Transaction {
    static func run<R: Sendable>(
        on database: any SQLDatabase, backend: SQLBackend, _ body: (any SQLDatabase) async throws -> R
    ) async throws -> R {
        try await database.raw(backend == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN").run()
        do {
            let result = try await body(database)
            try await database.raw("COMMIT").run()
            return result
        } catch {
            try? await database.raw("ROLLBACK").run()
            throw error
        }
    }
}

/// Plans, parts, groups, agencies, assignments with their agencies, and import findings.
enum M001_CreateCatalogue {
    static let migration = Migration(version: 1, name: "create catalogue") { backend in
        let id =
            backend == .sqlite
            ? "id INTEGER PRIMARY KEY AUTOINCREMENT" : "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
        let reference = backend == .sqlite ? "INTEGER" : "BIGINT"
        return [
            """
            CREATE TABLE plans (
                \(id),
                slug TEXT NOT NULL UNIQUE,
                number TEXT NOT NULL,
                date TEXT,
                issuer TEXT,
                title TEXT,
                declared_count INTEGER,
                is_demo INTEGER NOT NULL DEFAULT 0,
                source_name TEXT NOT NULL,
                revision INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE plan_parts (
                plan_id \(reference) NOT NULL REFERENCES plans(id),
                code TEXT NOT NULL,
                title TEXT NOT NULL,
                declared_count INTEGER,
                found_count INTEGER NOT NULL,
                position INTEGER NOT NULL,
                PRIMARY KEY (plan_id, code))
            """,
            """
            CREATE TABLE plan_groups (
                plan_id \(reference) NOT NULL REFERENCES plans(id),
                part_code TEXT NOT NULL,
                code TEXT NOT NULL,
                title TEXT NOT NULL,
                position INTEGER NOT NULL,
                PRIMARY KEY (plan_id, part_code, code))
            """,
            """
            CREATE TABLE agencies (
                \(id),
                name TEXT NOT NULL UNIQUE,
                short_name TEXT NOT NULL,
                kind TEXT NOT NULL,
                folded_name TEXT NOT NULL,
                created_at TEXT NOT NULL)
            """,
            "CREATE INDEX agencies_folded_name ON agencies (folded_name)",
            """
            CREATE TABLE assignments (
                \(id),
                plan_id \(reference) NOT NULL REFERENCES plans(id),
                code TEXT NOT NULL,
                part_code TEXT,
                group_code TEXT,
                number TEXT NOT NULL,
                parent_code TEXT,
                position INTEGER NOT NULL,
                title TEXT NOT NULL,
                lead_text TEXT NOT NULL,
                coordinators_text TEXT NOT NULL,
                deadline_text TEXT NOT NULL,
                deadline_kind TEXT NOT NULL,
                deadline_due TEXT,
                output TEXT NOT NULL,
                line INTEGER NOT NULL,
                search_text TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                UNIQUE (plan_id, code))
            """,
            "CREATE INDEX assignments_plan_position ON assignments (plan_id, position)",
            """
            CREATE TABLE assignment_agencies (
                assignment_id \(reference) NOT NULL REFERENCES assignments(id),
                role TEXT NOT NULL,
                position INTEGER NOT NULL,
                agency_id \(reference) REFERENCES agencies(id),
                name TEXT NOT NULL,
                generic INTEGER NOT NULL,
                PRIMARY KEY (assignment_id, role, position))
            """,
            "CREATE INDEX assignment_agencies_agency ON assignment_agencies (agency_id)",
            """
            CREATE TABLE plan_findings (
                plan_id \(reference) NOT NULL REFERENCES plans(id),
                position INTEGER NOT NULL,
                severity TEXT NOT NULL,
                line INTEGER NOT NULL,
                code TEXT NOT NULL,
                message TEXT NOT NULL,
                PRIMARY KEY (plan_id, position))
            """,
        ]
    }
}
