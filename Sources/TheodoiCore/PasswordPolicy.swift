/// The password rules, with the reason for each refusal in Vietnamese.
public enum PasswordPolicy {
    /// The shortest password accepted.
    public static let minimumLength = 10
    /// The longest (bcrypt reads only the first 72 bytes).
    public static let maximumBytes = 72

    /// Every rule `password` breaks for the account `email`; empty when it is acceptable.
    public static func problems(password: String, email: String) -> [String] {
        var problems: [String] = []
        if password.count < minimumLength {
            problems.append("Mật khẩu phải có ít nhất \(minimumLength) ký tự.")
        }
        if password.utf8.count > maximumBytes {
            problems.append("Mật khẩu dài quá \(maximumBytes) byte; hãy dùng mật khẩu ngắn hơn.")
        }
        if !password.contains(where: \.isLetter) || !password.contains(where: \.isNumber) {
            problems.append("Mật khẩu phải có cả chữ và số.")
        }
        if Set(password).count < 4 {
            problems.append("Mật khẩu phải có ít nhất 4 ký tự khác nhau.")
        }
        let local = email.split(separator: "@").first.map { $0.lowercased() } ?? ""
        if local.count >= 3 && password.lowercased().contains(local) {
            problems.append("Mật khẩu không được chứa tên đăng nhập.")
        }
        if password.first?.isWhitespace == true || password.last?.isWhitespace == true {
            problems.append("Mật khẩu không được bắt đầu hoặc kết thúc bằng khoảng trắng.")
        }
        return problems
    }
}
