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
        _ configuration: AppConfiguration, _ body: @escaping @Sendable (Toolbox) async throws -> R
    ) async throws -> R {
        try await withDatabase(configuration.database, logger: makeLogger(configuration)) { store in
            let client = store.client
            let converter = OfficeConverter.locate(configured: configuration.soffice, searchPath: configuration.searchPath)
            let toolbox = Toolbox(
                store: client,
                importer: CatalogueImporter(
                    store: client, parser: CatalogueParser(directory: try AgencyDirectory.bundled()), converter: converter,
                    pdfText: PDFTextExtractor.locate(searchPath: configuration.searchPath),
                    recognizer: CharacterRecognizer.locate(searchPath: configuration.searchPath)),
                accounts: accounts(store, configuration), audit: AuditVerifier(store: store.accounts),
                progress: store.progress, reports: store.reports, reminders: store.reminders, outbox: store.outbox,
                outbound: outbound(store, configuration), converter: converter)
            try await client.migrate()
            return try await body(toolbox)
        }
    }

    /// Runs the server: migrates, loads the bundled catalogue into an empty database, serves until
    /// SIGINT or SIGTERM. `announce` receives the address once the server listens. Throws
    /// `StartupFailure` before touching the database when the server cannot listen.
    public static func serve(
        _ configuration: AppConfiguration, announce: @escaping @Sendable (String) async -> Void,
        announceAdmin: @escaping @Sendable (_ email: String, _ password: String) async -> Void
    ) async throws {
        // A busy port is found before the database is opened: no file created, nothing migrated or loaded.
        if let problem = await ListenCheck.problem(host: configuration.host, port: configuration.port) {
            throw StartupFailure(message: "Không khởi động được: \(problem.description)")
        }
        let logger = makeLogger(configuration)
        let store = try await SQLStore.open(configuration.database, logger: logger)
        // One server per SQLite file (see `ServeLock`), found before anything is migrated or loaded.
        var lock: ServeLock?
        if case .sqliteFile(let path) = configuration.database {
            do {
                lock = try ServeLock.acquire(databasePath: path)
            } catch {
                await store.shutdown()
                throw error
            }
        }
        defer { lock?.release() }
        let client = store.client
        let parser = CatalogueParser(directory: try AgencyDirectory.bundled())
        let converter = OfficeConverter.locate(configured: configuration.soffice, searchPath: configuration.searchPath)
        let importer = CatalogueImporter(
            store: client, parser: parser, converter: converter,
            pdfText: PDFTextExtractor.locate(searchPath: configuration.searchPath),
            recognizer: CharacterRecognizer.locate(searchPath: configuration.searchPath))
        let renderer = try PageRenderer()
        let snapshots = PlanSnapshots(store: client, progress: store.progress)
        let accounts = accounts(store, configuration)
        let views = PlanViews(store: client, snapshots: snapshots)
        let today: @Sendable () -> LocalDate = { LocalDate(vietnamAt: Date().timeIntervalSince1970) }
        let pass = ReminderPass(
            store: client, users: store.accounts.users, reminders: store.reminders, snapshots: snapshots,
            outbound: outbound(store, configuration))
        // Events reach the people concerned at once: the plan's pass runs right after the write
        // (in-app at once; e-mail waits in the outbox for the timed pass to deliver).
        let eventLogger = logger
        let afterEvent: @Sendable (String) async -> Void = { slug in
            let now = Date()
            do {
                _ = try await pass.run(
                    today: LocalDate(vietnamAt: now.timeIntervalSince1970), at: now.ISO8601Format(), only: [slug],
                    deliver: false)
            } catch {
                eventLogger.error("notices after an event in \(slug) failed: \(error)")
            }
        }
        let backups = configuration.backupDirectory.map {
            ScheduledBackups(
                store: store, directory: $0, keep: configuration.backupKeep, hours: configuration.backupHours, logger: logger)
        }
        var dependencies = WebDependencies(
            store: client, views: views, renderer: renderer, accounts: accounts,
            reporting: Reporting(progress: store.progress, views: views, today: today, afterEvent: afterEvent),
            periodicReports: PeriodicReports(
                views: views, reports: store.reports, converter: converter, today: today,
                auditHead: {
                    try await store.accounts.auditLog(AuditFilter(limit: 1)).entries.first.map {
                        AuditHead(sequence: $0.sequence, hash: $0.hash)
                    }
                }),
            importer: importer, reminders: store.reminders, outbox: store.outbox,
            emailEnabled: !configuration.sendmail.isEmpty, today: today,
            pageCacheEntries: configuration.pageCacheEntries,
            secureCookies: configuration.secureCookies, trustForwardedFor: configuration.trustProxy,
            backups: { backups?.overview() ?? .off },
            unreadiness: {
                do {
                    let (applied, known) = try await store.schemaVersions()
                    if applied != Set(known) {
                        return "schema at \(applied.max() ?? 0), this program's is \(known.max() ?? 0)"
                    }
                    return nil
                } catch {
                    return "database unreachable"
                }
            })
        let metrics = ServerMetrics()
        dependencies.metrics = metrics
        dependencies.metricsToken = configuration.metricsToken
        dependencies.pool = { store.poolStatistics() }
        dependencies.links = store.links
        let web = WebServer.application(
            dependencies, host: configuration.host, port: configuration.port, services: [], logger: logger, onRunning: announce)
        var loops: [@Sendable () async -> Void] = []
        if configuration.reminderMinutes > 0 {
            let timer = ReminderTimer(
                pass: pass, interval: .seconds(configuration.reminderMinutes * 60), logger: logger, metrics: metrics)
            loops.append { await timer.loop() }
        }
        if let backups { loops.append { await backups.loop() } }
        let retention = Retention(store: store, sentDays: configuration.sentKeepDays, logger: logger)
        loops.append { await retention.loop() }
        let server = StartupThenServe(
            store: client, importer: importer, accounts: accounts, web: web, loops: loops, logger: logger,
            announceAdmin: announceAdmin)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let database = store.service { services.append(.init(service: database)) }
        services.append(
            .init(
                service: server, successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup))
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            // The store is closed on failure too (an open SQLite connection must not be dropped),
            // and a port taken between the check and the server's own bind is told the same way.
            await store.shutdown()
            if let problem = ListenCheck.problem(from: error, host: configuration.host, port: configuration.port),
                case .portInUse = problem
            {
                throw StartupFailure(message: "Không khởi động được: \(problem.description)")
            }
            throw error
        }
        await store.shutdown()
        logger.info("theodoi đã dừng: không nhận thêm yêu cầu, các yêu cầu đang xử lý đã xong, cơ sở dữ liệu đã đóng")
    }
}

