import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TheodoiCore
import TheodoiOperations
import TheodoiStore

/// The working loop through the real pages and API: report, return, report again, accept; drafts
/// edited by two people; attachments; extensions; due dates.
@Suite("Progress reports, review and extensions")
struct ProgressFlowTests {
    static func date(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

    /// A small but real PDF file.
    static let pdf: [UInt8] =
        Array(
            "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
                .utf8) + (0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }

    static func reportFields(
        _ session: TestSession, stage: String, result: String, achievedOn: String, submit: Bool
    )
        -> [(String, String)]
    {
        [
            ("_csrf", session.csrf), ("report", ""), ("version", ""), ("stage", stage), ("percent", "100"),
            ("result", result), ("achievedOn", achievedOn), ("evidenceNumber", "1234/QĐ-SGDĐT"),
            ("evidenceDate", "28/08/2025"), ("evidenceSummary", "Quyết định ban hành kho dữ liệu số, bài giảng điện tử"),
            ("evidenceNumber", ""), ("evidenceDate", ""), ("evidenceSummary", ""), ("difficulties", ""),
            ("proposals", "Đề nghị Sở KH&CN hỗ trợ kết nối nền tảng dùng chung."), ("do", submit ? "submit" : "save"),
        ]
    }

    static func status(_ client: any TestClientProtocol, token: String, code: String, asOf: String) async throws -> [String: Any]
    {
        let response = try await client.execute(
            uri: "/api/v1/plans/343-qd-tu/assignments/\(code)?asOf=\(asOf)", method: .get,
            headers: [.authorization: "Bearer \(token)"]
        ) { String(buffer: $0.body) }
        let object = try JSONSerialization.jsonObject(with: Data(response.utf8)) as? [String: Any]
        return object?["status"] as? [String: Any] ?? [:]
    }

    @Test(
        "Sở GD&ĐT reports A.17.1 done, is returned, reports again, is accepted; dates decide on time", arguments: WebBackends.all)
    func doneMeans(backend: String) async throws {
        try await World.run(backend: backend, today: Self.date("2025-09-15")) { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            let monitor = world.client(client, as: .monitor)
            let token = try await world.accounts.createAPIToken(
                for: try #require(world.session(.leader)).user, label: "đọc", by: .system
            ).token

            // 20/09: the first report, claiming completion on 28/08 with a document as evidence.
            world.move(to: Self.date("2025-09-20"))
            let form = try await HTTP.get(officer, "/plans/343-qd-tu/assignments/A.17.1/report")
            #expect(form.status == .ok)
            #expect(form.body.contains("Báo cáo tiến độ") && form.body.contains("Đã hoàn thành"))
            // "Xem lại và gửi" saves the draft and asks; only the confirmation page's button sends.
            let asked = try await HTTP.multipart(
                officer, "/plans/343-qd-tu/assignments/A.17.1/report",
                Self.reportFields(
                    education, stage: "done", result: "Đã xây dựng kho dữ liệu số", achievedOn: "28/08/2025", submit: true))
            #expect(asked.status == .ok)
            for text in [
                "Gửi báo cáo này?", "Xác nhận gửi", "Đã hoàn thành, 100%", "Đã xây dựng kho dữ liệu số", "28/08/2025",
                "1234/QĐ-SGDĐT ngày 28/08/2025", "Đề nghị Sở KH&amp;CN hỗ trợ kết nối nền tảng dùng chung.",
            ] {
                #expect(asked.body.contains(text), "the confirmation lacks \(text)")
            }
            #expect(
                try await Self.status(client, token: token, code: "A.17.1", asOf: "2025-09-20")["stage"] as? String
                    == "not-started")
            let first = try await HTTP.confirm(officer, asked.body)
            #expect(first.status == .found)
            #expect(first.location?.hasPrefix("/plans/343-qd-tu/assignments/A.17.1?done=report-submitted") == true)
            var state = try await Self.status(client, token: token, code: "A.17.1", asOf: "2025-09-20")
            #expect(state["stage"] as? String == "awaiting-review")

            // 22/09: the office returns it; a return without a reason is refused and changes nothing.
            world.move(to: Self.date("2025-09-22"))
            let log = try await world.progress.assignmentLog(try #require(try await Self.assignmentID(world, "A.17.1")))
            let firstReport = try #require(log.reports.first)
            let queue = try await HTTP.get(monitor, "/plans/343-qd-tu/review")
            #expect(queue.body.contains("Báo cáo hoàn thành chờ xác nhận"))
            #expect(queue.body.contains("href=\"/reports/\(firstReport.id)\""))
            let page = try await HTTP.get(monitor, "/reports/\(firstReport.id)")
            #expect(page.body.contains("Xác nhận hoàn thành") && page.body.contains("Trả lại báo cáo"))
            #expect(page.body.contains("value=\"28/08/2025\""))
            let noReason = try await HTTP.post(
                monitor, "/reports/\(firstReport.id)/review",
                [("_csrf", "csrf-monitor"), ("decision", "return"), ("reason", " ")])
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.body.contains("Trả lại báo cáo cần ghi lý do"))
            #expect(try await world.progress.report(firstReport.id)?.state == .submitted)
            let asking = try await HTTP.post(
                monitor, "/reports/\(firstReport.id)/review",
                [("_csrf", "csrf-monitor"), ("decision", "return"), ("reason", "Thiếu tệp quyết định đã ký")])
            #expect(asking.status == .ok)
            #expect(asking.body.contains("Trả lại báo cáo này?") && asking.body.contains("Thiếu tệp quyết định đã ký"))
            #expect(try await world.progress.report(firstReport.id)?.state == .submitted)
            let returned = try await HTTP.confirm(monitor, asking.body)
            #expect(returned.status == .found)
            state = try await Self.status(client, token: token, code: "A.17.1", asOf: "2025-09-22")
            #expect(state["stage"] as? String == "returned")

            // The officer sees why, and reports again on 25/09 with the signed decision attached.
            world.move(to: Self.date("2025-09-25"))
            let again = try await HTTP.get(officer, "/plans/343-qd-tu/assignments/A.17.1/report")
            #expect(again.body.contains("Báo cáo trước bị trả lại: “Thiếu tệp quyết định đã ký”"))
            // The new report starts from the returned one, not from 0%.
            #expect(again.body.contains("Nội dung dưới đây chép từ báo cáo gửi lúc"))
            #expect(again.body.contains(">Đã xây dựng kho dữ liệu số</textarea>"))
            #expect(again.body.contains("value=\"100\""))
            #expect(again.body.contains("<option value=\"done\" selected>"))
            #expect(again.body.contains("value=\"1234/QĐ-SGDĐT\""))
            let secondAsked = try await HTTP.multipart(
                officer, "/plans/343-qd-tu/assignments/A.17.1/report",
                Self.reportFields(
                    education, stage: "done", result: "Đã xây dựng kho dữ liệu số; gửi kèm quyết định", achievedOn: "28/08/2025",
                    submit: true),
                files: [("files", "Quyết định 1234.pdf", Self.pdf)])
            #expect(secondAsked.body.contains("Quyết định 1234.pdf"))
            let second = try await HTTP.confirm(officer, secondAsked.body)
            #expect(second.status == .found)

            // 10/10: the office accepts, with the completion date the report gives.
            world.move(to: Self.date("2025-10-10"))
            let log2 = try await world.progress.assignmentLog(try #require(try await Self.assignmentID(world, "A.17.1")))
            let secondReport = try #require(log2.reports.last)
            #expect(secondReport.attachments.count == 1)
            let accepting = try await HTTP.post(
                monitor, "/reports/\(secondReport.id)/review",
                [("_csrf", "csrf-monitor"), ("decision", "accept"), ("completedOn", "28/08/2025"), ("reason", "")])
            #expect(accepting.body.contains("Xác nhận nhiệm vụ đã hoàn thành?"))
            #expect(accepting.body.contains("Xác nhận hoàn thành, ngày hoàn thành 28/08/2025"))
            let accepted = try await HTTP.confirm(monitor, accepting.body)
            #expect(accepted.status == .found)

            // As of 30/09 it was not done (accepted on 10/10); as of 10/10 it is done on time (28/08 ≤ 31/08).
            state = try await Self.status(client, token: token, code: "A.17.1", asOf: "2025-09-30")
            #expect(state["timeliness"] as? String == "open-overdue")
            #expect(state["stage"] as? String == "awaiting-review")
            state = try await Self.status(client, token: token, code: "A.17.1", asOf: "2025-10-10")
            #expect(state["timeliness"] as? String == "done-on-time")
            #expect(state["completedOn"] as? String == "2025-08-28")
            #expect(state["percent"] as? Int == 100)

            // The plan page and the assignment's page say so, with the whole history.
            let plan = try await HTTP.get(world.client(client, as: .leader), "/plans/343-qd-tu?q=kho+du+lieu+so")
            #expect(plan.body.contains("Hoàn thành đúng hạn"))
            let assignment = try await HTTP.get(world.client(client, as: .leader), "/plans/343-qd-tu/assignments/A.17.1")
            for text in [
                "Trả lại báo cáo của Sở Giáo dục và Đào tạo", "Thiếu tệp quyết định đã ký",
                "Xác nhận hoàn thành, ngày hoàn thành 28/08/2025", "Quyết định 1234.pdf", "1234/QĐ-SGDĐT ngày 28/08/2025",
                "Ngày hoàn thành (đã xác nhận)",
            ] {
                #expect(assignment.body.contains(text), "assignment page lacks \(text)")
            }
            let history = try await client.execute(
                uri: "/api/v1/plans/343-qd-tu/assignments/A.17.1/history", method: .get,
                headers: [.authorization: "Bearer \(token)"]
            ) { String(buffer: $0.body) }
            let items =
                (try JSONSerialization.jsonObject(with: Data(history.utf8)) as? [String: Any])?["items"] as? [[String: Any]]
            #expect(items?.compactMap { $0["type"] as? String } == ["report", "review", "report", "review"])

            // The attachment comes back byte for byte, as a download.
            let file = try #require(secondReport.attachments.first)
            let download = try await client.execute(
                uri: "/attachments/\(file.id)", method: .get, headers: [.cookie: "theodoi_session=session-leader"]
            ) { ($0.status, Array($0.body.readableBytesView), $0.headers) }
            #expect(download.0 == .ok)
            #expect(download.1 == Self.pdf)
            #expect(download.2[.contentType] == "application/pdf")
            #expect(download.2[.contentDisposition]?.hasPrefix("attachment;") == true)
            #expect(file.sha256 == SHA256.hex(bytes: Self.pdf))

            // Every write is in the audit log with before and after.
            let audit = try await world.accountStore.auditLog(AuditFilter(action: "report.", limit: 50)).entries
            #expect(
                audit.map(\.action) == [
                    "report.accept", "report.submit", "report.create", "report.return", "report.submit", "report.create",
                ])
            #expect(audit.allSatisfy { $0.after != nil })
            #expect(audit.first?.before?.contains("\"submitted\"") == true)
            let auditPage = try await HTTP.get(world.client(client, as: .admin), "/audit")
            for label in ["Gửi báo cáo", "Trả lại báo cáo", "Xác nhận báo cáo"] {
                #expect(auditPage.body.contains(label), "the audit page lacks \(label)")
            }
        }
    }

