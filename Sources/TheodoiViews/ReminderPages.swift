/// `/plans/{plan}/reminders`: the plan's reminder rules as the monitor edits them.
public struct ReminderSettingsPage: Sendable {
    public var layout: Layout
    public var csrf: String
    public var planNumber: String
    public var daysBefore: String
    public var onTheDay: Bool
    public var overdueEveryDays: String
    public var quietDays: String
    public var recurringDaysBefore: String
    public var returnedReport: Bool
    public var reviewWaitWorkingDays: String
    public var escalateAfterDays: String
    public var webhookURL: String
    public var webhookSecretSet: Bool
    public var errors: FormErrors
    public var notice: String?
    public var holidaysHref: String
    public var holidayCount: Int
    public let hasErrors: Bool

    public init(
        layout: Layout, csrf: String, planNumber: String, daysBefore: String, onTheDay: Bool, overdueEveryDays: String,
        quietDays: String, recurringDaysBefore: String, returnedReport: Bool, reviewWaitWorkingDays: String,
        escalateAfterDays: String, webhookURL: String, webhookSecretSet: Bool, errors: FormErrors, notice: String?,
        holidaysHref: String, holidayCount: Int
    ) {
        self.webhookURL = webhookURL
        self.webhookSecretSet = webhookSecretSet
        self.layout = layout
        self.csrf = csrf
        self.planNumber = planNumber
        self.daysBefore = daysBefore
        self.onTheDay = onTheDay
        self.overdueEveryDays = overdueEveryDays
        self.quietDays = quietDays
        self.recurringDaysBefore = recurringDaysBefore
        self.returnedReport = returnedReport
        self.reviewWaitWorkingDays = reviewWaitWorkingDays
        self.escalateAfterDays = escalateAfterDays
        self.errors = errors
        self.notice = notice
        self.holidaysHref = holidaysHref
        self.holidayCount = holidayCount
        hasErrors = errors.hasAny
    }
}

/// One listed holiday.
public struct HolidayRow: Sendable {
    public var day: String
    public var iso: String
    public var weekday: String
    public var name: String
    public var removeHref: String

    public init(day: String, iso: String, weekday: String, name: String, removeHref: String) {
        self.day = day
        self.iso = iso
        self.weekday = weekday
        self.name = name
        self.removeHref = removeHref
    }
}

/// `/admin/holidays`: the public holidays reminders skip.
public struct HolidaysPage: Sendable {
    public var layout: Layout
    public var csrf: String
    public var rows: [HolidayRow]
    public var day: String
    public var name: String
    public var errors: FormErrors
    public let hasErrors: Bool
    public let hasRows: Bool
    /// What the last save did ("Đã lưu ngày nghỉ lễ."), if anything (nil renders nothing).
    public var notice: String?

    public init(layout: Layout, csrf: String, rows: [HolidayRow], day: String, name: String, errors: FormErrors) {
        self.layout = layout
        self.csrf = csrf
        self.rows = rows
        self.day = day
        self.name = name
        self.errors = errors
        hasErrors = errors.hasAny
        hasRows = !rows.isEmpty
    }
}
