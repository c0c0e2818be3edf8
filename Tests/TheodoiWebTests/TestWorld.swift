import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiStoreSQL
import TheodoiViews
import TheodoiWeb

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) { current = Mutex(start) }

    func now() -> Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// Who makes a request in the permission tests.
enum Who: String, CaseIterable, Sendable, CustomStringConvertible {
    case anonymous, admin, monitor, officer, otherOfficer, leader

    var description: String { rawValue }
}

/// A signed-in test user with a fixed session token and CSRF token (so snapshots are stable).
struct TestSession: Sendable {
    var user: UserRecord
    var token: String
    var csrf: String
    var cookie: String { "theodoi_session=\(token)" }
}

/// Everything a web test can reach: the stores, the use cases, the clock and the test users.
struct World: Sendable {
    var catalogue: StoreClient
    var accountStore: AccountStore
    var accounts: Accounts
    var importer: CatalogueImporter
    var clock: TestClock
    var sessions: [Who: TestSession]
    /// The agency of `officer` (Sở Khoa học và Công nghệ) and of `otherOfficer` (Sở Tài chính).
    var officerAgency: AgencyRecord
    var otherAgency: AgencyRecord
    var progress: ProgressStore
    var views: PlanViews
    var reports: ReportStore
    var reminders: ReminderStore
    var outbox: OutboxStore
    var links: LinkStore

    /// Signs in a new officer of the agency named `agencyName` (session token `session-<key>`).
    func officer(of agencyName: String, key: String) async throws -> TestSession {
        guard let agency = try await catalogue.agencies().first(where: { $0.name == agencyName }) else {
            throw TestWorldError(description: "no agency \(agencyName)")
        }
        let user = try await accountStore.createUser(
            NewUser(
                email: "\(key)@gialai.gov.vn", name: "Cán bộ \(agency.shortName)", role: .officer, agencyID: agency.id,
                passwordHash: "unused", mustChangePassword: false), .system)
        let token = "session-\(key)"
        try await accountStore.createSession(
            SecureToken.digest(token), user, "csrf-\(key)", clock.now().addingTimeInterval(90 * 86_400).ISO8601Format(), .system)
        return TestSession(user: user, token: token, csrf: "csrf-\(key)")
    }

    /// The password every test user has.
    static let password = "Matkhau-thu-2025"

    func session(_ who: Who) -> TestSession? { sessions[who] }

    /// Today in Vietnam by the test clock.
    var today: LocalDate { LocalDate(vietnamAt: clock.now().timeIntervalSince1970) }

    /// Moves the clock to 09:40 in Vietnam on `date` (never backwards).
    func move(to date: LocalDate) {
        let target = Double(date.daysSinceEpoch) * 86_400 + 9_600
        clock.advance(by: max(0, target - clock.now().timeIntervalSince1970))
    }
}

/// The backends web tests run on: in-memory SQLite always, PostgreSQL when `THEODOI_TEST_POSTGRES_URL` is set.
enum WebBackends {
    static var all: [String] {
        var names = ["sqlite"]
        if ProcessInfo.processInfo.environment["THEODOI_TEST_POSTGRES_URL"] != nil { names.append("postgres") }
        return names
    }

    static func location(_ name: String) throws -> DatabaseLocation {
        guard name == "postgres" else { return .sqliteMemory }
        let base = ProcessInfo.processInfo.environment["THEODOI_TEST_POSTGRES_URL"] ?? ""
        let schema = "w_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        return try DatabaseLocation.parse(base + (base.contains("?") ? "&" : "?") + "schema=\(schema)", defaultPath: "")
    }
}

/// Sends every request with a session cookie (unless the test set its own).
struct SessionClient: TestClientProtocol {
    let base: any TestClientProtocol
    let cookie: String?

    func executeRequest(
        uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?
    ) async throws -> TestResponse {
        var headers = headers
        if let cookie, headers[.cookie] == nil { headers[.cookie] = cookie }
        return try await base.executeRequest(uri: uri, method: method, headers: headers, body: body)
    }

    var port: Int? { base.port }
}