    static func assignmentID(_ world: World, _ code: String) async throws -> AssignmentRecord.ID? {
        try await world.views.snapshots.snapshot(slug: "343-qd-tu").flatMap { snapshot in
            snapshot.index[code].map { snapshot.assignments[$0].id }
        }
    }

    @Test(
        "two people editing one draft: the second save is refused with what changed, never overwritten",
        arguments: WebBackends.all)
    func staleDraft(backend: String) async throws {
        try await World.run(backend: backend) { world, client in
            let first = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let second = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu2")
            let firstClient = SessionClient(base: client, cookie: first.cookie)
            let secondClient = SessionClient(base: client, cookie: second.cookie)
            let path = "/plans/343-qd-tu/assignments/A.17.2/report"
            var fields = Self.reportFields(first, stage: "in-progress", result: "Bản đầu", achievedOn: "", submit: false)
            fields[4] = ("percent", "40")
            #expect(try await HTTP.multipart(firstClient, path, fields).status == .found)
            let a172 = try #require(try await Self.assignmentID(world, "A.17.2"))
            let id = try #require(try await world.progress.assignmentLog(a172).reports.first?.id)
            // Both open version 1; the second person saves first.
            var secondFields = Self.reportFields(
                second, stage: "in-progress", result: "Bản của người thứ hai", achievedOn: "", submit: false)
            secondFields[1] = ("report", "\(id)")
            secondFields[2] = ("version", "1")
            secondFields[4] = ("percent", "60")
            #expect(try await HTTP.multipart(secondClient, path, secondFields).status == .found)
            var late = Self.reportFields(
                first, stage: "in-progress", result: "Bản sửa của người thứ nhất", achievedOn: "", submit: true)
            late[1] = ("report", "\(id)")
            late[2] = ("version", "1")
            let refused = try await HTTP.multipart(firstClient, path, late)
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("Cán bộ SGDĐT") || refused.body.contains("Cán bộ"))
            #expect(refused.body.contains("Bản đầu") && refused.body.contains("Bản của người thứ hai"))
            #expect(refused.body.contains("40%") && refused.body.contains("60%"))
            // What the first person typed is still on the form, now over version 2.
            #expect(refused.body.contains("Bản sửa của người thứ nhất"))
            #expect(refused.body.contains("name=\"version\" value=\"2\""))
            let stored = try #require(try await world.progress.report(id))
            #expect(stored.content.result == "Bản của người thứ hai")
            #expect(stored.state == .draft)
            #expect(stored.version == 2)

            // The API says the same with 409.
            let token = try await world.accounts.createAPIToken(for: first.user, label: "api", by: .system).token
            let put = try await HTTP.json(
                client, .put, "/api/v1/reports/\(id)", #"{"version": 1, "result": "ghi đè", "percent": 10}"#, token: token)
            #expect(put.status == .conflict)
            #expect(put.body.contains("version 2"))
            #expect(try await world.progress.report(id)?.content.result == "Bản của người thứ hai")
            let ok = try await HTTP.json(
                client, .put, "/api/v1/reports/\(id)", #"{"version": 2, "result": "Bản thống nhất", "percent": 70}"#, token: token
            )
            #expect(ok.status == .ok)
            #expect(try await world.progress.report(id)?.version == 3)
        }
    }

