import Foundation

/// A backup: the database's rows as JSON lines, the same for SQLite and PostgreSQL, so a backup of
/// either restores into either. The file is
///
///     {"format":"theodoi-backup","formatVersion":1}
///     {"table":"plans","columns":[["id","integer"],["slug","text"],…]}
///     [1,"343-qd-tu",…]
///     …
///     {"manifest":{…}}
///
/// The manifest, on the last line (`tail -n 1`), has the migrations, the rows of each table, the
/// audit chain's head and the SHA-256 of every byte before it, so a cut or altered file is refused.
/// Byte columns are base64. Sessions and login failures are not kept: after a restore everyone
/// signs in again.
public struct BackupManifest: Sendable, Equatable, Codable {
    public init(
        format: String, formatVersion: Int, createdAt: String, source: String, migrations: [Int], tables: [TableCount],
        auditHead: AuditHead?, bytes: Int, sha256: String
    ) {
        self.format = format
        self.formatVersion = formatVersion
        self.createdAt = createdAt
        self.source = source
        self.migrations = migrations
        self.tables = tables
        self.auditHead = auditHead
        self.bytes = bytes
        self.sha256 = sha256
    }

    public var format: String
    public var formatVersion: Int
    /// When it was made (ISO 8601) and from which kind of database.
    public var createdAt: String
    public var source: String
    /// The migrations the database had.
    public var migrations: [Int]
    /// Rows per table, in the order they are restored.
    public var tables: [TableCount]
    /// The audit log's last entry when the backup was taken (nil: the log was empty).
    public var auditHead: AuditHead?
    /// Bytes before the manifest's line, and their SHA-256 (hex).
    public var bytes: Int
    public var sha256: String

    public struct TableCount: Sendable, Equatable, Codable {
        public var name: String
        public var rows: Int
        public init(name: String, rows: Int) {
            self.name = name
            self.rows = rows
        }
    }

    public static let formatName = "theodoi-backup"
    public static let currentFormatVersion = 1

    /// Total rows across tables.
    public var rowCount: Int { tables.reduce(0) { $0 + $1.rows } }

    /// Lines for the console: rows, migrations, the audit chain's head, the checksum.
    public var summary: [String] {
        let filled = tables.filter { $0.rows > 0 }.map { "\($0.name) \($0.rows)" }.joined(separator: ", ")
        return [
            "Tạo lúc \(createdAt) từ \(source); lược đồ số \(migrations.max() ?? 0).",
            "\(rowCount) dòng trong \(tables.count) bảng: \(filled.isEmpty ? "không có dữ liệu" : filled).",
            auditHead.map { "Nhật ký: mục cuối số \($0.sequence), mã băm \($0.hash)." } ?? "Nhật ký: trống.",
            "SHA-256 của \(bytes) byte dữ liệu: \(sha256).",
        ]
    }
}

/// What is wrong with a backup file or the database it would go into.
public struct BackupError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The audit log's last entry: its number and the hash that seals it and everything before it.
/// Printed in every backup manifest and every issued report, so a log cut short afterwards is
/// detectable from outside the database.
public struct AuditHead: Sendable, Equatable, Codable {
    public var sequence: Int
    public var hash: String
    public init(sequence: Int, hash: String) {
        self.sequence = sequence
        self.hash = hash
    }

    /// The line an issued report carries.
    public var verificationLine: String {
        "Mã kiểm chứng: nhật ký hệ thống theodoi đến mục số \(sequence), mã băm \(hash)."
    }
}

/// Scheduled backups as the admin sees them: where they go, how many are kept, the newest.
public struct BackupOverview: Sendable, Equatable {
    /// `BACKUP_DIR`; nil when scheduled backups are off.
    public var directory: String?
    public var keep: Int
    public var hours: Int
    /// The backups in the directory, newest first.
    public var files: [BackupFile]
    /// Why the last scheduled backup failed, when it did.
    public var lastError: String?

    public struct BackupFile: Sendable, Equatable {
        public var name: String
        public var bytes: Int
        /// When it was written (ISO 8601).
        public var modified: String
        /// Its manifest, when its last line could be read.
        public var manifest: BackupManifest?

        public init(name: String, bytes: Int, modified: String, manifest: BackupManifest?) {
            self.name = name
            self.bytes = bytes
            self.modified = modified
            self.manifest = manifest
        }
    }

    public init(directory: String?, keep: Int, hours: Int, files: [BackupFile], lastError: String?) {
        self.directory = directory
        self.keep = keep
        self.hours = hours
        self.files = files
        self.lastError = lastError
    }

    /// Scheduled backups off.
    public static let off = BackupOverview(directory: nil, keep: 0, hours: 0, files: [], lastError: nil)
}

/// Another instance is writing a scheduled backup now; this one wrote nothing.
public struct BackupBusy: Error, Sendable, Equatable {
    public init() {}
}
