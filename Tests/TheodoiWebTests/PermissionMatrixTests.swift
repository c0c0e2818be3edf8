import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TheodoiCore
import TheodoiOperations
import TheodoiStore

/// Every mutating route and endpoint × every role (and anonymous, and an officer of another
/// agency) → allowed or denied; a denied request changes nothing.
@Suite("Permission matrix")
struct PermissionMatrixTests {
    /// A change someone may try, with who may make it.
    struct Action: Sendable, CustomStringConvertible {
        var name: String
        var allowed: Set<Who>
        /// Sets up what the action acts on (before the state is read).
        var prepare: @Sendable (World) async throws -> Void = { _ in }
        /// Makes the request as `who`; returns the status.
        var perform: @Sendable (World, any TestClientProtocol, Who) async throws -> HTTPResponse.Status

        var description: String { name }
    }

    static func formPost(
        _ path: @escaping @Sendable (World) async throws -> String, _ fields: @escaping @Sendable (World) -> [(String, String)]
    )
        -> @Sendable (World, any TestClientProtocol, Who) async throws -> HTTPResponse.Status
    {
        { world, client, who in
            let csrf = world.session(who)?.csrf ?? "forged"
            return try await HTTP.post(world.client(client, as: who), try await path(world), [("_csrf", csrf)] + fields(world))
                .status
        }
    }

    static func target(_ world: World) async throws -> UserRecord {
        guard let user = try await world.accountStore.users().first(where: { $0.email == "leader@gialai.gov.vn" }) else {
            throw TestWorldError(description: "no leader")
        }
        return user
    }

    /// A leaf assignment with a date, led by `officer`'s agency and not touching `otherOfficer`'s.
    static func ledByOfficer(_ world: World) async throws -> (code: String, ref: AssignmentRef) {
        let snapshot = try await world.views.snapshots.snapshot(slug: "343-qd-tu")
        guard let snapshot,
            let assignment = snapshot.assignments.first(where: { assignment in
                assignment.lead.contains { $0.agencyID == world.officerAgency.id }
                    && !(assignment.lead + assignment.coordinators).contains { $0.agencyID == world.otherAgency.id }
                    && snapshot.children[assignment.code] == nil && assignment.deadline.due != nil
                    && assignment.deadline.kind != .recurring
            })
        else { throw TestWorldError(description: "no assignment led by the officer's agency") }
        return (
            assignment.code,
            AssignmentRef(id: assignment.id, planID: snapshot.plan.id, planSlug: "343-qd-tu", code: assignment.code)
        )
    }

    /// A report sent by `officer` on `ledByOfficer`, waiting for review.
    static func sentReport(_ world: World) async throws -> ReportRecord {
        let (_, ref) = try await ledByOfficer(world)
        if let sent = try await world.progress.assignmentLog(ref.id).reports.first { return sent }
        return try await world.progress.saveReport(
            ReportSave(
                id: nil, expectedVersion: nil, assignment: ref, agencyID: world.officerAgency.id, kind: .report,
                content: ReportContent(claimedStage: .inProgress, percent: 30, result: "Đang triển khai"), submit: true,
                on: world.today), .system)
    }

    /// An issued report of the seed plan (what closing it needs); its id.
    @discardableResult
    static func issued(_ world: World) async throws -> Int {
        let plan = try #require(try await world.catalogue.plan("343-qd-tu"))
        if let report = try await world.reports.issuedReports(plan.id).first { return report.id.rawValue }
        return try await world.reports.issue(
            IssueInput(
                planID: plan.id, planNumber: plan.number, number: "Số 30-BC/TU", title: "Báo cáo tổng kết", period: "",
                asOf: world.today, scope: "all", scopeLabel: "Toàn bộ danh mục", issuedOn: world.today,
                files: [
                    IssueInput.File(kind: "html", fileName: "b.html", contentType: "text/html", bytes: Array("<p>x</p>".utf8))
                ]),
            .system
        ).id.rawValue
    }

