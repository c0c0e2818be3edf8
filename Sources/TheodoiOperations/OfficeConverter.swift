import Foundation

/// LibreOffice run headless to turn a DOCX into PDF. Found once at start; where it is not installed
/// the product offers no PDF rather than a broken link.
public struct OfficeConverter: Sendable {
    /// The `soffice` executable.
    public let executable: String
    /// How long one conversion may take before it is stopped.
    public var timeout: Duration = .seconds(120)

    public init(executable: String) {
        self.executable = executable
    }

    /// A conversion that did not give a PDF, with what LibreOffice said.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// `configured` when given (empty turns PDF off), else `soffice` or `libreoffice` found on `searchPath`.
    public static func locate(configured: String?, searchPath: String) -> OfficeConverter? {
        if let configured {
            return configured.isEmpty || !FileManager.default.isExecutableFile(atPath: configured)
                ? nil : OfficeConverter(executable: configured)
        }
        for name in ["soffice", "libreoffice"] {
            if let path = ExternalCommand.locate(name, searchPath: searchPath) { return OfficeConverter(executable: path) }
        }
        return nil
    }

    /// The PDF of a document (`fileExtension` "docx" or "xlsx").
    public func pdf(from bytes: [UInt8], fileExtension: String) async throws -> [UInt8] {
        let data = try await convert(bytes, fileExtension: fileExtension, to: "pdf")
        guard data.starts(with: Array("%PDF".utf8)) else { throw Failure(description: "LibreOffice gave no PDF") }
        return data
    }

    /// A document converted to `target` ("pdf", "docx"), in a scratch folder with its own
    /// LibreOffice profile, so conversions may run side by side.
    public func convert(_ bytes: [UInt8], fileExtension: String, to target: String) async throws -> [UInt8] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-convert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("document.\(fileExtension)")
        try Data(bytes).write(to: input)
        let output = folder.appendingPathComponent("out")
        let result = try await ExternalCommand.run(
            executable,
            [
                "-env:UserInstallation=file://\(folder.path)/profile", "--headless", "--norestore", "--nolockcheck",
                "--convert-to", target, "--outdir", output.path, input.path,
            ], timeout: timeout)
        let converted = output.appendingPathComponent("document.\(target)")
        guard result.status == 0, let data = try? Data(contentsOf: converted), !data.isEmpty else {
            throw Failure(
                description: "LibreOffice gave no .\(target) (exit \(result.status)): \(result.output.prefix(500))")
        }
        return [UInt8](data)
    }
}
