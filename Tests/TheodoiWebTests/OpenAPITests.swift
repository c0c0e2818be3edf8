import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiStoreSQL
import TheodoiTestSupport
import TheodoiViews
import TheodoiWeb

/// The hand-kept OpenAPI description against the server: it is served, it names exactly the
/// routes the server registers under `/api/v1`, and what every operation answers matches it.
@Suite("OpenAPI description")
struct OpenAPITests {
    /// The served document, parsed.
    static func served(_ client: any TestClientProtocol) async throws -> OpenAPIDescription {
        let response = try await HTTP.get(client, "/api/v1/openapi.yaml")
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/yaml; charset=utf-8")
        return try OpenAPIDescription(yaml: response.body)
    }

    /// The routes the server registers, as `METHOD /path/{parameter}`, read from the router itself.
    static func registeredRoutes(_ world: World) throws -> Set<OpenAPIDescription.Operation> {
        let dependencies = WebDependencies(
            store: world.catalogue, views: world.views, renderer: try PageRenderer(), accounts: world.accounts,
            reporting: Reporting(progress: world.progress, views: world.views, today: { world.today }),
            periodicReports: PeriodicReports(views: world.views, reports: world.reports, converter: nil, today: { world.today }),
            importer: world.importer, reminders: world.reminders, outbox: world.outbox, emailEnabled: true,
            today: { world.today })
        return Set(
            WebServer.router(dependencies).routes.map {
                OpenAPIDescription.Operation(method: $0.method.rawValue, path: "\($0.path)")
            })
    }

    /// A value for each path parameter the description uses.
    static let samples = [
        "plan": "343-qd-tu", "code": "A.17.1", "report": "1", "extension": "1", "attachment": "1", "list": "overdue",
        "review": "1", "link": "1",
    ]

    static func concrete(_ template: String) -> String {
        var path = template
        for (name, value) in samples { path = path.replacingOccurrences(of: "{\(name)}", with: value) }
        return path
    }

