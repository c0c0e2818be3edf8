import Foundation
import SQLKit
import TheodoiCore
import TheodoiStore

extension SQLStore {
    /// The `ProgressStore` backed by this store.
    public var progress: ProgressStore {
        ProgressStore(
            saveReport: { [self] save, actor in try await saveReport(save, actor: actor) },
            reviewReport: { [self] input, actor in try await reviewReport(input, actor: actor) },
            recordExtension: { [self] input, actor in try await recordExtension(input, actor: actor) },
            decideExtension: { [self] input, actor in try await decideExtension(input, actor: actor) },
            withdrawReport: { [self] id, input, actor in try await withdrawReport(id, input, actor: actor) },
            reverseReview: { [self] id, input, actor in try await reverseReview(id, input, actor: actor) },
            reverseExtension: { [self] id, input, actor in try await reverseExtension(id, input, actor: actor) },
            report: { [self] id in try await read { try await SQLStore.report(id.rawValue, on: $0) } },
            reportRevision: { [self] id, version in
                try await read { try await SQLStore.revision(id.rawValue, version: version, on: $0) }
            },
            extensionRequest: { [self] id in try await read { try await SQLStore.extensionRecord(id.rawValue, on: $0) } },
            review: { [self] id in
                try await read {
                    try await $0.raw("SELECT \(unsafeRaw: SQLStore.reviewColumns) FROM reviews WHERE id = \(bind: id.rawValue)")
                        .first().map(SQLStore.reviewRecord)
                }
            },
            assignmentLog: { [self] assignment in try await read { try await SQLStore.assignmentLog(assignment, on: $0) } },
            events: { [self] plan, after in try await read { try await SQLStore.events(plan, after: after, on: $0) } },
            reviewQueue: { [self] plan in try await read { try await SQLStore.reviewQueue(plan, on: $0) } },
            attachment: { [self] id in try await read { try await SQLStore.attachment(id.rawValue, on: $0) } },
            reportCount: { [self] plan in
                try await read {
                    try await $0.raw("SELECT COUNT(*) AS n FROM reports WHERE plan_id = \(bind: plan.rawValue)").first()?
                        .decode(column: "n", as: Int.self) ?? 0
                }
            },
            loadDemoHistory: { [self] history, actor in try await loadDemoHistory(history, actor: actor) },
            waiting: { [self] in
                try await read { database in
                    try await database.raw(
                        """
                        SELECT p.slug,
                            (SELECT COUNT(DISTINCT r.assignment_id) FROM reports r
                             WHERE r.plan_id = p.id AND r.kind = 'report' AND r.state = 'submitted')
                            + (SELECT COUNT(*) FROM extensions e WHERE e.plan_id = p.id AND e.state = 'pending') AS n
                        FROM plans p WHERE p.is_demo = 0 ORDER BY n DESC, p.id
                        """
                    ).all().map { row in
                        (slug: try row.decode(column: "slug", as: String.self), count: try row.decode(column: "n", as: Int.self))
                    }
                }
            },
            agencyReports: { [self] agency in try await read { try await SQLStore.agencyReports(agency, on: $0) } })
    }

    // MARK: Writes

