import ArgumentParser
import Foundation
import TheodoiApp
import TheodoiOperations
import TheodoiStore

/// `theodoi backup --output FILE`: a consistent backup beside a running server.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Sao lưu toàn bộ dữ liệu vào một tệp (chạy được khi máy chủ đang chạy); in bản kê.",
        subcommands: [BackupCreateCommand.self, BackupVerifyCommand.self], defaultSubcommand: BackupCreateCommand.self)
}

struct BackupCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Sao lưu toàn bộ dữ liệu vào tệp --output.")

    @OptionGroup var store: StoreOptions
    @Option(name: .shortAndLong, help: "Tệp sao lưu sẽ ghi (ghi đè nếu đã có).") var output: String

    func run() async throws {
        do {
            let manifest = try await TheodoiApplication.backup(
                try store.configuration(), to: URL(fileURLWithPath: output))
            print("Đã sao lưu vào \(output).")
            for line in manifest.summary { print(line) }
        } catch let error as BackupError {
            throw fail(error.message)
        }
    }
}

struct BackupVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Kiểm tra một tệp sao lưu (mã SHA-256, số dòng) mà không ghi gì vào cơ sở dữ liệu.")

    @Argument(help: "Tệp sao lưu.") var file: String

    func run() async throws {
        do {
            let manifest = try TheodoiApplication.verifyBackup(URL(fileURLWithPath: file))
            print("Tệp sao lưu nguyên vẹn.")
            for line in manifest.summary { print(line) }
        } catch let error as BackupError {
            throw fail(error.message)
        }
    }
}

/// `theodoi restore FILE`: into an empty database only.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract:
            "Khôi phục một tệp sao lưu vào cơ sở dữ liệu trống (từ chối cơ sở dữ liệu đã có dữ liệu), rồi kiểm tra nhật ký.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Tệp sao lưu.") var file: String

    func run() async throws {
        do {
            let outcome = try await TheodoiApplication.restore(try store.configuration(), from: URL(fileURLWithPath: file))
            try report(outcome, verb: "Đã khôi phục \(file)")
        } catch let error as BackupError {
            throw fail(error.message)
        }
    }
}

/// `theodoi copy-data --from sqlite:… --to postgres://…`: moving to another database.
struct CopyDataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy-data",
        abstract:
            "Chuyển toàn bộ dữ liệu sang một cơ sở dữ liệu trống khác (ví dụ từ SQLite sang PostgreSQL) trong một giao dịch, "
            + "rồi kiểm tra số dòng và nhật ký ở nơi nhận.")

    @Option(help: "Nguồn: sqlite:ĐƯỜNG_DẪN hoặc postgres://…") var from: String
    @Option(help: "Đích (phải trống): postgres://… hoặc sqlite:ĐƯỜNG_DẪN") var to: String

    func run() async throws {
        do {
            let configuration: AppConfiguration
            do {
                configuration = try AppConfiguration.load(overrides: [:])
            } catch {
                throw ValidationError(error.description)
            }
            let outcome = try await TheodoiApplication.copyData(from: from, to: to, configuration: configuration)
            try report(
                outcome,
                verb:
                    "Đã chuyển dữ liệu sang \(to.replacingOccurrences(of: #"//[^@/]*@"#, with: "//…@", options: .regularExpression))"
            )
        } catch let error as BackupError {
            throw fail(error.message)
        }
    }
}

private func report(_ outcome: TheodoiApplication.RestoreOutcome, verb: String) throws {
    print("\(verb): \(outcome.manifest.rowCount) dòng, số dòng từng bảng khớp bản kê.")
    for line in outcome.manifest.summary { print(line) }
    if outcome.audit.broken != nil { throw fail(outcome.audit.summary) }
    print(outcome.audit.summary)
    print("Mọi phiên đăng nhập cũ không được chuyển: người dùng đăng nhập lại.")
}
