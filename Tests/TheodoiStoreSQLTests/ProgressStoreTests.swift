import Foundation
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiStore
import TheodoiStoreSQL

/// Reports, reviews, extensions and attachments on every backend: state guarded in the database,
/// concurrent edits detected, files byte for byte, every write audited.
@Suite("Progress store")
struct ProgressStoreTests {
    static let officer = AuditActor(userID: nil, label: "canbo@sgddt.gov.vn", address: "local", name: "Cán bộ SGDĐT")
    static let monitor = AuditActor(userID: nil, label: "vp@tinhuy.gov.vn", address: "local", name: "Văn phòng Tỉnh ủy")
    static func date(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

    static func setUp(_ store: SQLStore) async throws -> (AssignmentRef, AgencyRecord.ID) {
        let result = try await Backends.importSeed(store.client)
        let assignments = try await store.client.assignments(result.plan.id)
        let assignment = try #require(assignments.first { $0.code == "A.17.1" })
        let lead = try #require(assignment.lead.first?.agencyID)
        return (AssignmentRef(id: assignment.id, planID: result.plan.id, planSlug: result.plan.slug, code: "A.17.1"), lead)
    }

    static func save(
        _ ref: AssignmentRef, _ agency: AgencyRecord.ID, id: ReportRecord.ID? = nil, version: Int? = nil, result: String,
        stage: ClaimedStage = .inProgress, submit: Bool = false, on: String = "2025-09-20", files: [NewAttachment] = []
    ) -> ReportSave {
        ReportSave(
            id: id, expectedVersion: version, assignment: ref, agencyID: agency, kind: .report,
            content: ReportContent(
                claimedStage: stage, percent: stage == .done ? 100 : 50, result: result,
                achievedOn: stage == .done ? date("2025-08-28") : nil,
                evidence: [EvidenceReference(number: "1234/QĐ-SGDĐT", date: date("2025-08-28"), summary: "Quyết định")]),
            submit: submit, on: date(on), newAttachments: files)
    }

    static func file(_ name: String, _ bytes: [UInt8]) -> NewAttachment {
        NewAttachment(fileName: name, contentType: "application/pdf", bytes: bytes, sha256: SHA256.hex(bytes: bytes))
    }

    @Test("a draft is saved, edited at its version, refused at a stale one, then sent and read-only", arguments: Backends.all)
    func drafts(backend: String) async throws {
        try await Backends.withSQLStore(backend) { store in
            let (ref, agency) = try await Self.setUp(store)
            let progress = store.progress
            let draft = try await progress.saveReport(Self.save(ref, agency, result: "Bản đầu"), Self.officer)
            #expect(draft.state == .draft && draft.version == 1)
            #expect(draft.authorName == "Cán bộ SGDĐT")
            // A second draft for the same agency is refused: they edit the one draft.
            await #expect(throws: ProgressStoreError.draftExists(draft.id)) {
                _ = try await progress.saveReport(Self.save(ref, agency, result: "Bản khác"), Self.officer)
            }
            let second = try await progress.saveReport(
                Self.save(ref, agency, id: draft.id, version: 1, result: "Bản của người thứ hai"), Self.officer)
            #expect(second.version == 2)
            do {
                _ = try await progress.saveReport(
                    Self.save(ref, agency, id: draft.id, version: 1, result: "Bản cũ ghi đè"), Self.officer)
                Issue.record("a stale save was accepted")
            } catch ProgressStoreError.staleVersion(let current, let base) {
                #expect(current.content.result == "Bản của người thứ hai")
                #expect(base?.content.result == "Bản đầu")
                #expect(base?.version == 1)
            }
            #expect(try await progress.report(draft.id)?.content.result == "Bản của người thứ hai")
            // Nothing status-related happened yet.
            #expect(try await progress.events(ref.planID, 0).isEmpty)
            #expect(try await store.client.planRevision(ref.planSlug)?.activity == 0)
            let sent = try await progress.saveReport(
                Self.save(ref, agency, id: draft.id, version: 2, result: "Bản gửi", submit: true), Self.officer)
            #expect(sent.state == .submitted && sent.submittedOn == Self.date("2025-09-20"))
            await #expect(throws: ProgressStoreError.notDraft(.submitted)) {
                _ = try await progress.saveReport(
                    Self.save(ref, agency, id: draft.id, version: 3, result: "Sửa sau khi gửi"), Self.officer)
            }
            #expect(try await store.client.planRevision(ref.planSlug)?.activity == 1)
            let events = try await progress.events(ref.planID, 0)
            #expect(events.count == 1)
            #expect(
                events.first?.change
                    == .report(
                        .init(id: draft.id.rawValue, submittedOn: Self.date("2025-09-20"), percent: 50, claimsCompletion: false)))
            let audit = try await store.accounts.auditLog(AuditFilter(action: "report.", limit: 10)).entries.map(\.action)
            #expect(audit == ["report.submit", "report.update", "report.create"])
        }
    }

    @Test(
        "an agency's drafts and contributions across plans, oldest first; its sent reports and another agency's are not among them",
        arguments: Backends.all)
    func agencyReports(backend: String) async throws {
        try await Backends.withSQLStore(backend) { store in
            let (ref, agency) = try await Self.setUp(store)
            #expect(try await store.progress.agencyReports(agency).isEmpty)
            let sent = try await store.progress.saveReport(Self.save(ref, agency, result: "Gửi", submit: true), Self.officer)
            let draft = try await store.progress.saveReport(Self.save(ref, agency, result: "Nháp"), Self.officer)
            let reports = try await store.progress.agencyReports(agency)
            #expect(sent.state == .submitted)
            #expect(reports.map(\.id) == [draft.id])
            #expect(reports.map(\.state) == [.draft])
            #expect(reports.allSatisfy { $0.kind == .report && $0.planID == ref.planID && $0.assignmentID == ref.id })
            let other = try #require(try await store.client.agencies().first { $0.id != agency })
            #expect(try await store.progress.agencyReports(other.id).isEmpty)
        }
    }

    @Test("review: once, only the latest sent report; events come in order and after a sequence", arguments: Backends.all)
    func review(backend: String) async throws {
        try await Backends.withSQLStore(backend) { store in
            let (ref, agency) = try await Self.setUp(store)
            let progress = store.progress
            let first = try await progress.saveReport(
                Self.save(ref, agency, result: "Lần 1", stage: .done, submit: true), Self.officer)
            let returned = try await progress.reviewReport(
                ReviewInput(
                    reportID: first.id, assignment: ref, decision: .return, reason: "Thiếu minh chứng", completedOn: nil,
                    on: Self.date("2025-09-22")), Self.monitor)
            #expect(returned.reviewerName == "Văn phòng Tỉnh ủy")
            await #expect(throws: ProgressStoreError.notReviewable(.returned)) {
                _ = try await progress.reviewReport(
                    ReviewInput(
                        reportID: first.id, assignment: ref, decision: .accept, reason: "", completedOn: nil,
                        on: Self.date("2025-09-22")), Self.monitor)
            }
            let seen = try await progress.events(ref.planID, 0).last?.sequence ?? 0
            let second = try await progress.saveReport(
                Self.save(ref, agency, result: "Lần 2", stage: .done, submit: true, on: "2025-09-25"), Self.officer)
            let third = try await progress.saveReport(
                Self.save(ref, agency, result: "Lần 3", stage: .done, submit: true, on: "2025-09-26"), Self.officer)
            await #expect(throws: ProgressStoreError.supersededReport) {
                _ = try await progress.reviewReport(
                    ReviewInput(
                        reportID: second.id, assignment: ref, decision: .accept, reason: "", completedOn: nil,
                        on: Self.date("2025-10-10")), Self.monitor)
            }
            _ = try await progress.reviewReport(
                ReviewInput(
                    reportID: third.id, assignment: ref, decision: .accept, reason: "", completedOn: Self.date("2025-08-28"),
                    on: Self.date("2025-10-10")), Self.monitor)
            let later = try await progress.events(ref.planID, seen)
            #expect(later.count == 3)
            #expect(later.map(\.sequence) == later.map(\.sequence).sorted())
            #expect(
                later.last?.change
                    == .review(
                        .init(
                            reportID: third.id.rawValue, decidedOn: Self.date("2025-10-10"),
                            decision: .accept(completedOn: Self.date("2025-08-28")))))
            let log = try await progress.assignmentLog(ref.id)
            #expect(log.reports.map(\.state) == [.returned, .submitted, .accepted])
            #expect(log.reviews.count == 2)
            let status = StatusEngine.status(
                deadline: Deadline(parsing: "Tháng 8/2025"), history: log.history, planDate: nil, asOf: Self.date("2025-10-10"))
            #expect(status.timeliness == .doneOnTime)
            let queue = try await progress.reviewQueue(ref.planID)
            #expect(queue.reports.map(\.id) == [second.id])
        }
    }

    @Test("extensions: one pending at a time, decided once; a set due date is decided at once", arguments: Backends.all)
    func extensions(backend: String) async throws {
        try await Backends.withSQLStore(backend) { store in
            let (ref, agency) = try await Self.setUp(store)
            let progress = store.progress
            let request = try await progress.recordExtension(
                ExtensionInput(
                    assignment: ref, kind: .request, agencyID: agency, previousDue: Self.date("2025-08-31"),
                    newDue: Self.date("2025-12-31"), reason: "Chờ kinh phí", on: Self.date("2025-09-20")), Self.officer)
            #expect(request.state == .pending)
            await #expect(throws: ProgressStoreError.extensionPending) {
                _ = try await progress.recordExtension(
                    ExtensionInput(
                        assignment: ref, kind: .request, agencyID: agency, previousDue: nil, newDue: Self.date("2026-01-31"),
                        reason: "Lần hai", on: Self.date("2025-09-21")), Self.officer)
            }
            let approved = try await progress.decideExtension(
                ExtensionDecisionInput(
                    extensionID: request.id, assignment: ref, approve: true, reason: "", on: Self.date("2025-09-25")),
                Self.monitor)
            #expect(approved.state == .approved && approved.decidedOn == Self.date("2025-09-25"))
            #expect(approved.deciderName == "Văn phòng Tỉnh ủy")
            await #expect(throws: ProgressStoreError.alreadyDecided(.approved)) {
                _ = try await progress.decideExtension(
                    ExtensionDecisionInput(
                        extensionID: request.id, assignment: ref, approve: false, reason: "x", on: Self.date("2025-09-26")),
                    Self.monitor)
            }
            let set = try await progress.recordExtension(
                ExtensionInput(
                    assignment: ref, kind: .setDue, agencyID: nil, previousDue: nil, newDue: Self.date("2026-03-31"),
                    reason: "KH 02-KH/TW", on: Self.date("2025-10-01")), Self.monitor)
            #expect(set.state == .approved)
            let history = try await progress.assignmentLog(ref.id).history
            #expect(history.extensions.map(\.newDue) == [Self.date("2025-12-31"), Self.date("2026-03-31")])
            let actions = try await store.accounts.auditLog(AuditFilter(limit: 10)).entries.map(\.action)
            #expect(actions.prefix(3) == ["deadline.set", "extension.approve", "extension.request"])
        }
    }

    @Test("eight people saving the same draft version at once: exactly one lands, the rest are told", arguments: Backends.all)
    func concurrentSaves(backend: String) async throws {
        try await Backends.withSQLStore(backend) { store in
            let (ref, agency) = try await Self.setUp(store)
            let progress = store.progress
            let draft = try await progress.saveReport(Self.save(ref, agency, result: "Bản đầu"), Self.officer)
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        do {
                            _ = try await progress.saveReport(
                                Self.save(ref, agency, id: draft.id, version: 1, result: "Bản của người \(writer)"), Self.officer)
                            return "saved \(writer)"
                        } catch ProgressStoreError.staleVersion {
                            return "stale"
                        }
                    }
                }
                var all: [String] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            let saved = outcomes.filter { $0.hasPrefix("saved") }
            #expect(saved.count == 1)
            #expect(outcomes.filter { $0 == "stale" }.count == 7)
            let stored = try #require(try await progress.report(draft.id))
            #expect(stored.version == 2)
            #expect("saved " + (stored.content.result.split(separator: " ").last.map(String.init) ?? "") == saved.first)
            // And two offices deciding the same report at once: one decision.
            let sent = try await progress.saveReport(
                Self.save(ref, agency, id: draft.id, version: 2, result: "Gửi", submit: true), Self.officer)
            let decisions = try await withThrowingTaskGroup(of: Bool.self) { group in
                for decision in [ReviewDecision.accept, .return, .accept, .return] {
                    group.addTask {
                        do {
                            _ = try await progress.reviewReport(
                                ReviewInput(
                                    reportID: sent.id, assignment: ref, decision: decision, reason: "Ý kiến", completedOn: nil,
                                    on: Self.date("2025-09-25")), Self.monitor)
                            return true
                        } catch ProgressStoreError.notReviewable {
                            return false
                        }
                    }
                }
                var all: [Bool] = []
                for try await decided in group { all.append(decided) }
                return all
            }
            #expect(decisions.filter { $0 }.count == 1)
            #expect(try await progress.assignmentLog(ref.id).reviews.count == 1)
        }
    }

    @Test("attachments round-trip byte for byte with their SHA-256; a failed save stores none", arguments: Backends.all)
    func attachments(backend: String) async throws {
        try await Backends.withSQLStore(backend) { store in
            let (ref, agency) = try await Self.setUp(store)
            let progress = store.progress
            var generator = SystemRandomNumberGenerator()
            let random = (0..<1_500_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let edges: [UInt8] =
                Array("%PDF-".utf8) + [0, 0, 0xFF, 0xFE, 0x0D, 0x0A, 0x00, 0x5C, 0x27, 0x22] + (0...255).map(UInt8.init)
            let saved = try await progress.saveReport(
                Self.save(
                    ref, agency, result: "Kèm tệp", files: [Self.file("ngẫu nhiên.pdf", random), Self.file("biên.pdf", edges)]),
                Self.officer)
            #expect(saved.attachments.map(\.fileName) == ["ngẫu nhiên.pdf", "biên.pdf"])
            for (info, bytes) in zip(saved.attachments, [random, edges]) {
                let stored = try #require(try await progress.attachment(info.id))
                #expect(stored.bytes == bytes)
                #expect(stored.info.sha256 == SHA256.hex(bytes: bytes))
                #expect(stored.info.size == bytes.count)
            }
            // A save that fails (stale version) stores none of its files.
            _ = try await progress.saveReport(Self.save(ref, agency, id: saved.id, version: 1, result: "Sửa"), Self.officer)
            await #expect(throws: (any Error).self) {
                _ = try await progress.saveReport(
                    Self.save(ref, agency, id: saved.id, version: 1, result: "Cũ", files: [Self.file("mồ côi.pdf", edges)]),
                    Self.officer)
            }
            #expect(try await progress.report(saved.id)?.attachments.count == 2)
            // Removing one keeps the bytes (soft) but hides it.
            var removal = Self.save(ref, agency, id: saved.id, version: 2, result: "Bỏ một tệp")
            removal.removedAttachments = [saved.attachments[1].id]
            let after = try await progress.saveReport(removal, Self.officer)
            #expect(after.attachments.map(\.fileName) == ["ngẫu nhiên.pdf"])
            #expect(try await progress.attachment(saved.attachments[1].id) == nil)
        }
    }
}
