import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TheodoiCore
import TheodoiOperations
import TheodoiStore

/// Acts that cannot be taken back happen only on a page that shows them first (issue 16, item 1),
/// and a new report starts from the agency's last one (item 2).
@Suite("Deliberate acts and reports that start from the last one")
struct DeliberateActsTests {
    static let path = "/plans/343-qd-tu/assignments/A.17.1/report"

    static func fields(
        _ session: TestSession, percent: String = "40", stage: String = "in-progress", send: Bool
    )
        -> [(String, String)]
    {
        [
            ("_csrf", session.csrf), ("report", ""), ("version", ""), ("stage", stage), ("percent", percent),
            ("result", "Đã khảo sát 120 trường"), ("achievedOn", ""), ("evidenceNumber", "15/KH-SGDĐT"),
            ("evidenceDate", "02/09/2025"), ("evidenceSummary", "Kế hoạch khảo sát"), ("difficulties", "Thiếu kinh phí"),
            ("proposals", ""), ("do", send ? "submit" : "save"),
        ]
    }

    static func log(_ world: World, _ code: String = "A.17.1") async throws -> AssignmentLog {
        let snapshot = try #require(try await world.views.snapshots.snapshot(slug: "343-qd-tu"))
        let position = try #require(snapshot.index[code])
        return try await world.progress.assignmentLog(snapshot.assignments[position].id)
    }

    @Test("Enter saves a draft: the first button of the form is “Lưu nháp”, and the percent field holds no 0")
    func enterSaves() async throws {
        try await World.run { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            let form = try await HTTP.get(officer, Self.path)
            // A browser submits a form on Enter with its first submit button.
            let save = try #require(form.body.range(of: "name=\"do\" value=\"save\""))
            let send = try #require(form.body.range(of: "name=\"do\" value=\"submit\""))
            #expect(save.lowerBound < send.lowerBound)
            #expect(form.body.contains("<input name=\"percent\" id=\"f-percent\" value=\"\" type=\"number\""))
            // What Enter sends: the first button's name and value.
            let entered = try await HTTP.multipart(officer, Self.path, Self.fields(education, send: false))
            #expect(entered.status == .found)
            #expect(try await Self.log(world).reports.map(\.state) == [.draft])
        }
    }

    @Test("“Xem lại và gửi” saves and asks; only the confirmation sends, and a stale one sends nothing")
    func sendingAsks() async throws {
        try await World.run { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            let asked = try await HTTP.multipart(
                officer, Self.path, Self.fields(education, send: true),
                files: [("files", "khao-sat.pdf", ProgressFlowTests.pdf)])
            #expect(asked.status == .ok)
            for text in [
                "Gửi báo cáo này?", "Đang thực hiện, 40%", "Đã khảo sát 120 trường", "15/KH-SGDĐT ngày 02/09/2025",
                "Thiếu kinh phí", "khao-sat.pdf", "Xác nhận gửi", "Quay lại sửa bản nháp",
            ] {
                #expect(asked.body.contains(text), "the confirmation lacks \(text)")
            }
            let draft = try #require(try await Self.log(world).reports.first)
            #expect(draft.state == .draft && draft.attachments.count == 1)

            // Someone edits the draft after the page was shown: the old confirmation sends nothing.
            var edited = Self.fields(education, send: false)
            edited[1] = ("report", "\(draft.id)")
            edited[2] = ("version", "\(draft.version)")
            edited[5] = ("result", "Đã khảo sát 130 trường")
            #expect(try await HTTP.multipart(officer, Self.path, edited).status == .found)
            let stale = try await HTTP.confirm(officer, asked.body)
            #expect(stale.status == .conflict)
            #expect(try await Self.log(world).reports.map(\.state) == [.draft])

            // Asked again, it sends what the page showed.
            var again = Self.fields(education, send: true)
            again[1] = ("report", "\(draft.id)")
            again[2] = ("version", "\(draft.version + 1)")
            again[5] = ("result", "Đã khảo sát 130 trường")
            let second = try await HTTP.multipart(officer, Self.path, again)
            #expect(second.body.contains("Đã khảo sát 130 trường"))
            let sent = try await HTTP.confirm(officer, second.body)
            #expect(sent.status == .found)
            let report = try #require(try await Self.log(world).reports.first)
            #expect(report.state == .submitted && report.content.result == "Đã khảo sát 130 trường")
            #expect(report.attachments.map(\.fileName) == ["khao-sat.pdf"])
        }
    }

