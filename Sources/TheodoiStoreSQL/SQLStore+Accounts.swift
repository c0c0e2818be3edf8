import Foundation
import SQLKit
import TheodoiCore
import TheodoiStore

extension SQLStore {
    /// The `AccountStore` backed by this store.
    public var accounts: AccountStore {
        AccountStore(
            userCount: { [self] in
                try await read {
                    try await $0.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n", as: Int.self) ?? 0
                }
            },
            users: { [self] in
                try await read {
                    try await $0.raw("SELECT \(unsafeRaw: SQLStore.userColumns) FROM users ORDER BY email").all().map(
                        SQLStore.userRecord)
                }
            },
            user: { [self] id in try await read { try await SQLStore.user(id, on: $0) } },
            credentials: { [self] email in
                try await read { database in
                    try await database.raw(
                        "SELECT \(unsafeRaw: SQLStore.userColumns), password_hash FROM users WHERE email = \(bind: email)"
                    ).first().map {
                        UserCredentials(
                            user: try SQLStore.userRecord($0),
                            passwordHash: try $0.decode(column: "password_hash", as: String.self))
                    }
                }
            },
            createUser: { [self] user, actor in try await createUser(user, actor: actor) },
            updateUser: { [self] id, change, actor in try await updateUser(id, change, actor: actor) },
            setPassword: { [self] id, hash, mustChange, keep, actor in
                try await setPassword(id, hash: hash, mustChange: mustChange, keepSession: keep, actor: actor)
            },
            createSession: { [self] digest, user, csrf, expires, actor in
                let now = now()
                try await audited(actor) { database in
                    try await database.raw(
                        """
                        INSERT INTO sessions (token_digest, user_id, csrf_token, created_at, expires_at)
                        VALUES (\(bind: digest), \(bind: user.id.rawValue), \(bind: csrf), \(bind: now), \(bind: expires))
                        """
                    ).run()
                    // Success clears this address's failures on the account (not other addresses') and
                    // makes the address known to the throttle.
                    try await database.raw(
                        "DELETE FROM login_failures WHERE email = \(bind: user.email) AND address = \(bind: actor.address)"
                    ).run()
                    try await database.raw(
                        """
                        INSERT INTO sign_in_addresses (email, address, last_at) VALUES (\(bind: user.email), \(bind: actor.address), \(bind: now))
                        ON CONFLICT (email, address) DO UPDATE SET last_at = excluded.last_at
                        """
                    ).run()
                    try await database.raw("DELETE FROM sessions WHERE expires_at < \(bind: now)").run()
                    return ((), AuditEntryDraft(action: "session.sign-in", subject: "user:\(user.id)", before: nil, after: nil))
                }
            },
            session: { [self] digest, now in
                try await read { database in
                    try await database.raw(
                        """
                        SELECT s.token_digest, s.csrf_token, s.expires_at, \(unsafeRaw: SQLStore.userColumns("u."))
                        FROM sessions s JOIN users u ON u.id = s.user_id
                        WHERE s.token_digest = \(bind: digest) AND s.expires_at > \(bind: now) AND u.disabled = 0
                        """
                    ).first().map {
                        SessionRecord(
                            tokenDigest: try $0.decode(column: "token_digest", as: String.self),
                            user: try SQLStore.userRecord($0),
                            csrfToken: try $0.decode(column: "csrf_token", as: String.self),
                            expiresAt: try $0.decode(column: "expires_at", as: String.self))
                    }
                }
            },
            deleteSession: { [self] digest, actor in
                try await audited(actor) { database in
                    let row = try await database.raw("SELECT user_id FROM sessions WHERE token_digest = \(bind: digest)").first()
                    guard let row else { return ((), nil) }
                    try await database.raw("DELETE FROM sessions WHERE token_digest = \(bind: digest)").run()
                    let user = try row.decode(column: "user_id", as: Int.self)
                    return ((), AuditEntryDraft(action: "session.sign-out", subject: "user:\(user)", before: nil, after: nil))
                }
            },
            recordLoginFailure: { [self] email, reason, actor in
                // The attempt's row was written before the check (`beginSignInAttempt`); this audits it.
                let dayAgo = clock().addingTimeInterval(-86_400).ISO8601Format()
                try await audited(actor) { database in
                    try await database.raw("DELETE FROM login_failures WHERE at < \(bind: dayAgo)").run()
                    return (
                        (),
                        AuditEntryDraft(
                            action: "session.sign-in-failed", subject: "email:\(email)", before: nil,
                            after: .object([("reason", .string(reason))]))
                    )
                }
            },
            beginSignInAttempt: { [self] email, address, since in try await beginSignInAttempt(email, address, since: since) },
            cancelSignInAttempt: { [self] id in
                try await sessions.withSession { try await $0.raw("DELETE FROM login_failures WHERE id = \(bind: id)").run() }
            },
            createAPIToken: { [self] userID, label, digest, prefix, actor in
                let now = now()
                return try await audited(actor) { database in
                    let row = try await database.raw(
                        """
                        INSERT INTO api_tokens (user_id, label, prefix, token_digest, created_at)
                        VALUES (\(bind: userID.rawValue), \(bind: label), \(bind: prefix), \(bind: digest), \(bind: now))
                        RETURNING id
                        """
                    ).first()
                    let id = APITokenRecord.ID(try row?.decode(column: "id", as: Int.self) ?? 0)
                    let record = APITokenRecord(
                        id: id, userID: userID, label: label, prefix: prefix, createdAt: now, revokedAt: nil)
                    return (
                        record,
                        AuditEntryDraft(
                            action: "token.create", subject: "user:\(userID)", before: nil,
                            after: .object([("token", .int(id.rawValue)), ("label", .string(label)), ("prefix", .string(prefix))])
                        )
                    )
                }
            },
            apiTokenUser: { [self] digest in
                try await read { database in
                    try await database.raw(
                        """
                        SELECT \(unsafeRaw: SQLStore.userColumns("u.")) FROM api_tokens t JOIN users u ON u.id = t.user_id
                        WHERE t.token_digest = \(bind: digest) AND t.revoked_at IS NULL AND u.disabled = 0
                        """
                    ).first().map(SQLStore.userRecord)
                }
            },
            apiTokens: { [self] userID in
                try await read { database in
                    try await database.raw(
                        """
                        SELECT id, user_id, label, prefix, created_at, revoked_at FROM api_tokens
                        WHERE user_id = \(bind: userID.rawValue) ORDER BY id DESC
                        """
                    ).all().map {
                        APITokenRecord(
                            id: APITokenRecord.ID(try $0.decode(column: "id", as: Int.self)),
                            userID: UserRecord.ID(try $0.decode(column: "user_id", as: Int.self)),
                            label: try $0.decode(column: "label", as: String.self),
                            prefix: try $0.decode(column: "prefix", as: String.self),
                            createdAt: try $0.decode(column: "created_at", as: String.self),
                            revokedAt: try $0.decode(column: "revoked_at", as: String?.self))
                    }
                }
            },
            revokeAPIToken: { [self] id, actor in
                let now = now()
                return try await audited(actor) { database in
                    let row = try await database.raw(
                        "SELECT user_id, label FROM api_tokens WHERE id = \(bind: id.rawValue) AND revoked_at IS NULL"
                    ).first()
                    guard let row else { return (false, nil) }
                    try await database.raw("UPDATE api_tokens SET revoked_at = \(bind: now) WHERE id = \(bind: id.rawValue)")
                        .run()
                    let user = try row.decode(column: "user_id", as: Int.self)
                    return (
                        true,
                        AuditEntryDraft(
                            action: "token.revoke", subject: "user:\(user)",
                            before: .object([("token", .int(id.rawValue)), ("revoked", .bool(false))]),
                            after: .object([("token", .int(id.rawValue)), ("revoked", .bool(true))]))
                    )
                }
            },
            appendAudit: { [self] action, subject, before, after, actor in
                try await appendAudit(action: action, subject: subject, before: before, after: after, actor: actor)
            },
            auditLog: { [self] filter in try await auditLog(filter) },
            auditEntries: { [self] after, limit in try await auditEntries(after: after, limit: limit) })
    }

