import Foundation
import Hummingbird
import TheodoiCore
import TheodoiForms
import TheodoiOperations
import TheodoiStore
import TheodoiViews

/// The dashboard, the agency scorecard, the action lists and what changed: pages and API.
struct MonitoringController: Sendable {
    let dependencies: WebDependencies
    /// Rendered pages by plan version, date and query: a dashboard shown twice is drawn once.
    let cache: RenderedPageCache
    var renderer: PageRenderer { dependencies.renderer }

    /// Timeliness as chart series: a colour and a pattern each, so the chart reads without colour.
    static let timelinessSeries: [(Timeliness, ChartSeries)] = [
        (.doneOnTime, ChartSeries(name: Timeliness.doneOnTime.vietnamese, cssClass: "c-ok", pattern: "solid")),
        (.doneLate, ChartSeries(name: Timeliness.doneLate.vietnamese, cssClass: "c-late", pattern: "hatch")),
        (.openInTime, ChartSeries(name: Timeliness.openInTime.vietnamese, cssClass: "c-open", pattern: "dots")),
        (.openOverdue, ChartSeries(name: Timeliness.openOverdue.vietnamese, cssClass: "c-over", pattern: "cross")),
        (.recurring, ChartSeries(name: Timeliness.recurring.vietnamese, cssClass: "c-rec", pattern: "back")),
        (.undetermined, ChartSeries(name: Timeliness.undetermined.vietnamese, cssClass: "c-none", pattern: "grid")),
    ]

    /// The action lists, in the order the dashboard shows them.
    enum ListKind: String, CaseIterable {
        case overdue, dueSoon = "due-soon", quiet, awaitingReview = "awaiting-review", recurring = "recurring-unreported"

        var label: String {
            switch self {
            case .overdue: "Quá hạn"
            case .dueSoon: "Sắp đến hạn (30 ngày)"
            case .quiet: "Im lặng 30 ngày"
            case .awaitingReview: "Chờ xác nhận"
            case .recurring: "Thường xuyên chưa báo cáo kỳ này"
            }
        }

        var explanation: String {
            switch self {
            case .overdue: "Nhiệm vụ chưa hoàn thành đã quá hạn hiện hành, quá hạn lâu nhất trước."
            case .dueSoon: "Nhiệm vụ chưa hoàn thành đến hạn trong 30 ngày tới, gần hạn nhất trước."
            case .quiet: "Nhiệm vụ chưa hoàn thành mà đơn vị chủ trì không gửi báo cáo nào trong 30 ngày, im lặng lâu nhất trước."
            case .awaitingReview: "Đơn vị đã báo cáo hoàn thành, cơ quan theo dõi chưa xác nhận; chờ lâu nhất trước."
            case .recurring: "Nhiệm vụ thường xuyên chưa có báo cáo trong kỳ báo cáo hiện tại."
            }
        }

        var dateHeading: String {
            switch self {
            case .overdue, .dueSoon: "Hạn hiện hành"
            case .quiet, .awaitingReview, .recurring: "Báo cáo gần nhất"
            }
        }

        var daysHeading: String {
            switch self {
            case .overdue: "Số ngày quá hạn"
            case .dueSoon: "Còn (ngày)"
            case .quiet: "Số ngày im lặng"
            case .awaitingReview: "Đã chờ (ngày)"
            case .recurring: "Từ báo cáo gần nhất (ngày)"
            }
        }

        func entries(_ monitoring: Monitoring) -> [Monitoring.Entry] {
            switch self {
            case .overdue: monitoring.overdue
            case .dueSoon: monitoring.dueSoon
            case .quiet: monitoring.quiet
            case .awaitingReview: monitoring.awaitingReview
            case .recurring: monitoring.recurringUnreported
            }
        }
    }

    // MARK: Reading a plan and a date

