import TheodoiCatalog
import TheodoiCore
import TheodoiStore

/// One plan as read from the store at one revision: what every page and API call of that plan needs.
public struct PlanSnapshot: Sendable {
    public let plan: PlanRecord
    public let parts: [PartRecord]
    public let looseGroups: [GroupRecord]
    /// Every row, in document order.
    public let assignments: [AssignmentRecord]
    public let findings: [Finding]
    /// Code → index in `assignments`.
    public let index: [String: Int]
    /// Parent code → indexes of its children.
    public let children: [String: [Int]]
    /// The agencies the plan names (lead or coordinating), by id, in first-named order.
    public let agencies: [(id: AgencyRecord.ID, name: String)]
    /// The months that hold a due date, sorted.
    public let dueMonths: [(year: Int, month: Int)]
    /// Top-level assignments (the decision's own count).
    public let topLevelCount: Int
    /// Assignment id → index in `assignments`.
    public let idIndex: [AssignmentRecord.ID: Int]
    /// The rows each agency leads or coordinates, in document order (an agency's work reads these only).
    public let rowsByAgency: [AgencyRecord.ID: [Int]]
    /// Whether each row has sub-assignments.
    public let isParent: [Bool]
    /// Each row's sent reports, reviews and decided extensions, by index in `assignments`.
    public private(set) var histories: [AssignmentHistory]
    /// The plan's progress activity the histories reflect.
    public private(set) var activity: Int = 0
    /// The last status event folded into the histories.
    public private(set) var lastEvent: Int = 0
    /// The days amendments took effect, sorted, each once.
    public let amendmentDates: [LocalDate]
    /// What each amendment did, in the order they took effect (over every task the plan ever had,
    /// also in a snapshot of one period, which leaves ended tasks out).
    public private(set) var amendments: [AmendmentSummary]
    /// -1 for every task the plan ever had as it reads now; otherwise the number of amendment dates
    /// this snapshot stands after (`inForce(on:)`): the rows and wording of the plan in that period.
    public private(set) var era = -1

    public init(
        plan: PlanRecord, parts: [PartRecord], looseGroups: [GroupRecord], assignments: [AssignmentRecord],
        findings: [Finding]
    ) {
        self.plan = plan
        self.parts = parts
        self.looseGroups = looseGroups
        self.assignments = assignments
        self.findings = findings
        var index: [String: Int] = [:]
        var children: [String: [Int]] = [:]
        for (position, assignment) in assignments.enumerated() {
            index[assignment.code] = position
            if let parent = assignment.parent { children[parent, default: []].append(position) }
        }
        self.index = index
        self.children = children
        var idIndex: [AssignmentRecord.ID: Int] = [:]
        for (position, assignment) in assignments.enumerated() { idIndex[assignment.id] = position }
        self.idIndex = idIndex
        self.histories = Array(repeating: .empty, count: assignments.count)
        var seen: Set<AgencyRecord.ID> = []
        var agencies: [(id: AgencyRecord.ID, name: String)] = []
        var months: Set<Int> = []
        var topLevel = 0
        var rowsByAgency: [AgencyRecord.ID: [Int]] = [:]
        var isParent = [Bool](repeating: false, count: assignments.count)
        for (position, assignment) in assignments.enumerated() {
            if let parent = assignment.parent, let parentPosition = index[parent] { isParent[parentPosition] = true }
            var named: Set<AgencyRecord.ID> = []
            for link in assignment.lead + assignment.coordinators {
                guard let id = link.agencyID else { continue }
                if seen.insert(id).inserted { agencies.append((id, link.name)) }
                if named.insert(id).inserted { rowsByAgency[id, default: []].append(position) }
            }
            if let due = assignment.deadline.due { months.insert(due.year * 100 + due.month) }
            if assignment.parent == nil { topLevel += 1 }
        }
        self.agencies = agencies
        self.rowsByAgency = rowsByAgency
        self.isParent = isParent
        self.dueMonths = months.sorted().map { ($0 / 100, $0 % 100) }
        self.topLevelCount = topLevel
        self.amendmentDates = Set(assignments.flatMap { $0.trail?.versions.map(\.takesEffect) ?? [] }).sorted()
        self.amendments = AmendmentSummary.of(assignments)
    }

