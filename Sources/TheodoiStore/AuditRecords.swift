import TheodoiCore

/// Who makes a change, from where: written into the audit log with it.
public struct AuditActor: Sendable, Hashable {
    public var userID: UserRecord.ID?
    /// The user's e-mail, or what the change came from ("dòng lệnh", "hệ thống", an attempted e-mail).
    public var label: String
    /// The client's address, or "local" for the command line.
    public var address: String
    /// The person's name, shown on what they write or decide (the label when there is none).
    public var name: String?

    public init(userID: UserRecord.ID?, label: String, address: String, name: String? = nil) {
        self.userID = userID
        self.label = label
        self.address = address
        self.name = name
    }

    public init(user: UserRecord, address: String) {
        self.init(userID: user.id, label: user.email, address: address, name: user.name)
    }

    /// The name shown on a report or a decision.
    public var displayName: String { name ?? label }

    /// A change made with the `theodoi` command on the server itself.
    public static let commandLine = AuditActor(userID: nil, label: "dòng lệnh", address: "local")
    /// A change the system makes by itself (first start).
    public static let system = AuditActor(userID: nil, label: "hệ thống", address: "local")
}

/// Nhật ký: one entry of the append-only, hash-chained audit log.
public struct AuditRecord: Sendable, Hashable {
    public var sequence: Int
    /// ISO 8601 UTC.
    public var at: String
    public var actorID: UserRecord.ID?
    public var actor: String
    public var address: String
    /// What happened: `user.create`, `session.sign-in`, `plan.import`, …
    public var action: String
    /// What it happened to: `user:3`, `plan:343-qd-tu`, …
    public var subject: String
    /// JSON of the state before and after, when there is one.
    public var before: String?
    public var after: String?
    /// The previous entry's hash (64 zeros for the first).
    public var previousHash: String
    public var hash: String

    public init(
        sequence: Int, at: String, actorID: UserRecord.ID?, actor: String, address: String, action: String, subject: String,
        before: String?, after: String?, previousHash: String, hash: String
    ) {
        self.sequence = sequence
        self.at = at
        self.actorID = actorID
        self.actor = actor
        self.address = address
        self.action = action
        self.subject = subject
        self.before = before
        self.after = after
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The hash before the first entry.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The hash that seals this entry to the previous one: SHA-256 over every field, each
    /// length-prefixed so no two different entries share an encoding.
    public var computedHash: String {
        let fields: [String?] = [
            previousHash, String(sequence), at, actorID.map { String($0.rawValue) }, actor, address, action, subject, before,
            after,
        ]
        var hasher = SHA256()
        for field in fields {
            guard let field else {
                hasher.update(Array("-;".utf8))
                continue
            }
            hasher.update(Array("\(field.utf8.count):".utf8))
            hasher.update(Array(field.utf8))
            hasher.update([UInt8(ascii: ";")])
        }
        return Hex.encode(hasher.finalize())
    }
}

/// Which audit entries to list.
public struct AuditFilter: Sendable, Hashable {
    /// Part of the actor's label (e-mail).
    public var actor: String?
    /// An action, or a prefix of one ending in "." (`user.`).
    public var action: String?
    /// ISO dates, inclusive, compared with the entry's UTC time.
    public var from: String?
    public var to: String?
    public var limit: Int
    public var offset: Int

    public init(
        actor: String? = nil, action: String? = nil, from: String? = nil, to: String? = nil, limit: Int = 100, offset: Int = 0
    ) {
        self.actor = actor
        self.action = action
        self.from = from
        self.to = to
        self.limit = limit
        self.offset = offset
    }
}

/// A page of audit entries with the count of all that match.
public struct AuditPage: Sendable {
    public var entries: [AuditRecord]
    public var total: Int

    public init(entries: [AuditRecord], total: Int) {
        self.entries = entries
        self.total = total
    }
}
