import Foundation
import Hummingbird
import TheodoiCore
import TheodoiExport
import TheodoiOperations
import TheodoiStore

/// Spreadsheets of what the pages show: the filtered catalogue, the scorecard, the action lists,
/// as XLSX and as CSV (UTF-8 with BOM), with the same filters and date as the page.
struct ExportController: Sendable {
    let dependencies: WebDependencies

    enum Format: String {
        case xlsx, csv

        var contentType: String {
            switch self {
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            case .csv: "text/csv; charset=utf-8"
            }
        }
    }

    static func file(_ table: ExportTable, name: String, format: Format) throws -> Response {
        let bytes: [UInt8]
        switch format {
        case .xlsx: bytes = try XLSXWriter.bytes(table)
        case .csv: bytes = CSVWriter.bytes(table)
        }
        return Responses.download(bytes, contentType: format.contentType, fileName: "\(name).\(format.rawValue)")
    }

    /// `GET /plans/{plan}/export.xlsx|csv?<plan filters>`: every row matching, no pages.
    func plan(_ request: Request, _ context: AppRequestContext, format: Format) async throws -> Response {
        _ = try context.signedIn()
        let slug = try context.parameters.require("plan")
        guard let full = try await dependencies.views.snapshots.snapshot(slug: slug) else {
            throw PageController.noPlan(slug)
        }
        let parameters = QueryParameters(request.uri.query)
        var query = try parameters.planQuery(today: dependencies.today(), snapshot: full, perPageDefault: 1000)
        let snapshot = try await dependencies.views.snapshots.snapshot(slug: slug, asOf: query.asOf) ?? full
        query.page = 1
        query.perPage = max(1, snapshot.assignments.count)
        let view: PlanView
        do {
            view = try await dependencies.views.view(snapshot, query: query)
        } catch let error as PlanViews.UnknownFilter {
            // A part or group the plan does not have: the thing named is not there.
            throw WebError.notFound(error.message, api: error.message)
        }
        let table = ExportTables.plan(snapshot, rows: view.rows)
        return try Self.file(table, name: "\(slug)-danh-muc-\(query.asOf.iso)", format: format)
    }

    /// `GET /plans/{plan}/scorecard.xlsx|csv?asOf=&sort=&dir=`.
    func scorecard(_ request: Request, _ context: AppRequestContext, format: Format) async throws -> Response {
        _ = try context.signedIn()
        let slug = try context.parameters.require("plan")
        let parameters = QueryParameters(request.uri.query)
        let asOf = try parameters.asOf(default: dependencies.today())
        guard let snapshot = try await dependencies.views.snapshots.snapshot(slug: slug, asOf: asOf) else {
            throw PageController.noPlan(slug)
        }
        let (key, descending) = try MonitoringController.sort(parameters)
        let monitoring = await dependencies.views.snapshots.monitoring(of: snapshot, asOf: asOf)
        let rows = MonitoringController.sorted(monitoring.scorecard, key: key, descending: descending).enumerated().map {
            index, score -> [ExportTable.Cell] in
            [
                .number(index + 1), .text(score.name), .number(score.assigned), .number(score.due), .number(score.doneOnTime),
                .number(score.doneLate), .number(score.overdue), score.onTimeRate.map { .number($0) } ?? .empty,
                .number(score.awaitingReview), .number(score.returnedReports), .number(score.lateReports),
                score.lastReport.map { .date($0) } ?? .empty, score.daysSinceLastReport.map { .number($0) } ?? .empty,
            ]
        }
        let table = ExportTable(
            title: "Xếp hạng đến \(asOf.vietnameseShort)",
            headers: [
                "Hạng", "Đơn vị chủ trì", "Được giao", "Đã đến hạn", "Đúng hạn", "Quá hạn (đã xong)", "Đang quá hạn",
                "Tỷ lệ đúng hạn (%)", "Chờ xác nhận", "Báo cáo bị trả lại", "Báo cáo gửi trễ", "Báo cáo gần nhất",
                "Số ngày từ báo cáo gần nhất",
            ], rows: rows, widths: [6, 40, 10, 10, 10, 12, 12, 12, 12, 12, 12, 14, 14])
        return try Self.file(table, name: "\(slug)-xep-hang-\(asOf.iso)", format: format)
    }

    /// `GET /plans/{plan}/lists/{list}.xlsx|csv?asOf=`.
    func list(
        _ request: Request, _ context: AppRequestContext, kind: MonitoringController.ListKind, format: Format
    ) async throws -> Response {
        _ = try context.signedIn()
        let slug = try context.parameters.require("plan")
        let asOf = try QueryParameters(request.uri.query).asOf(default: dependencies.today())
        guard let snapshot = try await dependencies.views.snapshots.snapshot(slug: slug, asOf: asOf) else {
            throw PageController.noPlan(slug)
        }
        let monitoring = await dependencies.views.snapshots.monitoring(of: snapshot, asOf: asOf)
        let statuses = await dependencies.views.snapshots.statuses(of: snapshot, asOf: asOf)
        let rows = kind.entries(monitoring).map { entry -> [ExportTable.Cell] in
            ExportTables.row(snapshot.assignments[entry.position], statuses[entry.position])
                + [entry.date.map { .date($0) } ?? .empty, entry.days.map { .number($0) } ?? .empty]
        }
        let table = ExportTable(
            title: kind.label, headers: ExportTables.rowHeaders + [kind.dateHeading, kind.daysHeading], rows: rows,
            widths: ExportTables.rowWidths + [14, 12])
        return try Self.file(table, name: "\(slug)-\(kind.rawValue)-\(asOf.iso)", format: format)
    }
}
