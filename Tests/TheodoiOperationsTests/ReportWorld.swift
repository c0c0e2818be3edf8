import Foundation
import Logging
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiStoreSQL

/// The 343-QĐ/TU catalogue in an in-memory store, with helpers to send, review and extend as the
/// agencies and the office would on given days: the world the periodic-report tests write history into.
struct ReportWorld {
    static func date(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }
    static let officer = AuditActor(userID: nil, label: "canbo", address: "local", name: "Cán bộ")
    static let office = AuditActor(userID: nil, label: "vanphong", address: "local", name: "Văn phòng")

    let store: SQLStore
    let plan: PlanRecord
    let assignments: [AssignmentRecord]

    static func open() async throws -> ReportWorld {
        let store = try await SQLStore.open(.sqliteMemory, logger: Logger(label: "test"))
        try await store.client.migrate()
        let importer = CatalogueImporter(
            store: store.client, parser: CatalogueParser(directory: try AgencyDirectory.bundled()))
        let plan = try #require(try await importer.loadSeedIfEmpty()).plan
        return ReportWorld(store: store, plan: plan, assignments: try await store.client.assignments(plan.id))
    }

    func ref(_ code: String) throws -> (AssignmentRef, AssignmentRecord) {
        let assignment = try #require(assignments.first { $0.code == code })
        return (AssignmentRef(id: assignment.id, planID: plan.id, planSlug: plan.slug, code: code), assignment)
    }

    /// Sends a report (or a coordinator's contribution) on a day.
    @discardableResult
    func report(
        _ code: String, _ stage: ClaimedStage, percent: Int, on: String, result: String, achieved: String? = nil,
        difficulties: String = "", proposals: String = "", contribution: Bool = false
    ) async throws -> ReportRecord {
        let (assignment, record) = try ref(code)
        let agency = try #require((contribution ? record.coordinators : record.lead).compactMap(\.agencyID).first)
        return try await store.progress.saveReport(
            ReportSave(
                id: nil, expectedVersion: nil, assignment: assignment, agencyID: agency,
                kind: contribution ? .contribution : .report,
                content: ReportContent(
                    claimedStage: stage, percent: percent, result: result, achievedOn: achieved.map(Self.date),
                    evidence: stage == .done ? [EvidenceReference(number: "12/QĐ-SGDĐT", date: nil, summary: "Quyết định")] : [],
                    difficulties: difficulties, proposals: proposals), submit: true, on: Self.date(on)), Self.officer)
    }

    /// The office accepts or returns a report on a day.
    func review(
        _ code: String, _ report: ReportRecord, _ decision: ReviewDecision, on: String, completed: String? = nil,
        reason: String = "Thiếu tệp quyết định đã ký"
    ) async throws {
        _ = try await store.progress.reviewReport(
            ReviewInput(
                reportID: report.id, assignment: try ref(code).0, decision: decision, reason: reason,
                completedOn: completed.map(Self.date), on: Self.date(on)), Self.office)
    }

    /// An extension asked for and approved.
    func extend(_ code: String, from previous: String, to new: String, asked: String, approved: String) async throws {
        let (assignment, record) = try ref(code)
        let request = try await store.progress.recordExtension(
            ExtensionInput(
                assignment: assignment, kind: .request, agencyID: record.lead.first?.agencyID,
                previousDue: Self.date(previous), newDue: Self.date(new), reason: "Chờ hướng dẫn", on: Self.date(asked)),
            Self.officer)
        _ = try await store.progress.decideExtension(
            ExtensionDecisionInput(
                extensionID: request.id, assignment: assignment, approve: true, reason: "", on: Self.date(approved)),
            Self.office)
    }

    /// The periodic reports of this world, "today" being `today`.
    func reports(today: String) -> PeriodicReports {
        let snapshots = PlanSnapshots(store: store.client, progress: store.progress)
        return PeriodicReports(
            views: PlanViews(store: store.client, snapshots: snapshots), reports: store.reports, converter: nil,
            today: { Self.date(today) })
    }
}
