import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TheodoiCore
import TheodoiOperations
import TheodoiStore

/// Linked plans (issue 19): 343-QĐ/TU's A.12 implements a task of the UBND's plan; a Sở's plan
/// implements A.17. Both pages show the other side; the higher one rolls its implementing tasks up.
@Suite("Linked plans")
struct LinkTests {
    /// The UBND's plan: its task 1 is what 343-QĐ/TU's A.12 ("Triển khai Cổng dữ liệu mở") implements.
    static let ubnd = Data(
        ("TT\tNội dung thực hiện\tĐơn vị chủ trì\tThời gian hoàn thành\n"
            + "1\tTriển khai Cổng dữ liệu mở của tỉnh\tSở Khoa học và Công nghệ\t31/12/2025\n"
            + "2\tXây dựng chính quyền số cấp xã\tSở Nội vụ\t31/12/2025\n").utf8)
    /// Sở Giáo dục và Đào tạo's own plan for 343-QĐ/TU's A.17: one task overdue, one in time, one done.
    static let school = Data(
        ("TT\tNội dung thực hiện\tĐơn vị chủ trì\tThời gian hoàn thành\n"
            + "1\tMua sắm phần mềm quản lý trường học\tSở Giáo dục và Đào tạo\t31/08/2025\n"
            + "2\tTập huấn sử dụng phần mềm cho giáo viên\tSở Giáo dục và Đào tạo\t31/12/2025\n"
            + "3\tBan hành quy chế sử dụng phần mềm\tSở Giáo dục và Đào tạo\t30/11/2025\n").utf8)

    static func plans(_ world: World) async throws {
        _ = try await world.importer.importCatalogue(Self.ubnd, sourceName: "ubnd.tsv", number: "12/KH-UBND")
        _ = try await world.importer.importCatalogue(Self.school, sourceName: "sgd.tsv", number: "05/KH-SGDĐT")
    }

    @Test(
        "the office links A.12 to the UBND's task it suggests; both pages show it; mistakes are refused",
        arguments: WebBackends.all)
    func pages(backend: String) async throws {
        try await World.run(backend: backend) { world, client in
            try await Self.plans(world)
            let monitor = world.client(client, as: .monitor)
            let leader = world.client(client, as: .leader)
            let page = "/plans/343-qd-tu/assignments/A.12"

            // The suggestion: the UBND's task 1, for the words, the lead and the deadline.
            let before = try await HTTP.get(monitor, page).body
            #expect(before.contains("Có thể đang thực hiện"))
            let suggestion = try #require(
                before.range(of: "12/KH-UBND · <span class=\"code\">1</span> Triển khai Cổng dữ liệu mở của tỉnh"))
            #expect(
                before[suggestion.upperBound...].prefix(200).contains(
                    "trùng 4 từ trong tên, cùng đơn vị chủ trì, hạn không sớm hơn"))
            #expect(!(try await HTTP.get(leader, page).body.contains("Liên kết giữa các kế hoạch")))
            // Words every title has ("triển khai") suggest nothing: A.17 is not offered the UBND's task 1,
            // but is offered the Sở's plan on school software.
            let a17 = try await HTTP.get(monitor, "/plans/343-qd-tu/assignments/A.17").body
            #expect(!a17.contains("12/KH-UBND · <span class=\"code\">1</span>"))
            #expect(a17.contains("05/KH-SGDĐT · <span class=\"code\">1</span> Mua sắm phần mềm quản lý trường học"))

            // Linked as the suggestion's button does; the page shows what A.12 serves.
            let linked = try await HTTP.post(
                monitor, page + "/links", [("_csrf", "csrf-monitor"), ("plan", "12-kh-ubnd"), ("code", "1")])
            #expect(linked.location == page + "?done=linked")
            let after = try await HTTP.get(leader, page).body
            #expect(after.contains("Thực hiện nhiệm vụ cấp trên"))
            #expect(after.contains("12/KH-UBND · <span class=\"code\">1</span> Triển khai Cổng dữ liệu mở của tỉnh"))
            #expect(!after.contains("Bỏ liên kết"))
            let higher = try await HTTP.get(leader, "/plans/12-kh-ubnd/assignments/1").body
            #expect(higher.contains("Các nhiệm vụ thực hiện"))
            #expect(higher.contains("0 trong 1 nhiệm vụ thực hiện đã hoàn thành."))
            #expect(higher.contains("343-QĐ/TU · <span class=\"code\">A.12</span> Triển khai Cổng dữ liệu mở"))

