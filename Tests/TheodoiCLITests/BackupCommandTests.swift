import Foundation
import Testing

/// Backups from the command line and on a schedule (issue 18), with the real program.
@Suite("Backup commands")
struct BackupCommandTests {
    @Test("a server with BACKUP_DIR writes a backup at start and keeps the newest BACKUP_KEEP of its own files")
    func scheduled() async throws {
        let program = try #require(ServeCommandTests.program(), "the theodoi program is not built next to the tests")
        let port = try #require(Listener.freePort())
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-backups-\(UUID().uuidString)")
        let backups = folder.appendingPathComponent("backups")
        try FileManager.default.createDirectory(at: backups, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Three old backups (a week old) and a file that is not one of the schedule's.
        let old = ["theodoi-20261101T000000Z", "theodoi-20261102T000000Z", "theodoi-20261103T000000Z"]
        for name in old {
            let url = backups.appendingPathComponent(name + ".theodoi-backup")
            try Data("cũ\n".utf8).write(to: url)
            try FileManager.default.setAttributes(
                [.modificationDate: Date().addingTimeInterval(-7 * 86_400)], ofItemAtPath: url.path)
        }
        try Data("ghi chú".utf8).write(to: backups.appendingPathComponent("ghi-chu.txt"))
        let (process, _, seen) = try await ServeCommandTests.start(
            program, port: port, in: folder, environment: ["BACKUP_DIR": backups.path, "BACKUP_KEEP": "2"])
        defer { if process.isRunning { process.terminate() } }
        func names() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: backups.path)) ?? []).sorted() }
        let deadline = Date().addingTimeInterval(60)
        // Until the new backup is complete (it is written as `….partial` and renamed at the end).
        while names().filter({ $0.hasSuffix(".theodoi-backup") && !old.contains(String($0.prefix(24))) }).isEmpty,
            Date() < deadline
        {
            try await Task.sleep(for: .milliseconds(100))
        }
        try await Task.sleep(for: .milliseconds(300))
        let now = names()
        let fresh = try #require(
            now.first { $0.hasSuffix(".theodoi-backup") && !old.contains(String($0.prefix(24))) }, "\(now) \(seen.text)")
        #expect(now == ["ghi-chu.txt", old[2] + ".theodoi-backup", fresh].sorted(), "\(now)")
        let verified = try ServeCommandTests.run(
            program, ["backup", "verify", backups.appendingPathComponent(fresh).path], in: folder, environment: [:])
        #expect(verified.status == 0, "\(verified.error)")
        #expect(verified.output.contains("Tệp sao lưu nguyên vẹn.") && verified.output.contains("plans 1"), "\(verified.output)")
        #expect(process.isRunning)
    }

    @Test("backup beside a running server, restore into a new file, refused into a filled or served one")
    func backupAndRestore() async throws {
        let program = try #require(ServeCommandTests.program(), "the theodoi program is not built next to the tests")
        let port = try #require(Listener.freePort())
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-restore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (process, _, _) = try await ServeCommandTests.start(program, port: port, in: folder)
        defer { if process.isRunning { process.terminate() } }
        let live = "sqlite:\(folder.appendingPathComponent("data.sqlite").path)"
        let file = folder.appendingPathComponent("sao-luu.theodoi-backup").path
        let backup = try ServeCommandTests.run(
            program, ["backup", "--output", file], in: folder, environment: ["DATABASE_URL": live])
        #expect(backup.status == 0, "\(backup.error)")
        #expect(backup.output.hasPrefix("Đã sao lưu vào \(file).\n"), "\(backup.output)")
        #expect(backup.output.contains("Nhật ký: mục cuối số"), "\(backup.output)")
        // Into the file the server is using: refused while it runs.
        let served = try ServeCommandTests.run(program, ["restore", file], in: folder, environment: ["DATABASE_URL": live])
        #expect(served.status != 0)
        #expect(served.error.contains("đang được một máy chủ theodoi dùng"), "\(served.error)")
        let target = "sqlite:\(folder.appendingPathComponent("moi.sqlite").path)"
        let restored = try ServeCommandTests.run(program, ["restore", file], in: folder, environment: ["DATABASE_URL": target])
        #expect(restored.status == 0, "\(restored.error)")
        #expect(restored.output.contains("Đã khôi phục") && restored.output.contains("Nhật ký nguyên vẹn"), "\(restored.output)")
        let again = try ServeCommandTests.run(program, ["restore", file], in: folder, environment: ["DATABASE_URL": target])
        #expect(again.status != 0)
        #expect(again.error.hasPrefix("Cơ sở dữ liệu đích đã có dữ liệu (bảng plans: 1 dòng)."), "\(again.error)")
        let missing = try ServeCommandTests.run(
            program, ["restore", folder.appendingPathComponent("khong-co").path], in: folder,
            environment: ["DATABASE_URL": "sqlite:\(folder.appendingPathComponent("khac.sqlite").path)"])
        #expect(missing.status != 0 && missing.error.contains("Không mở được tệp sao lưu"), "\(missing.error)")
    }
}
