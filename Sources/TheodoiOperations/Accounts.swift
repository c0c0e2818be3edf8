import Foundation
import TheodoiCore
import TheodoiStore

/// Who is making a request: the user, and for a browser session its CSRF token and digest.
public struct Identity: Sendable {
    public var user: UserRecord
    /// The token every form of this session must carry; nil for API tokens.
    public var csrfToken: String?
    /// The session's token digest; nil for API tokens.
    public var sessionDigest: String?

    public init(user: UserRecord, csrfToken: String?, sessionDigest: String?) {
        self.user = user
        self.csrfToken = csrfToken
        self.sessionDigest = sessionDigest
    }

    public func may(_ capability: Capability) -> Bool { user.role.may(capability) }
}

/// An account operation refused, with the reasons for people (Vietnamese) and for the API.
public struct AccountError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The input breaks a rule (422).
        case invalid
        /// The thing named does not exist (404).
        case notFound
    }

    public var kind: Kind
    /// Each problem with the field it concerns ("" for the form as a whole).
    public var problems: [FieldProblem]
    public var apiMessage: String

    public init(_ kind: Kind, _ messages: [String], api: String, field: String = "") {
        self.init(kind, problems: messages.map { FieldProblem(field: field, message: $0) }, api: api)
    }

    public init(_ kind: Kind, problems: [FieldProblem], api: String) {
        self.kind = kind
        self.problems = problems
        self.apiMessage = api
    }

    public var messages: [String] { problems.map(\.message) }

    public var description: String { apiMessage }
}

/// Sign-in throttling that an attacker cannot turn against the owner: progressive delays, not a
/// lock. Failures are counted per account *and* address; from an address the account has signed in
/// from before, the wait never passes `knownAddressMaximumDelay`, whatever happens elsewhere.
/// Only unknown addresses also wait for failures on the whole account or from the whole address.
public struct LoginThrottle: Sendable {
    /// Failures older than this are forgotten.
    public var window: TimeInterval
    /// Failures on one account from one address before waits begin.
    public var freeAttempts: Int
    /// The first wait; each further failure doubles it.
    public var firstDelay: TimeInterval
    /// The longest wait from an address the account has signed in from.
    public var knownAddressMaximumDelay: TimeInterval
    /// The longest wait from anywhere else.
    public var maximumDelay: TimeInterval
    /// Failures on an account (any address) before unknown addresses wait.
    public var perAccount: Int
    /// Failures from an address (any account) before it waits on accounts it does not know.
    public var perAddress: Int

    public init(
        window: TimeInterval = 15 * 60, freeAttempts: Int = 3, firstDelay: TimeInterval = 2,
        knownAddressMaximumDelay: TimeInterval = 60, maximumDelay: TimeInterval = 15 * 60, perAccount: Int = 10,
        perAddress: Int = 30
    ) {
        self.window = window
        self.freeAttempts = freeAttempts
        self.firstDelay = firstDelay
        self.knownAddressMaximumDelay = knownAddressMaximumDelay
        self.maximumDelay = maximumDelay
        self.perAccount = perAccount
        self.perAddress = perAddress
    }

    /// When this attempt may go ahead, given the failures before it; nil when it may now.
    public func waitUntil(_ attempt: SignInAttempt, now: Date) -> Date? {
        func until(_ times: [String], free: Int, cap: TimeInterval) -> Date? {
            guard times.count >= free, let last = times.last.flatMap(Accounts.date) else { return nil }
            let doublings = min(times.count - free, 30)
            let delay = min(firstDelay * Double(1 << doublings), cap)
            return last.addingTimeInterval(delay)
        }
        var limits: [Date?] = [
            until(
                attempt.forPair, free: freeAttempts, cap: attempt.knownAddress ? knownAddressMaximumDelay : maximumDelay)
        ]
        if !attempt.knownAddress {
            limits.append(until(attempt.forAccount, free: perAccount, cap: maximumDelay))
            limits.append(until(attempt.forAddress, free: perAddress, cap: maximumDelay))
        }
        guard let latest = limits.compactMap({ $0 }).max(), latest > now else { return nil }
        return latest
    }
}

