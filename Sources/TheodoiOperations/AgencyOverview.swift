import TheodoiCore
import TheodoiStore

/// Agencies with what they lead and coordinate in a plan, as of a date.
public struct AgencyOverview: Sendable {
    /// One agency's counts, in tasks as the decision counts them (DESIGN §5: top-level assignments,
    /// sub-assignments rolled into their parent), and the rows it leads, sub-assignments included.
    public struct Entry: Sendable {
        public var agency: AgencyRecord
        /// Top-level tasks it leads.
        public var led: Int
        /// Top-level tasks it coordinates.
        public var coordinated: Int
        /// Top-level tasks it leads that are overdue.
        public var overdue: Int
        /// Rows it leads, sub-assignments included (the agency's own list shows them all).
        public var ledRows: Int
    }

    public var plan: PlanRecord
    public var asOf: LocalDate
    /// Agencies named by the plan, most led first.
    public var entries: [Entry]

    /// Counts tasks like the scorecard and the agency's page do; rows are counted apart.
    public static func make(
        snapshot: PlanSnapshot, statuses: [AssignmentStatus], agencies: [AgencyRecord], asOf: LocalDate
    ) -> AgencyOverview {
        var led: [AgencyRecord.ID: Int] = [:]
        var ledRows: [AgencyRecord.ID: Int] = [:]
        var coordinated: [AgencyRecord.ID: Int] = [:]
        var overdue: [AgencyRecord.ID: Int] = [:]
        for (position, assignment) in snapshot.assignments.enumerated() {
            let leads = Set(assignment.lead.compactMap(\.agencyID))
            for id in leads { ledRows[id, default: 0] += 1 }
            guard assignment.parent == nil else { continue }
            for id in leads {
                led[id, default: 0] += 1
                if statuses[position].timeliness == .openOverdue { overdue[id, default: 0] += 1 }
            }
            for id in Set(assignment.coordinators.compactMap(\.agencyID)) { coordinated[id, default: 0] += 1 }
        }
        let entries = agencies.compactMap { agency -> Entry? in
            let entry = Entry(
                agency: agency, led: led[agency.id] ?? 0, coordinated: coordinated[agency.id] ?? 0,
                overdue: overdue[agency.id] ?? 0, ledRows: ledRows[agency.id] ?? 0)
            return entry.led + entry.coordinated + entry.ledRows > 0 ? entry : nil
        }
        return AgencyOverview(
            plan: snapshot.plan, asOf: asOf,
            entries: entries.sorted {
                ($0.led, $0.coordinated, $0.ledRows, $1.agency.name) > ($1.led, $1.coordinated, $1.ledRows, $0.agency.name)
            })
    }
}
