import Foundation

/// Vietnamese text rules: normalisation for storage and folding for search.
public enum VietnameseText {
    /// Unicode NFC, the form stored and compared everywhere.
    public static func nfc(_ text: String) -> String {
        // Text with no combining marks and no singleton decompositions is NFC already, as nearly all
        // stored text is; Foundation's normalisation is slow on Linux, so it runs only when needed.
        if text.unicodeScalars.allSatisfy(isComposed) { return text }
        return text.precomposedStringWithCanonicalMapping
    }

    /// Scalars NFC leaves alone whatever surrounds them: ASCII, Latin-1 and Latin Extended A/B,
    /// Latin Extended Additional (the precomposed Vietnamese letters), and punctuation and symbols
    /// except the few with singleton decompositions (U+2000, U+2001, Ω, K, Å, 〈, 〉).
    static func isComposed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x300, 0x1E00...0x1EFF, 0x2002...0x2125, 0x2127...0x2129, 0x212C...0x2328, 0x232B...0x2BFF: true
        default: false
        }
    }

    /// White space of any kind (tabs, non-breaking spaces, line breaks) collapsed to single spaces,
    /// trimmed at both ends.
    public static func collapsingWhitespace(_ text: some StringProtocol) -> String {
        if isCollapsed(text.utf8) { return String(text) }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for character in text {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace {
                    result.append(" ")
                    pendingSpace = false
                }
                result.append(character)
            }
        }
        return result
    }

    /// Whether the text has nothing `collapsingWhitespace` would change: single ASCII spaces between
    /// words and no other white space (Unicode's White_Space, read from the UTF-8 bytes). Most
    /// texts are, and this is many times faster than looking at each Character.
    static func isCollapsed(_ bytes: some Collection<UInt8>) -> Bool {
        var previous: UInt8 = 0x20  // as if a space came before: a leading space is not collapsed
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case 0x20: if previous == 0x20 { return false }
            case 0x09...0x0D: return false
            case 0xC2, 0xE1, 0xE2, 0xE3:
                // U+0085, U+00A0, U+1680, U+2000–200A, U+2028, U+2029, U+202F, U+205F, U+3000.
                let second = bytes.index(after: index)
                guard second != bytes.endIndex else { return false }
                let b1 = bytes[second]
                let third = bytes.index(after: second)
                let b2: UInt8? = third == bytes.endIndex ? nil : bytes[third]
                switch (byte, b1, b2) {
                case (0xC2, 0x85, _), (0xC2, 0xA0, _), (0xE1, 0x9A, 0x80?), (0xE2, 0x81, 0x9F?), (0xE3, 0x80, 0x80?): return false
                case (0xE2, 0x80, let b?) where (0x80...0x8A).contains(b) || b == 0xA8 || b == 0xA9 || b == 0xAF: return false
                default: break
                }
            default: break
            }
            previous = byte
            index = bytes.index(after: index)
        }
        return previous != 0x20 || bytes.isEmpty
    }

    /// The search form: diacritics and case removed, `đ/Đ → d`, white space collapsed.
    /// "Chữ ký số" → "chu ky so"; "Đảng viên" → "dang vien". Works on NFC and NFD text alike.
    public static func folded(_ text: some StringProtocol) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                if value == 0x20 || (0x09...0x0D).contains(value) {
                    pendingSpace = !bytes.isEmpty
                    continue
                }
                if pendingSpace {
                    bytes.append(0x20)
                    pendingSpace = false
                }
                bytes.append((0x41...0x5A).contains(value) ? UInt8(value + 0x20) : UInt8(value))
                continue
            }
            if (0x300...0x36F).contains(value) { continue }
            if scalar.properties.isWhitespace {
                pendingSpace = !bytes.isEmpty
                continue
            }
            if pendingSpace {
                bytes.append(0x20)
                pendingSpace = false
            }
            appendFolded(letter: scalar, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The UTF-8 of one scalar's search form, scalar by scalar as `folded` makes it but with no
    /// white space collapsed: each white space scalar becomes one space, a combining mark nothing.
    /// Offsets into it map back to the text's own scalars (see `SearchWords.marked`).
    static func appendFolded(_ scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
        let value = scalar.value
        if value < 0x80 {
            if value == 0x20 || (0x09...0x0D).contains(value) {
                bytes.append(0x20)
            } else {
                bytes.append((0x41...0x5A).contains(value) ? UInt8(value + 0x20) : UInt8(value))
            }
        } else if (0x300...0x36F).contains(value) {
            return
        } else if scalar.properties.isWhitespace {
            bytes.append(0x20)
        } else {
            appendFolded(letter: scalar, to: &bytes)
        }
    }

    /// A non-ASCII scalar that is neither white space nor a combining mark, folded.
    private static func appendFolded(letter scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
        let value = Int(scalar.value)
        if value < foldTable.count, foldTable[value] != 0 {
            bytes.append(foldTable[value])
        } else {
            bytes.append(contentsOf: fallbackFold(scalar).utf8)
        }
    }

    /// Base ASCII letter of each Latin letter with diacritics up to U+1EFF (0 when there is none).
    private static let foldTable: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 0x1F00)
        for value in 0x80..<0x1F00 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let folded = fallbackFold(scalar)
            if folded.utf8.count == 1, let byte = folded.utf8.first, byte < 0x80 { table[value] = byte }
        }
        return table
    }()

    private static func fallbackFold(_ scalar: Unicode.Scalar) -> String {
        if scalar.value == 0x111 || scalar.value == 0x110 { return "d" }
        var result = String.UnicodeScalarView()
        for part in String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
        where !(0x300...0x36F).contains(part.value) {
            if part.value == 0x111 || part.value == 0x110 {
                result.append("d")
            } else {
                result.append(contentsOf: part.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(result)
    }
}

extension StringProtocol {
    /// This text in the search form of `VietnameseText.folded`.
    public var foldedForSearch: String { VietnameseText.folded(self) }
}
