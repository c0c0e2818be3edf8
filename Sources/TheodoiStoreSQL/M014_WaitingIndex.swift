/// What waits for the office (the header's "Chờ xử lý", on every page an officer of the office
/// opens) counts sent reports per plan from the index alone: 160 ms → 14 ms with 115,000 sent
/// reports in 20 plans (scripts/bench-province.sh).
enum M014_WaitingIndex {
    static let migration = Migration(version: 14, name: "reports waiting index") { _ in
        ["CREATE INDEX reports_waiting ON reports (plan_id, state, kind, assignment_id)"]
    }
}
