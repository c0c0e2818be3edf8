import ArgumentParser
import Foundation
import TheodoiApp
import TheodoiCatalog
import TheodoiCore
import TheodoiOperations
import TheodoiStore

/// Options every command that touches the database shares.
struct StoreOptions: ParsableArguments {
    @Option(
        help: "Địa chỉ cơ sở dữ liệu (mặc định: tệp SQLite data/theodoi.sqlite; hoặc postgres://…). Cũng đọc từ DATABASE_URL.")
    var databaseURL: String?

    func configuration(host: String? = nil, port: Int? = nil) throws -> AppConfiguration {
        var overrides: [String: String] = [:]
        if let databaseURL { overrides["DATABASE_URL"] = databaseURL }
        if let host { overrides["HTTP_HOST"] = host }
        if let port { overrides["HTTP_PORT"] = String(port) }
        do {
            return try AppConfiguration.load(overrides: overrides)
        } catch {
            throw ValidationError(error.description)
        }
    }
}

/// `theodoi serve` (the default): the web server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Chạy máy chủ web (mặc định http://127.0.0.1:8080); nạp sẵn danh mục 343-QĐ/TU khi cơ sở dữ liệu còn trống.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Địa chỉ lắng nghe (mặc định 127.0.0.1; cũng đọc HTTP_HOST).") var host: String?
    @Option(help: "Cổng (mặc định 8080; cũng đọc HTTP_PORT).") var port: Int?

    func run() async throws {
        let configuration = try store.configuration(host: host, port: port)
        do {
            try await serve(configuration)
        } catch let failure as StartupFailure {
            throw fail(failure.message)
        }
    }

    private func serve(_ configuration: AppConfiguration) async throws {
        try await TheodoiApplication.serve(configuration) { address in
            let line = "theodoi đang chạy tại \(address) — mở địa chỉ này trong trình duyệt. Nhấn Ctrl+C để dừng.\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        } announceAdmin: { email, password in
            // Printed once to the console (never logged): the only copy of the first password.
            let text = """

                Đã tạo tài khoản quản trị đầu tiên (chỉ in một lần):
                  Thư điện tử: \(email)
                  Mật khẩu:    \(password)
                Đăng nhập tại /sign-in; hệ thống sẽ yêu cầu đổi mật khẩu ngay lần đầu.
                Quên mật khẩu này thì đặt lại bằng: theodoi user reset-password --email \(email)


                """
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

/// `theodoi migrate`: brings the database schema up to date.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Cập nhật cấu trúc cơ sở dữ liệu.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await TheodoiApplication.withStore(try store.configuration()) { _ in }
        print("Cơ sở dữ liệu đã ở phiên bản mới nhất.")
    }
}

/// `theodoi catalog import FILE`: stores a catalogue; the same file twice changes nothing.
struct CatalogImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Nhập một danh mục vào hệ thống; nhập lại cùng tệp không thay đổi gì, tệp đã sửa được cập nhật theo mã nhiệm vụ.")

    @Argument(help: "Tệp danh mục (.docx, .doc, .odt, .pdf, .xlsx, .txt trích từ PDF, .csv, .tsv, .md, .html).")
    var file: String
    @Option(help: "Định dạng tệp: auto, pdf-text, csv, tsv, markdown, html, xlsx, docx.") var format: CatalogueFormat = .auto
    @Option(help: "Số hiệu văn bản khi tệp không ghi (ví dụ 120/KH-UBND).") var number: String?
    @Option(help: "Ngày ban hành khi tệp không ghi (dd/mm/yyyy).") var date: String?
    @Option(help: "Cơ quan ban hành khi tệp không ghi (ví dụ \"Ủy ban nhân dân tỉnh\").") var issuer: String?
    @Flag(help: "Kế hoạch mới để ở dạng dự thảo: chưa nhắc việc, chưa nhận báo cáo, cho tới khi được ban hành.")
    var draft = false
    @Option(
        help:
            "Tệp là quyết định sửa đổi, bổ sung kế hoạch có mã này (ví dụ 343-qd-tu); --number và --date là số hiệu, ngày của quyết định sửa đổi."
    )
    var amends: String?
    @Flag(help: "Với --amends: tệp là toàn bộ danh mục sau sửa đổi, các nhiệm vụ không có trong tệp bị bãi bỏ.")
    var endsMissing = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw fail("Lỗi: không đọc được “\(file)”: tệp không tồn tại hoặc không có quyền đọc.")
        }
        let source = URL(fileURLWithPath: file).lastPathComponent
        var day: LocalDate?
        if let date {
            guard let parsed = LocalDate(vietnamese: date) ?? LocalDate(iso: date) else {
                throw fail("Lỗi: --date “\(date)” không hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 03/09/2025.")
            }
            day = parsed
        }
        let (format, number, issuer, given, stage) = (format, number, issuer, day, draft ? PlanStage.draft : .active)
        let amendment = amends.map { AmendmentInput(plan: $0, number: number, issuedOn: day, endsMissing: endsMissing) }
        if amendment == nil && endsMissing { throw fail("Lỗi: --ends-missing chỉ dùng cùng --amends.") }
        do {
            let report = try await TheodoiApplication.withStore(try store.configuration()) { toolbox in
                if let amendment {
                    return try await toolbox.importer.importAmendment(
                        data, sourceName: source, format: format, input: amendment
                    ).report
                }
                return try await toolbox.importer.importCatalogue(
                    data, sourceName: source, format: format, number: number, date: given, issuer: issuer,
                    progress: RecognitionProgressBar.forStandardError(), stage: stage
                ).report
            }
            print(report)
        } catch let error as CatalogueImporter.ImportError {
            throw fail("Lỗi: “\(file)”: \(error.description)")
        } catch let refusal as ProgressRefusal {
            throw fail("Lỗi: “\(file)”: \(refusal.message)")
        }
    }
}

