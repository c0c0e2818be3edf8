import Foundation
import Hummingbird
import TheodoiCatalog
import TheodoiCore
import TheodoiForms
import TheodoiOperations
import TheodoiStore
import TheodoiViews

/// The server-rendered pages: each handler queries, builds a page model, renders it.
struct PageController: Sendable {
    let dependencies: WebDependencies
    let cache: RenderedPageCache
    var renderer: PageRenderer { dependencies.renderer }

    /// A rendered page with the visitor's navigation filled in.
    func page(_ html: String, _ context: AppRequestContext) -> Response {
        PageController.page(html, context, renderer: renderer)
    }

    /// A rendered page with the visitor's navigation filled in.
    static func page(
        _ html: String, _ context: AppRequestContext, renderer: PageRenderer, status: HTTPResponse.Status = .ok
    ) -> Response {
        Responses.html(renderer.personalize(html, viewer: context.viewer), status: status)
    }

    func home(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        // An officer lands on its agency's work across every plan.
        if identity.user.role == .officer, identity.user.agencyID != nil {
            return Responses.redirect(SiteRoute.Pattern.myWork)
        }
        // A leader lands on the province's picture across plans; the office on what waits for it.
        if identity.user.role == .leader { return Responses.redirect(SiteRoute.Pattern.province) }
        if identity.user.role == .monitor { return Responses.redirect(SiteRoute.Pattern.myWork) }
        let plans = try await dependencies.store.plans()
        if let first = plans.first(where: { !$0.isDemo }) ?? plans.first {
            return Responses.redirect(SiteRoute.plan(slug: first.slug).href)
        }
        return try await self.plans(request, context)
    }

    /// What an anonymous visitor sees of a plan: the summary when the plan is published, else the sign-in page.
    func publicSummary(slug: String, _ context: AppRequestContext) async throws -> Response {
        guard let plan = try await dependencies.store.plan(slug), plan.published,
            let snapshot = try await dependencies.views.snapshots.snapshot(slug: slug, asOf: dependencies.today())
        else { throw WebError.unauthenticated() }
        let today = dependencies.today()
        let dashboard = await dependencies.views.snapshots.dashboard(of: snapshot, asOf: today)
        let statuses = await dependencies.views.snapshots.statuses(of: snapshot, asOf: today)
        let parts = dashboard.parts.map { counts in
            PublicPartRow(
                code: counts.key, title: counts.title, total: counts.total, doneOnTime: counts.timeliness[.doneOnTime] ?? 0,
                doneLate: counts.timeliness[.doneLate] ?? 0, openInTime: counts.timeliness[.openInTime] ?? 0,
                openOverdue: counts.timeliness[.openOverdue] ?? 0, recurring: counts.timeliness[.recurring] ?? 0,
                undetermined: counts.timeliness[.undetermined] ?? 0)
        }
        let page = PublicPlanPage(
            layout: Layout(title: plan.number, section: "public"), number: plan.number, title: plan.title ?? "",
            issuer: plan.issuer ?? "", dateText: plan.date?.vietnameseShort ?? "chưa rõ ngày",
            asOfText: dashboard.asOf.vietnameseShort, sentence: dashboard.summary.sentence, parts: parts,
            chart: Charts.stackedBars(
                id: "public", title: "Tình trạng các nhiệm vụ theo nhóm, tính đến ngày \(today.vietnameseShort)",
                categories: dashboard.parts.map { counts in
                    (
                        label: "Nhóm \(counts.key) (\(counts.total))",
                        values: MonitoringController.timelinessSeries.map { timeliness, _ in
                            ChartValue(counts.timeliness[timeliness] ?? 0, href: "#part-\(counts.key)")
                        }
                    )
                }, series: MonitoringController.timelinessSeries.map(\.1)),
            tasks: snapshot.assignments.enumerated().map { position, assignment in
                let first = assignment.parent == nil && snapshot.assignments.firstIndex { $0.part == assignment.part } == position
                return PublicTaskRow(
                    code: assignment.code, anchor: first ? "part-\(assignment.part ?? "")" : "task-\(assignment.code)",
                    title: assignment.title, lead: assignment.lead.map(\.name).joined(separator: "; "),
                    deadlineText: assignment.deadline.text, statusLabel: statuses[position].timeliness.vietnamese,
                    statusCode: statuses[position].timeliness.rawValue, isSub: assignment.parent != nil)
            }, csvHref: "/plans/\(escape(slug))/open-data.csv", jsonHref: "/plans/\(escape(slug))/open-data.json")
        return self.page(renderer.render(page), context)
    }