extension World {
    /// A fresh world on `backend` with the seed loaded and one user per role, then an in-process server.
    static func run(
        backend: String = "sqlite", today: LocalDate = TestServer.today, throttle: LoginThrottle = LoginThrottle(),
        converter: OfficeConverter? = nil, recognizer: CharacterRecognizer? = nil, testing: TestingSetup = .router,
        configure: @Sendable (inout WebDependencies, SQLStore) -> Void = { _, _ in },
        _ test: @escaping @Sendable (World, any TestClientProtocol) async throws -> Void
    ) async throws {
        // 09:40 in Vietnam on `today`; the server's today follows the clock, so tests can move days.
        let clock = TestClock(Date(timeIntervalSince1970: Double(today.daysSinceEpoch) * 86_400 + 9_600))
        let store = try await SQLStore.open(
            try WebBackends.location(backend), logger: Logger(label: "test"), now: { clock.now() })
        let service = store.service
        let running = Task { try await service?.run() }
        defer { running.cancel() }
        let catalogue = store.client
        try await catalogue.migrate()
        let importer = CatalogueImporter(
            store: catalogue, parser: CatalogueParser(directory: try AgencyDirectory.bundled()),
            pdfText: recognizer == nil ? nil : PDFTextExtractor.locate(searchPath: "/usr/bin:/usr/local/bin"),
            recognizer: recognizer)
        try await importer.loadSeedIfEmpty()
        let accounts = Accounts(
            store: store.accounts, catalogue: catalogue, hasher: WebSecurity.bcrypt(cost: 4), now: { clock.now() },
            throttle: throttle)
        let agencies = try await catalogue.agencies()
        guard let science = agencies.first(where: { $0.name == "Sở Khoa học và Công nghệ" }),
            let finance = agencies.first(where: { $0.name == "Sở Tài chính" })
        else { throw TestWorldError(description: "the seed lacks Sở Khoa học và Công nghệ or Sở Tài chính") }
        let hash = try await accounts.hasher.hash(World.password)
        var sessions: [Who: TestSession] = [:]
        let roles: [(Who, Role, AgencyRecord.ID?)] = [
            (.admin, .admin, nil), (.monitor, .monitor, nil), (.officer, .officer, science.id),
            (.otherOfficer, .officer, finance.id), (.leader, .leader, nil),
        ]
        for (who, role, agency) in roles {
            let user = try await store.accounts.createUser(
                NewUser(
                    email: "\(who.rawValue.lowercased())@gialai.gov.vn", name: "Người thử \(who.rawValue)", role: role,
                    agencyID: agency,
                    passwordHash: hash, mustChangePassword: false), .system)
            let token = "session-\(who.rawValue)"
            let csrf = "csrf-\(who.rawValue)"
            try await store.accounts.createSession(
                SecureToken.digest(token), user, csrf, clock.now().addingTimeInterval(90 * 86_400).ISO8601Format(), .system)
            sessions[who] = TestSession(user: user, token: token, csrf: csrf)
        }
        let world = World(
            catalogue: catalogue, accountStore: store.accounts, accounts: accounts, importer: importer, clock: clock,
            sessions: sessions,
            officerAgency: science, otherAgency: finance, progress: store.progress,
            views: PlanViews(store: catalogue, snapshots: PlanSnapshots(store: catalogue, progress: store.progress)),
            reports: store.reports, reminders: store.reminders, outbox: store.outbox, links: store.links)
        // As the server does: the plan's reminder pass runs right after each event (in-app notices).
        let pass = ReminderPass(
            store: catalogue, users: store.accounts.users, reminders: store.reminders, snapshots: world.views.snapshots)
        let afterEvent: @Sendable (String) async -> Void = { slug in
            _ = try? await pass.run(today: world.today, at: clock.now().ISO8601Format(), only: [slug], deliver: false)
        }
        var dependencies = WebDependencies(
            store: catalogue, views: world.views, renderer: try PageRenderer(), accounts: accounts,
            reporting: Reporting(progress: store.progress, views: world.views, today: { world.today }, afterEvent: afterEvent),
            periodicReports: PeriodicReports(
                views: world.views, reports: store.reports, converter: converter, today: { world.today },
                auditHead: {
                    try await store.accounts.auditLog(AuditFilter(limit: 1)).entries.first.map {
                        AuditHead(sequence: $0.sequence, hash: $0.hash)
                    }
                }),
            importer: importer, reminders: store.reminders, outbox: store.outbox, emailEnabled: true,
            today: { world.today },
            trustForwardedFor: true)
        dependencies.links = store.links
        configure(&dependencies, store)
        let app = Application(router: WebServer.router(dependencies))
        do {
            try await app.test(testing) { client in try await test(world, client) }
        } catch {
            // A failed test still closes the database (an open SQLite connection must not be dropped).
            await store.shutdown()
            throw error
        }
        await store.shutdown()
    }

    /// A client that sends `who`'s session cookie (none for anonymous).
    func client(_ base: any TestClientProtocol, as who: Who) -> any TestClientProtocol {
        SessionClient(base: base, cookie: sessions[who]?.cookie)
    }
}

struct TestWorldError: Error, CustomStringConvertible {
    var description: String
}

