/// Numbers from requests (a page, a count, an id), parsed into a bounded range before any use, so
/// that no arithmetic on them can overflow. `Int(_:)` itself returns nil past `Int.max`.
public enum RequestNumber {
    /// The largest page number any list accepts: far past any real list, small enough that
    /// `(page - 1) * perPage` fits in any integer type for `perPage` up to a million.
    public static let maximumPage = 1_000_000
    /// Record ids in the database are positive 64-bit integers.
    public static let ids: ClosedRange<Int> = 1...Int(Int64.max)

    /// The decimal integer `text` (ASCII digits, an optional leading minus) when it lies in `range`.
    public static func parse(_ text: String, in range: ClosedRange<Int>) -> Int? {
        let trimmed = text.trimmingSpacesAndTabs()
        guard !trimmed.isEmpty, trimmed.utf8.count <= 20,
            trimmed.utf8.enumerated().allSatisfy({
                $0.element >= 0x30 && $0.element <= 0x39 || ($0.offset == 0 && $0.element == 0x2D)
            }),
            let value = Int(trimmed), range.contains(value)
        else { return nil }
        return value
    }

    /// A page number: 1 when absent, nil when not a whole number from 1 to `maximumPage`.
    public static func page(_ text: String?) -> Int? {
        guard let text, !text.isEmpty else { return 1 }
        return parse(text, in: 1...maximumPage)
    }

    /// The offset of a page's first row, computed without overflow (clamped to `Int.max`).
    public static func offset(page: Int, perPage: Int) -> Int {
        let (product, overflow) = (max(page, 1) - 1).multipliedReportingOverflow(by: max(perPage, 0))
        return overflow ? Int.max : product
    }

    /// An id of a record, nil when it is not a positive 64-bit integer.
    public static func id(_ text: String) -> Int? { parse(text, in: ids) }
}

extension RequestNumber {
    /// The version of a record an edit was made on (optimistic locking): 0 to `Int32.max`.
    public static func version(_ text: String) -> Int? { parse(text, in: 0...Int(Int32.max)) }
}
