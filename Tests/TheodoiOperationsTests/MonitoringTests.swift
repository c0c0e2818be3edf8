import Foundation
import Logging
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiStoreSQL

/// The dashboard, scorecard, lists and changes against an independent, straightforward computation
/// over the same stored data (the store's logs, not the snapshots' event feed; plain loops, not the
/// status engine), as of dates on every boundary: due today, due yesterday, completed on the due
/// date, extended, set later, returned then accepted.
@Suite("Monitoring against an independent computation")
struct MonitoringTests {
    static func date(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }
    static let officer = AuditActor(userID: nil, label: "canbo", address: "local", name: "Cán bộ")
    static let office = AuditActor(userID: nil, label: "vanphong", address: "local", name: "Văn phòng")

    /// What a straightforward reading of DESIGN §5 says about one row.
    struct Naive: Equatable {
        var timeliness: Timeliness
        var stage: Stage
        var due: LocalDate?
        var completed: LocalDate?
    }

    static func naive(
        _ assignment: AssignmentRecord, all: [AssignmentRecord], logs: [AssignmentRecord.ID: AssignmentLog], asOf: LocalDate
    ) -> Naive {
        let children = all.filter { $0.parent == assignment.code }
        if !children.isEmpty {
            let kids = children.map { naive($0, all: all, logs: logs, asOf: asOf) }
            let done = kids.allSatisfy { $0.timeliness == .doneOnTime || $0.timeliness == .doneLate }
            let due = assignment.deadline.due ?? kids.compactMap(\.due).max()
            let completed = done ? kids.compactMap(\.completed).max() : nil
            var timeliness: Timeliness
            if let completed {
                timeliness = due.map { completed <= $0 } ?? true ? .doneOnTime : .doneLate
            } else if let due {
                timeliness = due >= asOf ? .openInTime : .openOverdue
            } else {
                timeliness = .undetermined
            }
            if assignment.deadline.kind == .recurring { timeliness = .recurring }
            let stage: Stage = done ? .done : kids.allSatisfy { $0.stage == .notStarted } ? .notStarted : .inProgress
            return Naive(timeliness: timeliness, stage: stage, due: due, completed: completed)
        }
        let log = logs[assignment.id] ?? AssignmentLog()
        var due = assignment.deadline.due
        var latestDecision: LocalDate?
        for request in log.extensions where request.state == .approved {
            if let decided = request.decidedOn, decided <= asOf, latestDecision == nil || decided >= latestDecision! {
                latestDecision = decided
                due = request.newDue
            }
        }
        var completed: LocalDate?
        for review in log.reviews where review.decision == .accept && review.decidedOn <= asOf {
            if let date = review.completedOn { completed = date }
        }
        let sent = log.reports.filter { $0.kind == .report && ($0.submittedOn.map { $0 <= asOf } ?? false) }
        var stage = Stage.notStarted
        if completed != nil {
            stage = .done
        } else if let last = sent.last {
            let review = log.reviews.last { $0.reportID == last.id && $0.decidedOn <= asOf }
            if review?.decision == .return {
                stage = .returned
            } else if last.content.claimedStage == .done && review == nil {
                stage = .awaitingReview
            } else {
                stage = .inProgress
            }
        }
        var timeliness: Timeliness
        if assignment.deadline.kind == .recurring {
            timeliness = .recurring
        } else if let completed {
            timeliness = due.map { completed <= $0 } ?? true ? .doneOnTime : .doneLate
        } else if let due {
            timeliness = due >= asOf ? .openInTime : .openOverdue
        } else {
            timeliness = .undetermined
        }
        return Naive(timeliness: timeliness, stage: stage, due: due, completed: completed)
    }