    private func load(
        _ request: Request, _ context: AppRequestContext
    ) async throws -> (
        PlanSnapshot, LocalDate, explicit: Bool, QueryParameters
    ) {
        _ = try context.signedIn()
        let slug = try context.parameters.require("plan")
        let parameters = QueryParameters(request.uri.query)
        let asOf = try parameters.asOf(default: dependencies.today())
        guard let snapshot = try await dependencies.views.snapshots.snapshot(slug: slug, asOf: asOf) else {
            throw PageController.noPlan(slug)
        }
        return (snapshot, asOf, parameters["asOf"] != nil, parameters)
    }

    /// The plan page filtered to the rows behind a number, as of the date.
    static func rows(_ slug: String, _ asOf: LocalDate, _ filters: [(String, String)]) -> String {
        SiteRoute.plan(slug: slug, query: [("asOf", asOf.iso)] + filters).href
    }

    // MARK: Dashboard

    /// The cached page for this plan version, date and query, or a new one rendered and kept.
    /// Shows the JSON links: those who load catalogues use them.
    static func technical(_ context: AppRequestContext) -> Bool {
        context.identity?.may(.importCatalogue) ?? false
    }

    private func cached(
        _ kind: String, _ snapshot: PlanSnapshot, _ asOf: LocalDate, _ request: Request, _ context: AppRequestContext,
        render: () async throws -> String
    ) async throws -> Response {
        // The JSON link is for those who load catalogues; the page is kept once per kind of reader.
        let key =
            "\(kind)|\(snapshot.plan.slug)|\(snapshot.plan.revision).\(snapshot.activity)|\(asOf.iso)|\(Self.technical(context))|\(request.uri.query ?? "")"
        if let html = await cache.html(for: key) { return PageController.page(html, context, renderer: renderer) }
        let html = try await render()
        await cache.store(html, for: key)
        return PageController.page(html, context, renderer: renderer)
    }

    func dashboard(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (snapshot, asOf, explicit, _) = try await load(request, context)
        return try await cached("dashboard", snapshot, asOf, request, context) {
            try await dashboardHTML(snapshot, asOf: asOf, explicit: explicit, technical: Self.technical(context))
        }
    }

