import Foundation
import Hummingbird
import TheodoiCore
import TheodoiExport
import TheodoiForms
import TheodoiOperations
import TheodoiStore
import TheodoiViews

/// Việc của tôi (issue 19): an officer's work across every plan, most urgent first; the office
/// and leaders choose an agency and see the same. `GET /my-work[.xlsx|.csv]?agency=&asOf=`.
struct MyWorkController: Sendable {
    let dependencies: WebDependencies
    var renderer: PageRenderer { dependencies.renderer }

    /// The agency whose work is asked for: an officer's own (another is 403); for other roles the
    /// one named by `?agency=`, or nil (they choose).
    func agency(_ identity: Identity, _ parameters: QueryParameters) async throws -> AgencyRecord? {
        let agencies = try await dependencies.store.agencies()
        if let raw = parameters["agency"] {
            guard let id = RequestNumber.id(raw), let agency = agencies.first(where: { $0.id.rawValue == id }) else {
                throw WebError.notFound("Không có cơ quan mã “\(raw)”.", api: "no agency \(raw)")
            }
            if identity.user.role == .officer, identity.user.agencyID != agency.id {
                throw WebError.forbidden(
                    "Cán bộ chỉ xem được việc của cơ quan mình.", api: "an officer sees the work of its own agency only")
            }
            return agency
        }
        guard let own = identity.user.agencyID else { return nil }
        return agencies.first { $0.id == own }
    }

    /// The active plans (demo plans, drafts and closed plans left out), each as of `asOf`.
    func inputs(asOf: LocalDate) async throws -> [MyWork.PlanInput] {
        var inputs: [MyWork.PlanInput] = []
        for plan in try await dependencies.store.plans() where !plan.isDemo && plan.stage == .active {
            guard let snapshot = try await dependencies.views.snapshots.snapshot(slug: plan.slug, asOf: asOf) else { continue }
            let statuses = await dependencies.views.snapshots.statuses(of: snapshot, asOf: asOf)
            let monitoring = await dependencies.views.snapshots.monitoring(of: snapshot, asOf: asOf)
            inputs.append(MyWork.PlanInput(snapshot: snapshot, statuses: statuses, monitoring: monitoring))
        }
        return inputs
    }

    /// Rows a group shows before "Xem đủ": enough for a day's work, few enough to read.
    static let rowsPerGroup = 50

    func work(_ agency: AgencyRecord, asOf: LocalDate) async throws -> MyWork {
        let reports = try await dependencies.reporting.progress.agencyReports(agency.id)
        return MyWork.make(agency: agency.id, plans: try await inputs(asOf: asOf), reports: reports, asOf: asOf)
    }

    func page(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let parameters = QueryParameters(request.uri.query)
        let asOf = try parameters.asOf(default: dependencies.today())
        guard let agency = try await agency(identity, parameters) else {
            return try await chooser(context, identity: identity, asOf: asOf)
        }
        let work = try await work(agency, asOf: asOf)
        let explicit = parameters["asOf"] != nil
        let chosen = identity.user.agencyID == agency.id ? nil : String(agency.id.rawValue)
        var query: [(String, String)] = []
        if let chosen { query.append(("agency", chosen)) }
        if explicit { query.append(("asOf", asOf.iso)) }
        // A long group shows its most urgent rows; "?all=overdue" shows the whole of it (the downloads always have everything).
        let whole = parameters["all"]
        let byKind = Dictionary(grouping: work.items.indices, by: { work.items[$0].kind })
        let groups = MyWork.Kind.allCases.compactMap { kind -> MyWorkGroup? in
            guard let rows = byKind[kind], !rows.isEmpty else { return nil }
            let shown = whole == kind.rawValue ? rows[...] : rows.prefix(Self.rowsPerGroup)
            var group = MyWorkGroup(
                id: kind.rawValue, heading: kind.vietnamese, daysHeading: Self.daysHeading(kind),
                rows: shown.map { Self.row(work.items[$0], asOf: explicit ? asOf : nil) }, count: rows.count)
            if shown.count < rows.count {
                group.moreText = "Xem đủ \(rows.count) việc (đang hiện \(shown.count) việc khẩn nhất)"
                group.moreHref = "/my-work" + SiteRoute.queryString(query + [("all", kind.rawValue)]) + "#\(kind.rawValue)"
            }
            return group
        }
        let page = MyWorkPage(
            layout: Layout(title: "Việc của tôi", section: "my-work"), agencyName: agency.name, asOfText: asOf.vietnameseShort,
            summary: Self.summary(work), groups: groups,
            plans: work.plans.map { line in
                MyWorkPlanLine(
                    planNumber: line.plan.number,
                    href: SiteRoute.plan(slug: line.plan.slug, query: [("agency", String(agency.id.rawValue))]).href,
                    line: Self.scoreLine(line.score))
            },
            agencyQuery: chosen,
            xlsxHref: "/my-work.xlsx" + SiteRoute.queryString(query), csvHref: "/my-work.csv" + SiteRoute.queryString(query))
        return PageController.page(renderer.render(page), context, renderer: renderer)
    }

