import TheodoiCore

/// What every page shows around its content.
public struct Layout: Sendable {
    /// The `<title>`.
    public var title: String
    /// Which navigation item is current: "plan", "agencies", "findings", "plans".
    public var section: String
    /// The plan the navigation links point into, when there is one.
    public var planSlug: String?
    public var planNumber: String?
    /// Query string that keeps the chosen date across links ("?asOf=2025-09-30"), or "".
    public var dateQuery: String
    // Stored, not computed: Mustache reads page models through reflection.
    public let isPlan: Bool
    public let isAgencies: Bool
    public let isFindings: Bool
    public let isPlans: Bool
    public let isReview: Bool
    public let isDashboard: Bool
    public let isReport: Bool
    public let isProvince: Bool
    /// Seconds after which the page reloads itself (a job's progress), or nil.
    public var refresh: String?

    public init(title: String, section: String, planSlug: String? = nil, planNumber: String? = nil, dateQuery: String = "") {
        self.title = title
        self.section = section
        self.planSlug = planSlug
        self.planNumber = planNumber
        self.dateQuery = dateQuery
        isPlan = section == "plan"
        isAgencies = section == "agencies"
        isFindings = section == "findings"
        isPlans = section == "plans"
        isProvince = section == "province"
        isReview = section == "review"
        isDashboard = section == "dashboard"
        isReport = section == "report"
    }
}

/// A link with a label; without a target it shows as plain text.
public struct Link: Sendable {
    public var label: String
    /// Named apart from the rows' `href`: Mustache looks a missing value up in the enclosing context.
    public var linkHref: String
    public let hasLink: Bool
    /// The label with the words of a search marked; nil when the page shows no search.
    public var labelMarks: [SearchWords.Piece]?

    public init(label: String, href: String?, labelMarks: [SearchWords.Piece]? = nil) {
        self.label = label
        self.linkHref = href ?? ""
        self.hasLink = href != nil
        self.labelMarks = labelMarks
    }
}

/// A choice in a filter `<select>`.
public struct Option: Sendable {
    public var value: String
    public var label: String
    public var selected: Bool

    public init(value: String, label: String, selected: Bool) {
        self.value = value
        self.label = label
        self.selected = selected
    }
}

/// Where a row stands, as a badge.
public struct StatusBadge: Sendable {
    public var label: String
    /// CSS modifier: the timeliness code ("open-overdue").
    public var code: String
    public var stage: String
    public var overdueAtIssue: Bool

    public init(label: String, code: String, stage: String, overdueAtIssue: Bool) {
        self.label = label
        self.code = code
        self.stage = stage
        self.overdueAtIssue = overdueAtIssue
    }
}

/// One assignment in a table.
public struct AssignmentRowModel: Sendable {
    public var code: String
    public var number: String
    public var href: String
    public var isSub: Bool
    public var title: String
    public var lead: [Link]
    public var coordinators: [Link]
    public var deadlineText: String
    public var dueText: String?
    public var output: String
    public var status: StatusBadge
    /// The title with the words of a search marked; nil when the page shows no search.
    public var titleMarks: [SearchWords.Piece]?

    public init(
        code: String, number: String, href: String, isSub: Bool, title: String, lead: [Link], coordinators: [Link],
        deadlineText: String, dueText: String?, output: String, status: StatusBadge, titleMarks: [SearchWords.Piece]? = nil
    ) {
        self.titleMarks = titleMarks
        self.code = code
        self.number = number
        self.href = href
        self.isSub = isSub
        self.title = title
        self.lead = lead
        self.coordinators = coordinators
        self.deadlineText = deadlineText
        self.dueText = dueText
        self.output = output
        self.status = status
    }
}

/// A heading row of the appendix (part or group) followed by its rows.
public struct TableSection: Sendable {
    /// "A", "I"…; empty for rows before any heading.
    public var code: String
    public var title: String
    public var isPart: Bool
    public let hasHeading: Bool
    public var rows: [AssignmentRowModel]

    public init(code: String, title: String, isPart: Bool, rows: [AssignmentRowModel]) {
        self.code = code
        self.title = title
        self.isPart = isPart
        self.rows = rows
        hasHeading = !title.isEmpty
    }
}

/// A count shown as a card, linking to the rows it counts.
public struct CountCard: Sendable {
    public var label: String
    public var count: Int
    public var code: String
    public var href: String