    @Test("GET /api/v1/openapi.yaml: public, YAML, OpenAPI 3.1, every $ref resolves and every path parameter is declared")
    func served() async throws {
        try await World.run { _, client in
            let description = try await Self.served(client)
            #expect(description.root["openapi"]?.string?.hasPrefix("3.1.") == true)
            #expect(description.root["info"]?["title"]?.string == "theodoi API")
            for (path, reference) in description.references() {
                #expect(description.validator.resolve(reference) != nil, "\(path): $ref \(reference) does not resolve")
            }
            for operation in description.operations {
                let declared = Set(
                    description.parameters(operation).filter { $0["in"]?.string == "path" }.compactMap { $0["name"]?.string })
                let used = Set(operation.path.matches(of: /\{([^}]+)\}/).map { String($0.output.1) })
                #expect(declared == used, "\(operation): path parameters \(used.sorted()), declared \(declared.sorted())")
                #expect(Set(Self.samples.keys).isSuperset(of: used), "\(operation): no sample value for \(used)")
                let documented = description.operation(operation)?["responses"]?.object ?? [:]
                #expect(documented.keys.contains { $0.hasPrefix("2") }, "\(operation) documents no success")
            }
            // The same document, byte for byte, is the one in the repository.
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Sources/TheodoiWeb/Resources/openapi.yaml")
            let served = try await HTTP.get(client, "/api/v1/openapi.yaml")
            #expect(served.body == (try String(contentsOf: source, encoding: .utf8)))
        }
    }

    @Test("every /api/v1 route the server registers is documented, and every documented operation exists")
    func sameRoutes() async throws {
        try await World.run { world, client in
            let description = try await Self.served(client)
            let documented = Set(description.operations)
            let registered = try Self.registeredRoutes(world)
            let api = registered.filter { $0.path.hasPrefix("/api/v1/") }
            #expect(api.count > 20)
            for route in api.sorted() where !documented.contains(route) {
                Issue.record("the server registers \(route), which openapi.yaml does not document")
            }
            for operation in documented.sorted() where !registered.contains(operation) {
                Issue.record("openapi.yaml documents \(operation), which the server does not register")
            }
            // Each documented operation answers as itself, not as the router's "no such endpoint";
            // with a read-only leader's token, writes are refused and change nothing.
            let token = try await world.accounts.createAPIToken(
                for: try #require(world.session(.leader)).user, label: "openapi", by: .system
            ).token
            let unknown = try await HTTP.json(client, .post, "/api/v1/plans/343-qd-tu/nowhere", "{}", token: token)
            let unknownMessage = try JSONDocument.parse(unknown.body)["error"]?["message"]?.string
            #expect(unknown.status == .notFound && unknownMessage == "no such endpoint: POST /api/v1/plans/343-qd-tu/nowhere")
            for operation in documented.sorted() {
                let path = Self.concrete(operation.path)
                let response = try await client.execute(
                    uri: path, method: HTTPRequest.Method(operation.method) ?? .get,
                    headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                    body: operation.method == "GET" ? nil : ByteBuffer(string: "{}")
                ) { ($0.status, String(buffer: $0.body), $0.headers[.contentType]) }
                let message = (try? JSONDocument.parse(response.1))?["error"]?["message"]?.string ?? ""
                #expect(!message.hasPrefix("no such endpoint"), "\(operation) (\(path)) is not served: \(message)")
                for problem in description.problems(
                    operation, status: Int(response.0.code), contentType: response.2, body: response.1)
                {
                    Issue.record("\(problem)")
                }
            }
        }
    }

    @Test("every operation's answers, success and error, match the schemas documented for their status")
    func answersMatchSchemas() async throws {
        let metricsToken = "openapi-metrics-0123456789"
        let configure: @Sendable (inout WebDependencies, SQLStore) -> Void = { dependencies, _ in
            dependencies.metricsToken = metricsToken
        }
        try await World.run(configure: configure) { world, client in
            let description = try await Self.served(client)
            let api = APICheck(client: client, document: description)
            func token(_ user: UserRecord) async throws -> String {
                try await world.accounts.createAPIToken(for: user, label: "openapi", by: .system).token
            }
            let leader = try await token(try #require(world.session(.leader)).user)
            let monitor = try await token(try #require(world.session(.monitor)).user)
            let science = try await token(try #require(world.session(.officer)).user)
            let education = try await token(try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu").user)
            let plan = "/api/v1/plans/343-qd-tu"

            // Meta, and what anonymous callers see before and after the plan is published.
            try await api.send(.get, "/healthz", expect: .ok)
            try await api.send(.get, "/readyz", expect: .ok)
            try await api.send(.get, "/metrics", expect: .unauthorized)
            try await api.send(.get, "/api/v1/province?asOf=2025-10-15", token: leader, expect: .ok)
            try await api.send(.get, "/api/v1/province?year=2025", token: leader, expect: .ok)
            try await api.send(.get, "/api/v1/province?year=x", token: leader, expect: .badRequest)
            try await api.send(.get, "/api/v1/province?year=", token: leader, expect: .badRequest)
            try await api.send(.get, "/api/v1/province", expect: .unauthorized)
            try await api.send(.get, "/metrics", token: metricsToken, expect: .ok)
            try await api.send(.get, "/api/v1/openapi.yaml", expect: .ok)
            try await api.send(.get, "/api/v1/openapi.yaml", token: "tdk_revoked", expect: .unauthorized)
            let hidden = try await api.send(.get, "/api/v1/plans", expect: .ok)
            #expect(hidden["total"] == .int(0))
            try await api.send(.get, plan + "/summary", expect: .unauthorized)
            try await api.send(.put, plan + "/publication", token: leader, json: #"{"published": true}"#, expect: .forbidden)
            try await api.send(
                .put, plan + "/publication", token: monitor, json: #"{"published": "yes"}"#, expect: .unprocessableContent)
            try await api.send(
                .put, "/api/v1/plans/khong-co/publication", token: monitor, json: #"{"published": true}"#, expect: .notFound)
            let published = try await api.send(
                .put, plan + "/publication", token: monitor, json: #"{"published": true}"#, expect: .ok)
            #expect(published["published"] == .bool(true))
            try await api.send(.get, "/api/v1/plans", expect: .ok)
            try await api.send(.get, plan + "/summary?asOf=2025-10-15", expect: .ok)
            try await api.send(.get, "/api/v1/plans", token: leader, expect: .ok)
            try await api.send(.get, "/api/v1/agencies", token: leader, expect: .ok)
            try await api.send(.get, "/api/v1/agencies", expect: .unauthorized)

            // The working loop on A.17.4 (due 30/09/2025), led by Sở Giáo dục và Đào tạo.
            let a174 = plan + "/assignments/A.17.4"
            try await api.send(.post, a174 + "/reports", json: "{}", expect: .unauthorized)
            try await api.send(.post, a174 + "/reports", token: education, json: "not json", expect: .badRequest)
            try await api.send(
                .post, a174 + "/reports", token: education, json: #"{"percent": 150, "submit": true}"#,
                expect: .unprocessableContent)
            try await api.send(.post, a174 + "/reports", token: science, json: #"{"result": "x"}"#, expect: .forbidden)
            try await api.send(.post, plan + "/assignments/Z.99/reports", token: education, json: "{}", expect: .notFound)
            let draft = try await api.send(
                .post, a174 + "/reports", token: education,
                json: """
                    {"stage": "in-progress", "percent": 60, "result": "Đã cài đặt phần mềm quản lý trường học",
                     "achievedOn": "2025-09-25",
                     "evidence": [{"number": "55/KH-SGDĐT", "date": "2025-09-10", "summary": "Kế hoạch triển khai"}],
                     "difficulties": "", "proposals": "Đề nghị hỗ trợ kinh phí", "submit": false}
                    """,
                expect: .created)
            let report = try #require(draft["id"]?.int)
            // An hour between the steps of the loop, so the history orders them by time.
            world.clock.advance(by: 3600)
            try await api.send(.post, a174 + "/reports", token: education, json: #"{"result": "lần hai"}"#, expect: .conflict)
            try await api.send(.get, "/api/v1/reports/\(report)", token: education, expect: .ok)
            try await api.send(.get, "/api/v1/reports/\(report)", token: monitor, expect: .notFound)
            try await api.send(
                .put, "/api/v1/reports/\(report)", token: education, json: #"{"result": "không có phiên bản"}"#,
                expect: .unprocessableContent)
            try await api.send(
                .put, "/api/v1/reports/\(report)", token: education,
                json:
                    #"{"version": 1, "stage": "in-progress", "percent": 80, "result": "Đã cài đặt và tập huấn", "evidence": [{"number": "55/KH-SGDĐT", "date": "10/09/2025", "summary": "Kế hoạch triển khai"}]}"#,
                expect: .ok)
            try await api.send(.put, "/api/v1/reports/\(report)", token: education, json: #"{"version": 1}"#, expect: .conflict)
            try await api.send(
                .post, "/api/v1/reports/\(report)/attachments", token: education, json: "{}", expect: .unsupportedMediaType)
            let attached = try await api.upload(
                "/api/v1/reports/\(report)/attachments", token: education, version: 2,
                file: ("Kế hoạch 55.pdf", ProgressFlowTests.pdf), expect: .created)
            let attachment = try #require(attached["attachments"]?.array?.first?["id"]?.int)
            try await api.send(.get, "/api/v1/attachments/\(attachment)", token: education, expect: .ok)
            try await api.send(.get, "/api/v1/attachments/\(attachment)", token: monitor, expect: .notFound)
            try await api.send(
                .post, "/api/v1/reports/\(report)/submit", token: education, json: #"{"version": 2}"#, expect: .conflict)
            let sent = try await api.send(
                .post, "/api/v1/reports/\(report)/submit", token: education, json: #"{"version": 3}"#, expect: .ok)
            #expect(sent["state"] == .string("submitted"))
            world.clock.advance(by: 3600)
            try await api.send(.post, "/api/v1/reports/\(report)/submit", token: education, expect: .conflict)
            try await api.send(
                .post, "/api/v1/reports/\(report)/review", token: education, json: #"{"decision": "accept"}"#, expect: .forbidden)
            try await api.send(
                .post, "/api/v1/reports/\(report)/review", token: monitor, json: #"{"decision": "return"}"#,
                expect: .unprocessableContent)
            try await api.send(
                .post, "/api/v1/reports/\(report)/review", token: monitor,
                json: #"{"decision": "return", "reason": "Thiếu số liệu trường đã triển khai"}"#, expect: .ok)
            world.clock.advance(by: 3600)
            try await api.send(
                .post, "/api/v1/reports/\(report)/review", token: monitor, json: #"{"decision": "accept"}"#, expect: .conflict)
            let claim = try await api.send(
                .post, a174 + "/reports", token: education,
                json: """
                    {"stage": "done", "result": "Đã triển khai phần mềm tại 120 trường", "achievedOn": "28/09/2025",
                     "evidence": [{"number": "1234/QĐ-SGDĐT", "date": "2025-09-28", "summary": "Quyết định đưa vào sử dụng"}],
                     "submit": true}
                    """,
                expect: .created)
            world.clock.advance(by: 3600)
            let accepted = try await api.send(
                .post, "/api/v1/reports/\(try #require(claim["id"]?.int))/review", token: monitor,
                json: #"{"decision": "accept", "completedOn": "2025-09-28", "reason": "Đủ minh chứng"}"#, expect: .ok)
            #expect(accepted["completedOn"] == .string("2025-09-28"))
            try await api.send(
                .post, "/api/v1/reports/999/review", token: monitor, json: #"{"decision": "accept"}"#, expect: .notFound)

            // A contribution of a coordinating agency (Sở Khoa học và Công nghệ on A.17.1).
            try await api.send(
                .post, plan + "/assignments/A.17.1/contributions", token: science,
                json: #"{"result": "Đã hỗ trợ kết nối nền tảng dùng chung", "submit": true}"#, expect: .created)
            try await api.send(
                .post, plan + "/assignments/A.17.1/contributions", token: education, json: #"{"result": "x"}"#,
                expect: .forbidden)

            // An extension asked, refused twice over, approved; an external deadline given a date.
            let a177 = plan + "/assignments/A.17.7"
            try await api.send(
                .post, a177 + "/extensions", token: education, json: #"{"newDue": "2025-10-15", "reason": "Cần thêm thời gian"}"#,
                expect: .unprocessableContent)
            let asked = try await api.send(
                .post, a177 + "/extensions", token: education,
                json: #"{"newDue": "2025-12-31", "reason": "Chờ nhà cung cấp bàn giao phần mềm"}"#, expect: .created)
            #expect(asked["state"] == .string("pending"))
            try await api.send(
                .post, a177 + "/extensions", token: education, json: #"{"newDue": "2026-01-15", "reason": "Lần hai"}"#,
                expect: .conflict)
            let extensionID = try #require(asked["id"]?.int)
            try await api.send(
                .post, "/api/v1/extensions/\(extensionID)/decision", token: education, json: #"{"approve": true}"#,
                expect: .forbidden)
            try await api.send(
                .post, "/api/v1/extensions/\(extensionID)/decision", token: monitor, json: #"{"approve": false}"#,
                expect: .unprocessableContent)
            try await api.send(
                .post, "/api/v1/extensions/\(extensionID)/decision", token: monitor, json: #"{"approve": true, "reason": null}"#,
                expect: .ok)
            try await api.send(
                .post, "/api/v1/extensions/\(extensionID)/decision", token: monitor,
                json: #"{"approve": false, "reason": "đổi ý"}"#,
                expect: .conflict)
            try await api.send(
                .post, "/api/v1/extensions/999/decision", token: monitor, json: #"{"approve": true}"#, expect: .notFound)
            // Approved by mistake: reversed (the request waits again as a new row), then approved again.
            try await api.send(
                .post, "/api/v1/extensions/\(extensionID)/reverse", token: education, json: #"{"reason": "x"}"#,
                expect: .forbidden)
            try await api.send(
                .post, "/api/v1/extensions/\(extensionID)/reverse", token: monitor, json: "{}", expect: .unprocessableContent)
            let reopened = try await api.send(
                .post, "/api/v1/extensions/\(extensionID)/reverse", token: monitor, json: #"{"reason": "Đồng ý nhầm ngày"}"#,
                expect: .ok)
            #expect(reopened["state"] == .string("pending") && reopened["reopens"] == .int(extensionID))
            try await api.send(
                .post, "/api/v1/extensions/\(extensionID)/reverse", token: monitor, json: #"{"reason": "Lần hai"}"#,
                expect: .conflict)
            try await api.send(
                .post, "/api/v1/extensions/999/reverse", token: monitor, json: #"{"reason": "x"}"#, expect: .notFound)
            try await api.send(
                .post, "/api/v1/extensions/\(try #require(reopened["id"]?.int))/decision", token: monitor,
                json: #"{"approve": true}"#, expect: .ok)

            // A.17.6: a claim accepted by mistake, the acceptance reversed, then the report withdrawn.
            let a176 = plan + "/assignments/A.17.6"
            let claim176 = try await api.send(
                .post, a176 + "/reports", token: education,
                json: """
                    {"stage": "done", "result": "Đã số hóa học bạ", "achievedOn": "20/09/2025",
                     "evidence": [{"number": "77/QĐ-SGDĐT", "date": "2025-09-20", "summary": "Quyết định"}], "submit": true}
                    """,
                expect: .created)
            let id176 = try #require(claim176["id"]?.int)
            let accepted176 = try await api.send(
                .post, "/api/v1/reports/\(id176)/review", token: monitor, json: #"{"decision": "accept"}"#, expect: .ok)
            let review176 = try #require(accepted176["id"]?.int)
            try await api.send(
                .post, "/api/v1/reports/\(id176)/withdraw", token: education, json: "{}", expect: .conflict)
            try await api.send(
                .post, "/api/v1/reviews/\(review176)/reverse", token: monitor, json: #"{"reason": null}"#,
                expect: .unprocessableContent)
            let reversed176 = try await api.send(
                .post, "/api/v1/reviews/\(review176)/reverse", token: monitor, json: #"{"reason": "Xác nhận nhầm"}"#,
                expect: .ok)
            #expect(reversed176["reversal"]?["reason"] == .string("Xác nhận nhầm"))
            try await api.send(
                .post, "/api/v1/reviews/\(review176)/reverse", token: monitor, json: #"{"reason": "x"}"#, expect: .conflict)
            try await api.send(
                .post, "/api/v1/reviews/999/reverse", token: monitor, json: #"{"reason": "x"}"#, expect: .notFound)
            try await api.send(
                .post, "/api/v1/reports/\(id176)/withdraw", token: monitor, json: "{}", expect: .forbidden)
            let withdrawn176 = try await api.send(
                .post, "/api/v1/reports/\(id176)/withdraw", token: education, json: #"{"reason": "Bổ sung minh chứng"}"#,
                expect: .ok)
            #expect(withdrawn176["state"] == .string("withdrawn"))
            try await api.send(.post, "/api/v1/reports/\(id176)/withdraw", token: education, expect: .conflict)
            try await api.send(.post, "/api/v1/reports/999/withdraw", token: education, expect: .notFound)
            let snapshot = try #require(try await world.views.snapshots.snapshot(slug: "343-qd-tu"))
            let external = try #require(
                snapshot.assignments.first { $0.deadline.kind == .external && snapshot.children[$0.code] == nil }
            ).code
            try await api.send(
                .put, plan + "/assignments/\(external)/due", token: leader, json: #"{"newDue": "2026-03-31", "reason": "x"}"#,
                expect: .forbidden)
            try await api.send(
                .put, a177 + "/due", token: monitor, json: #"{"newDue": "2026-03-31", "reason": "x"}"#,
                expect: .conflict)
            let due = try await api.send(
                .put, plan + "/assignments/\(external)/due", token: monitor,
                json: #"{"newDue": "31/03/2026", "reason": "Kế hoạch số 02-KH/BCĐTW"}"#, expect: .ok)
            #expect(due["kind"] == .string("set-due"))

            // Histories with every kind of item.
            let history = try await api.send(.get, a174 + "/history", token: education, expect: .ok)
            #expect(history["items"]?.array?.compactMap { $0["type"]?.string } == ["report", "review", "report", "review"])
            try await api.send(.get, plan + "/assignments/A.17.1/history", token: leader, expect: .ok)
            let extensions = try await api.send(.get, a177 + "/history", token: leader, expect: .ok)
            #expect(extensions["items"]?.array?.first?["type"] == .string("extension"))
            try await api.send(.get, plan + "/assignments/\(external)/history", token: leader, expect: .ok)
            try await api.send(.get, plan + "/assignments/Z.99/history", token: leader, expect: .notFound)

            // Reads two weeks later, with every filter.
            world.move(to: LocalDate(iso: "2025-10-15")!)
            try await api.send(.get, plan + "/assignments?perPage=1000", token: leader, expect: .ok)
            let agency = world.officerAgency.id
            for query in [
                "asOf=2025-10-15&part=A&group=II&timeliness=open-overdue&level=top",
                "q=kho+du+lieu&page=1&perPage=5", "agency=\(agency)&role=lead", "stage=done&completed=2025-09",
                "month=2025-10&due=passed&level=all", "timeliness=recurring&asOf=15/10/2025",
            ] {
                try await api.send(.get, plan + "/assignments?" + query, token: leader, expect: .ok)
            }
            for query in ["asOf=2025-13-45", "timeliness=late", "stage=x", "month=10-2025", "perPage=5000", "agency=0"] {
                try await api.send(.get, plan + "/assignments?" + query, token: leader, expect: .badRequest)
            }
            try await api.send(.get, "/api/v1/plans/khong-co/assignments", token: leader, expect: .notFound)
            try await api.send(.get, plan + "/assignments", expect: .unauthorized)
            let done = try await api.send(.get, a174, token: leader, expect: .ok)
            #expect(done["status"]?["timeliness"] == .string("done-on-time"))
            let recurring = try #require(
                snapshot.assignments.first { $0.deadline.kind == .recurring && snapshot.children[$0.code] == nil }
            ).code
            let reportedThisPeriod = try await api.send(.get, plan + "/assignments/\(recurring)", token: leader, expect: .ok)
            #expect(reportedThisPeriod["status"]?["reportedThisPeriod"] != nil)
            try await api.send(.get, plan + "/assignments/\(external)?asOf=2025-10-15", token: leader, expect: .ok)
            try await api.send(.get, plan + "/assignments/Z.99", token: leader, expect: .notFound)
            try await api.send(.get, a174 + "?asOf=yesterday", token: leader, expect: .badRequest)
            try await api.send(.get, plan + "/dashboard?asOf=2025-10-15", token: leader, expect: .ok)
            try await api.send(.get, plan + "/dashboard", token: leader, expect: .ok)
            try await api.send(.get, plan + "/dashboard?asOf=x", token: leader, expect: .badRequest)
            try await api.send(.get, "/api/v1/plans/khong-co/dashboard", token: leader, expect: .notFound)
            for query in ["", "?asOf=2025-12-15&sort=name&dir=asc", "?sort=rate", "?sort=silence&dir=asc"] {
                try await api.send(.get, plan + "/scorecard" + query, token: leader, expect: .ok)
            }
            try await api.send(.get, plan + "/scorecard?sort=gi-do", token: leader, expect: .badRequest)
            let lists = try #require(description.root["components"]?["schemas"]?["ListKind"]?["enum"]?.array)
            for list in lists.compactMap(\.string) {
                try await api.send(.get, plan + "/lists/\(list)?asOf=2025-10-15", token: leader, expect: .ok)
            }
            try await api.send(.get, plan + "/lists/khong-co", token: leader, expect: .notFound)
            let changes = try await api.send(
                .get, plan + "/changes?from=2025-09-01&to=2025-10-15", token: leader, expect: .ok)
            #expect(changes["completed"]?.array?.contains(.string("A.17.4")) == true)
            #expect(changes["extensionsGranted"]?.array?.isEmpty == false)
            #expect(changes["returned"]?.array?.isEmpty == false)
            try await api.send(.get, plan + "/changes", token: leader, expect: .ok)
            let reversed = try await api.send(.get, plan + "/changes?from=2025-10-15&to=2025-09-30", token: leader, expect: .ok)
            #expect(reversed["from"] == .string("2025-09-30") && reversed["to"] == .string("2025-10-15"))
            try await api.send(.get, plan + "/summary?asOf=31/12/2025", token: leader, expect: .ok)
            try await api.send(.get, plan + "/summary?asOf=x", expect: .badRequest)
            try await api.send(.get, "/api/v1/plans/khong-co/summary", expect: .notFound)
            try await api.send(.get, "/api/v1/plans", token: "tdk_revoked", expect: .unauthorized)

            // The plan's life: closing needs an issued report; only an admin reopens, with a reason.
            try await api.send(.put, plan + "/stage", token: leader, json: #"{"stage": "closed"}"#, expect: .forbidden)
            try await api.send(.put, plan + "/stage", token: monitor, json: "not json", expect: .badRequest)
            try await api.send(.put, plan + "/stage", token: monitor, json: #"{"stage": 1}"#, expect: .unprocessableContent)
            try await api.send(.put, plan + "/stage", token: monitor, json: #"{"stage": "closed"}"#, expect: .conflict)
            try await api.send(
                .put, "/api/v1/plans/khong-co/stage", token: monitor, json: #"{"stage": "closed"}"#, expect: .notFound)
            _ = try await PermissionMatrixTests.issued(world)
            let closed = try await api.send(.put, plan + "/stage", token: monitor, json: #"{"stage": "closed"}"#, expect: .ok)
            #expect(closed["stage"] == .string("closed") && closed["closingReport"] == .string("Số 30-BC/TU"))
            let admin = try await token(try #require(world.session(.admin)).user)
            try await api.send(.put, plan + "/stage", token: admin, json: #"{"stage": "active"}"#, expect: .unprocessableContent)
            try await api.send(
                .put, plan + "/stage", token: admin, json: #"{"stage": "active", "reason": "Bổ sung báo cáo"}"#, expect: .ok)

            // Linked plans: A.12 implements the UBND's task 1.
            _ = try await world.importer.importCatalogue(LinkTests.ubnd, sourceName: "ubnd.tsv", number: "12/KH-UBND")
            let links = plan + "/assignments/A.12/links"
            let higher = #"{"plan": "12-kh-ubnd", "code": "1"}"#
            try await api.send(.post, links, token: leader, json: higher, expect: .forbidden)
            try await api.send(.post, links, token: monitor, json: #"{"plan": "12-kh-ubnd"}"#, expect: .unprocessableContent)
            try await api.send(
                .post, links, token: monitor, json: #"{"plan": "343-qd-tu", "code": "A.11"}"#, expect: .unprocessableContent)
            let link = try await api.send(.post, links, token: monitor, json: higher, expect: .created)
            try await api.send(.post, links, token: monitor, json: higher, expect: .conflict)
            try await api.send(.get, links + "?asOf=2025-10-15", token: leader, expect: .ok)
            try await api.send(.get, "/api/v1/plans/12-kh-ubnd/assignments/1/links", token: leader, expect: .ok)
            try await api.send(.get, plan + "/assignments/Z.9/links", token: leader, expect: .notFound)
            let id = try #require(link["link"]?.int)
            try await api.send(.delete, links + "/\(id)", token: leader, expect: .forbidden)
            try await api.send(.delete, links + "/\(id)", token: monitor, expect: .noContent)
            try await api.send(.delete, links + "/\(id)", token: monitor, expect: .notFound)

            // Amendments: the list (empty, then one), and the task's versions on the assignment.
            try await api.send(.get, plan + "/amendments", token: leader, expect: .ok)
            try await api.send(.get, "/api/v1/plans/khong-co/amendments", token: leader, expect: .notFound)
            _ = try await world.importer.importAmendment(
                try await AmendmentTests.amendment(world), sourceName: "qd-400.tsv", input: AmendmentTests.input)
            let amendments = try await api.send(.get, plan + "/amendments", token: leader, expect: .ok)
            #expect(amendments["total"]?.int == 1)
            try await api.send(.get, plan + "/assignments/A.6?asOf=2025-11-05", token: leader, expect: .ok)
            try await api.send(.get, plan + "/assignments/A.4?asOf=2025-11-05", token: leader, expect: .ok)

            // Every documented operation answered with a success that matches its schema.
            let succeeded = api.succeeded
            for operation in description.operations where !succeeded.contains(operation) {
                Issue.record("no successful answer of \(operation) was checked")
            }
        }
    }
}

/// Sends API requests and checks each answer against the operation its path falls under.
final class APICheck: Sendable {
    let client: any TestClientProtocol
    let document: OpenAPIDescription
    private let successes = Mutex<Set<OpenAPIDescription.Operation>>([])

    init(client: any TestClientProtocol, document: OpenAPIDescription) {
        self.client = client
        self.document = document
    }

    /// The operations that answered a checked 2xx.
    var succeeded: Set<OpenAPIDescription.Operation> { successes.withLock { $0 } }

    /// Sends a request (JSON when `json` is given) and checks the answer; returns the JSON body (null otherwise).
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil,
        expect status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> JSONDocument {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(
            method, uri, headers: headers, body: json.map { ByteBuffer(string: $0) }, expect: status,
            sourceLocation: sourceLocation)
    }

    /// Posts one file as `multipart/form-data` with the draft's version.
    @discardableResult
    func upload(
        _ uri: String, token: String, version: Int, file: (name: String, bytes: [UInt8]),
        expect status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> JSONDocument {
        let boundary = "theodoi-openapi-7MA4YWxk"
        var body = Array(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n\(version)\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: application/pdf\r\n\r\n"
                .utf8)
        body += file.bytes + Array("\r\n--\(boundary)--\r\n".utf8)
        return try await execute(
            .post, uri,
            headers: [.authorization: "Bearer \(token)", .contentType: "multipart/form-data; boundary=\(boundary)"],
            body: ByteBuffer(bytes: body), expect: status, sourceLocation: sourceLocation)
    }

    private func execute(
        _ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields, body: ByteBuffer?, expect status: HTTPResponse.Status,
        sourceLocation: SourceLocation
    ) async throws -> JSONDocument {
        let (answer, text, contentType) = try await client.execute(uri: uri, method: method, headers: headers, body: body) {
            ($0.status, String(buffer: $0.body), $0.headers[.contentType])
        }
        let path = String(uri.prefix { $0 != "?" })
        #expect(answer == status, "\(method) \(uri) answered \(answer): \(text.prefix(300))", sourceLocation: sourceLocation)
        guard let template = document.template(for: path) else {
            Issue.record("\(path) falls under no documented path", sourceLocation: sourceLocation)
            return .null
        }
        let operation = OpenAPIDescription.Operation(method: method.rawValue, path: template)
        let problems = document.problems(operation, status: Int(answer.code), contentType: contentType, body: text)
        for problem in problems { Issue.record("\(uri): \(problem)", sourceLocation: sourceLocation) }
        if problems.isEmpty && (200..<300).contains(answer.code) && answer == status {
            _ = successes.withLock { $0.insert(operation) }
        }
        return (contentType?.hasPrefix("application/json") == true ? try? JSONDocument.parse(text) : nil) ?? .null
    }
}