    func saveReport(_ save: ReportSave, actor: AuditActor) async throws -> ReportRecord {
        let now = now()
        return try await audited(actor) { database in
            // Lock the plan row first, so status events commit in sequence order per plan.
            if save.submit, save.kind == .report { try await SQLStore.bumpActivity(save.assignment.planID, on: database) }
            let content = save.content
            let evidence = try SQLStore.json(content.evidence)
            var before: ReportRecord?
            let reportID: Int
            let version: Int
            if let id = save.id {
                guard let current = try await SQLStore.report(id.rawValue, on: database),
                    current.assignmentID == save.assignment.id
                else { throw ProgressStoreError.noSuchReport(id) }
                guard current.state == .draft else { throw ProgressStoreError.notDraft(current.state) }
                if let expected = save.expectedVersion, expected != current.version {
                    throw ProgressStoreError.staleVersion(
                        current: current, base: try await SQLStore.revision(id.rawValue, version: expected, on: database))
                }
                before = current
                let updated = try await database.raw(
                    """
                    UPDATE reports SET claimed_stage = \(bind: content.claimedStage.rawValue), percent = \(bind: content.percent),
                        result = \(bind: content.result), achieved_on = \(bind: content.achievedOn?.iso),
                        evidence = \(bind: evidence), difficulties = \(bind: content.difficulties),
                        proposals = \(bind: content.proposals), version = version + 1,
                        updated_by_name = \(bind: actor.displayName), updated_at = \(bind: now)
                    WHERE id = \(bind: id.rawValue) AND version = \(bind: current.version) AND state = 'draft'
                    RETURNING version
                    """
                ).first()
                guard let updated else {
                    // Someone else saved between our read and our write (PostgreSQL, read committed).
                    let latest = try await SQLStore.report(id.rawValue, on: database)
                    if let latest, latest.state != .draft { throw ProgressStoreError.notDraft(latest.state) }
                    guard let latest else { throw ProgressStoreError.noSuchReport(id) }
                    throw ProgressStoreError.staleVersion(
                        current: latest, base: try await SQLStore.revision(id.rawValue, version: current.version, on: database))
                }
                reportID = id.rawValue
                version = try updated.decode(column: "version", as: Int.self)
            } else {
                if let draft = try await database.raw(
                    """
                    SELECT id FROM reports WHERE assignment_id = \(bind: save.assignment.id.rawValue)
                        AND agency_id = \(bind: save.agencyID.rawValue) AND kind = \(bind: save.kind.rawValue) AND state = 'draft'
                    """
                ).first() {
                    throw ProgressStoreError.draftExists(ReportRecord.ID(try draft.decode(column: "id", as: Int.self)))
                }
                let inserted = try await database.raw(
                    """
                    INSERT INTO reports (assignment_id, plan_id, agency_id, kind, state, claimed_stage, percent, result,
                        achieved_on, evidence, difficulties, proposals, version, author_id, author_name, updated_by_name,
                        created_at, updated_at)
                    VALUES (\(bind: save.assignment.id.rawValue), \(bind: save.assignment.planID.rawValue),
                        \(bind: save.agencyID.rawValue), \(bind: save.kind.rawValue), 'draft',
                        \(bind: content.claimedStage.rawValue), \(bind: content.percent), \(bind: content.result),
                        \(bind: content.achievedOn?.iso), \(bind: evidence), \(bind: content.difficulties),
                        \(bind: content.proposals), 1, \(bind: actor.userID?.rawValue), \(bind: actor.displayName),
                        \(bind: actor.displayName), \(bind: now), \(bind: now))
                    RETURNING id
                    """
                ).first()
                guard let inserted else { throw SQLStoreFailure.noRowReturned("reports") }
                reportID = try inserted.decode(column: "id", as: Int.self)
                version = 1
            }
            try await database.raw(
                """
                INSERT INTO report_revisions (report_id, version, content, saved_by_name, saved_at)
                VALUES (\(bind: reportID), \(bind: version), \(bind: try SQLStore.json(content)), \(bind: actor.displayName), \(bind: now))
                """
            ).run()
            for removed in save.removedAttachments {
                try await database.raw(
                    """
                    UPDATE attachments SET removed_at = \(bind: now)
                    WHERE id = \(bind: removed.rawValue) AND report_id = \(bind: reportID) AND removed_at IS NULL
                    """
                ).run()
            }
            for carried in save.carriedAttachments {
                try await database.raw(
                    """
                    INSERT INTO attachments (report_id, file_name, content_type, size, sha256, data, uploaded_by, uploaded_at)
                    SELECT \(bind: reportID), a.file_name, a.content_type, a.size, a.sha256, a.data, a.uploaded_by, \(bind: now)
                    FROM attachments a JOIN reports r ON r.id = a.report_id
                    WHERE a.id = \(bind: carried.rawValue) AND a.removed_at IS NULL
                        AND r.assignment_id = \(bind: save.assignment.id.rawValue) AND r.agency_id = \(bind: save.agencyID.rawValue)
                        AND r.kind = \(bind: save.kind.rawValue) AND r.state <> 'draft' AND r.id <> \(bind: reportID)
                    """
                ).run()
            }
            for file in save.newAttachments {
                try await database.raw(
                    """
                    INSERT INTO attachments (report_id, file_name, content_type, size, sha256, data, uploaded_by, uploaded_at)
                    VALUES (\(bind: reportID), \(bind: file.fileName), \(bind: file.contentType), \(bind: file.bytes.count),
                        \(bind: file.sha256), \(bind: Data(file.bytes)),
                        \(bind: actor.userID?.rawValue), \(bind: now))
                    """
                ).run()
            }
            if save.submit {
                try await database.raw(
                    """
                    UPDATE reports SET state = 'submitted', submitted_at = \(bind: now), submitted_on = \(bind: save.on.iso)
                    WHERE id = \(bind: reportID)
                    """
                ).run()
                if save.kind == .report {
                    try await database.raw(
                        """
                        INSERT INTO assignment_events (plan_id, assignment_id, kind, on_date, report_id, percent, claims_completion)
                        VALUES (\(bind: save.assignment.planID.rawValue), \(bind: save.assignment.id.rawValue), 'report',
                            \(bind: save.on.iso), \(bind: reportID), \(bind: content.percent),
                            \(bind: content.claimedStage == .done ? 1 : 0))
                        """
                    ).run()
                }
            }
            guard let after = try await SQLStore.report(reportID, on: database) else {
                throw ProgressStoreError.noSuchReport(ReportRecord.ID(reportID))
            }
            let prefix = save.kind == .report ? "report" : "contribution"
            let action = save.submit ? "\(prefix).submit" : before == nil ? "\(prefix).create" : "\(prefix).update"
            return (
                after,
                AuditEntryDraft(
                    action: action, subject: "report:\(reportID)",
                    before: before.map { SQLStore.auditValue($0, assignment: save.assignment) },
                    after: SQLStore.auditValue(after, assignment: save.assignment))
            )
        }
    }

