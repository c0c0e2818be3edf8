import TheodoiCore

/// Báo cáo tiến độ (or ý kiến phối hợp) as stored.
public struct ReportRecord: Sendable, Hashable, Identifiable {
    /// Typed report id.
    public typealias ID = TypedID<ReportRecord>

    public var id: ID
    public var assignmentID: AssignmentRecord.ID
    public var planID: PlanRecord.ID
    /// The agency that reports (the lead, or a coordinating agency for a contribution).
    public var agencyID: AgencyRecord.ID
    public var agencyName: String
    public var kind: ReportKind
    public var state: ReportState
    public var content: ReportContent
    /// Goes up with every save; a save naming an older version is refused.
    public var version: Int
    public var authorName: String
    /// Who saved the current version, and when (ISO 8601 UTC).
    public var updatedByName: String
    public var updatedAt: String
    public var submittedAt: String?
    /// The day it was sent, in Vietnam.
    public var submittedOn: LocalDate?
    public var attachments: [AttachmentInfo]
    /// Rút lại by its agency before the office acted on it.
    public var withdrawal: Reversal?

    public init(
        id: ID, assignmentID: AssignmentRecord.ID, planID: PlanRecord.ID, agencyID: AgencyRecord.ID, agencyName: String,
        kind: ReportKind, state: ReportState, content: ReportContent, version: Int, authorName: String,
        updatedByName: String, updatedAt: String, submittedAt: String?, submittedOn: LocalDate?,
        attachments: [AttachmentInfo], withdrawal: Reversal? = nil
    ) {
        self.withdrawal = withdrawal
        self.id = id
        self.assignmentID = assignmentID
        self.planID = planID
        self.agencyID = agencyID
        self.agencyName = agencyName
        self.kind = kind
        self.state = state
        self.content = content
        self.version = version
        self.authorName = authorName
        self.updatedByName = updatedByName
        self.updatedAt = updatedAt
        self.submittedAt = submittedAt
        self.submittedOn = submittedOn
        self.attachments = attachments
    }
}

/// A correction on the record: a report withdrawn by its agency, or a decision reversed by the
/// office. It is dated and has a reason; what it undoes stays as it was.
public struct Reversal: Sendable, Hashable {
    public var reason: String
    public var byName: String
    /// ISO 8601 UTC.
    public var at: String
    /// The day in Vietnam: from this day what it undoes no longer counts.
    public var on: LocalDate

    public init(reason: String, byName: String, at: String, on: LocalDate) {
        self.reason = reason
        self.byName = byName
        self.at = at
        self.on = on
    }
}

/// Tệp đính kèm: a file attached to a report, without its bytes.
public struct AttachmentInfo: Sendable, Hashable, Identifiable {
    /// Typed attachment id.
    public typealias ID = TypedID<AttachmentInfo>

    public var id: ID
    public var reportID: ReportRecord.ID
    public var fileName: String
    public var contentType: String
    public var size: Int
    /// Hex SHA-256 of the bytes.
    public var sha256: String
    public var uploadedAt: String

    public init(
        id: ID, reportID: ReportRecord.ID, fileName: String, contentType: String, size: Int, sha256: String, uploadedAt: String
    ) {
        self.id = id
        self.reportID = reportID
        self.fileName = fileName
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.uploadedAt = uploadedAt
    }
}

/// A file to attach, checked by Operations (type, size) before it reaches the store.
public struct NewAttachment: Sendable, Hashable {
    public var fileName: String
    public var contentType: String
    public var bytes: [UInt8]
    /// Hex SHA-256 of `bytes`.
    public var sha256: String

    public init(fileName: String, contentType: String, bytes: [UInt8], sha256: String) {
        self.fileName = fileName
        self.contentType = contentType
        self.bytes = bytes
        self.sha256 = sha256
    }
}

/// Xác nhận / trả lại: the office's decision on a report.
public struct ReviewRecord: Sendable, Hashable, Identifiable {
    /// Typed review id.
    public typealias ID = TypedID<ReviewRecord>

    public var id: ID
    public var reportID: ReportRecord.ID
    public var assignmentID: AssignmentRecord.ID
    public var decision: ReviewDecision
    /// Why it was returned (required), or a remark on acceptance.
    public var reason: String
    /// For an accepted completion claim: the completion date the office records.
    public var completedOn: LocalDate?
    public var reviewerName: String
    public var decidedAt: String
    public var decidedOn: LocalDate
    /// Hủy by the office: from `reversal.on` this decision no longer counts.
    public var reversal: Reversal?

