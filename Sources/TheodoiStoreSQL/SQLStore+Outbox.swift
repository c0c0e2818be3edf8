import Foundation
import SQLKit
import TheodoiCore
import TheodoiStore

extension SQLStore {
    /// The `OutboxStore` backed by this store.
    public var outbox: OutboxStore {
        OutboxStore(
            emailModes: { [self] in
                try await read {
                    var modes: [UserRecord.ID: EmailMode] = [:]
                    for row in try await $0.raw("SELECT user_id, email_mode FROM notification_preferences").all() {
                        if let mode = EmailMode(rawValue: try row.decode(column: "email_mode", as: String.self)) {
                            modes[UserRecord.ID(try row.decode(column: "user_id", as: Int.self))] = mode
                        }
                    }
                    return modes
                }
            },
            setEmailMode: { [self] user, mode, actor in try await setEmailMode(user, mode, actor: actor) },
            undigested: { [self] user in
                try await read {
                    try await $0.raw(
                        """
                        SELECT id, kind, title, body, link, created_at, read_at FROM notifications
                        WHERE user_id = \(bind: user.rawValue) AND digested_at IS NULL ORDER BY id
                        """
                    ).all().map(SQLStore.notification)
                }
            },
            queueDigest: { [self] key, message, notifications, at in
                try await queueDigest(key, message, notifications, at: at)
            },
            lease: { [self] now, until, limit in try await lease(now: now, until: until, limit: limit) },
            finish: { [self] id, result in try await finish(id, result) },
            list: { [self] state, limit in
                try await read { database in
                    let rows =
                        if let state {
                            try await database.raw(
                                "SELECT \(unsafeRaw: SQLStore.outboxColumns) FROM outbox WHERE state = \(bind: state.rawValue) ORDER BY id DESC LIMIT \(bind: limit)"
                            ).all()
                        } else {
                            try await database.raw(
                                "SELECT \(unsafeRaw: SQLStore.outboxColumns) FROM outbox ORDER BY id DESC LIMIT \(bind: limit)"
                            ).all()
                        }
                    return try rows.map(SQLStore.outboxRecord)
                }
            },
            counts: { [self] in
                try await read {
                    var counts: [OutboxRecord.State: Int] = [:]
                    for row in try await $0.raw("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state").all() {
                        if let state = OutboxRecord.State(rawValue: try row.decode(column: "state", as: String.self)) {
                            counts[state] = try row.decode(column: "n", as: Int.self)
                        }
                    }
                    return counts
                }
            },
            retry: { [self] id, now, actor in try await retryOutbox(id, now: now, actor: actor) })
    }

    static let outboxColumns =
        "id, channel, user_id, to_address, subject, body, signature, state, attempts, next_attempt_at, last_error, created_at, sent_at"

    static func outboxRecord(_ row: any SQLRow) throws -> OutboxRecord {
        OutboxRecord(
            id: OutboxRecord.ID(try row.decode(column: "id", as: Int.self)),
            message: OutboxMessage(
                channel: OutboxMessage.Channel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .email,
                userID: try row.decode(column: "user_id", as: Int?.self).map { UserRecord.ID($0) },
                to: try row.decode(column: "to_address", as: String.self),
                subject: try row.decode(column: "subject", as: String.self),
                body: try row.decode(column: "body", as: String.self),
                signature: try row.decode(column: "signature", as: String?.self)),
            state: OutboxRecord.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .pending,
            attempts: try row.decode(column: "attempts", as: Int.self),
            nextAttemptAt: try row.decode(column: "next_attempt_at", as: String.self),
            lastError: try row.decode(column: "last_error", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: String.self),
            sentAt: try row.decode(column: "sent_at", as: String?.self))
    }

    static func enqueue(
        _ message: OutboxMessage, reminderID: Int?, digestKey: String?, at: String, on database: any SQLDatabase
    ) async throws {
        try await database.raw(
            """
            INSERT INTO outbox (channel, user_id, reminder_id, digest_key, to_address, subject, body, signature, state,
                attempts, next_attempt_at, created_at)
            VALUES (\(bind: message.channel.rawValue), \(bind: message.userID?.rawValue), \(bind: reminderID),
                \(bind: digestKey), \(bind: message.to), \(bind: message.subject), \(bind: message.body),
                \(bind: message.signature), 'pending', 0, \(bind: at), \(bind: at))
            """
        ).run()
    }