    func reviewReport(_ input: ReviewInput, actor: AuditActor) async throws -> ReviewRecord {
        let now = now()
        return try await audited(actor) { database in
            try await SQLStore.bumpActivity(input.assignment.planID, on: database)
            guard let report = try await SQLStore.report(input.reportID.rawValue, on: database),
                report.assignmentID == input.assignment.id
            else { throw ProgressStoreError.noSuchReport(input.reportID) }
            guard report.state == .submitted else { throw ProgressStoreError.notReviewable(report.state) }
            let latest = try await database.raw(
                """
                SELECT id FROM reports WHERE assignment_id = \(bind: report.assignmentID.rawValue) AND kind = 'report'
                    AND state NOT IN ('draft', 'withdrawn') ORDER BY submitted_at DESC, id DESC LIMIT 1
                """
            ).first()?.decode(column: "id", as: Int.self)
            guard latest == report.id.rawValue else { throw ProgressStoreError.supersededReport }
            let newState: ReportState = input.decision == .accept ? .accepted : .returned
            let changed = try await database.raw(
                """
                UPDATE reports SET state = \(bind: newState.rawValue)
                WHERE id = \(bind: report.id.rawValue) AND state = 'submitted' RETURNING id
                """
            ).first()
            guard changed != nil else { throw ProgressStoreError.notReviewable(report.state) }
            if try await database.raw(
                "SELECT id FROM reviews WHERE report_id = \(bind: report.id.rawValue) AND reversed_at IS NULL"
            ).first() != nil {
                throw ProgressStoreError.notReviewable(report.state)
            }
            let inserted = try await database.raw(
                """
                INSERT INTO reviews (report_id, assignment_id, decision, reason, completed_on, reviewer_id, reviewer_name,
                    decided_at, decided_on)
                VALUES (\(bind: report.id.rawValue), \(bind: report.assignmentID.rawValue), \(bind: input.decision.rawValue),
                    \(bind: input.reason), \(bind: input.completedOn?.iso), \(bind: actor.userID?.rawValue),
                    \(bind: actor.displayName), \(bind: now), \(bind: input.on.iso))
                RETURNING id
                """
            ).first()
            guard let inserted else { throw SQLStoreFailure.noRowReturned("reviews") }
            let eventDecision = input.decision == .return ? "return" : input.completedOn == nil ? "acknowledge" : "accept"
            try await database.raw(
                """
                INSERT INTO assignment_events (plan_id, assignment_id, kind, on_date, report_id, decision, completed_on)
                VALUES (\(bind: input.assignment.planID.rawValue), \(bind: report.assignmentID.rawValue), 'review',
                    \(bind: input.on.iso), \(bind: report.id.rawValue), \(bind: eventDecision), \(bind: input.completedOn?.iso))
                """
            ).run()
            let review = ReviewRecord(
                id: ReviewRecord.ID(try inserted.decode(column: "id", as: Int.self)), reportID: report.id,
                assignmentID: report.assignmentID, decision: input.decision, reason: input.reason,
                completedOn: input.completedOn, reviewerName: actor.displayName, decidedAt: now, decidedOn: input.on)
            return (
                review,
                AuditEntryDraft(
                    action: input.decision == .accept ? "report.accept" : "report.return", subject: "report:\(report.id)",
                    before: .object([("assignment", .string(input.assignment.label)), ("state", .string(report.state.rawValue))]),
                    after: .object([
                        ("assignment", .string(input.assignment.label)), ("state", .string(newState.rawValue)),
                        ("reason", .string(input.reason)), ("completedOn", input.completedOn.map { .string($0.iso) } ?? .null),
                    ]))
            )
        }
    }

    func recordExtension(_ input: ExtensionInput, actor: AuditActor) async throws -> ExtensionRecord {
        let now = now()
        return try await audited(actor) { database in
            let decided = input.kind == .setDue
            // A request is an event too (it changes no status): the office hears of it at once.
            try await SQLStore.bumpActivity(input.assignment.planID, on: database)
            if !decided,
                try await database.raw(
                    "SELECT id FROM extensions WHERE assignment_id = \(bind: input.assignment.id.rawValue) AND state = 'pending'"
                ).first() != nil
            {
                throw ProgressStoreError.extensionPending
            }
            let inserted = try await database.raw(
                """
                INSERT INTO extensions (assignment_id, plan_id, kind, agency_id, requester_id, requester_name, requested_at,
                    requested_on, previous_due, new_due, reason, state, decider_id, decider_name, decision_reason, decided_at,
                    decided_on)
                VALUES (\(bind: input.assignment.id.rawValue), \(bind: input.assignment.planID.rawValue),
                    \(bind: input.kind.rawValue), \(bind: input.agencyID?.rawValue), \(bind: actor.userID?.rawValue),
                    \(bind: actor.displayName), \(bind: now), \(bind: input.on.iso), \(bind: input.previousDue?.iso),
                    \(bind: input.newDue.iso), \(bind: input.reason), \(bind: decided ? "approved" : "pending"),
                    \(bind: decided ? actor.userID?.rawValue : nil), \(bind: decided ? actor.displayName : nil),
                    \(bind: decided ? input.reason : nil), \(bind: decided ? now : nil), \(bind: decided ? input.on.iso : nil))
                RETURNING id
                """
            ).first()
            guard let inserted else { throw SQLStoreFailure.noRowReturned("extensions") }
            let id = try inserted.decode(column: "id", as: Int.self)
            if decided {
                try await SQLStore.insertExtensionEvent(
                    plan: input.assignment.planID, assignment: input.assignment.id, on: input.on, approved: true,
                    newDue: input.newDue, database: database)
            } else {
                try await database.raw(
                    """
                    INSERT INTO assignment_events (plan_id, assignment_id, kind, on_date, new_due)
                    VALUES (\(bind: input.assignment.planID.rawValue), \(bind: input.assignment.id.rawValue),
                        'extension-request', \(bind: input.on.iso), \(bind: input.newDue.iso))
                    """
                ).run()
            }
            guard let record = try await SQLStore.extensionRecord(id, on: database) else {
                throw ProgressStoreError.noSuchExtension(ExtensionRecord.ID(id))
            }
            return (
                record,
                AuditEntryDraft(
                    action: decided ? "deadline.set" : "extension.request", subject: "extension:\(id)", before: nil,
                    after: SQLStore.auditValue(record, assignment: input.assignment))
            )
        }
    }

