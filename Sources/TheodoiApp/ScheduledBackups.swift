import Foundation
import Logging
import Synchronization
import TheodoiStore
import TheodoiStoreSQL

/// Scheduled backups (`BACKUP_DIR`, `BACKUP_KEEP`, `BACKUP_INTERVAL`): while the server runs, a
/// backup is written to the directory whenever the newest there is older than the interval
/// (so a restarted server does not back up again at once), and only the newest `keep` of the
/// files it names `theodoi-…` are kept. Run it on one instance when several share a database.
final class ScheduledBackups: Sendable {
    let store: SQLStore
    let directory: URL
    let keep: Int
    let hours: Int
    let logger: Logger
    private let lastError = Mutex<String?>(nil)

    static let prefix = "theodoi-"
    static let suffix = ".theodoi-backup"

    init(store: SQLStore, directory: String, keep: Int, hours: Int, logger: Logger) {
        self.store = store
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
        self.keep = keep
        self.hours = hours
        self.logger = logger
    }

    /// Runs until cancelled.
    func loop() async {
        while !Task.isCancelled {
            let wait = secondsUntilDue(now: Date())
            if wait <= 0 {
                await backUp(now: Date())
                continue
            }
            // Wakes at least hourly, so a backup removed by hand is made again within the hour.
            do { try await Task.sleep(for: .seconds(min(wait, 3_600))) } catch { return }
        }
    }

    /// Seconds until the next backup is due: the newest file's age against the interval.
    func secondsUntilDue(now: Date) -> Double {
        guard let newest = files().first else { return 0 }
        return newest.modified.addingTimeInterval(Double(hours) * 3_600).timeIntervalSince(now)
    }

    /// Writes one backup now and prunes the old ones; a failure is logged and shown to the admin.
    func backUp(now: Date) async {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
            let stamp = formatter.string(from: now)
            let url = directory.appendingPathComponent(Self.prefix + stamp + Self.suffix)
            let manifest: BackupManifest
            do {
                manifest = try await store.backup(to: url, scheduled: true)
            } catch is BackupBusy {
                // Another instance is writing one (PostgreSQL): look again in a minute, when its
                // file is there if the directory is shared, or it is our turn if not.
                logger.debug("scheduled backup: another instance is writing one")
                do { try await Task.sleep(for: .seconds(60)) } catch {}
                return
            }
            lastError.withLock { $0 = nil }
            let removed = prune()
            logger.info(
                "scheduled backup written",
                metadata: [
                    "file": "\(url.path)", "rows": "\(manifest.rowCount)", "bytes": "\(manifest.bytes)",
                    "audit_head": "\(manifest.auditHead.map { "\($0.sequence):\($0.hash)" } ?? "-")", "removed": "\(removed)",
                ])
        } catch {
            let reason = (error as? BackupError)?.message ?? "\(error)"
            lastError.withLock { $0 = reason }
            logger.error("scheduled backup failed", metadata: ["error": "\(reason)"])
            // Not again at once: the next try is after an hour (the loop's longest sleep).
            do { try await Task.sleep(for: .seconds(3_600)) } catch { return }
        }
    }

    /// Removes all but the newest `keep` of the backups this schedule wrote; returns how many.
    @discardableResult
    func prune() -> Int {
        var removed = 0
        for file in files().dropFirst(keep) {
            do {
                try FileManager.default.removeItem(at: directory.appendingPathComponent(file.name))
                removed += 1
            } catch {
                logger.warning("old backup not removed", metadata: ["file": "\(file.name)", "error": "\(error)"])
            }
        }
        return removed
    }

    /// The schedule's backups, newest first (by name: the names are UTC times).
    func files() -> [(name: String, bytes: Int, modified: Date)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix(Self.prefix) && $0.hasSuffix(Self.suffix) }.sorted(by: >).compactMap { name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)
            guard let modified = attributes?[.modificationDate] as? Date else { return nil }
            return (name, (attributes?[.size] as? NSNumber)?.intValue ?? 0, modified)
        }
    }

    /// What the admin page shows.
    func overview() -> BackupOverview {
        BackupOverview(
            directory: directory.path, keep: keep, hours: hours,
            files: files().enumerated().map { index, file in
                BackupOverview.BackupFile(
                    name: file.name, bytes: file.bytes, modified: file.modified.ISO8601Format(),
                    manifest: index == 0 ? try? BackupManifest.tail(of: directory.appendingPathComponent(file.name)) : nil)
            }, lastError: lastError.withLock { $0 })
    }
}
