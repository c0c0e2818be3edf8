import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TheodoiCatalog
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiViews

/// What the web layer needs, assembled by the app's composition root.
public struct WebDependencies: Sendable {
    public var store: StoreClient
    public var views: PlanViews
    public var renderer: PageRenderer
    /// Today's date in Vietnam; tests pin it.
    public var today: @Sendable () -> LocalDate
    /// Rows per page on the plan page.
    public var pageSize: Int
    /// How many rendered pages to keep (0: none).
    public var pageCacheEntries: Int
    /// Accounts, sessions and API tokens.
    public var accounts: Accounts
    /// Cookies get the Secure flag (the site is served over TLS).
    public var secureCookies: Bool
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    public var trustForwardedFor: Bool
    /// Reports, reviews, extensions and attachments.
    public var reporting: Reporting
    /// Periodic reports: composing, settings, issuing.
    public var periodicReports: PeriodicReports
    /// Reads, previews and stores catalogue files.
    public var importer: CatalogueImporter
    /// Reminder rules, holidays and every user's notifications.
    public var reminders: ReminderStore
    /// E-mail preferences and the outbox.
    public var outbox: OutboxStore
    /// Whether reminder e-mails are sent at all (a sendmail is configured).
    public var emailEnabled: Bool

    public init(
        store: StoreClient, views: PlanViews, renderer: PageRenderer, accounts: Accounts, reporting: Reporting,
        periodicReports: PeriodicReports, importer: CatalogueImporter, reminders: ReminderStore, outbox: OutboxStore,
        emailEnabled: Bool, today: @escaping @Sendable () -> LocalDate,
        pageSize: Int = 150, pageCacheEntries: Int = 128, secureCookies: Bool = false, trustForwardedFor: Bool = false
    ) {
        self.importer = importer
        self.reminders = reminders
        self.outbox = outbox
        self.emailEnabled = emailEnabled
        self.accounts = accounts
        self.reporting = reporting
        self.periodicReports = periodicReports
        self.secureCookies = secureCookies
        self.trustForwardedFor = trustForwardedFor
        self.store = store
        self.views = views
        self.renderer = renderer
        self.today = today
        self.pageSize = pageSize
        self.pageCacheEntries = pageCacheEntries
    }
}

