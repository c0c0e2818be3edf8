import Foundation

/// `application/x-www-form-urlencoded` text (a posted form or a query string) as name–value pairs,
/// decoded as browsers encode them (`+` is a space, `%XX` a byte of UTF-8). Never traps: a pair
/// that does not decode is kept as sent.
public enum URLEncodedForm {
    /// The most pairs read; the rest of an absurdly long form is ignored.
    public static let maximumPairs = 10_000

    public static func pairs(_ text: String) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            guard pairs.count < maximumPairs else { break }
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let first = parts.first else { continue }
            let value = parts.count > 1 ? decode(parts[1]) : ""
            pairs.append((decode(first), value))
        }
        return pairs
    }

    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
