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
}