    private func dashboardHTML(
        _ snapshot: PlanSnapshot, asOf: LocalDate, explicit: Bool, technical: Bool
    ) async throws -> String {
        let slug = snapshot.plan.slug
        let dashboard = await dependencies.views.snapshots.dashboard(of: snapshot, asOf: asOf)
        let monitoring = await dependencies.views.snapshots.monitoring(of: snapshot, asOf: asOf)
        let top = [("level", "top")]
        let timelinessCards = Timeliness.allCases.map { timeliness in
            CountCard(
                label: timeliness.vietnamese, count: dashboard.overall.timeliness[timeliness] ?? 0, code: timeliness.rawValue,
                href: Self.rows(slug, asOf, top + [("timeliness", timeliness.rawValue)]))
        }
        let stageCards = Stage.allCases.map { stage in
            CountCard(
                label: stage.vietnamese, count: dashboard.overall.stage[stage] ?? 0, code: stage.rawValue,
                href: Self.rows(slug, asOf, top + [("stage", stage.rawValue)]))
        }
        let headers = Self.timelinessSeries.map(\.1.name) + ["Tổng"]
        func countRow(_ counts: Dashboard.Counts, filters: [(String, String)], label: String) -> CountRow {
            CountRow(
                label: label, href: Self.rows(slug, asOf, top + filters),
                cells: Self.timelinessSeries.map { timeliness, _ in
                    LinkedCount(
                        counts.timeliness[timeliness] ?? 0,
                        href: Self.rows(slug, asOf, top + filters + [("timeliness", timeliness.rawValue)]))
                } + [LinkedCount(counts.total, href: Self.rows(slug, asOf, top + filters))])
        }
        let partRows = dashboard.parts.map { countRow($0, filters: [("part", $0.key)], label: "\($0.key). \($0.title)") }
        let partChart = Charts.stackedBars(
            id: "parts", title: "Tình trạng các nhiệm vụ theo phần, tính đến ngày \(asOf.vietnameseShort)",
            categories: dashboard.parts.map { counts in
                (
                    label: "Phần \(counts.key) (\(counts.total))",
                    values: Self.timelinessSeries.map { timeliness, _ in
                        ChartValue(
                            counts.timeliness[timeliness] ?? 0,
                            href: Self.rows(slug, asOf, top + [("part", counts.key), ("timeliness", timeliness.rawValue)]))
                    }
                )
            }, series: Self.timelinessSeries.map(\.1))
        let groupRows = dashboard.groups.map { counts -> CountRow in
            let pieces = counts.key.split(separator: ".").map(String.init)
            var filters: [(String, String)] = []
            if pieces.count == 2 {
                filters = [("part", pieces[0]), ("group", pieces[1])]
            } else {
                filters = [("group", counts.key)]
            }
            return countRow(counts, filters: filters, label: "\(counts.key) \(counts.title)")
        }
        let monthSeries = [
            ChartSeries(name: "Đến hạn trong tháng", cssClass: "c-due", pattern: "solid"),
            ChartSeries(name: "Hoàn thành trong tháng", cssClass: "c-ok", pattern: "hatch"),
        ]
        func monthLabel(_ month: Monitoring.Month) -> String {
            "T\(month.month)/\(String(month.year).suffix(2))"
        }
        let monthChart = Charts.groupedBars(
            id: "months", title: "Số nhiệm vụ đến hạn và hoàn thành theo tháng",
            periods: monitoring.months.map { month in
                (
                    label: monthLabel(month),
                    values: [
                        ChartValue(month.due, href: Self.rows(slug, asOf, top + [("month", month.key)])),
                        ChartValue(month.completed, href: Self.rows(slug, asOf, top + [("completed", month.key)])),
                    ]
                )
            }, series: monthSeries)
        let monthRows = monitoring.months.map { month in
            CountRow(
                label: "Tháng \(month.month)/\(month.year)", href: "",
                cells: [
                    LinkedCount(month.due, href: Self.rows(slug, asOf, top + [("month", month.key)])),
                    LinkedCount(month.completed, href: Self.rows(slug, asOf, top + [("completed", month.key)])),
                ])
        }
        let progressSeries = [
            ChartSeries(name: "Đã đến hạn (cộng dồn)", cssClass: "c-due", pattern: "solid"),
            ChartSeries(name: "Đã hoàn thành (cộng dồn)", cssClass: "c-ok", pattern: "solid"),
        ]
        let progressChart = Charts.lines(
            id: "progress", title: "Số nhiệm vụ đã đến hạn và đã hoàn thành, cộng dồn đến cuối mỗi tháng",
            points: monitoring.progress.map { point in
                (label: "T\(point.date.month)/\(String(point.date.year).suffix(2))", values: [point.dueBy, point.doneBy])
            }, series: progressSeries)
        let progressRows = monitoring.progress.map { point in
            CountRow(
                label: point.date.vietnameseShort, href: "",
                cells: [LinkedCount(text: String(point.dueBy)), LinkedCount(text: String(point.doneBy))])
        }
        let lists = ListKind.allCases.map { kind in
            ListLink(
                label: kind.label, count: kind.entries(monitoring).count,
                href: SiteRoute.actionList(slug: slug, list: kind.rawValue, asOf: explicit ? asOf : nil).href,
                hint: kind == .quiet || kind == .recurring || kind == .dueSoon ? "" : "mọi dòng, kể cả nhiệm vụ con")
        }
        let page = DashboardPage(
            layout: Layout(
                title: "Bảng điều khiển \(snapshot.plan.number)", section: "dashboard", planSlug: slug,
                planNumber: snapshot.plan.number, dateQuery: explicit ? "?asOf=\(asOf.iso)" : ""),
            planNumber: snapshot.plan.number, planTitle: snapshot.plan.title ?? "", asOfISO: asOf.iso,
            asOfText: asOf.vietnameseShort, sentence: dashboard.summary.sentence, timelinessCards: timelinessCards,
            stageCards: stageCards, partChart: partChart, partHeaders: headers, partRows: partRows, monthChart: monthChart,
            monthRows: monthRows, progressChart: progressChart, progressRows: progressRows, groupHeaders: headers,
            groupRows: groupRows, lists: lists,
            scorecardHref: SiteRoute.scorecard(slug: slug, query: explicit ? [("asOf", asOf.iso)] : []).href,
            changesHref: SiteRoute.changes(
                slug: slug,
                query: [
                    ("from", LocalDate(daysSinceEpoch: asOf.daysSinceEpoch - 30).iso), ("to", asOf.iso),
                ]
            ).href,
            apiHref: technical ? SiteRoute.apiDashboard(slug: slug).href + "?asOf=\(asOf.iso)" : nil)
        return renderer.render(page)
    }

