import Foundation
import Logging
import ServiceLifecycle
import TheodoiCatalog
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiStoreSQL
import TheodoiViews
import TheodoiWeb
import UnixSignals

/// The composition root: everything theodoi runs is assembled here.
public enum TheodoiApplication {
    /// Opens the store, runs its service (PostgreSQL) for the duration of `body`, migrates, and
    /// hands `body` the store and an importer.
    public static func withStore<R: Sendable>(
        _ configuration: AppConfiguration, _ body: @escaping @Sendable (StoreClient, CatalogueImporter) async throws -> R
    ) async throws -> R {
        let logger = makeLogger(configuration)
        let store = try await SQLStore.open(configuration.database, logger: logger)
        let client = store.client
        let importer = CatalogueImporter(store: client, parser: CatalogueParser(directory: try AgencyDirectory.bundled()))
        do {
            let result = try await run(store: store, client: client) { try await body(client, importer) }
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }

    /// Migrates and runs `work`, with the store's service (PostgreSQL) running beside it when there is one.
    private static func run<R: Sendable>(
        store: SQLStore, client: StoreClient, _ work: @escaping @Sendable () async throws -> R
    ) async throws -> R {
        guard let service = store.service else {
            try await client.migrate()
            return try await work()
        }
        return try await withThrowingTaskGroup(of: R?.self) { group in
            group.addTask {
                try await service.run()
                return nil
            }
            group.addTask {
                try await client.migrate()
                return try await work()
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }

    /// Runs the server: migrates, loads the bundled catalogue into an empty database, serves until
    /// SIGINT or SIGTERM. `announce` receives the address once the server listens.
    public static func serve(
        _ configuration: AppConfiguration, announce: @escaping @Sendable (String) async -> Void
    ) async throws {
        let logger = makeLogger(configuration)
        let store = try await SQLStore.open(configuration.database, logger: logger)
        let client = store.client
        let parser = CatalogueParser(directory: try AgencyDirectory.bundled())
        let importer = CatalogueImporter(store: client, parser: parser)
        let renderer = try PageRenderer()
        let snapshots = PlanSnapshots(store: client)
        let dependencies = WebDependencies(
            store: client, views: PlanViews(store: client, snapshots: snapshots), renderer: renderer,
            today: { LocalDate(vietnamAt: Date().timeIntervalSince1970) }, pageCacheEntries: configuration.pageCacheEntries)
        let web = WebServer.application(
            dependencies, host: configuration.host, port: configuration.port, services: [], logger: logger, onRunning: announce)
        let server = StartupThenServe(store: client, importer: importer, web: web, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let database = store.service { services.append(.init(service: database)) }
        services.append(
            .init(
                service: server, successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup))
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await store.shutdown()
    }
}

extension TheodoiApplication {
    /// The process's logger, at the configured level.
    static func makeLogger(_ configuration: AppConfiguration) -> Logger {
        var logger = Logger(label: "theodoi")
        logger.logLevel = configuration.logLevel
        return logger
    }
}

/// Migrates and seeds, then runs the web server (the database service is already running beside it).
struct StartupThenServe: Service {
    let store: StoreClient
    let importer: CatalogueImporter
    let web: any Service
    let logger: Logger

    func run() async throws {
        try await store.migrate()
        if let result = try await importer.loadSeedIfEmpty() {
            logger.info(
                "loaded the bundled catalogue", metadata: ["plan": "\(result.plan.slug)", "assignments": "\(result.added.count)"])
        }
        try await web.run()
    }
}