    public init(
        id: ID, reportID: ReportRecord.ID, assignmentID: AssignmentRecord.ID, decision: ReviewDecision, reason: String,
        completedOn: LocalDate?, reviewerName: String, decidedAt: String, decidedOn: LocalDate, reversal: Reversal? = nil
    ) {
        self.reversal = reversal
        self.id = id
        self.reportID = reportID
        self.assignmentID = assignmentID
        self.decision = decision
        self.reason = reason
        self.completedOn = completedOn
        self.reviewerName = reviewerName
        self.decidedAt = decidedAt
        self.decidedOn = decidedOn
    }
}

/// Đề nghị gia hạn (or the office setting an external deadline's date) as stored.
public struct ExtensionRecord: Sendable, Hashable, Identifiable {
    /// Typed extension id.
    public typealias ID = TypedID<ExtensionRecord>

    public var id: ID
    public var assignmentID: AssignmentRecord.ID
    public var planID: PlanRecord.ID
    public var kind: ExtensionKind
    /// The agency asking (nil when the office sets a date).
    public var agencyID: AgencyRecord.ID?
    public var requesterName: String
    public var requestedAt: String
    public var requestedOn: LocalDate
    /// The due date in force when it was asked.
    public var previousDue: LocalDate?
    public var newDue: LocalDate
    public var reason: String
    public var state: ExtensionState
    public var deciderName: String?
    public var decisionReason: String?
    public var decidedAt: String?
    public var decidedOn: LocalDate?
    /// Hủy by the office: from `reversal.on` this decision no longer counts.
    public var reversal: Reversal?
    /// The request whose reversed decision this one asks again (same request, decided anew).
    public var reopensID: ID?

    public init(
        id: ID, assignmentID: AssignmentRecord.ID, planID: PlanRecord.ID, kind: ExtensionKind, agencyID: AgencyRecord.ID?,
        requesterName: String, requestedAt: String, requestedOn: LocalDate, previousDue: LocalDate?, newDue: LocalDate,
        reason: String, state: ExtensionState, deciderName: String?, decisionReason: String?, decidedAt: String?,
        decidedOn: LocalDate?, reversal: Reversal? = nil, reopensID: ID? = nil
    ) {
        self.reversal = reversal
        self.reopensID = reopensID
        self.id = id
        self.assignmentID = assignmentID
        self.planID = planID
        self.kind = kind
        self.agencyID = agencyID
        self.requesterName = requesterName
        self.requestedAt = requestedAt
        self.requestedOn = requestedOn
        self.previousDue = previousDue
        self.newDue = newDue
        self.reason = reason
        self.state = state
        self.deciderName = deciderName
        self.decisionReason = decisionReason
        self.decidedAt = decidedAt
        self.decidedOn = decidedOn
    }
}

/// Everything recorded about one assignment's progress, oldest first.
public struct AssignmentLog: Sendable, Hashable {
    /// Reports and contributions, drafts included (callers show drafts only to their agency).
    public var reports: [ReportRecord]
    public var reviews: [ReviewRecord]
    public var extensions: [ExtensionRecord]

    public init(reports: [ReportRecord] = [], reviews: [ReviewRecord] = [], extensions: [ExtensionRecord] = []) {
        self.reports = reports
        self.reviews = reviews
        self.extensions = extensions
    }

    /// The status engine's view: sent lead reports, reviews and decided extensions.
    public var history: AssignmentHistory {
        AssignmentHistory(
            reports: reports.compactMap { report in
                guard report.kind == .report, let submittedOn = report.submittedOn else { return nil }
                return AssignmentHistory.Report(
                    id: report.id.rawValue, submittedOn: submittedOn, percent: report.content.percent,
                    claimsCompletion: report.content.claimedStage == .done, withdrawnOn: report.withdrawal?.on)
            },
            reviews: reviews.map { review in
                AssignmentHistory.Review(
                    reportID: review.reportID.rawValue, decidedOn: review.decidedOn,
                    decision: review.decision == .return
                        ? .return : review.completedOn.map { .accept(completedOn: $0) } ?? .acknowledge,
                    reversedOn: review.reversal?.on)
            },
            extensions: extensions.compactMap { request in
                guard let decidedOn = request.decidedOn, request.state != .pending else { return nil }
                return AssignmentHistory.Extension(
                    decidedOn: decidedOn, approved: request.state == .approved, newDue: request.newDue,
                    reversedOn: request.reversal?.on)
            })
    }
}

/// One change to an assignment's status history, in the order the database recorded it; plan
/// snapshots read only the events after the last one they saw.
public struct ProgressEvent: Sendable, Hashable {
    public enum Change: Sendable, Hashable {
        case report(AssignmentHistory.Report)
        case review(AssignmentHistory.Review)
        case `extension`(AssignmentHistory.Extension)
        /// The report `reportID` no longer counts from `on`.
        case withdrawal(reportID: Int, on: LocalDate)
        /// The standing review of report `reportID` no longer counts from `on`.
        case reviewReversal(reportID: Int, on: LocalDate)
        /// The extension decision of `decidedOn` (approved or not, to `newDue`) no longer counts from `on`.
        case extensionReversal(decidedOn: LocalDate, approved: Bool, newDue: LocalDate, on: LocalDate)
        /// An agency asked on `requestedOn` for `newDue`.
        case extensionRequest(AssignmentHistory.ExtensionRequest)
    }

