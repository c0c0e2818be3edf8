import TheodoiCore

/// Persistence for progress reports, contributions, reviews, extensions and attachments (STYLE rule 2).
/// Every write runs in one transaction with its audit entry; state transitions are guarded in the
/// database (a draft is updated only at the version its author read; a report is reviewed only
/// while sent and latest; a request is decided only while pending), so two people acting at once
/// never overwrite each other.
public struct ProgressStore: Sendable {
    /// Creates or updates a report, with its attachments, and sends it when asked.
    public var saveReport: @Sendable (_ save: ReportSave, _ actor: AuditActor) async throws -> ReportRecord
    /// Records the office's decision on a sent report.
    public var reviewReport: @Sendable (_ input: ReviewInput, _ actor: AuditActor) async throws -> ReviewRecord
    /// Records an extension request (pending), or a date the office sets (approved at once).
    public var recordExtension: @Sendable (_ input: ExtensionInput, _ actor: AuditActor) async throws -> ExtensionRecord
    /// Approves or refuses a pending extension request.
    public var decideExtension: @Sendable (_ input: ExtensionDecisionInput, _ actor: AuditActor) async throws -> ExtensionRecord
    /// Rút lại: a sent report the office has not acted on stops counting from today.
    public var withdrawReport:
        @Sendable (_ id: ReportRecord.ID, _ input: ReversalInput, _ actor: AuditActor) async throws -> ReportRecord
    /// Hủy the standing review of the latest report: it stops counting from today and the report waits again.
    public var reverseReview:
        @Sendable (_ id: ReviewRecord.ID, _ input: ReversalInput, _ actor: AuditActor) async throws -> ReviewRecord
    /// Hủy the latest extension decision: it stops counting from today and the request waits again,
    /// as a new row naming it; returns that row.
    public var reverseExtension:
        @Sendable (_ id: ExtensionRecord.ID, _ input: ReversalInput, _ actor: AuditActor) async throws -> ExtensionRecord
    /// One report with its attachments' descriptions.
    public var report: @Sendable (_ id: ReportRecord.ID) async throws -> ReportRecord?
    /// A report's content as saved at `version`.
    public var reportRevision: @Sendable (_ id: ReportRecord.ID, _ version: Int) async throws -> ReportRevision?
    public var extensionRequest: @Sendable (_ id: ExtensionRecord.ID) async throws -> ExtensionRecord?
    /// One review (a decision on a report), reversed or not.
    public var review: @Sendable (_ id: ReviewRecord.ID) async throws -> ReviewRecord?
    /// Everything recorded about one assignment.
    public var assignmentLog: @Sendable (_ assignment: AssignmentRecord.ID) async throws -> AssignmentLog
    /// The status events of a plan after `sequence`, oldest first.
    public var events: @Sendable (_ plan: PlanRecord.ID, _ after: Int) async throws -> [ProgressEvent]
    /// Sent reports awaiting a decision and pending extension requests of a plan, oldest first.
    public var reviewQueue: @Sendable (_ plan: PlanRecord.ID) async throws -> ReviewQueue
    /// An attachment's description and bytes.
    public var attachment: @Sendable (_ id: AttachmentInfo.ID) async throws -> (info: AttachmentInfo, bytes: [UInt8])?
    /// Per real plan (most waiting first): tasks whose sent report waits for the office, plus
    /// extension requests waiting for a decision ("Chờ xử lý (3)").
    public var waiting: @Sendable () async throws -> [(slug: String, count: Int)]
    /// How many reports (drafts included) a plan has.
    public var reportCount: @Sendable (_ plan: PlanRecord.ID) async throws -> Int
    /// What "my work" needs of an agency's reports across plans, oldest first: its drafts (reports and
    /// contributions) and its contributions in any state; sent progress reports are left out.
    public var agencyReports: @Sendable (_ agency: AgencyRecord.ID) async throws -> [AgencyReport]
    /// Stores a generated demo history in one transaction, audited as one entry.
    public var loadDemoHistory: @Sendable (_ history: DemoHistory, _ actor: AuditActor) async throws -> Void