    /// `GET /plans/{plan}/open-data.csv|json`: every task with its status today, for anyone when the
    /// plan is published (signed-in users always): no reports, officials or files.
    func openData(_ request: Request, _ context: AppRequestContext, json: Bool) async throws -> Response {
        let slug = try context.parameters.require("plan")
        guard let plan = try await dependencies.store.plan(slug) else { throw PageController.noPlan(slug) }
        guard plan.published || context.identity != nil else { throw WebError.unauthenticated() }
        let today = dependencies.today()
        guard let snapshot = try await dependencies.views.snapshots.snapshot(slug: slug, asOf: today) else {
            throw PageController.noPlan(slug)
        }
        let statuses = await dependencies.views.snapshots.statuses(of: snapshot, asOf: today)
        if json {
            let items = snapshot.assignments.enumerated().map { position, assignment -> JSONValue in
                let status = statuses[position]
                return .object([
                    ("code", .string(assignment.code)), ("parent", .string(assignment.parent)),
                    ("title", .string(assignment.title)), ("lead", .array(assignment.lead.map { .string($0.name) })),
                    ("coordinators", .array(assignment.coordinators.map { .string($0.name) })),
                    ("deadlineText", .string(assignment.deadline.text)), ("effectiveDue", .string(status.effectiveDue?.iso)),
                    ("timeliness", .string(status.timeliness.rawValue)), ("stage", .string(status.stage.rawValue)),
                    ("completedOn", .string(status.completedOn?.iso)),
                ])
            }
            return Responses.json(
                .object([
                    ("plan", .string(plan.number)), ("title", .string(plan.title)), ("asOf", .string(today.iso)),
                    ("items", .array(items)),
                ]))
        }
        let table = ExportTables.plan(
            snapshot, rows: snapshot.assignments.enumerated().map { PlanRow(assignment: $0.element, status: statuses[$0.offset]) }
        )
        return try ExportController.file(table, name: "\(slug)-du-lieu-mo-\(today.iso)", format: .csv)
    }

    /// What a redirect to the plans list says after a write.
    static let planNotices = [
        "published": "Đã công khai số liệu tổng hợp của kế hoạch; khách không đăng nhập xem được từ bây giờ.",
        "unpublished": "Đã thôi công khai kế hoạch; chỉ người đăng nhập xem được.",
        "activated":
            "Đã ban hành kế hoạch: các cơ quan thấy nhiệm vụ trong “Việc của tôi”, gửi được báo cáo, và nhắc việc bắt đầu.",
        "closed": "Đã kết thúc kế hoạch: từ nay chỉ xem; mọi báo cáo và tệp vẫn được giữ.",
        "reopened": "Đã mở lại kế hoạch: nhận báo cáo và nhắc việc như trước.",
    ]

    func plans(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let today = dependencies.today()
        var rows: [PlanRowModel] = []
        for plan in try await dependencies.store.plans() {
            let summary = try await dependencies.views.dashboard(slug: plan.slug, asOf: today)?.summary.sentence ?? ""
            var row = PlanRowModel(
                number: plan.number, href: SiteRoute.plan(slug: plan.slug).href, title: plan.title ?? "",
                dateText: plan.date?.vietnameseShort ?? "chưa rõ ngày", issuer: plan.issuer ?? "chưa rõ cơ quan ban hành",
                assignments: plan.assignmentCount, isDemo: plan.isDemo,
                summarySentence: "Tính đến ngày \(today.vietnameseShort): \(summary)", published: plan.published,
                publishHref: identity.may(.publishPlan) ? SiteRoute.publish(slug: plan.slug).href : nil,
                stage: PageController.stageModel(plan, role: identity.user.role))
            if let task = plan.implementedTask {
                row.implementsText =
                    "Kế hoạch triển khai\(plan.ownerName.map { " của \($0)" } ?? ""), thực hiện nhiệm vụ \(task.code) của \(task.planNumber)."
                row.implementsHref = SiteRoute.assignment(slug: task.planSlug, code: task.code).href
            }
            rows.append(row)
        }
        return page(
            renderer.render(
                PlansPage(
                    layout: Layout(title: "Các kế hoạch", section: "plans"), plans: rows, csrf: context.csrfToken,
                    importHref: identity.may(.importCatalogue) ? SiteRoute.catalogueImport.href : nil,
                    notice: QueryParameters(request.uri.query)["done"].flatMap { PageController.planNotices[$0] } ?? "")),
            context)
    }

