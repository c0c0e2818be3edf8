/// "My work" (issue 19) reads an agency's reports across every plan: an index by agency.
enum M011_AgencyReports {
    static let migration = Migration(version: 11, name: "reports by agency") { _ in
        ["CREATE INDEX reports_agency ON reports (agency_id, id)"]
    }
}
