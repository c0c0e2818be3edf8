/// Từ khóa tìm kiếm: what someone typed in a search box, as the words a row must contain.
///
/// The text is folded (`VietnameseText.folded`: no diacritics, no case, `đ → d`) and split at white
/// space; quotes, brackets and sentence punctuation around a word are dropped, and so is a "word"
/// with no letter or digit in it ("-", "&"). A row matches when its folded text contains every word
/// (AND), in any order, each anywhere, even inside a longer word: "khoa hoc cong nghe",
/// "công nghệ KHOA học" and "Sở Khoa học và Công nghệ" all find the rows that name that agency.
public struct SearchWords: Sendable, Hashable {
    /// The most words kept: as many as the 200 characters a search box allows can hold.
    public static let maximumCount = 100

    /// The distinct folded words, in the order typed.
    public let words: [String]

    public init(_ text: some StringProtocol) {
        var words: [String] = []
        var seen: Set<String> = []
        for piece in VietnameseText.folded(text).split(separator: " ") {
            guard let word = SearchWords.trimmed(piece), seen.insert(word).inserted else { continue }
            words.append(word)
            if words.count == SearchWords.maximumCount { break }
        }
        self.words = words
    }

    /// Whether there is nothing to look for (an empty box, or only punctuation).
    public var isEmpty: Bool { words.isEmpty }

    /// The words a filter needs: those no other word contains (a row that contains "congnghe"
    /// contains "cong"), longest first, since the longest usually rules out the most rows.
    public var filterWords: [String] {
        let sorted = words.sorted { $0.utf8.count != $1.utf8.count ? $0.utf8.count > $1.utf8.count : $0 < $1 }
        var kept: [String] = []
        for word in sorted where !kept.contains(where: { SearchWords.range(of: Array(word.utf8), in: Array($0.utf8)) != nil }) {
            kept.append(word)
        }
        return kept
    }

    /// Whether `text` (folded here) contains every word: the rule the store applies to its folded
    /// search column, for text that is not stored.
    public func matches(_ text: some StringProtocol) -> Bool {
        let folded = Array(VietnameseText.folded(text).utf8)
        return words.allSatisfy { SearchWords.range(of: Array($0.utf8), in: folded) != nil }
    }

    /// A run of a text, marked when it matches a word.
    public struct Piece: Sendable, Hashable {
        /// The text's own characters, diacritics and case as written.
        public var text: String
        public var isMarked: Bool

        public init(_ text: String, isMarked: Bool) {
            self.text = text
            self.isMarked = isMarked
        }
    }

    /// `text` cut into runs, every occurrence of every word marked (matched on the folded text, the
    /// marks on the original characters: "Sở Khoa học" for "so khoa"). Whole characters (grapheme
    /// clusters) are marked, never part of one; overlapping and adjacent occurrences make one run.
    /// One unmarked piece when nothing matches.
    public func marked(_ text: String) -> [Piece] {
        guard !words.isEmpty, !text.isEmpty else { return [Piece(text, isMarked: false)] }
        // The folded bytes of the text, character by character, and where each character's begin.
        var folded: [UInt8] = []
        folded.reserveCapacity(text.utf8.count)
        var starts: [Int] = []
        var indices: [String.Index] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            indices.append(index)
            starts.append(folded.count)
            for scalar in text.unicodeScalars[index..<next] { VietnameseText.appendFolded(scalar, to: &folded) }
            index = next
        }
        indices.append(text.endIndex)
        starts.append(folded.count)

        var covered = [Bool](repeating: false, count: folded.count)
        var anyMatch = false
        for word in words {
            let needle = Array(word.utf8)
            var from = 0
            while let found = SearchWords.range(of: needle, in: folded, from: from) {
                for position in found { covered[position] = true }
                anyMatch = true
                from = found.lowerBound + 1
            }
        }
        guard anyMatch else { return [Piece(text, isMarked: false)] }

        // A character is marked when one of its folded bytes is; one that folds to nothing (a lone
        // combining mark) when the bytes on both sides of it are.
        var pieces: [Piece] = []
        var runStart = 0
        var runMarked = false
        for character in 0..<(indices.count - 1) {
            let (start, end) = (starts[character], starts[character + 1])
            let isMarked =
                start < end
                ? covered[start..<end].contains(true)
                : start > 0 && start < covered.count && covered[start - 1] && covered[start]
            if character == 0 {
                runMarked = isMarked
            } else if isMarked != runMarked {
                pieces.append(Piece(String(text[indices[runStart]..<indices[character]]), isMarked: runMarked))
                runStart = character
                runMarked = isMarked
            }
        }
        pieces.append(Piece(String(text[indices[runStart]..<text.endIndex]), isMarked: runMarked))
        return pieces
    }

    /// A folded word without the punctuation around it; nil when it has no letter or digit.
    static func trimmed(_ word: Substring) -> String? {
        let scalars = word.unicodeScalars
        guard scalars.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil }) else { return nil }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, isEdgePunctuation(scalars[start]) { start = scalars.index(after: start) }
        while start < end, isEdgePunctuation(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }

    /// Quotes, brackets and the punctuation that ends a phrase or a sentence.
    private static func isEdgePunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation: return true
        default: return ",;:.!?\"'…".unicodeScalars.contains(scalar)
        }
    }

    /// The first place at or after `from` where `needle` occurs in `haystack`, by bytes.
    static func range(of needle: [UInt8], in haystack: [UInt8], from: Int = 0) -> Range<Int>? {
        guard let first = needle.first, needle.count <= haystack.count, from >= 0 else { return nil }
        var start = from
        while start <= haystack.count - needle.count {
            if haystack[start] == first {
                var offset = 1
                while offset < needle.count, haystack[start + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return start..<(start + needle.count) }
            }
            start += 1
        }
        return nil
    }
}

extension SearchWords: ExpressibleByStringLiteral {
    /// The words of a search written in code: `store.searchAssignments(plan, "chu ky so")`.
    public init(stringLiteral text: String) { self.init(text) }
}
