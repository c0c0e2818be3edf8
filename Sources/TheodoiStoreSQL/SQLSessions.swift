import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit
import Synchronization
import TheodoiStore

/// Which SQL dialect a session speaks, for the few statements that differ.
enum SQLBackend: Sendable {
    case sqlite, postgres
}

/// Gives a closure one database session at a time (a transaction needs one connection throughout).
protocol SQLSessions: Sendable {
    var backend: SQLBackend { get }
    /// How its connections are used, for `/metrics`.
    var statistics: SessionStatistics { get }
    func withSession<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    func shutdown() async
}

/// A FIFO gate: one holder at a time, waiters served in order. Keeps one SQLite connection's
/// transactions from interleaving.
actor SerialGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        if busy {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            busy = true
        }
    }

    func leave() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}

/// Counts sessions waiting for and holding a connection, and the time they waited.
final class SessionStatistics: Sendable {
    private let state: Mutex<PoolStatistics>

    init(connections: Int) {
        state = Mutex(PoolStatistics(connections: connections))
    }

    var snapshot: PoolStatistics { state.withLock { $0 } }

    /// A session starts waiting for a connection.
    func waiting() -> ContinuousClock.Instant {
        state.withLock { $0.waiting += 1 }
        return .now
    }

    /// The session that started waiting at `start` got its connection.
    func acquired(since start: ContinuousClock.Instant) {
        let waited = start.duration(to: .now).components
        state.withLock {
            $0.waiting -= 1
            $0.inUse += 1
            $0.acquisitions += 1
            $0.waitSeconds += Double(waited.seconds) + Double(waited.attoseconds) * 1e-18
        }
    }

    /// A waiting session gave up (the connection could not be had).
    func abandoned() { state.withLock { $0.waiting -= 1 } }

    /// A session let its connection go.
    func released() { state.withLock { $0.inUse -= 1 } }
}

/// SQLite: one connection for writes and, for a file, a few more for reads (WAL lets readers run
/// beside the writer). An in-memory database has one connection for everything.
final class SQLiteSessions: SQLSessions {
    let backend = SQLBackend.sqlite
    private let writer: (connection: SQLiteConnection, gate: SerialGate)
    private let readers: [(connection: SQLiteConnection, gate: SerialGate)]
    private let counter = ManagedAtomicCounter()
    let statistics: SessionStatistics

    private init(writer: SQLiteConnection, readers: [SQLiteConnection]) {
        self.writer = (writer, SerialGate())
        self.readers = readers.map { ($0, SerialGate()) }
        statistics = SessionStatistics(connections: 1 + readers.count)
    }

    /// Opens the database file (creating it) or, with `nil`, a private in-memory database.
    static func open(path: String?, readers readerCount: Int = 2, logger: Logger) async throws -> SQLiteSessions {
        guard let path else {
            let connection = try await SQLiteConnection.open(storage: .memory, logger: logger)
            return SQLiteSessions(writer: connection, readers: [])
        }
        let writer = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        let database = writer.sql(queryLogLevel: nil)
        try await database.raw("PRAGMA journal_mode = WAL").run()
        try await database.raw("PRAGMA synchronous = NORMAL").run()
        try await database.raw("PRAGMA busy_timeout = 5000").run()
        try await database.raw("PRAGMA foreign_keys = ON").run()
        var readers: [SQLiteConnection] = []
        for _ in 0..<readerCount {
            let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            try await reader.sql(queryLogLevel: nil).raw("PRAGMA busy_timeout = 5000").run()
            readers.append(reader)
        }
        return SQLiteSessions(writer: writer, readers: readers)
    }

    func withSession<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await use(writer, body)
    }

    /// A read-only session on a reader connection when there is one.
    func withReadSession<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        guard !readers.isEmpty else { return try await use(writer, body) }
        return try await use(readers[counter.next() % readers.count], body)
    }

    private func use<R: Sendable>(
        _ slot: (connection: SQLiteConnection, gate: SerialGate),
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        let start = statistics.waiting()
        await slot.gate.enter()
        statistics.acquired(since: start)
        do {
            let result = try await body(slot.connection.sql(queryLogLevel: nil))
            statistics.released()
            await slot.gate.leave()
            return result
        } catch {
            statistics.released()
            await slot.gate.leave()
            throw error
        }
    }

    func shutdown() async {
        for slot in [writer] + readers { try? await slot.connection.close() }
    }
}

/// A counter shared across tasks, for round-robin choices.
final class ManagedAtomicCounter: Sendable {
    private let storage = Mutex(0)

    func next() -> Int {
        storage.withLock { value in
            value &+= 1
            return value
        }
    }
}

/// PostgreSQL through a `PostgresClient`, whose `run()` the app runs as a service.
final class PostgresSessions: SQLSessions {
    let backend = SQLBackend.postgres
    let client: PostgresClient
    /// Created on first use when set (the tables live in it through `search_path`).
    let schema: String?
    private let schemaReady = Mutex(false)
    let statistics: SessionStatistics

    init(client: PostgresClient, schema: String?, connections: Int) {
        self.client = client
        self.schema = schema
        statistics = SessionStatistics(connections: connections)
    }

    func withSession<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let needsSchema = schema != nil && !schemaReady.withLock { $0 }
        let statistics = statistics
        let start = statistics.waiting()
        var acquired = false
        do {
            return try await client.withConnection { connection in
                statistics.acquired(since: start)
                acquired = true
                defer { statistics.released() }
                return try await self.session(connection, needsSchema: needsSchema, body)
            }
        } catch {
            if !acquired { statistics.abandoned() }
            throw error
        }
    }

    private func session<R: Sendable>(
        _ connection: PostgresConnection, needsSchema: Bool, _ body: @escaping @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        let database = connection.sql(queryLogLevel: nil)
        if needsSchema, let schema {
            // The name was checked to be letters, digits and underscores when the URL was read.
            do {
                try await database.raw("CREATE SCHEMA IF NOT EXISTS \(unsafeRaw: schema)").run()
            } catch {
                // Programs starting together may create it at the same moment: PostgreSQL then
                // refuses all but one with a unique violation, and the schema is there.
                let made = try await database.raw("SELECT 1 AS made FROM pg_namespace WHERE nspname = \(bind: schema)")
                    .first()
                guard made != nil else { throw error }
            }
            schemaReady.withLock { $0 = true }
        }
        return try await body(database)
    }

    func shutdown() async {}
}