    func plan(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let slug = try context.parameters.require("plan")
        guard context.identity != nil else { return try await publicSummary(slug: slug, context) }
        let parameters = QueryParameters(request.uri.query)
        guard let full = try await dependencies.views.snapshots.snapshot(slug: slug) else {
            throw PageController.noPlan(slug)
        }
        let query = try parameters.planQuery(
            today: dependencies.today(), snapshot: full, perPageDefault: dependencies.pageSize)
        // The plan as it stood on the page's date: tasks an amendment added later or ended by then left out.
        let snapshot = try await dependencies.views.snapshots.snapshot(slug: slug, asOf: query.asOf) ?? full
        let explicitDate = parameters["asOf"] != nil
        // The JSON link is for those who load catalogues; the page is kept once per kind of reader.
        let technical = context.identity?.may(.importCatalogue) ?? false
        let cacheKey =
            "plan|\(slug)|\(snapshot.plan.revision).\(snapshot.activity)|\(explicitDate)|\(technical)|\(SiteRoute.queryString(query.parameters(page: query.page)))"
        if let html = await cache.html(for: cacheKey) { return page(html, context) }
        let view: PlanView
        do {
            view = try await dependencies.views.view(snapshot, query: query)
        } catch let error as PlanViews.UnknownFilter {
            // A part or group the plan does not have: the thing named is not there.
            throw WebError.notFound(error.message, api: error.message)
        }
        let plan = snapshot.plan
        let searchWords = query.text.map { SearchWords($0) }.flatMap { $0.isEmpty ? nil : $0 }

        // The appendix layout: part and group headings before the rows they hold.
        var sections: [TableSection] = []
        var currentPart: String?? = .none
        var currentGroup: String?? = .none
        for row in view.rows {
            let assignment = row.assignment
            if currentPart != .some(assignment.part) {
                currentPart = .some(assignment.part)
                currentGroup = .none
                if let part = assignment.part, let record = snapshot.parts.first(where: { $0.code == part }) {
                    sections.append(TableSection(code: part, title: record.title, isPart: true, rows: []))
                }
            }
            if currentGroup != .some(assignment.group) {
                currentGroup = .some(assignment.group)
                if let group = assignment.group {
                    let title = snapshot.groupTitle(part: assignment.part, group: group) ?? ""
                    sections.append(TableSection(code: group, title: title, isPart: false, rows: []))
                }
            }
            if sections.isEmpty { sections.append(TableSection(code: "", title: "", isPart: false, rows: [])) }
            sections[sections.count - 1].rows.append(
                Models.row(row, slug: slug, asOf: query.asOf, explicitDate: parameters["asOf"] != nil, marking: searchWords))
        }

        let cards = Timeliness.allCases.map { timeliness in
            CountCard(
                label: timeliness.vietnamese, count: view.summary.count(timeliness), code: timeliness.rawValue,
                href: SiteRoute.plan(slug: slug, query: query.parameters(timeliness: .some(timeliness))).href)
        }
        let agencyOptions = snapshot.agencies.sorted { VietnameseText.folded($0.name) < VietnameseText.folded($1.name) }.map {
            Option(value: String($0.id.rawValue), label: $0.name, selected: $0.id == query.agency)
        }
        var groupOptions: [Option] = []
        var seenGroups: Set<String> = []
        for part in snapshot.parts where query.part == nil || query.part == part.code {
            for group in part.groups where seenGroups.insert(group.code).inserted {
                groupOptions.append(
                    Option(value: group.code, label: "\(group.code). \(group.title)", selected: query.group == group.code))
            }
        }
        for group in snapshot.looseGroups where seenGroups.insert(group.code).inserted {
            groupOptions.append(
                Option(value: group.code, label: "\(group.code). \(group.title)", selected: query.group == group.code))
        }
        let monthOptions = snapshot.dueMonths.map { month -> Option in
            let selected = query.dueMonth.map { $0.year == month.year && $0.month == month.month } ?? false
            let value = "\(month.year)-\(month.month < 10 ? "0" : "")\(month.month)"
            return Option(value: value, label: "Tháng \(month.month)/\(month.year)", selected: selected)
        }
        let first = view.total == 0 ? 0 : (query.page - 1) * query.perPage + 1
        let last = min(view.total, query.page * query.perPage)
        let topLevel = snapshot.topLevelCount
        let resultText =
            query.isFiltered
            ? "Tìm thấy \(view.total) dòng khớp bộ lọc" + (view.total > query.perPage ? ", hiển thị \(first)–\(last)" : "")
            : "Hiển thị \(first)–\(last) trên \(view.total) dòng (\(topLevel) nhiệm vụ, \(view.total - topLevel) nhiệm vụ con)"
        let pagination = Pagination(
            text: "Trang \(query.page)/\(view.pageCount)",
            previous: query.page > 1 ? SiteRoute.plan(slug: slug, query: query.parameters(page: query.page - 1)).href : nil,
            next: query.page < view.pageCount
                ? SiteRoute.plan(slug: slug, query: query.parameters(page: query.page + 1)).href : nil)
        let dateQuery = parameters["asOf"] != nil ? "?asOf=\(query.asOf.iso)" : ""
        var page = PlanPage(
            layout: Layout(
                title: "Danh mục \(plan.number)", section: "plan", planSlug: slug, planNumber: plan.number, dateQuery: dateQuery),
            number: plan.number, dateText: plan.date?.vietnameseShort, issuer: plan.issuer, title: plan.title,
            isDemo: plan.isDemo,
            asOfISO: query.asOf.iso, asOfText: query.asOf.vietnameseShort, summarySentence: view.summary.sentence, cards: cards,
            query: query.text ?? "", agencyOptions: agencyOptions,
            roleOptions: [
                Option(value: "any", label: "Chủ trì hoặc phối hợp", selected: query.agencyRole == .any),
                Option(value: "lead", label: "Chủ trì", selected: query.agencyRole == .lead),
                Option(value: "coordinator", label: "Phối hợp", selected: query.agencyRole == .coordinator),
            ],
            partOptions: snapshot.parts.map {
                Option(value: $0.code, label: "\($0.code). \($0.title)", selected: query.part == $0.code)
            },
            groupOptions: groupOptions,
            timelinessOptions: Timeliness.allCases.map {
                Option(value: $0.rawValue, label: $0.vietnamese, selected: query.timeliness == $0)
            },
            stageOptions: Stage.allCases.map { Option(value: $0.rawValue, label: $0.vietnamese, selected: query.stage == $0) },
            monthOptions: monthOptions, isFiltered: query.isFiltered,
            clearHref: SiteRoute.plan(slug: slug, query: parameters["asOf"] != nil ? [("asOf", query.asOf.iso)] : []).href,
            resultText: resultText, sections: sections, pagination: pagination, findingsCount: snapshot.findings.count,
            findingsHref: SiteRoute.findings(slug: slug).href,
            apiHref: technical
                ? SiteRoute.apiAssignments(slug: slug).href + SiteRoute.queryString(query.parameters(page: query.page)) : "",
            xlsxHref: "/plans/\(escape(slug))/export.xlsx" + SiteRoute.queryString(query.parameters()),
            csvHref: "/plans/\(escape(slug))/export.csv" + SiteRoute.queryString(query.parameters()))
        page.stageNotice = PageController.stageNotice(plan)
        page.amendmentLines = snapshot.amendments.map { amendment in
            amendment.takesEffect <= query.asOf
                ? "Điều chỉnh theo \(amendment.citation): \(amendment.counts)"
                    + (amendment.ended.isEmpty ? "" : " (bãi bỏ \(amendment.ended.joined(separator: ", ")))")
                    + "; danh mục dưới đây là danh mục đã điều chỉnh."
                : "Từ ngày \(amendment.takesEffect.vietnameseShort), danh mục được điều chỉnh theo Quyết định số "
                    + "\(amendment.number) (\(amendment.counts)); danh mục dưới đây là danh mục tại ngày \(query.asOf.vietnameseShort)."
        }
        let html = renderer.render(page)
        await cache.store(html, for: cacheKey)
        return self.page(html, context)
    }