/// Why the server did not start, in one line for the person who started it.
public struct StartupFailure: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// What commands work with: the store, the importer, accounts and the audit verifier.
public struct Toolbox: Sendable {
    public var store: StoreClient
    public var importer: CatalogueImporter
    public var accounts: Accounts
    public var audit: AuditVerifier
    /// Reports, reviews and extensions.
    public var progress: ProgressStore
    /// Report settings and issued reports.
    public var reports: ReportStore
    /// Reminder rules, holidays, claims and notifications.
    public var reminders: ReminderStore
    /// E-mail preferences and the outbox.
    public var outbox: OutboxStore
    /// The reminder pass's outbound channels (e-mail when `SENDMAIL` is set, webhooks).
    public var outbound: ReminderPass.Outbound?
    /// LibreOffice for PDF, where installed.
    public var converter: OfficeConverter?
}

extension TheodoiApplication {
    /// The outbound channels of reminders, as configured: e-mail through `SENDMAIL` when set, and
    /// the plans' webhooks.
    static func outbound(_ store: SQLStore, _ configuration: AppConfiguration) -> ReminderPass.Outbound? {
        ReminderPass.Outbound(
            outbox: store.outbox,
            settings: MailSettings(
                from: configuration.mailFrom, publicURL: configuration.publicURL, digestHour: configuration.digestHour),
            mailer: configuration.sendmail.isEmpty ? nil : .sendmail(configuration.sendmail),
            sendsEmail: !configuration.sendmail.isEmpty, webhook: .live)
    }

    /// Accounts over the live store, with bcrypt at the configured cost and the real clock.
    static func accounts(_ store: SQLStore, _ configuration: AppConfiguration) -> Accounts {
        Accounts(
            store: store.accounts, catalogue: store.client, hasher: WebSecurity.bcrypt(cost: UInt8(configuration.bcryptCost)),
            now: Date.init)
    }

