import TheodoiCore
import TheodoiStore

/// What to show of a plan: the date statuses are computed for, filters and a page.
public struct PlanQuery: Sendable {
    /// Which agency cell an agency filter looks at.
    public enum AgencyRole: String, Sendable, Hashable, CaseIterable {
        case lead, coordinator, any
    }

    public var asOf: LocalDate
    /// Free text: the rows that contain every word of it (`SearchWords`); diacritics and case ignored.
    public var text: String?
    public var agency: AgencyRecord.ID?
    public var agencyRole: AgencyRole
    public var part: String?
    public var group: String?
    public var timeliness: Timeliness?
    public var stage: Stage?
    /// Rows whose effective due date falls in this month ("2025-10").
    public var dueMonth: (year: Int, month: Int)?
    /// Rows completed (accepted) with a completion date in this month.
    public var completedMonth: (year: Int, month: Int)?
    /// Only top-level assignments: the rows statistics count (DESIGN §5), for drilling down from a number.
    public var topLevelOnly = false
    /// Only rows whose effective due date is on or before the date (recurring ones left out).
    public var duePassed = false
    /// 1-based.
    public var page: Int
    public var perPage: Int

    public init(
        asOf: LocalDate, text: String? = nil, agency: AgencyRecord.ID? = nil, agencyRole: AgencyRole = .any,
        part: String? = nil, group: String? = nil, timeliness: Timeliness? = nil, stage: Stage? = nil,
        dueMonth: (year: Int, month: Int)? = nil, page: Int = 1, perPage: Int = 200
    ) {
        self.asOf = asOf
        self.text = text
        self.agency = agency
        self.agencyRole = agencyRole
        self.part = part
        self.group = group
        self.timeliness = timeliness
        self.stage = stage
        self.dueMonth = dueMonth
        self.page = page
        self.perPage = perPage
    }

    /// Whether any filter is set (besides the date and the page).
    public var isFiltered: Bool {
        text != nil || agency != nil || part != nil || group != nil || timeliness != nil || stage != nil || dueMonth != nil
            || completedMonth != nil || topLevelOnly || duePassed
    }
}

/// One row of a plan view: the assignment and where it stands.
public struct PlanRow: Sendable {
    public var assignment: AssignmentRecord
    public var status: AssignmentStatus

    public init(assignment: AssignmentRecord, status: AssignmentStatus) {
        self.assignment = assignment
        self.status = status
    }
}

/// The rows of a plan that match a query, one page of them, and the counts of the whole plan.
public struct PlanView: Sendable {
    public var snapshot: PlanSnapshot
    public var query: PlanQuery
    /// The rows of the requested page, in document order.
    public var rows: [PlanRow]
    /// Rows matching the query, over all pages.
    public var total: Int
    /// Counts over the plan's top-level assignments (DESIGN §5 counting unit), unfiltered.
    public var summary: StatusSummary

    public var pageCount: Int { max(1, total / max(query.perPage, 1) + (total % max(query.perPage, 1) == 0 ? 0 : 1)) }
}

/// Queries over plan snapshots.
public struct PlanViews: Sendable {
    public let store: StoreClient
    public let snapshots: PlanSnapshots

    public init(store: StoreClient, snapshots: PlanSnapshots) {
        self.store = store
        self.snapshots = snapshots
    }

    /// A query that names something the plan does not have.
    public struct UnknownFilter: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The rows of `slug` matching `query`; nil when there is no such plan.
    public func view(slug: String, query: PlanQuery) async throws -> PlanView? {
        guard let snapshot = try await snapshots.snapshot(slug: slug, asOf: query.asOf) else { return nil }
        return try await view(snapshot, query: query)
    }