    public var sequence: Int
    public var assignmentID: AssignmentRecord.ID
    public var change: Change

    public init(sequence: Int, assignmentID: AssignmentRecord.ID, change: Change) {
        self.sequence = sequence
        self.assignmentID = assignmentID
        self.change = change
    }
}

/// Which assignment a write is about, for the audit log and for bumping the plan's activity.
public struct AssignmentRef: Sendable, Hashable {
    public var id: AssignmentRecord.ID
    public var planID: PlanRecord.ID
    public var planSlug: String
    public var code: String

    public init(id: AssignmentRecord.ID, planID: PlanRecord.ID, planSlug: String, code: String) {
        self.id = id
        self.planID = planID
        self.planSlug = planSlug
        self.code = code
    }

    /// "343-qd-tu/A.17.1".
    public var label: String { "\(planSlug)/\(code)" }
}

/// A report to create (no `id`) or a draft to update (with the version the author started from).
public struct ReportSave: Sendable, Hashable {
    public var id: ReportRecord.ID?
    public var expectedVersion: Int?
    public var assignment: AssignmentRef
    public var agencyID: AgencyRecord.ID
    public var kind: ReportKind
    public var content: ReportContent
    /// Send it now (it becomes read-only).
    public var submit: Bool
    /// Today in Vietnam: the sending date.
    public var on: LocalDate
    public var newAttachments: [NewAttachment]
    public var removedAttachments: [AttachmentInfo.ID]
    /// Files of the agency's earlier sent report of the same assignment, copied into this one (a
    /// new report starts from the last); ids of any other file are ignored.
    public var carriedAttachments: [AttachmentInfo.ID]

    public init(
        id: ReportRecord.ID?, expectedVersion: Int?, assignment: AssignmentRef, agencyID: AgencyRecord.ID, kind: ReportKind,
        content: ReportContent, submit: Bool, on: LocalDate, newAttachments: [NewAttachment] = [],
        removedAttachments: [AttachmentInfo.ID] = [], carriedAttachments: [AttachmentInfo.ID] = []
    ) {
        self.carriedAttachments = carriedAttachments
        self.id = id
        self.expectedVersion = expectedVersion
        self.assignment = assignment
        self.agencyID = agencyID
        self.kind = kind
        self.content = content
        self.submit = submit
        self.on = on
        self.newAttachments = newAttachments
        self.removedAttachments = removedAttachments
    }
}

/// The office's decision on a report.
public struct ReviewInput: Sendable, Hashable {
    public var reportID: ReportRecord.ID
    public var assignment: AssignmentRef
    public var decision: ReviewDecision
    public var reason: String
    public var completedOn: LocalDate?
    public var on: LocalDate

    public init(
        reportID: ReportRecord.ID, assignment: AssignmentRef, decision: ReviewDecision, reason: String,
        completedOn: LocalDate?, on: LocalDate
    ) {
        self.reportID = reportID
        self.assignment = assignment
        self.decision = decision
        self.reason = reason
        self.completedOn = completedOn
        self.on = on
    }
}

/// An extension request, or (kind `.setDue`) a date the office sets, decided at once.
public struct ExtensionInput: Sendable, Hashable {
    public var assignment: AssignmentRef
    public var kind: ExtensionKind
    public var agencyID: AgencyRecord.ID?
    public var previousDue: LocalDate?
    public var newDue: LocalDate
    public var reason: String
    public var on: LocalDate

    public init(
        assignment: AssignmentRef, kind: ExtensionKind, agencyID: AgencyRecord.ID?, previousDue: LocalDate?,
        newDue: LocalDate, reason: String, on: LocalDate
    ) {
        self.assignment = assignment
        self.kind = kind
        self.agencyID = agencyID
        self.previousDue = previousDue
        self.newDue = newDue
        self.reason = reason
        self.on = on
    }
}

/// The office's decision on an extension request.
public struct ExtensionDecisionInput: Sendable, Hashable {
    public var extensionID: ExtensionRecord.ID
    public var assignment: AssignmentRef
    public var approve: Bool
    public var reason: String
    public var on: LocalDate

    public init(extensionID: ExtensionRecord.ID, assignment: AssignmentRef, approve: Bool, reason: String, on: LocalDate) {
        self.extensionID = extensionID
        self.assignment = assignment
        self.approve = approve
        self.reason = reason
        self.on = on
    }
}

/// A report's content as saved at one version, with who saved it.
public struct ReportRevision: Sendable, Hashable {
    public var version: Int
    public var content: ReportContent
    public var savedByName: String
    public var savedAt: String