    func setEmailMode(_ user: UserRecord.ID, _ mode: EmailMode, actor: AuditActor) async throws {
        let now = now()
        try await audited(actor) { database in
            let before = try await database.raw(
                "SELECT email_mode FROM notification_preferences WHERE user_id = \(bind: user.rawValue)"
            ).first().map { try $0.decode(column: "email_mode", as: String.self) }
            if before == nil {
                try await database.raw(
                    """
                    INSERT INTO notification_preferences (user_id, email_mode, updated_at)
                    VALUES (\(bind: user.rawValue), \(bind: mode.rawValue), \(bind: now))
                    """
                ).run()
            } else {
                try await database.raw(
                    """
                    UPDATE notification_preferences SET email_mode = \(bind: mode.rawValue), updated_at = \(bind: now)
                    WHERE user_id = \(bind: user.rawValue)
                    """
                ).run()
            }
            return (
                (),
                AuditEntryDraft(
                    action: "notification.preferences", subject: "user:\(user)",
                    before: before.map { .object([("email", .string($0))]) }, after: .object([("email", .string(mode.rawValue))]))
            )
        }
    }

    func queueDigest(
        _ key: String, _ message: OutboxMessage, _ notifications: [NotificationRecord.ID], at: String
    )
        async throws -> Bool
    {
        let backend = sessions.backend
        return try await sessions.withSession { database in
            try await Transaction.run(on: database, backend: backend) { database in
                guard
                    try await database.raw(
                        """
                        INSERT INTO outbox (channel, user_id, digest_key, to_address, subject, body, state, attempts,
                            next_attempt_at, created_at)
                        VALUES ('email', \(bind: message.userID?.rawValue), \(bind: key), \(bind: message.to),
                            \(bind: message.subject), \(bind: message.body), 'pending', 0, \(bind: at), \(bind: at))
                        ON CONFLICT (digest_key) DO NOTHING RETURNING id
                        """
                    ).first() != nil
                else { return false }
                for id in notifications {
                    try await database.raw(
                        "UPDATE notifications SET digested_at = \(bind: at) WHERE id = \(bind: id.rawValue) AND digested_at IS NULL"
                    ).run()
                }
                return true
            }
        }
    }

    /// Leases due messages. The state test is repeated in the outer WHERE, so on PostgreSQL a row
    /// another pass leased meanwhile is re-checked after its lock and left out.
    func lease(now: String, until: String, limit: Int) async throws -> [OutboxRecord] {
        try await sessions.withSession { database in
            try await database.raw(
                """
                UPDATE outbox SET state = 'sending', lease_until = \(bind: until), attempts = attempts + 1
                WHERE id IN (
                    SELECT id FROM outbox
                    WHERE (state = 'pending' AND next_attempt_at <= \(bind: now)) OR (state = 'sending' AND lease_until < \(bind: now))
                    ORDER BY id LIMIT \(bind: limit))
                AND ((state = 'pending' AND next_attempt_at <= \(bind: now)) OR (state = 'sending' AND lease_until < \(bind: now)))
                RETURNING \(unsafeRaw: SQLStore.outboxColumns)
                """
            ).all().map(SQLStore.outboxRecord).sorted { $0.id < $1.id }
        }
    }

    func finish(_ id: OutboxRecord.ID, _ result: DeliveryResult) async throws {
        try await sessions.withSession { database in
            switch result {
            case .sent(let at):
                try await database.raw(
                    """
                    UPDATE outbox SET state = 'sent', sent_at = \(bind: at), lease_until = NULL, last_error = NULL
                    WHERE id = \(bind: id.rawValue)
                    """
                ).run()
            case .retry(let at, let error):
                try await database.raw(
                    """
                    UPDATE outbox SET state = 'pending', next_attempt_at = \(bind: at), lease_until = NULL,
                        last_error = \(bind: error)
                    WHERE id = \(bind: id.rawValue)
                    """
                ).run()
            case .failed(let error):
                try await database.raw(
                    """
                    UPDATE outbox SET state = 'failed', lease_until = NULL, last_error = \(bind: error)
                    WHERE id = \(bind: id.rawValue)
                    """
                ).run()
            }
        }
    }

    func retryOutbox(_ id: OutboxRecord.ID, now: String, actor: AuditActor) async throws -> Bool {
        try await audited(actor) { database in
            let changed = try await database.raw(
                """
                UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = \(bind: now)
                WHERE id = \(bind: id.rawValue) AND state = 'failed' RETURNING to_address, subject
                """
            ).first()
            guard let changed else { return (false, nil) }
            return (
                true,
                AuditEntryDraft(
                    action: "outbox.retry", subject: "outbox:\(id)", before: .object([("state", .string("failed"))]),
                    after: .object([
                        ("state", .string("pending")), ("to", .string(try changed.decode(column: "to_address", as: String.self))),
                        ("subject", .string(try changed.decode(column: "subject", as: String.self))),
                    ]))
            )
        }
    }
}
