// Page models of progress reports, reviews and extensions. Mustache reads them through
// reflection: every flag is a stored property.

/// A file attached to a report, as a download link.
public struct FileLink: Sendable {
    public var id: String
    public var name: String
    public var href: String
    public var sizeText: String
    /// For a file a form offers to keep: ticked.
    public var checked: Bool = true

    public init(id: String, name: String, href: String, sizeText: String) {
        self.id = id
        self.name = name
        self.href = href
        self.sizeText = sizeText
    }
}

/// One entry of an assignment's history: a report, contribution, review, request or decision.
public struct TimelineItem: Sendable {
    /// CSS modifier: report, contribution, accept, return, request, approve, refuse, due, draft.
    public var kind: String
    public var anchor: String
    public var when: String
    public var heading: String
    public var byline: String
    public var stateLabel: String
    public var fields: [Field]
    public var evidence: [String]
    public var attachments: [FileLink]
    /// Where to read it in full (a report's page), or "".
    public var href: String
    public var linkLabel: String
    public let hasEvidence: Bool
    public let hasAttachments: Bool
    public let hasLink: Bool
    public let hasStateLabel: Bool

    public init(
        kind: String, anchor: String, when: String, heading: String, byline: String, stateLabel: String = "",
        fields: [Field] = [], evidence: [String] = [], attachments: [FileLink] = [], href: String = "", linkLabel: String = ""
    ) {
        self.kind = kind
        self.anchor = anchor
        self.when = when
        self.heading = heading
        self.byline = byline
        self.stateLabel = stateLabel
        self.fields = fields
        self.evidence = evidence
        self.attachments = attachments
        self.href = href
        self.linkLabel = linkLabel
        hasEvidence = !evidence.isEmpty
        hasAttachments = !attachments.isEmpty
        hasLink = !href.isEmpty
        hasStateLabel = !stateLabel.isEmpty
    }
}

/// A link or button that starts an action.
public struct ActionLink: Sendable {
    public var label: String
    public var href: String
    public var hint: String

    public init(label: String, href: String, hint: String = "") {
        self.label = label
        self.href = href
        self.hint = hint
    }
}

/// One reporting period of a recurring assignment.
public struct PeriodRow: Sendable {
    public var name: String
    public var range: String
    public let reported: Bool
    public var reportsText: String
    public let current: Bool

    public init(name: String, range: String, reported: Bool, reportsText: String, current: Bool) {
        self.name = name
        self.range = range
        self.reported = reported
        self.reportsText = reportsText
        self.current = current
    }
}

/// A small form on the assignment page (extension request, decision, due date).
public struct InlineForm: Sendable {
    public var action: String
    public var heading: String
    public var hint: String
    public var dateValue: String
    public var reasonValue: String
    /// The form's problems after a refused send; the form opens with them beside its fields.
    public var errors: FormErrors
    /// Tells this form's field ids apart from another form's on the same page ("extension-").
    public var idPrefix: String

    public init(
        action: String, heading: String, hint: String = "", dateValue: String = "", reasonValue: String = "",
        errors: FormErrors = .none, idPrefix: String = ""
    ) {
        self.action = action
        self.heading = heading
        self.hint = hint
        self.dateValue = dateValue
        self.reasonValue = reasonValue
        self.errors = errors
        self.idPrefix = idPrefix
    }
}

/// A correction the viewer may make on the record: withdraw a sent report, or reverse a decision.
/// The form asks for the reason; the page after it asks to confirm.
public struct CorrectionForm: Sendable {
    public var action: String
    /// "Rút lại báo cáo gửi lúc 14:05 ngày 20/09/2025".
    public var heading: String
    public var hint: String
    public var reasonLabel: String
    public var buttonLabel: String
    /// The reason typed and its problem, after a refused send.
    public var reasonValue = ""
    public var errors = FormErrors.none
    /// Tells this form's field ids apart ("correction-2-").
    public var idPrefix = ""

    public init(action: String, heading: String, hint: String, reasonLabel: String, buttonLabel: String) {
        self.action = action
        self.heading = heading
        self.hint = hint
        self.reasonLabel = reasonLabel
        self.buttonLabel = buttonLabel
    }
}

/// An extension request waiting for the office, with the decision form when the viewer may decide.
public struct PendingExtensionModel: Sendable {
    public var text: String
    public var decideAction: String
    public let canDecide: Bool
    /// The decision form's problems after a refused send.
    public var errors = FormErrors.none

    public init(text: String, decideAction: String, canDecide: Bool) {
        self.text = text
        self.decideAction = decideAction
        self.canDecide = canDecide
    }
}

