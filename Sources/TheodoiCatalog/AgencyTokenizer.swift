import TheodoiCore

/// A word or punctuation mark of an agency cell, with its place in the cell text.
struct AgencyToken: Sendable {
    let range: Range<String.Index>
    let folded: String
    /// Starts with an upper-case letter as written ("Bộ", "UBND").
    let isCapitalised: Bool
    /// A word (not punctuation).
    let isWord: Bool

    /// Takes part in directory matching: words, and "&".
    var isMatchable: Bool { isWord }
}

/// Splits agency cells into tokens: words, and the punctuation `, ; ( ) : -` on their own.
enum AgencyTokenizer {
    static let punctuation: Set<Character> = [",", ";", "(", ")", ":", "–", "—"]

    static func tokens(of text: String) -> [AgencyToken] {
        var tokens: [AgencyToken] = []
        var wordStart: String.Index?
        var index = text.startIndex
        func closeWord(at end: String.Index) {
            guard let start = wordStart else { return }
            var last = end
            // A trailing full stop ("tỉnh.") is punctuation; one inside a word ("TP.HCM") is not.
            while last > start, text[text.index(before: last)] == "." { last = text.index(before: last) }
            if last > start {
                let word = text[start..<last]
                tokens.append(
                    AgencyToken(
                        range: start..<last, folded: VietnameseText.folded(word),
                        isCapitalised: word.first?.isUppercase ?? false, isWord: true))
            }
            wordStart = nil
        }
        while index < text.endIndex {
            let character = text[index]
            if character.isWhitespace {
                closeWord(at: index)
            } else if punctuation.contains(character) || (character == "-" && wordStart == nil) {
                closeWord(at: index)
                let next = text.index(after: index)
                let folded = character == "–" || character == "—" ? "-" : String(character)
                tokens.append(AgencyToken(range: index..<next, folded: folded, isCapitalised: false, isWord: false))
            } else if wordStart == nil {
                wordStart = index
            }
            index = text.index(after: index)
        }
        closeWord(at: text.endIndex)
        return tokens
    }
}