    static let userColumns = userColumns("")

    static func userColumns(_ prefix: String) -> String {
        ["id", "email", "name", "role", "agency_id", "disabled", "must_change_password", "created_at"]
            .map { "\(prefix)\($0) AS user_\($0)" }.joined(separator: ", ")
            + ", (SELECT a.name FROM agencies a WHERE a.id = \(prefix)agency_id) AS user_agency_name"
    }

    static func userRecord(_ row: any SQLRow) throws -> UserRecord {
        UserRecord(
            id: UserRecord.ID(try row.decode(column: "user_id", as: Int.self)),
            email: try row.decode(column: "user_email", as: String.self),
            name: try row.decode(column: "user_name", as: String.self),
            role: Role(rawValue: try row.decode(column: "user_role", as: String.self)) ?? .leader,
            agencyID: try row.decode(column: "user_agency_id", as: Int?.self).map(AgencyRecord.ID.init),
            disabled: try row.decode(column: "user_disabled", as: Int.self) != 0,
            mustChangePassword: try row.decode(column: "user_must_change_password", as: Int.self) != 0,
            createdAt: try row.decode(column: "user_created_at", as: String.self),
            agencyName: try row.decode(column: "user_agency_name", as: String?.self))
    }

    static func user(_ id: UserRecord.ID, on database: any SQLDatabase) async throws -> UserRecord? {
        try await database.raw("SELECT \(unsafeRaw: userColumns) FROM users WHERE id = \(bind: id.rawValue)").first()
            .map(userRecord)
    }