    func decideExtension(_ input: ExtensionDecisionInput, actor: AuditActor) async throws -> ExtensionRecord {
        let now = now()
        return try await audited(actor) { database in
            try await SQLStore.bumpActivity(input.assignment.planID, on: database)
            guard let before = try await SQLStore.extensionRecord(input.extensionID.rawValue, on: database),
                before.assignmentID == input.assignment.id
            else { throw ProgressStoreError.noSuchExtension(input.extensionID) }
            guard before.state == .pending else { throw ProgressStoreError.alreadyDecided(before.state) }
            let state: ExtensionState = input.approve ? .approved : .refused
            let changed = try await database.raw(
                """
                UPDATE extensions SET state = \(bind: state.rawValue), decider_id = \(bind: actor.userID?.rawValue),
                    decider_name = \(bind: actor.displayName), decision_reason = \(bind: input.reason),
                    decided_at = \(bind: now), decided_on = \(bind: input.on.iso)
                WHERE id = \(bind: before.id.rawValue) AND state = 'pending' RETURNING id
                """
            ).first()
            guard changed != nil else {
                let latest = try await SQLStore.extensionRecord(input.extensionID.rawValue, on: database)
                throw ProgressStoreError.alreadyDecided(latest?.state ?? .approved)
            }
            try await SQLStore.insertExtensionEvent(
                plan: input.assignment.planID, assignment: input.assignment.id, on: input.on, approved: input.approve,
                newDue: before.newDue, database: database)
            guard let after = try await SQLStore.extensionRecord(before.id.rawValue, on: database) else {
                throw ProgressStoreError.noSuchExtension(before.id)
            }
            return (
                after,
                AuditEntryDraft(
                    action: input.approve ? "extension.approve" : "extension.refuse", subject: "extension:\(before.id)",
                    before: SQLStore.auditValue(before, assignment: input.assignment),
                    after: SQLStore.auditValue(after, assignment: input.assignment))
            )
        }
    }

    func withdrawReport(_ id: ReportRecord.ID, _ input: ReversalInput, actor: AuditActor) async throws -> ReportRecord {
        let now = now()
        return try await audited(actor) { database in
            try await SQLStore.bumpActivity(input.assignment.planID, on: database)
            guard let before = try await SQLStore.report(id.rawValue, on: database), before.assignmentID == input.assignment.id
            else { throw ProgressStoreError.noSuchReport(id) }
            let changed = try await database.raw(
                """
                UPDATE reports SET state = 'withdrawn', withdrawn_at = \(bind: now), withdrawn_on = \(bind: input.on.iso),
                    withdrawn_by_name = \(bind: actor.displayName), withdrawal_reason = \(bind: input.reason)
                WHERE id = \(bind: id.rawValue) AND state = 'submitted'
                    AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.report_id = reports.id AND v.reversed_at IS NULL)
                RETURNING id
                """
            ).first()
            guard changed != nil else { throw ProgressStoreError.notWithdrawable(before.state) }
            if before.kind == .report {
                try await database.raw(
                    """
                    INSERT INTO assignment_events (plan_id, assignment_id, kind, on_date, report_id, target_on)
                    VALUES (\(bind: input.assignment.planID.rawValue), \(bind: before.assignmentID.rawValue), 'withdraw',
                        \(bind: input.on.iso), \(bind: id.rawValue), \(bind: before.submittedOn?.iso))
                    """
                ).run()
            }
            guard let after = try await SQLStore.report(id.rawValue, on: database) else {
                throw ProgressStoreError.noSuchReport(id)
            }
            return (
                after,
                AuditEntryDraft(
                    action: before.kind == .report ? "report.withdraw" : "contribution.withdraw", subject: "report:\(id)",
                    before: SQLStore.auditValue(before, assignment: input.assignment),
                    after: SQLStore.auditValue(after, assignment: input.assignment))
            )
        }
    }

    func reverseReview(_ id: ReviewRecord.ID, _ input: ReversalInput, actor: AuditActor) async throws -> ReviewRecord {
        let now = now()
        return try await audited(actor) { database in
            try await SQLStore.bumpActivity(input.assignment.planID, on: database)
            guard
                let row = try await database.raw(
                    "SELECT \(unsafeRaw: SQLStore.reviewColumns) FROM reviews WHERE id = \(bind: id.rawValue)"
                ).first(),
                case let before = try SQLStore.reviewRecord(row), before.assignmentID == input.assignment.id
            else { throw ProgressStoreError.notReversible }
            guard before.reversal == nil, let report = try await SQLStore.report(before.reportID.rawValue, on: database),
                report.state == .accepted || report.state == .returned
            else { throw ProgressStoreError.notReversible }
            let latest = try await database.raw(
                """
                SELECT id FROM reports WHERE assignment_id = \(bind: report.assignmentID.rawValue) AND kind = 'report'
                    AND state NOT IN ('draft', 'withdrawn') ORDER BY submitted_at DESC, id DESC LIMIT 1
                """
            ).first()?.decode(column: "id", as: Int.self)
            guard latest == report.id.rawValue else { throw ProgressStoreError.notReversible }
            let changed = try await database.raw(
                """
                UPDATE reviews SET reversed_at = \(bind: now), reversed_on = \(bind: input.on.iso),
                    reverser_id = \(bind: actor.userID?.rawValue), reverser_name = \(bind: actor.displayName),
                    reversal_reason = \(bind: input.reason)
                WHERE id = \(bind: id.rawValue) AND reversed_at IS NULL RETURNING id
                """
            ).first()
            guard changed != nil else { throw ProgressStoreError.notReversible }
            // The report waits for the office again.
            try await database.raw(
                "UPDATE reports SET state = 'submitted' WHERE id = \(bind: report.id.rawValue)"
            ).run()
            try await database.raw(
                """
                INSERT INTO assignment_events (plan_id, assignment_id, kind, on_date, report_id, target_on)
                VALUES (\(bind: input.assignment.planID.rawValue), \(bind: report.assignmentID.rawValue), 'reverse-review',
                    \(bind: input.on.iso), \(bind: report.id.rawValue), \(bind: before.decidedOn.iso))
                """
            ).run()
            var after = before
            after.reversal = Reversal(reason: input.reason, byName: actor.displayName, at: now, on: input.on)
            return (
                after,
                AuditEntryDraft(
                    action: "review.reverse", subject: "report:\(report.id)",
                    before: .object([
                        ("assignment", .string(input.assignment.label)), ("state", .string(report.state.rawValue)),
                        ("decision", .string(before.decision.rawValue)), ("decidedOn", .string(before.decidedOn.iso)),
                        ("reason", .string(before.reason)),
                    ]),
                    after: .object([
                        ("assignment", .string(input.assignment.label)), ("state", .string(ReportState.submitted.rawValue)),
                        ("reversedOn", .string(input.on.iso)), ("reversalReason", .string(input.reason)),
                    ]))
            )
        }
    }

