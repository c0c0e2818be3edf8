// Page models of sign-in, accounts, administration, the audit log and the public summary. These
// pages are small, so Mustache reads them through reflection: every flag is a stored property.

/// The signed-in user's part of the header, rendered per request (pages themselves may be cached).
public struct ViewerModel: Sendable {
    public let signedIn: Bool
    public var name: String
    public var roleName: String
    /// The user's agency ("Sở Khoa học và Công nghệ"), or "".
    public var agencyName: String
    public let hasAgency: Bool
    /// The role's name is shown unless it is the user's name too ("Quản trị hệ thống").
    public let hasRole: Bool
    public var csrf: String
    public let canManage: Bool
    public let canAudit: Bool
    /// May load catalogues (the "Nạp danh mục" link).
    public let canImport: Bool
    /// Unread notifications (the bell's number).
    public let unread: Int
    public let hasUnread: Bool
    /// For the office: reports and extension requests waiting for it, and the queue to open.
    public var waiting: Int
    public var waitingHref: String
    public let hasWaiting: Bool

    public init(
        signedIn: Bool, name: String = "", roleName: String = "", csrf: String = "", canManage: Bool = false,
        canAudit: Bool = false, canImport: Bool = false, unread: Int = 0, waiting: Int = 0, waitingHref: String = "",
        agencyName: String = ""
    ) {
        self.agencyName = agencyName
        hasAgency = !agencyName.isEmpty
        hasRole = !roleName.isEmpty
        self.waiting = waiting
        self.waitingHref = waitingHref
        hasWaiting = !waitingHref.isEmpty
        self.unread = unread
        hasUnread = unread > 0
        self.signedIn = signedIn
        self.name = name
        self.roleName = roleName
        self.csrf = csrf
        self.canManage = canManage
        self.canAudit = canAudit
        self.canImport = canImport
    }
}

/// A secret shown exactly once (a new password or API token).
public struct SecretNotice: Sendable {
    public var heading: String
    public var value: String
    public var hint: String

    public init(heading: String, value: String, hint: String) {
        self.heading = heading
        self.value = value
        self.hint = hint
    }
}

/// Đăng nhập.
public struct SignInPage: Sendable {
    public var layout: Layout
    public var csrf: String
    public var email: String
    public var next: String
    public var error: String?
    public var notice: String?
    public var publicPlans: [PublicPlanLink]
    public let hasPublicPlans: Bool

    public init(
        layout: Layout, csrf: String, email: String, next: String, error: String?, notice: String?, publicPlans: [PublicPlanLink]
    ) {
        self.layout = layout
        self.csrf = csrf
        self.email = email
        self.next = next
        self.error = error
        self.notice = notice
        self.publicPlans = publicPlans
        self.hasPublicPlans = !publicPlans.isEmpty
    }
}

/// A published plan on the sign-in page.
public struct PublicPlanLink: Sendable {
    public var number: String
    public var title: String
    public var href: String

    public init(number: String, title: String, href: String) {
        self.number = number
        self.title = title
        self.href = href
    }
}

/// Đổi mật khẩu.
public struct PasswordPage: Sendable {
    public var layout: Layout
    public var csrf: String
    public var email: String
    public let forced: Bool
    public let done: Bool
    public var errors: FormErrors
    public let hasErrors: Bool
    public var minimumLength: Int
    /// Where a forced change goes next (the page the user was going to), or "".
    public var next: String
    public let hasNext: Bool

    public init(
        layout: Layout, csrf: String, email: String, forced: Bool, done: Bool, errors: FormErrors, minimumLength: Int,
        next: String = ""
    ) {
        self.next = next
        hasNext = !next.isEmpty
        self.layout = layout
        self.csrf = csrf
        self.email = email
        self.forced = forced
        self.done = done
        self.errors = errors
        self.hasErrors = errors.hasAny
        self.minimumLength = minimumLength
    }
}

/// A user in the administration list.
public struct UserRowModel: Sendable {
    public var name: String
    public var email: String
    public var roleName: String
    public var agencyName: String
    public let disabled: Bool
    public let mustChange: Bool
    public var href: String

    public init(name: String, email: String, roleName: String, agencyName: String, disabled: Bool, mustChange: Bool, href: String)
    {
        self.name = name
        self.email = email
        self.roleName = roleName
        self.agencyName = agencyName
        self.disabled = disabled
        self.mustChange = mustChange
        self.href = href
    }
}

/// The values a form was sent with, shown again when it is refused.
public struct UserFormValues: Sendable {
    public var email: String
    public var name: String

    public init(email: String = "", name: String = "") {
        self.email = email
        self.name = name
    }
}

