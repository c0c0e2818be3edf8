import Foundation
import TheodoiCore
import TheodoiStore

/// The reminder rules as typed in the form (numbers still text).
public struct ReminderSettingsForm: Sendable, Hashable {
    public var daysBefore: String
    public var onTheDay: Bool
    public var overdueEveryDays: String
    public var quietDays: String
    public var recurringDaysBefore: String
    public var returnedReport: Bool
    public var reviewWaitWorkingDays: String
    public var escalateAfterDays: String
    public var webhookURL: String
    /// A new secret; empty keeps the saved one.
    public var webhookSecret: String

    public init(
        daysBefore: String, onTheDay: Bool, overdueEveryDays: String, quietDays: String, recurringDaysBefore: String,
        returnedReport: Bool, reviewWaitWorkingDays: String, escalateAfterDays: String, webhookURL: String = "",
        webhookSecret: String = ""
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

    /// The form showing saved rules.
    public init(_ settings: ReminderSettings) {
        self.init(
            daysBefore: settings.daysBefore.map(String.init).joined(separator: ", "), onTheDay: settings.onTheDay,
            overdueEveryDays: String(settings.overdueEveryDays), quietDays: String(settings.quietDays),
            recurringDaysBefore: String(settings.recurringDaysBefore), returnedReport: settings.returnedReport,
            reviewWaitWorkingDays: String(settings.reviewWaitWorkingDays), escalateAfterDays: String(settings.escalateAfterDays),
            webhookURL: settings.webhookURL)
    }
}

/// Reminder rules and holidays as the monitor and the administrator set them.
public struct ReminderAdmin: Sendable {
    public var store: StoreClient
    public var reminders: ReminderStore

    public init(store: StoreClient, reminders: ReminderStore) {
        self.store = store
        self.reminders = reminders
    }

    /// The plan and its rules (the defaults when none were saved).
    public func settings(slug: String) async throws -> (plan: PlanRecord, settings: ReminderSettings) {
        let plan = try await plan(slug)
        return (plan, try await reminders.settings(plan.id) ?? ReminderSettings())
    }

    /// Checks and saves the plan's rules; a 422 refusal names every problem.
    @discardableResult
    public func saveSettings(slug: String, form: ReminderSettingsForm, actor: AuditActor) async throws -> ReminderSettings {
        let plan = try await plan(slug)
        let saved = try await reminders.settings(plan.id)
        var problems: [String] = []
        func number(_ text: String, _ name: String) -> Int {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard let value = Int(trimmed.isEmpty ? "0" : trimmed) else {
                problems.append("\(name) “\(text)” không phải số.")
                return 0
            }
            return value
        }
        var daysBefore: [Int] = []
        for piece in form.daysBefore.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }) {
            if let value = Int(piece) {
                daysBefore.append(value)
            } else {
                problems.append("Số ngày nhắc trước hạn “\(piece)” không phải số.")
            }
        }
        let settings = ReminderSettings(
            daysBefore: Array(Set(daysBefore)).sorted(by: >), onTheDay: form.onTheDay,
            overdueEveryDays: number(form.overdueEveryDays, "Chu kỳ nhắc khi quá hạn"),
            quietDays: number(form.quietDays, "Số ngày im lặng"),
            recurringDaysBefore: number(form.recurringDaysBefore, "Số ngày nhắc trước kỳ báo cáo"),
            returnedReport: form.returnedReport,
            reviewWaitWorkingDays: number(form.reviewWaitWorkingDays, "Số ngày làm việc chờ xem xét"),
            escalateAfterDays: number(form.escalateAfterDays, "Số ngày quá hạn báo lãnh đạo"),
            webhookURL: form.webhookURL.trimmingCharacters(in: .whitespaces),
            webhookSecret: form.webhookSecret.isEmpty ? saved?.webhookSecret ?? "" : form.webhookSecret)
        problems += settings.problems
        guard problems.isEmpty else {
            throw ProgressRefusal(.invalid, problems.joined(separator: " "), api: problems.joined(separator: " "))
        }
        try await reminders.saveSettings(plan.id, settings, actor)
        return settings
    }

    /// Adds (or renames) a holiday typed as dd/MM/yyyy with its name.
    public func addHoliday(day text: String, name: String, actor: AuditActor) async throws {
        var problems: [FieldProblem] = []
        let day = LocalDate(vietnamese: text.trimmingCharacters(in: .whitespaces))
        if day == nil {
            problems.append(FieldProblem(field: "day", message: "Ngày “\(text)” không đọc được; hãy ghi theo dạng dd/MM/yyyy."))
        }
        let cleaned = VietnameseText.collapsingWhitespace(VietnameseText.nfc(name))
        if cleaned.isEmpty { problems.append(FieldProblem(field: "name", message: "Cần ghi tên ngày nghỉ.")) }
        if cleaned.count > 100 { problems.append(FieldProblem(field: "name", message: "Tên ngày nghỉ dài tối đa 100 ký tự.")) }
        guard problems.isEmpty, let day else { throw ProgressRefusal(invalid: problems) }
        try await reminders.saveHoliday(Holiday(day: day, name: cleaned), actor)
    }

    func plan(_ slug: String) async throws -> PlanRecord {
        guard let plan = try await store.plan(slug) else {
            throw NotFound(message: "Không có kế hoạch “\(slug)”.", apiMessage: "no plan \(slug)")
        }
        return plan
    }
}
