import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceLifecycle
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiStoreSQL
import TheodoiTestSupport
import TheodoiViews
import TheodoiWeb

/// An in-process server over a fresh in-memory database holding the seed, with today pinned.
enum TestServer {
    static let today = LocalDate(iso: "2025-09-30")!
    static let seed: Catalogue = {
        do { return try CatalogueParser(directory: try AgencyDirectory.bundled()).parse(try SeedCatalogue.data()) } catch {
            fatalError("\(error)")
        }
    }()

    static func run(_ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await run { client, _ in try await test(client) }
    }

    /// Runs `test` with a client signed in as the leader (who may read everything).
    static func run(_ test: @escaping @Sendable (any TestClientProtocol, CatalogueImporter) async throws -> Void) async throws {
        try await World.run { world, client in try await test(world.client(client, as: .leader), world.importer) }
    }

    static func get(_ client: any TestClientProtocol, _ uri: String) async throws -> (HTTPResponse.Status, String, String?) {
        try await client.execute(uri: uri, method: .get) { response in
            (response.status, String(buffer: response.body), response.headers[.contentType])
        }
    }
}

@Suite("Pages")
struct PageTests {
    @Test("the home page leads a leader to the province's picture")
    func home() async throws {
        try await TestServer.run { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .found)
                #expect(response.headers[.location] == "/province")
            }
        }
    }

    @Test("the plan page shows every assignment once, with statuses as of the chosen date")
    func plan() async throws {
        try await TestServer.run { client in
            let (status, html, type) = try await TestServer.get(client, "/plans/343-qd-tu?asOf=2025-09-30")
            #expect(status == .ok)
            #expect(type == "text/html; charset=utf-8")
            for assignment in TestServer.seed.assignments {
                let link = "href=\"/plans/343-qd-tu/assignments/\(assignment.code)?asOf=2025-09-30\""
                #expect(html.components(separatedBy: link).count == 3, "\(assignment.code)")  // number and title
            }
            #expect(html.contains("Tình trạng tính đến ngày <strong>30/09/2025</strong>"))
            #expect(
                html.contains(
                    "Tổng số 94 nhiệm vụ; đã hoàn thành 0 (đúng hạn 0, quá hạn 0); chưa hoàn thành 87 (trong hạn 73, quá hạn 14)")
            )
            #expect(html.contains("A. NHÓM NHIỆM VỤ THỰC HIỆN NGHỊ QUYẾT 57-NQ/TW"))
            #expect(html.contains("quá hạn khi giao"))
            assertSnapshot(html, named: "plan-2025-09-30.html")
        }
    }

    @Test("changing the date recomputes every status")
    func otherDate() async throws {
        try await TestServer.run { client in
            let (_, early, _) = try await TestServer.get(client, "/plans/343-qd-tu?asOf=2025-09-03")
            let (_, late, _) = try await TestServer.get(client, "/plans/343-qd-tu?asOf=2026-01-15")
            #expect(early.contains("chưa hoàn thành 87 (trong hạn 87, quá hạn 0)") == false)
            #expect(early.contains("Tình trạng tính đến ngày <strong>03/09/2025</strong>"))
            #expect(late.contains("chưa hoàn thành 87 (trong hạn 0, quá hạn 87)"))
            let (_, today, _) = try await TestServer.get(client, "/plans/343-qd-tu")
            #expect(today.contains("Tình trạng tính đến ngày <strong>30/09/2025</strong>"))
        }
    }

    @Test("a re-import shows at once: pages are never served stale")
    func freshAfterImport() async throws {
        try await TestServer.run { client, importer in
            let (_, before, _) = try await TestServer.get(client, "/plans/343-qd-tu?asOf=2025-09-30")
            #expect(!before.contains("Triển khai Cổng dữ liệu mở của tỉnh"))
            var text = String(decoding: try SeedCatalogue.data(), as: UTF8.self)
            text = text.replacingOccurrences(of: "Triển khai Cổng dữ liệu mở\t", with: "Triển khai Cổng dữ liệu mở của tỉnh\t")
            _ = try await importer.importCatalogue(Data(text.utf8), sourceName: "343-QD-TU.txt")
            let (_, after, _) = try await TestServer.get(client, "/plans/343-qd-tu?asOf=2025-09-30")
            #expect(after.contains("Triển khai Cổng dữ liệu mở của tỉnh"))
        }
    }

    @Test(
        "search ignores diacritics and case",
        arguments: [
            ("chu+ky+so", "A.15"), ("TINH+UY", "B.1"), ("dang+vien", "A.42"), ("s%E1%BB%91+h%C3%B3a", "B.1.1"),
        ])
    func search(query: String, code: String) async throws {
        try await TestServer.run { client in
            let (status, html, _) = try await TestServer.get(client, "/plans/343-qd-tu?q=\(query)")
            #expect(status == .ok)
            #expect(html.contains("/plans/343-qd-tu/assignments/\(code)\""))
            #expect(html.contains("khớp bộ lọc"))
        }
    }

    @Test("filters by agency, role, part, group, timeliness and deadline month")
    func filters() async throws {
        try await TestServer.run { client in
            let (_, overdue, _) = try await TestServer.get(client, "/plans/343-qd-tu?asOf=2025-09-30&timeliness=open-overdue")
            #expect(overdue.contains("/assignments/A.13?"))
            #expect(!overdue.contains("/assignments/A.1?"))
            let (_, partB, _) = try await TestServer.get(client, "/plans/343-qd-tu?part=B")
            #expect(partB.contains("Tìm thấy 15 dòng khớp bộ lọc"))
            let (_, groupC3, _) = try await TestServer.get(client, "/plans/343-qd-tu?part=C&group=III")
            #expect(groupC3.contains("/assignments/C.12\""))
            #expect(!groupC3.contains("/assignments/C.11\""))
            let (_, october, _) = try await TestServer.get(client, "/plans/343-qd-tu?month=2025-10")
            #expect(october.contains("/assignments/A.1\""))
            #expect(!october.contains("/assignments/A.6\""))
        }
    }

    @Test("one assignment: every field, raw and parsed deadline, agencies, parent and children")
    func assignment() async throws {
        try await TestServer.run { client in
            let (status, html, _) = try await TestServer.get(client, "/plans/343-qd-tu/assignments/A.17.1?asOf=2025-09-30")
            #expect(status == .ok)
            #expect(html.contains("“Tháng 8/2025”"))
            #expect(html.contains("Tháng 8/2025: hạn cuối ngày 31/08/2025"))
            #expect(html.contains("quá hạn khi giao"))
            #expect(html.contains("/plans/343-qd-tu/assignments/A.17?asOf=2025-09-30"))
            assertSnapshot(html, named: "assignment-A.17.1.html")
            let (_, parent, _) = try await TestServer.get(client, "/plans/343-qd-tu/assignments/A.17")
            for child in 1...9 { #expect(parent.contains("/plans/343-qd-tu/assignments/A.17.\(child)\"")) }
        }
    }

    @Test("agencies: the list with counts, and one agency's page")
    func agencies() async throws {
        try await TestServer.run { client in
            let (status, html, _) = try await TestServer.get(client, "/agencies?plan=343-qd-tu&asOf=2025-09-30")
            #expect(status == .ok)
            #expect(html.contains("Sở Khoa học và Công nghệ"))
            assertSnapshot(html, named: "agencies.html")
            let link = try #require(
                html.components(separatedBy: "href=\"").first { $0.hasPrefix("/agencies/") && $0.contains("plan=") })
            let href = String(link.prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
            let (agencyStatus, agency, _) = try await TestServer.get(client, href)
            #expect(agencyStatus == .ok)
            #expect(agency.contains("Chủ trì ("))
            // One count for one thing: Sở Giáo dục và Đào tạo leads 11 tasks (20 rows) on the list,
            // on its page and in the scorecard alike.
            #expect(
                html.contains(
                    "Sở Giáo dục và Đào tạo</a></td><td data-label=\"Loại\">Sở, ngành tỉnh</td><td class=\"num\" data-label=\"Nhiệm vụ chủ trì\">11<br><small>20 dòng, kể cả nhiệm vụ con</small>"
                ))
            let (_, education, _) = try await TestServer.get(client, "/agencies/36?plan=343-qd-tu&asOf=2025-09-30")
            #expect(education.contains("Tổng số 11 nhiệm vụ"))
            let (_, scorecard, _) = try await TestServer.get(
                client, "/plans/343-qd-tu/scorecard?asOf=2025-09-30&sort=name&dir=asc")
            let row = try #require(scorecard.components(separatedBy: "<tr").first { $0.contains(">Sở Giáo dục và Đào tạo<") })
            #expect(
                row.contains(
                    "<td class=\"num\"><a href=\"/plans/343-qd-tu?asOf=2025-09-30&amp;agency=36&amp;role=lead&amp;level=top\">11</a>"
                ))
            #expect(scorecard.contains("Thứ tự theo tên đơn vị (không phải xếp hạng)."))
            #expect(scorecard.contains("aria-sort=\"ascending\""))
        }
    }

    @Test("the import findings of the plan")
    func findings() async throws {
        try await TestServer.run { client in
            let (status, html, _) = try await TestServer.get(client, "/plans/343-qd-tu/findings")
            #expect(status == .ok)
            #expect(html.contains("37 phát hiện"))
            #expect(html.contains("có thể gõ nhầm “CHUYÊN ĐỘI SỐ”; đề nghị sửa thành “CHUYỂN ĐỔI SỐ”"))
            #expect(html.contains("Phần B ghi 14 nhiệm vụ nhưng danh mục có 13 nhiệm vụ"))
        }
    }

    @Test(
        "unknown pages and bad values get clear messages",
        arguments: [
            ("/khong-co-trang", HTTPResponse.Status.notFound, "Không có trang"),
            ("/plans/khong-co", .notFound, "Không có kế hoạch “khong-co”"),
            ("/plans/343-qd-tu/assignments/Z.9", .notFound, "không có nhiệm vụ mã “Z.9”"),
            ("/plans/343-qd-tu?asOf=2025-13-40", .badRequest, "Ngày “2025-13-40” không hợp lệ"),
            ("/plans/343-qd-tu?timeliness=xyz", .badRequest, "Tình trạng “xyz” không hợp lệ"),
            ("/plans/343-qd-tu?part=Z", .notFound, "Kế hoạch không có phần “Z”"),
            ("/plans/343-qd-tu?agency=99999", .notFound, "Không có cơ quan mã “99999”"),
        ])
    func errors(uri: String, expected: HTTPResponse.Status, message: String) async throws {
        try await TestServer.run { client in
            let (status, html, type) = try await TestServer.get(client, uri)
            #expect(status == expected)
            #expect(type == "text/html; charset=utf-8")
            #expect(html.contains(message), "\(uri)")
            #expect(html.contains("<h1>"))
        }
    }
}

