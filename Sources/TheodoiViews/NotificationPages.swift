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
    public let hasRows: Bool
    public let hasUnread: Bool

    public init(
        layout: Layout, csrf: String, rows: [NotificationRow], unread: Int, total: Int, readAllHref: String,
        previousHref: String?, nextHref: String?
    ) {
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
