import Foundation
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiStore
import TheodoiStoreSQL

/// Periodic-report storage on every backend: settings saved and replaced, the digests of what was
/// sent by a date, and issued reports whose files come back byte for byte.
@Suite("Report store")
struct ReportStoreTests {
    static func date(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

    @Test("settings, digests as of a date, and issued files byte for byte, audited", arguments: Backends.all)
    func reports(backend: String) async throws {
        try await Backends.withSQLStore(backend) { store in
            let (ref, agency) = try await ProgressStoreTests.setUp(store)
            let reports = store.reports
            #expect(try await reports.settings(ref.planID) == nil)
            var settings = ReportSettings.defaults(planNumber: "343-QĐ/TU", issuer: "Ban Thường vụ Tỉnh ủy Gia Lai")
            #expect(settings.format == .party && settings.issuerLines == ["TỈNH ỦY GIA LAI"])
            try await reports.saveSettings(ref.planID, settings, ProgressStoreTests.monitor)
            settings.signer = "Nguyễn Văn A"
            settings.recipients.append("Ban Chỉ đạo")
            try await reports.saveSettings(ref.planID, settings, ProgressStoreTests.monitor)
            #expect(try await reports.settings(ref.planID) == settings)

            // Digests: every report sent by a date, with the decision taken by then.
            let first = try await store.progress.saveReport(
                ProgressStoreTests.save(ref, agency, result: "Lần một", stage: .done, submit: true, on: "2025-09-20"),
                ProgressStoreTests.officer)
            _ = try await store.progress.reviewReport(
                ReviewInput(
                    reportID: first.id, assignment: ref, decision: .return, reason: "Thiếu tệp", completedOn: nil,
                    on: Self.date("2025-09-22")), ProgressStoreTests.monitor)
            _ = try await store.progress.saveReport(
                ProgressStoreTests.save(ref, agency, result: "Lần hai", stage: .done, submit: true, on: "2025-09-25"),
                ProgressStoreTests.officer)
            _ = try await store.progress.saveReport(
                ProgressStoreTests.save(ref, agency, result: "Nháp", on: "2025-09-26"), ProgressStoreTests.officer)
            #expect(try await reports.digests(ref.planID, Self.date("2025-09-19")).isEmpty)
            let early = try await reports.digests(ref.planID, Self.date("2025-09-21"))
            #expect(early.map(\.result) == ["Lần một"] && early.first?.decision == nil)
            let returned = try await reports.digests(ref.planID, Self.date("2025-09-23"))
            #expect(returned.first?.decision == .return)
            #expect(returned.first?.decidedOn == Self.date("2025-09-22") && returned.first?.decisionReason == "Thiếu tệp")
            let latest = try await reports.digests(ref.planID, Self.date("2025-10-01"))
            #expect(latest.map(\.result) == ["Lần một", "Lần hai"])
            #expect(latest.map(\.decision) == [.return, nil])
            #expect(latest.last?.agencyName == "Sở Giáo dục và Đào tạo" && latest.last?.submittedOn == Self.date("2025-09-25"))

            // Issued files: every byte value, a NUL, CR/LF; read back identical, listed newest first.
            let awkward = (0...255).map { UInt8($0) } + Array("\r\n\0 Báo cáo".utf8)
            let input = IssueInput(
                planID: ref.planID, planNumber: "343-QĐ/TU", number: "Số 215-BC/TU", title: "Báo cáo quý IV/2025",
                period: "quarter-2025-4", asOf: Self.date("2025-12-14"), scope: "all", scopeLabel: "Toàn bộ danh mục",
                issuedOn: Self.date("2025-12-15"),
                files: [
                    IssueInput.File(kind: "docx", fileName: "bao-cao.docx", contentType: "application/docx", bytes: awkward),
                    IssueInput.File(
                        kind: "html", fileName: "bao-cao.html", contentType: "text/html", bytes: Array("<p>ừ</p>".utf8)),
                ])
            let issued = try await reports.issue(input, ProgressStoreTests.monitor)
            let second = try await reports.issue(input, ProgressStoreTests.monitor)
            let listed = try await reports.issuedReports(ref.planID)
            #expect(listed.map(\.id) == [second.id, issued.id])
            #expect(listed.last?.files.map(\.fileName) == ["bao-cao.docx", "bao-cao.html"])
            #expect(listed.last?.issuedByName == "Văn phòng Tỉnh ủy" && listed.last?.asOf == Self.date("2025-12-14"))
            let file = try #require(try await reports.issuedFile(issued.files[0].id))
            #expect(file.bytes == awkward)
            #expect(file.info.sha256 == SHA256.hex(bytes: awkward) && file.info.size == awkward.count)
            #expect(try await reports.issuedFile(IssuedFileInfo.ID(999_999)) == nil)
            let audit = try await store.accounts.auditLog(AuditFilter(action: "report.issue"))
            #expect(audit.entries.count == 2)
            #expect(try await store.accounts.auditLog(AuditFilter(action: "report.settings")).entries.count == 2)
        }
    }

    @Test("one number per issuing body and year; a report superseded once", arguments: Backends.all)
    func numbers(backend: String) async throws {
        try await Backends.withSQLStore(backend) { store in
            let (ref, _) = try await ProgressStoreTests.setUp(store)
            func input(_ number: String, on: String, supersedes: IssuedReportRecord.ID? = nil) -> IssueInput {
                IssueInput(
                    planID: ref.planID, planNumber: "343-QĐ/TU", number: "Số \(number)-BC/TU", title: "Báo cáo \(number)",
                    period: "", asOf: Self.date("2025-12-14"), scope: "all", scopeLabel: "Toàn bộ danh mục",
                    issuedOn: Self.date(on), files: [], issuerKey: "tinh uy gia lai|-bc/tu", numberKey: number,
                    supersedes: supersedes)
            }
            let first = try await store.reports.issue(input("125", on: "2025-12-15"), ProgressStoreTests.monitor)
            await #expect(throws: ProgressRefusal.self) {
                _ = try await store.reports.issue(input("125", on: "2025-12-20"), ProgressStoreTests.monitor)
            }
            // Another year, or another body, may use it.
            _ = try await store.reports.issue(input("125", on: "2026-01-05"), ProgressStoreTests.monitor)
            var other = input("125", on: "2025-12-20")
            other.issuerKey = "ubnd tinh gia lai|so khoa hoc va cong nghe|/bc-skhcn"
            _ = try await store.reports.issue(other, ProgressStoreTests.monitor)
            let second = try await store.reports.issue(
                input("126", on: "2025-12-21", supersedes: first.id), ProgressStoreTests.monitor)
            await #expect(throws: ProgressRefusal.self) {
                _ = try await store.reports.issue(
                    input("127", on: "2025-12-22", supersedes: first.id), ProgressStoreTests.monitor)
            }
            let listed = try await store.reports.issuedReports(ref.planID)
            #expect(listed.count == 4)
            #expect(listed.first { $0.id == first.id }?.supersededBy == second.id)
            #expect(listed.first { $0.id == second.id }?.supersedes == first.id)
        }
    }

    @Test(
        "text corrected on record: the plan reads corrected, the original kept, a stale original refused", arguments: Backends.all
    )
    func corrections(backend: String) async throws {
        try await Backends.withSQLStore(backend) { store in
            let (ref, _) = try await ProgressStoreTests.setUp(store)
            let before = try #require(try await store.client.assignments(ref.planID).first { $0.code == ref.code })
            let corrected = before.title + " (đã sửa)"
            let correction = TextCorrection(field: .title, subject: ref.code, original: before.title, corrected: corrected)
            let revision = try #require(try await store.client.plan(ref.planSlug)).revision
            try await store.client.correctText(ref.planID, [correction], ProgressStoreTests.monitor)
            let after = try #require(try await store.client.assignments(ref.planID).first { $0.code == ref.code })
            #expect(after.title == corrected)
            #expect(try await store.client.plan(ref.planSlug)?.revision == revision + 1)
            #expect(try await store.client.searchAssignments(ref.planID, "da sua").contains(ref.code))
            let kept = try await store.client.textCorrections(ref.planID)
            #expect(kept.map(\.original) == [before.title] && kept.first?.correctedByName == "Văn phòng Tỉnh ủy")
            // The same correction again: its original is gone, so nothing is written.
            await #expect(throws: ProgressRefusal.self) {
                try await store.client.correctText(ref.planID, [correction], ProgressStoreTests.monitor)
            }
            #expect(try await store.client.textCorrections(ref.planID).count == 1)
            #expect(try await store.accounts.auditLog(AuditFilter(action: "plan.correct-text")).entries.count == 1)
        }
    }
}