    func assignment(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let slug = try context.parameters.require("plan")
        let code = try context.parameters.require("code")
        let parameters = QueryParameters(request.uri.query)
        let asOf = try parameters.asOf(default: dependencies.today())
        return try await assignment(
            slug: slug, code: code, asOf: asOf, explicit: parameters["asOf"] != nil, context: context,
            notice: parameters["done"].flatMap { ProgressController.notices[$0] }, formError: nil,
            listHref: PageController.listBack(request.headers[.referer], slug: slug))
    }

    /// The plan's list the user came from, with its filters (the browser's same-origin Referer), so
    /// the crumb goes back to the list as it was; nil for anything else.
    static func listBack(_ referer: String?, slug: String) -> String? {
        guard let referer, referer.utf8.count < 4_000, let url = URLComponents(string: referer),
            url.path == SiteRoute.plan(slug: slug).href, let query = url.percentEncodedQuery, !query.isEmpty
        else { return nil }
        let pairs = URLEncodedForm.pairs(query).prefix(20).filter { $0.0.utf8.count <= 40 && $0.1.utf8.count <= 400 }
        return pairs.isEmpty ? nil : SiteRoute.plan(slug: slug, query: pairs.map { ($0.name, $0.value) }).href
    }

    /// The assignment page, with a notice after a write or a refused inline form shown again.
    func assignment(
        slug: String, code: String, asOf: LocalDate, explicit: Bool, context: AppRequestContext, notice: String?,
        formError: AssignmentFormError?, responseStatus: HTTPResponse.Status = .ok, listHref: String? = nil,
        linkError: String? = nil
    ) async throws -> Response {
        let identity = try context.signedIn()
        guard let detail = try await dependencies.views.assignment(slug: slug, code: code, asOf: asOf) else {
            if try await dependencies.store.planRevision(slug) == nil { throw PageController.noPlan(slug) }
            throw WebError.notFound(
                "Danh mục không có nhiệm vụ mã “\(code)”. Mã có dạng phần, số thứ tự (ví dụ A.17.1).",
                api: "no assignment \(code) in plan \(slug)")
        }
        let assignment = detail.row.assignment
        let status = detail.row.status
        let plan = detail.snapshot.plan
        var location: [Field] = []
        if let part = assignment.part, let record = detail.snapshot.parts.first(where: { $0.code == part }) {
            location.append(Field(label: "Phần", value: "\(part). \(record.title)"))
        }
        if let group = assignment.group {
            location.append(
                Field(label: "Nhóm", value: "\(group). \(detail.snapshot.groupTitle(part: assignment.part, group: group) ?? "")"))
        }
        // The file's line is for those who load and check catalogues; others read the number the text gives.
        let technical = identity.may(.importCatalogue)
        location.append(
            Field(
                label: "Số thứ tự trong văn bản",
                value: technical
                    ? "\(assignment.number) (dòng \(assignment.line) của tệp \(plan.sourceName))" : assignment.number))
        var deadline = [
            Field(
                label: "Thời hạn (văn bản ghi)", value: assignment.deadline.text.isEmpty ? "—" : "“\(assignment.deadline.text)”"),
            Field(label: "Thời hạn (hiểu là)", value: Models.deadlineMeaning(assignment.deadline)),
        ]
        if let original = status.originalDue {
            deadline.append(Field(label: "Hạn hoàn thành", value: original.vietnameseShort))
        }
        if let effective = status.effectiveDue, effective != status.originalDue {
            deadline.append(
                Field(
                    label: status.originalDue == nil ? "Hạn đã xác định" : "Hạn hiện hành (sau gia hạn)",
                    value: effective.vietnameseShort
                        + (status.originalDue.map { "; hạn ban đầu \($0.vietnameseShort) vẫn được giữ để đối chiếu" } ?? "")))
        }
        if let completed = status.completedOn {
            deadline.append(Field(label: "Ngày hoàn thành (đã xác nhận)", value: completed.vietnameseShort))
        }
        guard let workspace = try await dependencies.reporting.workspace(slug: slug, code: code, identity: identity) else {
            throw WebError.notFound("Không có nhiệm vụ “\(code)”.", api: "no assignment \(code) in plan \(slug)")
        }
        if status.overdueAtIssue, let planDate = plan.date {
            deadline.append(
                Field(
                    label: "Lưu ý",
                    value: "Thời hạn đã qua trước ngày ban hành văn bản (\(planDate.vietnameseShort)): quá hạn khi giao."))
        }
        var page = AssignmentPage(
            layout: Layout(
                title: "Nhiệm vụ \(assignment.code)", section: "plan", planSlug: slug, planNumber: plan.number,
                dateQuery: explicit ? "?asOf=\(asOf.iso)" : ""),
            code: assignment.code, title: assignment.title,
            planHref: listHref ?? SiteRoute.plan(slug: slug, query: explicit ? [("asOf", asOf.iso)] : []).href,
            planNumber: plan.number, asOfISO: asOf.iso, asOfText: asOf.vietnameseShort, status: Models.badge(status),
            stageLabel: status.stage.vietnamese, percent: status.percent, location: location,
            lead: assignment.lead.map { Models.link($0, slug: slug) }, leadText: assignment.leadText,
            coordinators: assignment.coordinators.map { Models.link($0, slug: slug) },
            coordinatorsText: assignment.coordinatorsText,
            deadline: deadline, output: assignment.output,
            parent: detail.parent.map { Models.row($0, slug: slug, asOf: asOf, explicitDate: explicit) },
            children: detail.children.map { Models.row($0, slug: slug, asOf: asOf, explicitDate: explicit) },
            apiHref: technical
                ? SiteRoute.apiAssignment(slug: slug, code: assignment.code).href + (explicit ? "?asOf=\(asOf.iso)" : "") : "",
            progress: ProgressController(dependencies: dependencies).panel(
                workspace, identity: identity, context: context, notice: notice, formError: formError))
        page.links = try await LinkController(dependencies: dependencies).panel(
            assignment, in: detail.snapshot, asOf: asOf, identity: identity, context: context, error: linkError)
        if identity.user.role == .officer, plan.stage == .active, let agency = identity.user.agencyID,
            assignment.lead.contains(where: { $0.agencyID == agency })
        {
            page.implementationHref =
                SiteRoute.catalogueImport.href
                + SiteRoute.queryString([("kind", "implementation"), ("task", "\(slug)/\(assignment.code)")])
        }
        if let trail = assignment.trail {
            page.amendmentNotice = Self.amendmentNotice(trail, asOf: asOf)
            page.amendments = Self.amendmentEntries(trail)
            // Not one of the plan's tasks that day: no timeliness to show, only why.
            if !trail.inForce(on: asOf) {
                let ended = trail.ended.map { $0.takesEffect <= asOf } ?? false
                page.status = StatusBadge(
                    label: ended ? "Đã bãi bỏ" : "Chưa thuộc danh mục", code: "not-in-force", stage: "",
                    overdueAtIssue: false)
            }
        }
        return PageController.page(renderer.render(page), context, renderer: renderer, status: responseStatus)
    }