/// The web server.
public enum WebServer {
    /// The router with every page and endpoint (in-process tests use it directly).
    public static func router(_ dependencies: WebDependencies) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        // Outermost first: headers on every response; errors before the visitor is known; who is
        // asking; errors with the visitor's navigation; CSRF on forms; the forced password change.
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware(renderer: dependencies.renderer))
        router.add(
            middleware: IdentityMiddleware(
                accounts: dependencies.accounts, unread: { try await dependencies.reminders.unread($0) },
                trustForwardedFor: dependencies.trustForwardedFor))
        router.add(middleware: ErrorMiddleware(renderer: dependencies.renderer))
        router.add(middleware: CSRFMiddleware())
        router.add(middleware: PasswordChangeGate())
        let pages = PageController(dependencies: dependencies, cache: RenderedPageCache(capacity: dependencies.pageCacheEntries))
        let api = APIController(dependencies: dependencies)
        let account = AccountController(dependencies: dependencies)
        let admin = AdminController(dependencies: dependencies)
        let progress = ProgressController(dependencies: dependencies)
        let progressAPI = ProgressAPIController(dependencies: dependencies)
        let monitoring = MonitoringController(
            dependencies: dependencies, cache: RenderedPageCache(capacity: dependencies.pageCacheEntries))
        let stylesheet = dependencies.renderer.stylesheet
        typealias P = SiteRoute.Pattern
        router.get(RouterPath(P.home)) { request, context in try await pages.home(request, context) }
        router.get(RouterPath(P.plans)) { request, context in try await pages.plans(request, context) }
        router.get(RouterPath(P.plan)) { request, context in try await pages.plan(request, context) }
        router.post(RouterPath(P.publish)) { request, context in try await admin.publish(request, context) }
        router.get(RouterPath(P.assignment)) { request, context in try await pages.assignment(request, context) }
        router.get(RouterPath(P.findings)) { request, context in try await pages.findings(request, context) }
        router.get(RouterPath(P.agencies)) { request, context in try await pages.agencies(request, context) }
        router.get(RouterPath(P.agency)) { request, context in try await pages.agency(request, context) }
        router.get(RouterPath(P.signIn)) { request, context in try await account.signInPage(request, context) }
        router.post(RouterPath(P.signIn)) { request, context in try await account.signIn(request, context) }
        router.post(RouterPath(P.signOut)) { request, context in try await account.signOut(request, context) }
        router.get(RouterPath(P.password)) { request, context in try await account.passwordPage(request, context) }
        router.post(RouterPath(P.password)) { request, context in try await account.changePassword(request, context) }
        router.get(RouterPath(P.users)) { request, context in try await admin.users(request, context) }
        router.post(RouterPath(P.users)) { request, context in try await admin.createUser(request, context) }
        router.get(RouterPath(P.user)) { request, context in try await admin.user(request, context) }
        router.post(RouterPath(P.user)) { request, context in try await admin.updateUser(request, context) }
        router.post(RouterPath(P.userResetPassword)) { request, context in try await admin.resetPassword(request, context) }
        router.post(RouterPath(P.userTokens)) { request, context in try await admin.createToken(request, context) }
        router.post(RouterPath(P.revokeToken)) { request, context in try await admin.revokeToken(request, context) }
        router.get(RouterPath(P.directory)) { request, context in try await admin.directory(request, context) }
        router.get(RouterPath(P.directoryAgency)) { request, context in try await admin.agency(request, context) }
        router.post(RouterPath(P.directoryAgency)) { request, context in try await admin.updateAgency(request, context) }
        router.post(RouterPath(P.mergeAgency)) { request, context in try await admin.mergeAgency(request, context) }
        router.get(RouterPath(P.audit)) { request, context in try await admin.audit(request, context) }
        let catalogues = CatalogueImportController(dependencies: dependencies)
        router.get(RouterPath(P.catalogueImport)) { request, context in try await catalogues.form(request, context) }
        router.post(RouterPath(P.catalogueImport)) { request, context in try await catalogues.preview(request, context) }
        router.post(RouterPath(P.catalogueImportConfirm)) { request, context in try await catalogues.confirm(request, context) }
        router.get(RouterPath(P.reportForm)) { request, context in try await progress.reportForm(request, context, kind: .report)
        }
        router.post(RouterPath(P.reportForm)) { request, context in try await progress.saveReport(request, context, kind: .report)
        }
        router.get(RouterPath(P.contributionForm)) { request, context in
            try await progress.reportForm(request, context, kind: .contribution)
        }
        router.post(RouterPath(P.contributionForm)) { request, context in
            try await progress.saveReport(request, context, kind: .contribution)
        }
        router.get(RouterPath(P.report)) { request, context in try await progress.report(request, context) }
        router.post(RouterPath(P.reviewReport)) { request, context in try await progress.review(request, context) }
        router.post(RouterPath(P.requestExtension)) { request, context in try await progress.requestExtension(request, context) }
        router.post(RouterPath(P.decideExtension)) { request, context in try await progress.decideExtension(request, context) }
        router.post(RouterPath(P.setDue)) { request, context in try await progress.setDue(request, context) }
        router.get(RouterPath(P.attachment)) { request, context in try await progress.attachment(request, context) }
        router.get(RouterPath(P.reviewQueue)) { request, context in try await progress.queue(request, context) }
        router.post(RouterPath(P.apiReports)) { request, context in
            try await progressAPI.createReport(request, context, kind: .report)
        }
        router.post(RouterPath(P.apiContributions)) { request, context in
            try await progressAPI.createReport(request, context, kind: .contribution)
        }
        router.get(RouterPath(P.apiReport)) { request, context in try await progressAPI.report(request, context) }
        router.put(RouterPath(P.apiReport)) { request, context in try await progressAPI.updateReport(request, context) }
        router.post(RouterPath(P.apiSubmit)) { request, context in try await progressAPI.submit(request, context) }
        router.post(RouterPath(P.apiReview)) { request, context in try await progressAPI.review(request, context) }
        router.post(RouterPath(P.apiReportAttachments)) { request, context in try await progressAPI.attach(request, context) }
        router.get(RouterPath(P.apiAttachment)) { request, context in try await progressAPI.attachment(request, context) }
        router.post(RouterPath(P.apiExtensions)) { request, context in try await progressAPI.requestExtension(request, context) }
        router.post(RouterPath(P.apiDecision)) { request, context in try await progressAPI.decideExtension(request, context) }
        router.put(RouterPath(P.apiDue)) { request, context in try await progressAPI.setDue(request, context) }
        router.get(RouterPath(P.apiHistory)) { request, context in try await progressAPI.history(request, context) }
        router.get(RouterPath(P.dashboard)) { request, context in try await monitoring.dashboard(request, context) }
        router.get(RouterPath(P.scorecard)) { request, context in try await monitoring.scorecard(request, context) }
        let exports = ExportController(dependencies: dependencies)
        router.get(RouterPath(P.actionList)) { request, context in
            // `/lists/overdue.xlsx` and `.csv` are the list as a spreadsheet.
            let raw = try context.parameters.require("list")
            for format in [ExportController.Format.xlsx, .csv] where raw.hasSuffix("." + format.rawValue) {
                guard let kind = MonitoringController.ListKind(rawValue: String(raw.dropLast(format.rawValue.count + 1))) else {
                    throw WebError.notFound("Không có danh sách “\(raw)”.", api: "no list \(raw)")
                }
                return try await exports.list(request, context, kind: kind, format: format)
            }
            return try await monitoring.actionList(request, context)
        }
        router.get(RouterPath(P.exportXLSX)) { request, context in try await exports.plan(request, context, format: .xlsx) }
        router.get(RouterPath(P.openDataCSV)) { request, context in try await pages.openData(request, context, json: false) }
        router.get(RouterPath(P.openDataJSON)) { request, context in try await pages.openData(request, context, json: true) }
        router.get(RouterPath(P.exportCSV)) { request, context in try await exports.plan(request, context, format: .csv) }
        router.get(RouterPath(P.scorecardXLSX)) { request, context in
            try await exports.scorecard(request, context, format: .xlsx)
        }
        router.get(RouterPath(P.scorecardCSV)) { request, context in try await exports.scorecard(request, context, format: .csv) }
        router.get(RouterPath(P.changes)) { request, context in try await monitoring.changes(request, context) }
        router.get(RouterPath(P.apiScorecard)) { request, context in try await monitoring.apiScorecard(request, context) }
        router.get(RouterPath(P.apiList)) { request, context in try await monitoring.apiList(request, context) }
        router.get(RouterPath(P.apiChanges)) { request, context in try await monitoring.apiChanges(request, context) }
        let reports = ReportController(dependencies: dependencies)
        router.get(RouterPath(P.periodicReport)) { request, context in try await reports.page(request, context) }
        router.get(RouterPath(P.reportDOCX)) { request, context in try await reports.file(request, context, format: "docx") }
        router.get(RouterPath(P.reportXLSX)) { request, context in try await reports.file(request, context, format: "xlsx") }
        router.get(RouterPath(P.reportPDF)) { request, context in try await reports.file(request, context, format: "pdf") }
        router.get(RouterPath(P.reportPrint)) { request, context in try await reports.print(request, context) }
        router.post(RouterPath(P.issueReport)) { request, context in try await reports.issue(request, context) }
        router.get(RouterPath(P.reportSettings)) { request, context in try await reports.settings(request, context) }
        router.post(RouterPath(P.reportSettings)) { request, context in try await reports.saveSettings(request, context) }
        router.get(RouterPath(P.issuedFile)) { request, context in try await reports.issuedFile(request, context) }
        let notifications = NotificationController(dependencies: dependencies)
        router.get(RouterPath(P.notifications)) { request, context in try await notifications.list(request, context) }
        router.post(RouterPath(P.openNotification)) { request, context in try await notifications.open(request, context) }
        router.post(RouterPath(P.readNotifications)) { request, context in try await notifications.readAll(request, context) }
        router.post(RouterPath(P.notificationPreferences)) { request, context in
            try await notifications.savePreferences(request, context)
        }
        router.get(RouterPath(P.outbox)) { request, context in try await notifications.outbox(request, context) }
        router.post(RouterPath(P.retryOutbox)) { request, context in try await notifications.retry(request, context) }
        let reminderPages = ReminderController(dependencies: dependencies)
        router.get(RouterPath(P.reminderSettings)) { request, context in try await reminderPages.settings(request, context) }
        router.post(RouterPath(P.reminderSettings)) { request, context in try await reminderPages.save(request, context) }
        router.get(RouterPath(P.holidays)) { request, context in try await reminderPages.holidays(request, context) }
        router.post(RouterPath(P.holidays)) { request, context in try await reminderPages.addHoliday(request, context) }
        router.post(RouterPath(P.removeHoliday)) { request, context in try await reminderPages.removeHoliday(request, context) }
        for (path, css) in [(P.stylesheet, stylesheet), (P.documentStylesheet, dependencies.renderer.documentStylesheet)] {
            router.get(RouterPath(path)) { _, _ in
                Response(
                    status: .ok,
                    headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                    body: .init(byteBuffer: ByteBuffer(string: css)))
            }
        }
        router.get(RouterPath(P.health)) { request, context in try await api.health(request, context) }
        router.get(RouterPath(P.apiPlans)) { request, context in try await api.plans(request, context) }
        router.get(RouterPath(P.apiAssignments)) { request, context in try await api.assignments(request, context) }
        router.get(RouterPath(P.apiAssignment)) { request, context in try await api.assignment(request, context) }
        router.get(RouterPath(P.apiDashboard)) { request, context in try await api.dashboard(request, context) }
        router.get(RouterPath(P.apiSummary)) { request, context in try await api.summary(request, context) }
        router.put(RouterPath(P.apiPublication)) { request, context in try await api.publication(request, context) }
        router.get(RouterPath(P.apiAgencies)) { request, context in try await api.agencies(request, context) }
        router.get(RouterPath(P.apiDescription)) { request, context in try api.openAPI(request, context) }
        return router
    }

    /// The HTTP application as a service, running `services` (the PostgreSQL client) beside it.
    public static func application(
        _ dependencies: WebDependencies, host: String, port: Int, services: [any Service], logger: Logger,
        onRunning: @escaping @Sendable (String) async -> Void
    ) -> any Service {
        Application(
            router: router(dependencies),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "theodoi"),
            services: services,
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? port
                await onRunning("http://\(host):\(port)")
            },
            logger: logger)
    }
}

