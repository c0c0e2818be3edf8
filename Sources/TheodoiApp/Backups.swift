import Foundation
import Logging
import ServiceLifecycle
import TheodoiOperations
import TheodoiStore
import TheodoiStoreSQL

/// Backup, restore and moving the data from one database to another (`theodoi backup`,
/// `restore`, `copy-data`). None of them migrates the database it reads.
extension TheodoiApplication {
    /// Writes a consistent backup of the configured database to `url`, beside a running server.
    public static func backup(_ configuration: AppConfiguration, to url: URL) async throws -> BackupManifest {
        try await withDatabase(configuration.database, logger: makeLogger(configuration)) { store in
            try await store.backup(to: url)
        }
    }

    /// What a restore or a copy did: the backup's manifest, and the audit chain checked on the target.
    public struct RestoreOutcome: Sendable {
        public var manifest: BackupManifest
        public var audit: AuditVerifier.Report
    }

    /// Reads and checks a backup file without touching any database.
    public static func verifyBackup(_ url: URL) throws -> BackupManifest { try BackupManifest.verify(url) }

    /// Restores `url` into the configured database, which must be empty (and, for an SQLite file,
    /// not served meanwhile); then checks the audit chain on it.
    public static func restore(_ configuration: AppConfiguration, from url: URL) async throws -> RestoreOutcome {
        let lock = try lockForWriting(configuration.database)
        defer { lock?.release() }
        return try await withDatabase(configuration.database, logger: makeLogger(configuration)) { store in
            let manifest = try await store.restore(from: url)
            return RestoreOutcome(manifest: manifest, audit: try await AuditVerifier(store: store.accounts).verify())
        }
    }

    /// Moves everything from `source` into the empty database `target` (through a backup written to
    /// a temporary file, so what goes in is one consistent moment of the source), then checks the
    /// rows per table and the audit chain on the target.
    public static func copyData(
        from sourceURL: String, to targetURL: String, configuration: AppConfiguration
    )
        async throws -> RestoreOutcome
    {
        func location(_ url: String, _ flag: String) throws -> DatabaseLocation {
            do {
                return try DatabaseLocation.parse(url, defaultPath: "")
            } catch {
                throw BackupError(error.description.replacingOccurrences(of: "DATABASE_URL", with: flag))
            }
        }
        let source = try location(sourceURL, "--from")
        let target = try location(targetURL, "--to")
        guard source != target else { throw BackupError("--from và --to là cùng một cơ sở dữ liệu.") }
        for location in [source, target] where location == .sqliteMemory || location == .sqliteFile(path: "") {
            throw BackupError(
                "--from và --to phải là sqlite:ĐƯỜNG_DẪN hoặc postgres://… (không dùng cơ sở dữ liệu trong bộ nhớ).")
        }
        let logger = makeLogger(configuration)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("copy.theodoi-backup")
        let lock = try lockForWriting(target)
        defer { lock?.release() }
        if case .sqliteFile(let path) = source, !FileManager.default.fileExists(atPath: path) {
            throw BackupError("Không có tệp SQLite \(path).")
        }
        _ = try await withDatabase(source, logger: logger) { store in try await store.backup(to: file) }
        return try await withDatabase(target, logger: logger) { store in
            let manifest = try await store.restore(from: file)
            return RestoreOutcome(manifest: manifest, audit: try await AuditVerifier(store: store.accounts).verify())
        }
    }

    /// An SQLite file being written must not be served meanwhile.
    private static func lockForWriting(_ location: DatabaseLocation) throws -> ServeLock? {
        guard case .sqliteFile(let path) = location else { return nil }
        do {
            return try ServeLock.acquire(databasePath: path)
        } catch {
            throw BackupError(
                "Tệp \(path) đang được một máy chủ theodoi dùng: hãy dừng máy chủ trước khi ghi dữ liệu vào tệp này.")
        }
    }

    /// Opens a database without migrating it, with its service (PostgreSQL) running for `body`.
    static func withDatabase<R: Sendable>(
        _ location: DatabaseLocation, logger: Logger, _ body: @escaping @Sendable (SQLStore) async throws -> R
    ) async throws -> R {
        let store = try await SQLStore.open(location, logger: logger)
        do {
            let result: R
            if let service = store.service {
                result = try await withThrowingTaskGroup(of: R?.self) { group in
                    group.addTask {
                        try await service.run()
                        return nil
                    }
                    group.addTask { try await body(store) }
                    defer { group.cancelAll() }
                    while let result = try await group.next() {
                        if let result { return result }
                    }
                    throw CancellationError()
                }
            } else {
                result = try await body(store)
            }
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }
}
