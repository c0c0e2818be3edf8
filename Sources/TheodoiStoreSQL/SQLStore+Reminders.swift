import Foundation
import SQLKit
import TheodoiCore
import TheodoiStore

extension SQLStore {
    /// The `ReminderStore` backed by this store.
    public var reminders: ReminderStore {
        ReminderStore(
            settings: { [self] plan in try await read { try await SQLStore.reminderSettings(plan, on: $0) } },
            saveSettings: { [self] plan, settings, actor in try await saveReminderSettings(plan, settings, actor: actor) },
            holidays: { [self] in
                try await read {
                    try await $0.raw("SELECT day, name FROM holidays ORDER BY day").all().compactMap { row -> Holiday? in
                        guard let day = LocalDate(iso: try row.decode(column: "day", as: String.self)) else { return nil }
                        return Holiday(day: day, name: try row.decode(column: "name", as: String.self))
                    }
                }
            },
            saveHoliday: { [self] holiday, actor in try await saveHoliday(holiday, actor: actor) },
            removeHoliday: { [self] day, actor in try await removeHoliday(day, actor: actor) },
            claimedKeys: { [self] plan in
                try await read {
                    Set(
                        try await $0.raw("SELECT reminder_key FROM reminders WHERE plan_id = \(bind: plan.rawValue)").all().map {
                            try $0.decode(column: "reminder_key", as: String.self)
                        })
                }
            },
            claim: { [self] claim, at in try await claimReminder(claim, at: at) },
            notifications: { [self] user, limit, offset in
                try await read {
                    try await $0.raw(
                        """
                        SELECT id, kind, title, body, link, created_at, read_at FROM notifications
                        WHERE user_id = \(bind: user.rawValue)
                        ORDER BY CASE WHEN read_at IS NULL THEN 0 ELSE 1 END, \(unsafeRaw: SQLStore.urgencyOrder), id DESC
                        LIMIT \(bind: limit) OFFSET \(bind: offset)
                        """
                    ).all().map(SQLStore.notification)
                }
            },
            notification: { [self] user, id in
                try await read {
                    try await $0.raw(
                        """
                        SELECT id, kind, title, body, link, created_at, read_at FROM notifications
                        WHERE id = \(bind: id.rawValue) AND user_id = \(bind: user.rawValue)
                        """
                    ).first().map(SQLStore.notification)
                }
            },
            unread: { [self] user in
                // The partial index on unread rows answers this without reading the read ones.
                try await read {
                    try await $0.raw(
                        "SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: user.rawValue) AND read_at IS NULL"
                    ).first()?.decode(column: "n", as: Int.self) ?? 0
                }
            },
            counts: { [self] user in
                try await read { database in
                    let row = try await database.raw(
                        """
                        SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END), 0) AS unread
                        FROM notifications WHERE user_id = \(bind: user.rawValue)
                        """
                    ).first()
                    return (
                        unread: try row?.decode(column: "unread", as: Int.self) ?? 0,
                        total: try row?.decode(column: "total", as: Int.self) ?? 0
                    )
                }
            },
            markRead: { [self] user, ids, at in try await markRead(user, ids: ids, at: at) })
    }

    // MARK: Writes

    func saveReminderSettings(_ plan: PlanRecord.ID, _ settings: ReminderSettings, actor: AuditActor) async throws {
        let now = now()
        let content = try SQLStore.json(settings)
        try await audited(actor) { database in
            let before = try await SQLStore.reminderSettings(plan, on: database)
            let updated = try await database.raw(
                """
                UPDATE reminder_settings SET content = \(bind: content), updated_by_name = \(bind: actor.displayName),
                    updated_at = \(bind: now)
                WHERE plan_id = \(bind: plan.rawValue) RETURNING plan_id
                """
            ).first()
            if updated == nil {
                try await database.raw(
                    """
                    INSERT INTO reminder_settings (plan_id, content, updated_by_name, updated_at)
                    VALUES (\(bind: plan.rawValue), \(bind: content), \(bind: actor.displayName), \(bind: now))
                    """
                ).run()
            }
            return (
                (),
                AuditEntryDraft(
                    action: "reminder.settings", subject: "plan:\(plan)",
                    before: before.map(SQLStore.auditValue), after: SQLStore.auditValue(settings))
            )
        }
    }

    func saveHoliday(_ holiday: Holiday, actor: AuditActor) async throws {
        try await audited(actor) { database in
            let before = try await database.raw("SELECT name FROM holidays WHERE day = \(bind: holiday.day.iso)").first()
                .map { try $0.decode(column: "name", as: String.self) }
            if before == nil {
                try await database.raw(
                    "INSERT INTO holidays (day, name) VALUES (\(bind: holiday.day.iso), \(bind: holiday.name))"
                ).run()
            } else {
                try await database.raw("UPDATE holidays SET name = \(bind: holiday.name) WHERE day = \(bind: holiday.day.iso)")
                    .run()
            }
            return (
                (),
                AuditEntryDraft(
                    action: "holiday.set", subject: "holiday:\(holiday.day.iso)",
                    before: before.map { .object([("name", .string($0))]) }, after: .object([("name", .string(holiday.name))]))
            )
        }
    }

