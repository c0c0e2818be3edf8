import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import ZIPFoundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Periodic reports through the real pages: pick a period, read it, download DOCX/XLSX/print, set the
/// format, issue, and get the same bytes back a month later.
@Suite("Periodic report pages")
struct ReportWebTests {
    static func date(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

    /// Sends a few reports and reviews of Sở GD&ĐT's tasks through the store, as the pages would.
    static func history(_ world: World) async throws {
        let plan = try #require(try await world.catalogue.plan("343-qd-tu"))
        let assignments = try await world.catalogue.assignments(plan.id)
        let actor = AuditActor(userID: nil, label: "canbo", address: "local", name: "Cán bộ")
        func send(_ code: String, _ stage: ClaimedStage, on: String, difficulties: String = "") async throws -> ReportRecord {
            let assignment = try #require(assignments.first { $0.code == code })
            return try await world.progress.saveReport(
                ReportSave(
                    id: nil, expectedVersion: nil,
                    assignment: AssignmentRef(id: assignment.id, planID: plan.id, planSlug: plan.slug, code: code),
                    agencyID: try #require(assignment.lead.first?.agencyID), kind: .report,
                    content: ReportContent(
                        claimedStage: stage, percent: stage == .done ? 100 : 50, result: "Kết quả của nhiệm vụ \(code)",
                        achievedOn: stage == .done ? Self.date("2025-08-28") : nil,
                        evidence: stage == .done
                            ? [EvidenceReference(number: "1234/QĐ-SGDĐT", date: nil, summary: "Quyết định")] : [],
                        difficulties: difficulties, proposals: ""), submit: true, on: Self.date(on)), actor)
        }
        let done = try await send("A.17.1", .done, on: "2025-09-20")
        _ = try await world.progress.reviewReport(
            ReviewInput(
                reportID: done.id,
                assignment: AssignmentRef(
                    id: done.assignmentID, planID: plan.id, planSlug: plan.slug, code: "A.17.1"), decision: .accept, reason: "",
                completedOn: Self.date("2025-08-28"), on: Self.date("2025-10-10")), actor)
        _ = try await send("A.17.4", .inProgress, on: "2025-11-20", difficulties: "Thiếu kinh phí mua sắm thiết bị")
    }

    @Test(
        "Quý IV/2025 to 14/12/2025: page, DOCX, XLSX and print agree; issued files stay byte-identical a month later",
        arguments: WebBackends.all)
    func doneMeans(backend: String) async throws {
        try await World.run(backend: backend, today: Self.date("2025-12-15")) { world, client in
            try await Self.history(world)
            let monitor = world.client(client, as: .monitor)
            let query = "period=quarter-2025-4&asOf=2025-12-14&scope=all&number=215"
            let page = try await HTTP.get(monitor, "/plans/343-qd-tu/report?\(query)")
            #expect(page.status == .ok)
            let sentence = try #require(
                page.body.firstMatch(of: /Kết quả tính đến ngày 14\/12\/2025: <\/strong>(Tổng số 94 nhiệm vụ;[^<]*)</)
            ).output.1
            #expect(page.body.contains("Số 215-BC/TU"))
            #expect(page.body.contains("Gia Lai, ngày 15 tháng 12 năm 2025"))
            #expect(page.body.contains("ĐẢNG CỘNG SẢN VIỆT NAM") && page.body.contains("T/M BAN THƯỜNG VỤ"))
            #expect(page.body.contains("Ban hành báo cáo này"))
            // The same sentence as the dashboard's, as of the same date.
            let dashboard = try await HTTP.get(monitor, "/plans/343-qd-tu/dashboard?asOf=2025-12-14")
            #expect(dashboard.body.contains(String(sentence)))

            // DOCX: every part parses; the text carries the sentence, the heading and the appendix rows.
            let docx = try await client.execute(
                uri: "/plans/343-qd-tu/report.docx?\(query)", method: .get, headers: [.cookie: "theodoi_session=session-monitor"]
            ) { ($0.status, [UInt8](buffer: $0.body), $0.headers) }
            #expect(docx.0 == .ok)
            #expect(docx.2[.contentDisposition]?.contains("bao-cao-343-qd-tu-quy-iv-2025-den-14-12-2025.docx") == true)
            let parts = try Self.parts(docx.1)
            for (path, data) in parts where path.hasSuffix(".xml") || path.hasSuffix(".rels") {
                #expect(XMLParser(data: data).parse(), "\(path)")
            }
            let documentXML = String(decoding: try #require(parts["word/document.xml"]), as: UTF8.self)
            #expect(documentXML.contains(String(sentence).replacingOccurrences(of: "&#39;", with: "'")))
            #expect(documentXML.contains("Xây dựng kho dữ liệu số, bài giảng điện tử"))
            #expect(documentXML.contains("w:orient=\"landscape\""))

            // XLSX appendix: a row per assignment plus the part and group rows, Vietnamese intact.
            let xlsx = try await client.execute(
                uri: "/plans/343-qd-tu/report.xlsx?\(query)", method: .get, headers: [.cookie: "theodoi_session=session-monitor"]
            ) { ($0.status, [UInt8](buffer: $0.body)) }
            #expect(xlsx.0 == .ok)
            let sheet = String(decoding: try #require(try Self.parts(xlsx.1)["xl/worksheets/sheet1.xml"]), as: UTF8.self)
            #expect(sheet.contains("Kết quả thực hiện") && sheet.contains("Đề xuất, kiến nghị"))
            #expect(sheet.contains("Thiếu kinh phí mua sắm thiết bị"))

            // Print page: standalone, A4, the appendix on landscape pages.
            let print = try await HTTP.get(monitor, "/plans/343-qd-tu/report/print?\(query)")
            #expect(print.status == .ok)
            #expect(print.body.contains("<link rel=\"stylesheet\" href=\"/static/document.css\">"))
            let css = try await HTTP.get(client, "/static/document.css")
            #expect(css.body.contains("@page { size: A4 portrait") && css.body.contains("size: A4 landscape"))
            #expect(!print.body.contains("<header class=\"site\">"))

            // Without LibreOffice no PDF link is offered, and the PDF address says why.
            #expect(!page.body.contains("report.pdf"))
            let pdf = try await HTTP.get(monitor, "/plans/343-qd-tu/report.pdf?\(query)")
            #expect(pdf.status == .notFound && pdf.body.contains("chưa cài LibreOffice"))

            // Issuing asks first: a page of what will be stored, nothing stored yet.
            let fields = [
                ("_csrf", "csrf-monitor"), ("period", "quarter-2025-4"), ("asOf", "2025-12-14"), ("scope", "all"),
                ("number", "215"),
            ]
            let asked = try await HTTP.post(monitor, "/plans/343-qd-tu/report/issue", fields)
            #expect(asked.status == .ok)
            #expect(asked.body.contains("Ban hành báo cáo?") && asked.body.contains("Số 215-BC/TU"))
            #expect(asked.body.contains("Báo cáo đã ban hành không sửa được"))
            #expect(asked.body.contains("name=\"confirm\" value=\"yes\"") && asked.body.contains("Xác nhận ban hành"))
            let plan = try #require(try await world.catalogue.plan("343-qd-tu"))
            #expect(try await world.reports.issuedReports(plan.id).isEmpty)
            // Confirmed: three files with their SHA-256, an audit entry.
            let head = try #require(try await world.accounts.store.auditLog(AuditFilter(limit: 1)).entries.first)
            let issued = try await HTTP.post(monitor, "/plans/343-qd-tu/report/issue", fields + [("confirm", "yes")])
            #expect(issued.status == .found)
            let records = try await world.reports.issuedReports(plan.id)
            #expect(records.count == 1)
            let record = try #require(records.first)
            #expect(issued.location == "/plans/343-qd-tu/report?issued=\(record.id)")
            let landed = try await HTTP.get(monitor, try #require(issued.location))
            #expect(
                landed.body.contains("Đã ban hành “Báo cáo quý IV/2025 (tính đến ngày 14/12/2025)” (Số 215-BC/TU) với 3 tệp"))
            #expect(record.files.map(\.kind) == ["docx", "xlsx", "html"])
            #expect(record.issuedByName == "Người thử monitor")
            var originals: [IssuedFileInfo.ID: [UInt8]] = [:]
            for file in record.files {
                let download = try await client.execute(
                    uri: "/issued-files/\(file.id)", method: .get, headers: [.cookie: "theodoi_session=session-leader"]
                ) { ($0.status, [UInt8](buffer: $0.body), $0.headers) }
                #expect(download.0 == .ok)
                #expect(SHA256.hex(bytes: download.1) == file.sha256)
                #expect(download.2[.eTag] == "\"\(file.sha256)\"")
                originals[file.id] = download.1
            }
            // The issued copy is the draft plus one line under the signature tying it to the audit log
            // as it stood when it was issued (a log cut short afterwards shows against it).
            let verification =
                "Mã kiểm chứng: nhật ký hệ thống theodoi đến mục số \(head.sequence), mã băm \(head.hash)."
            let issuedXML = String(
                decoding: try #require(try Self.parts(originals[record.files[0].id] ?? [])["word/document.xml"]), as: UTF8.self)
            #expect(issuedXML.contains(verification) && !documentXML.contains("Mã kiểm chứng"))
            #expect(issuedXML.replacingOccurrences(of: verification, with: "").count < documentXML.count + 400)
            // The issued print page stands alone: its stylesheet inline, readable offline.
            let issuedHTML = String(decoding: originals[record.files[2].id] ?? [], as: UTF8.self)
            #expect(issuedHTML.contains("@page { size: A4 portrait") && !issuedHTML.contains("/static/document.css"))
            #expect(issuedHTML.contains(verification))
            let audit = try await HTTP.get(monitor, "/audit")
            #expect(audit.body.contains("Ban hành báo cáo định kỳ"))
            #expect(audit.body.contains(record.files[0].sha256))

            // One number, one report: 215 again is named on the confirmation page and refused if sent anyway.
            let twice = try await HTTP.post(monitor, "/plans/343-qd-tu/report/issue", fields)
            #expect(twice.status == .unprocessableContent)
            #expect(twice.body.contains("Số 215-BC/TU đã dùng cho “Báo cáo quý IV/2025 (tính đến ngày 14/12/2025)”"))
            #expect(!twice.body.contains("Xác nhận ban hành"))
            let forced = try await HTTP.post(monitor, "/plans/343-qd-tu/report/issue", fields + [("confirm", "yes")])
            #expect(forced.status == .conflict)
            #expect(forced.body.contains("Chưa ban hành: Số 215-BC/TU đã dùng cho"))
            #expect(try await world.reports.issuedReports(plan.id).count == 1)
            // A corrected report with a new number replaces it, and says so; both stay listed.
            let replacing = fields.map { $0.0 == "number" ? ("number", "216") : $0 } + [("replaces", "\(record.id)")]
            let confirmReplace = try await HTTP.post(monitor, "/plans/343-qd-tu/report/issue", replacing)
            #expect(confirmReplace.body.contains("<dt>Thay thế</dt><dd>Số 215-BC/TU · Báo cáo quý IV/2025"))
            let replaced = try await HTTP.post(monitor, "/plans/343-qd-tu/report/issue", replacing + [("confirm", "yes")])
            #expect(replaced.status == .found)
            let listing = try await HTTP.get(monitor, try #require(replaced.location))
            #expect(listing.body.contains("Thay thế Số 215-BC/TU") && listing.body.contains("Đã được thay thế bằng Số 216-BC/TU"))
            // The preview links each statement about a task to where it comes from.
            #expect(page.body.contains("<a class=\"doc-source\" href=\"/reports/"))
            #expect(page.body.contains("href=\"/plans/343-qd-tu/assignments/A.17.1?asOf=2025-12-14\""))

            // A month later, after more reports and a changed format, the issued files are the same bytes.
            world.move(to: Self.date("2026-01-15"))
            let later = try #require(try await world.catalogue.assignments(plan.id).first { $0.code == "A.17.4" })
            let laterReport = try await world.progress.saveReport(
                ReportSave(
                    id: nil, expectedVersion: nil,
                    assignment: AssignmentRef(id: later.id, planID: plan.id, planSlug: plan.slug, code: "A.17.4"),
                    agencyID: try #require(later.lead.first?.agencyID), kind: .report,
                    content: ReportContent(
                        claimedStage: .done, percent: 100, result: "Xong", achievedOn: Self.date("2026-01-10"),
                        evidence: [EvidenceReference(number: "5/QĐ", date: nil, summary: "QĐ")]), submit: true,
                    on: Self.date("2026-01-12")), .system)
            _ = try await world.progress.reviewReport(
                ReviewInput(
                    reportID: laterReport.id,
                    assignment: AssignmentRef(id: later.id, planID: plan.id, planSlug: plan.slug, code: "A.17.4"),
                    decision: .accept, reason: "", completedOn: Self.date("2026-01-10"), on: Self.date("2026-01-14")), .system)
            let settings = try await HTTP.post(
                monitor, "/plans/343-qd-tu/report/settings",
                [
                    ("_csrf", "csrf-monitor"), ("format", "state"),
                    ("issuerLines", "UBND TỈNH GIA LAI\nSỞ KHOA HỌC VÀ CÔNG NGHỆ"),
                    ("numberSuffix", "/BC-SKHCN"), ("place", "Gia Lai"), ("signatureAuthority", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"),
                    ("signer", ""), ("recipients", "UBND tỉnh (b/c)\nLưu: VT"),
                ])
            #expect(settings.status == .found)
            let now = try await HTTP.get(monitor, "/plans/343-qd-tu/report?\(query)")
            #expect(now.body.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
            for file in record.files {
                let again = try await client.execute(
                    uri: "/issued-files/\(file.id)", method: .get, headers: [.cookie: "theodoi_session=session-monitor"]
                ) { [UInt8](buffer: $0.body) }
                #expect(again == originals[file.id], "\(file.fileName) changed after issue")
            }
            #expect(now.body.contains(record.files[0].sha256))
        }
    }

    @Test("officers and leaders read reports but cannot issue or set the format; bad requests change nothing")
    func permissionsAndBadInput() async throws {
        try await World.run(today: Self.date("2025-12-15")) { world, client in
            let plan = try #require(try await world.catalogue.plan("343-qd-tu"))
            for who in [Who.officer, .leader] {
                let session = world.client(client, as: who)
                let csrf = "csrf-\(who.rawValue)"
                #expect(try await HTTP.get(session, "/plans/343-qd-tu/report?period=quarter-2025-4").status == .ok)
                let issue = try await HTTP.post(
                    session, "/plans/343-qd-tu/report/issue", [("_csrf", csrf), ("period", "quarter-2025-4"), ("scope", "all")])
                #expect(issue.status == .forbidden)
                #expect(try await HTTP.get(session, "/plans/343-qd-tu/report/settings").status == .forbidden)
                let page = try await HTTP.get(session, "/plans/343-qd-tu/report?period=quarter-2025-4")
                #expect(!page.body.contains("Ban hành báo cáo này"))
            }
            let anonymous = try await HTTP.get(client, "/plans/343-qd-tu/report")
            #expect(anonymous.status == .seeOther || anonymous.status == .found || anonymous.status == .unauthorized)
            let monitor = world.client(client, as: .monitor)
            // A period that does not exist, a date outside the period: the page names both, nothing is issued.
            let bad = try await HTTP.get(monitor, "/plans/343-qd-tu/report?period=quarter-2025-9&asOf=2025-13-01")
            #expect(bad.status == .ok)
            #expect(bad.body.contains("Kỳ báo cáo “quarter-2025-9” không hợp lệ."))
            #expect(bad.body.contains("Ngày tính đến “2025-13-01” không đọc được"))
            let badFile = try await HTTP.get(monitor, "/plans/343-qd-tu/report.docx?period=quarter-2025-4&asOf=2025-12-20")
            #expect(badFile.status == .unprocessableContent)
            let future = try await HTTP.post(
                monitor, "/plans/343-qd-tu/report/issue",
                [("_csrf", "csrf-monitor"), ("period", "quarter-2026-1"), ("asOf", "2026-01-10"), ("scope", "all")])
            #expect(future.status == .unprocessableContent)
            #expect(future.body.contains("Không thể ban hành báo cáo tính đến một ngày chưa tới (10/01/2026)."))
            let noToken = try await HTTP.post(
                monitor, "/plans/343-qd-tu/report/issue", [("period", "quarter-2025-4"), ("scope", "all")])
            #expect(noToken.status == .forbidden)
            let emptySettings = try await HTTP.post(
                monitor, "/plans/343-qd-tu/report/settings",
                [("_csrf", "csrf-monitor"), ("format", "party"), ("issuerLines", " "), ("numberSuffix", "-BC/TU"), ("place", "")])
            #expect(emptySettings.status == .unprocessableContent)
            #expect(
                emptySettings.body.contains("Cần ghi tên cơ quan ban hành.") && emptySettings.body.contains("Cần ghi địa danh"))
            #expect(try await world.reports.issuedReports(plan.id).isEmpty)
            #expect(try await world.reports.settings(plan.id) == nil)
        }
    }

    static let office = OfficeConverter.locate(
        configured: nil, searchPath: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")

    @Test(
        "where LibreOffice is installed the page offers a PDF and issuing stores it",
        .enabled(if: office != nil, "LibreOffice (soffice) is not installed"))
    func pdf() async throws {
        try await World.run(today: Self.date("2025-12-15"), converter: Self.office) { world, client in
            let monitor = world.client(client, as: .monitor)
            let query = "period=quarter-2025-4&asOf=2025-12-14&scope=part:B&number="
            let page = try await HTTP.get(monitor, "/plans/343-qd-tu/report?\(query)")
            #expect(page.body.contains("report.pdf?"))
            let pdf = try await client.execute(
                uri: "/plans/343-qd-tu/report.pdf?\(query)", method: .get, headers: [.cookie: "theodoi_session=session-monitor"]
            ) { ($0.status, [UInt8](buffer: $0.body), $0.headers) }
            #expect(pdf.0 == .ok)
            #expect(pdf.1.starts(with: Array("%PDF".utf8)))
            #expect(pdf.2[.contentType] == "application/pdf")
            let issued = try await HTTP.post(
                monitor, "/plans/343-qd-tu/report/issue",
                [
                    ("_csrf", "csrf-monitor"), ("period", "quarter-2025-4"), ("asOf", "2025-12-14"), ("scope", "part:B"),
                    ("confirm", "yes"),
                ])
            #expect(issued.status == .found)
            let plan = try #require(try await world.catalogue.plan("343-qd-tu"))
            #expect(try await world.reports.issuedReports(plan.id).first?.files.map(\.kind) == ["docx", "xlsx", "html", "pdf"])
        }
    }

    static func parts(_ bytes: [UInt8]) throws -> [String: Data] {
        let archive = try Archive(data: Data(bytes), accessMode: .read)
        var parts: [String: Data] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            parts[entry.path] = data
        }
        return parts
    }
}