    func reverseExtension(_ id: ExtensionRecord.ID, _ input: ReversalInput, actor: AuditActor) async throws -> ExtensionRecord {
        let now = now()
        return try await audited(actor) { database in
            try await SQLStore.bumpActivity(input.assignment.planID, on: database)
            guard let before = try await SQLStore.extensionRecord(id.rawValue, on: database),
                before.assignmentID == input.assignment.id
            else { throw ProgressStoreError.noSuchExtension(id) }
            guard before.kind == .request, before.state != .pending, before.reversal == nil, let decidedOn = before.decidedOn
            else { throw ProgressStoreError.notReversible }
            if try await database.raw(
                "SELECT id FROM extensions WHERE assignment_id = \(bind: before.assignmentID.rawValue) AND state = 'pending'"
            ).first() != nil {
                throw ProgressStoreError.extensionPending
            }
            // Only the latest standing decision of the assignment can be reversed.
            let latest = try await database.raw(
                """
                SELECT id FROM extensions WHERE assignment_id = \(bind: before.assignmentID.rawValue)
                    AND state <> 'pending' AND reversed_at IS NULL ORDER BY decided_at DESC, id DESC LIMIT 1
                """
            ).first()?.decode(column: "id", as: Int.self)
            guard latest == id.rawValue else { throw ProgressStoreError.notReversible }
            let changed = try await database.raw(
                """
                UPDATE extensions SET reversed_at = \(bind: now), reversed_on = \(bind: input.on.iso),
                    reverser_id = \(bind: actor.userID?.rawValue), reverser_name = \(bind: actor.displayName),
                    reversal_reason = \(bind: input.reason)
                WHERE id = \(bind: id.rawValue) AND reversed_at IS NULL RETURNING id
                """
            ).first()
            guard changed != nil else { throw ProgressStoreError.notReversible }
            // The same request waits for a decision again, as its own row.
            let reopened = try await database.raw(
                """
                INSERT INTO extensions (assignment_id, plan_id, kind, agency_id, requester_id, requester_name, requested_at,
                    requested_on, previous_due, new_due, reason, state, reopens_id)
                SELECT assignment_id, plan_id, kind, agency_id, requester_id, requester_name, requested_at, requested_on,
                    previous_due, new_due, reason, 'pending', id
                FROM extensions WHERE id = \(bind: id.rawValue)
                RETURNING id
                """
            ).first()
            guard let reopened else { throw SQLStoreFailure.noRowReturned("extensions") }
            try await database.raw(
                """
                INSERT INTO assignment_events (plan_id, assignment_id, kind, on_date, approved, new_due, target_on)
                VALUES (\(bind: input.assignment.planID.rawValue), \(bind: before.assignmentID.rawValue), 'reverse-extension',
                    \(bind: input.on.iso), \(bind: before.state == .approved ? 1 : 0), \(bind: before.newDue.iso),
                    \(bind: decidedOn.iso))
                """
            ).run()
            let reopenedID = try reopened.decode(column: "id", as: Int.self)
            guard let after = try await SQLStore.extensionRecord(id.rawValue, on: database),
                let request = try await SQLStore.extensionRecord(reopenedID, on: database)
            else { throw ProgressStoreError.noSuchExtension(id) }
            return (
                request,
                AuditEntryDraft(
                    action: "extension.reverse", subject: "extension:\(id)",
                    before: SQLStore.auditValue(before, assignment: input.assignment),
                    after: SQLStore.auditValue(after, assignment: input.assignment))
            )
        }
    }

    static func bumpActivity(_ plan: PlanRecord.ID, on database: any SQLDatabase) async throws {
        try await database.raw("UPDATE plans SET activity = activity + 1 WHERE id = \(bind: plan.rawValue)").run()
    }

    static func insertExtensionEvent(
        plan: PlanRecord.ID, assignment: AssignmentRecord.ID, on: LocalDate, approved: Bool, newDue: LocalDate,
        database: any SQLDatabase
    ) async throws {
        try await database.raw(
            """
            INSERT INTO assignment_events (plan_id, assignment_id, kind, on_date, approved, new_due)
            VALUES (\(bind: plan.rawValue), \(bind: assignment.rawValue), 'extension', \(bind: on.iso),
                \(bind: approved ? 1 : 0), \(bind: newDue.iso))
            """
        ).run()
    }

    // MARK: Reads

    static let reportColumns = """
        r.id, r.assignment_id, r.plan_id, r.agency_id, g.name AS agency_name, r.kind, r.state, r.claimed_stage, r.percent,
        r.result, r.achieved_on, r.evidence, r.difficulties, r.proposals, r.version, r.author_name, r.updated_by_name,
        r.updated_at, r.submitted_at, r.submitted_on, r.withdrawn_at, r.withdrawn_on, r.withdrawn_by_name,
        r.withdrawal_reason
        """