    /// Why a task is not in its plan on a day (ended, or added later), or which decision added it.
    static func amendmentNotice(_ trail: AmendmentTrail, asOf: LocalDate) -> String? {
        if let ended = trail.ended, ended.takesEffect <= asOf {
            return "Nhiệm vụ đã bãi bỏ từ ngày \(ended.takesEffect.vietnameseShort) theo Quyết định số \(ended.amendment): "
                + "không còn tính vào số liệu của kế hoạch từ ngày đó, không nhận báo cáo mới; các báo cáo đã có vẫn được giữ."
        }
        if let added = trail.added {
            if added.takesEffect > asOf {
                return
                    "Nhiệm vụ được bổ sung từ ngày \(added.takesEffect.vietnameseShort) theo Quyết định số \(added.amendment): "
                    + "ngày \(asOf.vietnameseShort) chưa thuộc danh mục."
            }
            return "Nhiệm vụ được bổ sung theo Quyết định số \(added.amendment) ngày \(added.takesEffect.vietnameseShort)."
        }
        if let ended = trail.ended {
            return "Nhiệm vụ bị bãi bỏ từ ngày \(ended.takesEffect.vietnameseShort) theo Quyết định số \(ended.amendment)."
        }
        if let next = trail.changes.first(where: { $0.takesEffect > asOf }) {
            return "Nội dung dưới đây là nội dung tại ngày \(asOf.vietnameseShort); từ ngày \(next.takesEffect.vietnameseShort) "
                + "nhiệm vụ được điều chỉnh theo Quyết định số \(next.amendment)."
        }
        return nil
    }

    /// Each amendment of a task with what it changed: a change's "after" is the next change's "before", or what the task says now.
    static func amendmentEntries(_ trail: AmendmentTrail) -> [AmendmentEntryModel] {
        trail.versions.enumerated().map { index, version in
            let decision = "Quyết định số \(version.amendment)"
            let date = version.takesEffect.vietnameseShort
            switch version.change {
            case .added:
                return AmendmentEntryModel(dateText: date, decision: decision, changeText: "Bổ sung nhiệm vụ", fields: [])
            case .ended:
                return AmendmentEntryModel(dateText: date, decision: decision, changeText: "Bãi bỏ nhiệm vụ", fields: [])
            case .changed:
                let before = version.before?.values ?? []
                let after =
                    (trail.versions[(index + 1)...].first { $0.change == .changed }?.before ?? trail.current).values
                let fields = zip(AssignmentWording.fieldNames, zip(before, after)).filter { $0.1.0 != $0.1.1 }.map {
                    AmendmentChangeRow(
                        code: "", field: $0.0, before: $0.1.0.isEmpty ? "(trống)" : $0.1.0,
                        after: $0.1.1.isEmpty ? "(trống)" : $0.1.1)
                }
                return AmendmentEntryModel(dateText: date, decision: decision, changeText: "Điều chỉnh", fields: fields)
            }
        }
    }

