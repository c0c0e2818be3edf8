import Foundation

/// Parameters of header values such as `Content-Disposition` and `Content-Type`.
public enum HeaderParameter {
    /// A parameter (`name="…"` or `boundary=…`), unquoted; nil when the header has none of that name.
    public static func value(_ key: String, in header: String) -> String? {
        var rest = Substring(header)
        while let range = rest.range(of: key + "=") {
            let before = rest[..<range.lowerBound].last
            rest = rest[range.upperBound...]
            guard before == nil || before == ";" || before == " " || before == "\t" else { continue }
            if rest.first == "\"" {
                var value = ""
                var escaped = false
                for character in rest.dropFirst() {
                    if escaped {
                        value.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        return value
                    } else {
                        value.append(character)
                    }
                }
                return value
            }
            return String(rest.prefix { $0 != ";" }).trimmingSpacesAndTabs()
        }
        return nil
    }
}
