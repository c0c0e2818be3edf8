import TheodoiCore

/// Persistence for accounts, sessions, API tokens and the audit log (STYLE rule 2). Every closure
/// that changes something takes the `AuditActor` and writes its audit entry in the same transaction.
public struct AccountStore: Sendable {
    /// How many users there are (0 on a first start).
    public var userCount: @Sendable () async throws -> Int
    /// Every user, by e-mail.
    public var users: @Sendable () async throws -> [UserRecord]
    public var user: @Sendable (_ id: UserRecord.ID) async throws -> UserRecord?
    /// The user with this e-mail and the password hash, for signing in.
    public var credentials: @Sendable (_ email: String) async throws -> UserCredentials?
    /// Creates a user; throws `AccountStoreError.duplicateEmail` when the e-mail is taken.
    public var createUser: @Sendable (_ user: NewUser, _ actor: AuditActor) async throws -> UserRecord
    /// Replaces a user's editable fields; disabling ends the user's sessions.
    public var updateUser: @Sendable (_ id: UserRecord.ID, _ change: UserChange, _ actor: AuditActor) async throws -> UserRecord
    /// Stores a new password hash and ends the user's other sessions (all when `keepSession` is nil).
    public var setPassword:
        @Sendable (
            _ id: UserRecord.ID, _ passwordHash: String, _ mustChange: Bool, _ keepSession: String?, _ actor: AuditActor
        ) async throws -> Void
    /// Starts a session (audited as a sign-in) and clears the account's failed sign-ins.
    public var createSession:
        @Sendable (_ tokenDigest: String, _ user: UserRecord, _ csrfToken: String, _ expiresAt: String, _ actor: AuditActor)
            async throws -> Void
    /// The live session with this token digest at `now` (ISO 8601), with an enabled user; nil otherwise.
    public var session: @Sendable (_ tokenDigest: String, _ now: String) async throws -> SessionRecord?
    /// Ends a session (audited as a sign-out).
    public var deleteSession: @Sendable (_ tokenDigest: String, _ actor: AuditActor) async throws -> Void
    /// Records a failed sign-in (audited; the password is never written).
    public var recordLoginFailure: @Sendable (_ email: String, _ reason: String, _ actor: AuditActor) async throws -> Void
    /// Counts a sign-in attempt before its password is checked, atomically with reading the
    /// failures since `since` (attempts on one account are serialised).
    public var beginSignInAttempt: @Sendable (_ email: String, _ address: String, _ since: String) async throws -> SignInAttempt
    /// Forgets an attempt that was throttled before its password was checked.
    public var cancelSignInAttempt: @Sendable (_ id: Int) async throws -> Void
    /// Failed sign-ins since `since` (ISO 8601) for the account and for the address.
    /// Creates an API token for a user.
    public var createAPIToken:
        @Sendable (_ user: UserRecord.ID, _ label: String, _ tokenDigest: String, _ prefix: String, _ actor: AuditActor)
            async throws
            -> APITokenRecord
    /// The user of an unrevoked token whose owner is enabled.
    public var apiTokenUser: @Sendable (_ tokenDigest: String) async throws -> UserRecord?
    /// A user's tokens, newest first.
    public var apiTokens: @Sendable (_ user: UserRecord.ID) async throws -> [APITokenRecord]
    /// Revokes a token; false when there is no such unrevoked token.
    public var revokeAPIToken: @Sendable (_ id: APITokenRecord.ID, _ actor: AuditActor) async throws -> Bool
    /// Appends an entry that goes with no other change (a publication, a command).
    public var appendAudit:
        @Sendable (_ action: String, _ subject: String, _ before: JSONValue?, _ after: JSONValue?, _ actor: AuditActor)
            async throws
            -> Void
    /// A filtered page of the audit log, newest first.
    public var auditLog: @Sendable (_ filter: AuditFilter) async throws -> AuditPage
    /// Up to `limit` entries after `sequence`, oldest first (for verifying the chain).
    public var auditEntries: @Sendable (_ after: Int, _ limit: Int) async throws -> [AuditRecord]

