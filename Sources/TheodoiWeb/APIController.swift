import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TheodoiCore
import TheodoiOperations
import TheodoiStore

/// The read API of DESIGN §8: JSON through DTOs, errors as `{"error":{"message"}}`.
struct APIController: Sendable {
    let dependencies: WebDependencies

    func health(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        do {
            try await dependencies.store.ping()
            return Responses.json(.object([("status", .string("ok"))]))
        } catch {
            context.logger.error("health check failed", metadata: ["error": "\(error)"])
            return Responses.json(
                .object([("error", .object([("message", .string("database unreachable"))]))]), status: .serviceUnavailable)
        }
    }

    func ready(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let reason = await dependencies.unreadiness() else {
            return Responses.json(.object([("status", .string("ok"))]))
        }
        return Responses.json(.object([("error", .object([("message", .string(reason))]))]), status: .serviceUnavailable)
    }

    /// The Prometheus text: to whoever sends `METRICS_TOKEN` as a bearer token or, without one,
    /// to this machine only (a request that came through a proxy carries `X-Forwarded-For`).
    func metrics(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let token = dependencies.metricsToken {
            let sent = request.headers[.authorization].flatMap { header -> Substring? in
                header.lowercased().hasPrefix("bearer ") ? header.dropFirst(7) : nil
            }
            guard let sent, CSRFMiddleware.equal(String(sent), token) else {
                throw WebError.unauthenticated(api: "send METRICS_TOKEN as `Authorization: Bearer <token>`")
            }
        } else {
            let proxied = [HTTPField.Name.xForwardedFor, .forwarded, .xRealIP].contains { request.headers[$0] != nil }
            guard !proxied, Self.isLoopback(context.address) else {
                throw WebError.forbidden(
                    "",
                    api: "/metrics answers requests from this machine only; set METRICS_TOKEN to scrape it from elsewhere")
            }
        }
        let sample = ServerMetrics.Sample(
            pool: dependencies.pool(), outbox: try await dependencies.outbox.counts(), backups: await dependencies.backups(),
            now: Date())
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: dependencies.metrics.exposition(sample))))
    }

    static func isLoopback(_ address: String) -> Bool {
        address == "::1" || address.hasPrefix("127.") || address.hasPrefix("::ffff:127.")
    }

    func plans(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        // Anonymous callers see the published plans only.
        let plans = try await dependencies.store.plans().filter { context.identity != nil || $0.published }
        return Responses.json(.object([("items", .array(plans.map(PlanDTO.json))), ("total", .int(plans.count))]))
    }

    func assignments(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let slug = try context.parameters.require("plan")
        let parameters = QueryParameters(request.uri.query)
        guard let snapshot = try await dependencies.views.snapshots.snapshot(slug: slug) else {
            throw PageController.noPlan(slug)
        }
        let query = try parameters.planQuery(today: dependencies.today(), snapshot: snapshot, perPageDefault: 100)
        let view: PlanView
        do {
            let asOfSnapshot = try await dependencies.views.snapshots.snapshot(slug: slug, asOf: query.asOf) ?? snapshot
            view = try await dependencies.views.view(asOfSnapshot, query: query)
        } catch let error as PlanViews.UnknownFilter {
            // A part or group the plan does not have: the thing named is not there.
            throw WebError.notFound(error.message, api: error.message)
        }
        return Responses.json(
            .object([
                ("items", .array(view.rows.map { AssignmentJSON.json($0) })), ("total", .int(view.total)),
                ("page", .int(query.page)), ("perPage", .int(query.perPage)), ("asOf", .string(query.asOf.iso)),
            ]))
    }

    func assignment(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let slug = try context.parameters.require("plan")
        let code = try context.parameters.require("code")
        let asOf = try QueryParameters(request.uri.query).asOf(default: dependencies.today())
        guard let detail = try await dependencies.views.assignment(slug: slug, code: code, asOf: asOf) else {
            if try await dependencies.store.planRevision(slug) == nil { throw PageController.noPlan(slug) }
            throw WebError.notFound("Không có nhiệm vụ “\(code)”.", api: "no assignment \(code) in plan \(slug)")
        }
        var fields = AssignmentJSON.fields(detail.row)
        fields.append(("children", .array(detail.children.map { .string($0.assignment.code) })))
        fields.append(("asOf", .string(asOf.iso)))
        fields.append(("amendments", AssignmentJSON.amendments(detail.row.assignment.trail)))
        return Responses.json(.object(fields))
    }

    /// `GET /api/v1/plans/{plan}/amendments`: the decisions that amended the plan, oldest first.
    func amendments(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let slug = try context.parameters.require("plan")
        guard let plan = try await dependencies.store.plan(slug) else { throw PageController.noPlan(slug) }
        let items = try await dependencies.store.amendments(plan.id).map { amendment -> JSONValue in
            .object([
                ("number", .string(amendment.number)), ("issuedOn", .string(amendment.issuedOn.iso)),
                ("sourceName", .string(amendment.sourceName)), ("added", .int(amendment.added)),
                ("changed", .int(amendment.changed)), ("ended", .int(amendment.ended)),
            ])
        }
        return Responses.json(.object([("items", .array(items)), ("total", .int(items.count))]))
    }

    func dashboard(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let slug = try context.parameters.require("plan")
        let asOf = try QueryParameters(request.uri.query).asOf(default: dependencies.today())
        guard let snapshot = try await dependencies.views.snapshots.snapshot(slug: slug, asOf: asOf) else {
            throw PageController.noPlan(slug)
        }
        let dashboard = await dependencies.views.snapshots.dashboard(of: snapshot, asOf: asOf)
        let monitoring = await dependencies.views.snapshots.monitoring(of: snapshot, asOf: asOf)
        return Responses.json(MonitoringController.dashboardJSON(dashboard, monitoring))
    }

    /// The public summary of a published plan (anyone), or of any plan (signed in).
    func summary(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let slug = try context.parameters.require("plan")
        guard let plan = try await dependencies.store.plan(slug) else { throw PageController.noPlan(slug) }
        guard context.identity != nil || plan.published else {
            throw WebError.unauthenticated(api: "plan \(slug) is not published; send `Authorization: Bearer <token>`")
        }
        let asOf = try QueryParameters(request.uri.query).asOf(default: dependencies.today())
        guard let dashboard = try await dependencies.views.dashboard(slug: slug, asOf: asOf) else {
            throw PageController.noPlan(slug)
        }
        return Responses.json(
            .object([
                ("plan", PlanDTO.json(plan)), ("asOf", .string(asOf.iso)), ("sentence", .string(dashboard.summary.sentence)),
                ("overall", DashboardDTO.counts(dashboard.overall)), ("parts", .array(dashboard.parts.map(DashboardDTO.counts))),
            ]))
    }

    /// `PUT …/publication` `{"published": true|false}`: publishes or withdraws the public summary.
    func publication(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.publishPlan)
        let slug = try context.parameters.require("plan")
        // A JSON boolean only: `0`, `"true"` and the like are refused (JSONSerialization would read 0 as false).
        let body: JSONBody
        do {
            body = try await JSONBody.read(request)
        } catch let error as WebError where error.status == .badRequest {
            body = JSONBody(object: [:])
        }
        guard let published = try body.bool("published") else {
            throw WebError(
                status: .unprocessableContent, message: "Dữ liệu không hợp lệ.",
                apiMessage: "body must be a JSON object {\"published\": true|false}")
        }
        guard let plan = try await dependencies.store.setPlanPublished(slug, published, context.auditActor) else {
            throw PageController.noPlan(slug)
        }
        return Responses.json(PlanDTO.json(plan))
    }

    /// `PUT …/stage` `{"stage": "active"|"closed", "from": …, "finalReport": id, "reason": "…"}`: announces,
    /// closes or reopens the plan (issue 19).
    func stage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let slug = try context.parameters.require("plan")
        let body = try await JSONBody.read(request)
        let invalid = { (message: String) in
            WebError(status: .unprocessableContent, message: "Dữ liệu không hợp lệ.", apiMessage: message)
        }
        guard let to = try body.string("stage").flatMap(PlanStage.init(rawValue:)) else {
            throw invalid("stage must be \"active\" or \"closed\"")
        }
        var from: PlanStage?
        if let text = try body.string("from") {
            guard let stage = PlanStage(rawValue: text) else { throw invalid("from must be draft, active or closed") }
            from = stage
        }
        let finalReport = try body.int("finalReport")
        if let finalReport, finalReport < 1 { throw invalid("finalReport must be a positive integer") }
        let plan = try await PlanLifecycle(
            store: dependencies.store, reports: dependencies.periodicReports.reports, today: dependencies.today
        ).change(
            slug: slug, from: from, to: to, finalReport: finalReport.map(IssuedReportRecord.ID.init),
            reason: try body.string("reason") ?? "", identity: identity, actor: context.auditActor)
        return Responses.json(PlanDTO.json(plan))
    }

    /// `GET /api/v1/openapi.yaml`: the hand-kept OpenAPI description of this API; public.
    func openAPI(_ request: Request, _ context: AppRequestContext) throws -> Response {
        guard let document = APIDescription.yaml else { throw APIDescription.Missing() }
        return Response(
            status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: document)))
    }

    func agencies(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let agencies = try await dependencies.store.agencies()
        return Responses.json(
            .object([
                (
                    "items",
                    .array(
                        agencies.map {
                            .object([
                                ("id", .int($0.id.rawValue)), ("name", .string($0.name)), ("shortName", .string($0.shortName)),
                                ("kind", .string($0.kind.rawValue)),
                            ])
                        })
                ),
                ("total", .int(agencies.count)),
            ]))
    }
}

