import Foundation
import Logging
import Synchronization
import TheodoiCore

/// `LOG_FORMAT=json`: one JSON object per line on standard error, for log collectors —
/// `time` (UTC, ISO 8601 with milliseconds), `level`, `label`, `message`, `source`, then the
/// metadata (a request's lines carry `hb.request.id`, the id returned as `X-Request-Id`).
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let write: @Sendable (String) -> Void
    let now: @Sendable () -> Date

    public init(
        label: String, now: @escaping @Sendable () -> Date = Date.init,
        write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError
    ) {
        self.label = label
        self.now = now
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var fields: [(String, JSONValue)] = [
            ("time", .string(now().formatted(Self.timeFormat))),
            ("level", .string(event.level.rawValue)),
            ("label", .string(label)),
            ("message", .string(event.message.description)),
            ("source", .string(event.source)),
        ]
        if let error = event.error { fields.append(("error", .string(String(describing: error)))) }
        let reserved = Set(fields.map(\.0))
        for key in merged.keys.sorted() where !reserved.contains(key) {
            if let value = merged[key] { fields.append((key, Self.json(value))) }
        }
        write(JSONValue.object(fields).serialized(pretty: false) + "\n")
    }

    static let timeFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let values): .object(values.keys.sorted().compactMap { key in values[key].map { (key, json($0)) } })
        }
    }

    /// Writes whole lines to standard error, one at a time (lines from concurrent requests never interleave).
    public static let standardError: @Sendable (String) -> Void = { line in
        standardErrorLock.withLock { _ in FileHandle.standardError.write(Data(line.utf8)) }
    }
    private static let standardErrorLock = Mutex(())
}