    /// The rows of a snapshot matching `query`.
    public func view(_ snapshot: PlanSnapshot, query: PlanQuery) async throws -> PlanView {
        if let part = query.part, !snapshot.parts.contains(where: { $0.code == part }) {
            throw UnknownFilter(
                message: "Kế hoạch không có phần “\(part)”; các phần: \(snapshot.parts.map(\.code).joined(separator: ", ")).")
        }
        if let group = query.group {
            let groups =
                query.part.map { part in snapshot.parts.first { $0.code == part }?.groups ?? [] }
                ?? (snapshot.parts.flatMap(\.groups) + snapshot.looseGroups)
            if !groups.contains(where: { $0.code == group }) {
                throw UnknownFilter(message: "Kế hoạch không có nhóm “\(group)”\(query.part.map { " trong phần \($0)" } ?? "").")
            }
        }
        let statuses = await snapshots.statuses(of: snapshot, asOf: query.asOf)
        var matching: Set<String>?
        if let text = query.text {
            let words = SearchWords(text)
            if !words.isEmpty { matching = try await store.searchAssignments(snapshot.plan.id, words) }
        }
        var selected: [Int] = []
        let assignments = snapshot.assignments
        for position in assignments.indices {
            let status = statuses[position]
            if let matching, !matching.contains(assignments[position].code) { continue }
            if let part = query.part, assignments[position].part != part { continue }
            if let group = query.group, assignments[position].group != group { continue }
            if let timeliness = query.timeliness, status.timeliness != timeliness { continue }
            if let stage = query.stage, status.stage != stage { continue }
            if let month = query.dueMonth {
                guard let due = status.effectiveDue, due.year == month.year, due.month == month.month else { continue }
                // The timeline counts recurring tasks apart: their due date moves with the period.
                if query.topLevelOnly && status.timeliness == .recurring { continue }
            }
            if let month = query.completedMonth {
                guard status.timeliness.isDone, let done = status.completedOn, done.year == month.year, done.month == month.month
                else { continue }
            }
            if query.topLevelOnly && assignments[position].parent != nil { continue }
            if query.duePassed {
                guard status.timeliness != .recurring, let due = status.effectiveDue, due <= query.asOf else { continue }
            }
            if let agency = query.agency {
                let lead = assignments[position].lead.contains { $0.agencyID == agency }
                let coordinator = assignments[position].coordinators.contains { $0.agencyID == agency }
                switch query.agencyRole {
                case .lead: if !lead { continue }
                case .coordinator: if !coordinator { continue }
                case .any: if !lead && !coordinator { continue }
                }
            }
            selected.append(position)
        }
        // Checked arithmetic: the page comes from a request (bounded there too).
        let (product, overflow) = (max(query.page, 1) - 1).multipliedReportingOverflow(by: max(query.perPage, 1))
        let start = overflow ? Int.max : product
        let pageRows =
            start < selected.count ? Array(selected[start..<(start + min(selected.count - start, max(query.perPage, 1)))]) : []
        let summary = await snapshots.dashboard(of: snapshot, asOf: query.asOf).summary
        return PlanView(
            snapshot: snapshot, query: query,
            rows: pageRows.map { PlanRow(assignment: snapshot.assignments[$0], status: statuses[$0]) },
            total: selected.count, summary: summary)
    }

    /// One assignment with its status, parent and children; nil when the plan or the code is unknown.
    public func assignment(slug: String, code: String, asOf: LocalDate) async throws -> AssignmentDetail? {
        // The plan as it stood that day; a task not in it then (added later, or ended) is shown from
        // the whole plan, with the notice of its amendment.
        guard let whole = try await snapshots.snapshot(slug: slug, asOf: asOf) else { return nil }
        var snapshot = whole
        if whole.index[code] == nil, let full = try await snapshots.snapshot(slug: slug) { snapshot = full }
        guard let position = snapshot.index[code] else { return nil }
        let statuses = await snapshots.statuses(of: snapshot, asOf: asOf)
        let assignment = snapshot.assignments[position]
        let parent = assignment.parent.flatMap { snapshot.index[$0] }.map {
            PlanRow(assignment: snapshot.assignments[$0], status: statuses[$0])
        }
        let children = (snapshot.children[code] ?? []).map {
            PlanRow(assignment: snapshot.assignments[$0], status: statuses[$0])
        }
        return AssignmentDetail(
            snapshot: snapshot, row: PlanRow(assignment: assignment, status: statuses[position]), parent: parent,
            children: children)
    }

    /// Counts by timeliness and stage over top-level assignments, per part, group and lead agency.
    public func dashboard(slug: String, asOf: LocalDate) async throws -> Dashboard? {
        guard let snapshot = try await snapshots.snapshot(slug: slug, asOf: asOf) else { return nil }
        return await snapshots.dashboard(of: snapshot, asOf: asOf)
    }
}

/// One assignment in context.
public struct AssignmentDetail: Sendable {
    public var snapshot: PlanSnapshot
    public var row: PlanRow
    public var parent: PlanRow?
    public var children: [PlanRow]
}
