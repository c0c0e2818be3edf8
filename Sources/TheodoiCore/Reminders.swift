/// Ngày làm việc: Monday to Friday, except the public holidays the administrator lists.
public struct WorkingCalendar: Sendable, Hashable {
    public var holidays: Set<LocalDate>

    public init(holidays: Set<LocalDate> = []) {
        self.holidays = holidays
    }

    /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    public static func weekday(_ date: LocalDate) -> Int {
        ((date.daysSinceEpoch % 7) + 7 + 4) % 7
    }

    public func isWorkingDay(_ date: LocalDate) -> Bool {
        let weekday = WorkingCalendar.weekday(date)
        return weekday != 0 && weekday != 6 && !holidays.contains(date)
    }

    /// The date itself when it is a working day, else the last working day before it.
    public func workingDay(onOrBefore date: LocalDate) -> LocalDate {
        var day = date
        for _ in 0..<400 where !isWorkingDay(day) { day = day.adding(days: -1) }
        return day
    }

    /// The date itself when it is a working day, else the first working day after it.
    public func workingDay(onOrAfter date: LocalDate) -> LocalDate {
        var day = date
        for _ in 0..<400 where !isWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// The working day `count` working days after `date` (not counting `date` itself).
    public func adding(workingDays count: Int, to date: LocalDate) -> LocalDate {
        var day = date
        var left = count
        var guardDays = 0
        while left > 0 && guardDays < 4000 {
            day = day.adding(days: 1)
            if isWorkingDay(day) { left -= 1 }
            guardDays += 1
        }
        return day
    }
}

/// Quy tắc nhắc việc of a plan: the monitor may change each one; zero turns a rule off.
public struct ReminderSettings: Sendable, Hashable, Codable {
    /// Nhắc trước hạn: days before the effective due date (default 7 and 1).
    public var daysBefore: [Int]
    /// Nhắc đúng ngày đến hạn.
    public var onTheDay: Bool
    /// Nhắc khi quá hạn: every so many days while overdue (default weekly).
    public var overdueEveryDays: Int
    /// Đơn vị im lặng: no report from the lead agency for so many days on an open task.
    public var quietDays: Int
    /// Nhiệm vụ thường xuyên: days before the period's cut-off when this period is not reported yet.
    public var recurringDaysBefore: Int
    /// Tell the lead agency when the office returns its report.
    public var returnedReport: Bool
    /// Báo cáo chờ xem xét: tell the office after so many working days.
    public var reviewWaitWorkingDays: Int
    /// Báo cáo lãnh đạo: overdue by more than so many days.
    public var escalateAfterDays: Int
    /// Webhook: every reminder of the plan is also POSTed as JSON to this URL ("" for none).
    public var webhookURL: String
    /// The key of the webhook's HMAC-SHA256 signature (`X-Theodoi-Signature`).
    public var webhookSecret: String

    public init(
        daysBefore: [Int] = [7, 1], onTheDay: Bool = true, overdueEveryDays: Int = 7, quietDays: Int = 30,
        recurringDaysBefore: Int = 7, returnedReport: Bool = true, reviewWaitWorkingDays: Int = 3, escalateAfterDays: Int = 30,
        webhookURL: String = "", webhookSecret: String = ""
    ) {
        self.webhookURL = webhookURL
        self.webhookSecret = webhookSecret
        self.daysBefore = daysBefore
        self.onTheDay = onTheDay
        self.overdueEveryDays = overdueEveryDays
        self.quietDays = quietDays
        self.recurringDaysBefore = recurringDaysBefore
        self.returnedReport = returnedReport
        self.reviewWaitWorkingDays = reviewWaitWorkingDays
        self.escalateAfterDays = escalateAfterDays
    }

