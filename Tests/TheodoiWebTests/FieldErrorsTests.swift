import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TheodoiCore
import TheodoiOperations
import TheodoiStore

/// A refused form says what is wrong beside each field, and a summary at the top links to those
/// fields (issue 16, item 6).
@Suite("Errors beside their fields")
struct FieldErrorsTests {
    /// The message shown beside the field whose input has `id`, and the summary's link to it.
    static func expectBeside(_ body: String, field id: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation)
    {
        #expect(body.contains("<a href=\"#f-\(id)\">"), "no summary link to \(id)", sourceLocation: sourceLocation)
        #expect(
            body.contains("<span class=\"field-error\" id=\"e-\(id)\">"), "no message beside \(id)",
            sourceLocation: sourceLocation)
        #expect(
            body.contains("id=\"f-\(id)\" aria-invalid=\"true\" aria-describedby=\"e-\(id)\""), "\(id) is not marked",
            sourceLocation: sourceLocation)
        guard let span = body.range(of: "<span class=\"field-error\" id=\"e-\(id)\">") else { return }
        let after = body[span.upperBound...].prefix(600)
        #expect(after.contains(text), "beside \(id): \(after.prefix(200))", sourceLocation: sourceLocation)
    }

    @Test("a report with a bad date, a bad percent and an evidence row without a number")
    func reportForm() async throws {
        try await World.run { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            var fields = DeliberateActsTests.fields(education, percent: "140", send: false)
            fields[6] = ("achievedOn", "31/02/2025")
            fields[7] = ("evidenceNumber", "")
            fields[9] = ("evidenceSummary", "")
            let refused = try await HTTP.multipart(officer, DeliberateActsTests.path, fields)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("id=\"error-summary\""))
            #expect(refused.body.contains("hãy sửa 3 chỗ dưới đây"))
            Self.expectBeside(refused.body, field: "percent", "Tỷ lệ hoàn thành phải là số nguyên từ 0 đến 100")
            Self.expectBeside(refused.body, field: "achievedOn", "Ngày đạt kết quả “31/02/2025” không hợp lệ")
            Self.expectBeside(refused.body, field: "evidence-1", "Minh chứng 1: ghi số, ký hiệu hoặc trích yếu")
            // Fields that are fine carry no mark.
            #expect(!refused.body.contains("id=\"e-result\""))
            #expect(try await DeliberateActsTests.log(world).reports.isEmpty)
        }
    }

    @Test("an extension request without a reason and with a past date opens that form with both marked")
    func extensionRequest() async throws {
        try await World.run(today: LocalDate(iso: "2025-10-01")!) { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            let refused = try await HTTP.post(
                officer, "/plans/343-qd-tu/assignments/A.17.7/extensions",
                [("_csrf", "csrf-edu"), ("newDue", "30/09/2025"), ("reason", "")])
            #expect(refused.status == .unprocessableContent)
            Self.expectBeside(refused.body, field: "extension-newDue", "phải sau hạn hiện hành")
            Self.expectBeside(refused.body, field: "extension-reason", "Đề nghị gia hạn cần ghi lý do.")
            // The form that was sent is open, with what was typed.
            #expect(refused.body.contains("<details class=\"box\" open><summary>Đề nghị gia hạn</summary>"))
            #expect(refused.body.contains("value=\"30/09/2025\""))
        }
    }

    @Test("returning a report without a reason marks the reason; a bad completion date marks the date")
    func review() async throws {
        try await World.run(today: LocalDate(iso: "2025-09-10")!) { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            let monitor = world.client(client, as: .monitor)
            var fields = DeliberateActsTests.fields(education, stage: "done", send: true)
            fields[4] = ("percent", "")
            fields[6] = ("achievedOn", "01/09/2025")
            let asked = try await HTTP.multipart(officer, DeliberateActsTests.path, fields)
            #expect(try await HTTP.confirm(officer, asked.body).status == .found)
            let report = try #require(try await DeliberateActsTests.log(world).reports.first)
            let returning = try await HTTP.post(
                monitor, "/reports/\(report.id)/review", [("_csrf", "csrf-monitor"), ("decision", "return"), ("reason", " ")])
            #expect(returning.status == .unprocessableContent)
            Self.expectBeside(returning.body, field: "reason", "Trả lại báo cáo cần ghi lý do")
            let accepting = try await HTTP.post(
                monitor, "/reports/\(report.id)/review",
                [("_csrf", "csrf-monitor"), ("decision", "accept"), ("completedOn", "12/09/2025"), ("reason", "Đủ")])
            Self.expectBeside(accepting.body, field: "completedOn", "không được sau hôm nay")
            // What was typed stays.
            #expect(accepting.body.contains("value=\"12/09/2025\"") && accepting.body.contains(">Đủ</textarea>"))
            #expect(try await DeliberateActsTests.log(world).reviews.isEmpty)
        }
    }

    @Test("a new user with a bad e-mail and no agency; a password change with every mistake")
    func accounts() async throws {
        try await World.run { world, client in
            let admin = try #require(world.session(.admin))
            let created = try await HTTP.post(
                world.client(client, as: .admin), "/admin/users",
                [("_csrf", admin.csrf), ("email", "khong-hop-le"), ("name", "B"), ("role", "officer")])
            #expect(created.status == .unprocessableContent)
            #expect(created.body.contains("Chưa tạo được người dùng"))
            Self.expectBeside(created.body, field: "email", "không hợp lệ")
            Self.expectBeside(created.body, field: "agency", "Cán bộ đơn vị phải thuộc một cơ quan")
            let officer = try #require(world.session(.officer))
            let weak = try await HTTP.post(
                world.client(client, as: .officer), "/account/password",
                [("_csrf", officer.csrf), ("current", World.password), ("new", "ngan1"), ("confirmation", "ngan2")])
            #expect(weak.body.contains("Chưa đổi được mật khẩu"))
            #expect(weak.body.contains("aria-describedby=\"password-rule e-new\""))
            Self.expectBeside(weak.body, field: "confirmation", "không khớp")
        }
    }

    @Test("the header names the signed-in user's agency; a leader without one shows none")
    func headerNamesAgency() async throws {
        try await World.run { world, client in
            let page = try await HTTP.get(world.client(client, as: .officer), "/plans")
            #expect(page.body.contains("· <span class=\"agency\">\(world.officerAgency.name)</span></a>"))
            let leader = try await HTTP.get(world.client(client, as: .leader), "/plans")
            #expect(!leader.body.contains("<span class=\"agency\">"))
        }
    }

    @Test("every save says what it did: a holiday added and removed, report settings, notifications read")
    func savesSayWhatTheyDid() async throws {
        try await World.run { world, client in
            let admin = world.client(client, as: .admin)
            let added = try await HTTP.post(
                admin, "/admin/holidays", [("_csrf", "csrf-admin"), ("day", "02/09/2025"), ("name", "Quốc khánh")])
            let addedPage = try await HTTP.get(admin, try #require(added.location))
            #expect(addedPage.body.contains("<p class=\"notice\" role=\"status\">Đã lưu ngày nghỉ lễ.</p>"))
            let removed = try await HTTP.post(admin, "/admin/holidays/2025-09-02/remove", [("_csrf", "csrf-admin")])
            #expect(try await HTTP.get(admin, try #require(removed.location)).body.contains("Đã bỏ ngày nghỉ lễ."))
            // Without a save, no empty notice.
            #expect(!(try await HTTP.get(admin, "/admin/holidays")).body.contains("class=\"notice\""))

            let monitor = world.client(client, as: .monitor)
            let saved = try await HTTP.post(
                monitor, "/plans/343-qd-tu/report/settings",
                [
                    ("_csrf", "csrf-monitor"), ("format", "party"), ("issuerLines", "TỈNH ỦY GIA LAI\nVĂN PHÒNG"),
                    ("numberSuffix", "-BC/VPTU"), ("place", "Gia Lai"), ("signatureAuthority", "CHÁNH VĂN PHÒNG"),
                    ("signer", ""), ("recipients", "Thường trực Tỉnh ủy"),
                ])
            #expect(saved.status == .found)
            #expect(
                try await HTTP.get(monitor, try #require(saved.location)).body.contains(
                    "Đã lưu thể thức văn bản, người ký và nơi nhận"))
            let read = try await HTTP.post(monitor, "/notifications/read", [("_csrf", "csrf-monitor")])
            #expect(
                try await HTTP.get(monitor, try #require(read.location)).body.contains(
                    "Đã đánh dấu mọi thông báo là đã đọc."))
        }
    }

    @Test("JSON links are on the cached pages of those who load catalogues, not of officers and leaders")
    func jsonLinksForThoseWhoUseThem() async throws {
        try await World.run { world, client in
            for path in [
                "/plans/343-qd-tu", "/plans/343-qd-tu/dashboard", "/plans/343-qd-tu/scorecard",
                "/plans/343-qd-tu/lists/overdue", "/plans/343-qd-tu/changes",
            ] {
                // The officer first, so a page cached for one reader would show up for the other.
                let officer = try await HTTP.get(world.client(client, as: .officer), path)
                let monitor = try await HTTP.get(world.client(client, as: .monitor), path)
                let leader = try await HTTP.get(world.client(client, as: .leader), path)
                #expect(officer.status == .ok && monitor.status == .ok, "\(path)")
                #expect(!officer.body.contains(">JSON</a>"), "an officer sees JSON on \(path)")
                #expect(!leader.body.contains(">JSON</a>"), "a leader sees JSON on \(path)")
                #expect(monitor.body.contains(">JSON</a>"), "the monitor sees no JSON on \(path)")
            }
        }
    }

    @Test("reversing a decision without a reason opens that correction with the reason marked")
    func correctionWithoutReason() async throws {
        try await World.run(today: LocalDate(iso: "2025-09-20")!) { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            let monitor = world.client(client, as: .monitor)
            try await CorrectionWebTests.send(officer, education)
            let report = try #require(try await DeliberateActsTests.log(world).reports.first)
            let returned = try await HTTP.post(
                monitor, "/reports/\(report.id)/review",
                [("_csrf", "csrf-monitor"), ("decision", "return"), ("reason", "Thiếu bản ký"), ("confirm", "yes")])
            #expect(returned.status == .found)
            let review = try #require(try await DeliberateActsTests.log(world).reviews.first)
            let refused = try await HTTP.post(
                monitor, "/reviews/\(review.id)/reverse", [("_csrf", "csrf-monitor"), ("reason", "  ")])
            #expect(refused.status == .unprocessableContent)
            Self.expectBeside(refused.body, field: "correction-1-reason", "Hủy quyết định cần ghi lý do")
            #expect(refused.body.contains("<details class=\"box correction\" open>"))
            #expect(try await DeliberateActsTests.log(world).reviews.first?.reversal == nil)
        }
    }
}
