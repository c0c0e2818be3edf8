import Foundation
import TheodoiCore

/// Người dùng: an official who signs in.
public struct UserRecord: Sendable, Hashable, Identifiable {
    /// Typed user id.
    public typealias ID = TypedID<UserRecord>

    public var id: ID
    /// Lower-case, trimmed; the sign-in name.
    public var email: String
    public var name: String
    public var role: Role
    /// The agency an officer belongs to; nil for the other roles.
    public var agencyID: AgencyRecord.ID?
    public var disabled: Bool
    /// Set when an administrator chose the password: the user must pick their own at next sign-in.
    public var mustChangePassword: Bool
    public var createdAt: String
    /// The agency's name, read with the user (the header names it).
    public var agencyName: String?

    public init(
        id: ID, email: String, name: String, role: Role, agencyID: AgencyRecord.ID?, disabled: Bool,
        mustChangePassword: Bool, createdAt: String, agencyName: String? = nil
    ) {
        self.agencyName = agencyName
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.agencyID = agencyID
        self.disabled = disabled
        self.mustChangePassword = mustChangePassword
        self.createdAt = createdAt
    }

    /// The sign-in name as stored: trimmed and lower-cased.
    public static func normalizedEmail(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// The fields the audit log records (never the password hash).
    public var auditValue: JSONValue {
        .object([
            ("email", .string(email)), ("name", .string(name)), ("role", .string(role.rawValue)),
            ("agency", agencyID.map { .int($0.rawValue) } ?? .null), ("disabled", .bool(disabled)),
        ])
    }
}

/// A user with the stored password hash, for signing in only.
public struct UserCredentials: Sendable {
    public var user: UserRecord
    public var passwordHash: String

    public init(user: UserRecord, passwordHash: String) {
        self.user = user
        self.passwordHash = passwordHash
    }
}

/// A user to create.
public struct NewUser: Sendable {
    public var email: String
    public var name: String
    public var role: Role
    public var agencyID: AgencyRecord.ID?
    public var passwordHash: String
    public var mustChangePassword: Bool

    public init(
        email: String, name: String, role: Role, agencyID: AgencyRecord.ID?, passwordHash: String, mustChangePassword: Bool
    ) {
        self.email = email
        self.name = name
        self.role = role
        self.agencyID = agencyID
        self.passwordHash = passwordHash
        self.mustChangePassword = mustChangePassword
    }
}

/// The editable fields of a user, all replaced at once.
public struct UserChange: Sendable, Hashable {
    public var name: String
    public var role: Role
    public var agencyID: AgencyRecord.ID?
    public var disabled: Bool

    public init(name: String, role: Role, agencyID: AgencyRecord.ID?, disabled: Bool) {
        self.name = name
        self.role = role
        self.agencyID = agencyID
        self.disabled = disabled
    }
}

/// A signed-in browser session. Only the token's digest is stored.
public struct SessionRecord: Sendable {
    public var tokenDigest: String
    public var user: UserRecord
    /// The token every form of this session must carry.
    public var csrfToken: String
    public var expiresAt: String

    public init(tokenDigest: String, user: UserRecord, csrfToken: String, expiresAt: String) {
        self.tokenDigest = tokenDigest
        self.user = user
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
    }
}

/// Mã truy cập API: a per-user bearer token. Only its digest is stored; `prefix` identifies it to people.
public struct APITokenRecord: Sendable, Hashable, Identifiable {
    /// Typed token id.
    public typealias ID = TypedID<APITokenRecord>

    public var id: ID
    public var userID: UserRecord.ID
    public var label: String
    public var prefix: String
    public var createdAt: String
    public var revokedAt: String?

    public init(id: ID, userID: UserRecord.ID, label: String, prefix: String, createdAt: String, revokedAt: String?) {
        self.id = id
        self.userID = userID
        self.label = label
        self.prefix = prefix
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// A sign-in attempt, counted before the password is checked (so parallel guesses are all
/// counted), with the earlier failures inside the throttling window: times ISO 8601, oldest first.
public struct SignInAttempt: Sendable, Hashable {
    /// The attempt's row; it stays as a failure unless the attempt succeeds or is throttled.
    public var id: Int
    /// Earlier failures on this account from this address.
    public var forPair: [String]
    /// Earlier failures on this account from any address.
    public var forAccount: [String]
    /// Earlier failures from this address on any account.
    public var forAddress: [String]
    /// Whether this account has signed in from this address before.
    public var knownAddress: Bool

    public init(id: Int, forPair: [String], forAccount: [String], forAddress: [String], knownAddress: Bool) {
        self.id = id
        self.forPair = forPair
        self.forAccount = forAccount
        self.forAddress = forAddress
        self.knownAddress = knownAddress
    }
}

/// The editable fields of an agency.
public struct AgencyChange: Sendable, Hashable {
    public var name: String
    public var shortName: String
    public var kind: AgencyKind
    public var aliases: [String]

    public init(name: String, shortName: String, kind: AgencyKind, aliases: [String]) {
        self.name = name
        self.shortName = shortName
        self.kind = kind
        self.aliases = aliases
    }
}
