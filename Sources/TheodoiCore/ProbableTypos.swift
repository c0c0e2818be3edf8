import Foundation

/// Slips that decisions really contain ("chuyên đổi số" for "chuyển đổi số", "VNelD" for "VNeID"),
/// found so the import can flag them and the office can correct the plan's text on record, and
/// the periodic report does not repeat them. Only known slips are suggested: a word that merely
/// looks unusual is left alone.
public enum ProbableTypos {
    /// One slip in a text: what is written and what is meant, in the text's own case.
    public struct Suggestion: Sendable, Hashable {
        public var found: String
        public var suggested: String

        public init(found: String, suggested: String) {
            self.found = found
            self.suggested = suggested
        }
    }

    /// Known slips and their corrections, in lower case (or as written, for names such as VNeID).
    static let known: [(found: String, suggested: String)] = [
        ("chuyên đổi số", "chuyển đổi số"),
        ("chuyên đội số", "chuyển đổi số"),
        ("chuyển đội số", "chuyển đổi số"),
        ("chuyển đổi sồ", "chuyển đổi số"),
        ("VNedID", "VNeID"),
        ("VNelD", "VNeID"),
        ("Thuế tinh", "Thuế tỉnh"),
    ]

    /// Each slip with its case variants: as listed, with a capital first letter, in capitals.
    static let variants: [(found: String, suggested: String)] = {
        var variants: [(found: String, suggested: String)] = []
        for (found, suggested) in known {
            let found = VietnameseText.nfc(found)
            let suggested = VietnameseText.nfc(suggested)
            var seen: Set<String> = []
            for (a, b) in [
                (found, suggested), (capitalized(found), capitalized(suggested)), (found.uppercased(), suggested.uppercased()),
            ] where seen.insert(a).inserted {
                variants.append((a, b))
            }
        }
        return variants
    }()

    static func capitalized(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    /// The known slips in `text`, each once, in the order they first appear.
    public static func suggestions(in text: String) -> [Suggestion] {
        let text = VietnameseText.nfc(text)
        var found: [(offset: Int, suggestion: Suggestion)] = []
        for (slip, fix) in variants {
            if let range = wholeWords(slip, in: text).first {
                found.append(
                    (text.distance(from: text.startIndex, to: range.lowerBound), Suggestion(found: slip, suggested: fix)))
            }
        }
        return found.sorted { $0.offset < $1.offset }.map(\.suggestion)
    }

    /// `text` with every known slip corrected.
    public static func corrected(_ text: String) -> String {
        var text = VietnameseText.nfc(text)
        for (slip, fix) in variants {
            for range in wholeWords(slip, in: text).reversed() { text.replaceSubrange(range, with: fix) }
        }
        return text
    }

    /// Where `phrase` stands as whole words in `text` (no letter or digit right before or after).
    static func wholeWords(_ phrase: String, in text: String) -> [Range<String.Index>] {
        // Both are NFC, so the phrase stands where its UTF-8 bytes do: a plain byte search (Foundation's
        // Unicode-aware one took most of a catalogue's parse).
        let pattern = Array(phrase.utf8)
        var offsets: [Int] = []
        var contiguous = text
        contiguous.withUTF8 { bytes in
            guard let first = pattern.first, bytes.count >= pattern.count else { return }
            var offset = 0
            while offset <= bytes.count - pattern.count {
                if bytes[offset] == first, bytes[offset..<offset + pattern.count].elementsEqual(pattern) {
                    offsets.append(offset)
                    offset += pattern.count
                } else {
                    offset += 1
                }
            }
        }
        let ranges = offsets.map {
            text.utf8.index(
                text.utf8.startIndex, offsetBy: $0)..<text.utf8.index(text.utf8.startIndex, offsetBy: $0 + pattern.count)
        }
        return ranges.filter { range in
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            return !(before.map { $0.isLetter || $0.isNumber } ?? false) && !(after.map { $0.isLetter || $0.isNumber } ?? false)
        }
    }
}