/// The progress part of an assignment page: what the viewer may do, the periods, the timeline.
public struct ProgressPanel: Sendable {
    public var csrf: String
    public var notice: String
    public var errors: FormErrors
    public var actions: [ActionLink]
    /// Why the viewer's own action is not open (e.g. "Nhiệm vụ đã được xác nhận hoàn thành").
    public var blocked: String
    public var awaitingReview: ActionLink?
    public var pendingExtension: PendingExtensionModel?
    public var extensionForm: InlineForm?
    public var dueForm: InlineForm?
    public var corrections: [CorrectionForm]
    public var periods: [PeriodRow]
    public var timeline: [TimelineItem]
    public var historyHref: String
    public let hasActions: Bool
    public let hasPeriods: Bool
    public let hasTimeline: Bool
    public let hasNotice: Bool
    public let hasBlocked: Bool
    public let hasCorrections: Bool

    public init(
        csrf: String, notice: String = "", errors: FormErrors = .none, actions: [ActionLink] = [], blocked: String = "",
        awaitingReview: ActionLink? = nil, pendingExtension: PendingExtensionModel? = nil, extensionForm: InlineForm? = nil,
        dueForm: InlineForm? = nil, corrections: [CorrectionForm] = [], periods: [PeriodRow] = [],
        timeline: [TimelineItem] = [], historyHref: String = ""
    ) {
        self.corrections = corrections
        hasCorrections = !corrections.isEmpty
        self.csrf = csrf
        self.notice = notice
        self.errors = errors
        self.actions = actions
        self.blocked = blocked
        self.awaitingReview = awaitingReview
        self.pendingExtension = pendingExtension
        self.extensionForm = extensionForm
        self.dueForm = dueForm
        self.periods = periods
        self.timeline = timeline
        self.historyHref = historyHref
        hasActions = !actions.isEmpty
        hasPeriods = !periods.isEmpty
        hasTimeline = !timeline.isEmpty
        hasNotice = !notice.isEmpty
        hasBlocked = !blocked.isEmpty
    }

    /// No progress part (anonymous visitors never see one).
    public static let empty = ProgressPanel(csrf: "")
}

/// One evidence row of the report form.
public struct EvidenceRowModel: Sendable {
    public var position: Int
    public var number: String
    public var date: String
    public var summary: String
    /// The row's problem, shown beside it.
    public var error: String
    public let hasError: Bool

    public init(position: Int, number: String, date: String, summary: String, error: String = "") {
        self.position = position
        self.number = number
        self.date = date
        self.summary = summary
        self.error = error
        hasError = !error.isEmpty
    }
}

/// A save that found the draft changed by someone else.
public struct ConflictModel: Sendable {
    public var message: String
    public var changes: [ChangeRow]

    public init(message: String, changes: [ChangeRow]) {
        self.message = message
        self.changes = changes
    }
}

/// One changed field: as the author started from it, and as it is now.
public struct ChangeRow: Sendable {
    public var field: String
    public var before: String
    public var after: String

    public init(field: String, before: String, after: String) {
        self.field = field
        self.before = before
        self.after = after
    }
}

/// Báo cáo tiến độ / ý kiến phối hợp: the form.
public struct ReportFormPage: Sendable {
    public var layout: Layout
    public var csrf: String
    public var heading: String
    public var code: String
    public var title: String
    public var assignmentHref: String
    public var action: String
    public var reportID: String
    public var version: String
    public var deadlineText: String
    public var statusText: String
    public var output: String
    public var draftInfo: String
    public var lastReturn: String
    public var stageOptions: [Option]
    public var percent: String
    public var result: String
    public var achievedOn: String
    public var evidence: [EvidenceRowModel]
    public var difficulties: String
    public var proposals: String
    public var attachments: [FileLink]
    public var accept: String
    public var errors: FormErrors
    public var conflict: ConflictModel?
    public var contributions: [TimelineItem]
    /// Files of the last sent report a new report keeps unless unticked.
    public var carried: [FileLink]
    /// "Nội dung chép từ báo cáo gửi lúc …": where a new report's values came from.
    public var startedFrom: String
    /// What the last save did ("Đã lưu bản nháp …"), or "".
    public var notice: String = "" { didSet { hasNotice = !notice.isEmpty } }
    public private(set) var hasNotice = false
    public let isReport: Bool
    public let hasCarried: Bool
    public let hasStartedFrom: Bool
    public let hasAttachments: Bool
    public let hasContributions: Bool
    public let hasDraftInfo: Bool
    public let hasLastReturn: Bool

