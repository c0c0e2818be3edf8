import Foundation
import Hummingbird
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiViews

/// The plan's reminder rules (monitor) and the holidays reminders skip (administrator).
struct ReminderController: Sendable {
    let dependencies: WebDependencies
    var admin: ReminderAdmin { ReminderAdmin(store: dependencies.store, reminders: dependencies.reminders) }

    static let weekdays = ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"]

    /// `GET /plans/{plan}/reminders`.
    func settings(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.issueReports)
        let slug = try context.parameters.require("plan")
        let (plan, settings) = try await admin.settings(slug: slug)
        let saved = QueryParameters(request.uri.query)["saved"] != nil
        return try await page(
            plan, form: ReminderSettingsForm(settings), secretSet: !settings.webhookSecret.isEmpty, errors: .none,
            notice: saved ? "Đã lưu quy tắc nhắc việc." : nil, context: context)
    }

    /// `POST /plans/{plan}/reminders`.
    func save(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.issueReports)
        let slug = try context.parameters.require("plan")
        let form = ReminderSettingsForm(
            daysBefore: context.form["daysBefore"] ?? "", onTheDay: context.form["onTheDay"] == "1",
            overdueEveryDays: context.form["overdueEveryDays"] ?? "", quietDays: context.form["quietDays"] ?? "",
            recurringDaysBefore: context.form["recurringDaysBefore"] ?? "", returnedReport: context.form["returnedReport"] == "1",
            reviewWaitWorkingDays: context.form["reviewWaitWorkingDays"] ?? "",
            escalateAfterDays: context.form["escalateAfterDays"] ?? "", webhookURL: context.form["webhookURL"] ?? "",
            webhookSecret: context.form["webhookSecret"] ?? "")
        do {
            try await admin.saveSettings(slug: slug, form: form, actor: context.auditActor)
            return Responses.redirect(SiteRoute.reminderSettings(slug: slug).href + "?saved=1")
        } catch let refusal as ProgressRefusal where refusal.kind == .invalid {
            let (plan, settings) = try await admin.settings(slug: slug)
            return try await page(
                plan, form: form, secretSet: !settings.webhookSecret.isEmpty, errors: FormErrors(refusal.problems), notice: nil,
                context: context, status: .unprocessableContent)
        }
    }

    func page(
        _ plan: PlanRecord, form: ReminderSettingsForm, secretSet: Bool, errors: FormErrors, notice: String?,
        context: AppRequestContext,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let model = ReminderSettingsPage(
            layout: Layout(title: "Quy tắc nhắc việc", section: "reminders", planSlug: plan.slug, planNumber: plan.number),
            csrf: context.csrfToken, planNumber: plan.number, daysBefore: form.daysBefore, onTheDay: form.onTheDay,
            overdueEveryDays: form.overdueEveryDays, quietDays: form.quietDays, recurringDaysBefore: form.recurringDaysBefore,
            returnedReport: form.returnedReport, reviewWaitWorkingDays: form.reviewWaitWorkingDays,
            escalateAfterDays: form.escalateAfterDays, webhookURL: form.webhookURL, webhookSecretSet: secretSet, errors: errors,
            notice: notice, holidaysHref: SiteRoute.holidays.href,
            holidayCount: try await dependencies.reminders.holidays().count)
        return PageController.page(
            dependencies.renderer.render(model), context, renderer: dependencies.renderer, status: status)
    }

    /// `GET /admin/holidays`.
    func holidays(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.manageUsers)
        let notice =
            switch QueryParameters(request.uri.query)["done"] {
            case "added": "Đã lưu ngày nghỉ lễ."
            case "removed": "Đã bỏ ngày nghỉ lễ."
            default: ""
            }
        return try await holidaysPage(day: "", name: "", errors: .none, context: context, notice: notice)
    }

    /// `POST /admin/holidays`.
    func addHoliday(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.manageUsers)
        let day = context.form["day"] ?? ""
        let name = context.form["name"] ?? ""
        do {
            try await admin.addHoliday(day: day, name: name, actor: context.auditActor)
            return Responses.redirect(SiteRoute.holidays.href + "?done=added")
        } catch let refusal as ProgressRefusal where refusal.kind == .invalid {
            return try await holidaysPage(
                day: day, name: name, errors: FormErrors(refusal.problems), context: context, status: .unprocessableContent)
        }
    }

    /// `POST /admin/holidays/{day}/remove`.
    func removeHoliday(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.manageUsers)
        let raw = try context.parameters.require("day")
        guard let day = LocalDate(iso: raw), try await dependencies.reminders.removeHoliday(day, context.auditActor) else {
            throw WebError.notFound("Không có ngày nghỉ “\(raw)”.", api: "no holiday \(raw)")
        }
        return Responses.redirect(SiteRoute.holidays.href + "?done=removed")
    }

    func holidaysPage(
        day: String, name: String, errors: FormErrors, context: AppRequestContext, status: HTTPResponse.Status = .ok,
        notice: String = ""
    ) async throws -> Response {
        let rows = try await dependencies.reminders.holidays().map { holiday in
            HolidayRow(
                day: holiday.day.vietnameseShort, iso: holiday.day.iso,
                weekday: Self.weekdays[WorkingCalendar.weekday(holiday.day)], name: holiday.name,
                removeHref: SiteRoute.removeHoliday(day: holiday.day).href)
        }
        var model = HolidaysPage(
            layout: Layout(title: "Ngày nghỉ lễ", section: "admin"), csrf: context.csrfToken, rows: rows, day: day, name: name,
            errors: errors)
        model.notice = notice.isEmpty ? nil : notice
        return PageController.page(
            dependencies.renderer.render(model), context, renderer: dependencies.renderer, status: status)
    }
}
