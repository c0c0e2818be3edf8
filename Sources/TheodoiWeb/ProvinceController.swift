import Foundation
import Hummingbird
import TheodoiCore
import TheodoiForms
import TheodoiOperations
import TheodoiStore
import TheodoiViews

/// Toàn tỉnh (issue 19): every plan as of a date and the agencies behind across them.
/// `GET /province?asOf=&year=` and `GET /api/v1/province?asOf=&year=`.
struct ProvinceController: Sendable {
    let dependencies: WebDependencies
    var renderer: PageRenderer { dependencies.renderer }

    /// The picture a query asks for. The page's year select sends `year=` for every year; the API
    /// takes no year or a number, and answers 400 to an empty one as to any other that is not.
    func picture(_ parameters: QueryParameters, api: Bool = false) async throws -> (ProvincePicture, year: Int?) {
        let asOf = try parameters.asOf(default: dependencies.today())
        var year: Int?
        if let text = api ? parameters.raw("year") : parameters["year"] {
            guard let value = RequestNumber.parse(text, in: 1945...2200) else {
                throw WebError.badRequest(
                    "Năm “\(text)” không hợp lệ (từ 1945 đến 2200).",
                    api: "year must be an integer from 1945 to 2200 (got \"\(text)\")")
            }
            year = value
        }
        var inputs: [ProvincePicture.Input] = []
        for plan in try await dependencies.store.plans() where !plan.isDemo && plan.stage == .active {
            guard let snapshot = try await dependencies.views.snapshots.snapshot(slug: plan.slug, asOf: asOf) else { continue }
            inputs.append(
                ProvincePicture.Input(
                    dashboard: await dependencies.views.snapshots.dashboard(of: snapshot, asOf: asOf),
                    monitoring: await dependencies.views.snapshots.monitoring(of: snapshot, asOf: asOf)))
        }
        return (ProvincePicture.make(inputs, asOf: asOf, year: year), year)
    }

    func page(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let parameters = QueryParameters(request.uri.query)
        let (picture, year) = try await picture(parameters)
        let asOf = picture.asOf
        let chart =
            picture.plans.isEmpty
            ? ""
            : Charts.stackedBars(
                id: "province", title: "Nhiệm vụ theo tình trạng, từng kế hoạch, tính đến ngày \(asOf.vietnameseShort)",
                categories: picture.plans.map { entry in
                    (
                        label: "\(entry.plan.number) (\(entry.summary.total))",
                        values: MonitoringController.timelinessSeries.map { timeliness, _ in
                            ChartValue(
                                entry.summary.count(timeliness),
                                href: MonitoringController.rows(entry.plan.slug, asOf, [("timeliness", timeliness.rawValue)]))
                        }
                    )
                }, series: MonitoringController.timelinessSeries.map(\.1))
        var query: [(String, String)] = [("asOf", asOf.iso)]
        if let year { query.append(("year", String(year))) }
        let page = ProvincePage(
            layout: Layout(title: "Toàn tỉnh", section: "province"), asOfText: asOf.vietnameseShort,
            yearOptions: [Option(value: "", label: "Mọi năm", selected: year == nil)]
                + picture.years.map { Option(value: String($0), label: String($0), selected: $0 == year) },
            plans: picture.plans.map { entry in
                let slug = entry.plan.slug
                return ProvincePlanRow(
                    number: entry.plan.number, title: entry.plan.title.flatMap { $0.isEmpty ? nil : $0 },
                    issuer: entry.plan.issuer.flatMap { $0.isEmpty ? nil : $0 }, dateText: entry.plan.date?.vietnameseShort,
                    href: SiteRoute.plan(slug: slug).href,
                    sentence: entry.summary.sentence, total: entry.summary.total, done: entry.summary.done,
                    overdue: entry.summary.count(.openOverdue),
                    overdueHref: SiteRoute.actionList(slug: slug, list: "overdue", asOf: asOf).href,
                    awaitingReview: entry.awaitingReview, reviewHref: "/plans/\(escape(slug))/review")
            }, chart: chart,
            behind: picture.behind.map { agency in
                ProvinceAgencyRow(
                    name: agency.name, overdue: agency.overdue,
                    plans: agency.plans.map { plan, overdue in
                        ProvinceAgencyPlan(
                            number: plan.number, overdue: overdue,
                            href: agency.id.map {
                                "/agencies/\($0.rawValue)" + SiteRoute.queryString([("plan", plan.slug), ("asOf", asOf.iso)])
                            } ?? SiteRoute.actionList(slug: plan.slug, list: "overdue", asOf: asOf).href)
                    })
            }, apiHref: "/api/v1/province" + SiteRoute.queryString(query))
        return PageController.page(renderer.render(page), context, renderer: renderer)
    }

    func api(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let (picture, year) = try await picture(QueryParameters(request.uri.query), api: true)
        return Responses.json(
            .object([
                ("asOf", .string(picture.asOf.iso)), ("year", .int(year)), ("years", .array(picture.years.map { .int($0) })),
                (
                    "plans",
                    .array(
                        picture.plans.map { entry in
                            .object([
                                ("id", .string(entry.plan.slug)), ("number", .string(entry.plan.number)),
                                ("title", .string(entry.plan.title)), ("issuer", .string(entry.plan.issuer)),
                                ("date", .string(entry.plan.date?.iso)), ("sentence", .string(entry.summary.sentence)),
                                ("total", .int(entry.summary.total)),
                                (
                                    "counts",
                                    .object(Timeliness.allCases.map { ($0.rawValue, .int(entry.summary.count($0))) })
                                ),
                                ("overdue", .int(entry.summary.count(.openOverdue))),
                                ("awaitingReview", .int(entry.awaitingReview)),
                            ])
                        })
                ),
                (
                    "agenciesBehind",
                    .array(
                        picture.behind.map { agency in
                            .object([
                                ("id", .int(agency.id?.rawValue)), ("name", .string(agency.name)),
                                ("overdue", .int(agency.overdue)),
                                (
                                    "plans",
                                    .array(
                                        agency.plans.map { plan, overdue in
                                            .object([("id", .string(plan.slug)), ("overdue", .int(overdue))])
                                        })
                                ),
                            ])
                        })
                ),
            ]))
    }
}