    // MARK: Scorecard

    /// The scorecard's columns: key, heading, value, link filters.
    static let scoreColumns: [(key: String, label: String)] = [
        ("name", "Đơn vị chủ trì"), ("assigned", "Được giao"), ("due", "Đã đến hạn"), ("onTime", "Đúng hạn"),
        ("late", "Quá hạn (đã xong)"), ("overdue", "Đang quá hạn"), ("rate", "Tỷ lệ đúng hạn"), ("awaiting", "Chờ xác nhận"),
        ("returned", "Báo cáo bị trả lại"), ("lateReports", "Báo cáo gửi trễ"), ("silence", "Số ngày từ báo cáo gần nhất"),
    ]

    static func sortValue(_ score: Monitoring.AgencyScore, _ key: String) -> Int {
        switch key {
        case "assigned": score.assigned
        case "due": score.due
        case "onTime": score.doneOnTime
        case "late": score.doneLate
        case "rate": score.onTimeRate ?? -1
        case "awaiting": score.awaitingReview
        case "returned": score.returnedReports
        case "lateReports": score.lateReports
        case "silence": score.daysSinceLastReport ?? Int.max
        default: score.overdue
        }
    }

    func scorecard(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (snapshot, asOf, explicit, parameters) = try await load(request, context)
        return try await cached("scorecard", snapshot, asOf, request, context) {
            try await scorecardHTML(
                snapshot, asOf: asOf, explicit: explicit, parameters: parameters, technical: Self.technical(context))
        }
    }

    private func scorecardHTML(
        _ snapshot: PlanSnapshot, asOf: LocalDate, explicit: Bool, parameters: QueryParameters, technical: Bool
    ) async throws -> String {
        let slug = snapshot.plan.slug
        let monitoring = await dependencies.views.snapshots.monitoring(of: snapshot, asOf: asOf)
        let (sortKey, descending) = try Self.sort(parameters)
        let ranked = Self.sorted(monitoring.scorecard, key: sortKey, descending: descending)
        let dateItems: [(String, String)] = explicit ? [("asOf", asOf.iso)] : []
        let headers = Self.scoreColumns.map { column in
            let current = column.key == sortKey
            let nextDescending = current ? !descending : column.key != "name"
            return SortHeader(
                label: column.label,
                href: SiteRoute.scorecard(
                    slug: slug, query: dateItems + [("sort", column.key), ("dir", nextDescending ? "desc" : "asc")]
                )
                .href,
                arrow: descending ? "▼" : "▲", current: current, numeric: column.key != "name",
                ariaSort: descending ? "descending" : "ascending")
        }
        let rows = ranked.enumerated().map { index, score in
            let agency: [(String, String)] = score.agencyID.map { [("agency", String($0.rawValue)), ("role", "lead")] } ?? []
            let top = agency + [("level", "top")]
            func link(_ value: Int, _ filters: [(String, String)]) -> LinkedCount {
                LinkedCount(value, href: agency.isEmpty ? nil : Self.rows(slug, asOf, top + filters))
            }
            let agencyHref = score.agencyID.map { SiteRoute.agency(id: $0, slug: slug, asOf: explicit ? asOf : nil).href } ?? ""
            return ScoreRow(
                rank: index + 1, name: score.name, href: agencyHref,
                cells: [
                    link(score.assigned, []), link(score.due, [("due", "passed")]),
                    link(score.doneOnTime, [("timeliness", "done-on-time")]),
                    link(score.doneLate, [("timeliness", "done-late")]),
                    link(score.overdue, [("timeliness", "open-overdue")]),
                    LinkedCount(text: score.onTimeRate.map { "\($0)%" } ?? "—"),
                    link(score.awaitingReview, [("stage", "awaiting-review")]),
                    LinkedCount(text: String(score.returnedReports)), LinkedCount(text: String(score.lateReports)),
                    LinkedCount(text: score.daysSinceLastReport.map(String.init) ?? "chưa báo cáo"),
                ], behind: score.overdue > 0)
        }
        let page = ScorecardPage(
            layout: Layout(
                title: "Xếp hạng đơn vị \(snapshot.plan.number)", section: "dashboard", planSlug: slug,
                planNumber: snapshot.plan.number, dateQuery: explicit ? "?asOf=\(asOf.iso)" : ""),
            planNumber: snapshot.plan.number, asOfISO: asOf.iso, asOfText: asOf.vietnameseShort, sortKey: sortKey,
            direction: descending ? "desc" : "asc", headers: headers, rows: rows,
            note:
                "\(Self.rankingNote(sortKey, descending: descending)) Số nhiệm vụ tính theo nhiệm vụ cấp trên (nhiệm vụ con gộp vào nhiệm vụ cha); báo cáo tính trên mọi dòng đơn vị chủ trì. Bấm tiêu đề cột để sắp xếp; dòng tô đậm là đơn vị đang có nhiệm vụ quá hạn.",
            apiHref: technical ? SiteRoute.apiScorecard(slug: slug).href + "?asOf=\(asOf.iso)" : nil,
            xlsxHref: "/plans/\(escape(slug))/scorecard.xlsx"
                + SiteRoute.queryString([("asOf", asOf.iso), ("sort", sortKey), ("dir", descending ? "desc" : "asc")]),
            csvHref: "/plans/\(escape(slug))/scorecard.csv"
                + SiteRoute.queryString([("asOf", asOf.iso), ("sort", sortKey), ("dir", descending ? "desc" : "asc")]))
        return renderer.render(page)
    }