    func findings(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let slug = try context.parameters.require("plan")
        guard let snapshot = try await dependencies.views.snapshots.snapshot(slug: slug) else {
            throw PageController.noPlan(slug)
        }
        let notice = QueryParameters(request.uri.query)["corrected"].flatMap(RequestNumber.id).map {
            "Đã sửa \($0) chỗ gõ nhầm; văn bản gốc được lưu trong nhật ký."
        }
        return try await findingsPage(snapshot, identity: identity, context: context, notice: notice)
    }

    func findingsPage(
        _ snapshot: PlanSnapshot, identity: Identity, context: AppRequestContext, notice: String?,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let slug = snapshot.plan.slug
        let findings = snapshot.findings
        let warnings = findings.filter { $0.severity == .warning }.count
        let errors = findings.filter { $0.severity == .error }.count
        let countText =
            "\(findings.count) phát hiện (\(errors) lỗi, \(warnings) cảnh báo, \(findings.count - errors - warnings) thông tin)"
        let rows = findings.map {
            FindingRowModel(
                line: $0.line == 0 ? "—" : String($0.line), severity: $0.severity.vietnamese, severityCode: $0.severity.rawValue,
                code: $0.code.rawValue, message: $0.message)
        }
        func place(_ correction: TextCorrection) -> String {
            switch correction.field {
            case .planTitle: correction.field.vietnamese
            case .groupTitle: "\(correction.field.vietnamese) \(correction.subject.replacingOccurrences(of: "/", with: "."))"
            case .partTitle: "\(correction.field.vietnamese) \(correction.subject)"
            default: "\(correction.field.vietnamese) của nhiệm vụ \(correction.subject)"
            }
        }
        let proposals = identity.may(.importCatalogue) ? TextCorrections.proposals(snapshot) : []
        let corrected = try await dependencies.store.textCorrections(snapshot.plan.id)
        let page = FindingsPage(
            layout: Layout(title: "Phát hiện khi nhập", section: "findings", planSlug: slug, planNumber: snapshot.plan.number),
            planNumber: snapshot.plan.number, sourceName: snapshot.plan.sourceName, countText: countText, rows: rows,
            corrections: proposals.map { proposal in
                let slips = ProbableTypos.suggestions(in: proposal.original).map { "“\($0.found)” → “\($0.suggested)”" }
                return Option(value: proposal.key, label: "\(place(proposal)): \(slips.joined(separator: ", "))", selected: true)
            },
            corrected: corrected.map {
                "\(place($0)): “\($0.original)” → “\($0.corrected)” (\($0.correctedByName), \(Reporting.timeText($0.correctedAt)))"
            }, correctAction: SiteRoute.textCorrections(slug: slug).href, csrf: context.csrfToken, notice: notice)
        return PageController.page(renderer.render(page), context, renderer: renderer, status: status)
    }

