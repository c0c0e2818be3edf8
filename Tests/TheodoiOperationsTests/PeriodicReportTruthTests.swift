import Foundation
import Testing
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiStoreSQL
import TheodoiTestSupport

@testable import TheodoiExport

/// What the periodic report says must be true (issue 15): a returned report is not a result, the
/// whole period's difficulties count, dates are the ones reported, one number is one report, and
/// every statement about a task names a source that the store confirms.
@Suite("Periodic report: true in every sentence")
struct PeriodicReportTruthTests {
    /// Quarter IV/2026 of 343-QĐ/TU, as of 06/12/2026: a returned report (A.10), a task with an
    /// accepted report naming a difficulty and a later one that does not (A.9), a completion claimed
    /// for 04/12 and sent on 06/12 (A.11), a completion accepted (A.12), a report returned then
    /// accepted (A.14), and a coordinator's contribution repeating a proposal.
    static func world() async throws -> ReportWorld {
        let world = try await ReportWorld.open()
        let returned = try await world.report(
            "A.10", .inProgress, percent: 70, on: "2026-11-20", result: "Đã hoàn thành dự thảo Đề án")
        try await world.review("A.10", returned, .return, on: "2026-11-25", reason: "Chưa kèm dự thảo Đề án")
        let first = try await world.report(
            "A.9", .inProgress, percent: 50, on: "2026-10-10", result: "Đã khảo sát nhu cầu",
            difficulties: "Kinh phí chưa bố trí", proposals: "Đề nghị UBND tỉnh bố trí kinh phí")
        try await world.review("A.9", first, .accept, on: "2026-10-12")
        let second = try await world.report(
            "A.9", .inProgress, percent: 80, on: "2026-11-30", result: "Đã trình dự thảo cơ chế, chính sách",
            proposals: "Đề nghị UBND tỉnh bố trí kinh phí.")
        try await world.review("A.9", second, .accept, on: "2026-12-01")
        try await world.report(
            "A.9", .inProgress, percent: 0, on: "2026-11-15", result: "Đã góp ý dự thảo",
            proposals: "Đề nghị UBND tỉnh bố trí kinh phí", contribution: true)
        try await world.report(
            "A.11", .done, percent: 100, on: "2026-12-06", result: "Đã đưa vào vận hành", achieved: "2026-12-04")
        let done = try await world.report(
            "A.12", .done, percent: 100, on: "2026-11-02", result: "Đã ban hành quy chế", achieved: "2026-10-30")
        try await world.review("A.12", done, .accept, on: "2026-11-05", completed: "2026-10-30")
        let once = try await world.report(
            "A.14", .inProgress, percent: 40, on: "2026-10-01", result: "Bản đầu chưa đủ")
        try await world.review("A.14", once, .return, on: "2026-10-03")
        let twice = try await world.report(
            "A.14", .inProgress, percent: 45, on: "2026-10-08", result: "Đã bổ sung số liệu")
        try await world.review("A.14", twice, .accept, on: "2026-10-09")
        return world
    }

    static func compose(_ world: ReportWorld, number: String = "125") async throws -> PeriodicReports.Composed {
        try await world.reports(today: "2026-12-06").compose(
            slug: world.plan.slug,
            form: PeriodicReportForm(period: "quarter-2026-4", asOf: "06/12/2026", scope: "all", number: number))
    }

    /// The text of one section ("II.", "III.", "IV."), from its heading to the next.
    static func section(_ document: OfficialDocument, _ numeral: String) -> String {
        var lines: [String] = []
        var inside = false
        for block in document.body {
            switch block {
            case .section(let title):
                inside = title.hasPrefix(numeral + " ")
            case .subsection(let text) where inside: lines.append(text)
            case .paragraph(let runs) where inside, .bullet(let runs) where inside: lines.append(runs.map(\.text).joined())
            default: break
            }
        }
        return lines.joined(separator: "\n")
    }