    /// Reads saved settings, taking the default for any rule saved before it existed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ReminderSettings()
        self.init(
            daysBefore: try container.decodeIfPresent([Int].self, forKey: .daysBefore) ?? defaults.daysBefore,
            onTheDay: try container.decodeIfPresent(Bool.self, forKey: .onTheDay) ?? defaults.onTheDay,
            overdueEveryDays: try container.decodeIfPresent(Int.self, forKey: .overdueEveryDays) ?? defaults.overdueEveryDays,
            quietDays: try container.decodeIfPresent(Int.self, forKey: .quietDays) ?? defaults.quietDays,
            recurringDaysBefore: try container.decodeIfPresent(Int.self, forKey: .recurringDaysBefore)
                ?? defaults.recurringDaysBefore,
            returnedReport: try container.decodeIfPresent(Bool.self, forKey: .returnedReport) ?? defaults.returnedReport,
            reviewWaitWorkingDays: try container.decodeIfPresent(Int.self, forKey: .reviewWaitWorkingDays)
                ?? defaults.reviewWaitWorkingDays,
            escalateAfterDays: try container.decodeIfPresent(Int.self, forKey: .escalateAfterDays) ?? defaults.escalateAfterDays,
            webhookURL: try container.decodeIfPresent(String.self, forKey: .webhookURL) ?? "",
            webhookSecret: try container.decodeIfPresent(String.self, forKey: .webhookSecret) ?? "")
    }

    /// Settings a monitor may save; Vietnamese messages otherwise.
    public var problems: [String] {
        var problems: [String] = []
        if !webhookURL.isEmpty {
            if !(webhookURL.hasPrefix("https://") || webhookURL.hasPrefix("http://")) || webhookURL.contains(" ")
                || webhookURL.count > 500
            {
                problems.append("Địa chỉ webhook phải bắt đầu bằng https:// (hoặc http://), không có dấu cách.")
            }
            if webhookSecret.count < 16 { problems.append("Khóa ký webhook cần ít nhất 16 ký tự.") }
        }
        if daysBefore.contains(where: { !(1...90).contains($0) }) || daysBefore.count > 5 {
            problems.append("Số ngày nhắc trước hạn phải từ 1 đến 90, tối đa 5 mốc.")
        }
        for (value, name) in [
            (overdueEveryDays, "Chu kỳ nhắc khi quá hạn"), (quietDays, "Số ngày im lặng"),
            (recurringDaysBefore, "Số ngày nhắc trước kỳ báo cáo"), (reviewWaitWorkingDays, "Số ngày làm việc chờ xem xét"),
            (escalateAfterDays, "Số ngày quá hạn báo lãnh đạo"),
        ] where !(0...365).contains(value) {
            problems.append("\(name) phải từ 0 đến 365 (0 là tắt).")
        }
        return problems
    }
}

/// Loại nhắc việc.
public enum ReminderKind: String, Sendable, Hashable, CaseIterable, Codable {
    case dueSoon = "due-soon"
    case dueToday = "due-today"
    case overdue
    case quiet
    case recurring
    case returned
    case awaitingReview = "awaiting-review"
    case escalation
    /// A report just sent, for the office to review (at once, not after a wait).
    case submitted
    /// The office decided on an extension request (at once).
    case extensionDecided = "extension-decided"
    /// An agency asked for a later due date, for the office to decide (at once).
    case extensionRequested = "extension-requested"
    /// The office reversed its decision on a report or an extension (at once, to the lead agency).
    case decisionReversed = "decision-reversed"

    /// Who is told: the lead agency's officers, the monitoring office, or the leaders.
    public var audience: Role {
        switch self {
        case .dueSoon, .dueToday, .overdue, .quiet, .recurring, .returned, .extensionDecided, .decisionReversed: .officer
        case .awaitingReview, .submitted, .extensionRequested: .monitor
        case .escalation: .leader
        }
    }

    /// The label officials read.
    public var vietnamese: String {
        switch self {
        case .dueSoon: "Sắp đến hạn"
        case .dueToday: "Đến hạn hôm nay"
        case .overdue: "Quá hạn"
        case .quiet: "Lâu chưa báo cáo"
        case .recurring: "Sắp hết kỳ báo cáo"
        case .returned: "Báo cáo bị trả lại"
        case .awaitingReview: "Báo cáo chờ xem xét"
        case .escalation: "Quá hạn kéo dài"
        case .submitted: "Báo cáo mới chờ xem xét"
        case .extensionDecided: "Quyết định gia hạn"
        case .extensionRequested: "Đề nghị gia hạn chờ quyết định"
        case .decisionReversed: "Quyết định được hủy"
        }
    }