@Suite("Read API")
struct APITests {
    static func json(_ client: any TestClientProtocol, _ uri: String) async throws -> (HTTPResponse.Status, Any, String) {
        let (status, body, _) = try await TestServer.get(client, uri)
        return (status, try JSONSerialization.jsonObject(with: Data(body.utf8)), body)
    }

    @Test("every answer names its request (X-Request-Id, the id its log lines carry), errors too")
    func requestIDs() async throws {
        try await TestServer.run { client in
            var ids: [String] = []
            for path in ["/healthz", "/readyz", "/plans/khong-co", "/api/v1/plans"] {
                let id = try await client.execute(uri: path, method: .get) { response in
                    response.headers[HTTPField.Name("X-Request-Id")!]
                }
                ids.append(try #require(id, "\(path) has no X-Request-Id"))
            }
            #expect(Set(ids).count == ids.count && ids.allSatisfy { !$0.isEmpty }, "\(ids)")
        }
    }

    @Test("health and plans")
    func plans() async throws {
        try await TestServer.run { client in
            let (status, health, _) = try await APITests.json(client, "/healthz")
            #expect(status == .ok)
            #expect((health as? [String: Any])?["status"] as? String == "ok")
            let (_, plans, body) = try await APITests.json(client, "/api/v1/plans")
            let items = try #require((plans as? [String: Any])?["items"] as? [[String: Any]])
            #expect(items.first?["id"] as? String == "343-qd-tu")
            #expect(items.first?["number"] as? String == "343-QĐ/TU")
            assertSnapshot(body, named: "api-plans.json")
        }
    }

    @Test("the API agrees with the parser: every assignment once, with its code, agencies and deadline")
    func agreesWithParser() async throws {
        try await TestServer.run { client in
            let (status, object, _) = try await APITests.json(
                client, "/api/v1/plans/343-qd-tu/assignments?asOf=2025-09-30&perPage=1000")
            #expect(status == .ok)
            let root = try #require(object as? [String: Any])
            #expect(root["total"] as? Int == 119)
            let items = try #require(root["items"] as? [[String: Any]])
            #expect(items.map { $0["code"] as? String } == TestServer.seed.assignments.map(\.code))
            for (item, parsed) in zip(items, TestServer.seed.assignments) {
                #expect((item["lead"] as? [[String: Any]])?.map { $0["name"] as? String } == parsed.lead.map(\.name))
                #expect(
                    (item["coordinators"] as? [[String: Any]])?.map { $0["name"] as? String } == parsed.coordinators.map(\.name))
                #expect(item["deadlineText"] as? String == parsed.deadline.text)
                #expect((item["deadline"] as? [String: Any])?["due"] as? String == parsed.deadline.due?.iso)
                let status = try #require(item["status"] as? [String: Any])
                #expect(status["stage"] as? String == "not-started")
            }
        }
    }