    /// What the first place means under this order: the most overdue is not the best.
    static func rankingNote(_ key: String, descending: Bool) -> String {
        let label = scoreColumns.first { $0.key == key }?.label ?? key
        let order = descending ? "từ cao xuống thấp" : "từ thấp lên cao"
        let first: String
        switch (key, descending) {
        case ("overdue", true), ("late", true), ("returned", true), ("lateReports", true), ("silence", true),
            ("rate", false), ("onTime", false):
            first = "đơn vị đứng đầu là đơn vị chậm nhất theo cột này, không phải đơn vị làm tốt nhất"
        case ("rate", true), ("onTime", true), ("overdue", false):
            first = "đơn vị đứng đầu là đơn vị làm tốt nhất theo cột này"
        case ("name", _):
            return "Thứ tự theo tên đơn vị (không phải xếp hạng)."
        default:
            first = "thứ tự chỉ so số lượng, không đánh giá tốt hay chậm"
        }
        return "Thứ tự theo cột “\(label)”, \(order): \(first)."
    }

    static func sort(_ parameters: QueryParameters) throws -> (String, Bool) {
        let key = parameters["sort"] ?? "overdue"
        guard scoreColumns.contains(where: { $0.key == key }) || key == "overdue" else {
            throw WebError.badRequest(
                "Không sắp xếp được theo “\(key)”.",
                api: "sort must be one of \(scoreColumns.map(\.key).joined(separator: ", ")) (got \"\(key)\")")
        }
        let direction = parameters["dir"] ?? (key == "name" ? "asc" : "desc")
        guard direction == "asc" || direction == "desc" else {
            throw WebError.badRequest("Chiều sắp xếp phải là asc hoặc desc.", api: "dir must be asc or desc")
        }
        return (key, direction == "desc")
    }