    @Test("every count, list and change as of boundary dates matches the straightforward computation")
    func boundaries() async throws {
        let store = try await SQLStore.open(.sqliteMemory, logger: Logger(label: "test"))
        let client = store.client
        let progress = store.progress
        try await client.migrate()
        let importer = CatalogueImporter(store: client, parser: CatalogueParser(directory: try AgencyDirectory.bundled()))
        let plan = try #require(try await importer.loadSeedIfEmpty()).plan
        let assignments = try await client.assignments(plan.id)
        func ref(_ code: String) throws -> (AssignmentRef, AgencyRecord.ID) {
            let assignment = try #require(assignments.first { $0.code == code })
            return (
                AssignmentRef(id: assignment.id, planID: plan.id, planSlug: plan.slug, code: code),
                try #require(assignment.lead.first?.agencyID)
            )
        }
        func report(_ code: String, _ stage: ClaimedStage, on: String, achieved: String? = nil) async throws -> ReportRecord {
            let (assignment, agency) = try ref(code)
            return try await progress.saveReport(
                ReportSave(
                    id: nil, expectedVersion: nil, assignment: assignment, agencyID: agency, kind: .report,
                    content: ReportContent(
                        claimedStage: stage, percent: stage == .done ? 100 : 40, result: "Kết quả",
                        achievedOn: achieved.map(Self.date)), submit: true, on: Self.date(on)), Self.officer)
        }
        func review(
            _ code: String, _ report: ReportRecord, _ decision: ReviewDecision, on: String, completed: String? = nil
        )
            async throws
        {
            _ = try await progress.reviewReport(
                ReviewInput(
                    reportID: report.id, assignment: try ref(code).0, decision: decision, reason: "Lý do",
                    completedOn: completed.map(Self.date), on: Self.date(on)), Self.office)
        }
        // Completed on its due date (30/09), accepted two days later.
        let onDue = try await report("A.17.4", .done, on: "2025-09-30", achieved: "2025-09-30")
        try await review("A.17.4", onDue, .accept, on: "2025-10-02", completed: "2025-09-30")
        // Extended before its due date (31/10 → 15/12).
        let (a177, a177Lead) = try ref("A.17.7")
        let request = try await progress.recordExtension(
            ExtensionInput(
                assignment: a177, kind: .request, agencyID: a177Lead, previousDue: Self.date("2025-10-31"),
                newDue: Self.date("2025-12-15"), reason: "Chờ", on: Self.date("2025-10-20")), Self.officer)
        _ = try await progress.decideExtension(
            ExtensionDecisionInput(
                extensionID: request.id, assignment: a177, approve: true, reason: "", on: Self.date("2025-10-25")),
            Self.office)
        // Late, returned, claimed again, accepted.
        let late = try await report("A.17.8", .done, on: "2025-10-05", achieved: "2025-10-03")
        try await review("A.17.8", late, .return, on: "2025-10-06")
        let again = try await report("A.17.8", .done, on: "2025-10-10", achieved: "2025-10-03")
        try await review("A.17.8", again, .accept, on: "2025-10-12", completed: "2025-10-03")
        // Progress noted; a claim still waiting; an external deadline given a date.
        let noted = try await report("A.17.9", .inProgress, on: "2025-09-15")
        try await review("A.17.9", noted, .accept, on: "2025-09-16")
        _ = try await report("A.17.5", .done, on: "2025-09-28", achieved: "2025-08-30")
        let (b4, _) = try ref("B.4")
        _ = try await progress.recordExtension(
            ExtensionInput(
                assignment: b4, kind: .setDue, agencyID: nil, previousDue: nil, newDue: Self.date("2025-12-01"), reason: "KH",
                on: Self.date("2025-10-01")), Self.office)
        // Every sub-task of A.17 done on time by 20/11: the parent completes.
        for child in assignments.filter({ $0.parent == "A.17" }) where !["A.17.4", "A.17.8"].contains(child.code) {
            let claim = try await report(child.code, .done, on: "2025-11-18", achieved: "2025-08-25")
            try await review(child.code, claim, .accept, on: "2025-11-20", completed: "2025-08-25")
        }

        var logs: [AssignmentRecord.ID: AssignmentLog] = [:]
        for assignment in assignments { logs[assignment.id] = try await progress.assignmentLog(assignment.id) }
        let snapshots = PlanSnapshots(store: client, progress: progress)
        let snapshot = try #require(try await snapshots.snapshot(slug: plan.slug))
        let dates = [
            "2025-09-29", "2025-09-30", "2025-10-01", "2025-10-02", "2025-10-24", "2025-10-31", "2025-11-01",
            "2025-11-20", "2025-12-01", "2025-12-02", "2025-12-15", "2025-12-16", "2026-03-01",
        ].map(Self.date)
        for asOf in dates {
            let expected = assignments.map { Self.naive($0, all: assignments, logs: logs, asOf: asOf) }
            let statuses = await snapshots.statuses(of: snapshot, asOf: asOf)
            let dashboard = await snapshots.dashboard(of: snapshot, asOf: asOf)
            let monitoring = await snapshots.monitoring(of: snapshot, asOf: asOf)
            let topLevel = assignments.indices.filter { assignments[$0].parent == nil }
            // Totals by timeliness and stage, over top-level assignments.
            for timeliness in Timeliness.allCases {
                #expect(
                    dashboard.overall.timeliness[timeliness] ?? 0
                        == topLevel.filter { expected[$0].timeliness == timeliness }.count, "\(asOf) \(timeliness)")
            }
            for stage in Stage.allCases {
                #expect(
                    dashboard.overall.stage[stage] ?? 0 == topLevel.filter { expected[$0].stage == stage }.count,
                    "\(asOf) \(stage)")
            }
            // Per part.
            for part in dashboard.parts {
                let rows = topLevel.filter { assignments[$0].part == part.key }
                #expect(part.total == rows.count)
                #expect(part.timeliness[.openOverdue] ?? 0 == rows.filter { expected[$0].timeliness == .openOverdue }.count)
            }
            // Every row's status.
            for index in assignments.indices {
                #expect(statuses[index].timeliness == expected[index].timeliness, "\(asOf) \(assignments[index].code)")
                #expect(statuses[index].stage == expected[index].stage, "\(asOf) \(assignments[index].code) stage")
            }
            // The lists, every row.
            let today = asOf.daysSinceEpoch
            #expect(
                Set(monitoring.overdue.map(\.position))
                    == Set(assignments.indices.filter { expected[$0].timeliness == .openOverdue }), "\(asOf) overdue")
            #expect(
                monitoring.overdue.map { $0.days ?? -1 }
                    == monitoring.overdue.map { today - (expected[$0.position].due?.daysSinceEpoch ?? 0) })
            #expect(
                Set(monitoring.dueSoon.map(\.position))
                    == Set(
                        assignments.indices.filter {
                            expected[$0].timeliness == .openInTime
                                && (expected[$0].due.map { $0.daysSinceEpoch - today <= 30 } ?? false)
                        }), "\(asOf) due soon")
            #expect(
                Set(monitoring.awaitingReview.map(\.position))
                    == Set(
                        assignments.indices.filter { index in
                            expected[index].stage == .awaitingReview
                                && !assignments.contains { $0.parent == assignments[index].code }
                        }), "\(asOf) awaiting")
            // Quiet: open leaf rows whose lead agency sent nothing for 30 days (counted from the plan's date).
            let quiet = assignments.indices.filter { index in
                let assignment = assignments[index]
                guard !assignments.contains(where: { $0.parent == assignment.code }),
                    assignment.lead.contains(where: { $0.agencyID != nil }),
                    expected[index].timeliness != .doneOnTime, expected[index].timeliness != .doneLate
                else { return false }
                let last = logs[assignment.id]?.reports.compactMap { report -> LocalDate? in
                    guard report.kind == .report, let sent = report.submittedOn, sent <= asOf else { return nil }
                    return sent
                }.max()
                guard let since = last ?? plan.date else { return false }
                return today - since.daysSinceEpoch >= 30
            }
            #expect(Set(monitoring.quiet.map(\.position)) == Set(quiet), "\(asOf) quiet")
            // The scorecard: each lead agency's top-level counts.
            for score in monitoring.scorecard {
                let led = topLevel.filter { index in assignments[index].lead.contains { $0.name == score.name } }
                #expect(score.assigned == led.count, "\(asOf) \(score.name)")
                #expect(score.overdue == led.filter { expected[$0].timeliness == .openOverdue }.count)
                #expect(score.doneOnTime == led.filter { expected[$0].timeliness == .doneOnTime }.count)
                #expect(score.doneLate == led.filter { expected[$0].timeliness == .doneLate }.count)
                #expect(score.awaitingReview == led.filter { expected[$0].stage == .awaitingReview }.count)
                // Reports over every row the agency leads.
                let rows = assignments.filter { $0.lead.contains { $0.name == score.name } }
                var returned = 0
                var lateReports = 0
                var last: LocalDate?
                for row in rows {
                    let log = logs[row.id] ?? AssignmentLog()
                    returned += log.reviews.filter { $0.decision == .return && $0.decidedOn <= asOf }.count
                    for report in log.reports where report.kind == .report {
                        guard let sent = report.submittedOn, sent <= asOf else { continue }
                        if last == nil || sent > last! { last = sent }
                        guard report.content.claimedStage == .done else { continue }
                        var due = row.deadline.due
                        var decided: LocalDate?
                        for request in log.extensions where request.state == .approved {
                            if let on = request.decidedOn, on <= sent, decided == nil || on >= decided! {
                                decided = on
                                due = request.newDue
                            }
                        }
                        if let due, sent > due { lateReports += 1 }
                    }
                }
                #expect(score.returnedReports == returned, "\(asOf) \(score.name) returned")
                #expect(score.lateReports == lateReports, "\(asOf) \(score.name) late reports")
                #expect(score.lastReport == last)
                #expect(score.daysSinceLastReport == last.map { today - $0.daysSinceEpoch })
                #expect(
                    score.due
                        == led.filter { expected[$0].timeliness != .recurring && (expected[$0].due.map { $0 <= asOf } ?? false) }
                        .count)
            }
            // Due per month.
            for month in monitoring.months {
                #expect(
                    month.due
                        == topLevel.filter {
                            expected[$0].timeliness != .recurring && expected[$0].due?.year == month.year
                                && expected[$0].due?.month == month.month
                        }.count, "\(asOf) \(month.key)")
            }
        }
        // Boundaries named outright.
        let a174 = try #require(snapshot.index["A.17.4"])
        let a177Position = try #require(snapshot.index["A.17.7"])
        func status(_ position: Int, _ iso: String) async -> AssignmentStatus {
            await snapshots.statuses(of: snapshot, asOf: Self.date(iso))[position]
        }
        #expect(await status(a174, "2025-09-30").timeliness == .openInTime)  // due today
        #expect(await status(a174, "2025-10-01").timeliness == .openOverdue)  // due yesterday, not yet accepted
        #expect(await status(a174, "2025-10-02").timeliness == .doneOnTime)  // completed on the due date
        #expect(await status(a177Position, "2025-10-24").effectiveDue == Self.date("2025-10-31"))  // before the decision
        #expect(await status(a177Position, "2025-11-01").timeliness == .openInTime)  // extended past its 31/10
        #expect(await status(a177Position, "2025-11-20").timeliness == .doneOnTime)  // done 25/08, accepted 20/11

        // What changed between two dates.
        let changes = await snapshots.changes(of: snapshot, from: Self.date("2025-10-01"), to: Self.date("2025-11-30"))
        let before = assignments.map { Self.naive($0, all: assignments, logs: logs, asOf: Self.date("2025-10-01")) }
        let after = assignments.map { Self.naive($0, all: assignments, logs: logs, asOf: Self.date("2025-11-30")) }
        let isDone = { (status: Naive) in status.timeliness == .doneOnTime || status.timeliness == .doneLate }
        #expect(Set(changes.completed) == Set(assignments.indices.filter { isDone(after[$0]) && !isDone(before[$0]) }))
        #expect(
            Set(changes.newlyOverdue)
                == Set(
                    assignments.indices.filter { after[$0].timeliness == .openOverdue && before[$0].timeliness != .openOverdue }))
        #expect(changes.extensionsGranted.map { snapshot.assignments[$0.position].code } == ["A.17.7"])
        #expect(changes.returned.map { snapshot.assignments[$0.position].code } == ["A.17.8"])
        await store.shutdown()
    }
}
