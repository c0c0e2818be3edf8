import Foundation
import Hummingbird
import TheodoiCore
import TheodoiForms
import TheodoiOperations
import TheodoiStore
import TheodoiViews

/// The signed-in user's notifications: the list, opening one (marks it read), marking all read.
struct NotificationController: Sendable {
    let dependencies: WebDependencies
    static let pageSize = 50

    /// `GET /notifications?page=`.
    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let page = try QueryParameters(request.uri.query).page()
        let reminders = dependencies.reminders
        let counts = try await reminders.counts(identity.user.id)
        let items = try await reminders.notifications(
            identity.user.id, Self.pageSize, RequestNumber.offset(page: page, perPage: Self.pageSize))
        let mode = try await dependencies.outbox.emailModes()[identity.user.id] ?? .immediate
        let rows = items.map { item in
            NotificationRow(
                id: item.id.rawValue, kind: item.kind.rawValue, kindLabel: item.kind.vietnamese, title: item.title,
                body: item.body, when: Reporting.timeText(item.createdAt), unread: item.readAt == nil,
                openHref: SiteRoute.openNotification(id: item.id).href)
        }
        let model = NotificationsPage(
            layout: Layout(title: "Thông báo", section: "notifications"), csrf: context.csrfToken, rows: rows,
            unread: counts.unread, total: counts.total, readAllHref: SiteRoute.readNotifications.href,
            previousHref: page > 1 ? SiteRoute.notifications(page: page - 1).href : nil,
            nextHref: RequestNumber.offset(page: page + 1, perPage: Self.pageSize) < counts.total
                ? SiteRoute.notifications(page: page + 1).href : nil,
            emailModes: EmailMode.allCases.map { Option(value: $0.rawValue, label: $0.vietnamese, selected: $0 == mode) },
            email: identity.user.email, emailEnabled: dependencies.emailEnabled,
            preferencesHref: SiteRoute.notificationPreferences.href,
            notice: QueryParameters(request.uri.query)["saved"] != nil
                ? "Đã lưu cách nhận thư nhắc việc."
                : QueryParameters(request.uri.query)["read"] != nil ? "Đã đánh dấu mọi thông báo là đã đọc." : nil)
        return PageController.page(dependencies.renderer.render(model), context, renderer: dependencies.renderer)
    }

    /// `POST /notifications/{id}/open`: marks it read and goes to the page it is about.
    func open(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let raw = try context.parameters.require("notification")
        // Only the user's own notifications are found; another's id is "no such notification".
        guard let number = RequestNumber.id(raw),
            let item = try await dependencies.reminders.notification(identity.user.id, NotificationRecord.ID(number))
        else {
            throw WebError.notFound("Không có thông báo số “\(raw)”.", api: "no notification \(raw)")
        }
        _ = try await dependencies.reminders.markRead(identity.user.id, [item.id], Date().ISO8601Format())
        // Links are paths on this site, written by the reminder pass.
        return Responses.redirect(item.link.hasPrefix("/") && !item.link.hasPrefix("//") ? item.link : "/")
    }

    /// `POST /notifications/read`: marks every notification read.
    func readAll(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        _ = try await dependencies.reminders.markRead(identity.user.id, nil, Date().ISO8601Format())
        return Responses.redirect(SiteRoute.notifications(page: 1).href + "?read=all")
    }

    /// `POST /notifications/preferences`: the user's e-mail choice.
    func savePreferences(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        guard let mode = EmailMode(rawValue: context.form["emailMode"] ?? "") else {
            throw WebError.badRequest("Hãy chọn một cách nhận thư.", api: "emailMode must be off, immediate or digest")
        }
        try await dependencies.outbox.setEmailMode(identity.user.id, mode, context.auditActor)
        return Responses.redirect(SiteRoute.notifications(page: 1).href + "?saved=1")
    }

    /// `GET /admin/outbox?state=`: the outbox for the office and the administrator.
    func outbox(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.readAudit)
        let raw = QueryParameters(request.uri.query)["state"]
        let state = raw.flatMap { OutboxRecord.State(rawValue: $0) }
        let counts = try await dependencies.outbox.counts()
        let rows = try await dependencies.outbox.list(state, 300).map { record in
            OutboxRow(
                id: record.id.rawValue, to: record.message.to, subject: record.message.subject, state: record.state.rawValue,
                stateLabel: record.state.vietnamese, attempts: record.attempts, created: Reporting.timeText(record.createdAt),
                next: record.sentAt.map(Reporting.timeText)
                    ?? (record.state == .failed ? "—" : Reporting.timeText(record.nextAttemptAt)),
                lastError: record.lastError ?? "", failed: record.state == .failed,
                retryHref: SiteRoute.retryOutbox(id: record.id).href)
        }
        let tabs =
            [
                ListTab(
                    label: "Tất cả", href: SiteRoute.outbox(state: nil).href, count: counts.values.reduce(0, +),
                    current: state == nil)
            ]
            + OutboxRecord.State.allCases.map {
                ListTab(
                    label: $0.vietnamese, href: SiteRoute.outbox(state: $0.rawValue).href, count: counts[$0] ?? 0,
                    current: $0 == state)
            }
        var model = OutboxPage(
            layout: Layout(title: "Hộp thư đi", section: "admin"), csrf: context.csrfToken, tabs: tabs, rows: rows,
            mailNote: dependencies.emailEnabled
                ? "Thư được giao cho chương trình gửi thư (sendmail) cấu hình trên máy chủ."
                : "Máy chủ chưa cấu hình gửi thư (SENDMAIL), nên không có thư mới nào được xếp hàng.")
        if QueryParameters(request.uri.query)["retried"] != nil {
            model.notice = "Đã xếp thư vào hàng gửi lại; thư được gửi trong lần gửi kế tiếp."
        }
        return PageController.page(dependencies.renderer.render(model), context, renderer: dependencies.renderer)
    }

    /// `POST /admin/outbox/{id}/retry`: a failed message goes back in the queue.
    func retry(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.readAudit)
        let raw = try context.parameters.require("message")
        guard let number = RequestNumber.id(raw),
            try await dependencies.outbox.retry(OutboxRecord.ID(number), Date().ISO8601Format(), context.auditActor)
        else {
            throw WebError.notFound("Không có thư gửi không được số “\(raw)”.", api: "no failed message \(raw)")
        }
        return Responses.redirect(SiteRoute.outbox(state: OutboxRecord.State.pending.rawValue).href + "&retried=1")
    }
}
