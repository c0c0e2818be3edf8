import Foundation
import Testing
import TheodoiCore
import TheodoiExport
import TheodoiOperations
import TheodoiStore
import TheodoiStoreSQL

/// The periodic report on paper (issue 15): the seed plan's quarter after a few weeks of work,
/// converted to PDF by LibreOffice, fits in six body pages, and no date in the appendix breaks
/// across lines. Runs where LibreOffice and poppler are installed (CI installs both); with
/// `THEODOI_REPORT_SAMPLES` set, the DOCX and PDF are kept there for a person to look at.
@Suite("Periodic report on paper")
struct PeriodicReportPaperTests {
    static let soffice = OfficeConverter.locate(
        configured: ProcessInfo.processInfo.environment["SOFFICE"],
        searchPath: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")
    static let pdftotext = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// CI sets `THEODOI_REQUIRE_OFFICE=1`: there the test runs and fails without the tools rather than being skipped.
    static let required = ProcessInfo.processInfo.environment["THEODOI_REQUIRE_OFFICE"] == "1"

    @Test(
        "quarter IV/2025 of 343-QĐ/TU: at most 6 body pages, no date broken in the appendix",
        .enabled(if: required || (soffice != nil && pdftotext != nil)))
    func seedQuarterOnPaper() async throws {
        let (reports, store, plan) = try await PeriodicReportTests.world(today: "2025-12-15")
        let composed = try await reports.compose(
            slug: plan.slug, form: PeriodicReportForm(period: "quarter-2025-4", asOf: "14/12/2025", scope: "all", number: "215"))
        await store.shutdown()
        let docx = try DOCXWriter.bytes(composed.report.document)
        let pdf = try await #require(Self.soffice).pdf(from: docx, fileExtension: "docx")
        if let samples = ProcessInfo.processInfo.environment["THEODOI_REPORT_SAMPLES"] {
            try FileManager.default.createDirectory(atPath: samples, withIntermediateDirectories: true)
            try Data(docx).write(to: URL(fileURLWithPath: samples + "/report-q4-2025.docx"))
            try Data(pdf).write(to: URL(fileURLWithPath: samples + "/report-q4-2025.pdf"))
        }
        let pages = try Self.pages(pdf)
        // The appendix starts on the first page whose text opens with its title.
        let appendixStart = try #require(pages.firstIndex { $0.contains("PHỤ LỤC") && $0.contains("Nội dung nhiệm vụ") })
        #expect(appendixStart <= 6, "the body runs to \(appendixStart) pages")
        #expect(appendixStart >= 2)
        // The signature and "Nơi nhận" stand with the closing paragraph.
        let signaturePage = try #require(pages.firstIndex { $0.contains("Nơi nhận:") })
        #expect(pages[signaturePage].contains("Trên đây là báo cáo"))
        // No date split over two lines anywhere in the appendix: every date-like piece is whole.
        let broken = try NSRegularExpression(pattern: #"(?<![\d/])\d{1,2}/(\d{1,2}/(\d{1,3})?)?(?=[\s),.;]|$)"#)
        for (index, page) in pages.enumerated().dropFirst(appendixStart) {
            for line in page.split(separator: "\n") {
                let text = String(line)
                let match = broken.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
                #expect(match == nil, "page \(index + 1): a date broken: “\(line)”")
            }
        }
    }

    /// The PDF's text page by page, laid out as printed (`pdftotext -layout`).
    static func pages(_ pdf: [UInt8]) throws -> [String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-paper-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("report.pdf")
        try Data(pdf).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(pdftotext))
        process.arguments = ["-layout", input.path, folder.appendingPathComponent("report.txt").path]
        try process.run()
        process.waitUntilExit()
        let text = try String(contentsOf: folder.appendingPathComponent("report.txt"), encoding: .utf8)
        return text.split(separator: "\u{0C}", omittingEmptySubsequences: false).map(String.init).filter {
            !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
    }
}