    /// How soon it asks someone to act: the notifications page lists the most pressing first.
    public var urgency: Int {
        switch self {
        case .returned: 0
        case .submitted, .awaitingReview, .extensionRequested, .decisionReversed: 1
        case .overdue, .escalation: 2
        case .dueToday: 3
        case .extensionDecided: 4
        case .recurring: 5
        case .dueSoon: 6
        case .quiet: 7
        }
    }

    /// Events (sent, returned, decided) are told for this many days after they happened; older
    /// ones are on the pages (a new installation does not flood anyone with old events).
    public static let eventWindowDays = 7
}

/// Một lần nhắc: what is due about one assignment, on which day, for whom. The key is unique for
/// the occasion, so a reminder claimed once is never sent again (STYLE rule 5).
public struct ReminderOccasion: Sendable, Hashable {
    public var key: String
    public var kind: ReminderKind
    public var code: String
    /// The day the reminder is due to go out (a working day).
    public var sendOn: LocalDate
    /// The effective due date it is about, when there is one.
    public var dueOn: LocalDate?
    /// Days before the due date (due soon), or overdue, or quiet, or waiting, as of `sendOn`.
    public var days: Int?
    /// The report it is about (returned, awaiting review).
    public var reportID: Int?
    /// The reporting period (recurring).
    public var period: ReportingPeriod?
    /// An extension decision: approved or refused.
    public var approved: Bool?
    /// A reversal: what was reversed ("xác nhận hoàn thành", "trả lại báo cáo", "đồng ý gia hạn") and when it was decided.
    public var reversed: (decision: String, decidedOn: LocalDate)? {
        get { reversedDecision.map { ($0, reversedDecidedOn ?? sendOn) } }
        set {
            reversedDecision = newValue?.decision
            reversedDecidedOn = newValue?.decidedOn
        }
    }
    private var reversedDecision: String?
    private var reversedDecidedOn: LocalDate?

    public init(
        key: String, kind: ReminderKind, code: String, sendOn: LocalDate, dueOn: LocalDate? = nil, days: Int? = nil,
        reportID: Int? = nil, period: ReportingPeriod? = nil, approved: Bool? = nil
    ) {
        self.approved = approved
        self.key = key
        self.kind = kind
        self.code = code
        self.sendOn = sendOn
        self.dueOn = dueOn
        self.days = days
        self.reportID = reportID
        self.period = period
    }
}

