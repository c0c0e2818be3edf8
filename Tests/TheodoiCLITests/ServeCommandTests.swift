import Foundation
import Testing

/// `theodoi serve` as a person starts it: the built program, run with a port another program holds.
@Suite("theodoi serve")
struct ServeCommandTests {
    @Test("a busy port gives one Vietnamese line and a failure status, before any database is created")
    func busyPort() throws {
        let program = try #require(Self.program(), "the theodoi program is not built next to the tests")
        let listener = try #require(Listener.open(), "could not hold a port for the test")
        defer { listener.close() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("data/x.sqlite")

        let run = try Self.run(
            program, ["serve", "--port", String(listener.port)], in: folder,
            environment: ["DATABASE_URL": "sqlite:\(database.path)"])

        #expect(!run.timedOut)
        #expect(run.status != 0)
        #expect(
            run.error
                == "Không khởi động được: cổng \(listener.port) đang được dùng bởi một chương trình khác. "
                + "Hãy dừng chương trình đó hoặc chọn cổng khác (--port).\n")
        #expect(run.output.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: database.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test(
        "SIGTERM or SIGINT while requests come in: the server finishes them, closes the database and exits 0 with one line",
        arguments: [SIGTERM, SIGINT])
    func stops(signal: Int32) async throws {
        let program = try #require(Self.program(), "the theodoi program is not built next to the tests")
        let port = try #require(Listener.freePort())
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-stop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (process, output, seen) = try await Self.start(program, port: port, in: folder)
        defer { if process.isRunning { process.terminate() } }
        // Requests under way when the signal arrives.
        let answered = await withTaskGroup(of: Int.self) { group in
            for index in 0..<24 {
                group.addTask {
                    if index == 8 { kill(process.processIdentifier, signal) }
                    return Self.status(port: port, path: "/plans")
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning)
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        let text = seen.text + String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.components(separatedBy: "theodoi đã dừng").count == 2, "\(text)")
        #expect(!text.contains("Error"), "\(text)")
        #expect(!text.contains("Assertion"), "\(text)")
        // Every request either had its answer or found the door closed; none was cut off with a 5xx.
        #expect(answered.allSatisfy { $0 < 500 }, "\(answered)")
        #expect(answered.contains { $0 > 0 }, "\(answered)")
    }

    @Test("LOG_FORMAT=json: every log line is one JSON object, request lines carry the id the answer returns; /metrics answers")
    func jsonLogs() async throws {
        let program = try #require(Self.program(), "the theodoi program is not built next to the tests")
        let port = try #require(Listener.freePort())
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (process, output, seen) = try await Self.start(
            program, port: port, in: folder, environment: ["LOG_FORMAT": "json", "LOG_LEVEL": "debug"])
        defer { if process.isRunning { process.terminate() } }
        #expect(Self.status(port: port, path: "/khong-co-trang-nay") == 404)
        #expect(Self.status(port: port, path: "/metrics") == 200)
        // Through a proxy (which adds one of these) and with no METRICS_TOKEN: refused.
        for header in ["X-Forwarded-For", "Forwarded", "X-Real-IP"] {
            #expect(Self.status(port: port, path: "/metrics", headers: "\(header): 203.0.113.7\r\n") == 403, "\(header)")
        }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        let text = seen.text + String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(text)")
        // The console lines for the person who started it (the address, the first password) are
        // plain text on standard output; every log entry is a JSON object.
        let entries = text.split(separator: "\n").filter { $0.hasPrefix("{") }.compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        #expect(entries.count == text.split(separator: "\n").filter { $0.hasPrefix("{") }.count, "\(text)")
        #expect(entries.allSatisfy { $0["time"] is String && $0["level"] is String && $0["message"] is String }, "\(text)")
        #expect(entries.contains { ($0["message"] as? String)?.hasPrefix("theodoi đã dừng") == true }, "\(text)")
        let requests = entries.filter { $0["message"] as? String == "request" }
        #expect(requests.count == 5 && requests.allSatisfy { $0["hb.request.id"] is String }, "\(text)")
        #expect(requests.first?["path"] as? String == "/khong-co-trang-nay" && requests.first?["status"] as? String == "404")
    }

    @Test("a bad LOG_FORMAT or METRICS_TOKEN is named with what it must be, and nothing is created")
    func badObservabilitySettings() throws {
        let program = try #require(Self.program(), "the theodoi program is not built next to the tests")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Self.run(
            program, ["serve", "--port", "1"], in: folder,
            environment: ["LOG_FORMAT": "xml", "METRICS_TOKEN": "short token", "DATABASE_URL": "sqlite:\(folder.path)/d.sqlite"])
        #expect(result.status == 64)
        #expect(result.error.contains("LOG_FORMAT must be text or json (got “xml”)"), "\(result.error)")
        #expect(result.error.contains("METRICS_TOKEN must be 16 to 256"), "\(result.error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("a second server on the same SQLite file gives one line naming the first, and changes nothing")
    func secondServer() async throws {
        let program = try #require(Self.program(), "the theodoi program is not built next to the tests")
        let ports = try [0, 1].map { _ in try #require(Listener.freePort()) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-second-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (first, _, _) = try await Self.start(program, port: ports[0], in: folder)
        defer { first.terminate() }
        let database = folder.appendingPathComponent("data.sqlite")
        let before = try Data(contentsOf: database)
        let second = try Self.run(
            program, ["serve", "--port", String(ports[1])], in: folder, environment: ["DATABASE_URL": "sqlite:\(database.path)"])
        #expect(!second.timedOut)
        #expect(second.status != 0)
        #expect(
            second.error
                == "Không khởi động được: cơ sở dữ liệu \(database.path) đang được một máy chủ theodoi khác dùng "
                + "(tiến trình \(first.processIdentifier)). Mỗi tệp SQLite chỉ một máy chủ; muốn chạy nhiều máy chủ, "
                + "hãy dùng PostgreSQL (DATABASE_URL=postgres://…).\n")
        #expect(try Data(contentsOf: database) == before)
        #expect(first.isRunning)
    }

    @Test("four programs migrating one new SQLite file at once all succeed, each migration applied once")
    func migrateTogether() async throws {
        let program = try #require(Self.program(), "the theodoi program is not built next to the tests")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("data.sqlite").path
        let runs = try await withThrowingTaskGroup(of: (status: Int32, output: String, error: String, timedOut: Bool).self) {
            group in
            for _ in 0..<4 {
                group.addTask {
                    try Self.run(program, ["migrate"], in: folder, environment: ["DATABASE_URL": "sqlite:\(database)"])
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for run in runs {
            #expect(run.status == 0, "\(run.error)")
            #expect(run.output == "Cơ sở dữ liệu đã ở phiên bản mới nhất.\n")
        }
    }

    @Test("doctor says what is missing and which feature it affects, and creates nothing")
    func doctor() throws {
        let program = try #require(Self.program(), "the theodoi program is not built next to the tests")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-doctor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("data/x.sqlite").path
        // No external program on the PATH, no database yet.
        let bare = try Self.run(
            program, ["doctor"], in: folder,
            environment: ["DATABASE_URL": "sqlite:\(database)", "PATH": folder.path, "SENDMAIL": "", "SOFFICE": ""])
        #expect(bare.status == 0, "\(bare.error)")
        #expect(bare.output.contains("! Cơ sở dữ liệu: tệp SQLite \(database) chưa có"))
        #expect(bare.output.contains("! LibreOffice: không có: không in được báo cáo ra PDF"))
        #expect(
            bare.output.contains(
                "! poppler: không có: không nạp được danh mục từ tệp PDF (Debian: apt-get install poppler-utils)"))
        #expect(bare.output.contains("! Tesseract (tiếng Việt): không có"))
        #expect(bare.output.contains("! Thư điện tử: tắt"))
        #expect(bare.output.hasSuffix("mục thiếu làm hạn chế chức năng như nói ở trên.\n"))
        #expect(!FileManager.default.fileExists(atPath: database))
        // Migrated, the database and its schema are checked.
        let migrated = try Self.run(program, ["migrate"], in: folder, environment: ["DATABASE_URL": "sqlite:\(database)"])
        #expect(migrated.status == 0)
        let ready = try Self.run(program, ["doctor"], in: folder, environment: ["DATABASE_URL": "sqlite:\(database)"])
        #expect(ready.output.contains("✓ Cơ sở dữ liệu: kết nối được (SQLite, \(database))"))
        #expect(ready.output.contains("✓ Lược đồ: đã ở phiên bản mới nhất"))
        #expect(ready.output.contains("Dung lượng đĩa: thư mục dữ liệu"))
    }

    /// `theodoi serve` on `port` with a database in `folder`, once it says it listens.
    static func start(
        _ program: URL, port: Int, in folder: URL, environment: [String: String] = [:]
    ) async throws -> (process: Process, output: Pipe, seen: OutputBuffer) {
        let process = Process()
        process.executableURL = program
        process.arguments = ["serve", "--port", String(port)]
        process.currentDirectoryURL = folder
        var variables = ProcessInfo.processInfo.environment.filter {
            !["DATABASE_URL", "HTTP_HOST", "HTTP_PORT"].contains($0.key)
        }
        variables["DATABASE_URL"] = "sqlite:\(folder.appendingPathComponent("data.sqlite").path)"
        variables.merge(environment) { $1 }
        process.environment = variables
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let seen = OutputBuffer()
        output.fileHandleForReading.readabilityHandler = { seen.append($0.availableData) }
        try process.run()
        let started = Date()
        while !seen.text.contains("đang chạy tại"), Date().timeIntervalSince(started) < 60, process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        return (process, output, seen)
    }

    /// The `theodoi` program built beside this test bundle.
    static func program() -> URL? {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
            .appendingPathComponent("theodoi")
        let candidates = [besideTests, PackagePaths.root.appendingPathComponent(".build/debug/theodoi")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Runs `program` to its end (stopping it after a minute); its status, standard output and error.
    static func run(
        _ program: URL, _ arguments: [String], in folder: URL, environment: [String: String]
    ) throws -> (status: Int32, output: String, error: String, timedOut: Bool) {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var variables = ProcessInfo.processInfo.environment.filter {
            !["DATABASE_URL", "HTTP_HOST", "HTTP_PORT"].contains($0.key)
        }
        variables.merge(environment) { $1 }
        process.environment = variables
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let timedOut = process.isRunning
        if timedOut {
            process.terminate()
        }
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
            String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), timedOut
        )
    }
}

extension ServeCommandTests {
    /// The status of `GET path` on 127.0.0.1:`port` (HTTP/1.1 over a plain socket), 0 when no
    /// answer came.
    static func status(port: Int, path: String, headers: String = "") -> Int {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return 0 }
        defer { _ = Foundation.close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return 0 }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\(headers)Connection: close\r\n\r\n".utf8)
        guard write(descriptor, request, request.count) == request.count else { return 0 }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while answer.count < 64 {
            let count = read(descriptor, &buffer, buffer.count)
            guard count > 0 else { break }
            answer += buffer.prefix(count)
        }
        // "HTTP/1.1 200 OK"
        let line = String(decoding: answer.prefix(while: { $0 != 0x0D }), as: UTF8.self)
        let parts = line.split(separator: " ")
        return parts.count >= 2 ? Int(parts[1]) ?? 0 : 0
    }
}

/// What a running program has written so far.
final class OutputBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ more: Data) { lock.withLock { data.append(more) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}

/// A TCP socket listening on 127.0.0.1 at a port the system chose, standing for another program.
struct Listener {
    let descriptor: Int32
    let port: Int

    static func open() -> Listener? {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0, listen(descriptor, 8) == 0 else {
            _ = Foundation.close(descriptor)
            return nil
        }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else {
            _ = Foundation.close(descriptor)
            return nil
        }
        return Listener(descriptor: descriptor, port: Int(UInt16(bigEndian: address.sin_port)))
    }

    func close() { _ = Foundation.close(descriptor) }

    /// A port no program listens on just now (the system's choice, let go at once).
    static func freePort() -> Int? {
        guard let listener = open() else { return nil }
        defer { listener.close() }
        return listener.port
    }
}