    /// `POST /plans/{plan}/corrections`: corrects the chosen slips of the plan's text on record.
    func correctText(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.importCatalogue)
        let slug = try context.parameters.require("plan")
        guard let snapshot = try await dependencies.views.snapshots.snapshot(slug: slug) else {
            throw PageController.noPlan(slug)
        }
        do {
            let applied = try await TextCorrections(store: dependencies.store).apply(
                snapshot, keys: Set(context.form.all("fix")), actor: context.auditActor)
            return Responses.redirect(
                SiteRoute.findings(slug: slug).href + "?corrected=\(applied.count)")
        } catch let refusal as ProgressRefusal where refusal.kind != .forbidden {
            return try await findingsPage(
                snapshot, identity: identity, context: context, notice: "Chưa sửa: \(refusal.message)",
                status: refusal.kind == .conflict ? .conflict : .unprocessableContent)
        }
    }

    func agencies(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let parameters = QueryParameters(request.uri.query)
        let (snapshot, asOf) = try await planAndDate(parameters)
        let statuses = await dependencies.views.snapshots.statuses(of: snapshot, asOf: asOf)
        let overview = AgencyOverview.make(
            snapshot: snapshot, statuses: statuses, agencies: try await dependencies.store.agencies(), asOf: asOf)
        let slug = snapshot.plan.slug
        let explicit = parameters["asOf"] != nil
        let rows = overview.entries.map {
            AgencyRowModel(
                name: $0.agency.name, href: SiteRoute.agency(id: $0.agency.id, slug: slug, asOf: explicit ? asOf : nil).href,
                kind: Models.kindLabel($0.agency.kind), led: $0.led, coordinated: $0.coordinated, overdue: $0.overdue,
                ledRows: $0.ledRows)
        }
        let page = AgenciesPage(
            layout: Layout(title: "Cơ quan", section: "agencies", planSlug: slug, planNumber: snapshot.plan.number),
            planNumber: snapshot.plan.number, asOfISO: asOf.iso, asOfText: asOf.vietnameseShort, rows: rows)
        return self.page(renderer.render(page), context)
    }

    func agency(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let parameters = QueryParameters(request.uri.query)
        let raw = try context.parameters.require("agency")
        let agencies = try await dependencies.store.agencies()
        guard let id = RequestNumber.id(raw), let agency = agencies.first(where: { $0.id.rawValue == id }) else {
            throw WebError.notFound("Không có cơ quan mã “\(raw)”.", api: "no agency \(raw)")
        }
        let (snapshot, asOf) = try await planAndDate(parameters)
        let statuses = await dependencies.views.snapshots.statuses(of: snapshot, asOf: asOf)
        let slug = snapshot.plan.slug
        let explicit = parameters["asOf"] != nil
        var led: [AssignmentRowModel] = []
        var coordinated: [AssignmentRowModel] = []
        var ledTopLevel: [AssignmentStatus] = []
        for (position, assignment) in snapshot.assignments.enumerated() {
            let row = PlanRow(assignment: assignment, status: statuses[position])
            if assignment.lead.contains(where: { $0.agencyID == agency.id }) {
                led.append(Models.row(row, slug: slug, asOf: asOf, explicitDate: explicit))
                if assignment.parent == nil { ledTopLevel.append(statuses[position]) }
            }
            if assignment.coordinators.contains(where: { $0.agencyID == agency.id }) {
                coordinated.append(Models.row(row, slug: slug, asOf: asOf, explicitDate: explicit))
            }
        }
        let monitoring = await dependencies.views.snapshots.monitoring(of: snapshot, asOf: asOf)
        let summary = StatusSummary(ledTopLevel)
        let filters: [(String, String)] = [("agency", String(agency.id.rawValue)), ("role", "lead"), ("level", "top")]
        let chart =
            ledTopLevel.isEmpty
            ? ""
            : Charts.stackedBars(
                id: "agency", title: "Nhiệm vụ chủ trì theo tình trạng, tính đến ngày \(asOf.vietnameseShort)",
                categories: [
                    (
                        label: "Chủ trì (\(summary.total))",
                        values: MonitoringController.timelinessSeries.map { timeliness, _ in
                            ChartValue(
                                summary.count(timeliness),
                                href: MonitoringController.rows(slug, asOf, filters + [("timeliness", timeliness.rawValue)]))
                        }
                    )
                ], series: MonitoringController.timelinessSeries.map(\.1))
        let overdue = monitoring.overdue.filter { entry in
            snapshot.assignments[entry.position].lead.contains { $0.agencyID == agency.id }
        }.map {
            MonitoringController.actionRow(
                snapshot, statuses, $0.position, slug: slug, asOf: explicit ? asOf : nil,
                dateText: $0.date?.vietnameseShort ?? "", daysText: $0.days.map(String.init) ?? "")
        }
        var scoreLine = ""
        if let score = monitoring.scorecard.first(where: { $0.agencyID == agency.id }) {
            scoreLine =
                "Đã đến hạn \(score.due), đúng hạn \(score.doneOnTime)"
                + (score.onTimeRate.map { " (\($0)%)" } ?? "")
                + ", đang quá hạn \(score.overdue), chờ xác nhận \(score.awaitingReview); "
                + "báo cáo bị trả lại \(score.returnedReports), gửi trễ \(score.lateReports); "
                + (score.daysSinceLastReport.map { "báo cáo gần nhất cách đây \($0) ngày." } ?? "chưa gửi báo cáo nào.")
        }
        let page = AgencyPage(
            layout: Layout(title: agency.name, section: "agencies", planSlug: slug, planNumber: snapshot.plan.number),
            name: agency.name, kind: Models.kindLabel(agency.kind), planNumber: snapshot.plan.number, asOfISO: asOf.iso,
            asOfText: asOf.vietnameseShort, summarySentence: summary.sentence, led: led,
            coordinated: coordinated,
            planFilterHref: SiteRoute.plan(
                slug: slug, query: [("agency", String(agency.id.rawValue))] + (explicit ? [("asOf", asOf.iso)] : [])
            ).href, chart: chart, overdue: overdue, scoreLine: scoreLine)
        return self.page(renderer.render(page), context)
    }

    /// The plan named by `?plan=` (default: the first real plan) and the date.
    private func planAndDate(_ parameters: QueryParameters) async throws -> (PlanSnapshot, LocalDate) {
        let asOf = try parameters.asOf(default: dependencies.today())
        let slug: String
        if let requested = parameters["plan"] {
            slug = requested
        } else {
            let plans = try await dependencies.store.plans()
            guard let first = plans.first(where: { !$0.isDemo }) ?? plans.first else {
                throw WebError.notFound("Chưa có kế hoạch nào được nhập.", api: "no plan has been imported")
            }
            slug = first.slug
        }
        guard let snapshot = try await dependencies.views.snapshots.snapshot(slug: slug) else {
            throw PageController.noPlan(slug)
        }
        return (snapshot, asOf)
    }

    /// What a draft or closed plan's pages say first; nil for an active plan.
    static func stageNotice(_ plan: PlanRecord) -> String? {
        switch plan.stage {
        case .active:
            return nil
        case .draft:
            return
                "Kế hoạch dự thảo, chưa ban hành: các cơ quan chưa báo cáo, chưa có nhắc việc. Cơ quan theo dõi ban hành kế hoạch ở trang Các kế hoạch."
        case .closed:
            var text = "Kế hoạch đã kết thúc"
            if let day = plan.stageChangedOn { text += " ngày \(day.vietnameseShort)" }
            if let report = plan.closingReport { text += " với báo cáo \(report)" }
            return text + ": chỉ xem; mọi báo cáo, quyết định và tệp được giữ nguyên."
        }
    }

    /// The plan's stage as the plans list shows it, with the one move the role may make.
    static func stageModel(_ plan: PlanRecord, role: Role) -> PlanStageModel {
        let next: (PlanStage, String) =
            switch plan.stage {
            case .draft: (.active, "Ban hành")
            case .active: (.closed, "Kết thúc kế hoạch")
            case .closed: (.active, "Mở lại")
            }
        var text: String
        switch plan.stage {
        case .draft:
            text = "Dự thảo: chưa nhắc việc, các cơ quan chưa báo cáo."
        case .active:
            text = ""
        case .closed:
            text = "Đã kết thúc"
            if let day = plan.stageChangedOn { text += " ngày \(day.vietnameseShort)" }
            if let report = plan.closingReport { text += " với báo cáo \(report)" }
            text += "; chỉ xem."
        }
        let move = PlanLifecycle.refusal(from: plan.stage, to: next.0, role: role) == nil ? next : nil
        return PlanStageModel(
            code: plan.stage.rawValue, label: plan.stage.vietnamese, text: text,
            action: move.map { _ in SiteRoute.planStage(slug: plan.slug).href }, actionTo: move?.0.rawValue ?? "",
            actionLabel: move?.1 ?? "", from: plan.stage.rawValue)
    }

    static func noPlan(_ slug: String) -> WebError {
        WebError.notFound(
            "Không có kế hoạch “\(slug)”. Mã kế hoạch là số hiệu văn bản viết liền không dấu, ví dụ 343-qd-tu.",
            api: "no plan \(slug)")
    }
}

