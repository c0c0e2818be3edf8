/// A Sở's own implementation plan (issue 19): the agency that owns it (its officers import and
/// update it) and the task of another plan it implements. No foreign keys: restores load plans
/// before agencies and assignments.
enum M016_PlanOwners {
    static let migration = Migration(version: 16, name: "plan owners") { backend in
        let reference = backend == .sqlite ? "INTEGER" : "BIGINT"
        return [
            "ALTER TABLE plans ADD COLUMN owner_agency_id \(reference)",
            "ALTER TABLE plans ADD COLUMN implements_id \(reference)",
        ]
    }
}
