import Foundation
import Testing

/// Compares text with a snapshot file in `__Snapshots__`. A missing snapshot is written and the test
/// fails, so the first run records it for review; `THEODOI_RECORD_SNAPSHOTS=1` rewrites them all.
public func assertSnapshot(
    _ text: String, named name: String, filePath: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation
) {
    let folder = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")
    let url = folder.appendingPathComponent(name)
    let record = ProcessInfo.processInfo.environment["THEODOI_RECORD_SNAPSHOTS"] == "1"
    guard !record, let expected = try? String(contentsOf: url, encoding: .utf8) else {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? text.write(to: url, atomically: true, encoding: .utf8)
        Issue.record("Snapshot \(name) recorded; check it and run again.", sourceLocation: sourceLocation)
        return
    }
    if text != expected {
        let differing = zip(
            text.split(separator: "\n", omittingEmptySubsequences: false),
            expected.split(separator: "\n", omittingEmptySubsequences: false)
        )
        .enumerated().first { $0.element.0 != $0.element.1 }
        let detail =
            differing.map { "line \($0.offset + 1):\n  got:      \($0.element.0)\n  expected: \($0.element.1)" }
            ?? "lengths differ (\(text.count) vs \(expected.count) characters)"
        Issue.record("Snapshot \(name) differs at \(detail)", sourceLocation: sourceLocation)
    }
}