    func createUser(_ user: NewUser, actor: AuditActor) async throws -> UserRecord {
        let now = now()
        return try await audited(actor) { database in
            if try await database.raw("SELECT id FROM users WHERE email = \(bind: user.email)").first() != nil {
                throw AccountStoreError.duplicateEmail(user.email)
            }
            let row = try await database.raw(
                """
                INSERT INTO users (email, name, role, agency_id, password_hash, disabled, must_change_password, created_at, updated_at)
                VALUES (\(bind: user.email), \(bind: user.name), \(bind: user.role.rawValue), \(bind: user.agencyID?.rawValue),
                    \(bind: user.passwordHash), 0, \(bind: user.mustChangePassword ? 1 : 0), \(bind: now), \(bind: now))
                RETURNING id
                """
            ).first()
            guard let id = try row?.decode(column: "id", as: Int.self),
                let record = try await SQLStore.user(UserRecord.ID(id), on: database)
            else { throw AccountStoreError.duplicateEmail(user.email) }
            return (record, AuditEntryDraft(action: "user.create", subject: "user:\(id)", before: nil, after: record.auditValue))
        }
    }

    func updateUser(_ id: UserRecord.ID, _ change: UserChange, actor: AuditActor) async throws -> UserRecord {
        let now = now()
        return try await audited(actor) { database in
            guard let before = try await SQLStore.user(id, on: database) else { throw AccountStoreError.noSuchUser(id) }
            try await database.raw(
                """
                UPDATE users SET name = \(bind: change.name), role = \(bind: change.role.rawValue),
                    agency_id = \(bind: change.agencyID?.rawValue), disabled = \(bind: change.disabled ? 1 : 0), updated_at = \(bind: now)
                WHERE id = \(bind: id.rawValue)
                """
            ).run()
            if change.disabled {
                // A disabled account loses its sessions and API tokens for good: enabling it again
                // brings back neither.
                try await database.raw("DELETE FROM sessions WHERE user_id = \(bind: id.rawValue)").run()
                try await SQLStore.revokeTokens(of: id, at: now, on: database)
            }
            guard let after = try await SQLStore.user(id, on: database) else { throw AccountStoreError.noSuchUser(id) }
            guard before != after else { return (after, nil) }
            return (
                after,
                AuditEntryDraft(action: "user.update", subject: "user:\(id)", before: before.auditValue, after: after.auditValue)
            )
        }
    }

