import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
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
    /// Scans being read in the background for the import page.
    public var recognitionJobs = RecognitionJobs()
    /// Scheduled backups, for the audit page.
    public var backups: @Sendable () async -> BackupOverview
    /// Why this instance should not be sent requests (nil: ready), for `/readyz`.
    public var unreadiness: @Sendable () async -> String?
    /// Requests, reminder passes and what `/metrics` reads when asked.
    public var metrics = ServerMetrics()
    /// The bearer token `/metrics` asks for (`METRICS_TOKEN`); nil: only this machine, not through a proxy.
    public var metricsToken: String?
    /// Links between tasks of different plans.
    public var links: LinkStore = .failing
    /// How the database connections are used, for `/metrics` (nil: not known).
    public var pool: @Sendable () -> PoolStatistics? = { nil }

    public init(
        store: StoreClient, views: PlanViews, renderer: PageRenderer, accounts: Accounts, reporting: Reporting,
        periodicReports: PeriodicReports, importer: CatalogueImporter, reminders: ReminderStore, outbox: OutboxStore,
        emailEnabled: Bool, today: @escaping @Sendable () -> LocalDate,
        pageSize: Int = 150, pageCacheEntries: Int = 128, secureCookies: Bool = false, trustForwardedFor: Bool = false,
        backups: @escaping @Sendable () async -> BackupOverview = { .off },
        unreadiness: (@Sendable () async -> String?)? = nil
    ) {
        self.backups = backups
        self.unreadiness =
            unreadiness ?? {
                do {
                    try await store.ping()
                    return nil
                } catch {
                    return "database unreachable"
                }
            }
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
        // Which methods each path takes, filled as routes are added: another method on a known path is 405.
        let routes = RouteMethods()
        // Outermost first: counting requests; headers on every response; errors before the visitor is known; who is
        // asking; errors with the visitor's navigation; CSRF on forms; the forced password change.
        router.add(middleware: MetricsMiddleware(metrics: dependencies.metrics))
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware(renderer: dependencies.renderer))
        router.add(middleware: MethodMiddleware(routes: routes))
        router.add(
            middleware: IdentityMiddleware(
                accounts: dependencies.accounts, unread: { try await dependencies.reminders.unread($0) },
                waiting: { try await dependencies.reporting.progress.waiting() },
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
        routes.add(.get, P.home)
        router.get(RouterPath(P.home)) { request, context in try await pages.home(request, context) }
        let myWork = MyWorkController(dependencies: dependencies)
        routes.add(.get, P.myWork)
        router.get(RouterPath(P.myWork)) { request, context in try await myWork.page(request, context) }
        routes.add(.get, P.myWorkXLSX)
        router.get(RouterPath(P.myWorkXLSX)) { request, context in try await myWork.download(request, context, format: .xlsx) }
        routes.add(.get, P.myWorkCSV)
        router.get(RouterPath(P.myWorkCSV)) { request, context in try await myWork.download(request, context, format: .csv) }
        let province = ProvinceController(dependencies: dependencies)
        routes.add(.get, P.province)
        router.get(RouterPath(P.province)) { request, context in try await province.page(request, context) }
        routes.add(.get, P.apiProvince)
        router.get(RouterPath(P.apiProvince)) { request, context in try await province.api(request, context) }
        routes.add(.get, P.plans)
        router.get(RouterPath(P.plans)) { request, context in try await pages.plans(request, context) }
        routes.add(.get, P.plan)
        router.get(RouterPath(P.plan)) { request, context in try await pages.plan(request, context) }
        routes.add(.post, P.publish)
        router.post(RouterPath(P.publish)) { request, context in try await admin.publish(request, context) }
        routes.add(.post, P.planStage)
        router.post(RouterPath(P.planStage)) { request, context in try await admin.stage(request, context) }
        let linking = LinkController(dependencies: dependencies)
        routes.add(.post, P.assignmentLinks)
        router.post(RouterPath(P.assignmentLinks)) { request, context in try await linking.add(request, context) }
        routes.add(.post, P.removeAssignmentLink)
        router.post(RouterPath(P.removeAssignmentLink)) { request, context in try await linking.remove(request, context) }
        routes.add(.get, P.apiAssignmentLinks)
        router.get(RouterPath(P.apiAssignmentLinks)) { request, context in try await linking.apiLinks(request, context) }
        routes.add(.post, P.apiAssignmentLinks)
        router.post(RouterPath(P.apiAssignmentLinks)) { request, context in try await linking.apiAdd(request, context) }
        routes.add(.delete, P.apiAssignmentLink)
        router.delete(RouterPath(P.apiAssignmentLink)) { request, context in try await linking.apiRemove(request, context) }
        routes.add(.get, P.assignment)
        router.get(RouterPath(P.assignment)) { request, context in try await pages.assignment(request, context) }
        routes.add(.get, P.findings)
        router.get(RouterPath(P.findings)) { request, context in try await pages.findings(request, context) }
        routes.add(.post, P.textCorrections)
        router.post(RouterPath(P.textCorrections)) { request, context in try await pages.correctText(request, context) }
        routes.add(.get, P.agencies)
        router.get(RouterPath(P.agencies)) { request, context in try await pages.agencies(request, context) }
        routes.add(.get, P.agency)
        router.get(RouterPath(P.agency)) { request, context in try await pages.agency(request, context) }
        routes.add(.get, P.signIn)
        router.get(RouterPath(P.signIn)) { request, context in try await account.signInPage(request, context) }
        routes.add(.post, P.signIn)
        router.post(RouterPath(P.signIn)) { request, context in try await account.signIn(request, context) }
        routes.add(.post, P.signOut)
        router.post(RouterPath(P.signOut)) { request, context in try await account.signOut(request, context) }
        routes.add(.get, P.password)
        router.get(RouterPath(P.password)) { request, context in try await account.passwordPage(request, context) }
        routes.add(.post, P.password)
        router.post(RouterPath(P.password)) { request, context in try await account.changePassword(request, context) }
        routes.add(.get, P.users)
        router.get(RouterPath(P.users)) { request, context in try await admin.users(request, context) }
        routes.add(.post, P.users)
        router.post(RouterPath(P.users)) { request, context in try await admin.createUser(request, context) }
        routes.add(.get, P.user)
        router.get(RouterPath(P.user)) { request, context in try await admin.user(request, context) }
        routes.add(.post, P.user)
        router.post(RouterPath(P.user)) { request, context in try await admin.updateUser(request, context) }
        routes.add(.post, P.userResetPassword)
        router.post(RouterPath(P.userResetPassword)) { request, context in try await admin.resetPassword(request, context) }
        routes.add(.post, P.userTokens)
        router.post(RouterPath(P.userTokens)) { request, context in try await admin.createToken(request, context) }
        routes.add(.post, P.revokeToken)
        router.post(RouterPath(P.revokeToken)) { request, context in try await admin.revokeToken(request, context) }
        routes.add(.get, P.directory)
        router.get(RouterPath(P.directory)) { request, context in try await admin.directory(request, context) }
        routes.add(.get, P.directoryAgency)
        router.get(RouterPath(P.directoryAgency)) { request, context in try await admin.agency(request, context) }
        routes.add(.post, P.directoryAgency)
        router.post(RouterPath(P.directoryAgency)) { request, context in try await admin.updateAgency(request, context) }
        routes.add(.post, P.mergeAgency)
        router.post(RouterPath(P.mergeAgency)) { request, context in try await admin.mergeAgency(request, context) }
        routes.add(.get, P.audit)
        router.get(RouterPath(P.audit)) { request, context in try await admin.audit(request, context) }
        let catalogues = CatalogueImportController(dependencies: dependencies)
        routes.add(.get, P.catalogueImport)
        router.get(RouterPath(P.catalogueImport)) { request, context in try await catalogues.form(request, context) }
        routes.add(.post, P.catalogueImport)
        router.post(RouterPath(P.catalogueImport)) { request, context in try await catalogues.preview(request, context) }
        routes.add(.post, P.catalogueImportConfirm)
        router.post(RouterPath(P.catalogueImportConfirm)) { request, context in try await catalogues.confirm(request, context) }
        routes.add(.get, P.catalogueImportJob)
        router.get(RouterPath(P.catalogueImportJob)) { request, context in try await catalogues.job(request, context) }
        routes.add(.get, P.reportForm)
        router.get(RouterPath(P.reportForm)) { request, context in try await progress.reportForm(request, context, kind: .report)
        }
        routes.add(.post, P.reportForm)
        router.post(RouterPath(P.reportForm)) { request, context in try await progress.saveReport(request, context, kind: .report)
        }
        routes.add(.get, P.contributionForm)
        router.get(RouterPath(P.contributionForm)) { request, context in
            try await progress.reportForm(request, context, kind: .contribution)
        }
        routes.add(.post, P.contributionForm)
        router.post(RouterPath(P.contributionForm)) { request, context in
            try await progress.saveReport(request, context, kind: .contribution)
        }
        routes.add(.get, P.report)
        router.get(RouterPath(P.report)) { request, context in try await progress.report(request, context) }
        routes.add(.post, P.reviewReport)
        router.post(RouterPath(P.reviewReport)) { request, context in try await progress.review(request, context) }
        routes.add(.post, P.requestExtension)
        router.post(RouterPath(P.requestExtension)) { request, context in try await progress.requestExtension(request, context) }
        routes.add(.post, P.withdrawReport)
        router.post(RouterPath(P.withdrawReport)) { request, context in try await progress.withdraw(request, context) }
        routes.add(.post, P.reverseReview)
        router.post(RouterPath(P.reverseReview)) { request, context in try await progress.reverseReview(request, context) }
        routes.add(.post, P.reverseExtension)
        router.post(RouterPath(P.reverseExtension)) { request, context in
            try await progress.reverseExtension(request, context)
        }
        routes.add(.post, P.decideExtension)
        router.post(RouterPath(P.decideExtension)) { request, context in try await progress.decideExtension(request, context) }
        routes.add(.post, P.setDue)
        router.post(RouterPath(P.setDue)) { request, context in try await progress.setDue(request, context) }
        routes.add(.get, P.attachment)
        router.get(RouterPath(P.attachment)) { request, context in try await progress.attachment(request, context) }
        routes.add(.get, P.reviewQueue)
        router.get(RouterPath(P.reviewQueue)) { request, context in try await progress.queue(request, context) }
        routes.add(.post, P.apiReports)
        router.post(RouterPath(P.apiReports)) { request, context in
            try await progressAPI.createReport(request, context, kind: .report)
        }
        routes.add(.post, P.apiContributions)
        router.post(RouterPath(P.apiContributions)) { request, context in
            try await progressAPI.createReport(request, context, kind: .contribution)
        }
        routes.add(.get, P.apiReport)
        router.get(RouterPath(P.apiReport)) { request, context in try await progressAPI.report(request, context) }
        routes.add(.put, P.apiReport)
        router.put(RouterPath(P.apiReport)) { request, context in try await progressAPI.updateReport(request, context) }
        routes.add(.post, P.apiSubmit)
        router.post(RouterPath(P.apiSubmit)) { request, context in try await progressAPI.submit(request, context) }
        routes.add(.post, P.apiReview)
        router.post(RouterPath(P.apiReview)) { request, context in try await progressAPI.review(request, context) }
        routes.add(.post, P.apiReportAttachments)
        router.post(RouterPath(P.apiReportAttachments)) { request, context in try await progressAPI.attach(request, context) }
        routes.add(.get, P.apiAttachment)
        router.get(RouterPath(P.apiAttachment)) { request, context in try await progressAPI.attachment(request, context) }
        routes.add(.post, P.apiExtensions)
        router.post(RouterPath(P.apiExtensions)) { request, context in try await progressAPI.requestExtension(request, context) }
        routes.add(.post, P.apiDecision)
        router.post(RouterPath(P.apiDecision)) { request, context in try await progressAPI.decideExtension(request, context) }
        routes.add(.post, P.apiWithdraw)
        router.post(RouterPath(P.apiWithdraw)) { request, context in try await progressAPI.withdraw(request, context) }
        routes.add(.post, P.apiReverseReview)
        router.post(RouterPath(P.apiReverseReview)) { request, context in
            try await progressAPI.reverseReview(request, context)
        }
        routes.add(.post, P.apiReverseExtension)
        router.post(RouterPath(P.apiReverseExtension)) { request, context in
            try await progressAPI.reverseExtension(request, context)
        }
        routes.add(.put, P.apiDue)
        router.put(RouterPath(P.apiDue)) { request, context in try await progressAPI.setDue(request, context) }
        routes.add(.get, P.apiHistory)
        router.get(RouterPath(P.apiHistory)) { request, context in try await progressAPI.history(request, context) }
        routes.add(.get, P.dashboard)
        router.get(RouterPath(P.dashboard)) { request, context in try await monitoring.dashboard(request, context) }
        routes.add(.get, P.scorecard)
        router.get(RouterPath(P.scorecard)) { request, context in try await monitoring.scorecard(request, context) }
        let exports = ExportController(dependencies: dependencies)
        routes.add(.get, P.actionList)
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
        routes.add(.get, P.exportXLSX)
        router.get(RouterPath(P.exportXLSX)) { request, context in try await exports.plan(request, context, format: .xlsx) }
        routes.add(.get, P.openDataCSV)
        router.get(RouterPath(P.openDataCSV)) { request, context in try await pages.openData(request, context, json: false) }
        routes.add(.get, P.openDataJSON)
        router.get(RouterPath(P.openDataJSON)) { request, context in try await pages.openData(request, context, json: true) }
        routes.add(.get, P.exportCSV)
        router.get(RouterPath(P.exportCSV)) { request, context in try await exports.plan(request, context, format: .csv) }
        routes.add(.get, P.scorecardXLSX)
        router.get(RouterPath(P.scorecardXLSX)) { request, context in
            try await exports.scorecard(request, context, format: .xlsx)
        }
        routes.add(.get, P.scorecardCSV)
        router.get(RouterPath(P.scorecardCSV)) { request, context in try await exports.scorecard(request, context, format: .csv) }
        routes.add(.get, P.changes)
        router.get(RouterPath(P.changes)) { request, context in try await monitoring.changes(request, context) }
        routes.add(.get, P.apiScorecard)
        router.get(RouterPath(P.apiScorecard)) { request, context in try await monitoring.apiScorecard(request, context) }
        routes.add(.get, P.apiList)
        router.get(RouterPath(P.apiList)) { request, context in try await monitoring.apiList(request, context) }
        routes.add(.get, P.apiChanges)
        router.get(RouterPath(P.apiChanges)) { request, context in try await monitoring.apiChanges(request, context) }
        let reports = ReportController(dependencies: dependencies)
        routes.add(.get, P.periodicReport)
        router.get(RouterPath(P.periodicReport)) { request, context in try await reports.page(request, context) }
        routes.add(.get, P.reportDOCX)
        router.get(RouterPath(P.reportDOCX)) { request, context in try await reports.file(request, context, format: "docx") }
        routes.add(.get, P.reportXLSX)
        router.get(RouterPath(P.reportXLSX)) { request, context in try await reports.file(request, context, format: "xlsx") }
        routes.add(.get, P.reportPDF)
        router.get(RouterPath(P.reportPDF)) { request, context in try await reports.file(request, context, format: "pdf") }
        routes.add(.get, P.reportPrint)
        router.get(RouterPath(P.reportPrint)) { request, context in try await reports.print(request, context) }
        routes.add(.post, P.issueReport)
        router.post(RouterPath(P.issueReport)) { request, context in try await reports.issue(request, context) }
        routes.add(.get, P.reportSettings)
        router.get(RouterPath(P.reportSettings)) { request, context in try await reports.settings(request, context) }
        routes.add(.post, P.reportSettings)
        router.post(RouterPath(P.reportSettings)) { request, context in try await reports.saveSettings(request, context) }
        routes.add(.get, P.issuedFile)
        router.get(RouterPath(P.issuedFile)) { request, context in try await reports.issuedFile(request, context) }
        let notifications = NotificationController(dependencies: dependencies)
        routes.add(.get, P.notifications)
        router.get(RouterPath(P.notifications)) { request, context in try await notifications.list(request, context) }
        routes.add(.post, P.openNotification)
        router.post(RouterPath(P.openNotification)) { request, context in try await notifications.open(request, context) }
        routes.add(.post, P.readNotifications)
        router.post(RouterPath(P.readNotifications)) { request, context in try await notifications.readAll(request, context) }
        routes.add(.post, P.notificationPreferences)
        router.post(RouterPath(P.notificationPreferences)) { request, context in
            try await notifications.savePreferences(request, context)
        }
        routes.add(.get, P.outbox)
        router.get(RouterPath(P.outbox)) { request, context in try await notifications.outbox(request, context) }
        routes.add(.post, P.retryOutbox)
        router.post(RouterPath(P.retryOutbox)) { request, context in try await notifications.retry(request, context) }
        let reminderPages = ReminderController(dependencies: dependencies)
        routes.add(.get, P.reminderSettings)
        router.get(RouterPath(P.reminderSettings)) { request, context in try await reminderPages.settings(request, context) }
        routes.add(.post, P.reminderSettings)
        router.post(RouterPath(P.reminderSettings)) { request, context in try await reminderPages.save(request, context) }
        routes.add(.get, P.holidays)
        router.get(RouterPath(P.holidays)) { request, context in try await reminderPages.holidays(request, context) }
        routes.add(.post, P.holidays)
        router.post(RouterPath(P.holidays)) { request, context in try await reminderPages.addHoliday(request, context) }
        routes.add(.post, P.removeHoliday)
        router.post(RouterPath(P.removeHoliday)) { request, context in try await reminderPages.removeHoliday(request, context) }
        for (path, css) in [(P.stylesheet, stylesheet), (P.documentStylesheet, dependencies.renderer.documentStylesheet)] {
            routes.add(.get, path)
            router.get(RouterPath(path)) { _, _ in
                Response(
                    status: .ok,
                    headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                    body: .init(byteBuffer: ByteBuffer(string: css)))
            }
        }
        routes.add(.get, P.metrics)
        router.get(RouterPath(P.metrics)) { request, context in try await api.metrics(request, context) }
        routes.add(.get, P.ready)
        router.get(RouterPath(P.ready)) { request, context in try await api.ready(request, context) }
        routes.add(.get, P.health)
        router.get(RouterPath(P.health)) { request, context in try await api.health(request, context) }
        routes.add(.get, P.apiPlans)
        router.get(RouterPath(P.apiPlans)) { request, context in try await api.plans(request, context) }
        routes.add(.get, P.apiAssignments)
        router.get(RouterPath(P.apiAssignments)) { request, context in try await api.assignments(request, context) }
        routes.add(.get, P.apiAssignment)
        router.get(RouterPath(P.apiAssignment)) { request, context in try await api.assignment(request, context) }
        routes.add(.get, P.apiDashboard)
        router.get(RouterPath(P.apiDashboard)) { request, context in try await api.dashboard(request, context) }
        routes.add(.get, P.apiSummary)
        router.get(RouterPath(P.apiSummary)) { request, context in try await api.summary(request, context) }
        routes.add(.get, P.apiAmendments)
        router.get(RouterPath(P.apiAmendments)) { request, context in try await api.amendments(request, context) }
        routes.add(.put, P.apiPublication)
        router.put(RouterPath(P.apiPublication)) { request, context in try await api.publication(request, context) }
        routes.add(.put, P.apiPlanStage)
        router.put(RouterPath(P.apiPlanStage)) { request, context in try await api.stage(request, context) }
        routes.add(.get, P.apiAgencies)
        router.get(RouterPath(P.apiAgencies)) { request, context in try await api.agencies(request, context) }
        routes.add(.get, P.apiDescription)
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
        let isAPI =
            request.uri.path.hasPrefix("/api/") || request.uri.path == SiteRoute.Pattern.health
            || request.uri.path == SiteRoute.Pattern.ready || request.uri.path == SiteRoute.Pattern.metrics
        do {
            return try await next(request, context)
        } catch let error as WebError where error.status == .unauthorized && !isAPI {
            let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return Responses.redirect(SiteRoute.signIn(next: request.method == .get ? target : nil).href)
        } catch let error as WebError {
            return respond(
                status: error.status, message: error.message, apiMessage: error.apiMessage, isAPI: isAPI, viewer: context.viewer,
                requestID: context.requestID)
        } catch let error as AccountError {
            return respond(
                status: error.kind == .notFound ? .notFound : .unprocessableContent,
                message: error.messages.joined(separator: " "),
                apiMessage: error.apiMessage, isAPI: isAPI, viewer: context.viewer, requestID: context.requestID)
        } catch let refusal as ProgressRefusal {
            let status: HTTPResponse.Status =
                switch refusal.kind {
                case .forbidden: .forbidden
                case .conflict: .conflict
                case .invalid: .unprocessableContent
                }
            return respond(
                status: status, message: refusal.message, apiMessage: refusal.apiMessage, isAPI: isAPI, viewer: context.viewer,
                requestID: context.requestID)
        } catch let error as NotFound {
            return respond(
                status: .notFound, message: error.message, apiMessage: error.apiMessage, isAPI: isAPI, viewer: context.viewer,
                requestID: context.requestID)
        } catch let stale as StaleDraft {
            return respond(
                status: .conflict, message: stale.message, apiMessage: stale.apiMessage, isAPI: isAPI, viewer: context.viewer,
                requestID: context.requestID)
        } catch let error as CatalogueStoreError {
            return respond(
                status: .unprocessableContent, message: error.description, apiMessage: error.description, isAPI: isAPI,
                viewer: context.viewer, requestID: context.requestID)
        } catch let error as MethodNotAllowed {
            var response = respond(
                status: .methodNotAllowed, message: "Trang này không nhận yêu cầu \(request.method).",
                apiMessage:
                    "method \(request.method) not allowed on \(request.uri.path); allowed: \(error.allowed.joined(separator: ", "))",
                isAPI: isAPI, viewer: context.viewer, requestID: context.requestID)
            response.headers[.allow] = error.allowed.joined(separator: ", ")
            return response
        } catch let error as HTTPError where error.status == .notFound {
            return respond(
                status: .notFound,
                message: "Không có trang “\(request.uri.path)”. Đường dẫn có thể đã gõ sai hoặc trang đã đổi chỗ.",
                apiMessage: "no such endpoint: \(request.method) \(request.uri.path)", isAPI: isAPI, viewer: context.viewer,
                requestID: context.requestID)
        } catch let error as HTTPError {
            return respond(
                status: error.status, message: error.body ?? "Yêu cầu không hợp lệ.", apiMessage: error.body ?? "\(error.status)",
                isAPI: isAPI, viewer: context.viewer, requestID: context.requestID)
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return respond(
                status: .internalServerError,
                message: "Hệ thống gặp lỗi khi xử lý yêu cầu. Dữ liệu không bị thay đổi; hãy thử lại sau ít phút.",
                apiMessage: "internal error", isAPI: isAPI, viewer: context.viewer, requestID: context.requestID)
        }
    }

    private func respond(
        status: HTTPResponse.Status, message: String, apiMessage: String, isAPI: Bool, viewer: ViewerModel,
        requestID: String?
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
        case .contentTooLarge: heading = "Dữ liệu gửi lên quá lớn"
        case .methodNotAllowed, .unsupportedMediaType: heading = "Yêu cầu không được hỗ trợ"
        default: heading = "Đã xảy ra lỗi"
        }
        let page = ErrorPage(
            layout: Layout(title: heading, section: "error"), status: Int(status.code), heading: heading, message: message,
            requestID: requestID)
        return Responses.html(renderer.personalize(renderer.render(page), viewer: viewer), status: status)
    }
}