    public init(label: String, count: Int, code: String, href: String) {
        self.label = label
        self.count = count
        self.code = code
        self.href = href
    }
}

/// Previous / next page links.
public struct Pagination: Sendable {
    public var text: String
    public var previous: String?
    public var next: String?
    public let isNeeded: Bool

    public init(text: String, previous: String?, next: String?) {
        self.text = text
        self.previous = previous
        self.next = next
        isNeeded = previous != nil || next != nil
    }
}

/// The plan, laid out like the appendix, with filters and the date statuses are computed for.
public struct PlanPage: Sendable {
    public var layout: Layout
    public var number: String
    public var dateText: String?
    public var issuer: String?
    public var title: String?
    public var isDemo: Bool
    public var asOfISO: String
    public var asOfText: String
    public var summarySentence: String
    public var cards: [CountCard]
    public var query: String
    public var agencyOptions: [Option]
    public var roleOptions: [Option]
    public var partOptions: [Option]
    public var groupOptions: [Option]
    public var timelinessOptions: [Option]
    public var stageOptions: [Option]
    public var monthOptions: [Option]
    public var isFiltered: Bool
    public var clearHref: String
    public var resultText: String
    public var sections: [TableSection]
    public let isEmpty: Bool
    public var pagination: Pagination
    public var findingsCount: Int
    public let hasFindings: Bool
    public var findingsHref: String
    public var apiHref: String
    /// The same rows as a spreadsheet.
    public var xlsxHref: String
    public var csvHref: String
    /// A draft or closed plan says so above everything else (nil: active).
    public var stageNotice: String?
    /// The amendments in force on the page's date, one sentence each (empty: never amended).
    public var amendmentLines: [String] = []

    public init(
        layout: Layout, number: String, dateText: String?, issuer: String?, title: String?, isDemo: Bool, asOfISO: String,
        asOfText: String, summarySentence: String, cards: [CountCard], query: String, agencyOptions: [Option],
        roleOptions: [Option], partOptions: [Option], groupOptions: [Option], timelinessOptions: [Option],
        stageOptions: [Option], monthOptions: [Option], isFiltered: Bool, clearHref: String, resultText: String,
        sections: [TableSection], pagination: Pagination, findingsCount: Int, findingsHref: String, apiHref: String,
        xlsxHref: String = "", csvHref: String = ""
    ) {
        self.layout = layout
        self.number = number
        self.dateText = dateText
        self.issuer = issuer
        self.title = title
        self.isDemo = isDemo
        self.asOfISO = asOfISO
        self.asOfText = asOfText
        self.summarySentence = summarySentence
        self.cards = cards
        self.query = query
        self.agencyOptions = agencyOptions
        self.roleOptions = roleOptions
        self.partOptions = partOptions
        self.groupOptions = groupOptions
        self.timelinessOptions = timelinessOptions
        self.stageOptions = stageOptions
        self.monthOptions = monthOptions
        self.isFiltered = isFiltered
        self.clearHref = clearHref
        self.resultText = resultText
        self.sections = sections
        self.pagination = pagination
        self.findingsCount = findingsCount
        self.findingsHref = findingsHref
        self.apiHref = apiHref
        self.xlsxHref = xlsxHref
        self.csvHref = csvHref
        isEmpty = sections.isEmpty
        hasFindings = findingsCount > 0
    }
}

/// A label and a value on a detail page.
public struct Field: Sendable {
    public var label: String
    public var value: String

    public init(label: String, value: String) {
        self.label = label
        self.value = value
    }
}

/// One assignment: every field, raw and parsed deadline, agencies linked, parent and children.
/// A task of another plan linked to this one (linked plans, issue 19).
public struct LinkRowModel: Sendable {
    public var planNumber: String
    public var code: String
    public var title: String
    public var href: String
    /// Nil when its plan cannot be read.
    public var status: StatusBadge?
    public var leadText: String
    /// The form removing the link, for those who may.
    public var removeAction: String?

    public init(
        planNumber: String, code: String, title: String, href: String, status: StatusBadge?, leadText: String,
        removeAction: String?
    ) {
        self.planNumber = planNumber
        self.code = code
        self.title = title
        self.href = href
        self.status = status
        self.leadText = leadText
        self.removeAction = removeAction
    }
}

