import TheodoiCore
import TheodoiStore

/// What the monitoring office and leaders look at, as of a date: the plan's timeline by month,
/// progress over time, the lead agencies' scorecard, and the lists that prompt action.
/// Statistics count top-level assignments (DESIGN §5); lists show every row.
public struct Monitoring: Sendable {
    /// One month of the plan's timeline.
    public struct Month: Sendable, Hashable {
        public var year: Int
        public var month: Int
        /// Top-level assignments whose effective due date falls in the month.
        public var due: Int
        /// Top-level assignments completed (accepted, by completion date) in the month.
        public var completed: Int
        /// "2025-10", for links.
        public var key: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }
    }

    /// How many were due and how many done by the end of a month (cumulative).
    public struct ProgressPoint: Sendable, Hashable {
        public var date: LocalDate
        public var dueBy: Int
        public var doneBy: Int
    }

    /// One lead agency's record (thi đua).
    public struct AgencyScore: Sendable, Hashable {
        public var agencyID: AgencyRecord.ID?
        public var name: String
        /// Top-level assignments it leads.
        public var assigned = 0
        /// Of those, with an effective due date on or before the date.
        public var due = 0
        public var doneOnTime = 0
        public var doneLate = 0
        public var overdue = 0
        public var awaitingReview = 0
        /// Its reports the office returned, up to the date.
        public var returnedReports = 0
        /// Completion reports it sent after the due date then in force.
        public var lateReports = 0
        public var lastReport: LocalDate?
        public var daysSinceLastReport: Int?

        /// Done on time as a share of what was due, 0–100 (nil when nothing was due).
        public var onTimeRate: Int? { due == 0 ? nil : (doneOnTime * 100 + due / 2) / due }
    }

    /// A row of an action list, with the date that puts it there and how many days since.
    public struct Entry: Sendable, Hashable {
        /// Index in the snapshot's assignments.
        public var position: Int
        public var date: LocalDate?
        public var days: Int?
    }

    public var asOf: LocalDate
    public var months: [Month]
    public var progress: [ProgressPoint]
    public var scorecard: [AgencyScore]
    /// Chưa hoàn thành, quá hạn: oldest due date first.
    public var overdue: [Entry]
    /// Due in the next 30 days, soonest first.
    public var dueSoon: [Entry]
    /// No report for 30 days (or never, 30 days after the plan), longest silence first.
    public var quiet: [Entry]
    /// Completion reported, not reviewed: oldest first.
    public var awaitingReview: [Entry]
    /// Recurring, no report in the current period.
    public var recurringUnreported: [Entry]

    /// Days of silence that make an assignment "quiet".
    public static let quietDays = 30
    /// The window of "due soon".
    public static let dueSoonDays = 30

    public init(snapshot: PlanSnapshot, statuses: [AssignmentStatus], asOf: LocalDate) {
        self.asOf = asOf
        let today = asOf.daysSinceEpoch
        let assignments = snapshot.assignments
        // Timeline by month and progress, over top-level assignments.
        var dueByMonth: [Int: Int] = [:]
        var doneByMonth: [Int: Int] = [:]
        var dueDates: [LocalDate] = []
        var doneDates: [LocalDate] = []
        for (position, assignment) in assignments.enumerated() where assignment.parent == nil {
            let status = statuses[position]
            if status.timeliness != .recurring, let due = status.effectiveDue {
                dueByMonth[due.year * 100 + due.month, default: 0] += 1
                dueDates.append(due)
            }
            if status.timeliness.isDone, let completed = status.completedOn {
                doneByMonth[completed.year * 100 + completed.month, default: 0] += 1
                doneDates.append(completed)
            }
        }
        let start = snapshot.plan.date ?? dueDates.min() ?? asOf
        // From the earliest of the plan's month, a due month (some fall before the decision) and a completion.
        let firstKey = min(
            start.year * 100 + start.month, dueByMonth.keys.min() ?? Int.max, doneByMonth.keys.min() ?? Int.max)
        let lastKey = max(dueByMonth.keys.max() ?? 0, asOf.year * 100 + asOf.month)
        var months: [Month] = []
        var key = firstKey
        while key <= lastKey && months.count < 120 {
            months.append(
                Month(year: key / 100, month: key % 100, due: dueByMonth[key] ?? 0, completed: doneByMonth[key] ?? 0))
            key = key % 100 == 12 ? (key / 100 + 1) * 100 + 1 : key + 1
        }
        self.months = months
        dueDates.sort()
        doneDates.sort()
        var progress: [ProgressPoint] = []
        var dueIndex = 0
        var doneIndex = 0
        for month in months where month.year * 100 + month.month <= asOf.year * 100 + asOf.month {
            let end = min(LocalDate.endOfMonth(year: month.year, month: month.month) ?? asOf, asOf)
            while dueIndex < dueDates.count && dueDates[dueIndex] <= end { dueIndex += 1 }
            while doneIndex < doneDates.count && doneDates[doneIndex] <= end { doneIndex += 1 }
            progress.append(ProgressPoint(date: end, dueBy: dueIndex, doneBy: doneIndex))
        }
        self.progress = progress

        // The scorecard: counts over top-level assignments; reports over every row the agency leads.
        var scores: [String: AgencyScore] = [:]
        var order: [String] = []
        func scoreKey(_ link: AgencyLink) -> String { link.agencyID.map { "#\($0.rawValue)" } ?? link.name }
        for (position, assignment) in assignments.enumerated() {
            let status = statuses[position]
            for lead in assignment.lead where !lead.generic {
                let id = scoreKey(lead)
                if scores[id] == nil {
                    order.append(id)
                    scores[id] = AgencyScore(agencyID: lead.agencyID, name: lead.name)
                }
                if assignment.parent == nil {
                    scores[id]?.assigned += 1
                    if status.timeliness != .recurring, let due = status.effectiveDue, due <= asOf { scores[id]?.due += 1 }
                    switch status.timeliness {
                    case .doneOnTime: scores[id]?.doneOnTime += 1
                    case .doneLate: scores[id]?.doneLate += 1
                    case .openOverdue: scores[id]?.overdue += 1
                    default: break
                    }
                    if status.stage == .awaitingReview { scores[id]?.awaitingReview += 1 }
                }
                let history = snapshot.histories[position]
                // Withdrawn reports and reversed decisions stop counting from the day they were undone.
                let sent = history.standingReports(asOf: asOf)
                scores[id]?.returnedReports +=
                    history.standingReviews(asOf: asOf).filter { review in
                        if case .return = review.decision { return true }
                        return false
                    }.count
                // A completion report sent after the due date in force that day.
                let extensions = history.standingExtensions(asOf: asOf).filter(\.approved)
                for report in sent where report.claimsCompletion {
                    let inForce =
                        extensions.filter { $0.decidedOn <= report.submittedOn }.max { $0.decidedOn < $1.decidedOn }?.newDue
                        ?? assignment.deadline.due
                    if let inForce, report.submittedOn > inForce { scores[id]?.lateReports += 1 }
                }
                if let last = sent.map(\.submittedOn).max(), last > (scores[id]?.lastReport ?? LocalDate(daysSinceEpoch: 0)) {
                    scores[id]?.lastReport = last
                }
            }
        }
        self.scorecard = order.compactMap { id in
            guard var score = scores[id] else { return nil }
            score.daysSinceLastReport = score.lastReport.map { today - $0.daysSinceEpoch }
            return score
        }

        // The lists: every row.
        var overdue: [Entry] = []
        var dueSoon: [Entry] = []
        var quiet: [Entry] = []
        var awaiting: [Entry] = []
        var recurring: [Entry] = []
        let planStart = snapshot.plan.date
        for (position, assignment) in assignments.enumerated() {
            let status = statuses[position]
            let isParent = !(snapshot.children[assignment.code] ?? []).isEmpty
            if status.timeliness == .openOverdue, let due = status.effectiveDue {
                overdue.append(Entry(position: position, date: due, days: today - due.daysSinceEpoch))
            }
            if status.timeliness == .openInTime, let due = status.effectiveDue,
                due.daysSinceEpoch - today <= Monitoring.dueSoonDays
            {
                dueSoon.append(Entry(position: position, date: due, days: due.daysSinceEpoch - today))
            }
            let sent = snapshot.histories[position].standingReports(asOf: asOf)
            let last = sent.map(\.submittedOn).max()
            if status.stage == .awaitingReview, !isParent, let last {
                awaiting.append(Entry(position: position, date: last, days: today - last.daysSinceEpoch))
            }
            if status.timeliness == .recurring, status.reportedThisPeriod == false {
                recurring.append(Entry(position: position, date: last, days: last.map { today - $0.daysSinceEpoch }))
            }
            if !isParent, !status.timeliness.isDone, assignment.lead.contains(where: { $0.agencyID != nil }),
                let since = last ?? planStart, today - since.daysSinceEpoch >= Monitoring.quietDays
            {
                quiet.append(Entry(position: position, date: last, days: today - since.daysSinceEpoch))
            }
        }
        self.overdue = overdue.sorted { ($0.date ?? asOf, $0.position) < ($1.date ?? asOf, $1.position) }
        self.dueSoon = dueSoon.sorted { ($0.date ?? asOf, $0.position) < ($1.date ?? asOf, $1.position) }
        self.quiet = quiet.sorted { ($1.days ?? 0, $0.position) < ($0.days ?? 0, $1.position) }
        self.awaitingReview = awaiting.sorted { ($0.date ?? asOf, $0.position) < ($1.date ?? asOf, $1.position) }
        self.recurringUnreported = recurring
    }
}