/// Accounts, sessions and API tokens: the use cases behind sign-in, the admin pages and the CLI.
public struct Accounts: Sendable {
    public var store: AccountStore
    public var catalogue: StoreClient
    public var hasher: PasswordHasher
    public var now: @Sendable () -> Date
    public var throttle: LoginThrottle
    /// How long a session lasts from sign-in.
    public var sessionLifetime: TimeInterval

    /// The e-mail of the administrator created on first start.
    public static let firstAdminEmail = "admin@theodoi.local"

    public init(
        store: AccountStore, catalogue: StoreClient, hasher: PasswordHasher, now: @escaping @Sendable () -> Date,
        throttle: LoginThrottle = LoginThrottle(), sessionLifetime: TimeInterval = 12 * 3600
    ) {
        self.store = store
        self.catalogue = catalogue
        self.hasher = hasher
        self.now = now
        self.throttle = throttle
        self.sessionLifetime = sessionLifetime
    }

    static func date(_ iso: String) -> Date? { try? Date(iso, strategy: .iso8601) }

    // MARK: First start

    /// With no users at all, creates the first administrator with a random password that must be
    /// changed at first sign-in, and returns the e-mail and password (to print once). Nil when
    /// users exist, or another instance created the administrator first.
    public func bootstrapAdmin() async throws -> (email: String, password: String)? {
        guard try await store.userCount() == 0 else { return nil }
        let password = SecureToken.password(email: Accounts.firstAdminEmail)
        let user = NewUser(
            email: Accounts.firstAdminEmail, name: "Quản trị hệ thống", role: .admin, agencyID: nil,
            passwordHash: try await hasher.hash(password), mustChangePassword: true)
        do {
            _ = try await store.createUser(user, .system)
        } catch AccountStoreError.duplicateEmail {
            return nil
        }
        return (Accounts.firstAdminEmail, password)
    }

    // MARK: Signing in

    /// What a sign-in attempt gives.
    public enum SignInResult: Sendable {
        /// Signed in: the session token for the cookie (never stored) and who it is.
        case signedIn(token: String, identity: Identity)
        /// Wrong e-mail or password (the message does not say which).
        case refused
        /// The account is disabled (said only to someone who knows the password).
        case disabled
        /// Too many failures just now: the next attempt may come after this many seconds.
        case throttled(seconds: Int)
    }

    /// Checks the throttle, then the password; records failures and successes in the audit log.
    public func signIn(email rawEmail: String, password: String, address: String) async throws -> SignInResult {
        let email = UserRecord.normalizedEmail(rawEmail)
        let actor = AuditActor(userID: nil, label: email.isEmpty ? "(trống)" : email, address: address)
        let now = now()
        // The attempt is counted before the password is checked: parallel guesses all count.
        let attempt = try await store.beginSignInAttempt(email, address, now.addingTimeInterval(-throttle.window).ISO8601Format())
        if let until = throttle.waitUntil(attempt, now: now) {
            try await store.cancelSignInAttempt(attempt.id)
            try await store.appendAudit("session.sign-in-throttled", "email:\(email)", nil, nil, actor)
            return .throttled(seconds: max(1, Int(until.timeIntervalSince(now).rounded(.up))))
        }
        guard let credentials = try await store.credentials(email) else {
            // The same work as a real check, so timing does not tell which e-mails exist.
            _ = try await hasher.hash(password)
            try await store.recordLoginFailure(email, "unknown-user", actor)
            return .refused
        }
        guard try await hasher.verify(password, credentials.passwordHash) else {
            try await store.recordLoginFailure(email, "wrong-password", actor)
            return .refused
        }
        if credentials.user.disabled {
            try await store.recordLoginFailure(email, "disabled", actor)
            return .disabled
        }
        let token = SecureToken.make()
        let csrf = SecureToken.make()
        let digest = SecureToken.digest(token)
        try await store.createSession(
            digest, credentials.user, csrf, now.addingTimeInterval(sessionLifetime).ISO8601Format(),
            AuditActor(user: credentials.user, address: address))
        return .signedIn(token: token, identity: Identity(user: credentials.user, csrfToken: csrf, sessionDigest: digest))
    }