/// `theodoi demo --assignments N`: a separate demo plan for benchmarks and screenshots.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Tạo một kế hoạch mẫu riêng (DEMO-N) gồm N nhiệm vụ giả lập để đo tốc độ và chụp màn hình; không đụng tới kế hoạch thật."
    )

    @Option(help: "Số dòng nhiệm vụ (1–200000).") var assignments: Int = 10_000
    @Option(help: "Số báo cáo tiến độ mẫu (0–2000000; mặc định 5 báo cáo mỗi nhiệm vụ).") var reports: Int?
    @Option(help: "Bản thứ mấy của kế hoạch mẫu cùng cỡ (1–100; bản 1 là DEMO-N, bản k là DEMO-N-k).") var copy: Int = 1
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard (1...200_000).contains(assignments) else { throw ValidationError("--assignments phải từ 1 đến 200000.") }
        guard (1...100).contains(copy) else { throw ValidationError("--copy phải từ 1 đến 100.") }
        if let reports, !(0...2_000_000).contains(reports) { throw ValidationError("--reports phải từ 0 đến 2000000.") }
    }

    func run() async throws {
        let (count, copy) = (assignments, copy)
        let reportCount = reports ?? assignments * 5
        let (imported, history) = try await TheodoiApplication.withStore(try store.configuration()) { toolbox in
            let result = try await toolbox.importer.importDemo(assignments: count, copy: copy)
            let history = try await DemoHistoryGenerator.load(
                slug: result.plan.slug, reports: reportCount, today: LocalDate(vietnamAt: Date().timeIntervalSince1970),
                store: toolbox.store, progress: toolbox.progress, actor: .commandLine)
            return (result.report, history)
        }
        print(imported)
        print(history)
    }
}

/// Prints a message for the user on standard error and exits with status 1.
func fail(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    return ExitCode.failure
}

/// `theodoi send-reminders [--date dd/MM/yyyy]`: one reminder pass, safe to run from cron beside
/// `serve` and other instances (each reminder is claimed once in the database).
struct SendRemindersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-reminders",
        abstract: "Chạy một lượt nhắc việc: tính các nhắc việc đến lượt hôm nay, gửi mỗi nhắc việc đúng một lần.")

    @Option(help: "Ngày tính nhắc việc (dd/MM/yyyy; mặc định hôm nay theo giờ Việt Nam).") var date: String?
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let date, LocalDate(vietnamese: date) == nil && LocalDate(iso: date) == nil {
            throw ValidationError("--date “\(date)” không phải ngày (dd/MM/yyyy).")
        }
    }

    func run() async throws {
        let now = Date()
        let today =
            date.flatMap { LocalDate(vietnamese: $0) ?? LocalDate(iso: $0) } ?? LocalDate(vietnamAt: now.timeIntervalSince1970)
        let outcome = try await TheodoiApplication.withStore(try store.configuration()) { toolbox in
            try await ReminderPass(
                store: toolbox.store, users: toolbox.accounts.store.users, reminders: toolbox.reminders,
                snapshots: PlanSnapshots(store: toolbox.store, progress: toolbox.progress), outbound: toolbox.outbound
            ).run(today: today, at: now.ISO8601Format())
        }
        print("Ngày \(today.vietnameseShort): \(outcome.summary)")
    }
}

/// `theodoi doctor`: what the installation has and lacks, and which feature each lack affects.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract:
            "Kiểm tra cài đặt: cấu hình, cơ sở dữ liệu, lược đồ, dung lượng đĩa và các chương trình ngoài mỗi chức năng cần.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let checks = await Doctor.checks(try store.configuration())
        for check in checks {
            let mark =
                switch check.status {
                case .ok: "✓"
                case .warning: "!"
                case .failure: "✗"
                }
            print("\(mark) \(check.title): \(check.detail)")
        }
        let failures = checks.filter { $0.status == .failure }.count
        let warnings = checks.filter { $0.status == .warning }.count
        if failures > 0 {
            print("Có \(failures) lỗi cần sửa trước khi chạy máy chủ.")
            throw ExitCode(1)
        }
        print(warnings > 0 ? "Chạy được; \(warnings) mục thiếu làm hạn chế chức năng như nói ở trên." : "Mọi thứ sẵn sàng.")
    }
}
