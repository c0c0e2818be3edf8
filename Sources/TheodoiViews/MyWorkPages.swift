/// Việc của tôi: what an agency has to do across every plan, most urgent first.
public struct MyWorkPage: Sendable {
    public var layout: Layout
    public var agencyName: String
    public var asOfText: String
    /// "12 việc trên 2 kế hoạch: …", or that there is nothing to do.
    public var summary: String
    public var groups: [MyWorkGroup]
    public let hasItems: Bool
    /// The agency's own line of each plan's scorecard.
    public var plans: [MyWorkPlanLine]
    public let hasPlans: Bool
    /// For the office and leaders: the agency chosen (they may look at any); nil for officers.
    public var agencyQuery: String?
    public var xlsxHref: String
    public var csvHref: String

    public init(
        layout: Layout, agencyName: String, asOfText: String, summary: String, groups: [MyWorkGroup],
        plans: [MyWorkPlanLine], agencyQuery: String?, xlsxHref: String, csvHref: String
    ) {
        self.layout = layout
        self.agencyName = agencyName
        self.asOfText = asOfText
        self.summary = summary
        self.groups = groups
        hasItems = !groups.isEmpty
        self.plans = plans
        hasPlans = !plans.isEmpty
        self.agencyQuery = agencyQuery
        self.xlsxHref = xlsxHref
        self.csvHref = csvHref
    }
}

/// One kind of work ("Quá hạn") with its rows.
public struct MyWorkGroup: Sendable {
    public var id: String
    public var heading: String
    public var count: Int
    /// What the days column means for this kind ("Quá hạn (ngày)"), or "" (no such column).
    public var daysHeading: String
    /// Whether the kind has a days column (Mustache shows a section for an empty string too).
    public let hasDays: Bool
    public var rows: [MyWorkRow]
    /// When only the first rows are shown: "Xem đủ 1.240 việc" and where (nil: all are shown).
    public var moreText: String?
    public var moreHref: String?

    public init(id: String, heading: String, daysHeading: String, rows: [MyWorkRow], count: Int? = nil) {
        self.id = id
        self.heading = heading
        self.count = count ?? rows.count
        self.daysHeading = daysHeading
        hasDays = !daysHeading.isEmpty
        self.rows = rows
    }
}

public struct MyWorkRow: Sendable {
    public var planNumber: String
    public var planHref: String
    public var code: String
    public var title: String
    public var href: String
    public var dueText: String
    public var daysText: String
    public var actionLabel: String
    public var actionHref: String

    public init(
        planNumber: String, planHref: String, code: String, title: String, href: String, dueText: String, daysText: String,
        actionLabel: String, actionHref: String
    ) {
        self.planNumber = planNumber
        self.planHref = planHref
        self.code = code
        self.title = title
        self.href = href
        self.dueText = dueText
        self.daysText = daysText
        self.actionLabel = actionLabel
        self.actionHref = actionHref
    }
}

/// A plan with the agency's line of its scorecard.
public struct MyWorkPlanLine: Sendable {
    public var planNumber: String
    public var href: String
    public var line: String

    public init(planNumber: String, href: String, line: String) {
        self.planNumber = planNumber
        self.href = href
        self.line = line
    }
}

/// For the office and leaders: what waits for the office in each plan, and which agency's work to show.
public struct MyWorkChooserPage: Sendable {
    public var layout: Layout
    public var agencies: [Link]
    /// For the office: each plan's queue, quiet tasks and import findings.
    public var office: [OfficePlanRow]
    public let hasOffice: Bool
    /// For the office: the agencies whose led tasks have gone quiet, across plans, most first.
    public var quietAgencies: [QuietAgencyRow]
    public let hasQuietAgencies: Bool

    public init(layout: Layout, agencies: [Link], office: [OfficePlanRow] = [], quietAgencies: [QuietAgencyRow] = []) {
        self.layout = layout
        self.agencies = agencies
        self.office = office
        hasOffice = !office.isEmpty
        self.quietAgencies = quietAgencies
        hasQuietAgencies = !quietAgencies.isEmpty
    }
}

/// An agency gone quiet: tasks it leads with no report for 30 days, across every active plan.
public struct QuietAgencyRow: Sendable {
    public var name: String
    public var href: String
    public var tasks: Int
    public var plans: Int
    /// The longest silence, in days ("—" when a task never had a report and the plan gives no date).
    public var longestText: String

