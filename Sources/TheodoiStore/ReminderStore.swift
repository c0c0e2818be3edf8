import TheodoiCore

/// Ngày nghỉ lễ: a public holiday the administrator lists; reminders skip it like a weekend.
public struct Holiday: Sendable, Hashable {
    public var day: LocalDate
    public var name: String

    public init(day: LocalDate, name: String) {
        self.day = day
        self.name = name
    }
}

/// What a pass writes when it claims a reminder: the occasion and, for each recipient, the
/// in-app notification.
public struct ReminderClaim: Sendable, Hashable {
    public var key: String
    public var planID: PlanRecord.ID
    public var assignmentID: AssignmentRecord.ID?
    public var kind: ReminderKind
    public var sendOn: LocalDate
    public var recipients: [UserRecord.ID]
    public var title: String
    public var body: String
    /// The page the notification opens (a path on this site).
    public var link: String
    /// Outbox messages to queue with the claim: e-mails to recipients who want them at once, the webhook.
    public var messages: [OutboxMessage]

    public init(
        key: String, planID: PlanRecord.ID, assignmentID: AssignmentRecord.ID?, kind: ReminderKind, sendOn: LocalDate,
        recipients: [UserRecord.ID], title: String, body: String, link: String, messages: [OutboxMessage] = []
    ) {
        self.messages = messages
        self.key = key
        self.planID = planID
        self.assignmentID = assignmentID
        self.kind = kind
        self.sendOn = sendOn
        self.recipients = recipients
        self.title = title
        self.body = body
        self.link = link
    }
}

/// Thông báo: one notification in a user's list.
public struct NotificationRecord: Sendable, Hashable, Identifiable {
    public enum Marker {}
    public typealias ID = TypedID<Marker>

    public var id: ID
    public var kind: ReminderKind
    public var title: String
    public var body: String
    public var link: String
    /// ISO-8601 instant.
    public var createdAt: String
    public var readAt: String?

    public init(
        id: ID, kind: ReminderKind, title: String, body: String, link: String, createdAt: String, readAt: String?
    ) {
        self.id = id
        self.kind = kind
        self.title = title
        self.body = body
        self.link = link
        self.createdAt = createdAt
        self.readAt = readAt
    }
}

/// Reminders and notifications: each plan's rules, the holidays, the claims that make a reminder
/// go out once however many passes run, and every user's notifications.
public struct ReminderStore: Sendable {
    /// The plan's reminder rules; nil when the monitor kept the defaults.
    public var settings: @Sendable (_ plan: PlanRecord.ID) async throws -> ReminderSettings?
    /// Saves the plan's reminder rules (audited as `reminder.settings`).
    public var saveSettings:
        @Sendable (_ plan: PlanRecord.ID, _ settings: ReminderSettings, _ actor: AuditActor) async throws -> Void
    /// Every listed holiday, by date.
    public var holidays: @Sendable () async throws -> [Holiday]
    /// Adds or renames a holiday (audited as `holiday.set`).
    public var saveHoliday: @Sendable (_ holiday: Holiday, _ actor: AuditActor) async throws -> Void
    /// Removes a holiday (audited as `holiday.remove`); false when there was none that day.
    public var removeHoliday: @Sendable (_ day: LocalDate, _ actor: AuditActor) async throws -> Bool
    /// The keys of the plan's reminders already claimed (a pass skips them without writing).
    public var claimedKeys: @Sendable (_ plan: PlanRecord.ID) async throws -> Set<String>
    /// Claims a reminder by its unique key and writes its notifications in the same transaction;
    /// false when another pass claimed it first (nothing is written then).
    public var claim: @Sendable (_ claim: ReminderClaim, _ at: String) async throws -> Bool
    /// A user's notifications, newest first.
    public var notifications: @Sendable (_ user: UserRecord.ID, _ limit: Int, _ offset: Int) async throws -> [NotificationRecord]
    /// One of a user's notifications; nil when it is not theirs or does not exist.
    public var notification: @Sendable (_ user: UserRecord.ID, _ id: NotificationRecord.ID) async throws -> NotificationRecord?
    /// How many of a user's notifications are unread (the bell; read on every page, kept cheap).
    public var unread: @Sendable (_ user: UserRecord.ID) async throws -> Int
    /// How many of a user's notifications are unread, and how many there are.
    public var counts: @Sendable (_ user: UserRecord.ID) async throws -> (unread: Int, total: Int)
    /// Marks a user's notifications read (the given ones, or all when nil); returns how many changed.
    public var markRead: @Sendable (_ user: UserRecord.ID, _ ids: [NotificationRecord.ID]?, _ at: String) async throws -> Int

    public init(
        settings: @escaping @Sendable (PlanRecord.ID) async throws -> ReminderSettings?,
        saveSettings: @escaping @Sendable (PlanRecord.ID, ReminderSettings, AuditActor) async throws -> Void,
        holidays: @escaping @Sendable () async throws -> [Holiday],
        saveHoliday: @escaping @Sendable (Holiday, AuditActor) async throws -> Void,
        removeHoliday: @escaping @Sendable (LocalDate, AuditActor) async throws -> Bool,
        claimedKeys: @escaping @Sendable (PlanRecord.ID) async throws -> Set<String>,
        claim: @escaping @Sendable (ReminderClaim, String) async throws -> Bool,
        notifications: @escaping @Sendable (UserRecord.ID, Int, Int) async throws -> [NotificationRecord],
        notification: @escaping @Sendable (UserRecord.ID, NotificationRecord.ID) async throws -> NotificationRecord?,
        unread: @escaping @Sendable (UserRecord.ID) async throws -> Int,
        counts: @escaping @Sendable (UserRecord.ID) async throws -> (unread: Int, total: Int),
        markRead: @escaping @Sendable (UserRecord.ID, [NotificationRecord.ID]?, String) async throws -> Int
    ) {
        self.settings = settings
        self.saveSettings = saveSettings
        self.holidays = holidays
        self.saveHoliday = saveHoliday
        self.removeHoliday = removeHoliday
        self.claimedKeys = claimedKeys
        self.claim = claim
        self.notifications = notifications
        self.notification = notification
        self.unread = unread
        self.counts = counts
        self.markRead = markRead
    }
}

extension ReminderStore {
    /// Every closure fails; tests override the ones they need.
    public static var failing: ReminderStore {
        ReminderStore(
            settings: { _ in throw UnimplementedStoreCall(name: "settings") },
            saveSettings: { _, _, _ in throw UnimplementedStoreCall(name: "saveSettings") },
            holidays: { throw UnimplementedStoreCall(name: "holidays") },
            saveHoliday: { _, _ in throw UnimplementedStoreCall(name: "saveHoliday") },
            removeHoliday: { _, _ in throw UnimplementedStoreCall(name: "removeHoliday") },
            claimedKeys: { _ in throw UnimplementedStoreCall(name: "claimedKeys") },
            claim: { _, _ in throw UnimplementedStoreCall(name: "claim") },
            notifications: { _, _, _ in throw UnimplementedStoreCall(name: "notifications") },
            notification: { _, _ in throw UnimplementedStoreCall(name: "notification") },
            unread: { _ in throw UnimplementedStoreCall(name: "unread") },
            counts: { _ in throw UnimplementedStoreCall(name: "counts") },
            markRead: { _, _, _ in throw UnimplementedStoreCall(name: "markRead") })
    }
}