/// What changed between two dates: newly completed, newly overdue, extensions granted, reports returned.
public struct PlanChanges: Sendable {
    public var from: LocalDate
    public var to: LocalDate
    /// Rows done as of `to` but not as of `from`.
    public var completed: [Int]
    /// Rows overdue as of `to` but not as of `from`.
    public var newlyOverdue: [Int]
    /// Rows with an extension approved after `from`, up to `to`, with the new date.
    public var extensionsGranted: [(position: Int, decidedOn: LocalDate, newDue: LocalDate)]
    /// Rows with a report returned after `from`, up to `to`.
    public var returned: [(position: Int, decidedOn: LocalDate)]

    public init(snapshot: PlanSnapshot, before: [AssignmentStatus], after: [AssignmentStatus], from: LocalDate, to: LocalDate) {
        self.from = from
        self.to = to
        var completed: [Int] = []
        var overdue: [Int] = []
        var granted: [(Int, LocalDate, LocalDate)] = []
        var returned: [(Int, LocalDate)] = []
        for position in snapshot.assignments.indices {
            if after[position].timeliness.isDone && !before[position].timeliness.isDone { completed.append(position) }
            if after[position].timeliness == .openOverdue && before[position].timeliness != .openOverdue {
                overdue.append(position)
            }
            let history = snapshot.histories[position]
            // As the record stands on `to`: a decision reversed by then is not a change.
            for decision in history.standingExtensions(asOf: to)
            where decision.approved && decision.decidedOn > from {
                granted.append((position, decision.decidedOn, decision.newDue))
            }
            for review in history.standingReviews(asOf: to) where review.decidedOn > from {
                if case .return = review.decision { returned.append((position, review.decidedOn)) }
            }
        }
        self.completed = completed
        self.newlyOverdue = overdue
        self.extensionsGranted = granted.sorted { $0.1 < $1.1 }.map { (position: $0.0, decidedOn: $0.1, newDue: $0.2) }
        self.returned = returned.sorted { $0.1 < $1.1 }.map { (position: $0.0, decidedOn: $0.1) }
    }
}
