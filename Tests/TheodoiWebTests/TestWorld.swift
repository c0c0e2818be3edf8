import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
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

    /// The password every test user has.
    static let password = "Matkhau-thu-2025"

    func session(_ who: Who) -> TestSession? { sessions[who] }
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
        _ test: @escaping @Sendable (World, any TestClientProtocol) async throws -> Void
    ) async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_759_200_000))
        let store = try await SQLStore.open(
            try WebBackends.location(backend), logger: Logger(label: "test"), now: { clock.now() })
        let service = store.service
        let running = Task { try await service?.run() }
        defer { running.cancel() }
        let catalogue = store.client
        try await catalogue.migrate()
        let importer = CatalogueImporter(store: catalogue, parser: CatalogueParser(directory: try AgencyDirectory.bundled()))
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
                SecureToken.digest(token), user, csrf, clock.now().addingTimeInterval(12 * 3600).ISO8601Format(), .system)
            sessions[who] = TestSession(user: user, token: token, csrf: csrf)
        }
        let world = World(
            catalogue: catalogue, accountStore: store.accounts, accounts: accounts, importer: importer, clock: clock,
            sessions: sessions,
            officerAgency: science, otherAgency: finance)
        let dependencies = WebDependencies(
            store: catalogue, views: PlanViews(store: catalogue, snapshots: PlanSnapshots(store: catalogue)),
            renderer: try PageRenderer(),
            accounts: accounts, today: { today }, trustForwardedFor: true)
        let app = Application(router: WebServer.router(dependencies))
        try await app.test(.router) { client in try await test(world, client) }
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