    public init(
        layout: Layout, csrf: String, heading: String, code: String, title: String, assignmentHref: String, action: String,
        reportID: String, version: String, deadlineText: String, statusText: String, output: String, draftInfo: String,
        lastReturn: String, stageOptions: [Option], percent: String, result: String, achievedOn: String,
        evidence: [EvidenceRowModel], difficulties: String, proposals: String, attachments: [FileLink], accept: String,
        errors: FormErrors, conflict: ConflictModel?, contributions: [TimelineItem], isReport: Bool,
        carried: [FileLink] = [], startedFrom: String = ""
    ) {
        self.carried = carried
        self.startedFrom = startedFrom
        hasCarried = !carried.isEmpty
        hasStartedFrom = !startedFrom.isEmpty
        self.layout = layout
        self.csrf = csrf
        self.heading = heading
        self.code = code
        self.title = title
        self.assignmentHref = assignmentHref
        self.action = action
        self.reportID = reportID
        self.version = version
        self.deadlineText = deadlineText
        self.statusText = statusText
        self.output = output
        self.draftInfo = draftInfo
        self.lastReturn = lastReturn
        self.stageOptions = stageOptions
        self.percent = percent
        self.result = result
        self.achievedOn = achievedOn
        self.evidence = evidence
        self.difficulties = difficulties
        self.proposals = proposals
        self.attachments = attachments
        self.accept = accept
        self.errors = errors
        self.conflict = conflict
        self.contributions = contributions
        self.isReport = isReport
        hasAttachments = !attachments.isEmpty
        hasContributions = !contributions.isEmpty
        hasDraftInfo = !draftInfo.isEmpty
        hasLastReturn = !lastReturn.isEmpty
    }
}

/// One report on its own page, with the office's review form.
public struct ReportPage: Sendable {
    public var layout: Layout
    public var csrf: String
    public var code: String
    public var title: String
    public var assignmentHref: String
    public var output: String
    public var deadlineText: String
    public var report: TimelineItem
    public var review: TimelineItem?
    public var contributions: [TimelineItem]
    public var reviewAction: String
    public var completedOnDefault: String
    /// What the default completion date means: on time or late against the due date.
    public var completionHint: String
    public var reviewBlocked: String
    public var errors: FormErrors
    /// The reason typed before a refused send.
    public var reasonValue = ""
    public let canReview: Bool
    public let isCompletionClaim: Bool
    public let hasContributions: Bool
    public let hasReviewBlocked: Bool

    public init(
        layout: Layout, csrf: String, code: String, title: String, assignmentHref: String, output: String,
        deadlineText: String, report: TimelineItem, review: TimelineItem?, contributions: [TimelineItem],
        reviewAction: String, completedOnDefault: String, completionHint: String, reviewBlocked: String, errors: FormErrors,
        canReview: Bool, isCompletionClaim: Bool
    ) {
        self.completionHint = completionHint
        self.layout = layout
        self.csrf = csrf
        self.code = code
        self.title = title
        self.assignmentHref = assignmentHref
        self.output = output
        self.deadlineText = deadlineText
        self.report = report
        self.review = review
        self.contributions = contributions
        self.reviewAction = reviewAction
        self.completedOnDefault = completedOnDefault
        self.reviewBlocked = reviewBlocked
        self.errors = errors
        self.canReview = canReview
        self.isCompletionClaim = isCompletionClaim
        hasContributions = !contributions.isEmpty
        hasReviewBlocked = !reviewBlocked.isEmpty
    }
}

/// One row of the office's queue.
public struct QueueRow: Sendable {
    public var code: String
    public var title: String
    public var href: String
    public var agency: String
    public var what: String
    public var when: String
    public var waiting: String

    public init(code: String, title: String, href: String, agency: String, what: String, when: String, waiting: String) {
        self.code = code
        self.title = title
        self.href = href
        self.agency = agency
        self.what = what
        self.when = when
        self.waiting = waiting
    }
}

/// Chờ xử lý: sent reports and extension requests waiting for the office, oldest first.
public struct ReviewQueuePage: Sendable {
    public var layout: Layout
    public var planNumber: String
    /// Completion claims waiting for confirmation.
    public var completions: [QueueRow]
    /// Progress reports not yet noted or returned.
    public var reports: [QueueRow]
    public var extensions: [QueueRow]
    public let hasCompletions: Bool
    public let hasReports: Bool
    public let hasExtensions: Bool

    public init(layout: Layout, planNumber: String, completions: [QueueRow], reports: [QueueRow], extensions: [QueueRow]) {
        self.layout = layout
        self.planNumber = planNumber
        self.completions = completions
        self.reports = reports
        self.extensions = extensions
        hasCompletions = !completions.isEmpty
        hasReports = !reports.isEmpty
        hasExtensions = !extensions.isEmpty
    }
}
