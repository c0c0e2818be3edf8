import Foundation
import Hummingbird
import TheodoiCore
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
        let page = max(1, Int(QueryParameters(request.uri.query)["page"] ?? "") ?? 1)
        let reminders = dependencies.reminders
        let counts = try await reminders.counts(identity.user.id)
        let items = try await reminders.notifications(identity.user.id, Self.pageSize, (page - 1) * Self.pageSize)
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
            nextHref: page * Self.pageSize < counts.total ? SiteRoute.notifications(page: page + 1).href : nil)
        return PageController.page(dependencies.renderer.render(model), context, renderer: dependencies.renderer)
    }

    /// `POST /notifications/{id}/open`: marks it read and goes to the page it is about.
    func open(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let raw = try context.parameters.require("notification")
        // Only the user's own notifications are found; another's id is "no such notification".
        guard let number = Int(raw),
            let item = try await dependencies.reminders.notifications(identity.user.id, 1_000, 0)
                .first(where: { $0.id.rawValue == number })
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
        return Responses.redirect(SiteRoute.notifications(page: 1).href)
    }
}
