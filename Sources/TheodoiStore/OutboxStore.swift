/// Thư điện tử: how a user wants reminders by e-mail.
public enum EmailMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// No e-mail (in-app notifications only).
    case off
    /// One e-mail per reminder, as it is claimed.
    case immediate
    /// One e-mail a day with the day's reminders.
    case digest

    /// The label users pick from.
    public var vietnamese: String {
        switch self {
        case .off: "Không gửi thư"
        case .immediate: "Gửi thư ngay mỗi lần nhắc"
        case .digest: "Gửi một thư tổng hợp mỗi ngày"
        }
    }
}

/// A message to put in the outbox: an e-mail, or a webhook's JSON POST.
public struct OutboxMessage: Sendable, Hashable {
    public enum Channel: String, Sendable, Hashable, CaseIterable, Codable {
        case email, webhook
    }

    public var channel: Channel
    public var userID: UserRecord.ID?
    /// The e-mail address, or the webhook's URL.
    public var to: String
    /// The e-mail's subject, or the reminder's title for a webhook.
    public var subject: String
    /// The e-mail's text, or the webhook's JSON.
    public var body: String
    /// A webhook's `sha256=<HMAC of the body>` under the plan's secret.
    public var signature: String?

    public init(
        channel: Channel = .email, userID: UserRecord.ID?, to: String, subject: String, body: String, signature: String? = nil
    ) {
        self.channel = channel
        self.userID = userID
        self.to = to
        self.subject = subject
        self.body = body
        self.signature = signature
    }
}

/// One outbox row: its message and delivery state.
public struct OutboxRecord: Sendable, Hashable, Identifiable {
    public enum Marker {}
    public typealias ID = TypedID<Marker>

    /// pending (waiting for its next attempt), sending (leased by a pass), sent, failed (gave up).
    public enum State: String, Sendable, Hashable, CaseIterable, Codable {
        case pending, sending, sent, failed

        public var vietnamese: String {
            switch self {
            case .pending: "Chờ gửi"
            case .sending: "Đang gửi"
            case .sent: "Đã gửi"
            case .failed: "Gửi không được"
            }
        }
    }

    public var id: ID
    public var message: OutboxMessage
    public var state: State
    public var attempts: Int
    public var nextAttemptAt: String
    public var lastError: String?
    public var createdAt: String
    public var sentAt: String?

    public init(
        id: ID, message: OutboxMessage, state: State, attempts: Int, nextAttemptAt: String, lastError: String?,
        createdAt: String, sentAt: String?
    ) {
        self.id = id
        self.message = message
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.sentAt = sentAt
    }
}

/// What became of one delivery attempt.
public enum DeliveryResult: Sendable, Hashable {
    case sent(at: String)
    /// Failed this time; try again at the given instant.
    case retry(at: String, error: String)
    /// Failed too often; stays visible as failed until someone retries it.
    case failed(error: String)
}

/// E-mail preferences and the outbox: messages wait here until a pass hands them to `sendmail`,
/// each leased by one pass at a time, retried with back-off, failures kept visible.
public struct OutboxStore: Sendable {
    /// Every saved choice (users with none get e-mail at once).
    public var emailModes: @Sendable () async throws -> [UserRecord.ID: EmailMode]
    /// Saves a user's choice (audited as `notification.preferences`).
    public var setEmailMode: @Sendable (_ user: UserRecord.ID, _ mode: EmailMode, _ actor: AuditActor) async throws -> Void
    /// A user's notifications no digest has taken yet, oldest first.
    public var undigested: @Sendable (_ user: UserRecord.ID) async throws -> [NotificationRecord]
    /// Queues a digest under its unique key and marks its notifications digested, in one transaction;
    /// false when that digest was queued already.
    public var queueDigest:
        @Sendable (_ key: String, _ message: OutboxMessage, _ notifications: [NotificationRecord.ID], _ at: String) async throws
            ->
            Bool
    /// Leases up to `limit` messages due at `now` (pending and due, or sending with a lapsed lease)
    /// until `until`; a message leased by one pass is not leased by another.
    public var lease: @Sendable (_ now: String, _ until: String, _ limit: Int) async throws -> [OutboxRecord]
    /// Records the result of an attempt.
    public var finish: @Sendable (_ id: OutboxRecord.ID, _ result: DeliveryResult) async throws -> Void
    /// The outbox, newest first, optionally one state only.
    public var list: @Sendable (_ state: OutboxRecord.State?, _ limit: Int) async throws -> [OutboxRecord]
    /// How many messages are in each state.
    public var counts: @Sendable () async throws -> [OutboxRecord.State: Int]
    /// Puts a failed message back in the queue at once (audited as `outbox.retry`); false when it is not failed.
    public var retry: @Sendable (_ id: OutboxRecord.ID, _ now: String, _ actor: AuditActor) async throws -> Bool

    public init(
        emailModes: @escaping @Sendable () async throws -> [UserRecord.ID: EmailMode],
        setEmailMode: @escaping @Sendable (UserRecord.ID, EmailMode, AuditActor) async throws -> Void,
        undigested: @escaping @Sendable (UserRecord.ID) async throws -> [NotificationRecord],
        queueDigest: @escaping @Sendable (String, OutboxMessage, [NotificationRecord.ID], String) async throws -> Bool,
        lease: @escaping @Sendable (String, String, Int) async throws -> [OutboxRecord],
        finish: @escaping @Sendable (OutboxRecord.ID, DeliveryResult) async throws -> Void,
        list: @escaping @Sendable (OutboxRecord.State?, Int) async throws -> [OutboxRecord],
        counts: @escaping @Sendable () async throws -> [OutboxRecord.State: Int],
        retry: @escaping @Sendable (OutboxRecord.ID, String, AuditActor) async throws -> Bool
    ) {
        self.emailModes = emailModes
        self.setEmailMode = setEmailMode
        self.undigested = undigested
        self.queueDigest = queueDigest
        self.lease = lease
        self.finish = finish
        self.list = list
        self.counts = counts
        self.retry = retry
    }
}