    /// `GET /my-work.xlsx|csv`: the same list as the page, one row per task.
    func download(_ request: Request, _ context: AppRequestContext, format: ExportController.Format) async throws -> Response {
        let identity = try context.signedIn()
        let parameters = QueryParameters(request.uri.query)
        let asOf = try parameters.asOf(default: dependencies.today())
        guard let agency = try await agency(identity, parameters) else {
            throw WebError.badRequest(
                "Hãy chọn cơ quan (tham số agency).", api: "query parameter agency is required for a user without an agency")
        }
        let work = try await work(agency, asOf: asOf)
        let table = ExportTable(
            title: "Việc cần làm",
            headers: ["Nhóm", "Kế hoạch", "Mã", "Nội dung", "Hạn", "Số ngày", "Việc cần làm"],
            rows: work.items.map { item in
                [
                    .text(item.kind.vietnamese), .text(item.plan.number), .text(item.code), .text(item.title),
                    item.due.map(ExportTable.Cell.date) ?? .empty, item.days.map(ExportTable.Cell.number) ?? .empty,
                    .text(Self.actionLabel(item)),
                ]
            },
            widths: [24, 14, 10, 70, 12, 9, 24],
            heading: ["Việc cần làm của \(agency.name)", "Tính đến ngày \(asOf.vietnameseShort)"])
        return try ExportController.file(table, name: "viec-can-lam-\(agency.id.rawValue)-\(asOf.iso)", format: format)
    }

    private func chooser(_ context: AppRequestContext, identity: Identity, asOf: LocalDate) async throws -> Response {
        var seen: Set<AgencyRecord.ID> = []
        var choices: [(AgencyRecord.ID, String)] = []
        let inputs = try await inputs(asOf: asOf)
        for input in inputs {
            for agency in input.snapshot.agencies where seen.insert(agency.id).inserted { choices.append(agency) }
        }
        choices.sort { $0.1.localizedStandardCompare($1.1) == .orderedAscending }
        // The office (and the administrator) sees what waits for it in each plan first.
        var office: [OfficePlanRow] = []
        if identity.user.role == .monitor || identity.user.role == .admin {
            let waiting = Dictionary(
                try await dependencies.reporting.progress.waiting().map { ($0.slug, $0.count) }, uniquingKeysWith: +)
            office = inputs.map { input in
                let slug = input.snapshot.plan.slug
                return OfficePlanRow(
                    number: input.snapshot.plan.number, href: SiteRoute.plan(slug: slug).href, waiting: waiting[slug] ?? 0,
                    reviewHref: "/plans/\(escape(slug))/review", quiet: input.monitoring.quiet.count,
                    quietHref: SiteRoute.actionList(slug: slug, list: "quiet").href, findings: input.snapshot.findings.count,
                    findingsHref: "/plans/\(escape(slug))/findings")
            }
        }
        let page = MyWorkChooserPage(
            layout: Layout(title: "Việc của các cơ quan", section: "my-work"),
            agencies: choices.map { Link(label: $0.1, href: "/my-work?agency=\($0.0.rawValue)") }, office: office,
            quietAgencies: office.isEmpty ? [] : MyWorkController.quietAgencies(inputs))
        return PageController.page(renderer.render(page), context, renderer: renderer)
    }