    @Test("claiming completion at 60% asks which is meant, and stores nothing")
    func completionBelowHundred() async throws {
        try await World.run { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            var fields = Self.fields(education, percent: "60", stage: "done", send: true)
            fields[6] = ("achievedOn", "01/09/2025")
            let refused = try await HTTP.multipart(officer, Self.path, fields)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("Đã chọn “đã hoàn thành” nhưng tỷ lệ ghi 60%"))
            #expect(refused.body.contains("value=\"60\""))
            #expect(try await Self.log(world).reports.isEmpty)
            // Left empty, a completion is 100%.
            fields[4] = ("percent", "")
            let asked = try await HTTP.multipart(officer, Self.path, fields)
            #expect(asked.body.contains("Đã hoàn thành, 100%"))
        }
    }

    @Test("after a return the next report starts from the last: values, reason, files kept unless unticked")
    func startsFromLast() async throws {
        try await World.run(today: LocalDate(iso: "2025-09-10")!) { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            let monitor = world.client(client, as: .monitor)
            let asked = try await HTTP.multipart(
                officer, Self.path, Self.fields(education, percent: "45", send: true),
                files: [
                    ("files", "khao-sat.pdf", ProgressFlowTests.pdf),
                    ("files", "anh.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 3]),
                ])
            #expect(try await HTTP.confirm(officer, asked.body).status == .found)
            let first = try #require(try await Self.log(world).reports.first)
            let returning = try await HTTP.post(
                monitor, "/reports/\(first.id)/review",
                [("_csrf", "csrf-monitor"), ("decision", "return"), ("reason", "Ghi rõ số trường đã khảo sát")])
            #expect(try await HTTP.confirm(monitor, returning.body).status == .found)

            let form = try await HTTP.get(officer, Self.path)
            #expect(form.body.contains("Báo cáo trước bị trả lại: “Ghi rõ số trường đã khảo sát”"))
            #expect(form.body.contains("<input name=\"percent\" id=\"f-percent\" value=\"45\""))
            #expect(form.body.contains(">Đã khảo sát 120 trường</textarea>"))
            #expect(form.body.contains(">Thiếu kinh phí</textarea>"))
            #expect(form.body.contains("value=\"15/KH-SGDĐT\"") && form.body.contains("value=\"02/09/2025\""))
            for file in first.attachments {
                #expect(form.body.contains("name=\"carry\" value=\"\(file.id)\" checked"))
            }
            // Keep the PDF, drop the picture; an id of no earlier file of this agency is ignored.
            var fields = Self.fields(education, percent: "50", send: true)
            fields.append(("carry", "\(first.attachments[0].id)"))
            fields.append(("carry", "999"))
            let again = try await HTTP.multipart(officer, Self.path, fields)
            #expect(again.body.contains("khao-sat.pdf") && !again.body.contains("anh.png"))
            #expect(try await HTTP.confirm(officer, again.body).status == .found)
            let second = try #require(try await Self.log(world).reports.last)
            #expect(second.id != first.id && second.state == .submitted)
            #expect(second.attachments.map(\.fileName) == ["khao-sat.pdf"])
            let copy = try #require(try await world.progress.attachment(second.attachments[0].id))
            #expect(copy.bytes == ProgressFlowTests.pdf)
            // The returned report keeps its own files.
            #expect(try await world.progress.report(first.id)?.attachments.count == 2)
        }
    }

    @Test("returning, accepting, deciding, publishing and resetting a password change nothing until confirmed")
    func nothingUntilConfirmed() async throws {
        try await World.run(today: LocalDate(iso: "2025-09-10")!) { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            let monitor = world.client(client, as: .monitor)
            let admin = world.client(client, as: .admin)
            let asked = try await HTTP.multipart(officer, Self.path, Self.fields(education, send: true))
            #expect(try await HTTP.confirm(officer, asked.body).status == .found)
            let report = try #require(try await Self.log(world).reports.first)
            for decision in ["accept", "return"] {
                let page = try await HTTP.post(
                    monitor, "/reports/\(report.id)/review",
                    [("_csrf", "csrf-monitor"), ("decision", decision), ("reason", "Ý kiến")])
                #expect(page.status == .ok)
                #expect(page.body.contains("class=\"confirm-form\""))
            }
            #expect(try await world.progress.report(report.id)?.state == .submitted)

            let publish = try await HTTP.post(
                monitor, "/plans/343-qd-tu/publish", [("_csrf", "csrf-monitor"), ("published", "1")])
            #expect(publish.body.contains("Công khai số liệu tổng hợp của kế hoạch?"))
            #expect(try await world.catalogue.plan("343-qd-tu")?.published == false)
            let published = try await HTTP.confirm(monitor, publish.body)
            #expect(published.location == "/plans?done=published")
            #expect(try await world.catalogue.plan("343-qd-tu")?.published == true)
            #expect(try await HTTP.get(monitor, "/plans?done=published").body.contains("Đã công khai số liệu tổng hợp"))

            let leader = try #require(world.session(.leader))
            let reset = try await HTTP.post(
                admin, "/admin/users/\(leader.user.id)/reset-password", [("_csrf", "csrf-admin")])
            #expect(reset.body.contains("Đặt lại mật khẩu của"))
            #expect(try await HTTP.get(world.client(client, as: .leader), "/plans").status == .ok)
            let done = try await HTTP.confirm(admin, reset.body)
            #expect(done.body.contains("chỉ hiện một lần"))
            #expect(try await HTTP.get(world.client(client, as: .leader), "/plans").status != .ok)
        }
    }

    @Test("file lines and JSON links for those who use them; the crumb goes back to the filtered list; a monitor keeps an agency")
    func pagesPeopleExpect() async throws {
        try await World.run { world, client in
            let path = "/plans/343-qd-tu/assignments/A.17.1"
            let monitor = try await HTTP.get(world.client(client, as: .monitor), path)
            #expect(monitor.body.contains("dòng 38 của tệp") && monitor.body.contains("Diễn biến dạng JSON"))
            let leader = try await HTTP.get(world.client(client, as: .leader), path)
            #expect(!leader.body.contains("dòng 38 của tệp") && !leader.body.contains("Diễn biến dạng JSON"))
            #expect(leader.body.contains("<dt>Số thứ tự trong văn bản</dt><dd>17.1</dd>"))
            // Opened from a filtered list, the crumb leads back to that list; from elsewhere, to the plan.
            let fromList = try await HTTP.get(
                world.client(client, as: .leader), path,
                headers: [.referer: "http://127.0.0.1/plans/343-qd-tu?agency=36&role=lead&timeliness=open-overdue"])
            #expect(fromList.body.contains("href=\"/plans/343-qd-tu?agency=36&amp;role=lead&amp;timeliness=open-overdue\""))
            let foreign = try await HTTP.get(
                world.client(client, as: .leader), path, headers: [.referer: "http://127.0.0.1/plans/khac?x=1"])
            #expect(!foreign.body.contains("x=1"))
            // An office account of Văn phòng Tỉnh ủy keeps its agency.
            let office = try #require(try await world.catalogue.agencies().first { $0.name == "Văn phòng Tỉnh ủy" })
            let created = try await HTTP.post(
                world.client(client, as: .admin), "/admin/users",
                [
                    ("_csrf", "csrf-admin"), ("email", "theodoi.vptu@gialai.gov.vn"), ("name", "Chuyên viên VPTU"),
                    ("role", "monitor"), ("agency", "\(office.id)"),
                ])
            #expect(created.status == .created)
            let user = try #require(try await world.accountStore.users().first { $0.email == "theodoi.vptu@gialai.gov.vn" })
            #expect(user.agencyID == office.id)
        }
    }
}