/// A higher task the monitor may mean, with a button linking it.
public struct LinkSuggestionModel: Sendable {
    public var planSlug: String
    public var planNumber: String
    public var code: String
    public var title: String
    public var href: String
    public var reasons: String

    public init(planSlug: String, planNumber: String, code: String, title: String, href: String, reasons: String) {
        self.planSlug = planSlug
        self.planNumber = planNumber
        self.code = code
        self.title = title
        self.href = href
        self.reasons = reasons
    }
}

/// Liên kết giữa các kế hoạch: what the task implements, what implements it (rolled up), and, for
/// the office, the form linking it with suggestions.
public struct LinksPanel: Sendable {
    public var serves: [LinkRowModel]
    public let hasServes: Bool
    public var implementedBy: [LinkRowModel]
    public let hasImplementedBy: Bool
    /// "3 trong 5 nhiệm vụ thực hiện đã hoàn thành, 1 quá hạn".
    public var rollup: String
    /// The form linking the task to a higher one (nil: the viewer may not).
    public var addAction: String?
    public var planOptions: [Option]
    public var suggestions: [LinkSuggestionModel]
    public let hasSuggestions: Bool
    public var csrf: String
    public var error: String?

    public init(
        serves: [LinkRowModel], implementedBy: [LinkRowModel], rollup: String, addAction: String?, planOptions: [Option],
        suggestions: [LinkSuggestionModel], csrf: String, error: String? = nil
    ) {
        self.serves = serves
        hasServes = !serves.isEmpty
        self.implementedBy = implementedBy
        hasImplementedBy = !implementedBy.isEmpty
        self.rollup = rollup
        self.addAction = addAction
        self.planOptions = planOptions
        self.suggestions = suggestions
        hasSuggestions = !suggestions.isEmpty
        self.csrf = csrf
        self.error = error
    }
}

public struct AssignmentPage: Sendable {
    /// Links with tasks of other plans; nil when there are none and the viewer may not add one.
    public var links: LinksPanel?
    /// Why the task is not in the plan on the page's date, or by which decision it was added.
    public var amendmentNotice: String?
    /// For an officer of the lead agency: where to import the agency's own implementation plan of the task.
    public var implementationHref: String?
    /// Its amendments, oldest first (sửa đổi, bổ sung, bãi bỏ).
    public var amendments: [AmendmentEntryModel] = [] { didSet { hasAmendments = !amendments.isEmpty } }
    public private(set) var hasAmendments = false
    public var layout: Layout
    public var code: String
    public var title: String
    public var planHref: String
    public var planNumber: String
    public var asOfISO: String
    public var asOfText: String
    public var status: StatusBadge
    public var stageLabel: String
    public var percent: Int
    public var location: [Field]
    public var lead: [Link]
    public var leadText: String
    public var coordinators: [Link]
    public var coordinatorsText: String
    public var deadline: [Field]
    public var output: String
    public var parent: AssignmentRowModel?
    public var children: [AssignmentRowModel]
    public let hasChildren: Bool
    public let hasCoordinatorsText: Bool
    public var apiHref: String
    /// Reports, reviews, extensions and what the viewer may do.
    public var progress: ProgressPanel

    public init(
        layout: Layout, code: String, title: String, planHref: String, planNumber: String, asOfISO: String,
        asOfText: String, status: StatusBadge, stageLabel: String, percent: Int, location: [Field], lead: [Link],
        leadText: String, coordinators: [Link], coordinatorsText: String, deadline: [Field], output: String,
        parent: AssignmentRowModel?, children: [AssignmentRowModel], apiHref: String, progress: ProgressPanel = .empty
    ) {
        self.progress = progress
        self.layout = layout
        self.code = code
        self.title = title
        self.planHref = planHref
        self.planNumber = planNumber
        self.asOfISO = asOfISO
        self.asOfText = asOfText
        self.status = status
        self.stageLabel = stageLabel
        self.percent = percent
        self.location = location
        self.lead = lead
        self.leadText = leadText
        self.coordinators = coordinators
        self.coordinatorsText = coordinatorsText
        self.deadline = deadline
        self.output = output
        self.parent = parent
        self.children = children
        self.apiHref = apiHref
        hasChildren = !children.isEmpty
        hasCoordinatorsText = !coordinatorsText.isEmpty
    }
}

