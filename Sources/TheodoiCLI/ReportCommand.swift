import ArgumentParser
import Foundation
import TheodoiApp
import TheodoiCore
import TheodoiExport
import TheodoiOperations
import TheodoiStore

/// `theodoi report --plan SLUG [--period KEY] [--as-of DATE] [--scope all|part:A|agency:ID]
/// [--number N] [--format docx|xlsx|pdf|txt] --output FILE`: the periodic report the web page gives.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Lập báo cáo định kỳ (Word .docx, phụ lục Excel .xlsx, PDF hoặc văn bản thuần) cho một kỳ và phạm vi.")

    @Option(help: "Mã kế hoạch (ví dụ 343-qd-tu; mặc định: kế hoạch thật đầu tiên).") var plan: String?
    @Option(
        help: "Kỳ báo cáo: quarter-2025-4, month-2025-10, six-months-2026, nine-months-2026, year-2026; bỏ trống: không theo kỳ.")
    var period: String = ""
    @Option(name: .customLong("as-of"), help: "Tính đến ngày (dd/MM/yyyy; mặc định cuối kỳ hoặc hôm nay).") var asOf: String = ""
    @Option(help: "Phạm vi: all, part:A hoặc agency:ID.") var scope: String = "all"
    @Option(help: "Số văn bản (để trống để ghi tay).") var number: String = ""
    @Option(help: "Định dạng: docx, xlsx (phụ lục), pdf (cần LibreOffice) hoặc txt.") var format: String = "docx"
    @Option(help: "Tệp ghi ra.") var output: String
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard ["docx", "xlsx", "pdf", "txt"].contains(format) else {
            throw ValidationError("--format phải là docx, xlsx, pdf hoặc txt.")
        }
    }

    func run() async throws {
        let form = PeriodicReportForm(period: period, asOf: asOf, scope: scope, number: number)
        let requested = plan
        let format = format
        let result = try await TheodoiApplication.withStore(try store.configuration()) {
            toolbox -> Result<([UInt8], String), ExitCode> in
            let plans = try await toolbox.store.plans()
            guard let slug = requested ?? (plans.first { !$0.isDemo } ?? plans.first)?.slug else {
                return .failure(fail("Lỗi: chưa có kế hoạch nào."))
            }
            let views = PlanViews(
                store: toolbox.store, snapshots: PlanSnapshots(store: toolbox.store, progress: toolbox.progress))
            let reports = PeriodicReports(
                views: views, reports: toolbox.reports, converter: toolbox.converter,
                today: { LocalDate(vietnamAt: Date().timeIntervalSince1970) })
            let composed: PeriodicReports.Composed
            do {
                composed = try await reports.compose(slug: slug, form: form)
            } catch let error as NotFound {
                return .failure(fail("Lỗi: \(error.message) Các kế hoạch: \(plans.map(\.slug).joined(separator: ", "))."))
            } catch let refusal as ProgressRefusal {
                return .failure(fail("Lỗi: \(refusal.message)"))
            }
            let report = composed.report
            switch format {
            case "xlsx": return .success((try XLSXWriter.bytes(report.appendixTable), report.title))
            case "txt": return .success((Array(report.document.plainText.utf8), report.title))
            case "pdf":
                guard let converter = reports.converter else {
                    return .failure(fail("Lỗi: chưa cài LibreOffice (soffice) nên không xuất được PDF."))
                }
                return .success(
                    (try await converter.pdf(from: try DOCXWriter.bytes(report.document), fileExtension: "docx"), report.title))
            default: return .success((try DOCXWriter.bytes(report.document), report.title))
            }
        }
        switch result {
        case .failure(let code): throw code
        case .success(let (bytes, title)):
            do {
                try Data(bytes).write(to: URL(fileURLWithPath: output))
            } catch {
                throw fail("Lỗi: không ghi được “\(output)”: \(error.localizedDescription)")
            }
            print("Đã ghi \(title) vào \(output) (\(bytes.count) byte).")
        }
    }
}