    public init(
        userCount: @escaping @Sendable () async throws -> Int,
        users: @escaping @Sendable () async throws -> [UserRecord],
        user: @escaping @Sendable (UserRecord.ID) async throws -> UserRecord?,
        credentials: @escaping @Sendable (String) async throws -> UserCredentials?,
        createUser: @escaping @Sendable (NewUser, AuditActor) async throws -> UserRecord,
        updateUser: @escaping @Sendable (UserRecord.ID, UserChange, AuditActor) async throws -> UserRecord,
        setPassword: @escaping @Sendable (UserRecord.ID, String, Bool, String?, AuditActor) async throws -> Void,
        createSession: @escaping @Sendable (String, UserRecord, String, String, AuditActor) async throws -> Void,
        session: @escaping @Sendable (String, String) async throws -> SessionRecord?,
        deleteSession: @escaping @Sendable (String, AuditActor) async throws -> Void,
        recordLoginFailure: @escaping @Sendable (String, String, AuditActor) async throws -> Void,
        beginSignInAttempt: @escaping @Sendable (String, String, String) async throws -> SignInAttempt,
        cancelSignInAttempt: @escaping @Sendable (Int) async throws -> Void,
        createAPIToken: @escaping @Sendable (UserRecord.ID, String, String, String, AuditActor) async throws -> APITokenRecord,
        apiTokenUser: @escaping @Sendable (String) async throws -> UserRecord?,
        apiTokens: @escaping @Sendable (UserRecord.ID) async throws -> [APITokenRecord],
        revokeAPIToken: @escaping @Sendable (APITokenRecord.ID, AuditActor) async throws -> Bool,
        appendAudit: @escaping @Sendable (String, String, JSONValue?, JSONValue?, AuditActor) async throws -> Void,
        auditLog: @escaping @Sendable (AuditFilter) async throws -> AuditPage,
        auditEntries: @escaping @Sendable (Int, Int) async throws -> [AuditRecord]
    ) {
        self.userCount = userCount
        self.users = users
        self.user = user
        self.credentials = credentials
        self.createUser = createUser
        self.updateUser = updateUser
        self.setPassword = setPassword
        self.createSession = createSession
        self.session = session
        self.deleteSession = deleteSession
        self.recordLoginFailure = recordLoginFailure
        self.beginSignInAttempt = beginSignInAttempt
        self.cancelSignInAttempt = cancelSignInAttempt
        self.createAPIToken = createAPIToken
        self.apiTokenUser = apiTokenUser
        self.apiTokens = apiTokens
        self.revokeAPIToken = revokeAPIToken
        self.appendAudit = appendAudit
        self.auditLog = auditLog
        self.auditEntries = auditEntries
    }
}

/// An account change the store refused.
public enum AccountStoreError: Error, Equatable, CustomStringConvertible {
    case duplicateEmail(String)
    case noSuchUser(UserRecord.ID)

    public var description: String {
        switch self {
        case .duplicateEmail(let email): "a user with e-mail \(email) already exists"
        case .noSuchUser(let id): "no user with id \(id)"
        }
    }
}

extension AccountStore {
    /// Every closure fails; tests override the ones they need.
    public static var failing: AccountStore {
        AccountStore(
            userCount: { throw UnimplementedStoreCall(name: "userCount") },
            users: { throw UnimplementedStoreCall(name: "users") },
            user: { _ in throw UnimplementedStoreCall(name: "user") },
            credentials: { _ in throw UnimplementedStoreCall(name: "credentials") },
            createUser: { _, _ in throw UnimplementedStoreCall(name: "createUser") },
            updateUser: { _, _, _ in throw UnimplementedStoreCall(name: "updateUser") },
            setPassword: { _, _, _, _, _ in throw UnimplementedStoreCall(name: "setPassword") },
            createSession: { _, _, _, _, _ in throw UnimplementedStoreCall(name: "createSession") },
            session: { _, _ in throw UnimplementedStoreCall(name: "session") },
            deleteSession: { _, _ in throw UnimplementedStoreCall(name: "deleteSession") },
            recordLoginFailure: { _, _, _ in throw UnimplementedStoreCall(name: "recordLoginFailure") },
            beginSignInAttempt: { _, _, _ in throw UnimplementedStoreCall(name: "beginSignInAttempt") },
            cancelSignInAttempt: { _ in throw UnimplementedStoreCall(name: "cancelSignInAttempt") },
            createAPIToken: { _, _, _, _, _ in throw UnimplementedStoreCall(name: "createAPIToken") },
            apiTokenUser: { _ in throw UnimplementedStoreCall(name: "apiTokenUser") },
            apiTokens: { _ in throw UnimplementedStoreCall(name: "apiTokens") },
            revokeAPIToken: { _, _ in throw UnimplementedStoreCall(name: "revokeAPIToken") },
            appendAudit: { _, _, _, _, _ in throw UnimplementedStoreCall(name: "appendAudit") },
            auditLog: { _ in throw UnimplementedStoreCall(name: "auditLog") },
            auditEntries: { _, _ in throw UnimplementedStoreCall(name: "auditEntries") })
    }
}
