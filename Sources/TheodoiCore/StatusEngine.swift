/// Computes where an assignment stands on any date (DESIGN §5). Pure: the date comes in.
public enum StatusEngine {
    /// The status of one assignment as of `asOf`.
    ///
    /// - Parameters:
    ///   - deadline: the assignment's own deadline.
    ///   - history: its reports, reviews and extension decisions (events after `asOf` are ignored).
    ///   - children: the statuses of its sub-assignments as of the same date (empty for a leaf).
    ///   - planDate: the decision's date, for "quá hạn khi giao".
    public static func status(
        deadline: Deadline, history: AssignmentHistory = .empty, children: [AssignmentStatus] = [],
        planDate: LocalDate?, asOf: LocalDate
    ) -> AssignmentStatus {
        // A withdrawn report and a reversed decision count until the day they were withdrawn or
        // reversed, and not from that day: statuses as of earlier dates stay what they were.
        let reports = history.standingReports(asOf: asOf).sorted { ($0.submittedOn, $0.id) < ($1.submittedOn, $1.id) }
        // Same-day decisions keep the order they were made in (the history's order).
        let reviews = history.standingReviews(asOf: asOf).enumerated()
            .sorted { ($0.element.decidedOn, $0.offset) < ($1.element.decidedOn, $1.offset) }.map(\.element)
        let extensions = history.standingExtensions(asOf: asOf).enumerated().filter { $0.element.approved }
            .sorted { ($0.element.decidedOn, $0.offset) < ($1.element.decidedOn, $1.offset) }.map(\.element)

        // A parent with no deadline of its own takes the latest of its children's.
        var originalDue = deadline.due
        var childrenDue: LocalDate?
        if !children.isEmpty {
            childrenDue = children.compactMap(\.effectiveDue).max()
            if case .none = deadline.form { originalDue = children.compactMap(\.originalDue).max() }
        }
        var effectiveDue = extensions.last?.newDue ?? originalDue
        if case .none = deadline.form, extensions.isEmpty, let childrenDue { effectiveDue = childrenDue }
        if case .recurring = deadline.form, let recurringDue = deadline.recurringDue(containing: asOf) {
            effectiveDue = extensions.last?.newDue ?? recurringDue
        }

        // Completion is what the office accepted, not what the agency claimed.
        var completedOn: LocalDate?
        for review in reviews.reversed() {
            if case .accept(let date) = review.decision {
                completedOn = date
                break
            }
        }
        if completedOn == nil, !children.isEmpty, children.allSatisfy({ $0.timeliness.isDone }) {
            completedOn = children.compactMap(\.completedOn).max()
        }
        let isDone = completedOn != nil

        let percent: Int
        if isDone {
            percent = 100
        } else if !children.isEmpty {
            percent = children.map(\.percent).reduce(0, +) / children.count
        } else {
            percent = min(100, max(0, reports.last?.percent ?? 0))
        }

        let stage = self.stage(isDone: isDone, reports: reports, reviews: reviews, children: children)
        let recurring: Bool
        if case .recurring = deadline.form { recurring = true } else { recurring = false }

        let timeliness: Timeliness
        if let completedOn, !recurring {
            timeliness = effectiveDue.map { completedOn <= $0 } ?? true ? .doneOnTime : .doneLate
        } else if recurring {
            timeliness = .recurring
        } else if let effectiveDue {
            timeliness = effectiveDue >= asOf ? .openInTime : .openOverdue
        } else {
            timeliness = .undetermined
        }

        var reportedThisPeriod: Bool?
        if recurring {
            let kind = deadline.reportingPeriodKind
            let period = ReportingPeriod.containing(asOf, kind: kind) ?? ReportingPeriod.containing(asOf, kind: .year)
            reportedThisPeriod = reports.contains { report in period.map { $0.contains(report.submittedOn) } ?? false }
        }

        let overdueAtIssue = planDate.flatMap { planDate in originalDue.map { $0 < planDate } } ?? false
        return AssignmentStatus(
            timeliness: timeliness, stage: stage, effectiveDue: effectiveDue, originalDue: originalDue, percent: percent,
            completedOn: completedOn, overdueAtIssue: overdueAtIssue, reportedThisPeriod: reportedThisPeriod)
    }

    private static func stage(
        isDone: Bool, reports: [AssignmentHistory.Report], reviews: [AssignmentHistory.Review],
        children: [AssignmentStatus]
    ) -> Stage {
        if isDone { return .done }
        if let last = reports.last {
            let review = reviews.last { $0.reportID == last.id }
            if let review, case .return = review.decision { return .returned }
            if last.claimsCompletion, review == nil { return .awaitingReview }
            return .inProgress
        }
        if children.isEmpty || children.allSatisfy({ $0.stage == .notStarted }) { return .notStarted }
        return .inProgress
    }
}
