import TheodoiCore
import TheodoiStore

/// Agencies with what they lead and coordinate in a plan, as of a date.
public struct AgencyOverview: Sendable {
    /// One agency's counts: rows it leads, rows it coordinates, and the rows it leads that are overdue.
    public struct Entry: Sendable {
        public var agency: AgencyRecord
        public var led: Int
        public var coordinated: Int
        public var overdue: Int
    }

    public var plan: PlanRecord
    public var asOf: LocalDate
    /// Agencies named by the plan, most led first.
    public var entries: [Entry]

    /// Counts over every row of the plan (an agency leads sub-assignments too).
    public static func make(
        snapshot: PlanSnapshot, statuses: [AssignmentStatus], agencies: [AgencyRecord], asOf: LocalDate
    ) -> AgencyOverview {
        var led: [AgencyRecord.ID: Int] = [:]
        var coordinated: [AgencyRecord.ID: Int] = [:]
        var overdue: [AgencyRecord.ID: Int] = [:]
        for (position, assignment) in snapshot.assignments.enumerated() {
            for id in Set(assignment.lead.compactMap(\.agencyID)) {
                led[id, default: 0] += 1
                if statuses[position].timeliness == .openOverdue { overdue[id, default: 0] += 1 }
            }
            for id in Set(assignment.coordinators.compactMap(\.agencyID)) { coordinated[id, default: 0] += 1 }
        }
        let entries = agencies.compactMap { agency -> Entry? in
            let entry = Entry(
                agency: agency, led: led[agency.id] ?? 0, coordinated: coordinated[agency.id] ?? 0,
                overdue: overdue[agency.id] ?? 0)
            return entry.led + entry.coordinated > 0 ? entry : nil
        }
        return AgencyOverview(
            plan: snapshot.plan, asOf: asOf,
            entries: entries.sorted {
                ($0.led, $0.coordinated, $1.agency.name) > ($1.led, $1.coordinated, $0.agency.name)
            })
    }
}