/// One agency in the agencies list.
public struct AgencyRowModel: Sendable {
    public var name: String
    public var href: String
    public var kind: String
    public var led: Int
    public var coordinated: Int
    public var overdue: Int
    public let hasOverdue: Bool
    /// "20 dòng, kể cả nhiệm vụ con" when the rows it leads are more than its tasks, else "".
    public var rowsNote: String

    public init(name: String, href: String, kind: String, led: Int, coordinated: Int, overdue: Int, ledRows: Int = 0) {
        rowsNote = ledRows > led ? "\(ledRows) dòng, kể cả nhiệm vụ con" : ""
        self.name = name
        self.href = href
        self.kind = kind
        self.led = led
        self.coordinated = coordinated
        self.overdue = overdue
        hasOverdue = overdue > 0
    }
}

/// The agencies of a plan with their counts.
public struct AgenciesPage: Sendable {
    public var layout: Layout
    public var planNumber: String
    public var asOfISO: String
    public var asOfText: String
    public var rows: [AgencyRowModel]

    public init(layout: Layout, planNumber: String, asOfISO: String, asOfText: String, rows: [AgencyRowModel]) {
        self.layout = layout
        self.planNumber = planNumber
        self.asOfISO = asOfISO
        self.asOfText = asOfText
        self.rows = rows
    }
}

/// One agency: what it leads and coordinates in the plan.
public struct AgencyPage: Sendable {
    public var layout: Layout
    public var name: String
    public var kind: String
    public var planNumber: String
    public var asOfISO: String
    public var asOfText: String
    public var summarySentence: String
    public var led: [AssignmentRowModel]
    public var coordinated: [AssignmentRowModel]
    public let hasLed: Bool
    public let hasCoordinated: Bool
    public var planFilterHref: String
    /// Its top-level assignments by timeliness, as an SVG bar.
    public var chart: String
    /// Its overdue rows, oldest due date first.
    public var overdue: [ActionRow]
    public let hasOverdue: Bool
    /// Its line of the scorecard, in words.
    public var scoreLine: String

    public init(
        layout: Layout, name: String, kind: String, planNumber: String, asOfISO: String, asOfText: String,
        summarySentence: String, led: [AssignmentRowModel], coordinated: [AssignmentRowModel], planFilterHref: String,
        chart: String = "", overdue: [ActionRow] = [], scoreLine: String = ""
    ) {
        self.chart = chart
        self.overdue = overdue
        self.hasOverdue = !overdue.isEmpty
        self.scoreLine = scoreLine
        self.layout = layout
        self.name = name
        self.kind = kind
        self.planNumber = planNumber
        self.asOfISO = asOfISO
        self.asOfText = asOfText
        self.summarySentence = summarySentence
        self.led = led
        self.coordinated = coordinated
        self.planFilterHref = planFilterHref
        hasLed = !led.isEmpty
        hasCoordinated = !coordinated.isEmpty
    }
}

/// One import finding.
public struct FindingRowModel: Sendable {
    public var line: String
    public var severity: String
    public var severityCode: String
    public var code: String
    public var message: String

    public init(line: String, severity: String, severityCode: String, code: String, message: String) {
        self.line = line
        self.severity = severity
        self.severityCode = severityCode
        self.code = code
        self.message = message
    }
}

/// The document's own inconsistencies, found at import.
public struct FindingsPage: Sendable {
    public var layout: Layout
    public var planNumber: String
    public var sourceName: String
    public var countText: String
    public var rows: [FindingRowModel]
    public let isEmpty: Bool
    /// Known slips still in the plan's text, which the office may correct (value: the field's key,
    /// label: where and what); empty when none or when the user may not correct.
    public var corrections: [Option]
    /// Corrections made, as lines ("Tên phần B: “…” → “…” (Văn phòng, 06/12/2026 10:15)").
    public var corrected: [String]
    public var correctAction: String
    public var csrf: String
    public var notice: String?
    public let hasCorrections: Bool
    public let hasCorrected: Bool