/// Quyết định nhắc gì hôm nay: for one assignment, the reminders due as of `today`. Each rule is a
/// series of occasions; the latest occasion on or before today is the one due, as long as it still
/// applies, so a pass missed on one day sends the latest reminder the next time it runs, once.
public enum ReminderPlanner {
    /// What one assignment needs reminding of today. `status` is as of today; `history` its events;
    /// `hasChildren` parents are reminded through their sub-tasks.
    public static func occasions(
        code: String, deadline: Deadline, status: AssignmentStatus, history: AssignmentHistory, hasChildren: Bool,
        planDate: LocalDate?, settings: ReminderSettings, calendar: WorkingCalendar, today: LocalDate
    ) -> [ReminderOccasion] {
        guard !hasChildren, !status.timeliness.isDone else { return [] }
        var result: [ReminderOccasion] = []
        let start = planDate ?? LocalDate(daysSinceEpoch: 0)
        let lastReport = history.standingReports(asOf: today).last
        let waitingForOffice = status.stage == .awaitingReview

        // The deadline series: before, on the day, then every so often while overdue.
        if status.timeliness != .recurring, let due = status.effectiveDue, !waitingForOffice {
            var series: [ReminderOccasion] = []
            for days in Set(settings.daysBefore).sorted(by: >) {
                let day = calendar.workingDay(onOrBefore: due.adding(days: -days))
                series.append(
                    ReminderOccasion(
                        key: "due-soon:\(code):\(due.iso):\(days)", kind: .dueSoon, code: code, sendOn: day, dueOn: due,
                        days: today.days(to: due)))
            }
            if settings.onTheDay {
                series.append(
                    ReminderOccasion(
                        key: "due-today:\(code):\(due.iso)", kind: .dueToday, code: code,
                        sendOn: calendar.workingDay(onOrBefore: due), dueOn: due, days: 0))
            }
            if settings.overdueEveryDays > 0, due < today {
                var step = settings.overdueEveryDays
                while due.adding(days: step) <= today {
                    let day = calendar.workingDay(onOrAfter: due.adding(days: step))
                    series.append(
                        // Days as of the day the notice is written: the same number the pages show that day.
                        ReminderOccasion(
                            key: "overdue:\(code):\(due.iso):\(step)", kind: .overdue, code: code, sendOn: day, dueOn: due,
                            days: due.days(to: today)))
                    step += settings.overdueEveryDays
                }
            }
            // The latest occasion due; before-deadline ones only until the deadline passes.
            if let latest = series.filter({ $0.sendOn <= today && $0.sendOn >= start }).max(by: { order($0, $1) }),
                latest.kind == .overdue ? status.timeliness == .openOverdue : today <= due
            {
                result.append(latest)
            }
            // Escalation to the leaders, once per due date.
            if settings.escalateAfterDays > 0, status.timeliness == .openOverdue {
                let day = calendar.workingDay(onOrAfter: due.adding(days: settings.escalateAfterDays + 1))
                if day <= today {
                    result.append(
                        ReminderOccasion(
                            key: "escalation:\(code):\(due.iso)", kind: .escalation, code: code, sendOn: day, dueOn: due,
                            days: due.days(to: today)))
                }
            }
        }

        // Quiet: no report from the lead agency for so many days on an open, non-recurring task.
        if settings.quietDays > 0, status.timeliness != .recurring, !waitingForOffice, result.isEmpty {
            let since = max(lastReport?.submittedOn ?? start, start)
            var step = settings.quietDays
            var latest: ReminderOccasion?
            while since.adding(days: step) <= today {
                let day = calendar.workingDay(onOrAfter: since.adding(days: step))
                if day <= today {
                    latest = ReminderOccasion(
                        key: "quiet:\(code):\(since.iso):\(step)", kind: .quiet, code: code, sendOn: day,
                        dueOn: status.effectiveDue,
                        days: since.days(to: day))
                }
                step += settings.quietDays
            }
            if let latest { result.append(latest) }
        }

        // Recurring: the period's cut-off approaches and nothing was reported in it.
        if settings.recurringDaysBefore > 0, status.timeliness == .recurring, status.reportedThisPeriod == false,
            let period = ReportingPeriod.containing(today, kind: deadline.reportingPeriodKind)
        {
            let day = calendar.workingDay(onOrBefore: period.end.adding(days: -settings.recurringDaysBefore))
            if day <= today, today <= period.end, day >= start {
                result.append(
                    ReminderOccasion(
                        key: "recurring:\(code):\(period.key)", kind: .recurring, code: code, sendOn: day, dueOn: period.end,
                        days: today.days(to: period.end), period: period))
            }
        }

        // The office returned the latest report: tell the lead agency, once (again after a reversed decision).
        if settings.returnedReport, status.stage == .returned, let report = lastReport,
            let review = history.standingReviews(asOf: today).last(where: { $0.reportID == report.id })
        {
            let reversals = history.reviews.filter { $0.reportID == report.id && $0.reversedOn != nil }.count
            result.append(
                ReminderOccasion(
                    key: reversals == 0 ? "returned:\(report.id)" : "returned:\(report.id):\(reversals)", kind: .returned,
                    code: code, sendOn: review.decidedOn, dueOn: status.effectiveDue, reportID: report.id))
        }

        let recent = today.adding(days: -ReminderKind.eventWindowDays)
        // A report just sent: the office hears at once (again after a reversed decision).
        if let report = lastReport, report.submittedOn >= recent,
            !history.standingReviews(asOf: today).contains(where: { $0.reportID == report.id })
        {
            let reversals = history.reviews.filter { $0.reportID == report.id && $0.reversedOn != nil }.count
            result.append(
                ReminderOccasion(
                    key: "submitted:\(report.id):\(reversals)", kind: .submitted, code: code, sendOn: report.submittedOn,
                    dueOn: status.effectiveDue, days: report.submittedOn.days(to: today), reportID: report.id))
        }

        // The office decided on an extension request: the lead agency hears at once.
        if let decision = history.standingExtensions(asOf: today).last, decision.decidedOn >= recent {
            result.append(
                ReminderOccasion(
                    key: "extension:\(code):\(decision.decidedOn.iso):\(decision.newDue.iso):\(decision.approved)",
                    kind: .extensionDecided, code: code, sendOn: decision.decidedOn, dueOn: decision.newDue,
                    approved: decision.approved))
        }

        // An agency asked for a later due date and the office has not decided yet: it hears at once.
        for (index, request) in history.requests.enumerated()
        where request.requestedOn >= recent && request.requestedOn <= today
            && !history.extensions.contains(where: { $0.decidedOn >= request.requestedOn })
        {
            result.append(
                ReminderOccasion(
                    key: "extension-request:\(code):\(index)", kind: .extensionRequested, code: code,
                    sendOn: request.requestedOn, dueOn: request.newDue,
                    days: status.effectiveDue.map { $0.days(to: request.newDue) }))
        }

        // The office reversed a decision: the lead agency hears at once, with what was reversed.
        for (index, review) in history.reviews.enumerated() {
            guard let on = review.reversedOn, on >= recent, on <= today else { continue }
            var occasion = ReminderOccasion(
                key: "reversed-review:\(code):\(index)", kind: .decisionReversed, code: code, sendOn: on,
                dueOn: status.effectiveDue, reportID: review.reportID)
            let name =
                switch review.decision {
                case .accept: "xác nhận hoàn thành"
                case .acknowledge: "ghi nhận báo cáo"
                case .return: "trả lại báo cáo"
                }
            occasion.reversed = (name, review.decidedOn)
            result.append(occasion)
        }
        for (index, decision) in history.extensions.enumerated() {
            guard let on = decision.reversedOn, on >= recent, on <= today else { continue }
            var occasion = ReminderOccasion(
                key: "reversed-extension:\(code):\(index)", kind: .decisionReversed, code: code, sendOn: on,
                dueOn: status.effectiveDue, approved: decision.approved)
            occasion.reversed = (
                decision.approved ? "đồng ý gia hạn đến \(decision.newDue.vietnameseShort)" : "không đồng ý gia hạn",
                decision.decidedOn
            )
            result.append(occasion)
        }

        // A completion claim waiting for the office over so many working days.
        if settings.reviewWaitWorkingDays > 0, waitingForOffice, let report = lastReport {
            let day = calendar.adding(workingDays: settings.reviewWaitWorkingDays + 1, to: report.submittedOn)
            if day <= today {
                result.append(
                    ReminderOccasion(
                        key: "awaiting-review:\(report.id)", kind: .awaitingReview, code: code, sendOn: day,
                        dueOn: status.effectiveDue, days: report.submittedOn.days(to: today), reportID: report.id))
            }
        }
        return result
    }

    /// Occasions of one series in the order they go out; on the same day the later rule wins.
    static func order(_ lhs: ReminderOccasion, _ rhs: ReminderOccasion) -> Bool {
        if lhs.sendOn != rhs.sendOn { return lhs.sendOn < rhs.sendOn }
        return rank(lhs) < rank(rhs)
    }

    static func rank(_ occasion: ReminderOccasion) -> Int {
        switch occasion.kind {
        case .dueSoon: 100 - (occasion.days ?? 0)
        case .dueToday: 200
        default: 300 + (occasion.days ?? 0)
        }
    }
}
