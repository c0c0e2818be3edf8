import Foundation
import TheodoiCore
import TheodoiStore

/// The tables a backup carries, in the order they are restored (each after the tables it refers
/// to). A column referring to its own table is restored empty and set once every row is in.
enum BackupTables {
    static let order = [
        "plans", "plan_parts", "plan_groups", "agencies", "agency_aliases", "users", "api_tokens", "assignments",
        "assignment_agencies", "plan_findings", "audit_log", "reports", "report_revisions", "attachments", "reviews",
        "extensions", "assignment_events", "report_settings", "issued_reports", "issued_report_files",
        "reminder_settings", "holidays", "reminders", "notifications", "notification_preferences", "outbox",
        "sign_in_addresses", "text_corrections", "assignment_links", "plan_amendments", "assignment_versions",
        "assignment_version_agencies",
    ]
    /// Left out: they hold nothing a restored installation needs (everyone signs in again).
    static let left = ["sessions", "login_failures", "schema_migrations", "sqlite_sequence"]
    /// Columns that refer to a row of their own table.
    static let selfReferences = [
        "agencies": "merged_into", "issued_reports": "supersedes_id", "extensions": "reopens_id",
    ]
}

/// A column's kind in a backup.
enum BackupColumnKind: String, Sendable {
    case integer, text, bytes

    /// From a declared SQL type (SQLite's `INTEGER`/`TEXT`/`BLOB`, PostgreSQL's `bigint`/`text`/`bytea`).
    init(declared: String) {
        let type = declared.lowercased()
        if type.contains("int") {
            self = .integer
        } else if type.contains("blob") || type.contains("bytea") {
            self = .bytes
        } else {
            self = .text
        }
    }
}

/// Writes a backup line by line, hashing as it goes.
struct BackupWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    private(set) var bytes = 0

    init(handle: FileHandle) {
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    mutating func line(_ value: JSONValue) throws {
        let text = value.serialized(pretty: false)
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        hasher.update(buffer)
        bytes += buffer.count
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, then appends the manifest's line (not hashed) and returns the hash of all before it.
    mutating func finish(_ manifest: (Int, String) -> BackupManifest) throws -> BackupManifest {
        try flush()
        let result = manifest(bytes, Hex.encode(hasher.finalize()))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        var line = Data(#"{"manifest":"#.utf8)
        line.append(try encoder.encode(result))
        line.append(Data("}\n".utf8))
        try handle.write(contentsOf: line)
        return result
    }
}

/// Reads a backup's lines from a file in chunks (a line may hold a large attachment).
struct BackupLineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// Bytes of the lines returned so far, including their newlines.
    private(set) var consumed = 0
    /// Whether the last line returned ended the file without a newline (a file cut short).
    private(set) var unterminated = false

    init(handle: FileHandle) { self.handle = handle }

    /// The next line without its newline; nil at the end. A last line without a newline is returned too.
    mutating func next() throws -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = buffer[start..<newline]
                consumed += newline + 1 - start
                start = newline + 1
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                consumed += buffer.count - start
                start = buffer.count
                unterminated = true
                return line
            }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { atEnd = true } else { buffer.append(contentsOf: chunk) }
        }
    }
}

/// One table's section while reading a backup.
struct BackupSection: Sendable {
    var table: String
    var columns: [(name: String, kind: BackupColumnKind)]
}

/// A value of one cell, typed by its column.
enum BackupCell: Sendable, Equatable {
    case null
    case integer(Int)
    case text(String)
    case bytes(Data)
}

extension BackupManifest {
    /// Reads and checks a whole backup without touching any database: the header, that every row
    /// fits its table's columns, the rows per table and the SHA-256 against the manifest.
    public static func verify(_ url: URL) throws -> BackupManifest {
        var reader = try BackupReader(url)
        var counts: [String: Int] = [:]
        while let item = try reader.next() {
            switch item {
            case .row(let section, _): counts[section.table, default: 0] += 1
            case .manifest(let manifest):
                for table in manifest.tables where counts[table.name, default: 0] != table.rows {
                    throw BackupError(
                        "Bản sao lưu hỏng: bảng \(table.name) có \(counts[table.name, default: 0]) dòng, bản kê ghi \(table.rows)."
                    )
                }
                let listed = Set(manifest.tables.map(\.name))
                if let extra = counts.keys.sorted().first(where: { !listed.contains($0) }) {
                    throw BackupError("Bản sao lưu hỏng: bảng \(extra) không có trong bản kê.")
                }
                return manifest
            }
        }
        throw BackupError("Bản sao lưu bị cắt: không có bản kê ở cuối tệp.")
    }
}

/// What a backup holds, one item at a time: rows in order, then the manifest.
enum BackupItem {
    case row(BackupSection, [BackupCell])
    case manifest(BackupManifest)
}

/// Reads a backup's rows in order and, last, its manifest once the hash of every byte before it
/// has been checked (a caller loading rows must undo its work when this throws).
struct BackupReader {
    private let handle: FileHandle
    private var lines: BackupLineReader
    private var hasher = SHA256()
    private var section: BackupSection?
    private var number = 1
    private var done = false

