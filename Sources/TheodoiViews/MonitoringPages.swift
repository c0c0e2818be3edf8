// Page models of the dashboard, the agency scorecard, the action lists and what changed. Mustache
// reads them through reflection: every flag is a stored property.

/// A number that links to the rows it counts.
public struct LinkedCount: Sendable {
    public var value: String
    public var href: String
    public let hasLink: Bool

    public init(_ value: Int, href: String?) {
        self.value = String(value)
        self.href = href ?? ""
        hasLink = href != nil && value > 0
    }

    public init(text: String) {
        value = text
        href = ""
        hasLink = false
    }
}

/// A row of counts (a part, a group, a month) with its label.
public struct CountRow: Sendable {
    public var label: String
    public var href: String
    public var cells: [LinkedCount]

    public init(label: String, href: String, cells: [LinkedCount]) {
        self.label = label
        self.href = href
        self.cells = cells
    }
}

/// An action list in the dashboard's summary.
public struct ListLink: Sendable {
    public var label: String
    public var count: Int
    public var href: String
    public var hint: String

    public init(label: String, count: Int, href: String, hint: String) {
        self.label = label
        self.count = count
        self.href = href
        self.hint = hint
    }
}

/// Bảng điều khiển: the plan as of a date, with charts and the tables behind them.
public struct DashboardPage: Sendable {
    public var layout: Layout
    public var planNumber: String
    public var planTitle: String
    public var asOfISO: String
    public var asOfText: String
    public var sentence: String
    public var timelinessCards: [CountCard]
    public var stageCards: [CountCard]
    public var partChart: String
    public var partHeaders: [String]
    public var partRows: [CountRow]
    public var monthChart: String
    public var monthRows: [CountRow]
    public var progressChart: String
    public var progressRows: [CountRow]
    public var groupHeaders: [String]
    public var groupRows: [CountRow]
    public var lists: [ListLink]
    public var scorecardHref: String
    public var changesHref: String
    /// The JSON of the page, for those who use it (nil shows no link).
    public var apiHref: String?
    public let hasGroups: Bool
    public let hasParts: Bool

    public init(
        layout: Layout, planNumber: String, planTitle: String, asOfISO: String, asOfText: String, sentence: String,
        timelinessCards: [CountCard], stageCards: [CountCard], partChart: String, partHeaders: [String], partRows: [CountRow],
        monthChart: String, monthRows: [CountRow], progressChart: String, progressRows: [CountRow], groupHeaders: [String],
        groupRows: [CountRow], lists: [ListLink], scorecardHref: String, changesHref: String, apiHref: String?
    ) {
        self.layout = layout
        self.planNumber = planNumber
        self.planTitle = planTitle
        self.asOfISO = asOfISO
        self.asOfText = asOfText
        self.sentence = sentence
        self.timelinessCards = timelinessCards
        self.stageCards = stageCards
        self.partChart = partChart
        self.partHeaders = partHeaders
        self.partRows = partRows
        self.monthChart = monthChart
        self.monthRows = monthRows
        self.progressChart = progressChart
        self.progressRows = progressRows
        self.groupHeaders = groupHeaders
        self.groupRows = groupRows
        self.lists = lists
        self.scorecardHref = scorecardHref
        self.changesHref = changesHref
        self.apiHref = apiHref
        hasGroups = !groupRows.isEmpty
        hasParts = !partRows.isEmpty
    }
}

/// A column heading that sorts the table.
public struct SortHeader: Sendable {
    public var label: String
    public var href: String
    public var arrow: String
    public let current: Bool
    public let numeric: Bool
    /// `aria-sort`: "ascending" or "descending" (the arrow is for the eye only).
    public var ariaSort: String

    public init(label: String, href: String, arrow: String, current: Bool, numeric: Bool, ariaSort: String = "none") {
        self.ariaSort = ariaSort
        self.label = label
        self.href = href
        self.arrow = arrow
        self.current = current
        self.numeric = numeric
    }
}

/// One agency in the scorecard.
public struct ScoreRow: Sendable {
    public var rank: Int
    public var name: String
    public var href: String
    public var cells: [LinkedCount]
    public let behind: Bool

    public init(rank: Int, name: String, href: String, cells: [LinkedCount], behind: Bool) {
        self.rank = rank
        self.name = name
        self.href = href
        self.cells = cells
        self.behind = behind
    }
}

