import Foundation
import TheodoiCore
import TheodoiStore

/// Việc của tôi: what one agency has to do across every plan, most urgent first (issue 19).
///
/// Each row the agency leads or coordinates appears once, under the first of these that applies:
/// a report the office returned; overdue (most days first); due within 30 days (soonest first); a
/// draft not yet sent; a recurring task with no report this period; a task it coordinates, still
/// open, to which it has sent no contribution (soonest due first). Rows with sub-assignments are
/// reported through their sub-assignments and are not listed themselves, nor are rows whose sent
/// report waits for the office. Demo plans are left out.
public struct MyWork: Sendable {
    /// Why a row is on the list, in the order of urgency.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case returned, overdue, dueSoon = "due-soon", draft, recurring, contribution

        public var vietnamese: String {
            switch self {
            case .returned: "Báo cáo bị trả lại"
            case .overdue: "Quá hạn"
            case .dueSoon: "Đến hạn trong 30 ngày"
            case .draft: "Bản nháp chưa gửi"
            case .recurring: "Định kỳ, kỳ này chưa báo cáo"
            case .contribution: "Chờ ý kiến phối hợp"
            }
        }
    }

    public struct Item: Sendable, Hashable {
        public var kind: Kind
        public var plan: PlanRecord
        public var code: String
        public var title: String
        /// The due date in force (after extensions), when the row has one.
        public var due: LocalDate?
        /// Overdue: days past due; due soon: days left.
        public var days: Int?
        /// The form its action opens: the progress report (lead) or the contribution (coordinator).
        public var form: ReportKind
        /// Its row in the plan: rows of one plan that tie keep the decision's order.
        public var position = 0
    }

    /// The agency's own line of each plan's scorecard.
    public struct PlanLine: Sendable {
        public var plan: PlanRecord
        public var score: Monitoring.AgencyScore
    }

    /// One plan as of the date, with its statuses and monitoring.
    public struct PlanInput: Sendable {
        public var snapshot: PlanSnapshot
        public var statuses: [AssignmentStatus]
        public var monitoring: Monitoring

        public init(snapshot: PlanSnapshot, statuses: [AssignmentStatus], monitoring: Monitoring) {
            self.snapshot = snapshot
            self.statuses = statuses
            self.monitoring = monitoring
        }
    }

    public var agency: AgencyRecord.ID
    public var asOf: LocalDate
    public var items: [Item]
    public var plans: [PlanLine]

    /// Days ahead that count as "due soon".
    public static let soonDays = 30

    public static func make(agency: AgencyRecord.ID, plans: [PlanInput], reports: [AgencyReport], asOf: LocalDate) -> MyWork {
        var drafts: Set<AssignmentRecord.ID> = []
        var contributed: Set<AssignmentRecord.ID> = []
        for report in reports {
            if report.state == .draft { drafts.insert(report.assignmentID) }
            if report.kind == .contribution, report.state != .draft, report.state != .withdrawn {
                contributed.insert(report.assignmentID)
            }
        }
        var items: [Item] = []
        var lines: [PlanLine] = []
        for input in plans where !input.snapshot.plan.isDemo {
            let snapshot = input.snapshot
            // Only the agency's own rows, read in place (no copy of each record).
            for position in snapshot.rowsByAgency[agency] ?? [] where !snapshot.isParent[position] {
                let leads = snapshot.assignments[position].lead.contains { $0.agencyID == agency }
                let coordinates = !leads && snapshot.assignments[position].coordinators.contains { $0.agencyID == agency }
                guard leads || coordinates else { continue }
                let id = snapshot.assignments[position].id
                let status = input.statuses[position]
                let due = status.effectiveDue
                let left = due.map { asOf.days(to: $0) }
                var kind: Kind?
                var days: Int?
                if leads {
                    // A sent report waits for the office: its turn, not the agency's.
                    if status.stage == .awaitingReview { continue }
                    if status.stage == .returned {
                        kind = .returned
                    } else if status.timeliness == .openOverdue {
                        kind = .overdue
                        days = left.map { -$0 }
                    } else if status.timeliness == .openInTime, let left, (0...soonDays).contains(left) {
                        kind = .dueSoon
                        days = left
                    } else if drafts.contains(id) {
                        kind = .draft
                    } else if status.timeliness == .recurring, status.reportedThisPeriod == false {
                        kind = .recurring
                    }
                } else if drafts.contains(id) {
                    kind = .draft
                } else if !status.timeliness.isDone, !contributed.contains(id) {
                    kind = .contribution
                    days = left
                }
                guard let kind else { continue }
                items.append(
                    Item(
                        kind: kind, plan: snapshot.plan, code: snapshot.assignments[position].code,
                        title: snapshot.assignments[position].title, due: due, days: days,
                        form: leads ? .report : .contribution, position: position))
            }
            if let score = input.monitoring.scorecard.first(where: { $0.agencyID == agency }) {
                lines.append(PlanLine(plan: snapshot.plan, score: score))
            }
        }
        // Sorted by plain integer keys, then gathered once: an item holds its plan, and moving items
        // about while sorting thousands of them cost more than finding them.
        let order = Dictionary(uniqueKeysWithValues: Kind.allCases.enumerated().map { ($1, $0) })
        let planRank = Dictionary(
            uniqueKeysWithValues: plans.map(\.snapshot.plan).sorted { ($0.number, $0.id) < ($1.number, $1.id) }.enumerated()
                .map { ($1.id, $0) })
        struct Key {
            var kind: Int
            var primary: Int
            var plan: Int
            var position: Int
            var index: Int
        }
        var keys: [Key] = []
        keys.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            let primary =
                item.kind == .overdue ? -(item.days ?? 0) : (item.due?.daysSinceEpoch ?? .max)
            keys.append(
                Key(
                    kind: order[item.kind, default: 0], primary: primary, plan: planRank[item.plan.id, default: 0],
                    position: item.position, index: index))
        }
        keys.sort { ($0.kind, $0.primary, $0.plan, $0.position) < ($1.kind, $1.primary, $1.plan, $1.position) }
        items = keys.map { items[$0.index] }
        return MyWork(agency: agency, asOf: asOf, items: items, plans: lines)
    }
}
