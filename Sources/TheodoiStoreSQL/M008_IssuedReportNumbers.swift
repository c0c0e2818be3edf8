import SQLKit

/// One number, one report: an issued report's number is unique per issuing body and year, and a
/// report may be superseded (once) by a new one that names it. Reports issued before this
/// migration keep an empty key, so numbers they share stay as they were printed.
enum M008_IssuedReportNumbers {
    static let migration = Migration(version: 8, name: "issued report numbers") { backend in
        let reference = backend == .sqlite ? "INTEGER" : "BIGINT"
        return [
            "ALTER TABLE issued_reports ADD COLUMN issuer_key TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE issued_reports ADD COLUMN number_key TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE issued_reports ADD COLUMN number_year INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE issued_reports ADD COLUMN supersedes_id \(reference) REFERENCES issued_reports(id)",
            """
            CREATE UNIQUE INDEX issued_reports_number ON issued_reports (issuer_key, number_year, number_key)
            WHERE number_key <> ''
            """,
            "CREATE UNIQUE INDEX issued_reports_supersedes ON issued_reports (supersedes_id) WHERE supersedes_id IS NOT NULL",
        ]
    }
}
