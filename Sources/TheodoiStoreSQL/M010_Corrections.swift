import SQLKit

/// Corrections on the record (issue 16): an agency withdraws a sent report before the office acts
/// on it; the office reverses an acceptance, a return or an extension decision with a reason. Each
/// is a new dated event: the rows it concerns are marked, never rewritten, and statuses as of
/// earlier dates stay what they were.
///
/// A report may now have several reviews (a reversed one and the decision taken after it), so the
/// reviews table loses its unique report; one *standing* review per report is still enforced. A
/// reversed extension decision stays on its request, and the request is asked again as a new row
/// that names it (`reopens_id`), so every decision keeps its own row.
enum M010_Corrections {
    static let migration = Migration(version: 10, name: "withdrawals and reversals") { backend in
        let reference = backend == .sqlite ? "INTEGER" : "BIGINT"
        var statements = [
            "ALTER TABLE reports ADD COLUMN withdrawn_at TEXT",
            "ALTER TABLE reports ADD COLUMN withdrawn_on TEXT",
            "ALTER TABLE reports ADD COLUMN withdrawn_by_name TEXT",
            "ALTER TABLE reports ADD COLUMN withdrawal_reason TEXT",
        ]
        let reversal = [
            "reversed_at TEXT", "reversed_on TEXT", "reverser_id \(reference) REFERENCES users(id)", "reverser_name TEXT",
            "reversal_reason TEXT",
        ]
        switch backend {
        case .sqlite:
            // SQLite cannot drop a column's UNIQUE constraint: the table is rebuilt with the same rows.
            statements += [
                """
                CREATE TABLE reviews_new (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    report_id INTEGER NOT NULL REFERENCES reports(id),
                    assignment_id INTEGER NOT NULL REFERENCES assignments(id),
                    decision TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    completed_on TEXT,
                    reviewer_id INTEGER REFERENCES users(id),
                    reviewer_name TEXT NOT NULL,
                    decided_at TEXT NOT NULL,
                    decided_on TEXT NOT NULL,
                    \(reversal.joined(separator: ",\n                    ")))
                """,
                """
                INSERT INTO reviews_new (id, report_id, assignment_id, decision, reason, completed_on, reviewer_id,
                    reviewer_name, decided_at, decided_on)
                SELECT id, report_id, assignment_id, decision, reason, completed_on, reviewer_id, reviewer_name, decided_at,
                    decided_on
                FROM reviews
                """,
                "DROP TABLE reviews",
                "ALTER TABLE reviews_new RENAME TO reviews",
                "CREATE INDEX reviews_assignment ON reviews (assignment_id, id)",
            ]
        case .postgres:
            statements.append("ALTER TABLE reviews DROP CONSTRAINT reviews_report_id_key")
            statements += reversal.map { "ALTER TABLE reviews ADD COLUMN \($0)" }
        }
        statements.append("CREATE UNIQUE INDEX reviews_standing ON reviews (report_id) WHERE reversed_at IS NULL")
        statements += reversal.map { "ALTER TABLE extensions ADD COLUMN \($0)" }
        statements += [
            "ALTER TABLE extensions ADD COLUMN reopens_id \(reference) REFERENCES extensions(id)",
            // A withdrawal or reversal names what it undoes by the day that was decided.
            "ALTER TABLE assignment_events ADD COLUMN target_on TEXT",
        ]
        return statements
    }
}