    init(_ url: URL) throws {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw BackupError("Không mở được tệp sao lưu \(url.path).")
        }
        self.handle = handle
        lines = BackupLineReader(handle: handle)
        guard let first = try lines.next(), let header = try? Self.object(first, line: 1),
            header["format"] as? String == BackupManifest.formatName
        else {
            try? handle.close()
            throw BackupError(
                "\(url.path) không phải tệp sao lưu của theodoi (dòng đầu không có \"format\": \"\(BackupManifest.formatName)\")."
            )
        }
        guard let version = header["formatVersion"] as? Int, version <= BackupManifest.currentFormatVersion else {
            try? handle.close()
            throw BackupError("Tệp sao lưu theo định dạng mới hơn phiên bản theodoi này đọc được; hãy dùng phiên bản mới hơn.")
        }
        hasher.update(first)
        hasher.update([0x0A])
    }

    func close() { try? handle.close() }

    mutating func next() throws -> BackupItem? {
        guard !done else { return nil }
        while let line = try lines.next() {
            number += 1
            if lines.unterminated {
                throw BackupError(
                    "Bản sao lưu bị cắt: dòng cuối (\(number)) dừng giữa chừng, không có bản kê (tệp chưa ghi xong hoặc bị cắt bớt)."
                )
            }
            if line.first == UInt8(ascii: "[") {
                guard let section else { throw BackupError("Bản sao lưu hỏng: dòng \(number) có dữ liệu trước tên bảng.") }
                let cells = try Self.cells(line, section: section, line: number)
                hasher.update(line)
                hasher.update([0x0A])
                return .row(section, cells)
            }
            guard let object = try Self.object(line, line: number) else {
                throw BackupError("Bản sao lưu hỏng: dòng \(number) không đọc được.")
            }
            if let manifest = object["manifest"] {
                let data = try JSONSerialization.data(withJSONObject: manifest)
                guard let manifest = try? JSONDecoder().decode(BackupManifest.self, from: data) else {
                    throw BackupError("Bản sao lưu hỏng: bản kê ở dòng \(number) thiếu mục.")
                }
                let digest = Hex.encode(hasher.finalize())
                guard manifest.bytes == lines.consumed - line.count - 1, manifest.sha256 == digest else {
                    throw BackupError(
                        "Bản sao lưu hỏng hoặc đã bị sửa: mã SHA-256 không khớp bản kê (tính được \(digest), bản kê ghi \(manifest.sha256))."
                    )
                }
                guard try lines.next() == nil else { throw BackupError("Bản sao lưu hỏng: có dữ liệu sau bản kê.") }
                done = true
                return .manifest(manifest)
            }
            guard let table = object["table"] as? String, let columns = object["columns"] as? [[String]],
                columns.allSatisfy({ $0.count == 2 && BackupColumnKind(rawValue: $0[1]) != nil })
            else {
                throw BackupError("Bản sao lưu hỏng: dòng \(number) không phải tên bảng hay dữ liệu.")
            }
            guard BackupTables.order.contains(table) else {
                throw BackupError("Bản sao lưu có bảng \(table) mà phiên bản theodoi này không biết.")
            }
            section = BackupSection(table: table, columns: columns.map { ($0[0], BackupColumnKind(rawValue: $0[1]) ?? .text) })
            hasher.update(line)
            hasher.update([0x0A])
        }
        throw BackupError("Bản sao lưu bị cắt: không có bản kê ở cuối tệp (tệp chưa ghi xong hoặc bị cắt bớt).")
    }

    private static func object(_ line: ArraySlice<UInt8>, line number: Int) throws -> [String: Any]? {
        do {
            return try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
        } catch {
            throw BackupError("Bản sao lưu hỏng: dòng \(number) không phải JSON.")
        }
    }

    private static func cells(_ line: ArraySlice<UInt8>, section: BackupSection, line number: Int) throws -> [BackupCell] {
        guard let values = try? JSONSerialization.jsonObject(with: Data(line)) as? [Any], values.count == section.columns.count
        else {
            throw BackupError(
                "Bản sao lưu hỏng: dòng \(number) (bảng \(section.table)) không có đúng \(section.columns.count) giá trị.")
        }
        return try zip(values, section.columns).map { value, column in
            if value is NSNull { return .null }
            switch column.kind {
            case .integer:
                if !(value is String), let integer = value as? Int { return .integer(integer) }
            case .text:
                if let text = value as? String { return .text(text) }
            case .bytes:
                if let text = value as? String, let data = Data(base64Encoded: text) { return .bytes(data) }
            }
            throw BackupError(
                "Bản sao lưu hỏng: dòng \(number), cột \(section.table).\(column.name) không phải giá trị kiểu \(column.kind.rawValue)."
            )
        }
    }
}

extension BackupManifest {
    /// The manifest on a backup's last line, read from the end of the file without checking the
    /// rest (for listings; `verify` checks a file whole).
    public static func tail(of url: URL) throws -> BackupManifest {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw BackupError("Không mở được tệp sao lưu \(url.path).")
        }
        defer { try? handle.close() }
        let size = try handle.seekToEnd()
        let start = size > 65_536 ? size - 65_536 : 0
        try handle.seek(toOffset: start)
        let bytes = [UInt8](try handle.readToEnd() ?? Data())
        let trimmed = bytes.last == 0x0A ? bytes.dropLast() : bytes[...]
        let line = trimmed.lastIndex(of: 0x0A).map { trimmed[($0 + 1)...] } ?? trimmed
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
            let manifest = object["manifest"],
            let data = try? JSONSerialization.data(withJSONObject: manifest),
            let decoded = try? JSONDecoder().decode(BackupManifest.self, from: data)
        else {
            throw BackupError("\(url.lastPathComponent) không có bản kê ở dòng cuối (tệp chưa ghi xong hoặc bị cắt).")
        }
        return decoded
    }
}