/// A method a known path does not take is 405 with `Allow`, before anything reads the body or asks who is calling.
struct MethodMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        let allowed = routes.methods(for: request.uri.path)
        guard allowed.isEmpty || allowed.contains(request.method.rawValue) else {
            throw MethodNotAllowed(allowed: allowed)
        }
        // Every API query parameter takes one value, as sent: a second one, or spaces around it, are refused.
        if request.uri.path.hasPrefix("/api/"), let problem = QueryParameters.apiProblem(request.uri.query) {
            throw WebError.badRequest(problem.message, api: problem.api)
        }
        return try await next(request, context)
    }
}

/// A request whose method its path does not take.
struct MethodNotAllowed: Error {
    var allowed: [String]
}

/// The methods each route pattern takes, recorded as routes are added, so that another method on a
/// known path is answered 405 with `Allow` (not 404, and never taken for a form post).
final class RouteMethods: Sendable {
    private let table = Mutex<[(segments: [Substring], methods: Set<String>)]>([])

    func add(_ method: HTTPRequest.Method, _ pattern: String) {
        let segments = pattern.split(separator: "/")
        table.withLock { table in
            if let index = table.firstIndex(where: { $0.segments == segments }) {
                table[index].methods.insert(method.rawValue)
            } else {
                table.append((segments, [method.rawValue]))
            }
        }
    }

    /// The methods of the first pattern that matches `path` (a `:name` segment matches any one segment), HEAD with GET.
    func methods(for path: String) -> [String] {
        let parts = path.split(separator: "/")
        let found = table.withLock { table in
            table.first { entry in
                entry.segments.count == parts.count
                    && zip(entry.segments, parts).allSatisfy { pattern, part in pattern.hasPrefix(":") || pattern == part }
            }?.methods
        }
        guard var methods = found else { return [] }
        if methods.contains("GET") { methods.insert("HEAD") }
        return methods.sorted()
    }
}
