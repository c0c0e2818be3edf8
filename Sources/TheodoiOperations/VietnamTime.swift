import Foundation
import TheodoiCore

/// An instant shown as people in Vietnam read it (UTC+7): "14:05 ngày 05/10/2025".
public struct VietnamTime: Sendable {
    public var date: LocalDate
    public var hour: Int
    public var minute: Int

    /// From ISO 8601 text (as stored); nil when it is not one.
    public init?(iso: String) {
        guard let instant = try? Date(iso, strategy: .iso8601) else { return nil }
        self.init(instant)
    }

    /// An instant, as read in Vietnam.
    public init(_ instant: Date) {
        let seconds = instant.timeIntervalSince1970
        date = LocalDate(vietnamAt: seconds)
        let secondOfDay = (Int((seconds + 7 * 3600).rounded(.down)) % 86_400 + 86_400) % 86_400
        hour = secondOfDay / 3600
        minute = secondOfDay % 3600 / 60
    }

    /// "14:05".
    public var clock: String { "\(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)" }

    /// "14:05 ngày 05/10/2025", as a sentence says it.
    public var text: String { "\(clock) ngày \(date.vietnameseShort)" }

    /// "05/10/2025 14:05", as a table column shows it.
    public var compact: String { "\(date.vietnameseShort) \(clock)" }
}
