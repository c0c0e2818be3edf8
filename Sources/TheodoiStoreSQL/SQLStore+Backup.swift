import Foundation
import SQLKit
import Synchronization
import TheodoiCore
import TheodoiStore

extension SQLStore {
    /// Writes a consistent backup of the whole database to `url` while others keep writing: every
    /// table is read in one read transaction (a snapshot on both databases). The file appears
    /// under its name only once complete (written beside it as `….partial`, then renamed).
    /// `scheduled`: on PostgreSQL, one instance at a time writes a scheduled backup; another that
    /// tries meanwhile gets `BackupBusy` and nothing is written (instances sharing one `BACKUP_DIR`
    /// would otherwise write the same file together).
    public func backup(to url: URL, scheduled: Bool = false) async throws -> BackupManifest {
        let partial = URL(fileURLWithPath: url.path + ".partial")
        try? FileManager.default.removeItem(at: partial)
        guard FileManager.default.createFile(atPath: partial.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: partial.path)
        else {
            throw BackupError("Không ghi được tệp \(partial.path): kiểm tra thư mục và quyền ghi.")
        }
        let backend = sessions.backend
        let createdAt = now()
        do {
            let manifest = try await read { database in
                try await database.raw(
                    backend == .sqlite ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                ).run()
                do {
                    if scheduled, backend == .postgres {
                        let taken = try await database.raw(
                            "SELECT pg_try_advisory_xact_lock(\(bind: Self.scheduledBackupLockKey)) AS taken"
                        ).first()
                        guard try taken?.decode(column: "taken", as: Bool.self) == true else { throw BackupBusy() }
                    }
                    let manifest = try await Self.dump(database, backend: backend, into: handle, createdAt: createdAt)
                    try await database.raw("COMMIT").run()
                    return manifest
                } catch {
                    try? await database.raw("ROLLBACK").run()
                    throw error
                }
            }
            try handle.synchronize()
            try handle.close()
            if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
            try FileManager.default.moveItem(at: partial, to: url)
            return manifest
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }

    /// The advisory lock key of scheduled backups ("backup" in ASCII).
    static let scheduledBackupLockKey = 0x62_61_63_6B_75_70

    private static func dump(
        _ database: any SQLDatabase, backend: SQLBackend, into handle: FileHandle, createdAt: String
    ) async throws -> BackupManifest {
        let schema = try await columns(database, backend: backend)
        if let unknown = schema.keys.sorted().first(where: {
            !BackupTables.order.contains($0) && !BackupTables.left.contains($0)
        }) {
            throw BackupError("Cơ sở dữ liệu có bảng \(unknown) mà phiên bản theodoi này không biết sao lưu.")
        }
        let migrations = try await database.raw("SELECT version FROM schema_migrations ORDER BY version").all().map {
            try $0.decode(column: "version", as: Int.self)
        }
        let head = try await database.raw("SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1").first()
            .map {
                AuditHead(
                    sequence: try $0.decode(column: "sequence", as: Int.self),
                    hash: try $0.decode(column: "hash", as: String.self))
            }
        let writer = Mutex(BackupWriter(handle: handle))
        try writer.withLock {
            try $0.line(
                .object([
                    ("format", .string(BackupManifest.formatName)), ("formatVersion", .int(BackupManifest.currentFormatVersion)),
                ]))
        }
        var counts: [BackupManifest.TableCount] = []
        for table in BackupTables.order {
            guard let columns = schema[table] else { continue }
            try writer.withLock {
                try $0.line(
                    .object([
                        ("table", .string(table)),
                        ("columns", .array(columns.map { .array([.string($0.name), .string($0.kind.rawValue)]) })),
                    ]))
            }
            let state = Mutex((rows: 0, failure: String?.none))
            let order = columns.filter { $0.kind != .bytes }.prefix(3).map(\.name).joined(separator: ", ")
            let names = columns.map(\.name).joined(separator: ", ")
            try await database.raw("SELECT \(unsafeRaw: names) FROM \(unsafeRaw: table) ORDER BY \(unsafeRaw: order)").run {
                row in
                do {
                    let values: [JSONValue] = try columns.map { column in
                        if try row.decodeNil(column: column.name) { return .null }
                        switch column.kind {
                        case .integer: return .int(try row.decode(column: column.name, as: Int.self))
                        case .text: return .string(try row.decode(column: column.name, as: String.self))
                        case .bytes: return .string(try row.decode(column: column.name, as: Data.self).base64EncodedString())
                        }
                    }
                    try writer.withLock { try $0.line(.array(values)) }
                    state.withLock { $0.rows += 1 }
                } catch {
                    state.withLock { $0.failure = $0.failure ?? "\(table): \(error)" }
                }
            }
            let (rows, failure) = state.withLock { ($0.rows, $0.failure) }
            if let failure { throw BackupError("Không đọc được một dòng khi sao lưu (\(failure)).") }
            counts.append(.init(name: table, rows: rows))
        }
        return try writer.withLock { writer in
            try writer.finish { bytes, sha256 in
                BackupManifest(
                    format: BackupManifest.formatName, formatVersion: BackupManifest.currentFormatVersion,
                    createdAt: createdAt, source: backend == .sqlite ? "SQLite" : "PostgreSQL", migrations: migrations,
                    tables: counts, auditHead: head, bytes: bytes, sha256: sha256)
            }
        }
    }

    /// The tables of the database and their columns in order.
    static func columns(
        _ database: any SQLDatabase, backend: SQLBackend
    ) async throws -> [String: [(name: String, kind: BackupColumnKind)]] {
        var result: [String: [(name: String, kind: BackupColumnKind)]] = [:]
        switch backend {
        case .sqlite:
            let tables = try await database.raw("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all()
                .map { try $0.decode(column: "name", as: String.self) }
            for table in tables {
                result[table] = try await database.raw("SELECT name, type FROM pragma_table_info(\(bind: table)) ORDER BY cid")
                    .all().map {
                        (
                            try $0.decode(column: "name", as: String.self),
                            BackupColumnKind(declared: try $0.decode(column: "type", as: String.self))
                        )
                    }
            }
        case .postgres:
            let rows = try await database.raw(
                """
                SELECT table_name::text AS table_name, column_name::text AS column_name, data_type::text AS data_type
                FROM information_schema.columns WHERE table_schema = current_schema()
                ORDER BY table_name, ordinal_position
                """
            ).all()
            for row in rows {
                let table = try row.decode(column: "table_name", as: String.self)
                result[table, default: []].append(
                    (
                        try row.decode(column: "column_name", as: String.self),
                        BackupColumnKind(declared: try row.decode(column: "data_type", as: String.self))
                    ))
            }
        }
        return result
    }

    /// Rows per table of those a backup carries (tables the schema lacks are left out).
    public func tableCounts() async throws -> [BackupManifest.TableCount] {
        let backend = sessions.backend
        return try await read { database in
            let schema = try await Self.columns(database, backend: backend)
            var counts: [BackupManifest.TableCount] = []
            for table in BackupTables.order where schema[table] != nil {
                let rows =
                    try await database.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?
                    .decode(column: "n", as: Int.self) ?? 0
                counts.append(.init(name: table, rows: rows))
            }
            return counts
        }
    }

    /// Restores a backup into this database, which must hold no data: checks the whole file
    /// first, migrates to the backup's migrations, loads every row in one transaction (nothing is
    /// kept when anything fails), checks the rows per table against the manifest, then applies the
    /// migrations this program has beyond the backup's.
    public func restore(from url: URL) async throws -> BackupManifest {
        let manifest = try BackupManifest.verify(url)
        let known = Migrations.all.map(\.version)
        if let newer = manifest.migrations.first(where: { !known.contains($0) }) {
            throw BackupError(
                "Bản sao lưu do phiên bản theodoi mới hơn tạo (lược đồ số \(newer)); hãy khôi phục bằng phiên bản đó hoặc mới hơn."
            )
        }
        let counts = try await tableCounts()
        if let busy = counts.first(where: { $0.rows > 0 }) {
            throw BackupError(
                "Cơ sở dữ liệu đích đã có dữ liệu (bảng \(busy.name): \(busy.rows) dòng). Chỉ khôi phục vào cơ sở dữ liệu trống; "
                    + "hãy chỉ định một tệp SQLite mới hoặc một cơ sở dữ liệu PostgreSQL trống.")
        }
        _ = try await Migrations.run(on: sessions, now: now(), upTo: manifest.migrations.max() ?? 0)
        let backend = sessions.backend
        try await sessions.withSession { database in
            try await Transaction.run(on: database, backend: backend) { database in
                try await Self.load(url, into: database, backend: backend)
                let loaded = try await Self.counts(database, tables: manifest.tables.map(\.name))
                for table in manifest.tables where loaded[table.name] != table.rows {
                    throw BackupError(
                        "Khôi phục không khớp bản kê: bảng \(table.name) có \(loaded[table.name] ?? 0) dòng, bản kê ghi \(table.rows)."
                    )
                }
            }
        }
        _ = try await Migrations.run(on: sessions, now: now())
        return manifest
    }

    private static func counts(_ database: any SQLDatabase, tables: [String]) async throws -> [String: Int] {
        var result: [String: Int] = [:]
        for table in tables {
            result[table] =
                try await database.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self)
                ?? 0
        }
        return result
    }

    private static func load(_ url: URL, into database: any SQLDatabase, backend: SQLBackend) async throws {
        var reader = try BackupReader(url)
        defer { reader.close() }
        let schema = try await columns(database, backend: backend)
        var pending: (section: BackupSection, rows: [[BackupCell]], bytes: Int)?
        var later: [(table: String, column: String, id: Int, value: Int)] = []

        func flush() async throws {
            guard let batch = pending, !batch.rows.isEmpty else { return }
            pending?.rows = []
            pending?.bytes = 0
            var insert = database.insert(into: batch.section.table).columns(batch.section.columns.map(\.name))
            for row in batch.rows {
                insert = insert.values(
                    row.map { cell -> any SQLExpression in
                        switch cell {
                        case .null: SQLLiteral.null
                        case .integer(let value): SQLBind(value)
                        case .text(let value): SQLBind(value)
                        case .bytes(let value): SQLBind(value)
                        }
                    })
            }
            try await insert.run()
        }

        while let item = try reader.next() {
            switch item {
            case .manifest:
                try await flush()
            case .row(let section, var cells):
                if pending?.section.table != section.table {
                    try await flush()
                    guard let target = schema[section.table] else {
                        throw BackupError("Bảng \(section.table) của bản sao lưu không có trong cơ sở dữ liệu đích.")
                    }
                    let names = Set(target.map(\.name))
                    if let missing = section.columns.first(where: { !names.contains($0.name) }) {
                        throw BackupError(
                            "Cột \(section.table).\(missing.name) của bản sao lưu không có trong cơ sở dữ liệu đích.")
                    }
                    pending = (section, [], 0)
                }
                // A reference to a row of the same table is set once every row is in.
                if let column = BackupTables.selfReferences[section.table],
                    let index = section.columns.firstIndex(where: { $0.name == column }),
                    let idIndex = section.columns.firstIndex(where: { $0.name == "id" }),
                    case .integer(let value) = cells[index], case .integer(let id) = cells[idIndex]
                {
                    later.append((section.table, column, id, value))
                    cells[index] = .null
                }
                let size = cells.reduce(0) { size, cell in
                    switch cell {
                    case .text(let text): size + text.utf8.count
                    case .bytes(let data): size + data.count
                    default: size + 8
                    }
                }
                pending?.rows.append(cells)
                pending?.bytes += size
                if let batch = pending,
                    batch.rows.count >= 200 || batch.bytes >= 4 << 20
                        || batch.rows.count * section.columns.count >= 30_000
                {
                    try await flush()
                }
            }
        }
        for reference in later {
            try await database.raw(
                "UPDATE \(unsafeRaw: reference.table) SET \(unsafeRaw: reference.column) = \(bind: reference.value) WHERE id = \(bind: reference.id)"
            ).run()
        }
        // PostgreSQL's identity columns go on from the highest restored value.
        if backend == .postgres {
            for (table, columns) in schema where BackupTables.order.contains(table) {
                for column in columns where column.name == "id" || column.name == "sequence" {
                    try await database.raw(
                        """
                        SELECT setval(pg_get_serial_sequence(\(bind: table), \(bind: column.name)), MAX(\(unsafeRaw: column.name)))
                        FROM \(unsafeRaw: table) HAVING MAX(\(unsafeRaw: column.name)) IS NOT NULL
                        """
                    ).run()
                }
            }
        }
    }
}