    static func report(_ id: Int, on database: any SQLDatabase) async throws -> ReportRecord? {
        guard
            let row = try await database.raw(
                "SELECT \(unsafeRaw: reportColumns) FROM reports r JOIN agencies g ON g.id = r.agency_id WHERE r.id = \(bind: id)"
            ).first()
        else { return nil }
        let attachments = try await database.raw(
            """
            SELECT \(unsafeRaw: attachmentColumns) FROM attachments
            WHERE report_id = \(bind: id) AND removed_at IS NULL ORDER BY id
            """
        ).all().map(attachmentInfo)
        return try reportRecord(row, attachments: attachments)
    }

    static func reportRecord(_ row: any SQLRow, attachments: [AttachmentInfo]) throws -> ReportRecord {
        ReportRecord(
            id: ReportRecord.ID(try row.decode(column: "id", as: Int.self)),
            assignmentID: AssignmentRecord.ID(try row.decode(column: "assignment_id", as: Int.self)),
            planID: PlanRecord.ID(try row.decode(column: "plan_id", as: Int.self)),
            agencyID: AgencyRecord.ID(try row.decode(column: "agency_id", as: Int.self)),
            agencyName: try row.decode(column: "agency_name", as: String.self),
            kind: ReportKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .report,
            state: ReportState(rawValue: try row.decode(column: "state", as: String.self)) ?? .draft,
            content: ReportContent(
                claimedStage: ClaimedStage(rawValue: try row.decode(column: "claimed_stage", as: String.self)) ?? .inProgress,
                percent: try row.decode(column: "percent", as: Int.self),
                result: try row.decode(column: "result", as: String.self),
                achievedOn: try row.decode(column: "achieved_on", as: String?.self).flatMap { LocalDate(iso: $0) },
                evidence: try JSONDecoder().decode(
                    [EvidenceReference].self, from: Data(try row.decode(column: "evidence", as: String.self).utf8)),
                difficulties: try row.decode(column: "difficulties", as: String.self),
                proposals: try row.decode(column: "proposals", as: String.self)),
            version: try row.decode(column: "version", as: Int.self),
            authorName: try row.decode(column: "author_name", as: String.self),
            updatedByName: try row.decode(column: "updated_by_name", as: String.self),
            updatedAt: try row.decode(column: "updated_at", as: String.self),
            submittedAt: try row.decode(column: "submitted_at", as: String?.self),
            submittedOn: try row.decode(column: "submitted_on", as: String?.self).flatMap { LocalDate(iso: $0) },
            attachments: attachments,
            withdrawal: try reversal(
                row, at: "withdrawn_at", on: "withdrawn_on", by: "withdrawn_by_name", reason: "withdrawal_reason"))
    }

    /// A withdrawal or reversal from its four columns, nil when it has none.
    static func reversal(_ row: any SQLRow, at: String, on: String, by: String, reason: String) throws -> Reversal? {
        guard let time = try row.decode(column: at, as: String?.self),
            let day = try row.decode(column: on, as: String?.self).flatMap({ LocalDate(iso: $0) })
        else { return nil }
        return Reversal(
            reason: try row.decode(column: reason, as: String?.self) ?? "",
            byName: try row.decode(column: by, as: String?.self) ?? "", at: time, on: day)
    }

    static let attachmentColumns = "id, report_id, file_name, content_type, size, sha256, uploaded_at"

    static func attachmentInfo(_ row: any SQLRow) throws -> AttachmentInfo {
        AttachmentInfo(
            id: AttachmentInfo.ID(try row.decode(column: "id", as: Int.self)),
            reportID: ReportRecord.ID(try row.decode(column: "report_id", as: Int.self)),
            fileName: try row.decode(column: "file_name", as: String.self),
            contentType: try row.decode(column: "content_type", as: String.self),
            size: try row.decode(column: "size", as: Int.self), sha256: try row.decode(column: "sha256", as: String.self),
            uploadedAt: try row.decode(column: "uploaded_at", as: String.self))
    }

    static func revision(_ id: Int, version: Int, on database: any SQLDatabase) async throws -> ReportRevision? {
        guard
            let row = try await database.raw(
                """
                SELECT version, content, saved_by_name, saved_at FROM report_revisions
                WHERE report_id = \(bind: id) AND version = \(bind: version)
                """
            ).first()
        else { return nil }
        return ReportRevision(
            version: try row.decode(column: "version", as: Int.self),
            content: try JSONDecoder().decode(
                ReportContent.self, from: Data(try row.decode(column: "content", as: String.self).utf8)),
            savedByName: try row.decode(column: "saved_by_name", as: String.self),
            savedAt: try row.decode(column: "saved_at", as: String.self))
    }

    static let extensionColumns = """
        id, assignment_id, plan_id, kind, agency_id, requester_name, requested_at, requested_on, previous_due, new_due,
        reason, state, decider_name, decision_reason, decided_at, decided_on, reversed_at, reversed_on, reverser_name,
        reversal_reason, reopens_id
        """

    static func extensionRecord(_ id: Int, on database: any SQLDatabase) async throws -> ExtensionRecord? {
        try await database.raw("SELECT \(unsafeRaw: extensionColumns) FROM extensions WHERE id = \(bind: id)").first()
            .map(extensionRecord)
    }

