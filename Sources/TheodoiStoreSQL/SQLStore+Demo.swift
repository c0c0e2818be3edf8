import Foundation
import SQLKit
import TheodoiCore
import TheodoiStore

extension SQLStore {
    /// Stores a generated history: reports (with revisions), reviews, extensions and status events,
    /// in date order, in one transaction with one audit entry.
    func loadDemoHistory(_ history: DemoHistory, actor: AuditActor) async throws {
        try await audited(actor) { database in
            try await SQLStore.bumpActivity(history.plan, on: database)
            let plan = history.plan.rawValue
            var events: [(on: LocalDate, order: Int, values: SQLQueryString)] = []
            var reportCount = 0
            for item in history.items {
                for report in item.reports {
                    let content = report.content
                    let at = SQLStore.demoTime(report.submittedOn, hour: 2)
                    let state = report.review.map { $0.decision == .accept ? "accepted" : "returned" } ?? "submitted"
                    guard
                        let row = try await database.raw(
                            """
                            INSERT INTO reports (assignment_id, plan_id, agency_id, kind, state, claimed_stage, percent, result,
                                achieved_on, evidence, difficulties, proposals, version, author_name, updated_by_name, created_at,
                                updated_at, submitted_at, submitted_on)
                            VALUES (\(bind: item.assignment.rawValue), \(bind: plan), \(bind: item.agency.rawValue), 'report',
                                \(bind: state), \(bind: content.claimedStage.rawValue), \(bind: content.percent),
                                \(bind: content.result), \(bind: content.achievedOn?.iso), \(bind: try SQLStore.json(content.evidence)),
                                \(bind: content.difficulties), \(bind: content.proposals), 1, \(bind: item.author),
                                \(bind: item.author), \(bind: at), \(bind: at), \(bind: at), \(bind: report.submittedOn.iso))
                            RETURNING id
                            """
                        ).first()
                    else { throw SQLStoreFailure.noRowReturned("reports") }
                    let id = try row.decode(column: "id", as: Int.self)
                    reportCount += 1
                    try await database.raw(
                        """
                        INSERT INTO report_revisions (report_id, version, content, saved_by_name, saved_at)
                        VALUES (\(bind: id), 1, \(bind: try SQLStore.json(content)), \(bind: item.author), \(bind: at))
                        """
                    ).run()
                    events.append(
                        (
                            report.submittedOn, 0,
                            """
                            (\(bind: plan), \(bind: item.assignment.rawValue), 'report', \(bind: report.submittedOn.iso),
                            \(bind: id), \(bind: content.percent), \(bind: content.claimedStage == .done ? 1 : 0), NULL, NULL, NULL, NULL)
                            """
                        ))
                    if let review = report.review {
                        try await database.raw(
                            """
                            INSERT INTO reviews (report_id, assignment_id, decision, reason, completed_on, reviewer_name, decided_at,
                                decided_on)
                            VALUES (\(bind: id), \(bind: item.assignment.rawValue), \(bind: review.decision.rawValue),
                                \(bind: review.reason), \(bind: review.completedOn?.iso), \(bind: history.reviewer),
                                \(bind: SQLStore.demoTime(review.decidedOn, hour: 8)), \(bind: review.decidedOn.iso))
                            """
                        ).run()
                        let decision =
                            review.decision == .return ? "return" : review.completedOn == nil ? "acknowledge" : "accept"
                        events.append(
                            (
                                review.decidedOn, 1,
                                """
                                (\(bind: plan), \(bind: item.assignment.rawValue), 'review', \(bind: review.decidedOn.iso),
                                \(bind: id), NULL, NULL, \(bind: decision), \(bind: review.completedOn?.iso), NULL, NULL)
                                """
                            ))
                    }
                }
                for request in item.extensions {
                    let state = request.decision.map { $0.approved ? "approved" : "refused" } ?? "pending"
                    try await database.raw(
                        """
                        INSERT INTO extensions (assignment_id, plan_id, kind, agency_id, requester_name, requested_at, requested_on,
                            previous_due, new_due, reason, state, decider_name, decision_reason, decided_at, decided_on)
                        VALUES (\(bind: item.assignment.rawValue), \(bind: plan), 'request', \(bind: item.agency.rawValue),
                            \(bind: item.author), \(bind: SQLStore.demoTime(request.requestedOn, hour: 3)),
                            \(bind: request.requestedOn.iso), \(bind: request.previousDue?.iso), \(bind: request.newDue.iso),
                            \(bind: request.reason), \(bind: state), \(bind: request.decision == nil ? nil : history.reviewer),
                            \(bind: request.decision?.reason), \(bind: request.decision.map { SQLStore.demoTime($0.decidedOn, hour: 9) }),
                            \(bind: request.decision?.decidedOn.iso))
                        """
                    ).run()
                    if let decision = request.decision {
                        events.append(
                            (
                                decision.decidedOn, 2,
                                """
                                (\(bind: plan), \(bind: item.assignment.rawValue), 'extension', \(bind: decision.decidedOn.iso),
                                NULL, NULL, NULL, NULL, NULL, \(bind: decision.approved ? 1 : 0), \(bind: request.newDue.iso))
                                """
                            ))
                    }
                }
            }
            // Status events in date order, in batches.
            let sorted = events.sorted { ($0.on, $0.order) < ($1.on, $1.order) }
            var start = 0
            while start < sorted.count {
                let batch = sorted[start..<min(sorted.count, start + 400)]
                var query: SQLQueryString =
                    "INSERT INTO assignment_events (plan_id, assignment_id, kind, on_date, report_id, percent, claims_completion, decision, completed_on, approved, new_due) VALUES "
                for (index, event) in batch.enumerated() { query = query + (index == 0 ? "" : ", ") + event.values }
                try await database.raw(query).run()
                start += 400
            }
            return (
                (),
                AuditEntryDraft(
                    action: "demo.history", subject: "plan:\(plan)", before: nil,
                    after: .object([
                        ("reports", .int(reportCount)), ("assignments", .int(history.items.count)),
                        ("extensions", .int(history.items.reduce(0) { $0 + $1.extensions.count })),
                    ]))
            )
        }
    }

    /// An ISO 8601 UTC time on `date` at `hour` UTC (the afternoon in Vietnam for 2–9).
    static func demoTime(_ date: LocalDate, hour: Int) -> String {
        "\(date.iso)T\(hour < 10 ? "0" : "")\(hour):00:00Z"
    }
}