    public init(
        saveReport: @escaping @Sendable (ReportSave, AuditActor) async throws -> ReportRecord,
        reviewReport: @escaping @Sendable (ReviewInput, AuditActor) async throws -> ReviewRecord,
        recordExtension: @escaping @Sendable (ExtensionInput, AuditActor) async throws -> ExtensionRecord,
        decideExtension: @escaping @Sendable (ExtensionDecisionInput, AuditActor) async throws -> ExtensionRecord,
        withdrawReport: @escaping @Sendable (ReportRecord.ID, ReversalInput, AuditActor) async throws -> ReportRecord,
        reverseReview: @escaping @Sendable (ReviewRecord.ID, ReversalInput, AuditActor) async throws -> ReviewRecord,
        reverseExtension: @escaping @Sendable (ExtensionRecord.ID, ReversalInput, AuditActor) async throws -> ExtensionRecord,
        report: @escaping @Sendable (ReportRecord.ID) async throws -> ReportRecord?,
        reportRevision: @escaping @Sendable (ReportRecord.ID, Int) async throws -> ReportRevision?,
        extensionRequest: @escaping @Sendable (ExtensionRecord.ID) async throws -> ExtensionRecord?,
        review: @escaping @Sendable (ReviewRecord.ID) async throws -> ReviewRecord?,
        assignmentLog: @escaping @Sendable (AssignmentRecord.ID) async throws -> AssignmentLog,
        events: @escaping @Sendable (PlanRecord.ID, Int) async throws -> [ProgressEvent],
        reviewQueue: @escaping @Sendable (PlanRecord.ID) async throws -> ReviewQueue,
        attachment: @escaping @Sendable (AttachmentInfo.ID) async throws -> (info: AttachmentInfo, bytes: [UInt8])?,
        reportCount: @escaping @Sendable (PlanRecord.ID) async throws -> Int,
        loadDemoHistory: @escaping @Sendable (DemoHistory, AuditActor) async throws -> Void,
        waiting: @escaping @Sendable () async throws -> [(slug: String, count: Int)] = { [] },
        agencyReports: @escaping @Sendable (AgencyRecord.ID) async throws -> [AgencyReport] = { _ in [] }
    ) {
        self.agencyReports = agencyReports
        self.reportCount = reportCount
        self.waiting = waiting
        self.loadDemoHistory = loadDemoHistory
        self.saveReport = saveReport
        self.reviewReport = reviewReport
        self.recordExtension = recordExtension
        self.decideExtension = decideExtension
        self.withdrawReport = withdrawReport
        self.reverseReview = reverseReview
        self.reverseExtension = reverseExtension
        self.report = report
        self.reportRevision = reportRevision
        self.extensionRequest = extensionRequest
        self.review = review
        self.assignmentLog = assignmentLog
        self.events = events
        self.reviewQueue = reviewQueue
        self.attachment = attachment
    }
}

extension ProgressStore {
    /// Every closure fails; tests override the ones they need.
    public static var failing: ProgressStore {
        ProgressStore(
            saveReport: { _, _ in throw UnimplementedStoreCall(name: "saveReport") },
            reviewReport: { _, _ in throw UnimplementedStoreCall(name: "reviewReport") },
            recordExtension: { _, _ in throw UnimplementedStoreCall(name: "recordExtension") },
            decideExtension: { _, _ in throw UnimplementedStoreCall(name: "decideExtension") },
            withdrawReport: { _, _, _ in throw UnimplementedStoreCall(name: "withdrawReport") },
            reverseReview: { _, _, _ in throw UnimplementedStoreCall(name: "reverseReview") },
            reverseExtension: { _, _, _ in throw UnimplementedStoreCall(name: "reverseExtension") },
            report: { _ in throw UnimplementedStoreCall(name: "report") },
            reportRevision: { _, _ in throw UnimplementedStoreCall(name: "reportRevision") },
            extensionRequest: { _ in throw UnimplementedStoreCall(name: "extensionRequest") },
            review: { _ in throw UnimplementedStoreCall(name: "review") },
            assignmentLog: { _ in throw UnimplementedStoreCall(name: "assignmentLog") },
            events: { _, _ in throw UnimplementedStoreCall(name: "events") },
            reviewQueue: { _ in throw UnimplementedStoreCall(name: "reviewQueue") },
            attachment: { _ in throw UnimplementedStoreCall(name: "attachment") },
            reportCount: { _ in throw UnimplementedStoreCall(name: "reportCount") },
            loadDemoHistory: { _, _ in throw UnimplementedStoreCall(name: "loadDemoHistory") })
    }
}