    /// The lead agencies of quiet tasks across `inputs`: each with its count, plans and longest
    /// silence, most quiet tasks first.
    static func quietAgencies(_ inputs: [MyWork.PlanInput]) -> [QuietAgencyRow] {
        var found: [AgencyRecord.ID: (name: String, tasks: Int, plans: Set<PlanRecord.ID>, longest: Int?)] = [:]
        for input in inputs {
            for entry in input.monitoring.quiet {
                for lead in input.snapshot.assignments[entry.position].lead {
                    guard let id = lead.agencyID else { continue }
                    var line = found[id] ?? (lead.name, 0, [], nil)
                    line.tasks += 1
                    line.plans.insert(input.snapshot.plan.id)
                    if let days = entry.days { line.longest = max(line.longest ?? 0, days) }
                    found[id] = line
                }
            }
        }
        return found.sorted {
            $0.value.tasks != $1.value.tasks
                ? $0.value.tasks > $1.value.tasks : $0.value.name.localizedStandardCompare($1.value.name) == .orderedAscending
        }
        .map { id, line in
            QuietAgencyRow(
                name: line.name, href: "/my-work?agency=\(id.rawValue)", tasks: line.tasks, plans: line.plans.count,
                longestText: line.longest.map(String.init) ?? "—")
        }
    }

    static func row(_ item: MyWork.Item, asOf: LocalDate?) -> MyWorkRow {
        let slug = item.plan.slug
        let form = SiteRoute.reportForm(slug: slug, code: item.code, kind: item.form).href
        return MyWorkRow(
            planNumber: item.plan.number, planHref: SiteRoute.plan(slug: slug).href, code: item.code, title: item.title,
            href: SiteRoute.assignment(slug: slug, code: item.code, asOf: asOf).href, dueText: item.due?.vietnameseShort ?? "",
            daysText: item.days.map { $0 < 0 ? "quá hạn \(-$0)" : String($0) } ?? "", actionLabel: actionLabel(item),
            actionHref: form)
    }

    static func actionLabel(_ item: MyWork.Item) -> String {
        switch item.kind {
        case .returned: "Sửa và gửi lại báo cáo"
        case .overdue, .dueSoon, .recurring: "Báo cáo tiến độ"
        case .draft: item.form == .report ? "Hoàn thành bản nháp" : "Hoàn thành ý kiến"
        case .contribution: "Gửi ý kiến phối hợp"
        }
    }

    static func daysHeading(_ kind: MyWork.Kind) -> String {
        switch kind {
        case .overdue: "Quá hạn (ngày)"
        case .dueSoon, .contribution: "Còn (ngày)"
        case .returned, .draft, .recurring: ""
        }
    }

    static func summary(_ work: MyWork) -> String {
        guard !work.items.isEmpty else { return "Không có việc nào cần làm." }
        var plans: Set<PlanRecord.ID> = []
        var counts: [MyWork.Kind: Int] = [:]
        for index in work.items.indices {
            plans.insert(work.items[index].plan.id)
            counts[work.items[index].kind, default: 0] += 1
        }
        let parts = MyWork.Kind.allCases.compactMap { kind -> String? in
            let count = counts[kind] ?? 0
            return count == 0 ? nil : "\(kind.vietnamese.lowercased()) \(count)"
        }
        return "\(work.items.count) việc trên \(plans.count) kế hoạch: \(parts.joined(separator: ", "))."
    }

    static func scoreLine(_ score: Monitoring.AgencyScore) -> String {
        "chủ trì \(score.assigned) nhiệm vụ; đã đến hạn \(score.due), đúng hạn \(score.doneOnTime)"
            + (score.onTimeRate.map { " (\($0)%)" } ?? "")
            + ", đang quá hạn \(score.overdue), chờ xác nhận \(score.awaitingReview); báo cáo bị trả lại \(score.returnedReports)."
    }
}
