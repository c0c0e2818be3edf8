import ArgumentParser
import Foundation
import TheodoiApp
import TheodoiCore
import TheodoiExport
import TheodoiOperations
import TheodoiStore

/// `theodoi export --plan SLUG [--as-of DATE] [--format xlsx|csv] --output FILE`: the plan's rows
/// with their status as of a date, as the web page's "Tải về" gives them.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Xuất danh mục nhiệm vụ kèm tình trạng tại một ngày ra tệp Excel (xlsx) hoặc CSV.")

    @Option(help: "Mã kế hoạch (ví dụ 343-qd-tu; mặc định: kế hoạch thật đầu tiên).") var plan: String?
    @Option(name: .customLong("as-of"), help: "Tính đến ngày (dd/MM/yyyy hoặc yyyy-MM-dd; mặc định hôm nay).") var asOf: String?
    @Option(help: "Định dạng: xlsx hoặc csv.") var format: String = "xlsx"
    @Option(help: "Tệp ghi ra.") var output: String
    @OptionGroup var store: StoreOptions

    func validate() throws {
        var problems: [String] = []
        if format != "xlsx" && format != "csv" { problems.append("--format phải là xlsx hoặc csv.") }
        if let asOf, LocalDate(vietnamese: asOf) == nil && LocalDate(iso: asOf) == nil {
            problems.append("--as-of “\(asOf)” không phải ngày (dd/MM/yyyy).")
        }
        if !problems.isEmpty { throw ValidationError(problems.joined(separator: " ")) }
    }

    func run() async throws {
        let date =
            asOf.flatMap { LocalDate(vietnamese: $0) ?? LocalDate(iso: $0) }
            ?? LocalDate(vietnamAt: Date().timeIntervalSince1970)
        let requested = plan
        let csv = format == "csv"
        let result = try await TheodoiApplication.withStore(try store.configuration()) {
            toolbox -> Result<([UInt8], Int), ExitCode> in
            let plans = try await toolbox.store.plans()
            guard let slug = requested ?? (plans.first { !$0.isDemo } ?? plans.first)?.slug else {
                return .failure(fail("Lỗi: chưa có kế hoạch nào."))
            }
            let views = PlanViews(
                store: toolbox.store, snapshots: PlanSnapshots(store: toolbox.store, progress: toolbox.progress))
            guard let snapshot = try await views.snapshots.snapshot(slug: slug, asOf: date) else {
                return .failure(
                    fail("Lỗi: không có kế hoạch “\(slug)”. Các kế hoạch: \(plans.map(\.slug).joined(separator: ", "))."))
            }
            let view = try await views.view(snapshot, query: PlanQuery(asOf: date, perPage: max(1, snapshot.assignments.count)))
            let table = ExportTables.plan(snapshot, rows: view.rows)
            return .success((csv ? CSVWriter.bytes(table) : try XLSXWriter.bytes(table), view.rows.count))
        }
        switch result {
        case .failure(let code): throw code
        case .success(let (bytes, rows)):
            do {
                try Data(bytes).write(to: URL(fileURLWithPath: output))
            } catch {
                throw fail("Lỗi: không ghi được “\(output)”: \(error.localizedDescription)")
            }
            print("Đã ghi \(rows) dòng, tính đến ngày \(date.vietnameseShort), vào \(output) (\(bytes.count) byte).")
        }
    }
}
