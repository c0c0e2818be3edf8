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
            for directory in searchPath.split(separator: ":") {
                let path = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return OfficeConverter(executable: path) }
            }
        }
        return nil
    }

    /// The PDF of a document (`fileExtension` "docx" or "xlsx"), converted in a scratch folder with
    /// its own LibreOffice profile, so conversions may run side by side.
    public func pdf(from bytes: [UInt8], fileExtension: String) async throws -> [UInt8] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("document.\(fileExtension)")
        try Data(bytes).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "-env:UserInstallation=file://\(folder.path)/profile", "--headless", "--norestore", "--nolockcheck",
            "--convert-to", "pdf", "--outdir", folder.path, input.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        // Process is not Sendable; the watchdog only stops it, after the timeout.
        nonisolated(unsafe) let running = process
        let limit = timeout
        let watchdog = Task {
            try await Task.sleep(for: limit)
            if running.isRunning { running.terminate() }
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        watchdog.cancel()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let pdf = folder.appendingPathComponent("document.pdf")
        guard process.terminationStatus == 0, let data = try? Data(contentsOf: pdf), data.starts(with: Array("%PDF".utf8))
        else {
            throw Failure(description: "LibreOffice gave no PDF (exit \(process.terminationStatus)): \(said.prefix(500))")
        }
        return [UInt8](data)
    }
}