    /// The number of amendment dates on or before a day.
    public func era(of date: LocalDate) -> Int {
        amendmentDates.lastIndex { $0 <= date }.map { $0 + 1 } ?? 0
    }

    /// The plan as it stood on a day (DESIGN §5): tasks added by a later amendment left out, tasks an
    /// amendment ended by then left out (they leave the counts), every other task with the wording in
    /// force that day, and every task's history kept. A plan never amended is itself.
    public func inForce(on date: LocalDate) -> PlanSnapshot {
        guard !amendmentDates.isEmpty else { return self }
        var rows: [AssignmentRecord] = []
        var histories: [AssignmentHistory] = []
        rows.reserveCapacity(assignments.count)
        histories.reserveCapacity(assignments.count)
        for (position, assignment) in assignments.enumerated() {
            guard let row = assignment.asOf(date) else { continue }
            rows.append(row)
            histories.append(self.histories[position])
        }
        var snapshot = PlanSnapshot(
            plan: plan, parts: parts, looseGroups: looseGroups, assignments: rows, findings: findings)
        snapshot.histories = histories
        snapshot.activity = activity
        snapshot.lastEvent = lastEvent
        snapshot.era = era(of: date)
        snapshot.amendments = amendments
        return snapshot
    }

    /// Folds status events (oldest first) into the histories and records the activity they bring it to.
    public mutating func apply(_ events: [ProgressEvent], activity: Int) {
        for event in events where event.sequence > lastEvent {
            lastEvent = event.sequence
            guard let position = idIndex[event.assignmentID] else { continue }
            switch event.change {
            case .report(let report): histories[position].reports.append(report)
            case .review(let review): histories[position].reviews.append(review)
            case .extension(let decision): histories[position].extensions.append(decision)
            case .withdrawal(let reportID, let on):
                if let index = histories[position].reports.firstIndex(where: { $0.id == reportID }) {
                    histories[position].reports[index].withdrawnOn = on
                }
            case .reviewReversal(let reportID, let on):
                if let index = histories[position].reviews.lastIndex(where: { $0.reportID == reportID && $0.reversedOn == nil }) {
                    histories[position].reviews[index].reversedOn = on
                }
            case .extensionReversal(let decidedOn, let approved, let newDue, let on):
                if let index = histories[position].extensions.firstIndex(where: {
                    $0.decidedOn == decidedOn && $0.approved == approved && $0.newDue == newDue && $0.reversedOn == nil
                }) {
                    histories[position].extensions[index].reversedOn = on
                }
            case .extensionRequest(let request): histories[position].requests.append(request)
            }
        }
        self.activity = activity
    }

    /// The status of one row (and, for a parent, its sub-assignments) as of `asOf`, without the rest of the plan.
    public func status(at position: Int, asOf: LocalDate) -> AssignmentStatus {
        let assignment = assignments[position]
        let childStatuses = (children[assignment.code] ?? []).map { status(at: $0, asOf: asOf) }
        return StatusEngine.status(
            deadline: assignment.deadline(asOf: asOf), history: histories[position], children: childStatuses,
            planDate: plan.date, asOf: asOf)
    }

    /// The history of one row by code.
    public func history(of code: String) -> AssignmentHistory {
        index[code].map { histories[$0] } ?? .empty
    }

    /// The status of every row as of `asOf`, children before parents (DESIGN §5).
    public func statuses(asOf: LocalDate) -> [AssignmentStatus] {
        var statuses = [AssignmentStatus?](repeating: nil, count: assignments.count)
        // Children follow their parent in document order, so walking backwards meets them first.
        for position in assignments.indices.reversed() {
            let assignment = assignments[position]
            let childStatuses = (children[assignment.code] ?? []).compactMap { statuses[$0] }
            statuses[position] = StatusEngine.status(
                deadline: assignment.deadline(asOf: asOf), history: histories[position], children: childStatuses,
                planDate: plan.date, asOf: asOf)
        }
        return statuses.map { $0 ?? StatusEngine.status(deadline: Deadline(parsing: ""), planDate: nil, asOf: asOf) }
    }