    /// The process's logger, at the configured level.
    static func makeLogger(_ configuration: AppConfiguration) -> Logger {
        var logger =
            switch configuration.logFormat {
            case .text: Logger(label: "theodoi")
            case .json: Logger(label: "theodoi") { JSONLogHandler(label: $0) }
            }
        logger.logLevel = configuration.logLevel
        return logger
    }
}

/// Migrates and seeds, then runs the web server (the database service is already running beside it).
struct StartupThenServe: Service {
    let store: StoreClient
    let importer: CatalogueImporter
    let accounts: Accounts
    let web: any Service
    /// What runs beside the server until it stops: the reminder timer (unless `REMINDER_INTERVAL`
    /// is 0) and scheduled backups (when `BACKUP_DIR` is set).
    let loops: [@Sendable () async -> Void]
    let logger: Logger
    let announceAdmin: @Sendable (String, String) async -> Void

    func run() async throws {
        try await store.migrate()
        if let result = try await importer.loadSeedIfEmpty() {
            logger.info(
                "loaded the bundled catalogue", metadata: ["plan": "\(result.plan.slug)", "assignments": "\(result.added.count)"])
        }
        // The first administrator's password goes to the console once, never to the log.
        if let admin = try await accounts.bootstrapAdmin() {
            await announceAdmin(admin.email, admin.password)
        }
        guard !loops.isEmpty else { return try await web.run() }
        // The reminder pass and backups run beside the server on timers. On SIGTERM or SIGINT all
        // hear the graceful shutdown: the timers stop (a pass under way is abandoned between its
        // claims, each of which is a transaction; a backup under way is left as a `.partial` file),
        // and the server stops accepting and finishes the requests in flight. The group waits for
        // the server; if the server stops first, the timers stop with it.
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await web.run()
                return true
            }
            for loop in loops {
                group.addTask {
                    try await cancelWhenGracefulShutdown { await loop() }
                    return false
                }
            }
            while let isServer = try await group.next() {
                if isServer { group.cancelAll() }
            }
        }
    }
}

/// Runs `pass` every `interval` until cancelled, then returns (cancellation is how a timer is
/// stopped, not a failure); a failed pass is logged as `name` and tried again at the next tick.
func repeating(every interval: Duration, _ name: String, logger: Logger, _ pass: () async throws -> Void) async {
    while !Task.isCancelled {
        do {
            try await pass()
        } catch {
            if Task.isCancelled { return }
            logger.error("\(name) failed", metadata: ["error": "\(error)"])
        }
        do { try await Task.sleep(for: interval) } catch { return }
    }
}

/// Once a day while serving: removes sent messages past `SENT_KEEP_DAYS`, expired sessions and
/// old sign-in failures (`SQLStore.prune`).
struct Retention: Sendable {
    let store: SQLStore
    let sentDays: Int
    let logger: Logger

    func loop() async {
        await repeating(every: .seconds(86_400), "retention pass", logger: logger) {
            let pruned = try await store.prune(sentDays: sentDays)
            if !pruned.isEmpty {
                logger.info(
                    "retention pass",
                    metadata: [
                        "sent_messages": "\(pruned.sentMessages)", "expired_sessions": "\(pruned.expiredSessions)",
                        "login_failures": "\(pruned.loginFailures)",
                    ])
            }
        }
    }
}

/// The reminder pass every `interval`, as `serve` runs it; a failed pass is logged and retried at
/// the next tick. The same pass as `theodoi send-reminders`, so both may run at once.
struct ReminderTimer: Sendable {
    let pass: ReminderPass
    let interval: Duration
    let logger: Logger
    /// Where each pass is counted, with its duration, for `/metrics`.
    var metrics: ServerMetrics?

    /// Runs until cancelled, then returns.
    func loop() async {
        await repeating(every: interval, "reminder pass", logger: logger) {
            let now = Date()
            let started = ContinuousClock.now
            let outcome: ReminderPass.Outcome
            do {
                outcome = try await pass.run(today: LocalDate(vietnamAt: now.timeIntervalSince1970), at: now.ISO8601Format())
            } catch {
                if !Task.isCancelled { metrics?.reminderPass(nil, duration: started.duration(to: .now)) }
                throw error
            }
            metrics?.reminderPass(outcome, duration: started.duration(to: .now))
            if outcome.claimed > 0 || outcome.unaddressed > 0 {
                logger.info("reminder pass", metadata: ["outcome": "\(outcome.summary)"])
            }
        }
    }
}