    /// A pending extension request of `officer` on `ledByOfficer`.
    static func pendingExtension(_ world: World) async throws -> ExtensionRecord {
        let (_, ref) = try await ledByOfficer(world)
        if let pending = try await world.progress.assignmentLog(ref.id).extensions.first { return pending }
        return try await world.progress.recordExtension(
            ExtensionInput(
                assignment: ref, kind: .request, agencyID: world.officerAgency.id, previousDue: nil,
                newDue: LocalDate(iso: "2026-06-30")!, reason: "Chờ kinh phí", on: world.today), .system)
    }

    static func bearer(_ world: World, _ who: Who) async throws -> HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let session = world.session(who) {
            let token = try await world.accounts.createAPIToken(for: session.user, label: "api", by: .system).token
            headers[.authorization] = "Bearer \(token)"
        }
        return headers
    }

    static let actions: [Action] = [
        Action(
            name: "create a user", allowed: [.admin],
            perform: formPost({ _ in "/admin/users" }) { world in
                [
                    ("email", "moi@gialai.gov.vn"), ("name", "Cán bộ mới"), ("role", "officer"),
                    ("agency", "\(world.officerAgency.id)"),
                ]
            }),
        Action(
            name: "change a user", allowed: [.admin],
            perform: formPost({ world in "/admin/users/\(try await target(world).id)" }) { _ in
                [("name", "Lãnh đạo đã sửa"), ("role", "leader"), ("agency", "")]
            }),
        Action(
            name: "disable a user", allowed: [.admin],
            perform: formPost({ world in "/admin/users/\(try await target(world).id)" }) { _ in
                [("name", "Người thử leader"), ("role", "leader"), ("disabled", "1")]
            }),
        Action(
            name: "reset a password", allowed: [.admin],
            perform: formPost({ world in "/admin/users/\(try await target(world).id)/reset-password" }) { _ in
                [("confirm", "yes")]
            }),
        Action(
            name: "create an API token", allowed: [.admin],
            perform: formPost({ world in "/admin/users/\(try await target(world).id)/tokens" }) { _ in [("label", "tích hợp")] }),
        Action(
            name: "revoke an API token", allowed: [.admin],
            perform: formPost({ world in
                let user = try await target(world)
                let token = try await world.accounts.createAPIToken(for: user, label: "cũ", by: .system)
                return "/admin/tokens/\(token.record.id)/revoke"
            }) { _ in [] }),
        Action(
            name: "edit an agency", allowed: [.admin],
            perform: formPost({ world in "/admin/agencies/\(world.otherAgency.id)" }) { world in
                [("name", world.otherAgency.name), ("shortName", "STC"), ("kind", "department"), ("aliases", "Sở TC")]
            }),
        Action(
            name: "merge agencies", allowed: [.admin],
            perform: formPost({ world in "/admin/agencies/\(world.otherAgency.id)/merge" }) { world in
                [("target", "\(world.officerAgency.id)")]
            }),
        Action(
            name: "publish a plan (page)", allowed: [.admin, .monitor],
            perform: formPost({ _ in "/plans/343-qd-tu/publish" }) { _ in [("published", "1"), ("confirm", "yes")] }),
        Action(
            name: "close a plan (page)", allowed: [.admin, .monitor], prepare: { world in try await issued(world) },
            perform: formPost({ _ in "/plans/343-qd-tu/stage" }) { _ in [("to", "closed"), ("confirm", "yes")] }),
        Action(
            name: "reopen a closed plan (page)", allowed: [.admin],
            prepare: { world in
                let report = try await issued(world)
                _ = try await world.catalogue.setPlanStage(
                    PlanStageChange(slug: "343-qd-tu", from: .active, to: .closed, on: world.today, finalReport: report), .system)
            },
            perform: formPost({ _ in "/plans/343-qd-tu/stage" }) { _ in
                [("to", "active"), ("reason", "Mở lại để bổ sung"), ("confirm", "yes")]
            }),
        Action(
            name: "close a plan (API)", allowed: [.admin, .monitor], prepare: { world in try await issued(world) },
            perform: { world, client, who in
                try await client.execute(
                    uri: "/api/v1/plans/343-qd-tu/stage", method: .put, headers: try await bearer(world, who),
                    body: ByteBuffer(string: #"{"stage": "closed"}"#)
                ) { $0.status }
            }),
        Action(
            name: "link a task to another plan's (page)", allowed: [.admin, .monitor],
            prepare: { world in
                _ = try await world.importer.importCatalogue(LinkTests.ubnd, sourceName: "ubnd.tsv", number: "12/KH-UBND")
            },
            perform: formPost({ _ in "/plans/343-qd-tu/assignments/A.12/links" }) { _ in [("plan", "12-kh-ubnd"), ("code", "1")] }
        ),
        Action(
            name: "unlink tasks (API)", allowed: [.admin, .monitor],
            prepare: { world in
                _ = try await world.importer.importCatalogue(LinkTests.ubnd, sourceName: "ubnd.tsv", number: "12/KH-UBND")
                let snapshot = try #require(try await world.views.snapshots.snapshot(slug: "12-kh-ubnd"))
                _ = try await world.links.add(
                    try #require(try await ProgressFlowTests.assignmentID(world, "A.12")), snapshot.assignments[0].id, .system)
            },
            perform: { world, client, who in
                let id = try #require(try await world.catalogueLinks(code: "A.12").first).id.rawValue
                return try await client.execute(
                    uri: "/api/v1/plans/343-qd-tu/assignments/A.12/links/\(id)", method: .delete,
                    headers: try await bearer(world, who)
                ) { $0.status }
            }),
        Action(
            name: "import a catalogue (page)", allowed: [.admin, .monitor],
            perform: { world, client, who in
                // Preview, then confirm what the preview carries; a refused preview still tries the confirmation.
                let visitor = world.client(client, as: who)
                let csrf = world.session(who)?.csrf ?? "forged"
                let preview = try await HTTP.multipart(
                    visitor, CatalogueImportWebTests.upload, [("_csrf", csrf)],
                    files: [("file", "ke-hoach-120.xlsx", try CatalogueImportWebTests.workbook())])
                let fields =
                    preview.status == .ok
                    ? try CatalogueImportWebTests.confirmation(preview.body, csrf: csrf)
                    : [("_csrf", csrf), ("fileName", "ke-hoach-120.xlsx"), ("file", "UEsDBA=="), ("seal", "")]
                return try await HTTP.multipart(visitor, CatalogueImportWebTests.confirm, fields).status
            }),
        Action(
            name: "import an implementation plan of A.12 (page)", allowed: [.admin, .monitor, .officer],
            perform: { world, client, who in
                let visitor = world.client(client, as: who)
                let csrf = world.session(who)?.csrf ?? "forged"
                let given = [("kind", "implementation"), ("task", "343-qd-tu/A.12"), ("number", "09/KH-SKHCN")]
                let preview = try await HTTP.multipart(
                    visitor, CatalogueImportWebTests.upload, [("_csrf", csrf)] + given,
                    files: [("file", "kh.tsv", Array(LinkTests.ubnd))])
                let fields =
                    preview.status == .ok
                    ? try CatalogueImportWebTests.confirmation(preview.body, csrf: csrf) + given.filter { $0.0 != "number" }
                    : [("_csrf", csrf), ("fileName", "kh.tsv"), ("file", "UEsDBA=="), ("seal", "")] + given
                return try await HTTP.multipart(visitor, CatalogueImportWebTests.confirm, fields).status
            }),
        Action(
            name: "amend a plan (page)", allowed: [.admin, .monitor],
            perform: { world, client, who in
                let visitor = world.client(client, as: who)
                let csrf = world.session(who)?.csrf ?? "forged"
                let given = [
                    ("kind", "amendment"), ("target", "343-qd-tu"), ("number", "400-QĐ/TU"), ("date", "15/10/2025"),
                    ("missing", "keep"),
                ]
                let preview = try await HTTP.multipart(
                    visitor, CatalogueImportWebTests.upload, [("_csrf", csrf)] + given,
                    files: [("file", "qd-400.tsv", Array(try await AmendmentTests.amendment(world)))])
                let fields =
                    preview.status == .ok
                    ? try CatalogueImportWebTests.confirmation(preview.body, csrf: csrf)
                        + given.filter { $0.0 != "number" && $0.0 != "date" }
                    : [("_csrf", csrf), ("fileName", "qd-400.tsv"), ("file", "UEsDBA=="), ("seal", "")] + given
                return try await HTTP.multipart(visitor, CatalogueImportWebTests.confirm, fields).status
            }),
        Action(
            name: "change one's own password", allowed: [.admin, .monitor, .officer, .otherOfficer, .leader],
            perform: formPost({ _ in "/account/password" }) { _ in
                [("current", World.password), ("new", "Matkhau-moi-2026"), ("confirmation", "Matkhau-moi-2026")]
            }),
        Action(
            name: "publish a plan (API)", allowed: [.admin, .monitor],
            perform: { world, client, who in
                var headers: HTTPFields = [.contentType: "application/json"]
                if let session = world.session(who) {
                    let token = try await world.accounts.createAPIToken(for: session.user, label: "api", by: .system).token
                    headers[.authorization] = "Bearer \(token)"
                }
                // The caller's token is set-up, not the action: `State` leaves it out of the comparison.
                return try await client.execute(
                    uri: "/api/v1/plans/343-qd-tu/publication", method: .put, headers: headers,
                    body: ByteBuffer(string: #"{"published": true}"#)
                ) { $0.status }
            }),
        Action(
            name: "send a progress report (page)", allowed: [.officer],
            perform: { world, client, who in
                let (code, _) = try await ledByOfficer(world)
                let asked = try await HTTP.multipart(
                    world.client(client, as: who), "/plans/343-qd-tu/assignments/\(code)/report",
                    [
                        ("_csrf", world.session(who)?.csrf ?? "forged"), ("stage", "in-progress"), ("percent", "40"),
                        ("result", "Đã khảo sát hiện trạng"), ("do", "submit"),
                    ])
                guard asked.status == .ok else { return asked.status }
                return try await HTTP.confirm(world.client(client, as: who), asked.body).status
            }),
        Action(
            name: "send a contribution (page)", allowed: [.officer],
            perform: { world, client, who in
                let asked = try await HTTP.multipart(
                    world.client(client, as: who), "/plans/343-qd-tu/assignments/A.17.1/contribution",
                    [
                        ("_csrf", world.session(who)?.csrf ?? "forged"), ("result", "Đã hỗ trợ kết nối nền tảng"),
                        ("do", "submit"),
                    ])
                guard asked.status == .ok else { return asked.status }
                return try await HTTP.confirm(world.client(client, as: who), asked.body).status
            }),
        Action(
            name: "review a report (page)", allowed: [.admin, .monitor], prepare: { world in _ = try await sentReport(world) },
            perform: formPost({ world in "/reports/\(try await sentReport(world).id)/review" }) { _ in
                [("decision", "return"), ("reason", "Cần bổ sung số liệu"), ("confirm", "yes")]
            }),
        Action(
            name: "ask for an extension (page)", allowed: [.officer],
            perform: formPost({ world in "/plans/343-qd-tu/assignments/\(try await ledByOfficer(world).code)/extensions" }) { _ in
                [("newDue", "30/06/2026"), ("reason", "Chờ bố trí kinh phí")]
            }),
        Action(
            name: "decide an extension (page)", allowed: [.admin, .monitor],
            prepare: { world in _ = try await pendingExtension(world) },
            perform: formPost({ world in "/extensions/\(try await pendingExtension(world).id)/decision" }) { _ in
                [("approve", "1"), ("reason", ""), ("confirm", "yes")]
            }),
        Action(
            name: "set an external deadline's date (page)", allowed: [.admin, .monitor],
            perform: formPost({ _ in "/plans/343-qd-tu/assignments/B.4/due" }) { _ in
                [("newDue", "31/12/2026"), ("reason", "Kế hoạch số 02-KH/BCĐTW")]
            }),
        Action(
            name: "send a progress report (API)", allowed: [.officer],
            perform: { world, client, who in
                let (code, _) = try await ledByOfficer(world)
                return try await client.execute(
                    uri: "/api/v1/plans/343-qd-tu/assignments/\(code)/reports", method: .post,
                    headers: try await bearer(world, who),
                    body: ByteBuffer(
                        string: #"{"stage": "in-progress", "percent": 20, "result": "Đã lập kế hoạch", "submit": true}"#)
                ) { $0.status }
            }),
        Action(
            name: "review a report (API)", allowed: [.admin, .monitor], prepare: { world in _ = try await sentReport(world) },
            perform: { world, client, who in
                try await client.execute(
                    uri: "/api/v1/reports/\(try await sentReport(world).id)/review", method: .post,
                    headers: try await bearer(world, who),
                    body: ByteBuffer(string: #"{"decision": "accept", "reason": "Ghi nhận"}"#)
                ) { $0.status }
            }),
        Action(
            name: "decide an extension (API)", allowed: [.admin, .monitor],
            prepare: { world in _ = try await pendingExtension(world) },
            perform: { world, client, who in
                try await client.execute(
                    uri: "/api/v1/extensions/\(try await pendingExtension(world).id)/decision", method: .post,
                    headers: try await bearer(world, who),
                    body: ByteBuffer(string: #"{"approve": false, "reason": "Chưa đủ căn cứ"}"#)
                ) { $0.status }
            }),
    ]

    /// What a change could touch, to compare before and after a denied request.
    struct State: Equatable, CustomTestStringConvertible {
        var testDescription: String {
            "\(users.count) users (\(users.filter(\.disabled).count) disabled), \(tokens.joined().count) tokens, "
                + "\(agencies.count) agencies, published \(published), \(audit.count) audit entries"
        }

        var users: [UserRecord]
        var tokens: [[APITokenRecord]]
        var agencies: [AgencyRecord]
        var published: [Bool]
        var audit: [String]

        static func read(_ world: World) async throws -> State {
            let users = try await world.accountStore.users()
            var tokens: [[APITokenRecord]] = []
            for user in users { tokens.append(try await world.accountStore.apiTokens(user.id)) }
            let audit = try await world.accountStore.auditLog(AuditFilter(limit: 10_000)).entries
                .filter { $0.action != "token.create" && $0.action != "session.sign-in" }.map(\.hash)
            return State(
                users: users, tokens: tokens.map { $0.filter { $0.label != "api" && $0.label != "cũ" } },
                agencies: try await world.catalogue.agencies(),
                published: try await world.catalogue.plans().map(\.published), audit: audit)
        }
    }

    static var cells: [(String, String, Who)] {
        WebBackends.all.flatMap { backend in actions.flatMap { action in Who.allCases.map { (backend, action.name, $0) } } }
    }

    @Test("each role may do exactly what DESIGN §2 allows", arguments: cells)
    func cell(backend: String, actionName: String, who: Who) async throws {
        let action = try #require(PermissionMatrixTests.actions.first { $0.name == actionName })
        try await World.run(backend: backend) { world, client in
            try await action.prepare(world)
            let before = try await State.read(world)
            let status = try await action.perform(world, client, who)
            let after = try await State.read(world)
            if action.allowed.contains(who) {
                #expect([.ok, .created, .found, .noContent].contains(status), "\(actionName) as \(who): \(status)")
                #expect(before != after, "\(actionName) as \(who) changed nothing")
            } else {
                let expected: Set<HTTPResponse.Status> = who == .anonymous ? [.forbidden, .unauthorized, .found] : [.forbidden]
                #expect(expected.contains(status), "\(actionName) as \(who): \(status)")
                #expect(before == after, "\(actionName) as \(who) was denied but changed something")
            }
        }
    }
}