/// Người dùng: the list and the form to add one.
public struct UsersPage: Sendable {
    public var layout: Layout
    public var csrf: String
    public var users: [UserRowModel]
    public var roles: [Option]
    public var agencies: [Option]
    public var form: UserFormValues
    public var errors: FormErrors
    public let hasErrors: Bool
    public var secret: SecretNotice?

    public init(
        layout: Layout, csrf: String, users: [UserRowModel], roles: [Option], agencies: [Option], form: UserFormValues,
        errors: FormErrors, secret: SecretNotice?
    ) {
        self.layout = layout
        self.csrf = csrf
        self.users = users
        self.roles = roles
        self.agencies = agencies
        self.form = form
        self.errors = errors
        self.hasErrors = errors.hasAny
        self.secret = secret
    }
}

/// An API token in a user's page.
public struct TokenRowModel: Sendable {
    public var label: String
    public var prefix: String
    public var createdText: String
    public let revoked: Bool
    public var revokedText: String
    public var revokeHref: String

    public init(label: String, prefix: String, createdText: String, revoked: Bool, revokedText: String, revokeHref: String) {
        self.label = label
        self.prefix = prefix
        self.createdText = createdText
        self.revoked = revoked
        self.revokedText = revokedText
        self.revokeHref = revokeHref
    }
}

/// One user: edit, reset the password, API tokens.
public struct UserPage: Sendable {
    public var layout: Layout
    public var csrf: String
    public var href: String
    public var name: String
    public var email: String
    public var createdText: String
    public var roles: [Option]
    public var agencies: [Option]
    public let disabled: Bool
    public var tokens: [TokenRowModel]
    public let hasTokens: Bool
    public var errors: FormErrors
    public let hasErrors: Bool
    public var notice: String?
    public var secret: SecretNotice?

    public init(
        layout: Layout, csrf: String, href: String, name: String, email: String, createdText: String, roles: [Option],
        agencies: [Option], disabled: Bool, tokens: [TokenRowModel], errors: FormErrors, notice: String?, secret: SecretNotice?
    ) {
        self.layout = layout
        self.csrf = csrf
        self.href = href
        self.name = name
        self.email = email
        self.createdText = createdText
        self.roles = roles
        self.agencies = agencies
        self.disabled = disabled
        self.tokens = tokens
        self.hasTokens = !tokens.isEmpty
        self.errors = errors
        self.hasErrors = errors.hasAny
        self.notice = notice
        self.secret = secret
    }
}

/// An agency in the directory list.
public struct AgencyAdminRow: Sendable {
    public var name: String
    public var shortName: String
    public var kindName: String
    public var aliasesText: String
    public var href: String

    public init(name: String, shortName: String, kindName: String, aliasesText: String, href: String) {
        self.name = name
        self.shortName = shortName
        self.kindName = kindName
        self.aliasesText = aliasesText
        self.href = href
    }
}

/// Danh bạ cơ quan.
public struct AgencyDirectoryPage: Sendable {
    public var layout: Layout
    public var query: String
    public var count: Int
    public var rows: [AgencyAdminRow]

    public init(layout: Layout, query: String, rows: [AgencyAdminRow]) {
        self.layout = layout
        self.query = query
        self.count = rows.count
        self.rows = rows
    }
}

/// The agency form's values.
public struct AgencyFormValues: Sendable {
    public var name: String
    public var shortName: String
    /// One alias per line.
    public var aliases: String

    public init(name: String, shortName: String, aliases: String) {
        self.name = name
        self.shortName = shortName
        self.aliases = aliases
    }
}

/// One agency: edit its names, kind and aliases, or merge it into another.
public struct AgencyEditPage: Sendable {
    public var layout: Layout
    public var csrf: String
    public var href: String
    public var name: String
    public var form: AgencyFormValues
    public var kinds: [Option]
    public var targets: [Option]
    public var errors: FormErrors
    public let hasErrors: Bool
    public var notice: String?

    public init(
        layout: Layout, csrf: String, href: String, name: String, form: AgencyFormValues, kinds: [Option], targets: [Option],
        errors: FormErrors, notice: String?
    ) {
        self.layout = layout
        self.csrf = csrf
        self.href = href
        self.name = name
        self.form = form
        self.kinds = kinds
        self.targets = targets
        self.errors = errors
        self.hasErrors = errors.hasAny
        self.notice = notice
    }
}

/// One audit entry as shown.
public struct AuditRowModel: Sendable {
    public var sequence: Int
    public var atText: String
    public var address: String
    public var actor: String
    public var action: String
    public var actionLabel: String
    public var subject: String
    public var before: String
    public var after: String