/// The OpenAPI 3.1 description of `/api/v1` (`Resources/openapi.yaml`), read once.
enum APIDescription {
    /// The resource is not in the module's bundle (a packaging mistake): a 500, logged.
    struct Missing: Error {}

    static let yaml: String? = Bundle.module.url(forResource: "openapi", withExtension: "yaml").flatMap {
        try? String(contentsOf: $0, encoding: .utf8)
    }
}

/// A plan on the wire: `id` is the slug (DESIGN §8).
enum PlanDTO {
    static func json(_ plan: PlanRecord) -> JSONValue {
        .object([
            ("id", .string(plan.slug)), ("number", .string(plan.number)), ("date", .string(plan.date?.iso)),
            ("issuer", .string(plan.issuer)), ("title", .string(plan.title)), ("declaredCount", .int(plan.declaredCount)),
            ("assignmentCount", .int(plan.assignmentCount)), ("isDemo", .bool(plan.isDemo)), ("revision", .int(plan.revision)),
            ("published", .bool(plan.published)), ("stage", .string(plan.stage.rawValue)),
            ("stageChangedOn", .string(plan.stageChangedOn?.iso)), ("closingReport", .string(plan.closingReport)),
            ("owner", .string(plan.ownerName)),
            (
                "implements",
                plan.implementedTask.map { .object([("plan", .string($0.planSlug)), ("code", .string($0.code))]) } ?? .null
            ),
        ])
    }
}