    func setPassword(_ id: UserRecord.ID, hash: String, mustChange: Bool, keepSession: String?, actor: AuditActor) async throws {
        let now = now()
        try await audited(actor) { database in
            guard try await SQLStore.user(id, on: database) != nil else { throw AccountStoreError.noSuchUser(id) }
            try await database.raw(
                """
                UPDATE users SET password_hash = \(bind: hash), must_change_password = \(bind: mustChange ? 1 : 0), updated_at = \(bind: now)
                WHERE id = \(bind: id.rawValue)
                """
            ).run()
            try await database.raw(
                "DELETE FROM sessions WHERE user_id = \(bind: id.rawValue) AND token_digest <> \(bind: keepSession ?? "")"
            ).run()
            // A new password ends every other way in: sessions elsewhere and API tokens.
            try await SQLStore.revokeTokens(of: id, at: now, on: database)
            // The hash is never logged: only that the password changed, and who must change it next.
            return (
                (),
                AuditEntryDraft(
                    action: mustChange ? "user.reset-password" : "user.change-password", subject: "user:\(id)", before: nil,
                    after: .object([("password", .string("đã đổi")), ("mustChangePassword", .bool(mustChange))]))
            )
        }
    }
}

extension SQLStore {
    /// The advisory lock key that serialises sign-in attempts on PostgreSQL.
    static let signInLockKey = 7_466_002

    static func revokeTokens(of user: UserRecord.ID, at now: String, on database: any SQLDatabase) async throws {
        try await database.raw(
            "UPDATE api_tokens SET revoked_at = \(bind: now) WHERE user_id = \(bind: user.rawValue) AND revoked_at IS NULL"
        ).run()
    }

    /// Writes the attempt and reads the failures before it in one serialised transaction (SQLite's
    /// `BEGIN IMMEDIATE`; an advisory lock on PostgreSQL), so parallel guesses each see the others.
    func beginSignInAttempt(_ email: String, _ address: String, since: String) async throws -> SignInAttempt {
        let backend = sessions.backend
        let now = now()
        return try await sessions.withSession { database in
            try await Transaction.run(on: database, backend: backend) { database in
                if backend == .postgres {
                    try await database.raw("SELECT pg_advisory_xact_lock(\(bind: SQLStore.signInLockKey))").run()
                }
                func times(_ condition: SQLQueryString) async throws -> [String] {
                    try await database.raw(
                        "SELECT at FROM login_failures WHERE \(condition) AND at >= \(bind: since) ORDER BY at, id"
                    )
                    .all().map { try $0.decode(column: "at", as: String.self) }
                }
                let pair = try await times("email = \(bind: email) AND address = \(bind: address)")
                let account = try await times("email = \(bind: email)")
                let fromAddress = try await times("address = \(bind: address)")
                let known =
                    try await database.raw(
                        "SELECT 1 AS one FROM sign_in_addresses WHERE email = \(bind: email) AND address = \(bind: address)"
                    ).first() != nil
                let row = try await database.raw(
                    "INSERT INTO login_failures (email, address, at) VALUES (\(bind: email), \(bind: address), \(bind: now)) RETURNING id"
                ).first()
                return SignInAttempt(
                    id: try row?.decode(column: "id", as: Int.self) ?? 0, forPair: pair, forAccount: account,
                    forAddress: fromAddress, knownAddress: known)
            }
        }
    }
}