    func removeHoliday(_ day: LocalDate, actor: AuditActor) async throws -> Bool {
        try await audited(actor) { database in
            let removed = try await database.raw("DELETE FROM holidays WHERE day = \(bind: day.iso) RETURNING name").first()
                .map { try $0.decode(column: "name", as: String.self) }
            guard let removed else { return (false, nil) }
            return (
                true,
                AuditEntryDraft(
                    action: "holiday.remove", subject: "holiday:\(day.iso)", before: .object([("name", .string(removed))]),
                    after: nil)
            )
        }
    }

    /// One transaction: the claim by unique key, then the notifications. A lost race writes nothing.
    func claimReminder(_ claim: ReminderClaim, at: String) async throws -> Bool {
        let backend = sessions.backend
        return try await sessions.withSession { database in
            try await Transaction.run(on: database, backend: backend) { database in
                guard
                    let row = try await database.raw(
                        """
                        INSERT INTO reminders (reminder_key, plan_id, assignment_id, kind, send_on, recipients, claimed_at)
                        VALUES (\(bind: claim.key), \(bind: claim.planID.rawValue), \(bind: claim.assignmentID?.rawValue),
                            \(bind: claim.kind.rawValue), \(bind: claim.sendOn.iso), \(bind: claim.recipients.count), \(bind: at))
                        ON CONFLICT (reminder_key) DO NOTHING RETURNING id
                        """
                    ).first()
                else { return false }
                let reminderID = try row.decode(column: "id", as: Int.self)
                for user in claim.recipients {
                    try await database.raw(
                        """
                        INSERT INTO notifications (user_id, reminder_id, kind, title, body, link, created_at)
                        VALUES (\(bind: user.rawValue), \(bind: reminderID), \(bind: claim.kind.rawValue), \(bind: claim.title),
                            \(bind: claim.body), \(bind: claim.link), \(bind: at))
                        """
                    ).run()
                }
                // E-mails wait in the outbox, committed with the claim: a crash after this delays them, never loses them.
                for email in claim.messages {
                    try await SQLStore.enqueue(email, reminderID: reminderID, digestKey: nil, at: at, on: database)
                }
                return true
            }
        }
    }

    func markRead(_ user: UserRecord.ID, ids: [NotificationRecord.ID]?, at: String) async throws -> Int {
        try await sessions.withSession { database in
            if let ids {
                var changed = 0
                for id in ids {
                    changed += try await database.raw(
                        """
                        UPDATE notifications SET read_at = \(bind: at)
                        WHERE id = \(bind: id.rawValue) AND user_id = \(bind: user.rawValue) AND read_at IS NULL RETURNING id
                        """
                    ).all().count
                }
                return changed
            }
            return try await database.raw(
                """
                UPDATE notifications SET read_at = \(bind: at)
                WHERE user_id = \(bind: user.rawValue) AND read_at IS NULL RETURNING id
                """
            ).all().count
        }
    }

    // MARK: Reads

    static func reminderSettings(_ plan: PlanRecord.ID, on database: any SQLDatabase) async throws -> ReminderSettings? {
        guard
            let row = try await database.raw("SELECT content FROM reminder_settings WHERE plan_id = \(bind: plan.rawValue)")
                .first()
        else { return nil }
        return try JSONDecoder().decode(
            ReminderSettings.self, from: Data(try row.decode(column: "content", as: String.self).utf8))
    }

    static func notification(_ row: any SQLRow) throws -> NotificationRecord {
        NotificationRecord(
            id: NotificationRecord.ID(try row.decode(column: "id", as: Int.self)),
            kind: ReminderKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .overdue,
            title: try row.decode(column: "title", as: String.self), body: try row.decode(column: "body", as: String.self),
            link: try row.decode(column: "link", as: String.self),
            createdAt: try row.decode(column: "created_at", as: String.self),
            readAt: try row.decode(column: "read_at", as: String?.self))
    }

    static func auditValue(_ settings: ReminderSettings) -> JSONValue {
        .object([
            ("daysBefore", .array(settings.daysBefore.map { .int($0) })), ("onTheDay", .bool(settings.onTheDay)),
            ("overdueEveryDays", .int(settings.overdueEveryDays)), ("quietDays", .int(settings.quietDays)),
            ("recurringDaysBefore", .int(settings.recurringDaysBefore)), ("returnedReport", .bool(settings.returnedReport)),
            ("reviewWaitWorkingDays", .int(settings.reviewWaitWorkingDays)),
            ("escalateAfterDays", .int(settings.escalateAfterDays)), ("webhookURL", .string(settings.webhookURL)),
            ("webhookSecretSet", .bool(!settings.webhookSecret.isEmpty)),
        ])
    }
}

extension SQLStore {
    /// `CASE kind WHEN 'returned' THEN 0 … END`: what asks for action first (`ReminderKind.urgency`).
    /// Built from the enum's constant raw values, never from input.
    static let urgencyOrder =
        "CASE kind "
        + ReminderKind.allCases.map { "WHEN '\($0.rawValue)' THEN \($0.urgency)" }.joined(separator: " ") + " ELSE 99 END"
}
