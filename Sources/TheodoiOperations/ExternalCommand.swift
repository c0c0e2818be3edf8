import Foundation
import Synchronization

/// Runs a program of the system (LibreOffice, sendmail) and waits for it without blocking a thread:
/// standard input written, standard output and error collected as they come (so a chatty program
/// never stalls on a full pipe), stopped after a timeout.
enum ExternalCommand {
    struct Result {
        var status: Int32
        /// Standard output and error together, as text.
        var output: String
    }

    /// The first executable `name` in the directories of `searchPath` (a PATH), or nil.
    static func locate(_ name: String, searchPath: String) -> String? {
        searchPath.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Could not be started at all.
    struct LaunchFailure: Error, CustomStringConvertible {
        var description: String
    }

    static func run(
        _ executable: String, _ arguments: [String], input: [UInt8]? = nil, environment: [String: String] = [:],
        timeout: Duration
    ) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let stdin = input.map { _ in Pipe() }
        if let stdin { process.standardInput = stdin }
        let collected = Mutex(Data())
        output.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            collected.withLock { $0.append(chunk) }
        }
        // Process is not Sendable; the watchdog only stops it, after the timeout.
        nonisolated(unsafe) let running = process
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            if running.isRunning { running.terminate() }
        }
        defer { watchdog.cancel() }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
                if let stdin, let input {
                    stdin.fileHandleForWriting.write(Data(input))
                    try stdin.fileHandleForWriting.close()
                }
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: LaunchFailure(description: "could not run \(executable): \(error)"))
            }
        }
        output.fileHandleForReading.readabilityHandler = nil
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        let text = collected.withLock { String(decoding: $0 + rest, as: UTF8.self) }
        return Result(status: process.terminationStatus, output: text)
    }
}
