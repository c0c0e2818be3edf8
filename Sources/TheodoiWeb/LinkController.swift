import Foundation
import HTTPTypes
import Hummingbird
import TheodoiCore
import TheodoiForms
import TheodoiOperations
import TheodoiStore
import TheodoiViews

/// Linked plans (issue 19): the assignment page's panel, the office's forms linking and unlinking
/// a task to the task of another plan it implements, and the same on the API.
struct LinkController: Sendable {
    let dependencies: WebDependencies

    var links: PlanLinks { PlanLinks(views: dependencies.views, links: dependencies.links) }

    static func mayLink(_ identity: Identity) -> Bool {
        identity.user.role == .admin || identity.user.role == .monitor
    }

    /// The panel of `assignment`'s page: nil when it has no link and the viewer may not add one.
    func panel(
        _ assignment: AssignmentRecord, in snapshot: PlanSnapshot, asOf: LocalDate, identity: Identity,
        context: AppRequestContext, error: String? = nil
    ) async throws -> LinksPanel? {
        let picture = try await links.picture(of: assignment, in: snapshot, asOf: asOf)
        let may = LinkController.mayLink(identity)
        guard may || !picture.serves.isEmpty || !picture.implementedBy.isEmpty else { return nil }
        let slug = snapshot.plan.slug
        func row(_ row: PlanLinks.Row) -> LinkRowModel {
            LinkRowModel(
                planNumber: row.task.planNumber, code: row.task.code, title: row.task.title,
                href: SiteRoute.assignment(slug: row.task.planSlug, code: row.task.code).href,
                status: row.status.map(Models.badge), leadText: row.lead.joined(separator: ", "),
                removeAction: may
                    ? SiteRoute.removeAssignmentLink(slug: slug, code: assignment.code, id: row.link.id).href : nil)
        }
        var options: [Option] = []
        var suggestions: [LinkSuggestionModel] = []
        if may {
            options = try await dependencies.store.plans().filter { $0.id != snapshot.plan.id && !$0.isDemo }.map {
                Option(value: $0.slug, label: "\($0.number)\($0.title.map { " · \($0)" } ?? "")", selected: false)
            }
            if picture.serves.isEmpty {
                suggestions = try await links.suggestions(for: assignment, in: snapshot).map {
                    LinkSuggestionModel(
                        planSlug: $0.task.planSlug, planNumber: $0.task.planNumber, code: $0.task.code, title: $0.task.title,
                        href: SiteRoute.assignment(slug: $0.task.planSlug, code: $0.task.code).href,
                        reasons: $0.reasons.joined(separator: ", "))
                }
            }
        }
        // Nothing linked and no other plan to link to: no section at all.
        guard !options.isEmpty || !picture.serves.isEmpty || !picture.implementedBy.isEmpty else { return nil }
        return LinksPanel(
            serves: picture.serves.map(row), implementedBy: picture.implementedBy.map(row), rollup: picture.rollup,
            addAction: may && !options.isEmpty ? SiteRoute.assignmentLinks(slug: slug, code: assignment.code).href : nil,
            planOptions: options, suggestions: suggestions, csrf: context.csrfToken, error: error)
    }

    // MARK: Pages

    /// `POST /plans/{plan}/assignments/{code}/links` (`plan`, `code` of the higher task).
    func add(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let slug = try context.parameters.require("plan")
        let code = try context.parameters.require("code")
        do {
            try await links.link(
                slug: slug, code: code, to: context.form["plan"] ?? "", code: context.form["code"] ?? "",
                identity: identity, actor: context.auditActor)
        } catch let refusal as ProgressRefusal where refusal.kind != .forbidden {
            return try await PageController(dependencies: dependencies, cache: RenderedPageCache(capacity: 0)).assignment(
                slug: slug, code: code, asOf: dependencies.today(), explicit: false, context: context, notice: nil,
                formError: nil, responseStatus: refusal.kind == .conflict ? .conflict : .unprocessableContent,
                linkError: refusal.message)
        }
        return Responses.redirect(SiteRoute.assignment(slug: slug, code: code).href + "?done=linked")
    }