/// HTML and JSON responses.
enum Responses {
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: value.serialized(pretty: false))))
    }

    /// A file to save, named as given (RFC 5987 UTF-8 name, with an ASCII fallback for old clients).
    static func download(_ bytes: [UInt8], contentType: String, fileName: String, headers extra: HTTPFields = [:]) -> Response {
        let ascii = String(
            fileName.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        var headers: HTTPFields = [
            .contentType: contentType,
            .contentDisposition: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(escape(fileName))",
        ]
        for field in extra { headers.append(field) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .found, headers: [.location: location])
    }
}

/// Maps every error to a response: 404/400 with their message, anything else to 500 (logged).
/// Pages get the HTML error page, `/api` and `/healthz` get `{"error":{"message"}}`.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let renderer: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        let isAPI = request.uri.path.hasPrefix("/api/") || request.uri.path == SiteRoute.Pattern.health
        do {
            return try await next(request, context)
        } catch let error as WebError where error.status == .unauthorized && !isAPI {
            let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return Responses.redirect(SiteRoute.signIn(next: request.method == .get ? target : nil).href)
        } catch let error as WebError {
            return respond(
                status: error.status, message: error.message, apiMessage: error.apiMessage, isAPI: isAPI, viewer: context.viewer)
        } catch let error as AccountError {
            return respond(
                status: error.kind == .notFound ? .notFound : .unprocessableContent,
                message: error.messages.joined(separator: " "),
                apiMessage: error.apiMessage, isAPI: isAPI, viewer: context.viewer)
        } catch let refusal as ProgressRefusal {
            let status: HTTPResponse.Status =
                switch refusal.kind {
                case .forbidden: .forbidden
                case .conflict: .conflict
                case .invalid: .unprocessableContent
                }
            return respond(
                status: status, message: refusal.message, apiMessage: refusal.apiMessage, isAPI: isAPI, viewer: context.viewer)
        } catch let error as NotFound {
            return respond(
                status: .notFound, message: error.message, apiMessage: error.apiMessage, isAPI: isAPI, viewer: context.viewer)
        } catch let stale as StaleDraft {
            return respond(
                status: .conflict, message: stale.message, apiMessage: stale.apiMessage, isAPI: isAPI, viewer: context.viewer)
        } catch let error as CatalogueStoreError {
            return respond(
                status: .unprocessableContent, message: error.description, apiMessage: error.description, isAPI: isAPI,
                viewer: context.viewer)
        } catch let error as HTTPError where error.status == .notFound {
            return respond(
                status: .notFound,
                message: "Không có trang “\(request.uri.path)”. Đường dẫn có thể đã gõ sai hoặc trang đã đổi chỗ.",
                apiMessage: "no such endpoint: \(request.method) \(request.uri.path)", isAPI: isAPI, viewer: context.viewer)
        } catch let error as HTTPError {
            return respond(
                status: error.status, message: error.body ?? "Yêu cầu không hợp lệ.", apiMessage: error.body ?? "\(error.status)",
                isAPI: isAPI, viewer: context.viewer)
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return respond(
                status: .internalServerError,
                message: "Hệ thống gặp lỗi khi xử lý yêu cầu. Dữ liệu không bị thay đổi; hãy thử lại sau ít phút.",
                apiMessage: "internal error", isAPI: isAPI, viewer: context.viewer)
        }
    }

    private func respond(
        status: HTTPResponse.Status, message: String, apiMessage: String, isAPI: Bool, viewer: ViewerModel
    ) -> Response {
        if isAPI {
            return Responses.json(.object([("error", .object([("message", .string(apiMessage))]))]), status: status)
        }
        let heading: String
        switch status {
        case .notFound: heading = "Không tìm thấy"
        case .badRequest, .unprocessableContent: heading = "Yêu cầu chưa hợp lệ"
        case .forbidden: heading = "Không có quyền"
        case .conflict: heading = "Chưa thực hiện được"
        case .tooManyRequests: heading = "Thử lại sau"
        default: heading = "Đã xảy ra lỗi"
        }
        let page = ErrorPage(
            layout: Layout(title: heading, section: "error"), status: Int(status.code), heading: heading, message: message)
        return Responses.html(renderer.personalize(renderer.render(page), viewer: viewer), status: status)
    }
}