    static func extensionRecord(_ row: any SQLRow) throws -> ExtensionRecord {
        func date(_ column: String) throws -> LocalDate? {
            try row.decode(column: column, as: String?.self).flatMap { LocalDate(iso: $0) }
        }
        return ExtensionRecord(
            id: ExtensionRecord.ID(try row.decode(column: "id", as: Int.self)),
            assignmentID: AssignmentRecord.ID(try row.decode(column: "assignment_id", as: Int.self)),
            planID: PlanRecord.ID(try row.decode(column: "plan_id", as: Int.self)),
            kind: ExtensionKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .request,
            agencyID: try row.decode(column: "agency_id", as: Int?.self).map(AgencyRecord.ID.init),
            requesterName: try row.decode(column: "requester_name", as: String.self),
            requestedAt: try row.decode(column: "requested_at", as: String.self),
            requestedOn: try date("requested_on") ?? LocalDate(daysSinceEpoch: 0), previousDue: try date("previous_due"),
            newDue: try date("new_due") ?? LocalDate(daysSinceEpoch: 0),
            reason: try row.decode(column: "reason", as: String.self),
            state: ExtensionState(rawValue: try row.decode(column: "state", as: String.self)) ?? .pending,
            deciderName: try row.decode(column: "decider_name", as: String?.self),
            decisionReason: try row.decode(column: "decision_reason", as: String?.self),
            decidedAt: try row.decode(column: "decided_at", as: String?.self), decidedOn: try date("decided_on"),
            reversal: try reversal(
                row, at: "reversed_at", on: "reversed_on", by: "reverser_name", reason: "reversal_reason"),
            reopensID: try row.decode(column: "reopens_id", as: Int?.self).map(ExtensionRecord.ID.init))
    }

    static let reviewColumns = """
        id, report_id, assignment_id, decision, reason, completed_on, reviewer_name, decided_at, decided_on, reversed_at,
        reversed_on, reverser_name, reversal_reason
        """

    static func reviewRecord(_ row: any SQLRow) throws -> ReviewRecord {
        ReviewRecord(
            id: ReviewRecord.ID(try row.decode(column: "id", as: Int.self)),
            reportID: ReportRecord.ID(try row.decode(column: "report_id", as: Int.self)),
            assignmentID: AssignmentRecord.ID(try row.decode(column: "assignment_id", as: Int.self)),
            decision: ReviewDecision(rawValue: try row.decode(column: "decision", as: String.self)) ?? .return,
            reason: try row.decode(column: "reason", as: String.self),
            completedOn: try row.decode(column: "completed_on", as: String?.self).flatMap { LocalDate(iso: $0) },
            reviewerName: try row.decode(column: "reviewer_name", as: String.self),
            decidedAt: try row.decode(column: "decided_at", as: String.self),
            decidedOn: LocalDate(iso: try row.decode(column: "decided_on", as: String.self)) ?? LocalDate(daysSinceEpoch: 0),
            reversal: try reversal(
                row, at: "reversed_at", on: "reversed_on", by: "reverser_name", reason: "reversal_reason"))
    }

    static func assignmentLog(_ assignment: AssignmentRecord.ID, on database: any SQLDatabase) async throws -> AssignmentLog {
        let id = assignment.rawValue
        var attachments: [Int: [AttachmentInfo]] = [:]
        for row in try await database.raw(
            """
            SELECT \(unsafeRaw: attachmentColumns) FROM attachments
            WHERE report_id IN (SELECT id FROM reports WHERE assignment_id = \(bind: id)) AND removed_at IS NULL ORDER BY id
            """
        ).all() {
            let info = try attachmentInfo(row)
            attachments[info.reportID.rawValue, default: []].append(info)
        }
        let reports = try await database.raw(
            """
            SELECT \(unsafeRaw: reportColumns) FROM reports r JOIN agencies g ON g.id = r.agency_id
            WHERE r.assignment_id = \(bind: id) ORDER BY r.id
            """
        ).all().map { row in
            try reportRecord(row, attachments: attachments[try row.decode(column: "id", as: Int.self)] ?? [])
        }
        let reviews = try await database.raw(
            """
            SELECT \(unsafeRaw: reviewColumns) FROM reviews WHERE assignment_id = \(bind: id) ORDER BY id
            """
        ).all().map(reviewRecord)
        let extensions = try await database.raw(
            "SELECT \(unsafeRaw: extensionColumns) FROM extensions WHERE assignment_id = \(bind: id) ORDER BY id"
        ).all().map(extensionRecord)
        return AssignmentLog(reports: reports, reviews: reviews, extensions: extensions)
    }

    static func events(_ plan: PlanRecord.ID, after: Int, on database: any SQLDatabase) async throws -> [ProgressEvent] {
        try await database.raw(
            """
            SELECT sequence, assignment_id, kind, on_date, report_id, percent, claims_completion, decision, completed_on,
                approved, new_due, target_on
            FROM assignment_events WHERE plan_id = \(bind: plan.rawValue) AND sequence > \(bind: after) ORDER BY sequence
            """
        ).all().compactMap { row -> ProgressEvent? in
            guard let on = LocalDate(iso: try row.decode(column: "on_date", as: String.self)) else { return nil }
            func date(_ column: String) throws -> LocalDate? {
                try row.decode(column: column, as: String?.self).flatMap { LocalDate(iso: $0) }
            }
            let change: ProgressEvent.Change
            switch try row.decode(column: "kind", as: String.self) {
            case "report":
                change = .report(
                    AssignmentHistory.Report(
                        id: try row.decode(column: "report_id", as: Int?.self) ?? 0, submittedOn: on,
                        percent: try row.decode(column: "percent", as: Int?.self) ?? 0,
                        claimsCompletion: (try row.decode(column: "claims_completion", as: Int?.self) ?? 0) != 0))
            case "review":
                let decision: AssignmentHistory.Review.Decision
                switch try row.decode(column: "decision", as: String?.self) {
                case "accept": decision = try date("completed_on").map { .accept(completedOn: $0) } ?? .acknowledge
                case "acknowledge": decision = .acknowledge
                default: decision = .return
                }
                change = .review(
                    AssignmentHistory.Review(
                        reportID: try row.decode(column: "report_id", as: Int?.self) ?? 0, decidedOn: on, decision: decision))
            case "withdraw":
                change = .withdrawal(reportID: try row.decode(column: "report_id", as: Int?.self) ?? 0, on: on)
            case "reverse-review":
                change = .reviewReversal(reportID: try row.decode(column: "report_id", as: Int?.self) ?? 0, on: on)
            case "extension-request":
                guard let newDue = try date("new_due") else { return nil }
                change = .extensionRequest(AssignmentHistory.ExtensionRequest(requestedOn: on, newDue: newDue))
            case "reverse-extension":
                guard let newDue = try date("new_due"), let decidedOn = try date("target_on") else { return nil }
                change = .extensionReversal(
                    decidedOn: decidedOn, approved: (try row.decode(column: "approved", as: Int?.self) ?? 0) != 0,
                    newDue: newDue, on: on)
            default:
                guard let newDue = try date("new_due") else { return nil }
                change = .extension(
                    AssignmentHistory.Extension(
                        decidedOn: on, approved: (try row.decode(column: "approved", as: Int?.self) ?? 0) != 0, newDue: newDue))
            }
            return ProgressEvent(
                sequence: try row.decode(column: "sequence", as: Int.self),
                assignmentID: AssignmentRecord.ID(try row.decode(column: "assignment_id", as: Int.self)), change: change)
        }
    }

