import ArgumentParser
import Foundation
import TheodoiCatalog
import TheodoiCore
import TheodoiOperations

/// `theodoi catalog parse FILE [--json] [--format …]`: reads a catalogue and shows what it says.
struct CatalogParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Đọc một danh mục nhiệm vụ và in kết quả (kế hoạch, các phần, nhiệm vụ, phát hiện).",
        discussion: "Trạng thái thoát 0 khi đọc được (kể cả có cảnh báo), 1 khi tệp không đọc được như một danh mục."
    )

    @Argument(
        help:
            "Tệp danh mục (.docx, .doc, .odt, .pdf có lớp chữ hoặc bản quét, ảnh quét .png/.jpg/.tif, .xlsx, .txt trích từ PDF, .csv, .tsv, .md, .html)."
    )
    var file: String

    @Flag(help: "In JSON theo hợp đồng ổn định (DESIGN §4.5).")
    var json = false

    @Option(help: "Định dạng tệp: auto, pdf-text, csv, tsv, markdown, html, xlsx, docx.")
    var format: CatalogueFormat = .auto

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let converter = OfficeConverter.locate(configured: environment["SOFFICE"], searchPath: environment["PATH"] ?? "")
        let outcome = await CatalogParse.run(
            path: file, format: format, json: json, converter: converter,
            pdfText: PDFTextExtractor.locate(searchPath: environment["PATH"] ?? ""),
            recognizer: CharacterRecognizer.locate(searchPath: environment["PATH"] ?? ""),
            progress: RecognitionProgressBar.forStandardError())
        FileHandle.standardOutput.write(Data(outcome.output.utf8))
        FileHandle.standardError.write(Data(outcome.error.utf8))
        if outcome.status != 0 { throw ExitCode(outcome.status) }
    }
}

extension CatalogueFormat: ExpressibleByArgument {}

/// The work of `catalog parse`, returning what to print so tests can run it in process.
public enum CatalogParse {
    /// What the command prints and its exit status.
    public struct Outcome: Sendable, Equatable {
        public var output: String
        public var error: String
        public var status: Int32
    }

    public static func run(
        path: String, format: CatalogueFormat, json: Bool, converter: OfficeConverter? = nil,
        pdfText: PDFTextExtractor? = nil, recognizer: CharacterRecognizer? = nil,
        progress: CharacterRecognizer.Progress? = nil
    ) async -> Outcome {
        var data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason =
                FileManager.default.fileExists(atPath: path) ? "không có quyền đọc hoặc là thư mục" : "tệp không tồn tại"
            return Outcome(output: "", error: "Lỗi: không đọc được “\(path)”: \(reason).\n", status: 1)
        }
        let directory: AgencyDirectory
        do {
            directory = try AgencyDirectory.bundled()
        } catch {
            return Outcome(output: "", error: "Lỗi: \(error)\n", status: 1)
        }
        let catalogue: Catalogue
        do {
            data = try await CatalogueFile.converted(
                data, converter: converter, pdfText: pdfText, recognizer: recognizer, progress: progress)
            catalogue = try CatalogueFile.parse(
                data, fileName: path, format: format, parser: CatalogueParser(directory: directory))
        } catch {
            // Programs asking for JSON get the error in JSON too, in English.
            if json {
                let failure = JSONValue.object([
                    ("error", .object([("reason", .string(error.reason.rawValue)), ("message", .string(error.english))]))
                ])
                return Outcome(output: "", error: failure.serialized(pretty: false) + "\n", status: 1)
            }
            return Outcome(output: "", error: "Lỗi: “\(path)” không đọc được như một danh mục. \(error.message)\n", status: 1)
        }
        if json {
            return Outcome(output: CatalogueDTO(catalogue).json.serialized() + "\n", error: "", status: 0)
        }
        return Outcome(output: CatalogueSummary.render(catalogue), error: "", status: 0)
    }
}

/// The pages of a scan recognised so far, as a bar redrawn on standard error when it is a terminal
/// (nothing otherwise, so a script's output stays clean).
enum RecognitionProgressBar {
    static func forStandardError() -> CharacterRecognizer.Progress? {
        guard isatty(FileHandle.standardError.fileDescriptor) == 1 else { return nil }
        return { done, total in
            let width = 30
            let filled = total > 0 ? width * done / total : 0
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let end = done == total ? "\n" : ""
            FileHandle.standardError.write(Data("\rNhận dạng ký tự: \(bar) \(done)/\(total) trang\(end)".utf8))
        }
    }
}
