import Foundation
import TheodoiCore

/// An instant shown as people in Vietnam read it (UTC+7): "14:05 ngày 05/10/2025".
struct VietnamTime {
    var date: LocalDate
    var hour: Int
    var minute: Int

    /// From ISO 8601 text (as stored); nil when it is not one.
    init?(iso: String) {
        guard let instant = try? Date(iso, strategy: .iso8601) else { return nil }
        let seconds = instant.timeIntervalSince1970
        date = LocalDate(vietnamAt: seconds)
        let secondOfDay = (Int((seconds + 7 * 3600).rounded(.down)) % 86_400 + 86_400) % 86_400
        hour = secondOfDay / 3600
        minute = secondOfDay % 3600 / 60
    }

    var text: String {
        "\(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute) ngày \(date.vietnameseShort)"
    }
}