    public init(
        layout: Layout, planNumber: String, sourceName: String, countText: String, rows: [FindingRowModel],
        corrections: [Option] = [], corrected: [String] = [], correctAction: String = "", csrf: String = "",
        notice: String? = nil
    ) {
        self.corrections = corrections
        self.corrected = corrected
        self.correctAction = correctAction
        self.csrf = csrf
        self.notice = notice
        hasCorrections = !corrections.isEmpty
        hasCorrected = !corrected.isEmpty
        self.layout = layout
        self.planNumber = planNumber
        self.sourceName = sourceName
        self.countText = countText
        self.rows = rows
        isEmpty = rows.isEmpty
    }
}

/// One plan in the plans list.
public struct PlanRowModel: Sendable {
    public var number: String
    public var href: String
    public var title: String
    public var dateText: String
    public var issuer: String
    public var assignments: Int
    public var isDemo: Bool
    public var summarySentence: String
    /// Công khai: shown to anonymous visitors as a summary.
    public var published: Bool
    /// The publish/withdraw form's target, for roles that may publish; nil otherwise.
    public var publishHref: String?
    /// Dự thảo, đang theo dõi, đã kết thúc, with the move the viewer may make.
    public var stage: PlanStageModel?
    /// "Kế hoạch triển khai của Sở …, thực hiện nhiệm vụ A.17 của 343-QĐ/TU", with the task's page.
    public var implementsText: String?
    public var implementsHref: String?

    public init(
        number: String, href: String, title: String, dateText: String, issuer: String, assignments: Int, isDemo: Bool,
        summarySentence: String, published: Bool = false, publishHref: String? = nil, stage: PlanStageModel? = nil
    ) {
        self.stage = stage
        self.published = published
        self.publishHref = publishHref
        self.number = number
        self.href = href
        self.title = title
        self.dateText = dateText
        self.issuer = issuer
        self.assignments = assignments
        self.isDemo = isDemo
        self.summarySentence = summarySentence
    }
}

/// A plan's stage on the plans list: its badge, a sentence, and the form moving it on (nil: none).
public struct PlanStageModel: Sendable {
    /// "draft", "active", "closed" (CSS modifier).
    public var code: String
    public var label: String
    public var text: String
    public var action: String?
    public var actionTo: String
    public var actionLabel: String
    public var from: String
    public let isActive: Bool

    public init(code: String, label: String, text: String, action: String?, actionTo: String, actionLabel: String, from: String) {
        self.code = code
        self.label = label
        self.text = text
        self.action = action
        self.actionTo = actionTo
        self.actionLabel = actionLabel
        self.from = from
        isActive = code == "active"
    }
}

/// Every plan.
public struct PlansPage: Sendable {
    public var layout: Layout
    public var plans: [PlanRowModel]
    public let isEmpty: Bool
    /// The CSRF token of the publish forms.
    public var csrf: String
    /// The catalogue upload page, for those who may load catalogues.
    public var importHref: String?
    /// What the last write did ("Đã công khai …"), or "".
    public var notice: String
    public let hasNotice: Bool

    public init(layout: Layout, plans: [PlanRowModel], csrf: String = "", importHref: String? = nil, notice: String = "") {
        self.notice = notice
        hasNotice = !notice.isEmpty
        self.csrf = csrf
        self.importHref = importHref
        self.layout = layout
        self.plans = plans
        isEmpty = plans.isEmpty
    }
}

/// A page for 404, 400 and 500.
public struct ErrorPage: Sendable {
    public var layout: Layout
    public var status: Int
    public var heading: String
    public var message: String
    /// The request's id in the server log (`X-Request-Id`), for whoever reports the error.
    public var requestID: String?

    public init(layout: Layout, status: Int, heading: String, message: String, requestID: String? = nil) {
        self.layout = layout
        self.status = status
        self.heading = heading
        self.message = message
        self.requestID = requestID
    }
}

/// One amendment of a task, on its page: the decision, the day, and what it changed.
public struct AmendmentEntryModel: Sendable {
    public var dateText: String
    /// "Quyết định số 400-QĐ/TU".
    public var decision: String
    /// "Bổ sung nhiệm vụ", "Điều chỉnh", "Bãi bỏ nhiệm vụ".
    public var changeText: String
    public var fields: [AmendmentChangeRow]
    public let hasFields: Bool

    public init(dateText: String, decision: String, changeText: String, fields: [AmendmentChangeRow]) {
        self.dateText = dateText
        self.decision = decision
        self.changeText = changeText
        self.fields = fields
        hasFields = !fields.isEmpty
    }
}