    @Test("list, one assignment and dashboard as JSON")
    func snapshots() async throws {
        try await TestServer.run { client in
            let (_, _, list) = try await APITests.json(client, "/api/v1/plans/343-qd-tu/assignments?asOf=2025-09-30&part=B")
            assertSnapshot(list, named: "api-assignments-part-B.json")
            let (_, one, body) = try await APITests.json(client, "/api/v1/plans/343-qd-tu/assignments/A.17.1?asOf=2025-09-30")
            let status = try #require((one as? [String: Any])?["status"] as? [String: Any])
            #expect(status["timeliness"] as? String == "open-overdue")
            #expect(status["effectiveDue"] as? String == "2025-08-31")
            #expect(status["overdueAtIssue"] as? Bool == true)
            assertSnapshot(body, named: "api-assignment-A.17.1.json")
            let (_, dashboard, dashboardBody) = try await APITests.json(
                client, "/api/v1/plans/343-qd-tu/dashboard?asOf=2025-09-30")
            let overall = try #require((dashboard as? [String: Any])?["overall"] as? [String: Any])
            #expect(overall["total"] as? Int == 94)
            assertSnapshot(dashboardBody, named: "api-dashboard.json")
            let (_, agencies, _) = try await APITests.json(client, "/api/v1/agencies")
            #expect(((agencies as? [String: Any])?["total"] as? Int ?? 0) >= 150)
        }
    }

    @Test(
        "errors are JSON with a precise message",
        arguments: [
            ("/api/v1/plans/khong-co/assignments", HTTPResponse.Status.notFound, "no plan khong-co"),
            ("/api/v1/plans/343-qd-tu/assignments/Z.1", .notFound, "no assignment Z.1 in plan 343-qd-tu"),
            (
                "/api/v1/plans/343-qd-tu/assignments?asOf=hom-nay", .badRequest,
                "asOf must be a valid date YYYY-MM-DD (got \"hom-nay\")"
            ),
            (
                "/api/v1/plans/343-qd-tu/assignments?stage=finished", .badRequest,
                "stage must be one of not-started, in-progress, awaiting-review, returned, done (got \"finished\")"
            ),
            ("/api/v1/nothing", .notFound, "no such endpoint: GET /api/v1/nothing"),
        ])
    func errors(uri: String, expected: HTTPResponse.Status, message: String) async throws {
        try await TestServer.run { client in
            let (status, object, _) = try await APITests.json(client, uri)
            #expect(status == expected)
            #expect(((object as? [String: Any])?["error"] as? [String: Any])?["message"] as? String == message)
        }
    }
}