/// Bảng xếp hạng thi đua: the lead agencies' record.
public struct ScorecardPage: Sendable {
    public var layout: Layout
    public var planNumber: String
    public var asOfISO: String
    public var asOfText: String
    public var sortKey: String
    public var direction: String
    public var headers: [SortHeader]
    public var rows: [ScoreRow]
    public var note: String
    /// The JSON of the page, for those who use it (nil shows no link).
    public var apiHref: String?
    public var xlsxHref: String
    public var csvHref: String

    public init(
        layout: Layout, planNumber: String, asOfISO: String, asOfText: String, sortKey: String, direction: String,
        headers: [SortHeader], rows: [ScoreRow], note: String, apiHref: String?, xlsxHref: String = "", csvHref: String = ""
    ) {
        self.xlsxHref = xlsxHref
        self.csvHref = csvHref
        self.layout = layout
        self.planNumber = planNumber
        self.asOfISO = asOfISO
        self.asOfText = asOfText
        self.sortKey = sortKey
        self.direction = direction
        self.headers = headers
        self.rows = rows
        self.note = note
        self.apiHref = apiHref
    }
}

/// One row of an action list or of what changed.
public struct ActionRow: Sendable {
    public var code: String
    public var title: String
    public var href: String
    public var lead: String
    public var dateText: String
    public var daysText: String
    public var status: StatusBadge

    public init(code: String, title: String, href: String, lead: String, dateText: String, daysText: String, status: StatusBadge)
    {
        self.code = code
        self.title = title
        self.href = href
        self.lead = lead
        self.dateText = dateText
        self.daysText = daysText
        self.status = status
    }
}

/// A tab between the action lists.
public struct ListTab: Sendable {
    public var label: String
    public var href: String
    public var count: Int
    public let current: Bool

    public init(label: String, href: String, count: Int, current: Bool) {
        self.label = label
        self.href = href
        self.count = count
        self.current = current
    }
}

/// Danh sách cần xử lý: overdue, due soon, quiet, awaiting review, recurring without a report.
public struct ActionListPage: Sendable {
    public var layout: Layout
    public var planNumber: String
    public var asOfISO: String
    public var asOfText: String
    public var heading: String
    public var explanation: String
    public var dateHeading: String
    public var daysHeading: String
    public var tabs: [ListTab]
    public var rows: [ActionRow]
    /// The JSON of the page, for those who use it (nil shows no link).
    public var apiHref: String?
    public let hasRows: Bool
    public var pagination: Pagination
    public var xlsxHref: String
    public var csvHref: String

    public init(
        layout: Layout, planNumber: String, asOfISO: String, asOfText: String, heading: String, explanation: String,
        dateHeading: String, daysHeading: String, tabs: [ListTab], rows: [ActionRow], apiHref: String?, pagination: Pagination,
        xlsxHref: String = "", csvHref: String = ""
    ) {
        self.xlsxHref = xlsxHref
        self.csvHref = csvHref
        self.pagination = pagination
        self.layout = layout
        self.planNumber = planNumber
        self.asOfISO = asOfISO
        self.asOfText = asOfText
        self.heading = heading
        self.explanation = explanation
        self.dateHeading = dateHeading
        self.daysHeading = daysHeading
        self.tabs = tabs
        self.rows = rows
        self.apiHref = apiHref
        hasRows = !rows.isEmpty
    }
}

/// One kind of change between two dates.
public struct ChangeSection: Sendable {
    public var heading: String
    public var dateHeading: String
    public var rows: [ActionRow]
    public let hasRows: Bool

    public init(heading: String, dateHeading: String, rows: [ActionRow]) {
        self.heading = heading
        self.dateHeading = dateHeading
        self.rows = rows
        hasRows = !rows.isEmpty
    }
}

/// Những gì thay đổi giữa hai ngày.
public struct ChangesPage: Sendable {
    public var layout: Layout
    public var planNumber: String
    public var fromISO: String
    public var toISO: String
    public var fromText: String
    public var toText: String
    public var sections: [ChangeSection]
    /// The JSON of the page, for those who use it (nil shows no link).
    public var apiHref: String?

    public init(
        layout: Layout, planNumber: String, fromISO: String, toISO: String, fromText: String, toText: String,
        sections: [ChangeSection], apiHref: String?
    ) {
        self.layout = layout
        self.planNumber = planNumber
        self.fromISO = fromISO
        self.toISO = toISO
        self.fromText = fromText
        self.toText = toText
        self.sections = sections
        self.apiHref = apiHref
    }
}
