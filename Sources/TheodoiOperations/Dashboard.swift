import TheodoiCore
import TheodoiStore

/// Counts of a plan as of a date: top-level assignments (sub-assignments roll into their parent),
/// by timeliness and stage, for the whole plan, each part, each group and each lead agency.
public struct Dashboard: Sendable {
    /// Counts for one slice of the plan.
    public struct Counts: Sendable {
        public var key: String
        public var title: String
        public var timeliness: [Timeliness: Int] = [:]
        public var stage: [Stage: Int] = [:]
        public var total = 0
        public var recurringReported = 0

        mutating func add(_ status: AssignmentStatus) {
            total += 1
            timeliness[status.timeliness, default: 0] += 1
            stage[status.stage, default: 0] += 1
            if status.reportedThisPeriod == true { recurringReported += 1 }
        }
    }

    public var asOf: LocalDate
    public var plan: PlanRecord
    public var overall: Counts
    public var parts: [Counts]
    public var groups: [Counts]
    public var leadAgencies: [Counts]
    public var summary: StatusSummary

    init(snapshot: PlanSnapshot, statuses: [AssignmentStatus], asOf: LocalDate) {
        self.asOf = asOf
        self.plan = snapshot.plan
        var overall = Counts(key: "all", title: "Toàn bộ kế hoạch")
        var parts: [String: Counts] = [:]
        var groups: [String: Counts] = [:]
        var groupOrder: [String] = []
        var agencies: [String: Counts] = [:]
        var agencyOrder: [String] = []
        var topLevel: [AssignmentStatus] = []
        for (position, assignment) in snapshot.assignments.enumerated() where assignment.parent == nil {
            let status = statuses[position]
            topLevel.append(status)
            overall.add(status)
            if let part = assignment.part {
                let title = snapshot.parts.first { $0.code == part }?.title ?? part
                parts[part, default: Counts(key: part, title: title)].add(status)
            }
            if let group = assignment.group {
                let key = [assignment.part, group].compactMap { $0 }.joined(separator: ".")
                if groups[key] == nil {
                    groupOrder.append(key)
                    groups[key] = Counts(key: key, title: snapshot.groupTitle(part: assignment.part, group: group) ?? group)
                }
                groups[key]?.add(status)
            }
            for lead in assignment.lead where !lead.generic {
                if agencies[lead.name] == nil {
                    agencyOrder.append(lead.name)
                    agencies[lead.name] = Counts(key: lead.agencyID.map { String($0.rawValue) } ?? lead.name, title: lead.name)
                }
                agencies[lead.name]?.add(status)
            }
        }
        self.overall = overall
        self.parts = snapshot.parts.compactMap { parts[$0.code] }
        self.groups = groupOrder.compactMap { groups[$0] }
        self.leadAgencies = agencyOrder.compactMap { agencies[$0] }.sorted { ($0.total, $1.title) > ($1.total, $0.title) }
        self.summary = StatusSummary(topLevel)
    }
}
