import Foundation
import TheodoiExport

/// poppler's `pdftotext`, run to get the words of a PDF's text layer with their boxes
/// (`-bbox-layout`). Found once; where it is not installed a PDF upload says what to install.
public struct PDFTextExtractor: Sendable {
    /// The `pdftotext` executable.
    public let executable: String
    /// How long one extraction may take before it is stopped.
    public var timeout: Duration = .seconds(60)
    /// The most pages read (an appendix has tens; more is not a catalogue).
    public static let maximumPages = 200

    public init(executable: String) {
        self.executable = executable
    }

    /// A PDF that gave no text, with what poppler said.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// `pdftotext` found on `searchPath`, or nil.
    public static func locate(searchPath: String) -> PDFTextExtractor? {
        ExternalCommand.locate("pdftotext", searchPath: searchPath).map(PDFTextExtractor.init(executable:))
    }

    /// The pages and words of a PDF's text layer.
    public func pages(_ bytes: [UInt8]) async throws -> [PDFLayoutReader.Page] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("document.pdf")
        let output = folder.appendingPathComponent("layout.html")
        try Data(bytes).write(to: input)
        let result = try await ExternalCommand.run(
            executable, ["-bbox-layout", "-enc", "UTF-8", "-l", String(Self.maximumPages), input.path, output.path],
            timeout: timeout)
        guard result.status == 0, let layout = try? Data(contentsOf: output) else {
            throw Failure(description: "pdftotext failed (exit \(result.status)): \(result.output.prefix(300))")
        }
        var pages = PDFLayoutReader.pages([UInt8](layout))
        // The table's rules, from the pages drawn small by pdftoppm beside pdftotext: where there are
        // some, each row is the text between two of them (cells centred vertically read right).
        let pdftoppm = URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("pdftoppm").path
        if FileManager.default.isExecutableFile(atPath: pdftoppm),
            let drawn = try? await ExternalCommand.run(
                pdftoppm,
                [
                    "-r", String(Self.rulesDPI), "-gray", "-l", String(Self.maximumPages), input.path,
                    folder.appendingPathComponent("page").path,
                ],
                timeout: timeout), drawn.status == 0
        {
            let images = ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
                .filter { $0.lastPathComponent.hasPrefix("page-") }.sorted { $0.lastPathComponent < $1.lastPathComponent }
            for (index, image) in images.enumerated() where index < pages.count {
                guard let bytes = try? Data(contentsOf: image), let page = ScanImage(pgm: [UInt8](bytes)) else { continue }
                let scale = 72 / Double(Self.rulesDPI)
                pages[index].rules = page.horizontalRules(longest: page.width * 2 / 5).map { $0 * scale }
            }
        }
        return pages
    }

    /// The resolution pages are drawn at to find their rules (a rule is a pixel or two thick there).
    static let rulesDPI = 60
}