    static func sorted(_ scores: [Monitoring.AgencyScore], key: String, descending: Bool) -> [Monitoring.AgencyScore] {
        scores.sorted { left, right in
            if key == "name" {
                let order = VietnameseText.folded(left.name) < VietnameseText.folded(right.name)
                return descending ? !order : order
            }
            let a = sortValue(left, key)
            let b = sortValue(right, key)
            if a != b { return descending ? a > b : a < b }
            if left.overdue != right.overdue { return left.overdue > right.overdue }
            return VietnameseText.folded(left.name) < VietnameseText.folded(right.name)
        }
    }

    // MARK: Action lists and changes

    func actionList(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (snapshot, asOf, explicit, parameters) = try await load(request, context)
        let raw = try context.parameters.require("list")
        return try await cached("list-" + raw, snapshot, asOf, request, context) {
            try await actionListHTML(
                snapshot, asOf: asOf, explicit: explicit, parameters: parameters, raw: raw,
                technical: Self.technical(context))
        }
    }

    private func actionListHTML(
        _ snapshot: PlanSnapshot, asOf: LocalDate, explicit: Bool, parameters: QueryParameters, raw: String,
        technical: Bool
    ) async throws -> String {
        let slug = snapshot.plan.slug
        let perPage = 200
        let page = try parameters.page()
        guard let kind = ListKind(rawValue: raw) else {
            throw WebError.notFound(
                "Không có danh sách “\(raw)”.",
                api: "list must be one of \(ListKind.allCases.map(\.rawValue).joined(separator: ", ")) (got \"\(raw)\")")
        }
        let monitoring = await dependencies.views.snapshots.monitoring(of: snapshot, asOf: asOf)
        let statuses = await dependencies.views.snapshots.statuses(of: snapshot, asOf: asOf)
        let all = kind.entries(monitoring)
        let start = min(all.count, RequestNumber.offset(page: page, perPage: perPage))
        let rows = all[start..<min(all.count, start + perPage)].map { entry in
            Self.actionRow(
                snapshot, statuses, entry.position, slug: slug, asOf: explicit ? asOf : nil,
                dateText: entry.date?.vietnameseShort ?? "chưa có", daysText: entry.days.map(String.init) ?? "—")
        }
        let tabs = ListKind.allCases.map { other in
            ListTab(
                label: other.label,
                href: SiteRoute.actionList(slug: slug, list: other.rawValue, asOf: explicit ? asOf : nil).href,
                count: other.entries(monitoring).count, current: other == kind)
        }
        func listHref(_ number: Int) -> String {
            "/plans/\(escape(slug))/lists/\(kind.rawValue)"
                + SiteRoute.queryString((explicit ? [("asOf", asOf.iso)] : []) + [("page", String(number))])
        }
        let listPage = ActionListPage(
            layout: Layout(
                title: kind.label, section: "dashboard", planSlug: slug, planNumber: snapshot.plan.number,
                dateQuery: explicit ? "?asOf=\(asOf.iso)" : ""),
            planNumber: snapshot.plan.number, asOfISO: asOf.iso, asOfText: asOf.vietnameseShort, heading: kind.label,
            explanation: kind.explanation, dateHeading: kind.dateHeading, daysHeading: kind.daysHeading, tabs: tabs, rows: rows,
            apiHref: technical ? SiteRoute.apiList(slug: slug, list: kind.rawValue).href + "?asOf=\(asOf.iso)" : nil,
            pagination: Pagination(
                text: "Dòng \(all.isEmpty ? 0 : start + 1)–\(start + rows.count) trên \(all.count)",
                previous: page > 1 ? listHref(page - 1) : nil,
                next: start + perPage < all.count ? listHref(page + 1) : nil),
            xlsxHref: "/plans/\(escape(slug))/lists/\(kind.rawValue).xlsx?asOf=\(asOf.iso)",
            csvHref: "/plans/\(escape(slug))/lists/\(kind.rawValue).csv?asOf=\(asOf.iso)")
        return renderer.render(listPage)
    }

    static func actionRow(
        _ snapshot: PlanSnapshot, _ statuses: [AssignmentStatus], _ position: Int, slug: String, asOf: LocalDate?,
        dateText: String, daysText: String
    ) -> ActionRow {
        let assignment = snapshot.assignments[position]
        return ActionRow(
            code: assignment.code, title: assignment.title,
            href: SiteRoute.assignment(slug: slug, code: assignment.code, asOf: asOf).href,
            lead: assignment.lead.map(\.name).joined(separator: "; "), dateText: dateText, daysText: daysText,
            status: Models.badge(statuses[position]))
    }