    /// `POST /plans/{plan}/assignments/{code}/links/{link}/remove`.
    func remove(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (slug, code) = try await unlink(context)
        return Responses.redirect(SiteRoute.assignment(slug: slug, code: code).href + "?done=unlinked")
    }

    /// Removes the link the path names from the task it names; the task's plan and code.
    private func unlink(_ context: AppRequestContext) async throws -> (slug: String, code: String) {
        let identity = try context.signedIn()
        let slug = try context.parameters.require("plan")
        let code = try context.parameters.require("code")
        guard let id = context.parameters.get("link").flatMap(RequestNumber.id) else {
            throw WebError.notFound("Không có liên kết này.", api: "no such link")
        }
        try await links.unlink(AssignmentLink.ID(id), slug: slug, code: code, identity: identity, actor: context.auditActor)
        return (slug, code)
    }

    // MARK: API

    static func json(_ task: LinkedTask, status: AssignmentStatus?, link: AssignmentLink) -> JSONValue {
        .object([
            ("link", .int(link.id.rawValue)), ("plan", .string(task.planSlug)), ("planNumber", .string(task.planNumber)),
            ("code", .string(task.code)), ("title", .string(task.title)),
            ("timeliness", .string(status?.timeliness.rawValue)), ("stage", .string(status?.stage.rawValue)),
            ("createdBy", .string(link.createdByName)), ("createdAt", .string(link.createdAt)),
        ])
    }

    /// `GET /api/v1/plans/{plan}/assignments/{code}/links?asOf=`.
    func apiLinks(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let slug = try context.parameters.require("plan")
        let code = try context.parameters.require("code")
        let asOf = try QueryParameters(request.uri.query).asOf(default: dependencies.today())
        guard let snapshot = try await dependencies.views.snapshots.snapshot(slug: slug) else {
            throw PageController.noPlan(slug)
        }
        guard let position = snapshot.index[code] else {
            throw WebError.notFound("Không có nhiệm vụ “\(code)”.", api: "no assignment \(code) in plan \(slug)")
        }
        let picture = try await links.picture(of: snapshot.assignments[position], in: snapshot, asOf: asOf)
        return Responses.json(
            .object([
                ("asOf", .string(asOf.iso)),
                ("serves", .array(picture.serves.map { LinkController.json($0.task, status: $0.status, link: $0.link) })),
                (
                    "implementedBy",
                    .array(picture.implementedBy.map { LinkController.json($0.task, status: $0.status, link: $0.link) })
                ),
                ("rollup", .string(picture.rollup)),
            ]))
    }

    /// `POST /api/v1/plans/{plan}/assignments/{code}/links` `{"plan": slug, "code": code}`.
    func apiAdd(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let slug = try context.parameters.require("plan")
        let code = try context.parameters.require("code")
        let body = try await JSONBody.read(request)
        guard let plan = try body.string("plan"), let higher = try body.string("code") else {
            throw WebError(
                status: .unprocessableContent, message: "Dữ liệu không hợp lệ.",
                apiMessage: "body must be a JSON object {\"plan\": slug, \"code\": code} naming the task implemented")
        }
        let link = try await links.link(
            slug: slug, code: code, to: plan, code: higher, identity: identity, actor: context.auditActor)
        let higherPlan = try await dependencies.views.snapshots.snapshot(slug: link.higher.planSlug)
        let status = higherPlan.flatMap { plan in
            plan.idIndex[link.higher.assignmentID].map { plan.status(at: $0, asOf: dependencies.today()) }
        }
        var response = Responses.json(LinkController.json(link.higher, status: status, link: link))
        response.status = .created
        return response
    }

    /// `DELETE /api/v1/plans/{plan}/assignments/{code}/links/{link}`.
    func apiRemove(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try await unlink(context)
        return Response(status: .noContent)
    }
}
