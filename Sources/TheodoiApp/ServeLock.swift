import Foundation

/// The lock a server holds on its SQLite file for as long as it runs (`flock` on a file beside it,
/// released by the system when the process ends, however it ends). Each server keeps its own page
/// cache, emptied by its own writes: a second server on the same file would show pages the first
/// had changed. Several servers share a PostgreSQL database instead. Commands (`send-reminders`,
/// `export`, …) do not take the lock and run beside the server.
final class ServeLock: Sendable {
    private let descriptor: Int32

    /// The lock on the SQLite file at `databasePath`, or a `StartupFailure` naming the process that
    /// holds it.
    static func acquire(databasePath: String) throws -> ServeLock {
        let path = databasePath + ".serve-lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StartupFailure(
                message: "Không khởi động được: không mở được tệp khóa \(path) (\(String(cString: strerror(errno)))).")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            var bytes = [UInt8](repeating: 0, count: 32)
            let count = read(descriptor, &bytes, bytes.count)
            _ = close(descriptor)
            let written = count > 0 ? String(decoding: bytes.prefix(count), as: UTF8.self) : ""
            let holder = written.trimmingCharacters(in: .whitespacesAndNewlines)
            let process = Int(holder).map { " (tiến trình \($0))" } ?? ""
            throw StartupFailure(
                message: "Không khởi động được: cơ sở dữ liệu \(databasePath) "
                    + "đang được một máy chủ theodoi khác dùng\(process). Mỗi tệp SQLite chỉ một máy chủ; "
                    + "muốn chạy nhiều máy chủ, hãy dùng PostgreSQL (DATABASE_URL=postgres://…).")
        }
        // The holder's process id, for the message another server gives.
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pwrite(descriptor, pid, pid.count, 0)
        return ServeLock(descriptor: descriptor)
    }

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Lets another server start on the file.
    func release() {
        _ = flock(descriptor, LOCK_UN)
        _ = close(descriptor)
    }
}