/// Form bodies and responses, briefly.
enum HTTP {
    static func form(_ fields: [(String, String)]) -> ByteBuffer {
        let allowed = CharacterSet.alphanumerics.subtracting(CharacterSet(charactersIn: "+&=")).union(
            CharacterSet(charactersIn: "-._~"))
        let text = fields.map { key, value in
            "\(key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }.joined(separator: "&")
        return ByteBuffer(string: text)
    }

    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    /// Posts a form; returns status, body and the Location header.
    static func post(
        _ client: any TestClientProtocol, _ uri: String, _ fields: [(String, String)], headers: HTTPFields = [:]
    ) async throws -> (status: HTTPResponse.Status, body: String, location: String?, headers: HTTPFields) {
        var all = formHeaders
        for field in headers { all.append(field) }
        return try await client.execute(uri: uri, method: .post, headers: all, body: form(fields)) { response in
            (response.status, String(buffer: response.body), response.headers[.location], response.headers)
        }
    }

    /// Posts a `multipart/form-data` body like a browser's file form.
    static func multipart(
        _ client: any TestClientProtocol, _ uri: String, _ fields: [(String, String)],
        files: [(field: String, name: String, bytes: [UInt8])] = [], headers: HTTPFields = [:], truncateTo: Int? = nil
    ) async throws -> (status: HTTPResponse.Status, body: String, location: String?, headers: HTTPFields) {
        let boundary = "----theodoiTestBoundary7MA4YWxkTrZu0gW"
        var body: [UInt8] = []
        // As a browser sends our forms: the `_csrf` field first (it is first in every form template).
        let ordered = fields.filter { $0.0 == "_csrf" } + fields.filter { $0.0 != "_csrf" }
        for (name, value) in ordered {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for file in files {
            body += Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    .utf8)
            body += file.bytes
            body += Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        if let truncateTo { body = Array(body.prefix(truncateTo)) }
        var all: HTTPFields = [.contentType: "multipart/form-data; boundary=\(boundary)"]
        for field in headers { all.append(field) }
        return try await client.execute(uri: uri, method: .post, headers: all, body: ByteBuffer(bytes: body)) { response in
            (response.status, String(buffer: response.body), response.headers[.location], response.headers)
        }
    }

    /// Presses the button of a confirmation page (`confirm.mustache`): posts its form's hidden fields
    /// to its action, as a browser would. Fails the test when `page` has no such form.
    static func confirm(
        _ client: any TestClientProtocol, _ page: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> (status: HTTPResponse.Status, body: String, location: String?, headers: HTTPFields) {
        guard let form = page.range(of: "class=\"confirm-form\"") else {
            Issue.record("no confirmation form on the page", sourceLocation: sourceLocation)
            throw TestWorldError(description: "no confirmation form")
        }
        let opening = page[..<form.lowerBound]
        guard let actionStart = opening.range(of: "action=\"", options: .backwards) else {
            throw TestWorldError(description: "no action")
        }
        let action = String(opening[actionStart.upperBound...].prefix { $0 != "\"" })
        let body = page[form.upperBound...].prefix { _ in true }
        let end = body.range(of: "</form>")?.lowerBound ?? body.endIndex
        var fields: [(String, String)] = []
        var rest = body[..<end]
        while let input = rest.range(of: "<input type=\"hidden\" name=\"") {
            let name = String(rest[input.upperBound...].prefix { $0 != "\"" })
            let afterName = rest[input.upperBound...]
            guard let valueStart = afterName.range(of: "value=\"") else { break }
            let value = String(afterName[valueStart.upperBound...].prefix { $0 != "\"" })
            fields.append((unescape(name), unescape(value)))
            rest = afterName[valueStart.upperBound...]
        }
        return try await post(client, unescape(action), fields)
    }

    /// Undoes the template's HTML escaping.
    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&#x2F;", with: "/").replacingOccurrences(of: "&#x3D;", with: "=")
            .replacingOccurrences(of: "&#x60;", with: "`").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Sends JSON with a bearer token.
    static func json(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ json: String, token: String?
    ) async throws -> (status: HTTPResponse.Status, body: String) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: json)) {
            ($0.status, String(buffer: $0.body))
        }
    }

    static func get(
        _ client: any TestClientProtocol, _ uri: String, headers: HTTPFields = [:]
    ) async throws -> (
        status: HTTPResponse.Status, body: String, location: String?, headers: HTTPFields
    ) {
        try await client.execute(uri: uri, method: .get, headers: headers) { response in
            (response.status, String(buffer: response.body), response.headers[.location], response.headers)
        }
    }
}