/// Page-model pieces shared by several pages.
enum Models {
    static func badge(_ status: AssignmentStatus) -> StatusBadge {
        StatusBadge(
            label: status.timeliness.vietnamese, code: status.timeliness.rawValue, stage: status.stage.vietnamese,
            overdueAtIssue: status.overdueAtIssue)
    }

    static func link(_ link: AgencyLink, slug: String, marking: SearchWords? = nil) -> Link {
        Link(
            label: link.name, href: link.agencyID.map { SiteRoute.agency(id: $0, slug: slug).href },
            labelMarks: marking?.marked(link.name))
    }

    /// A row of a list of assignments; with `marking`, the words of that search marked in the title
    /// and the agencies' names.
    static func row(
        _ row: PlanRow, slug: String, asOf: LocalDate, explicitDate: Bool, marking: SearchWords? = nil
    ) -> AssignmentRowModel {
        let assignment = row.assignment
        var dueText: String?
        if let effective = row.status.effectiveDue {
            dueText =
                effective == row.status.originalDue
                ? "hạn \(effective.vietnameseShort)" : "gia hạn đến \(effective.vietnameseShort)"
            if case .date = assignment.deadline.form { dueText = nil }
            if case .recurring = assignment.deadline.form { dueText = "kỳ này: \(effective.vietnameseShort)" }
        }
        return AssignmentRowModel(
            code: assignment.code, number: assignment.number,
            href: SiteRoute.assignment(slug: slug, code: assignment.code, asOf: explicitDate ? asOf : nil).href,
            isSub: assignment.parent != nil, title: assignment.title,
            lead: assignment.lead.map { link($0, slug: slug, marking: marking) },
            coordinators: assignment.coordinators.map { link($0, slug: slug, marking: marking) },
            deadlineText: assignment.deadline.text.isEmpty ? "—" : assignment.deadline.text, dueText: dueText,
            output: assignment.output, status: badge(row.status), titleMarks: marking?.marked(assignment.title))
    }

    /// What a deadline means, in words.
    static func deadlineMeaning(_ deadline: Deadline) -> String {
        let due = deadline.due?.vietnameseShort ?? ""
        switch deadline.form {
        case .month(let year, let month): return "Tháng \(month)/\(year): hạn cuối ngày \(due)"
        case .quarter(let year, let quarter): return "Quý \(["I", "II", "III", "IV"][quarter - 1])/\(year): hạn cuối ngày \(due)"
        case .halfYear(let year, let half): return "6 tháng \(half == 1 ? "đầu" : "cuối") năm \(year): hạn cuối ngày \(due)"
        case .year(let year): return "Năm \(year): hạn cuối ngày \(due)"
        case .date: return "Ngày \(due)"
        case .range(let start, let end): return "Giai đoạn \(start.year)–\(end.year): hạn cuối ngày \(due)"
        case .recurring(let cadence, _):
            switch cadence {
            case .yearly?: return "Thực hiện hằng năm, hạn cuối mỗi năm (kỳ đầu: \(due))"
            case .quarterly?: return "Thực hiện hằng quý, hạn cuối mỗi quý (kỳ đầu: \(due))"
            case .halfYearly?: return "Thực hiện 6 tháng một lần (kỳ đầu: \(due))"
            case .monthly?: return "Thực hiện hằng tháng (kỳ đầu: \(due))"
            case nil: return "Nhiệm vụ thường xuyên: không có hạn cuối, báo cáo theo từng kỳ"
            }
        case .external: return "Theo kế hoạch, hướng dẫn của cơ quan khác: chưa có hạn cho đến khi cơ quan theo dõi xác định"
        case .none: return "Văn bản không ghi thời hạn"
        case .unknown: return "Chưa hiểu được cách ghi thời hạn này; giữ nguyên văn bản"
        }
    }

    static func kindLabel(_ kind: AgencyKind) -> String {
        switch kind {
        case .partyProvincial: "Cơ quan đảng tỉnh"
        case .partyCentral: "Cơ quan đảng Trung ương"
        case .department: "Sở, ngành tỉnh"
        case .provincial: "Cơ quan cấp tỉnh"
        case .ministry: "Bộ, cơ quan ngang bộ"
        case .central: "Cơ quan Trung ương"
        case .judicial: "Cơ quan tư pháp"
        case .massOrganisation: "Mặt trận, đoàn thể"
        case .media: "Báo chí"
        case .education: "Trường, viện"
        case .enterprise: "Doanh nghiệp"
        case .local: "Địa phương"
        case .unknown: "Chưa có trong danh mục cơ quan"
        }
    }
}
