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
        for directory in searchPath.split(separator: ":") {
            let path = "\(directory)/pdftotext"
            if FileManager.default.isExecutableFile(atPath: path) { return PDFTextExtractor(executable: path) }
        }
        return nil
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
        return PDFLayoutReader.pages([UInt8](layout))
    }
}
