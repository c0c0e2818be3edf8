import Foundation
import SQLKit
import TheodoiCore
import TheodoiStore

/// Appends to the hash-chained audit log inside the caller's transaction. Appends are serialised
/// (SQLite's single writer; a transaction-scoped advisory lock on PostgreSQL), so every entry seals
/// exactly the one before it even with several instances writing.
enum AuditLog {
    /// The advisory lock key that serialises appends on PostgreSQL.
    static let lockKey = 7_466_001

    static func append(
        on database: any SQLDatabase, backend: SQLBackend, at: String, actor: AuditActor, action: String, subject: String,
        before: JSONValue?, after: JSONValue?
    ) async throws {
        if backend == .postgres {
            try await database.raw("SELECT pg_advisory_xact_lock(\(bind: lockKey))").run()
        }
        let last = try await database.raw("SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1").first()
        let sequence = try (last?.decode(column: "sequence", as: Int.self) ?? 0) + 1
        let previousHash = try last?.decode(column: "hash", as: String.self) ?? AuditRecord.genesisHash
        var record = AuditRecord(
            sequence: sequence, at: at, actorID: actor.userID, actor: actor.label, address: actor.address, action: action,
            subject: subject, before: before?.serialized(pretty: false), after: after?.serialized(pretty: false),
            previousHash: previousHash, hash: "")
        record.hash = record.computedHash
        try await database.raw(
            """
            INSERT INTO audit_log (sequence, at, actor_id, actor, address, action, subject, before_state, after_state, previous_hash, hash)
            VALUES (\(bind: record.sequence), \(bind: record.at), \(bind: record.actorID?.rawValue), \(bind: record.actor),
                \(bind: record.address), \(bind: record.action), \(bind: record.subject), \(bind: record.before),
                \(bind: record.after), \(bind: record.previousHash), \(bind: record.hash))
            """
        ).run()
    }

    static func record(_ row: any SQLRow) throws -> AuditRecord {
        AuditRecord(
            sequence: try row.decode(column: "sequence", as: Int.self),
            at: try row.decode(column: "at", as: String.self),
            actorID: try row.decode(column: "actor_id", as: Int?.self).map(UserRecord.ID.init),
            actor: try row.decode(column: "actor", as: String.self),
            address: try row.decode(column: "address", as: String.self),
            action: try row.decode(column: "action", as: String.self),
            subject: try row.decode(column: "subject", as: String.self),
            before: try row.decode(column: "before_state", as: String?.self),
            after: try row.decode(column: "after_state", as: String?.self),
            previousHash: try row.decode(column: "previous_hash", as: String.self),
            hash: try row.decode(column: "hash", as: String.self))
    }

    static let columns =
        "sequence, at, actor_id, actor, address, action, subject, before_state, after_state, previous_hash, hash"
}

extension SQLStore {
    /// Runs `body` in a write transaction and appends the audit entry it returns (nil: nothing to log).
    func audited<R: Sendable>(
        _ actor: AuditActor,
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> (result: R, entry: AuditEntryDraft?)
    ) async throws -> R {
        let backend = sessions.backend
        let at = now()
        return try await sessions.withSession { database in
            try await Transaction.run(on: database, backend: backend) { database in
                let (result, entry) = try await body(database)
                if let entry {
                    try await AuditLog.append(
                        on: database, backend: backend, at: at, actor: actor, action: entry.action, subject: entry.subject,
                        before: entry.before, after: entry.after)
                }
                return result
            }
        }
    }

    func appendAudit(action: String, subject: String, before: JSONValue?, after: JSONValue?, actor: AuditActor) async throws {
        try await audited(actor) { _ in
            ((), AuditEntryDraft(action: action, subject: subject, before: before, after: after))
        }
    }

    func auditLog(_ filter: AuditFilter) async throws -> AuditPage {
        try await read { database in
            var conditions: [SQLQueryString] = []
            if let actor = filter.actor, !actor.isEmpty {
                conditions.append("LOWER(actor) LIKE \(bind: "%" + SQLStore.likeEscaped(actor.lowercased()) + "%") ESCAPE '\\'")
            }
            if let action = filter.action, !action.isEmpty {
                if action.hasSuffix(".") {
                    conditions.append("action LIKE \(bind: SQLStore.likeEscaped(action) + "%") ESCAPE '\\'")
                } else {
                    conditions.append("action = \(bind: action)")
                }
            }
            if let from = filter.from { conditions.append("at >= \(bind: from)") }
            if let to = filter.to { conditions.append("at < \(bind: to + "T99")") }
            var whereClause: SQLQueryString = ""
            for (index, condition) in conditions.enumerated() {
                whereClause = whereClause + (index == 0 ? " WHERE " : " AND ") + condition
            }
            let total =
                try await database.raw("SELECT COUNT(*) AS total FROM audit_log" + whereClause).first()?
                .decode(column: "total", as: Int.self) ?? 0
            let entries = try await database.raw(
                "SELECT \(unsafeRaw: AuditLog.columns) FROM audit_log" + whereClause
                    + " ORDER BY sequence DESC LIMIT \(bind: filter.limit) OFFSET \(bind: filter.offset)"
            ).all().map(AuditLog.record)
            return AuditPage(entries: entries, total: total)
        }
    }

    func auditEntries(after sequence: Int, limit: Int) async throws -> [AuditRecord] {
        try await read { database in
            try await database.raw(
                """
                SELECT \(unsafeRaw: AuditLog.columns) FROM audit_log
                WHERE sequence > \(bind: sequence) ORDER BY sequence LIMIT \(bind: limit)
                """
            ).all().map(AuditLog.record)
        }
    }

    /// `text` with LIKE's wildcards escaped by a backslash.
    static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}

/// The audit entry a write produces, sealed and stored by `SQLStore.audited`.
struct AuditEntryDraft: Sendable {
    var action: String
    var subject: String
    var before: JSONValue?
    var after: JSONValue?
}