    public init(
        sequence: Int, atText: String, address: String, actor: String, action: String, actionLabel: String, subject: String,
        before: String, after: String
    ) {
        self.sequence = sequence
        self.atText = atText
        self.address = address
        self.actor = actor
        self.action = action
        self.actionLabel = actionLabel
        self.subject = subject
        self.before = before
        self.after = after
    }
}

/// The audit page's filter values.
public struct AuditFilterValues: Sendable {
    public var actor: String
    public var from: String
    public var to: String

    public init(actor: String, from: String, to: String) {
        self.actor = actor
        self.from = from
        self.to = to
    }
}

/// Nhật ký thay đổi.
/// The audit log's seal and the backups, at the top of the audit page.
public struct AuditIntegrity: Sendable {
    /// The last entry's number and hash.
    public var head: String
    /// Scheduled backups: where, how often, the newest.
    public var backup: [String]
    /// Something the admin must see: the newest backup too old, the last one failed.
    public var warning: String?

    public init(head: String, backup: [String], warning: String?) {
        self.head = head
        self.backup = backup
        self.warning = warning
    }
}

public struct AuditLogPage: Sendable {
    public var layout: Layout
    public var integrity: AuditIntegrity?
    public var filter: AuditFilterValues
    public var actions: [Option]
    public var resultText: String
    public var entries: [AuditRowModel]
    public let hasEntries: Bool
    public var previousHref: String?
    public var nextHref: String?

    public init(
        layout: Layout, integrity: AuditIntegrity? = nil, filter: AuditFilterValues, actions: [Option], resultText: String,
        entries: [AuditRowModel], previousHref: String?, nextHref: String?
    ) {
        self.layout = layout
        self.integrity = integrity
        self.filter = filter
        self.actions = actions
        self.resultText = resultText
        self.entries = entries
        self.hasEntries = !entries.isEmpty
        self.previousHref = previousHref
        self.nextHref = nextHref
    }
}

/// One part's counts on the public summary.
public struct PublicPartRow: Sendable {
    public var code: String
    public var title: String
    public var total: Int
    public var doneOnTime: Int
    public var doneLate: Int
    public var openInTime: Int
    public var openOverdue: Int
    public var recurring: Int
    public var undetermined: Int

    public init(
        code: String, title: String, total: Int, doneOnTime: Int, doneLate: Int, openInTime: Int, openOverdue: Int,
        recurring: Int,
        undetermined: Int
    ) {
        self.code = code
        self.title = title
        self.total = total
        self.doneOnTime = doneOnTime
        self.doneLate = doneLate
        self.openInTime = openInTime
        self.openOverdue = openOverdue
        self.recurring = recurring
        self.undetermined = undetermined
    }
}

/// Công khai: what anonymous visitors see of a published plan.
/// One task on the public page.
public struct PublicTaskRow: Sendable {
    public var code: String
    public var anchor: String
    public var title: String
    public var lead: String
    public var deadlineText: String
    public var statusLabel: String
    public var statusCode: String
    public let isSub: Bool

    public init(
        code: String, anchor: String, title: String, lead: String, deadlineText: String, statusLabel: String,
        statusCode: String, isSub: Bool
    ) {
        self.code = code
        self.anchor = anchor
        self.title = title
        self.lead = lead
        self.deadlineText = deadlineText
        self.statusLabel = statusLabel
        self.statusCode = statusCode
        self.isSub = isSub
    }
}

public struct PublicPlanPage: Sendable {
    public var layout: Layout
    public var number: String
    public var title: String
    public var issuer: String
    public var dateText: String
    public var asOfText: String
    public var sentence: String
    public var parts: [PublicPartRow]
    /// Status by part, drawn on the server.
    public var chart: String
    /// Every task with its status: no reports, no officials, no files.
    public var tasks: [PublicTaskRow]
    public var csvHref: String
    public var jsonHref: String
    public let hasTasks: Bool

    public init(
        layout: Layout, number: String, title: String, issuer: String, dateText: String, asOfText: String, sentence: String,
        parts: [PublicPartRow], chart: String = "", tasks: [PublicTaskRow] = [], csvHref: String = "", jsonHref: String = ""
    ) {
        self.chart = chart
        self.tasks = tasks
        self.csvHref = csvHref
        self.jsonHref = jsonHref
        self.hasTasks = !tasks.isEmpty
        self.layout = layout
        self.number = number
        self.title = title
        self.issuer = issuer
        self.dateText = dateText
        self.asOfText = asOfText
        self.sentence = sentence
        self.parts = parts
    }
}