    /// The signed-in user of a session cookie's token; nil when unknown, expired or disabled.
    public func identity(sessionToken token: String) async throws -> Identity? {
        let digest = SecureToken.digest(token)
        guard let session = try await store.session(digest, now().ISO8601Format()) else { return nil }
        return Identity(user: session.user, csrfToken: session.csrfToken, sessionDigest: digest)
    }

    /// The user of an API token; nil when unknown, revoked or disabled.
    public func identity(apiToken token: String) async throws -> Identity? {
        guard let user = try await store.apiTokenUser(SecureToken.digest(token)) else { return nil }
        return Identity(user: user, csrfToken: nil, sessionDigest: nil)
    }

    public func signOut(_ identity: Identity, address: String) async throws {
        guard let digest = identity.sessionDigest else { return }
        try await store.deleteSession(digest, AuditActor(user: identity.user, address: address))
    }

    /// Changes one's own password after checking the current one; other sessions end.
    public func changePassword(
        _ identity: Identity, current: String, new: String, confirmation: String, address: String
    )
        async throws
    {
        guard let credentials = try await store.credentials(identity.user.email),
            try await hasher.verify(current, credentials.passwordHash)
        else {
            throw AccountError(
                .invalid, ["Mật khẩu hiện tại không đúng."], api: "current password is wrong", field: "current")
        }
        var problems = PasswordPolicy.problems(password: new, email: identity.user.email).map {
            FieldProblem(field: "new", message: $0)
        }
        if new == current { problems.append(FieldProblem(field: "new", message: "Mật khẩu mới phải khác mật khẩu hiện tại.")) }
        if new != confirmation {
            problems.append(FieldProblem(field: "confirmation", message: "Hai lần nhập mật khẩu mới không khớp nhau."))
        }
        guard problems.isEmpty else { throw AccountError(.invalid, problems: problems, api: "password rejected") }
        try await store.setPassword(
            identity.user.id, try await hasher.hash(new), false, identity.sessionDigest,
            AuditActor(user: identity.user, address: address))
    }

    // MARK: Administration

    /// Checks a user's fields; returns the normalised e-mail and name.
    func validate(
        email rawEmail: String?, name rawName: String, role: Role, agencyID: AgencyRecord.ID?
    ) async throws -> (
        email: String?, name: String
    ) {
        var problems: [FieldProblem] = []
        let email = rawEmail.map(UserRecord.normalizedEmail)
        if let email {
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            if parts.count != 2 || parts[0].isEmpty || !parts[1].contains(".") || email.contains(where: \.isWhitespace)
                || email.count > 254
            {
                problems.append(
                    FieldProblem(
                        field: "email",
                        message: "Địa chỉ thư điện tử “\(email)” không hợp lệ (ví dụ đúng: canbo@gialai.gov.vn)."))
            }
        }
        let name = VietnameseText.collapsingWhitespace(rawName)
        if name.isEmpty { problems.append(FieldProblem(field: "name", message: "Họ và tên không được để trống.")) }
        if name.count > 200 { problems.append(FieldProblem(field: "name", message: "Họ và tên dài quá 200 ký tự.")) }
        if role.needsAgency && agencyID == nil {
            problems.append(FieldProblem(field: "agency", message: "Cán bộ đơn vị phải thuộc một cơ quan: hãy chọn cơ quan."))
        }
        if let agencyID, !(try await catalogue.agencies().contains { $0.id == agencyID }) {
            problems.append(FieldProblem(field: "agency", message: "Không có cơ quan mã \(agencyID)."))
        }
        guard problems.isEmpty else {
            throw AccountError(.invalid, problems: problems, api: problems.map(\.message).joined(separator: " "))
        }
        return (email, name)
    }

