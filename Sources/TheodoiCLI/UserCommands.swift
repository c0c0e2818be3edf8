import ArgumentParser
import Foundation
import TheodoiApp
import TheodoiCore
import TheodoiOperations
import TheodoiStore

extension Role: ExpressibleByArgument {}

/// `theodoi user …`: accounts from the server's console.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Quản lý người dùng: thêm, đặt lại mật khẩu, khóa, cấp và thu hồi mã truy cập API.",
        subcommands: [
            UserAddCommand.self, UserResetPasswordCommand.self, UserDisableCommand.self, UserTokenCommand.self,
            UserRevokeTokenCommand.self, UserListCommand.self,
        ])
}

/// Runs an account operation, turning refusals into one message on standard error and exit status 1.
func runAccounts<R: Sendable>(_ store: StoreOptions, _ body: @escaping @Sendable (Toolbox) async throws -> R) async throws -> R {
    do {
        return try await TheodoiApplication.withStore(try store.configuration(), body)
    } catch let error as AccountError {
        throw fail("Lỗi: " + error.messages.joined(separator: " "))
    }
}

struct UserAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Thêm người dùng; in mật khẩu ban đầu một lần (phải đổi khi đăng nhập lần đầu).")

    @Option(help: "Thư điện tử (tên đăng nhập).") var email: String
    @Option(help: "Họ và tên.") var name: String
    @Option(help: "Vai trò: admin, monitor, officer, leader.") var role: Role
    @Option(help: "Cơ quan của cán bộ đơn vị (tên hoặc mã số), bắt buộc với --role officer.") var agency: String?
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let (email, name, role, agency) = (email, name, role, agency)
        let result = try await runAccounts(store) { toolbox in
            let agencyID = try await resolveAgency(agency, toolbox.store)
            return try await toolbox.accounts.createUser(
                email: email, name: name, role: role, agencyID: agencyID, by: .commandLine)
        }
        print("Đã tạo \(result.user.email) (\(result.user.role.vietnamese)).")
        print("Mật khẩu ban đầu (chỉ in một lần; phải đổi khi đăng nhập lần đầu):")
        print(result.password)
    }
}

/// The agency named by `text`: its id, or its name / short name / alias folded; an error that lists near matches otherwise.
func resolveAgency(_ text: String?, _ store: StoreClient) async throws -> AgencyRecord.ID? {
    guard let text, !text.isEmpty else { return nil }
    let agencies = try await store.agencies()
    if let id = Int(text), let agency = agencies.first(where: { $0.id.rawValue == id }) { return agency.id }
    let folded = VietnameseText.folded(text)
    if let agency = agencies.first(where: {
        ([$0.name, $0.shortName] + $0.aliases).contains { VietnameseText.folded($0) == folded }
    }) {
        return agency.id
    }
    let near = agencies.filter { VietnameseText.folded($0.name).contains(folded) }.prefix(5).map { "“\($0.name)” (mã \($0.id))" }
    throw AccountError(
        .invalid,
        [
            "Không có cơ quan “\(text)”."
                + (near.isEmpty ? " Xem danh bạ tại /admin/agencies." : " Có phải: \(near.joined(separator: ", "))?")
        ],
        api: "no agency \(text)")
}

struct UserResetPasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-password",
        abstract: "Đặt mật khẩu ngẫu nhiên mới (in một lần); mọi phiên đăng nhập của người đó kết thúc.")

    @Option(help: "Thư điện tử của người dùng.") var email: String
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let email = email
        let result = try await runAccounts(store) { toolbox in
            let user = try await toolbox.accounts.user(email: email)
            return try await toolbox.accounts.resetPassword(user.id, by: .commandLine)
        }
        print("Mật khẩu mới của \(result.user.email) (chỉ in một lần; phải đổi khi đăng nhập lại):")
        print(result.password)
    }
}

struct UserDisableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable", abstract: "Khóa tài khoản: không đăng nhập được, mã API ngừng hiệu lực, phiên đang mở kết thúc.")

    @Option(help: "Thư điện tử của người dùng.") var email: String
    @Flag(help: "Mở khóa thay vì khóa.") var enable = false
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let (email, enable) = (email, enable)
        let user = try await runAccounts(store) { toolbox in
            let user = try await toolbox.accounts.user(email: email)
            return try await toolbox.accounts.updateUser(
                user.id, name: user.name, role: user.role, agencyID: user.agencyID, disabled: !enable, by: .commandLine)
        }
        print(user.disabled ? "Đã khóa \(user.email)." : "Đã mở khóa \(user.email).")
    }
}

struct UserTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Cấp mã truy cập API cho người dùng; in mã một lần trên một dòng riêng (chỉ lưu bản băm)."
    )

    @Option(help: "Thư điện tử của người dùng.") var email: String
    @Option(help: "Tên gợi nhớ của mã.") var label: String = ""
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let (email, label) = (email, label)
        let token = try await runAccounts(store) { toolbox in
            let user = try await toolbox.accounts.user(email: email)
            return try await toolbox.accounts.createAPIToken(for: user, label: label, by: .commandLine).token
        }
        print(token)
    }
}

struct UserRevokeTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke-token", abstract: "Thu hồi mã truy cập API (theo phần đầu của mã, ví dụ tdk_AbCdEfGh).")

    @Option(help: "Thư điện tử của người dùng.") var email: String
    @Option(help: "Phần đầu của mã (12 ký tự, như trang quản trị hiện).") var prefix: String
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let (email, prefix) = (email, prefix)
        let count = try await runAccounts(store) { toolbox in
            let user = try await toolbox.accounts.user(email: email)
            var revoked = 0
            for token in try await toolbox.accounts.store.apiTokens(user.id)
            where token.revokedAt == nil && token.prefix.hasPrefix(String(prefix.prefix(12))) && prefix.count >= 8 {
                if try await toolbox.accounts.store.revokeAPIToken(token.id, .commandLine) { revoked += 1 }
            }
            return revoked
        }
        guard count > 0 else { throw fail("Lỗi: \(email) không có mã đang dùng bắt đầu bằng “\(prefix)” (cần ít nhất 8 ký tự).") }
        print("Đã thu hồi \(count) mã.")
    }
}

struct UserListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Liệt kê người dùng.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let users = try await runAccounts(store) { toolbox in try await toolbox.accounts.store.users() }
        for user in users {
            print("\(user.email)\t\(user.role.rawValue)\t\(user.name)\(user.disabled ? "\t(đã khóa)" : "")")
        }
    }
}

/// `theodoi audit …`: the audit log.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Nhật ký thay đổi.", subcommands: [AuditVerifyCommand.self])
}

struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Kiểm tra chuỗi băm của nhật ký; báo mục đầu tiên bị sửa hoặc bị xóa. Trạng thái thoát 1 khi chuỗi đứt.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let report = try await TheodoiApplication.withStore(try store.configuration()) { toolbox in
            try await toolbox.audit.verify()
        }
        if report.broken != nil { throw fail(report.summary) }
        print(report.summary)
    }
}