    func changes(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (snapshot, today, _, parameters) = try await load(request, context)
        let (from, to) = try Self.period(parameters, today: today)
        let slug = snapshot.plan.slug
        let changes = await dependencies.views.snapshots.changes(of: snapshot, from: from, to: to)
        let statuses = await dependencies.views.snapshots.statuses(of: snapshot, asOf: to)
        func row(_ position: Int, _ date: String) -> ActionRow {
            Self.actionRow(snapshot, statuses, position, slug: slug, asOf: to, dateText: date, daysText: "")
        }
        let sections = [
            ChangeSection(
                heading: "Mới hoàn thành", dateHeading: "Ngày hoàn thành",
                rows: changes.completed.map { row($0, statuses[$0].completedOn?.vietnameseShort ?? "") }),
            ChangeSection(
                heading: "Mới quá hạn", dateHeading: "Hạn hiện hành",
                rows: changes.newlyOverdue.map { row($0, statuses[$0].effectiveDue?.vietnameseShort ?? "") }),
            ChangeSection(
                heading: "Được gia hạn", dateHeading: "Ngày quyết định → hạn mới",
                rows: changes.extensionsGranted.map {
                    row($0.position, "\($0.decidedOn.vietnameseShort) → \($0.newDue.vietnameseShort)")
                }),
            ChangeSection(
                heading: "Báo cáo bị trả lại", dateHeading: "Ngày trả lại",
                rows: changes.returned.map { row($0.position, $0.decidedOn.vietnameseShort) }),
        ]
        let page = ChangesPage(
            layout: Layout(title: "Những gì thay đổi", section: "dashboard", planSlug: slug, planNumber: snapshot.plan.number),
            planNumber: snapshot.plan.number, fromISO: from.iso, toISO: to.iso, fromText: from.vietnameseShort,
            toText: to.vietnameseShort, sections: sections,
            apiHref: Self.technical(context) ? SiteRoute.apiChanges(slug: slug).href + "?from=\(from.iso)&to=\(to.iso)" : nil)
        return PageController.page(renderer.render(page), context, renderer: renderer)
    }

    static func period(_ parameters: QueryParameters, today: LocalDate) throws -> (LocalDate, LocalDate) {
        func date(_ name: String, _ fallback: LocalDate) throws -> LocalDate {
            guard let text = parameters[name], !text.isEmpty else { return fallback }
            guard let value = LocalDate(iso: text) ?? LocalDate(vietnamese: text) else {
                throw WebError.badRequest(
                    "Ngày “\(text)” không hợp lệ (dd/MM/yyyy).", api: "\(name) must be a date YYYY-MM-DD (got \"\(text)\")")
            }
            return value
        }
        let to = try date("to", today)
        // Not before 0001-01-01: a default start in year 0000 would be a date no parameter takes back.
        let earliest = LocalDate(year: 1, month: 1, day: 1) ?? to
        let from = try date("from", max(LocalDate(daysSinceEpoch: to.daysSinceEpoch - 30), earliest))
        // Two dates given in the other order still name one period: the earlier is its start.
        return (min(from, to), max(from, to))
    }

    // MARK: API

    func apiScorecard(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (snapshot, asOf, _, parameters) = try await load(request, context)
        let monitoring = await dependencies.views.snapshots.monitoring(of: snapshot, asOf: asOf)
        let (key, descending) = try Self.sort(parameters)
        return Responses.json(
            .object([
                ("plan", .string(snapshot.plan.slug)), ("asOf", .string(asOf.iso)),
                (
                    "items",
                    .array(
                        Self.sorted(monitoring.scorecard, key: key, descending: descending).map { score in
                            .object([
                                ("agency", score.agencyID.map { .int($0.rawValue) } ?? .null), ("name", .string(score.name)),
                                ("assigned", .int(score.assigned)), ("due", .int(score.due)),
                                ("doneOnTime", .int(score.doneOnTime)), ("doneLate", .int(score.doneLate)),
                                ("overdue", .int(score.overdue)), ("onTimeRate", score.onTimeRate.map { .int($0) } ?? .null),
                                ("awaitingReview", .int(score.awaitingReview)), ("returnedReports", .int(score.returnedReports)),
                                ("lateReports", .int(score.lateReports)), ("lastReport", .string(score.lastReport?.iso)),
                                ("daysSinceLastReport", score.daysSinceLastReport.map { .int($0) } ?? .null),
                            ])
                        })
                ),
            ]))
    }

