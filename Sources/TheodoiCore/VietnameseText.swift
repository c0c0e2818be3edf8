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
            if Int(value) < foldTable.count, foldTable[Int(value)] != 0 {
                bytes.append(foldTable[Int(value)])
            } else {
                bytes.append(contentsOf: fallbackFold(scalar).utf8)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
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