            // Mistakes: the same link again, a task of the same plan, a code that is not there; a leader.
            let again = try await HTTP.post(
                monitor, page + "/links", [("_csrf", "csrf-monitor"), ("plan", "12-kh-ubnd"), ("code", "1")])
            #expect(again.status == .conflict && again.body.contains("Hai nhiệm vụ này đã được liên kết."))
            let same = try await HTTP.post(
                monitor, page + "/links", [("_csrf", "csrf-monitor"), ("plan", "343-qd-tu"), ("code", "A.11")])
            #expect(same.status == .unprocessableContent && same.body.contains("Hai nhiệm vụ cùng một kế hoạch"))
            let missing = try await HTTP.post(
                monitor, page + "/links", [("_csrf", "csrf-monitor"), ("plan", "12-kh-ubnd"), ("code", "9")])
            #expect(
                missing.status == .unprocessableContent && missing.body.contains("Kế hoạch 12/KH-UBND không có nhiệm vụ mã “9”."))
            let forbidden = try await HTTP.post(
                leader, page + "/links", [("_csrf", "csrf-leader"), ("plan", "12-kh-ubnd"), ("code", "2")])
            #expect(forbidden.status == .forbidden)
            #expect(try await world.accountStore.auditLog(AuditFilter(action: "link.add")).entries.count == 1)

            // Removed: both pages forget it; the log keeps both acts.
            let links = try await world.catalogueLinks(code: "A.12")
            let removed = try await HTTP.post(
                monitor, page + "/links/\(try #require(links.first).id.rawValue)/remove", [("_csrf", "csrf-monitor")])
            #expect(removed.location == page + "?done=unlinked")
            #expect(!(try await HTTP.get(leader, "/plans/12-kh-ubnd/assignments/1").body.contains("Các nhiệm vụ thực hiện")))
            #expect(try await world.accountStore.auditLog(AuditFilter(action: "link.remove")).entries.count == 1)
        }
    }

    @Test("a Sở's plan implements A.17: the roll-up agrees with the statuses of its tasks, on the page and the API")
    func rollup() async throws {
        try await World.run(today: LocalDate(iso: "2025-12-10")!) { world, client in
            try await Self.plans(world)
            let token = try await world.accounts.createAPIToken(
                for: try #require(world.session(.monitor)).user, label: "t", by: .system
            ).token
            for code in ["1", "2", "3"] {
                let added = try await HTTP.json(
                    client, .post, "/api/v1/plans/05-kh-sgddt/assignments/\(code)/links",
                    #"{"plan": "343-qd-tu", "code": "A.17"}"#, token: token)
                #expect(added.status == .created)
            }
            // Task 3 reported done on 25/11/2025 and accepted.
            let snapshot = try #require(try await world.views.snapshots.snapshot(slug: "05-kh-sgddt"))
            let task3 = snapshot.assignments[try #require(snapshot.index["3"])]
            let agency = try #require(task3.lead.first?.agencyID)
            let ref = AssignmentRef(id: task3.id, planID: snapshot.plan.id, planSlug: "05-kh-sgddt", code: "3")
            let report = try await world.progress.saveReport(
                ReportSave(
                    id: nil, expectedVersion: nil, assignment: ref, agencyID: agency, kind: .report,
                    content: ReportContent(
                        claimedStage: .done, percent: 100, result: "Đã ban hành quy chế",
                        achievedOn: LocalDate(iso: "2025-11-25")), submit: true, on: LocalDate(iso: "2025-11-26")!), .system)
            _ = try await world.progress.reviewReport(
                ReviewInput(
                    reportID: report.id, assignment: ref, decision: .accept, reason: "",
                    completedOn: LocalDate(iso: "2025-11-25"), on: LocalDate(iso: "2025-11-27")!), .system)

            // The roll-up, computed here from each task's own status.
            let fresh = try #require(try await world.views.snapshots.snapshot(slug: "05-kh-sgddt"))
            let statuses = ["1", "2", "3"].map { fresh.status(at: fresh.index[$0]!, asOf: world.today) }
            let done = statuses.filter { [.doneOnTime, .doneLate].contains($0.timeliness) }.count
            let overdue = statuses.filter { $0.timeliness == .openOverdue }.count
            #expect(done == 1 && overdue == 1)
            let expected = "\(done) trong 3 nhiệm vụ thực hiện đã hoàn thành, \(overdue) quá hạn"
            let monitor = world.client(client, as: .monitor)
            #expect(try await HTTP.get(monitor, "/plans/343-qd-tu/assignments/A.17").body.contains(expected + "."))
            let answer = try await HTTP.json(client, .get, "/api/v1/plans/343-qd-tu/assignments/A.17/links", "", token: token)
            #expect(answer.status == .ok)
            #expect(answer.body.contains(#""rollup":"\#(expected)""#))
            #expect(answer.body.contains(#""code":"3","title":"Ban hành quy chế sử dụng phần mềm","timeliness":"done-on-time""#))
            let lower = try await HTTP.json(client, .get, "/api/v1/plans/05-kh-sgddt/assignments/1/links", "", token: token)
            #expect(lower.body.contains(#""serves":[{"#) && lower.body.contains(#""code":"A.17""#))

            // Removing over the API: a leader may not; the monitor may, once.
            let leader = try await world.accounts.createAPIToken(
                for: try #require(world.session(.leader)).user, label: "t", by: .system
            ).token
            let id = try #require(try await world.catalogueLinks(code: "A.17").first).id.rawValue
            let path = "/api/v1/plans/05-kh-sgddt/assignments/1/links/\(id)"
            #expect(try await HTTP.json(client, .delete, path, "", token: leader).status == .forbidden)
            #expect(try await HTTP.json(client, .delete, path, "", token: token).status == .noContent)
            #expect(try await HTTP.json(client, .delete, path, "", token: token).status == .notFound)
            #expect(
                try await HTTP.get(monitor, "/plans/343-qd-tu/assignments/A.17").body.contains(
                    "1 trong 2 nhiệm vụ thực hiện đã hoàn thành."))
        }
    }
}

extension World {
    /// The links of the seed's task `code`, either side.
    func catalogueLinks(code: String) async throws -> [AssignmentLink] {
        let snapshot = try #require(try await views.snapshots.snapshot(slug: "343-qd-tu"))
        return try await links.links(snapshot.assignments[try #require(snapshot.index[code])].id)
    }
}