    @Test("a returned report is not a result: it is outstanding, with the return's date and reason")
    func returnedIsNotAResult() async throws {
        let world = try await Self.world()
        let document = try await Self.compose(world).report.document
        let results = Self.section(document, "II.")
        #expect(!results.contains("A.10"))
        #expect(!results.contains("Đã hoàn thành dự thảo Đề án"))
        // A report returned and then sent again and accepted is a result, from the accepted one.
        #expect(results.contains("Nhiệm vụ A.14"))
        #expect(results.contains("Đã bổ sung số liệu"))
        #expect(!results.contains("Bản đầu chưa đủ"))
        let outstanding = Self.section(document, "III.")
        #expect(
            outstanding.contains(
                "(Sở Khoa học và Công nghệ): đã báo cáo ngày 20/11/2026 (đạt 70%), bị trả lại ngày 25/11/2026 để bổ sung "
                    + "(Chưa kèm dự thảo Đề án); chưa gửi lại."))
        let appendix = try #require(
            document.appendix?.rows.compactMap { row -> [String]? in
                if case .cells(let cells, .task("A.10")?) = row { return cells }
                return nil
            }.first)
        #expect(appendix[6].hasSuffix("(bị trả lại để bổ sung)"))
        await world.store.shutdown()
    }

    @Test("difficulties and proposals of every report and contribution in the period, each once, with agency and date")
    func wholePeriod() async throws {
        let world = try await Self.world()
        let document = try await Self.compose(world).report.document
        let outstanding = Self.section(document, "III.")
        #expect(outstanding.contains("(nhiệm vụ A.9, báo cáo ngày 10/10/2026): Kinh phí chưa bố trí."))
        #expect(!outstanding.contains("chưa nêu khó khăn"))
        let proposals = Self.section(document, "IV.")
        #expect(proposals.components(separatedBy: "Đề nghị UBND tỉnh bố trí kinh phí").count == 2)
        #expect(proposals.contains("(nhiệm vụ A.9, báo cáo ngày 10/10/2026): Đề nghị UBND tỉnh bố trí kinh phí."))
        await world.store.shutdown()
    }

    @Test("the day a result was achieved is the one the agency wrote, not the day it was sent")
    func datesAsReported() async throws {
        let world = try await Self.world()
        let document = try await Self.compose(world).report.document
        let text = document.plainText
        #expect(text.contains("đơn vị báo cáo đã hoàn thành ngày 04/12/2026 (báo cáo ngày 06/12/2026), đang chờ xác nhận."))
        #expect(!text.contains("hoàn thành ngày 06/12/2026"))
        #expect(Self.section(document, "II.").contains("Đã ban hành quy chế; hoàn thành ngày 30/10/2026"))
        await world.store.shutdown()
    }

    @Test("one number, one report: a number used by the body this year is refused; a report is superseded once")
    func oneNumber() async throws {
        let world = try await Self.world()
        let reports = world.reports(today: "2026-12-06")
        let form = PeriodicReportForm(period: "quarter-2026-4", asOf: "06/12/2026", scope: "all", number: "125")
        let first = try await reports.issue(slug: world.plan.slug, form: form, actor: ReportWorld.office) { _ in [] }
        #expect(first.number == "Số 125-BC/TU")
        await #expect(throws: ProgressRefusal.self) {
            _ = try await reports.issue(slug: world.plan.slug, form: form, actor: ReportWorld.office) { _ in [] }
        }
        do {
            _ = try await reports.issue(slug: world.plan.slug, form: form, actor: ReportWorld.office) { _ in [] }
        } catch let refusal as ProgressRefusal {
            #expect(refusal.kind == .conflict)
            #expect(refusal.message.hasPrefix("Số 125-BC/TU đã dùng cho “Báo cáo quý IV/2026 (tính đến ngày 06/12/2026)”"))
        }
        #expect(try await world.store.reports.issuedReports(world.plan.id).count == 1)
        // A new number that replaces the first: the document says which it replaces.
        var replacing = form
        replacing.number = "126"
        replacing.replaces = String(first.id.rawValue)
        let composed = try await reports.compose(slug: world.plan.slug, form: replacing)
        #expect(composed.report.document.plainText.contains("Báo cáo này thay thế Báo cáo Số 125-BC/TU ngày 06/12/2026."))
        let second = try await reports.issue(slug: world.plan.slug, form: replacing, actor: ReportWorld.office) { _ in [] }
        #expect(second.supersedes == first.id)
        let listed = try await world.store.reports.issuedReports(world.plan.id)
        #expect(listed.first { $0.id == first.id }?.supersededBy == second.id)
        // Replaced once only.
        replacing.number = "127"
        await #expect(throws: ProgressRefusal.self) {
            _ = try await reports.issue(slug: world.plan.slug, form: replacing, actor: ReportWorld.office) { _ in [] }
        }
        // Next year the number is free again; a blank number (written by hand) is never checked.
        let nextYear = world.reports(today: "2027-01-05")
        let again = PeriodicReportForm(period: "quarter-2026-4", asOf: "06/12/2026", scope: "all", number: "125")
        _ = try await nextYear.issue(slug: world.plan.slug, form: again, actor: ReportWorld.office) { _ in [] }
        let blank = PeriodicReportForm(period: "quarter-2026-4", asOf: "06/12/2026", scope: "all", number: "")
        _ = try await reports.issue(slug: world.plan.slug, form: blank, actor: ReportWorld.office) { _ in [] }
        _ = try await reports.issue(slug: world.plan.slug, form: blank, actor: ReportWorld.office) { _ in [] }
        #expect(try await world.store.reports.issuedReports(world.plan.id).count == 5)
        await world.store.shutdown()
    }

    @Test("every statement about a task names its source, and the store confirms each one")
    func everyStatementTraceable() async throws {
        let world = try await Self.world()
        let composed = try await Self.compose(world)
        let document = composed.report.document
        // Every bullet of sections II and III states a fact about a task or an agency's words: each has a source.
        var inFacts = false
        for block in document.body {
            switch block {
            case .section(let title): inFacts = title.hasPrefix("II.") || title.hasPrefix("III.") || title.hasPrefix("IV.")
            case .bullet(let runs) where inFacts: #expect(runs.contains { $0.source != nil }, "no source: \(runs)")
            default: break
            }
        }
        let asOf = ReportWorld.date("2026-12-06")
        let statements = document.sourcedStatements
        #expect(statements.count > composed.snapshot.assignments.count)
        for (text, source) in statements {
            switch source {
            case .report(let id):
                let report = try #require(try await world.store.progress.report(ReportRecord.ID(id)))
                let assignment = try #require(world.assignments.first { $0.id == report.assignmentID })
                #expect(text.contains(assignment.code), "\(text) ≠ report \(id) of \(assignment.code)")
                let sent = try #require(report.submittedOn)
                #expect(sent <= asOf)
                if text.contains("bị trả lại") { #expect(report.state == .returned, "\(text)") }
                if text.contains("đang chờ") { #expect(report.state == .submitted, "\(text)") }
                if text.contains("được ghi nhận ngày") || text.contains("xác nhận hoàn thành ngày") {
                    #expect(report.state == .accepted, "\(text)")
                }
                if text.contains("báo cáo ngày") || text.contains("ý kiến phối hợp ngày") {
                    #expect(text.contains("ngày \(sent.vietnameseShort)"), "\(text) — sent \(sent.vietnameseShort)")
                }
                if text.contains("đạt ") { #expect(text.contains("đạt \(report.content.percent)%"), "\(text)") }
                if let achieved = report.content.achievedOn, text.contains("hoàn thành ngày") {
                    #expect(text.contains("hoàn thành ngày \(achieved.vietnameseShort)"), "\(text)")
                }
                if text.contains("(nhiệm vụ ") {
                    #expect(text.hasPrefix(report.agencyName), "\(text) — from \(report.agencyName)")
                }
            case .task(let code):
                let position = try #require(composed.snapshot.index[code], "no task \(code)")
                let assignment = composed.snapshot.assignments[position]
                if text.contains(" | ") {
                    #expect(text.hasPrefix(assignment.number + " | " + assignment.title), "\(text)")
                } else {
                    #expect(text.contains("Nhiệm vụ \(code) "), "\(text)")
                    if text.contains("chưa có báo cáo") {
                        #expect(try await world.store.progress.assignmentLog(assignment.id).reports.isEmpty)
                    }
                }
            }
        }
        await world.store.shutdown()
    }

    @Test("golden text, DOCX and XLSX of the quarter with returned and accepted reports")
    func golden() async throws {
        let world = try await Self.world()
        let report = try await Self.compose(world).report
        assertSnapshot(report.document.plainText, named: "periodic-report-q4-2026-truth.txt")
        assertSnapshot(Self.lines(DOCXWriter.body(report.document)), named: "periodic-report-q4-2026-truth.docx.xml")
        assertSnapshot(Self.lines(XLSXWriter.sheet(report.appendixTable)), named: "periodic-report-q4-2026-truth.xlsx.xml")
        await world.store.shutdown()
    }

    /// XML with a line per paragraph, table row and sheet row, so a golden file's diff reads.
    static func lines(_ xml: String) -> String {
        xml.replacingOccurrences(of: "<w:p>", with: "\n<w:p>").replacingOccurrences(of: "<w:tr>", with: "\n<w:tr>")
            .replacingOccurrences(of: "<row ", with: "\n<row ") + "\n"
    }
}
