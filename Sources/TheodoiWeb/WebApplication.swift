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

    public init(
        store: StoreClient, views: PlanViews, renderer: PageRenderer, today: @escaping @Sendable () -> LocalDate,
        pageSize: Int = 150, pageCacheEntries: Int = 128
    ) {
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
    public static func router(_ dependencies: WebDependencies) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: ErrorMiddleware(renderer: dependencies.renderer))
        let pages = PageController(dependencies: dependencies, cache: RenderedPageCache(capacity: dependencies.pageCacheEntries))
        let api = APIController(dependencies: dependencies)
        let stylesheet = dependencies.renderer.stylesheet
        typealias P = SiteRoute.Pattern
        router.get(RouterPath(P.home)) { request, context in try await pages.home(request, context) }
        router.get(RouterPath(P.plans)) { request, context in try await pages.plans(request, context) }
        router.get(RouterPath(P.plan)) { request, context in try await pages.plan(request, context) }
        router.get(RouterPath(P.assignment)) { request, context in try await pages.assignment(request, context) }
        router.get(RouterPath(P.findings)) { request, context in try await pages.findings(request, context) }
        router.get(RouterPath(P.agencies)) { request, context in try await pages.agencies(request, context) }
        router.get(RouterPath(P.agency)) { request, context in try await pages.agency(request, context) }
        router.get(RouterPath(P.stylesheet)) { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: stylesheet)))
        }
        router.get(RouterPath(P.health)) { request, context in try await api.health(request, context) }
        router.get(RouterPath(P.apiPlans)) { request, context in try await api.plans(request, context) }
        router.get(RouterPath(P.apiAssignments)) { request, context in try await api.assignments(request, context) }
        router.get(RouterPath(P.apiAssignment)) { request, context in try await api.assignment(request, context) }
        router.get(RouterPath(P.apiDashboard)) { request, context in try await api.dashboard(request, context) }
        router.get(RouterPath(P.apiAgencies)) { request, context in try await api.agencies(request, context) }
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

    static func redirect(_ location: String) -> Response {
        Response(status: .found, headers: [.location: location])
    }
}

/// Maps every error to a response: 404/400 with their message, anything else to 500 (logged).
/// Pages get the HTML error page, `/api` and `/healthz` get `{"error":{"message"}}`.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let renderer: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        let isAPI = request.uri.path.hasPrefix("/api/") || request.uri.path == SiteRoute.Pattern.health
        do {
            return try await next(request, context)
        } catch let error as WebError {
            return respond(status: error.status, message: error.message, apiMessage: error.apiMessage, isAPI: isAPI)
        } catch let error as HTTPError where error.status == .notFound {
            return respond(
                status: .notFound,
                message: "Không có trang “\(request.uri.path)”. Đường dẫn có thể đã gõ sai hoặc trang đã đổi chỗ.",
                apiMessage: "no such endpoint: \(request.method) \(request.uri.path)", isAPI: isAPI)
        } catch let error as HTTPError {
            return respond(
                status: error.status, message: error.body ?? "Yêu cầu không hợp lệ.", apiMessage: error.body ?? "\(error.status)",
                isAPI: isAPI)
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return respond(
                status: .internalServerError,
                message: "Hệ thống gặp lỗi khi xử lý yêu cầu. Dữ liệu không bị thay đổi; hãy thử lại sau ít phút.",
                apiMessage: "internal error", isAPI: isAPI)
        }
    }

    private func respond(status: HTTPResponse.Status, message: String, apiMessage: String, isAPI: Bool) -> Response {
        if isAPI {
            return Responses.json(.object([("error", .object([("message", .string(apiMessage))]))]), status: status)
        }
        let heading: String
        switch status {
        case .notFound: heading = "Không tìm thấy"
        case .badRequest: heading = "Yêu cầu chưa hợp lệ"
        default: heading = "Đã xảy ra lỗi"
        }
        let page = ErrorPage(
            layout: Layout(title: heading, section: "error"), status: Int(status.code), heading: heading, message: message)
        return Responses.html(renderer.render(page), status: status)
    }
}