    /// The catalogue revision and progress activity this snapshot reflects.
    public var version: PlanVersion { PlanVersion(revision: plan.revision, activity: activity) }

    /// The title of a part, or of a group inside a part.
    public func groupTitle(part: String?, group: String) -> String? {
        if let part {
            return parts.first { $0.code == part }?.groups.first { $0.code == group }?.title
        }
        return looseGroups.first { $0.code == group }?.title
    }
}

/// Plan snapshots kept between requests, reloaded when the plan's revision in the database moves
/// (so several instances sharing a database stay right), with statuses cached per date.
public actor PlanSnapshots {
    private let store: StoreClient
    private let progress: ProgressStore
    private var snapshots: [String: PlanSnapshot] = [:]
    private var statusCache: [String: [(version: PlanVersion, asOf: LocalDate, statuses: [AssignmentStatus])]] = [:]
    private var dashboardCache: [String: [(version: PlanVersion, asOf: LocalDate, dashboard: Dashboard)]] = [:]
    private var monitoringCache: [String: [(version: PlanVersion, asOf: LocalDate, monitoring: Monitoring)]] = [:]
    private var eraCache: [String: [(version: PlanVersion, era: Int, snapshot: PlanSnapshot)]] = [:]

    public init(store: StoreClient, progress: ProgressStore) {
        self.store = store
        self.progress = progress
    }

    /// The current snapshot of a plan, or nil when there is no such plan. A moved catalogue revision
    /// reloads everything; moved activity only reads the status events since the last one seen.
    public func snapshot(slug: String) async throws -> PlanSnapshot? {
        guard let version = try await store.planRevision(slug) else { return nil }
        if let cached = snapshots[slug], cached.plan.revision == version.revision {
            if cached.activity == version.activity { return cached }
            let events = try await progress.events(cached.plan.id, cached.lastEvent)
            // Taken out of the dictionary first, so the histories are updated in place, not copied.
            guard var current = snapshots.removeValue(forKey: slug) else { return cached }
            current.apply(events, activity: max(version.activity, current.activity))
            snapshots[slug] = current
            return current
        }
        guard let plan = try await store.plan(slug) else { return nil }
        async let parts = store.parts(plan.id)
        async let looseGroups = store.looseGroups(plan.id)
        async let assignments = store.assignments(plan.id)
        async let findings = store.findings(plan.id)
        async let events = progress.events(plan.id, 0)
        var snapshot = PlanSnapshot(
            plan: plan, parts: try await parts, looseGroups: try await looseGroups, assignments: try await assignments,
            findings: try await findings)
        snapshot.apply(try await events, activity: version.activity)
        snapshots[slug] = snapshot
        statusCache[slug] = nil
        dashboardCache[slug] = nil
        return snapshot
    }

    /// The plan as it stood on a day (`PlanSnapshot.inForce(on:)`): what every count, list and
    /// report as of that day reads. Derived once per version and amendment period.
    public func snapshot(slug: String, asOf: LocalDate) async throws -> PlanSnapshot? {
        guard let full = try await snapshot(slug: slug) else { return nil }
        guard !full.amendmentDates.isEmpty else { return full }
        let era = full.era(of: asOf)
        let version = full.version
        if let hit = eraCache[slug]?.first(where: { $0.version == version && $0.era == era }) { return hit.snapshot }
        let derived = full.inForce(on: asOf)
        var entries = (eraCache[slug] ?? []).filter { $0.version == version }
        entries.append((version, era, derived))
        eraCache[slug] = entries
        return derived
    }

    /// The cache key of a snapshot's statuses: the slug and which rows it holds.
    private static func key(_ snapshot: PlanSnapshot) -> String {
        snapshot.era < 0 ? snapshot.plan.slug : "\(snapshot.plan.slug)#\(snapshot.era)"
    }

    /// Statuses of a snapshot's rows as of a date, computed once per revision and date.
    public func statuses(of snapshot: PlanSnapshot, asOf: LocalDate) -> [AssignmentStatus] {
        let slug = Self.key(snapshot)
        let version = snapshot.version
        if let hit = statusCache[slug]?.first(where: { $0.version == version && $0.asOf == asOf }) {
            return hit.statuses
        }
        let statuses = snapshot.statuses(asOf: asOf)
        var entries = (statusCache[slug] ?? []).filter { $0.version == version }
        entries.append((version, asOf, statuses))
        if entries.count > 8 { entries.removeFirst(entries.count - 8) }
        statusCache[slug] = entries
        return statuses
    }

    /// The timeline, scorecard and action lists of a snapshot as of a date, computed once per version and date.
    public func monitoring(of snapshot: PlanSnapshot, asOf: LocalDate) -> Monitoring {
        let slug = Self.key(snapshot)
        let version = snapshot.version
        if let hit = monitoringCache[slug]?.first(where: { $0.version == version && $0.asOf == asOf }) {
            return hit.monitoring
        }
        let monitoring = Monitoring(snapshot: snapshot, statuses: statuses(of: snapshot, asOf: asOf), asOf: asOf)
        var entries = (monitoringCache[slug] ?? []).filter { $0.version == version }
        entries.append((version, asOf, monitoring))
        if entries.count > 8 { entries.removeFirst(entries.count - 8) }
        monitoringCache[slug] = entries
        return monitoring
    }

    /// What changed between two dates.
    public func changes(of snapshot: PlanSnapshot, from: LocalDate, to: LocalDate) -> PlanChanges {
        PlanChanges(
            snapshot: snapshot, before: statuses(of: snapshot, asOf: from), after: statuses(of: snapshot, asOf: to), from: from,
            to: to)
    }

    /// The dashboard of a snapshot as of a date, computed once per revision and date.
    public func dashboard(of snapshot: PlanSnapshot, asOf: LocalDate) -> Dashboard {
        let slug = Self.key(snapshot)
        let version = snapshot.version
        if let hit = dashboardCache[slug]?.first(where: { $0.version == version && $0.asOf == asOf }) {
            return hit.dashboard
        }
        let dashboard = Dashboard(snapshot: snapshot, statuses: statuses(of: snapshot, asOf: asOf), asOf: asOf)
        var entries = (dashboardCache[slug] ?? []).filter { $0.version == version }
        entries.append((version, asOf, dashboard))
        if entries.count > 8 { entries.removeFirst(entries.count - 8) }
        dashboardCache[slug] = entries
        return dashboard
    }
}