    public init(name: String, href: String, tasks: Int, plans: Int, longestText: String) {
        self.name = name
        self.href = href
        self.tasks = tasks
        self.plans = plans
        self.longestText = longestText
    }
}

/// One plan's work for the monitoring office.
public struct OfficePlanRow: Sendable {
    public var number: String
    public var href: String
    public var waiting: Int
    public var reviewHref: String
    public var quiet: Int
    public var quietHref: String
    public var findings: Int
    public var findingsHref: String

    public init(
        number: String, href: String, waiting: Int, reviewHref: String, quiet: Int, quietHref: String, findings: Int,
        findingsHref: String
    ) {
        self.number = number
        self.href = href
        self.waiting = waiting
        self.reviewHref = reviewHref
        self.quiet = quiet
        self.quietHref = quietHref
        self.findings = findings
        self.findingsHref = findingsHref
    }
}

/// Toàn tỉnh: every plan with its sentence and counts, and the agencies behind across plans.
public struct ProvincePage: Sendable {
    public var layout: Layout
    public var asOfText: String
    public var yearOptions: [Option]
    public var plans: [ProvincePlanRow]
    public let hasPlans: Bool
    /// The plans by issuing body, in the order given (plans come sorted by issuer).
    public let groups: [ProvincePlanGroup]
    /// The chart (SVG, escaped by its builder), or "".
    public var chart: String
    public var behind: [ProvinceAgencyRow]
    public let hasBehind: Bool
    public var apiHref: String

    public init(
        layout: Layout, asOfText: String, yearOptions: [Option], plans: [ProvincePlanRow], chart: String,
        behind: [ProvinceAgencyRow], apiHref: String
    ) {
        self.layout = layout
        self.asOfText = asOfText
        self.yearOptions = yearOptions
        self.plans = plans
        hasPlans = !plans.isEmpty
        var groups: [ProvincePlanGroup] = []
        for plan in plans {
            let issuer = plan.issuer ?? "Chưa rõ cơ quan ban hành"
            if groups.last?.issuer == issuer {
                groups[groups.count - 1].plans.append(plan)
            } else {
                groups.append(ProvincePlanGroup(issuer: issuer, plans: [plan]))
            }
        }
        self.groups = groups
        self.chart = chart
        self.behind = behind
        hasBehind = !behind.isEmpty
        self.apiHref = apiHref
    }
}

/// The plans one body issued.
public struct ProvincePlanGroup: Sendable {
    public var issuer: String
    public var plans: [ProvincePlanRow]

    public init(issuer: String, plans: [ProvincePlanRow]) {
        self.issuer = issuer
        self.plans = plans
    }
}

public struct ProvincePlanRow: Sendable {
    public var number: String
    /// Nil when the plan has none (Mustache shows a section for an empty string).
    public var title: String?
    public var issuer: String?
    public var dateText: String?
    public var href: String
    public var sentence: String
    public var total: Int
    public var done: Int
    public var overdue: Int
    public var overdueHref: String
    public var awaitingReview: Int
    public var reviewHref: String

    public init(
        number: String, title: String?, issuer: String?, dateText: String?, href: String, sentence: String, total: Int,
        done: Int,
        overdue: Int, overdueHref: String, awaitingReview: Int, reviewHref: String
    ) {
        self.number = number
        self.title = title
        self.issuer = issuer
        self.dateText = dateText
        self.href = href
        self.sentence = sentence
        self.total = total
        self.done = done
        self.overdue = overdue
        self.overdueHref = overdueHref
        self.awaitingReview = awaitingReview
        self.reviewHref = reviewHref
    }
}

public struct ProvinceAgencyRow: Sendable {
    public var name: String
    public var overdue: Int
    public var plans: [ProvinceAgencyPlan]

    public init(name: String, overdue: Int, plans: [ProvinceAgencyPlan]) {
        self.name = name
        self.overdue = overdue
        self.plans = plans
    }
}

public struct ProvinceAgencyPlan: Sendable {
    public var number: String
    public var overdue: Int
    public var href: String

    public init(number: String, overdue: Int, href: String) {
        self.number = number
        self.overdue = overdue
        self.href = href
    }
}