    public init(version: Int, content: ReportContent, savedByName: String, savedAt: String) {
        self.version = version
        self.content = content
        self.savedByName = savedByName
        self.savedAt = savedAt
    }
}

/// Sent reports and extension requests waiting for the office, oldest first.
public struct ReviewQueue: Sendable, Hashable {
    public var reports: [ReportRecord]
    public var extensions: [ExtensionRecord]

    public init(reports: [ReportRecord], extensions: [ExtensionRecord]) {
        self.reports = reports
        self.extensions = extensions
    }
}

/// A progress write the store refused because of the state it found.
public enum ProgressStoreError: Error, Equatable {
    case noSuchReport(ReportRecord.ID)
    case noSuchExtension(ExtensionRecord.ID)
    /// Someone saved the draft since the author opened it.
    case staleVersion(current: ReportRecord, base: ReportRevision?)
    /// The report is no longer a draft (sent, reviewed).
    case notDraft(ReportState)
    /// The agency already has a draft for this assignment: edit that one.
    case draftExists(ReportRecord.ID)
    /// The report was already reviewed, or a newer one was sent.
    case notReviewable(ReportState)
    case supersededReport
    /// The extension request was already decided.
    case alreadyDecided(ExtensionState)
    /// The report is not sent-and-undecided (withdraw), or its decision is not the standing one (reverse).
    case notWithdrawable(ReportState)
    case notReversible
    /// Another extension request is pending.
    case extensionPending
}

/// A generated history for a demo plan, stored in bulk (benchmarks and screenshots only).
public struct DemoHistory: Sendable {
    /// One sent report with the office's decision, if any.
    public struct Report: Sendable {
        public var content: ReportContent
        public var submittedOn: LocalDate
        public var review: (decision: ReviewDecision, reason: String, completedOn: LocalDate?, decidedOn: LocalDate)?

        public init(
            content: ReportContent, submittedOn: LocalDate,
            review: (decision: ReviewDecision, reason: String, completedOn: LocalDate?, decidedOn: LocalDate)?
        ) {
            self.content = content
            self.submittedOn = submittedOn
            self.review = review
        }
    }

    /// One extension request with its decision, if any.
    public struct Extension: Sendable {
        public var requestedOn: LocalDate
        public var previousDue: LocalDate?
        public var newDue: LocalDate
        public var reason: String
        public var decision: (approved: Bool, reason: String, decidedOn: LocalDate)?

        public init(
            requestedOn: LocalDate, previousDue: LocalDate?, newDue: LocalDate, reason: String,
            decision: (approved: Bool, reason: String, decidedOn: LocalDate)?
        ) {
            self.requestedOn = requestedOn
            self.previousDue = previousDue
            self.newDue = newDue
            self.reason = reason
            self.decision = decision
        }
    }

    /// Everything of one assignment.
    public struct Item: Sendable {
        public var assignment: AssignmentRecord.ID
        public var agency: AgencyRecord.ID
        public var author: String
        public var reports: [Report]
        public var extensions: [Extension]

        public init(
            assignment: AssignmentRecord.ID, agency: AgencyRecord.ID, author: String, reports: [Report],
            extensions: [Extension]
        ) {
            self.assignment = assignment
            self.agency = agency
            self.author = author
            self.reports = reports
            self.extensions = extensions
        }
    }

    public var plan: PlanRecord.ID
    public var reviewer: String
    public var items: [Item]

    public init(plan: PlanRecord.ID, reviewer: String, items: [Item]) {
        self.plan = plan
        self.reviewer = reviewer
        self.items = items
    }
}

/// A withdrawal or a reversal to record: what it concerns and why.
public struct ReversalInput: Sendable, Hashable {
    public var assignment: AssignmentRef
    public var reason: String
    /// Today in Vietnam.
    public var on: LocalDate

    public init(assignment: AssignmentRef, reason: String, on: LocalDate) {
        self.assignment = assignment
        self.reason = reason
        self.on = on
    }
}

/// One report or contribution of an agency, briefly: what "my work" needs across plans (drafts
/// to finish, contributions already sent).
public struct AgencyReport: Sendable, Hashable {
    public var id: ReportRecord.ID
    public var planID: PlanRecord.ID
    public var assignmentID: AssignmentRecord.ID
    public var kind: ReportKind
    public var state: ReportState
    /// When it was last saved (ISO 8601 UTC).
    public var updatedAt: String

    public init(
        id: ReportRecord.ID, planID: PlanRecord.ID, assignmentID: AssignmentRecord.ID, kind: ReportKind, state: ReportState,
        updatedAt: String
    ) {
        self.id = id
        self.planID = planID
        self.assignmentID = assignmentID
        self.kind = kind
        self.state = state
        self.updatedAt = updatedAt
    }
}