    /// Creates a user with a random password that must be changed at first sign-in; returns it (shown once).
    public func createUser(
        email: String, name: String, role: Role, agencyID: AgencyRecord.ID?, by actor: AuditActor
    )
        async throws -> (user: UserRecord, password: String)
    {
        // Any role may belong to an agency (a monitor of Văn phòng Tỉnh ủy); officers must.
        let (checkedEmail, checkedName) = try await validate(email: email, name: name, role: role, agencyID: agencyID)
        let email = checkedEmail ?? ""
        let password = SecureToken.password(email: email)
        do {
            let user = try await store.createUser(
                NewUser(
                    email: email, name: checkedName, role: role, agencyID: agencyID,
                    passwordHash: try await hasher.hash(password),
                    mustChangePassword: true), actor)
            return (user, password)
        } catch AccountStoreError.duplicateEmail {
            throw AccountError(
                .invalid, ["Đã có người dùng với thư điện tử \(email)."], api: "a user with e-mail \(email) already exists",
                field: "email")
        }
    }

    /// Changes a user's name, role, agency or disabled flag.
    public func updateUser(
        _ id: UserRecord.ID, name: String, role: Role, agencyID: AgencyRecord.ID?, disabled: Bool, by actor: AuditActor
    )
        async throws -> UserRecord
    {
        guard let existing = try await store.user(id) else { throw Accounts.noSuchUser(id) }
        let (_, checkedName) = try await validate(email: nil, name: name, role: role, agencyID: agencyID)
        if existing.id == actor.userID && (disabled || role != .admin) && existing.role == .admin {
            throw AccountError(
                .invalid, ["Không thể tự khóa hoặc tự bỏ quyền quản trị của chính mình; hãy nhờ một quản trị khác."],
                api: "administrators cannot disable or demote themselves")
        }
        return try await store.updateUser(
            id, UserChange(name: checkedName, role: role, agencyID: agencyID, disabled: disabled), actor)
    }

    /// Sets a new random password that must be changed at next sign-in; ends the user's sessions.
    public func resetPassword(_ id: UserRecord.ID, by actor: AuditActor) async throws -> (user: UserRecord, password: String) {
        guard let user = try await store.user(id) else { throw Accounts.noSuchUser(id) }
        let password = SecureToken.password(email: user.email)
        try await store.setPassword(id, try await hasher.hash(password), true, nil, actor)
        return (user, password)
    }

    /// The user with this e-mail, or a not-found error.
    public func user(email: String) async throws -> UserRecord {
        let email = UserRecord.normalizedEmail(email)
        guard let user = try await store.credentials(email)?.user else {
            throw AccountError(.notFound, ["Không có người dùng \(email)."], api: "no user with e-mail \(email)")
        }
        return user
    }

    /// Creates an API token for a user; the token is returned once and only its digest is kept.
    public func createAPIToken(
        for user: UserRecord, label rawLabel: String, by actor: AuditActor
    ) async throws -> (
        record: APITokenRecord, token: String
    ) {
        let label = VietnameseText.collapsingWhitespace(rawLabel)
        guard label.count <= 100 else {
            throw AccountError(.invalid, ["Tên gợi nhớ của mã dài quá 100 ký tự."], api: "label is longer than 100 characters")
        }
        guard !user.disabled else {
            throw AccountError(.invalid, ["Tài khoản \(user.email) đang bị khóa."], api: "user \(user.email) is disabled")
        }
        let token = "tdk_" + SecureToken.make()
        let prefix = String(token.prefix(12))
        let record = try await store.createAPIToken(
            user.id, label.isEmpty ? "không tên" : label, SecureToken.digest(token), prefix, actor)
        return (record, token)
    }

    static func noSuchUser(_ id: UserRecord.ID) -> AccountError {
        AccountError(.notFound, ["Không có người dùng mã \(id)."], api: "no user with id \(id)")
    }
}
