import Foundation
import SQLKit

extension SQLStore {
    /// What a retention pass removed.
    public struct Pruned: Sendable, Equatable {
        public var sentMessages = 0
        public var expiredSessions = 0
        public var loginFailures = 0
        public init() {}
        /// Whether nothing was removed.
        public var isEmpty: Bool { self == Pruned() }
    }

    /// Removes what grows without bound and nobody reads after a while: e-mails and webhooks sent
    /// more than `sentDays` days ago (failed and waiting ones stay), sessions past their expiry, and
    /// sign-in failures older than a day (throttling looks back a day at most). The audit log,
    /// notifications and reports are kept.
    public func prune(sentDays: Int) async throws -> Pruned {
        let now = clock()
        let sentBefore = now.addingTimeInterval(-Double(sentDays) * 86_400).ISO8601Format()
        let dayAgo = now.addingTimeInterval(-86_400).ISO8601Format()
        let nowText = now.ISO8601Format()
        return try await sessions.withSession { database in
            var pruned = Pruned()
            pruned.sentMessages = try await Self.deleted(
                database, "DELETE FROM outbox WHERE state = 'sent' AND sent_at < \(bind: sentBefore) RETURNING id")
            pruned.expiredSessions = try await Self.deleted(
                database, "DELETE FROM sessions WHERE expires_at < \(bind: nowText) RETURNING user_id")
            pruned.loginFailures = try await Self.deleted(
                database, "DELETE FROM login_failures WHERE at < \(bind: dayAgo) RETURNING id")
            return pruned
        }
    }

    private static func deleted(_ database: any SQLDatabase, _ statement: SQLQueryString) async throws -> Int {
        try await database.raw(statement).all().count
    }
}