    static func reviewQueue(_ plan: PlanRecord.ID, on database: any SQLDatabase) async throws -> ReviewQueue {
        let reports = try await database.raw(
            """
            SELECT \(unsafeRaw: reportColumns) FROM reports r JOIN agencies g ON g.id = r.agency_id
            WHERE r.plan_id = \(bind: plan.rawValue) AND r.state = 'submitted' AND r.kind = 'report'
            ORDER BY r.submitted_at, r.id
            """
        ).all().map { try reportRecord($0, attachments: []) }
        let extensions = try await database.raw(
            """
            SELECT \(unsafeRaw: extensionColumns) FROM extensions
            WHERE plan_id = \(bind: plan.rawValue) AND state = 'pending' ORDER BY requested_at, id
            """
        ).all().map(extensionRecord)
        return ReviewQueue(reports: reports, extensions: extensions)
    }

    static func attachment(_ id: Int, on database: any SQLDatabase) async throws -> (info: AttachmentInfo, bytes: [UInt8])? {
        guard
            let row = try await database.raw(
                "SELECT \(unsafeRaw: attachmentColumns), data FROM attachments WHERE id = \(bind: id) AND removed_at IS NULL"
            ).first()
        else { return nil }
        return (try attachmentInfo(row), [UInt8](try row.decode(column: "data", as: Data.self)))
    }

    // MARK: Encoding

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func auditValue(_ report: ReportRecord, assignment: AssignmentRef) -> JSONValue {
        let content = report.content
        return .object([
            ("assignment", .string(assignment.label)), ("kind", .string(report.kind.rawValue)),
            ("agency", .string(report.agencyName)), ("state", .string(report.state.rawValue)),
            ("version", .int(report.version)), ("stage", .string(content.claimedStage.rawValue)),
            ("percent", .int(content.percent)), ("result", .string(content.result)),
            ("achievedOn", content.achievedOn.map { .string($0.iso) } ?? .null),
            (
                "evidence",
                .array(
                    content.evidence.map {
                        .object([
                            ("number", .string($0.number)), ("date", $0.date.map { .string($0.iso) } ?? .null),
                            ("summary", .string($0.summary)),
                        ])
                    })
            ),
            ("difficulties", .string(content.difficulties)), ("proposals", .string(content.proposals)),
            (
                "attachments",
                .array(
                    report.attachments.map {
                        .object([("name", .string($0.fileName)), ("size", .int($0.size)), ("sha256", .string($0.sha256))])
                    })
            ),
        ])
    }

    static func auditValue(_ request: ExtensionRecord, assignment: AssignmentRef) -> JSONValue {
        .object([
            ("assignment", .string(assignment.label)), ("kind", .string(request.kind.rawValue)),
            ("previousDue", request.previousDue.map { .string($0.iso) } ?? .null), ("newDue", .string(request.newDue.iso)),
            ("reason", .string(request.reason)), ("state", .string(request.state.rawValue)),
            ("decisionReason", request.decisionReason.map(JSONValue.string) ?? .null),
        ])
    }
}

/// The database did something SQL promised it would not.
enum SQLStoreFailure: Error {
    case noRowReturned(String)
}

extension SQLStore {
    /// Every report and contribution of an agency, oldest first (`reports_agency`).
    static func agencyReports(_ agency: AgencyRecord.ID, on database: any SQLDatabase) async throws -> [AgencyReport] {
        try await database.raw(
            """
            SELECT id, plan_id, assignment_id, kind, state, updated_at FROM reports
            WHERE agency_id = \(bind: agency.rawValue) AND (state = 'draft' OR kind = 'contribution') ORDER BY id
            """
        ).all().compactMap { row in
            // Kinds and states this program writes; another (from a newer one) is left out.
            guard let kind = ReportKind(rawValue: try row.decode(column: "kind", as: String.self)),
                let state = ReportState(rawValue: try row.decode(column: "state", as: String.self))
            else { return nil }
            return AgencyReport(
                id: .init(try row.decode(column: "id", as: Int.self)),
                planID: .init(try row.decode(column: "plan_id", as: Int.self)),
                assignmentID: .init(try row.decode(column: "assignment_id", as: Int.self)), kind: kind, state: state,
                updatedAt: try row.decode(column: "updated_at", as: String.self))
        }
    }
}