/// An assignment on the wire: the §4.5 fields plus `status` as of the requested date.
enum AssignmentJSON {
    static func fields(_ row: PlanRow) -> [(String, JSONValue)] {
        let assignment = row.assignment
        let status = row.status
        var deadline: [(String, JSONValue)] = [
            ("kind", .string(assignment.deadline.kind.rawValue)), ("due", .string(assignment.deadline.due?.iso)),
        ]
        if assignment.deadline.kind == .recurring { deadline.append(("cadence", .string(assignment.deadline.cadence?.rawValue))) }
        if assignment.deadline.kind == .external { deadline.append(("text", .string(assignment.deadline.text))) }
        func agencies(_ links: [AgencyLink]) -> JSONValue {
            .array(links.map { .object([("name", .string($0.name)), ("generic", .bool($0.generic))]) })
        }
        var statusFields: [(String, JSONValue)] = [
            ("timeliness", .string(status.timeliness.rawValue)), ("stage", .string(status.stage.rawValue)),
            ("effectiveDue", .string(status.effectiveDue?.iso)), ("percent", .int(status.percent)),
            ("originalDue", .string(status.originalDue?.iso)), ("completedOn", .string(status.completedOn?.iso)),
            ("overdueAtIssue", .bool(status.overdueAtIssue)),
        ]
        if let reported = status.reportedThisPeriod { statusFields.append(("reportedThisPeriod", .bool(reported))) }
        return [
            ("code", .string(assignment.code)), ("part", .string(assignment.part)), ("group", .string(assignment.group)),
            ("number", .string(assignment.number)), ("parent", .string(assignment.parent)), ("title", .string(assignment.title)),
            ("leadText", .string(assignment.leadText)), ("lead", agencies(assignment.lead)),
            ("coordinatorsText", .string(assignment.coordinatorsText)), ("coordinators", agencies(assignment.coordinators)),
            ("deadlineText", .string(assignment.deadline.text)), ("deadline", .object(deadline)),
            ("output", .string(assignment.output)),
            ("status", .object(statusFields)),
        ]
    }

    static func json(_ row: PlanRow) -> JSONValue { .object(fields(row)) }

    /// A task's amendments, oldest first: each with what the task said before a change.
    static func amendments(_ trail: AmendmentTrail?) -> JSONValue {
        .array(
            (trail?.versions ?? []).map { version in
                .object([
                    ("change", .string(version.change.rawValue)), ("amendment", .string(version.amendment)),
                    ("takesEffect", .string(version.takesEffect.iso)), ("fields", .array(version.fields.map(JSONValue.string))),
                    (
                        "before",
                        version.before.map { before in
                            .object([
                                ("title", .string(before.title)), ("leadText", .string(before.leadText)),
                                ("coordinatorsText", .string(before.coordinatorsText)),
                                ("deadlineText", .string(before.deadline.text)), ("output", .string(before.output)),
                            ])
                        } ?? .null
                    ),
                ])
            })
    }
}

/// Dashboard counts on the wire.
enum DashboardDTO {
    static func counts(_ counts: Dashboard.Counts) -> JSONValue {
        .object([
            ("key", .string(counts.key)), ("title", .string(counts.title)), ("total", .int(counts.total)),
            ("timeliness", .object(Timeliness.allCases.map { ($0.rawValue, .int(counts.timeliness[$0] ?? 0)) })),
            ("stage", .object(Stage.allCases.map { ($0.rawValue, .int(counts.stage[$0] ?? 0)) })),
            ("recurringReported", .int(counts.recurringReported)),
        ])
    }

    static func json(_ dashboard: Dashboard) -> JSONValue {
        .object([
            ("plan", .string(dashboard.plan.slug)), ("asOf", .string(dashboard.asOf.iso)),
            ("sentence", .string(dashboard.summary.sentence)), ("overall", counts(dashboard.overall)),
            ("parts", .array(dashboard.parts.map(counts))), ("groups", .array(dashboard.groups.map(counts))),
            ("leadAgencies", .array(dashboard.leadAgencies.map(counts))),
        ])
    }
}
