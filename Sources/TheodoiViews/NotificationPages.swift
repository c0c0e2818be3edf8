/// One notification in the list.
public struct NotificationRow: Sendable {
    public var id: Int
    public var kind: String
    public var kindLabel: String
    public var title: String
    public var body: String
    public var when: String
    public var unread: Bool
    public var openHref: String

    public init(
        id: Int, kind: String, kindLabel: String, title: String, body: String, when: String, unread: Bool, openHref: String
    ) {
        self.id = id
        self.kind = kind
        self.kindLabel = kindLabel
        self.title = title
        self.body = body
        self.when = when
        self.unread = unread
        self.openHref = openHref
    }
}

/// `/notifications`: the signed-in user's reminders, newest first.
public struct NotificationsPage: Sendable {
    public var layout: Layout
    public var csrf: String
    public var rows: [NotificationRow]
    public var unread: Int
    public var total: Int
    public var readAllHref: String
    public var previousHref: String?
    public var nextHref: String?
    /// The e-mail choices, the user's address, and where to post a change.
    public var emailModes: [Option]
    public var email: String
    public var emailEnabled: Bool
    public var preferencesHref: String
    public var notice: String?
    public let hasRows: Bool
    public let hasUnread: Bool

    public init(
        layout: Layout, csrf: String, rows: [NotificationRow], unread: Int, total: Int, readAllHref: String,
        previousHref: String?, nextHref: String?, emailModes: [Option], email: String, emailEnabled: Bool,
        preferencesHref: String, notice: String?
    ) {
        self.emailModes = emailModes
        self.email = email
        self.emailEnabled = emailEnabled
        self.preferencesHref = preferencesHref
        self.notice = notice
        self.layout = layout
        self.csrf = csrf
        self.rows = rows
        self.unread = unread
        self.total = total
        self.readAllHref = readAllHref
        self.previousHref = previousHref
        self.nextHref = nextHref
        hasRows = !rows.isEmpty
        hasUnread = unread > 0
    }
}

/// One outbox row as the administrator sees it.
public struct OutboxRow: Sendable {
    public var id: Int
    public var to: String
    public var subject: String
    public var state: String
    public var stateLabel: String
    public var attempts: Int
    public var created: String
    public var next: String
    public var lastError: String
    public var failed: Bool
    public var retryHref: String

    public init(
        id: Int, to: String, subject: String, state: String, stateLabel: String, attempts: Int, created: String, next: String,
        lastError: String, failed: Bool, retryHref: String
    ) {
        self.id = id
        self.to = to
        self.subject = subject
        self.state = state
        self.stateLabel = stateLabel
        self.attempts = attempts
        self.created = created
        self.next = next
        self.lastError = lastError
        self.failed = failed
        self.retryHref = retryHref
    }
}

/// `/admin/outbox`: reminder e-mails waiting, sent, failed (with their error), and a retry.
public struct OutboxPage: Sendable {
    public var layout: Layout
    public var csrf: String
    public var tabs: [ListTab]
    public var rows: [OutboxRow]
    public var mailNote: String
    /// What the last action did, if anything (nil renders nothing).
    public var notice: String?
    public let hasRows: Bool

    public init(layout: Layout, csrf: String, tabs: [ListTab], rows: [OutboxRow], mailNote: String) {
        self.layout = layout
        self.csrf = csrf
        self.tabs = tabs
        self.rows = rows
        self.mailNote = mailNote
        hasRows = !rows.isEmpty
    }
}
