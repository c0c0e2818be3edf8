/// Tình trạng theo thời hạn: the Government Office's four-way split, plus two (DESIGN §5).
public enum Timeliness: String, Sendable, Hashable, CaseIterable, Codable {
    case doneOnTime = "done-on-time"
    case doneLate = "done-late"
    case openInTime = "open-in-time"
    case openOverdue = "open-overdue"
    case undetermined
    case recurring

    /// The label officials read.
    public var vietnamese: String {
        switch self {
        case .doneOnTime: "Hoàn thành đúng hạn"
        case .doneLate: "Hoàn thành quá hạn"
        case .openInTime: "Chưa hoàn thành, trong hạn"
        case .openOverdue: "Chưa hoàn thành, quá hạn"
        case .undetermined: "Chưa xác định hạn"
        case .recurring: "Thường xuyên"
        }
    }

    /// Whether the office accepted the task as done.
    public var isDone: Bool { self == .doneOnTime || self == .doneLate }
}

/// Giai đoạn: where the work is.
public enum Stage: String, Sendable, Hashable, CaseIterable, Codable {
    case notStarted = "not-started"
    case inProgress = "in-progress"
    case awaitingReview = "awaiting-review"
    case returned
    case done

    /// The label officials read.
    public var vietnamese: String {
        switch self {
        case .notStarted: "Chưa triển khai"
        case .inProgress: "Đang thực hiện"
        case .awaitingReview: "Chờ xác nhận"
        case .returned: "Bị trả lại"
        case .done: "Đã hoàn thành"
        }
    }
}

/// Where one assignment stands on a date: computed, never stored.
public struct AssignmentStatus: Sendable, Hashable {
    public var timeliness: Timeliness
    public var stage: Stage
    /// The latest approved extension as of the date, else the deadline's due date.
    public var effectiveDue: LocalDate?
    /// The due date the decision set (kept after extensions, so lateness counts against it too).
    public var originalDue: LocalDate?
    /// 0–100; a parent's is the plain mean of its children's.
    public var percent: Int
    /// The completion date the office accepted.
    public var completedOn: LocalDate?
    /// Quá hạn khi giao: already past due on the day the plan was issued.
    public var overdueAtIssue: Bool
    /// For recurring tasks: whether a report came in during the reporting period containing the date.
    public var reportedThisPeriod: Bool?

    public init(
        timeliness: Timeliness, stage: Stage, effectiveDue: LocalDate?, originalDue: LocalDate?, percent: Int,
        completedOn: LocalDate?, overdueAtIssue: Bool, reportedThisPeriod: Bool?
    ) {
        self.timeliness = timeliness
        self.stage = stage
        self.effectiveDue = effectiveDue
        self.originalDue = originalDue
        self.percent = percent
        self.completedOn = completedOn
        self.overdueAtIssue = overdueAtIssue
        self.reportedThisPeriod = reportedThisPeriod
    }
}

/// What happened to an assignment: reports, reviews and extension decisions, each dated.
/// Status as of a date only sees events on or before it.
public struct AssignmentHistory: Sendable, Hashable {
    /// Báo cáo tiến độ, as submitted (drafts are not history).
    public struct Report: Sendable, Hashable {
        public var id: Int
        public var submittedOn: LocalDate
        public var percent: Int
        /// The agency reports the task complete and asks the office to confirm.
        public var claimsCompletion: Bool
        /// Rút lại: from this day the report no longer counts (it did before).
        public var withdrawnOn: LocalDate?

        public init(id: Int, submittedOn: LocalDate, percent: Int, claimsCompletion: Bool, withdrawnOn: LocalDate? = nil) {
            self.withdrawnOn = withdrawnOn
            self.id = id
            self.submittedOn = submittedOn
            self.percent = percent
            self.claimsCompletion = claimsCompletion
        }
    }

    /// Xác nhận hoàn thành / Trả lại: the office's decision on a report.
    public struct Review: Sendable, Hashable {
        public enum Decision: Sendable, Hashable {
            /// Accepted as done, on the completion date the office records.
            case accept(completedOn: LocalDate)
            /// Noted as a progress report (ghi nhận), with no completion.
            case acknowledge
            /// Sent back.
            case `return`
        }

        public var reportID: Int
        public var decidedOn: LocalDate
        public var decision: Decision
        /// Hủy quyết định: from this day the decision no longer counts (it did before).
        public var reversedOn: LocalDate?

        public init(reportID: Int, decidedOn: LocalDate, decision: Decision, reversedOn: LocalDate? = nil) {
            self.reversedOn = reversedOn
            self.reportID = reportID
            self.decidedOn = decidedOn
            self.decision = decision
        }
    }

    /// Đề nghị gia hạn, once decided.
    public struct Extension: Sendable, Hashable {
        public var decidedOn: LocalDate
        public var approved: Bool
        public var newDue: LocalDate
        /// Hủy quyết định: from this day the decision no longer counts (it did before).
        public var reversedOn: LocalDate?

        public init(decidedOn: LocalDate, approved: Bool, newDue: LocalDate, reversedOn: LocalDate? = nil) {
            self.reversedOn = reversedOn
            self.decidedOn = decidedOn
            self.approved = approved
            self.newDue = newDue
        }
    }

    /// An agency asked for a later due date (it changes no status; the office is told at once).
    public struct ExtensionRequest: Sendable, Hashable {
        public var requestedOn: LocalDate
        public var newDue: LocalDate

        public init(requestedOn: LocalDate, newDue: LocalDate) {
            self.requestedOn = requestedOn
            self.newDue = newDue
        }
    }

    public var reports: [Report]
    public var reviews: [Review]
    public var extensions: [Extension]
    /// Extension requests, in the order they were made (recorded since requests became events).
    public var requests: [ExtensionRequest]

    public init(
        reports: [Report] = [], reviews: [Review] = [], extensions: [Extension] = [], requests: [ExtensionRequest] = []
    ) {
        self.reports = reports
        self.reviews = reviews
        self.extensions = extensions
        self.requests = requests
    }

    /// No reports, reviews or extensions.
    public static let empty = AssignmentHistory()

    /// Whether something recorded `on` and undone (withdrawn, reversed) `until` counts as of `asOf`:
    /// from the day it was recorded to the day before it was undone.
    @inline(__always)
    static func standing(_ on: LocalDate, until: LocalDate?, asOf: LocalDate) -> Bool {
        guard on <= asOf else { return false }
        guard let until else { return true }
        return asOf < until
    }

    /// The reports sent by `asOf` and not withdrawn by then, in the history's order.
    public func standingReports(asOf: LocalDate) -> [Report] {
        reports.filter { Self.standing($0.submittedOn, until: $0.withdrawnOn, asOf: asOf) }
    }

    /// The decisions on reports made by `asOf` and not reversed by then, in the history's order.
    public func standingReviews(asOf: LocalDate) -> [Review] {
        reviews.filter { Self.standing($0.decidedOn, until: $0.reversedOn, asOf: asOf) }
    }

    /// The extension decisions made by `asOf` and not reversed by then, in the history's order.
    public func standingExtensions(asOf: LocalDate) -> [Extension] {
        extensions.filter { Self.standing($0.decidedOn, until: $0.reversedOn, asOf: asOf) }
    }
}
