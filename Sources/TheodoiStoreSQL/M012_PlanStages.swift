/// Plan lifecycle (issue 19): draft, active, closed — who and when are in the audit log; the day
/// of the last change and the issued report that closed the plan are kept on the plan.
enum M012_PlanStages {
    static let migration = Migration(version: 12, name: "plan stages") { backend in
        let reference = backend == .sqlite ? "INTEGER" : "BIGINT"
        return [
            "ALTER TABLE plans ADD COLUMN stage TEXT NOT NULL DEFAULT 'active'",
            "ALTER TABLE plans ADD COLUMN stage_changed_on TEXT",
            // No foreign key: restores and copies load plans before issued reports.
            "ALTER TABLE plans ADD COLUMN closing_report_id \(reference)",
        ]
    }
}