    func apiList(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (snapshot, asOf, _, _) = try await load(request, context)
        let raw = try context.parameters.require("list")
        guard let kind = ListKind(rawValue: raw) else {
            throw WebError.notFound(
                "Không có danh sách “\(raw)”.",
                api: "list must be one of \(ListKind.allCases.map(\.rawValue).joined(separator: ", ")) (got \"\(raw)\")")
        }
        let monitoring = await dependencies.views.snapshots.monitoring(of: snapshot, asOf: asOf)
        let statuses = await dependencies.views.snapshots.statuses(of: snapshot, asOf: asOf)
        let items = kind.entries(monitoring).map { entry -> JSONValue in
            var fields = AssignmentJSON.fields(
                PlanRow(assignment: snapshot.assignments[entry.position], status: statuses[entry.position]))
            fields.append(("listDate", .string(entry.date?.iso)))
            fields.append(("days", entry.days.map { .int($0) } ?? .null))
            return .object(fields)
        }
        return Responses.json(
            .object([
                ("plan", .string(snapshot.plan.slug)), ("list", .string(kind.rawValue)), ("asOf", .string(asOf.iso)),
                ("total", .int(items.count)), ("items", .array(items)),
            ]))
    }

    func apiChanges(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (snapshot, today, _, parameters) = try await load(request, context)
        let (from, to) = try Self.period(parameters, today: today)
        let changes = await dependencies.views.snapshots.changes(of: snapshot, from: from, to: to)
        let codes = { (positions: [Int]) -> JSONValue in .array(positions.map { .string(snapshot.assignments[$0].code) }) }
        return Responses.json(
            .object([
                ("plan", .string(snapshot.plan.slug)), ("from", .string(from.iso)), ("to", .string(to.iso)),
                ("completed", codes(changes.completed)), ("newlyOverdue", codes(changes.newlyOverdue)),
                (
                    "extensionsGranted",
                    .array(
                        changes.extensionsGranted.map {
                            .object([
                                ("code", .string(snapshot.assignments[$0.position].code)),
                                ("decidedOn", .string($0.decidedOn.iso)), ("newDue", .string($0.newDue.iso)),
                            ])
                        })
                ),
                (
                    "returned",
                    .array(
                        changes.returned.map {
                            .object([
                                ("code", .string(snapshot.assignments[$0.position].code)),
                                ("decidedOn", .string($0.decidedOn.iso)),
                            ])
                        })
                ),
            ]))
    }

    /// The dashboard's JSON: the counts of before, plus the timeline, progress and the lists' sizes.
    static func dashboardJSON(_ dashboard: Dashboard, _ monitoring: Monitoring) -> JSONValue {
        guard case .object(var fields) = DashboardDTO.json(dashboard) else { return DashboardDTO.json(dashboard) }
        fields.append(
            (
                "months",
                .array(
                    monitoring.months.map {
                        .object([("month", .string($0.key)), ("due", .int($0.due)), ("completed", .int($0.completed))])
                    })
            ))
        fields.append(
            (
                "progress",
                .array(
                    monitoring.progress.map {
                        .object([("date", .string($0.date.iso)), ("dueBy", .int($0.dueBy)), ("doneBy", .int($0.doneBy))])
                    })
            ))
        fields.append(
            ("lists", .object(ListKind.allCases.map { ($0.rawValue, JSONValue.int($0.entries(monitoring).count)) })))
        return .object(fields)
    }
}
