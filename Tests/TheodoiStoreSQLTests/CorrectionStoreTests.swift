import Foundation
import Testing
import TheodoiCore
import TheodoiStore
import TheodoiStoreSQL

/// Withdrawals and reversals on every backend: a new dated event, never an edit of what it undoes;
/// guarded in the database; the event feed gives the same history as the log.
@Suite("Corrections on the record")
struct CorrectionStoreTests {
    typealias Fixture = ProgressStoreTests

    static func reversal(_ ref: AssignmentRef, _ reason: String, on: String) -> ReversalInput {
        ReversalInput(assignment: ref, reason: reason, on: Fixture.date(on))
    }

    @Test(
        "a sent report is withdrawn once, only before a decision; it stays, marked, and the feed says from when",
        arguments: Backends.all)
    func withdrawal(backend: String) async throws {
        try await Backends.withSQLStore(backend) { store in
            let (ref, agency) = try await Fixture.setUp(store)
            let progress = store.progress
            let sent = try await progress.saveReport(
                Fixture.save(ref, agency, result: "Gửi nhầm", stage: .done, submit: true, on: "2025-09-20"), Fixture.officer)
            let withdrawn = try await progress.withdrawReport(
                sent.id, Self.reversal(ref, "Gửi nhầm bản chưa ký", on: "2025-09-21"), Fixture.officer)
            #expect(withdrawn.state == .withdrawn)
            #expect(withdrawn.content == sent.content && withdrawn.submittedOn == sent.submittedOn)
            #expect(withdrawn.withdrawal?.reason == "Gửi nhầm bản chưa ký")
            #expect(withdrawn.withdrawal?.on == Fixture.date("2025-09-21"))
            #expect(withdrawn.withdrawal?.byName == "Cán bộ SGDĐT")
            await #expect(throws: ProgressStoreError.notWithdrawable(.withdrawn)) {
                _ = try await progress.withdrawReport(sent.id, Self.reversal(ref, "", on: "2025-09-21"), Fixture.officer)
            }
            // A withdrawn report is not in the queue and cannot be reviewed.
            #expect(try await progress.reviewQueue(ref.planID).reports.isEmpty)
            await #expect(throws: ProgressStoreError.notReviewable(.withdrawn)) {
                _ = try await progress.reviewReport(
                    ReviewInput(
                        reportID: sent.id, assignment: ref, decision: .accept, reason: "", completedOn: nil,
                        on: Fixture.date("2025-09-22")), Fixture.monitor)
            }
            // A report the office decided on cannot be withdrawn.
            let again = try await progress.saveReport(
                Fixture.save(ref, agency, result: "Gửi lại", stage: .done, submit: true, on: "2025-09-22"), Fixture.officer)
            _ = try await progress.reviewReport(
                ReviewInput(
                    reportID: again.id, assignment: ref, decision: .return, reason: "Thiếu", completedOn: nil,
                    on: Fixture.date("2025-09-23")), Fixture.monitor)
            await #expect(throws: ProgressStoreError.notWithdrawable(.returned)) {
                _ = try await progress.withdrawReport(again.id, Self.reversal(ref, "", on: "2025-09-23"), Fixture.officer)
            }
            let events = try await progress.events(ref.planID, 0).map(\.change)
            #expect(events.contains(.withdrawal(reportID: sent.id.rawValue, on: Fixture.date("2025-09-21"))))
            #expect(try await progress.assignmentLog(ref.id).history.reports.first?.withdrawnOn == Fixture.date("2025-09-21"))
            let audit = try await store.accounts.auditLog(AuditFilter(action: "report.withdraw", limit: 5)).entries
            #expect(audit.count == 1 && audit.first?.before != nil && audit.first?.after != nil)
        }
    }

    @Test(
        "a decision is reversed with a reason; the report waits again and takes a new decision; both stay",
        arguments: Backends.all)
    func reviewReversal(backend: String) async throws {
        try await Backends.withSQLStore(backend) { store in
            let (ref, agency) = try await Fixture.setUp(store)
            let progress = store.progress
            let sent = try await progress.saveReport(
                Fixture.save(ref, agency, result: "Xong", stage: .done, submit: true, on: "2025-09-20"), Fixture.officer)
            let accepted = try await progress.reviewReport(
                ReviewInput(
                    reportID: sent.id, assignment: ref, decision: .accept, reason: "", completedOn: Fixture.date("2025-08-28"),
                    on: Fixture.date("2025-09-22")), Fixture.monitor)
            let reversed = try await progress.reverseReview(
                accepted.id, Self.reversal(ref, "Xác nhận nhầm nhiệm vụ", on: "2025-09-24"), Fixture.monitor)
            #expect(reversed.reversal?.reason == "Xác nhận nhầm nhiệm vụ")
            #expect(reversed.decision == .accept && reversed.decidedOn == Fixture.date("2025-09-22"))
            #expect(try await progress.report(sent.id)?.state == .submitted)
            #expect(try await progress.reviewQueue(ref.planID).reports.map(\.id) == [sent.id])
            await #expect(throws: ProgressStoreError.notReversible) {
                _ = try await progress.reverseReview(
                    accepted.id, Self.reversal(ref, "Lần hai", on: "2025-09-24"), Fixture.monitor)
            }
            let returned = try await progress.reviewReport(
                ReviewInput(
                    reportID: sent.id, assignment: ref, decision: .return, reason: "Thiếu bản ký", completedOn: nil,
                    on: Fixture.date("2025-09-24")), Fixture.monitor)
            let log = try await progress.assignmentLog(ref.id)
            #expect(log.reviews.map(\.id) == [accepted.id, returned.id])
            #expect(log.reviews.map { $0.reversal != nil } == [true, false])
            // The feed, folded, says the same as the log.
            var history = AssignmentHistory()
            for event in try await progress.events(ref.planID, 0) {
                switch event.change {
                case .report(let report): history.reports.append(report)
                case .review(let review): history.reviews.append(review)
                case .reviewReversal(let reportID, let on):
                    if let index = history.reviews.lastIndex(where: { $0.reportID == reportID && $0.reversedOn == nil }) {
                        history.reviews[index].reversedOn = on
                    }
                default: Issue.record("unexpected event \(event.change)")
                }
            }
            #expect(history == log.history)
            let audit = try await store.accounts.auditLog(AuditFilter(action: "review.reverse", limit: 5)).entries
            #expect(audit.count == 1)
        }
    }

    @Test("an extension decision is reversed; the request waits again as a new row naming it", arguments: Backends.all)
    func extensionReversal(backend: String) async throws {
        try await Backends.withSQLStore(backend) { store in
            let (ref, agency) = try await Fixture.setUp(store)
            let progress = store.progress
            let request = try await progress.recordExtension(
                ExtensionInput(
                    assignment: ref, kind: .request, agencyID: agency, previousDue: Fixture.date("2025-08-31"),
                    newDue: Fixture.date("2025-12-31"), reason: "Chờ kinh phí", on: Fixture.date("2025-08-20")),
                Fixture.officer)
            let approved = try await progress.decideExtension(
                ExtensionDecisionInput(
                    extensionID: request.id, assignment: ref, approve: true, reason: "", on: Fixture.date("2025-08-22")),
                Fixture.monitor)
            let reopened = try await progress.reverseExtension(
                approved.id, Self.reversal(ref, "Đồng ý nhầm", on: "2025-08-25"), Fixture.monitor)
            #expect(reopened.state == .pending && reopened.reopensID == request.id)
            #expect(reopened.newDue == request.newDue && reopened.reason == request.reason)
            let old = try #require(try await progress.extensionRequest(request.id))
            #expect(old.state == .approved && old.reversal?.reason == "Đồng ý nhầm")
            await #expect(throws: ProgressStoreError.notReversible) {
                _ = try await progress.reverseExtension(request.id, Self.reversal(ref, "Lại", on: "2025-08-25"), Fixture.monitor)
            }
            let refused = try await progress.decideExtension(
                ExtensionDecisionInput(
                    extensionID: reopened.id, assignment: ref, approve: false, reason: "Không có căn cứ",
                    on: Fixture.date("2025-08-25")), Fixture.monitor)
            #expect(refused.state == .refused)
            let events = try await progress.events(ref.planID, 0).map(\.change)
            #expect(
                events.contains(
                    .extensionReversal(
                        decidedOn: Fixture.date("2025-08-22"), approved: true, newDue: Fixture.date("2025-12-31"),
                        on: Fixture.date("2025-08-25"))))
            let history = try await progress.assignmentLog(ref.id).history
            #expect(history.extensions.map(\.reversedOn) == [Fixture.date("2025-08-25"), nil])
        }
    }
}