    @Test("a file too large, of a refused type, or disguised is refused with a clear message; nothing is stored")
    func refusedFiles() async throws {
        try await World.run { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            let path = "/plans/343-qd-tu/assignments/A.17.3/report"
            let fields = Self.reportFields(
                education, stage: "in-progress", result: "Đang triển khai", achievedOn: "", submit: false)
            let cases: [(String, [UInt8], String)] = [
                (
                    "bao-cao.pdf", Array("%PDF-".utf8) + [UInt8](repeating: 0x20, count: Reporting.maximumAttachmentBytes),
                    "vượt giới hạn 20 MB"
                ),
                ("chuong-trinh.exe", [0x4D, 0x5A, 0x90, 0x00], "không thuộc loại được nhận"),
                ("anh.pdf", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3], "có thể đã bị đổi đuôi"),
                ("rong.docx", [], "rỗng"),
            ]
            let assignment = try #require(try await Self.assignmentID(world, "A.17.3"))
            for (name, bytes, message) in cases {
                let response = try await HTTP.multipart(officer, path, fields, files: [("files", name, bytes)])
                #expect(response.status == .unprocessableContent, "\(name)")
                #expect(response.body.contains(message), "\(name): \(message)")
                #expect(try await world.progress.assignmentLog(assignment).reports.isEmpty)
            }
            // A body cut off in the middle of a file stores nothing.
            let cut = try await HTTP.multipart(officer, path, fields, files: [("files", "qd.pdf", Self.pdf)], truncateTo: 1500)
            #expect(cut.status == .badRequest)
            #expect(try await world.progress.assignmentLog(assignment).reports.isEmpty)
        }
    }

    @Test("a draft keeps its files between saves; a ticked file is removed; the form shows what is attached")
    func draftFiles() async throws {
        try await World.run { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            let path = "/plans/343-qd-tu/assignments/A.17.6/report"
            let fields = Self.reportFields(education, stage: "in-progress", result: "Đang làm", achievedOn: "", submit: false)
            let saved = try await HTTP.multipart(
                officer, path, fields,
                files: [
                    ("files", "ke-hoach.pdf", Self.pdf),
                    ("files", "anh.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 7]),
                ])
            #expect(saved.status == .found)
            let assignment = try #require(try await Self.assignmentID(world, "A.17.6"))
            let draft = try #require(try await world.progress.assignmentLog(assignment).reports.first)
            #expect(draft.attachments.map(\.fileName) == ["ke-hoach.pdf", "anh.png"])
            let form = try await HTTP.get(officer, path)
            #expect(
                form.body.contains("ke-hoach.pdf") && form.body.contains("name=\"remove\" value=\"\(draft.attachments[1].id)\""))
            var again = fields
            again[1] = ("report", "\(draft.id)")
            again[2] = ("version", "\(draft.version)")
            again.append(("remove", "\(draft.attachments[1].id)"))
            #expect(try await HTTP.multipart(officer, path, again).status == .found)
            let after = try #require(try await world.progress.report(draft.id))
            #expect(after.attachments.map(\.fileName) == ["ke-hoach.pdf"])
            // Another agency's officer cannot fetch a draft's file.
            let other = world.client(client, as: .otherOfficer)
            #expect(try await HTTP.get(other, "/attachments/\(draft.attachments[0].id)").status == .notFound)
            #expect(try await HTTP.get(officer, "/attachments/\(draft.attachments[0].id)").status == .ok)
        }
    }

    @Test("an extension asked, refused without a reason only when given one, approved; the original date is kept")
    func extensions() async throws {
        try await World.run { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            let monitor = world.client(client, as: .monitor)
            let path = "/plans/343-qd-tu/assignments/A.17.7/extensions"
            // A.17.7 is due 31/10/2025. A date before it, or no reason, is refused.
            let early = try await HTTP.post(
                officer, path, [("_csrf", "csrf-edu"), ("newDue", "15/10/2025"), ("reason", "Cần thêm thời gian")])
            #expect(early.status == .unprocessableContent)
            #expect(early.body.contains("phải sau hạn hiện hành (31/10/2025)"))
            #expect(early.body.contains("value=\"15/10/2025\""))
            let asked = try await HTTP.post(
                officer, path,
                [("_csrf", "csrf-edu"), ("newDue", "31/12/2025"), ("reason", "Chờ nhà cung cấp bàn giao phần mềm")])
            #expect(asked.status == .found)
            let twice = try await HTTP.post(
                officer, path, [("_csrf", "csrf-edu"), ("newDue", "15/01/2026"), ("reason", "Lần hai")])
            #expect(twice.status == .conflict)
            let log = try await world.progress.assignmentLog(try #require(try await Self.assignmentID(world, "A.17.7")))
            let request = try #require(log.extensions.first)
            let refusedNoReason = try await HTTP.post(
                monitor, "/extensions/\(request.id)/decision", [("_csrf", "csrf-monitor"), ("approve", "0"), ("reason", "")])
            #expect(refusedNoReason.status == .unprocessableContent)
            #expect(refusedNoReason.body.contains("Không đồng ý gia hạn cần ghi lý do"))
            world.move(to: Self.date("2025-10-02"))
            let asking = try await HTTP.post(
                monitor, "/extensions/\(request.id)/decision", [("_csrf", "csrf-monitor"), ("approve", "1"), ("reason", "")])
            #expect(asking.status == .ok)
            #expect(asking.body.contains("Đồng ý gia hạn?") && asking.body.contains("hạn mới 31/12/2025"))
            #expect(try await world.progress.extensionRequest(request.id)?.state == .pending)
            let approved = try await HTTP.confirm(monitor, asking.body)
            #expect(approved.status == .found)
            let again = try await HTTP.post(
                monitor, "/extensions/\(request.id)/decision", [("_csrf", "csrf-monitor"), ("approve", "0"), ("reason", "đổi ý")])
            #expect(again.status == .conflict)
            let page = try await HTTP.get(world.client(client, as: .leader), "/plans/343-qd-tu/assignments/A.17.7")
            #expect(page.body.contains("Hạn hiện hành (sau gia hạn)"))
            #expect(page.body.contains("31/12/2025; hạn ban đầu 31/10/2025 vẫn được giữ"))
            #expect(page.body.contains("Đồng ý gia hạn đến 31/12/2025"))
            // Before the decision the old date was in force.
            let snapshot = try #require(try await world.views.snapshots.snapshot(slug: "343-qd-tu"))
            let position = try #require(snapshot.index["A.17.7"])
            #expect(snapshot.statuses(asOf: Self.date("2025-10-01"))[position].effectiveDue == Self.date("2025-10-31"))
            #expect(snapshot.statuses(asOf: Self.date("2025-10-02"))[position].effectiveDue == Self.date("2025-12-31"))
            #expect(snapshot.statuses(asOf: Self.date("2025-10-02"))[position].originalDue == Self.date("2025-10-31"))
        }
    }

    @Test("the office sets the due date of an external deadline; until then it is undetermined")
    func externalDue() async throws {
        try await World.run { world, client in
            let monitor = world.client(client, as: .monitor)
            let snapshot = try #require(try await world.views.snapshots.snapshot(slug: "343-qd-tu"))
            let external = try #require(
                snapshot.assignments.first { $0.deadline.kind == .external && snapshot.children[$0.code] == nil })
            let path = "/plans/343-qd-tu/assignments/\(external.code)/due"
            let missing = try await HTTP.post(
                monitor, path, [("_csrf", "csrf-monitor"), ("newDue", "31/03/2026"), ("reason", "")])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.body.contains("Ghi căn cứ xác định thời hạn"))
            let set = try await HTTP.post(
                monitor, path, [("_csrf", "csrf-monitor"), ("newDue", "31/03/2026"), ("reason", "Kế hoạch số 02-KH/BCĐTW")])
            #expect(set.status == .found)
            let after = try #require(try await world.views.snapshots.snapshot(slug: "343-qd-tu"))
            let position = try #require(after.index[external.code])
            let status = after.statuses(asOf: Self.date("2025-09-30"))[position]
            #expect(status.timeliness == .openInTime)
            #expect(status.effectiveDue == Self.date("2026-03-31"))
            #expect(after.statuses(asOf: Self.date("2025-09-29"))[position].timeliness == .undetermined)
            // A dated deadline takes an extension instead.
            let dated = try await HTTP.post(
                monitor, "/plans/343-qd-tu/assignments/A.17.7/due",
                [("_csrf", "csrf-monitor"), ("newDue", "31/03/2026"), ("reason", "x")])
            #expect(dated.status == .conflict)
        }
    }

    @Test("a recurring assignment is reported each period; the page shows which periods have a report")
    func recurring() async throws {
        try await World.run { world, client in
            let snapshot = try #require(try await world.views.snapshots.snapshot(slug: "343-qd-tu"))
            let assignment = try #require(
                snapshot.assignments.first {
                    $0.deadline.kind == .recurring && $0.deadline.cadence == nil && snapshot.children[$0.code] == nil
                        && $0.lead.first?.agencyID != nil
                })
            let agency = try #require(try await world.catalogue.agencies().first { $0.id == assignment.lead.first?.agencyID })
            let session = try await world.officer(of: agency.name, key: "rec")
            let officer = SessionClient(base: client, cookie: session.cookie)
            let path = "/plans/343-qd-tu/assignments/\(assignment.code)"
            let form = try await HTTP.get(officer, path + "/report")
            #expect(form.status == .ok)
            #expect(!form.body.contains("value=\"done\""))
            var fields = Self.reportFields(session, stage: "done", result: "Kết quả quý", achievedOn: "29/09/2025", submit: true)
            let refused = try await HTTP.multipart(officer, path + "/report", fields)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("Nhiệm vụ thường xuyên không báo cáo “đã hoàn thành”"))
            fields[3] = ("stage", "in-progress")
            fields[4] = ("percent", "50")
            let asked = try await HTTP.multipart(officer, path + "/report", fields)
            #expect(try await HTTP.confirm(officer, asked.body).status == .found)
            let page = try await HTTP.get(world.client(client, as: .leader), path)
            #expect(page.body.contains("Các kỳ báo cáo"))
            #expect(page.body.contains("Quý IV/2025") && page.body.contains("15/09/2025 – 14/12/2025"))
            #expect(page.body.contains("✓ Đã báo cáo</span> 1 báo cáo, gần nhất 30/09/2025"))
            #expect(page.body.contains("Quý III/2025") && page.body.contains("✗ Chưa báo cáo"))
            let status = snapshot.statuses(asOf: world.today)[try #require(snapshot.index[assignment.code])]
            #expect(status.reportedThisPeriod == false)
            let after = try #require(try await world.views.snapshots.snapshot(slug: "343-qd-tu"))
            #expect(after.statuses(asOf: world.today)[try #require(after.index[assignment.code])].reportedThisPeriod == true)
        }
    }

    @Test("the API: create, edit, submit, review, extend and decide with the pages' rules")
    func api() async throws {
        try await World.run { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officerToken = try await world.accounts.createAPIToken(for: education.user, label: "api", by: .system).token
            let monitorToken = try await world.accounts.createAPIToken(
                for: try #require(world.session(.monitor)).user, label: "api", by: .system
            ).token
            let base = "/api/v1/plans/343-qd-tu/assignments/A.17.4"
            let bad = try await HTTP.json(
                client, .post, base + "/reports", #"{"percent": 150, "submit": true}"#, token: officerToken)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("percent must be an integer 0–100"))
            let wrongType = try await HTTP.json(client, .post, base + "/reports", #"{"percent": "50"}"#, token: officerToken)
            #expect(wrongType.status == .unprocessableContent)
            #expect(wrongType.body.contains("percent must be an integer"))
            let created = try await HTTP.json(
                client, .post, base + "/reports",
                #"{"stage": "in-progress", "percent": 60, "result": "Đã cài đặt phần mềm", "evidence": [{"number": "55/KH-SGDĐT", "date": "2025-09-10", "summary": "Kế hoạch triển khai"}], "submit": false}"#,
                token: officerToken)
            #expect(created.status == .created)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(created.body.utf8)) as? [String: Any])
            let id = try #require(object["id"] as? Int)
            #expect(object["state"] as? String == "draft")
            #expect(object["version"] as? Int == 1)
            let review = try await HTTP.json(
                client, .post, "/api/v1/reports/\(id)/review", #"{"decision": "accept"}"#, token: monitorToken)
            // Drafts are their agency's own: the office does not see them.
            #expect(review.status == .notFound)
            let submitted = try await HTTP.json(
                client, .post, "/api/v1/reports/\(id)/submit", #"{"version": 1}"#, token: officerToken)
            #expect(submitted.status == .ok)
            #expect(submitted.body.contains(#""state":"submitted""#))
            let edit = try await HTTP.json(
                client, .put, "/api/v1/reports/\(id)", #"{"version": 2, "result": "x"}"#, token: officerToken)
            #expect(edit.status == .conflict)
            let officerReview = try await HTTP.json(
                client, .post, "/api/v1/reports/\(id)/review", #"{"decision": "accept"}"#, token: officerToken)
            #expect(officerReview.status == .forbidden)
            let noted = try await HTTP.json(
                client, .post, "/api/v1/reports/\(id)/review", #"{"decision": "accept", "reason": "Ghi nhận"}"#,
                token: monitorToken)
            #expect(noted.status == .ok)
            #expect(noted.body.contains(#""completedOn":null"#))
            let requested = try await HTTP.json(
                client, .post, base + "/extensions", #"{"newDue": "2025-12-31", "reason": "Chờ dữ liệu"}"#, token: officerToken)
            #expect(requested.status == .created)
            let extensionID = try #require(
                (try JSONSerialization.jsonObject(with: Data(requested.body.utf8)) as? [String: Any])?["id"] as? Int)
            let decision = try await HTTP.json(
                client, .post, "/api/v1/extensions/\(extensionID)/decision", #"{"approve": false, "reason": "Không có căn cứ"}"#,
                token: monitorToken)
            #expect(decision.status == .ok)
            #expect(decision.body.contains(#""state":"refused""#))
            let attached = try await client.execute(
                uri: "/api/v1/reports/\(id)/attachments", method: .post,
                headers: [
                    .authorization: "Bearer \(officerToken)",
                    .contentType: "multipart/form-data; boundary=XyZ",
                ],
                body: ByteBuffer(
                    bytes: Array("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n".utf8)
                        + Self.pdf + Array("\r\n--XyZ--\r\n".utf8))
            ) { $0.status }
            #expect(attached == .conflict)
            let history = try await HTTP.get(client, base + "/history", headers: [.authorization: "Bearer \(officerToken)"])
            #expect(history.body.contains(#""type":"report""#) && history.body.contains(#""type":"extension""#))
        }
    }
}
