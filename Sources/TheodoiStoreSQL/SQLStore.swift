import Foundation
import Logging
import NIOSSL
import PostgresKit
import SQLKit
import ServiceLifecycle
import TheodoiCatalog
import TheodoiCore
import TheodoiStore

/// The live store: SQLKit over SQLite or PostgreSQL.
public final class SQLStore: Sendable {
    let sessions: any SQLSessions
    /// The current time as ISO 8601 text, for created/updated columns (injected).
    let now: @Sendable () -> String
    /// The current time (injected).
    let clock: @Sendable () -> Date
    /// The `PostgresClient` to run as a service; nil for SQLite.
    public let service: (any Service)?

    private init(sessions: any SQLSessions, clock: @escaping @Sendable () -> Date, service: (any Service)?) {
        self.sessions = sessions
        self.clock = clock
        self.now = { clock().ISO8601Format() }
        self.service = service
    }

    /// Opens the database at `location`. For PostgreSQL the returned `service` must be running
    /// before the first query (the app runs it in its service group; tests run it in a task).
    public static func open(
        _ location: DatabaseLocation, logger: Logger, now: @escaping @Sendable () -> Date = Date.init
    ) async throws -> SQLStore {
        switch location {
        case .sqliteMemory:
            return SQLStore(sessions: try await SQLiteSessions.open(path: nil, logger: logger), clock: now, service: nil)
        case .sqliteFile(let path):
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return SQLStore(sessions: try await SQLiteSessions.open(path: path, logger: logger), clock: now, service: nil)
        case .postgres(let url):
            let tls: PostgresClient.Configuration.TLS
            switch url.tlsMode {
            case "disable": tls = .disable
            case "require": tls = .require(.makeClientConfiguration())
            default: tls = .prefer(.makeClientConfiguration())
            }
            var configuration = PostgresClient.Configuration(
                host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
                tls: tls)
            configuration.options.maximumConnections = 8
            if let schema = url.schema { configuration.options.additionalStartupParameters = [("search_path", schema)] }
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            let sessions = PostgresSessions(
                client: client, schema: url.schema, connections: configuration.options.maximumConnections)
            return SQLStore(sessions: sessions, clock: now, service: PostgresClientService(client: client))
        }
    }

    /// Closes SQLite connections (PostgreSQL closes when its service stops).
    public func shutdown() async { await sessions.shutdown() }

    /// How the database connections are used now and since start, for `/metrics`.
    public func poolStatistics() -> PoolStatistics { sessions.statistics.snapshot }

    /// The migrations the database has applied (none before the first) and those this program knows.
    public func schemaVersions() async throws -> (applied: Set<Int>, known: [Int]) {
        let applied = try await sessions.withSession { database in
            do {
                return Set(
                    try await database.raw("SELECT version FROM schema_migrations").all().map {
                        try $0.decode(column: "version", as: Int.self)
                    })
            } catch {
                return Set<Int>()
            }
        }
        return (applied, Migrations.all.map(\.version))
    }

    /// Reads run on SQLite's reader connections when there are any.
    func read<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        if let sqlite = sessions as? SQLiteSessions { return try await sqlite.withReadSession(body) }
        return try await sessions.withSession(body)
    }

    /// The `StoreClient` backed by this store.
    public var client: StoreClient {
        StoreClient(
            migrate: { [self] in _ = try await Migrations.run(on: sessions, now: now()) },
            syncAgencyDirectory: { [self] entries in try await syncAgencies(entries) },
            importCatalogue: { [self] request in try await importCatalogue(request) },
            plans: { [self] in try await plans() },
            plan: { [self] slug in try await plan(slug: slug) },
            planRevision: { [self] slug in try await planRevision(slug: slug) },
            parts: { [self] plan in try await parts(plan) },
            looseGroups: { [self] plan in try await looseGroups(plan) },
            assignments: { [self] plan in try await assignments(plan) },
            searchAssignments: { [self] plan, query in try await search(plan, query) },
            agencies: { [self] in try await agencies() },
            findings: { [self] plan in try await findings(plan) },
            amendments: { [self] plan in try await amendments(plan) },
            ping: { [self] in try await read { try await $0.raw("SELECT 1 AS one").run() } },
            setPlanPublished: { [self] slug, published, actor in try await setPlanPublished(slug, published, actor: actor) },
            setPlanStage: { [self] change, actor in try await setPlanStage(change, actor: actor) },
            updateAgency: { [self] id, change, actor in try await updateAgency(id, change, actor: actor) },
            mergeAgencies: { [self] source, target, actor in try await mergeAgencies(source, into: target, actor: actor) },
            correctText: { [self] plan, corrections, actor in try await correctText(plan, corrections, actor: actor) },
            textCorrections: { [self] plan in try await read { try await SQLStore.textCorrections(plan, on: $0) } })
    }
}

/// Runs a `PostgresClient` in a service group.
struct PostgresClientService: Service {
    let client: PostgresClient
    func run() async throws { await client.run() }
}