/// What one amendment did to a plan: the codes it added, changed and ended.
public struct AmendmentSummary: Sendable, Hashable {
    public var number: String
    public var takesEffect: LocalDate
    public var added: [String] = []
    public var changed: [String] = []
    public var ended: [String] = []

    /// "Quyết định số 400-QĐ/TU ngày 15/03/2026".
    public var citation: String { "Quyết định số \(number) ngày \(takesEffect.vietnameseShort)" }

    /// "bổ sung 2 nhiệm vụ, điều chỉnh 2 nhiệm vụ, bãi bỏ 1 nhiệm vụ".
    public var counts: String {
        var parts: [String] = []
        if !added.isEmpty { parts.append("bổ sung \(added.count) nhiệm vụ") }
        if !changed.isEmpty { parts.append("điều chỉnh \(changed.count) nhiệm vụ") }
        if !ended.isEmpty { parts.append("bãi bỏ \(ended.count) nhiệm vụ") }
        return parts.isEmpty ? "không thay đổi nhiệm vụ nào" : parts.joined(separator: ", ")
    }

    static func of(_ assignments: [AssignmentRecord]) -> [AmendmentSummary] {
        var byNumber: [String: AmendmentSummary] = [:]
        for assignment in assignments {
            for version in assignment.trail?.versions ?? [] {
                var summary =
                    byNumber[version.amendment] ?? AmendmentSummary(number: version.amendment, takesEffect: version.takesEffect)
                switch version.change {
                case .added: summary.added.append(assignment.code)
                case .changed: summary.changed.append(assignment.code)
                case .ended: summary.ended.append(assignment.code)
                }
                byNumber[version.amendment] = summary
            }
        }
        return byNumber.values.sorted { ($0.takesEffect, $0.number) < ($1.takesEffect, $1.number) }
    }
}
