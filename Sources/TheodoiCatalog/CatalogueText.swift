import Foundation
import TheodoiCore

/// Why a file cannot be read as a catalogue at all (the CLI exits with status 1 and this message).
public struct CatalogueReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The reasons, each with its own message.
    public enum Reason: String, Sendable, Hashable {
        case empty, binary, spreadsheet, document, legacyEncoding = "legacy-encoding", notATable = "not-a-table"
    }

    public var reason: Reason
    /// Vietnamese, with what to do about it.
    public var message: String
    /// English, for programs (`catalog parse --json`), when more precise than the reason's own.
    public var detail: String?

    public var description: String { message }

    /// The error in English, for programs: the reason's sentence, or what was given for this case.
    public var english: String {
        if let detail { return detail }
        switch reason {
        case .empty: return "the file is empty"
        case .binary: return "the file is not text (binary data)"
        case .spreadsheet: return "the spreadsheet cannot be read as a catalogue"
        case .document:
            return "the document cannot be read (damaged, encrypted, or a program it needs is not installed)"
        case .legacyEncoding: return "the text is in a legacy Vietnamese encoding (TCVN3, VNI); convert it to UTF-8"
        case .notATable:
            return "no table of tasks found: a header row naming columns such as TT, Nội dung thực hiện, Đơn vị chủ trì is needed"
        }
    }

    /// A reason with its message (a spreadsheet reader outside this module reports its own).
    public init(reason: Reason, message: String, detail: String? = nil) {
        self.reason = reason
        self.message = message
        self.detail = detail
    }

    static let empty = CatalogueReadError(reason: .empty, message: "Tệp rỗng: không có nội dung nào để đọc.")
    static let binary = CatalogueReadError(
        reason: .binary,
        message: "Tệp không phải văn bản (dữ liệu nhị phân). Hãy xuất danh mục ra văn bản (.txt), CSV, Markdown hoặc HTML.")
    static let spreadsheet = CatalogueReadError(
        reason: .spreadsheet,
        message:
            "Tệp là bảng tính XLSX: cần bộ đọc bảng tính (lệnh theodoi catalog, trang Nạp danh mục nhiệm vụ), "
            + "không đọc được như văn bản.")
    static let legacySpreadsheet = CatalogueReadError(
        reason: .spreadsheet,
        message:
            "Tệp là bảng tính Excel 97–2003 (.xls), chưa đọc được trực tiếp. "
            + "Hãy mở bằng Excel hoặc LibreOffice và lưu lại dưới dạng .xlsx hoặc CSV UTF-8 rồi nhập lại.")
    static let pdf = CatalogueReadError(
        reason: .binary,
        message: "Tệp là PDF. Hãy trích văn bản của phụ lục ra tệp .txt (giữ các ô cách nhau bằng dấu tab) rồi nhập lại.")
    static let legacyEncoding = CatalogueReadError(
        reason: .legacyEncoding,
        message:
            "Tệp không phải UTF-8: có vẻ dùng bảng mã tiếng Việt cũ (TCVN3/ABC, VNI hoặc Windows-1258). "
            + "Hãy chuyển sang Unicode UTF-8 (ví dụ bằng Unikey Toolkit) rồi nhập lại.")
    static let notATable = CatalogueReadError(
        reason: .notATable,
        message:
            "Không tìm thấy bảng nhiệm vụ: cần một dòng tiêu đề có các cột như “TT”, “Nội dung thực hiện”, "
            + "“Đơn vị chủ trì”, “Đơn vị phối hợp”, “Thời gian hoàn thành”.")
}

/// Turns the bytes of a file into normalised text: UTF-8 or UTF-16 decoded, BOM and CR dropped,
/// NFC, non-breaking spaces made plain (DESIGN §4.1).
enum CatalogueText {
    static func decode(_ data: Data) throws(CatalogueReadError) -> String {
        let bytes = [UInt8](data)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { throw .empty }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { throw .spreadsheet }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { throw .legacySpreadsheet }
        if bytes.starts(with: Array("%PDF".utf8)) { throw .pdf }
        let raw: String
        if let utf16 = decodeUTF16(bytes) {
            raw = utf16
        } else {
            var body = bytes[...]
            if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
            if body.contains(0) { throw .binary }
            if let text = String(validating: body, as: UTF8.self) {
                raw = text
            } else if let text = Windows1258.decode(body) {
                // A CSV Excel saved in the Vietnamese code page ("CSV (Comma delimited)" on a Vietnamese Windows).
                raw = text
            } else {
                throw looksLikeText(body) ? .legacyEncoding : .binary
            }
        }
        let text = normalise(raw)
        // In UTF-8 every byte below 0x20 is an ASCII control character.
        let controls = text.utf8.reduce(0) { $0 + ($1 < 0x20 && $1 != 0x0A && $1 != 0x09 ? 1 : 0) }
        if controls * 20 > text.utf8.count { throw .binary }
        if text.allSatisfy(\.isWhitespace) { throw .empty }
        return text
    }

    /// NFC, CR and BOM dropped, non-breaking and other unusual spaces made plain ASCII spaces.
    static func normalise(_ raw: String) -> String {
        var text = raw
        // Text with no combining mark is already NFC for Vietnamese (precomposed letters are NFC);
        // running the full normalisation only when needed keeps large files fast.
        let scan = scanBytes(text.utf8)
        if scan.combining { text = VietnameseText.nfc(text) }
        guard scan.specialSpace else { return text }
        var needsWork = false
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0D, 0xFEFF, 0x200B:
                needsWork = true
            case 0x00A0, 0x2000...0x200A, 0x202F, 0x205F, 0x3000, 0x0085:
                needsWork = true
                bytes.append(0x20)
            case 0x2028, 0x2029:
                needsWork = true
                bytes.append(0x0A)
            default:
                bytes.append(contentsOf: scalar.utf8)
            }
        }
        return needsWork ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// One pass over the bytes: combining marks (U+0300–U+036F, the marks of decomposed Vietnamese)
    /// call for NFC; a CR, a BOM or one of the spaces `normalise` replaces calls for a rewrite.
    private static func scanBytes(_ utf8: String.UTF8View) -> (combining: Bool, specialSpace: Bool) {
        var combining = false
        var specialSpace = false
        var previous: UInt8 = 0
        var beforePrevious: UInt8 = 0
        for byte in utf8 {
            switch (beforePrevious, previous, byte) {
            case (_, 0xCC, 0x80...0xBF), (_, 0xCD, 0x80...0xAF):
                combining = true
            case (_, _, 0x0D), (_, 0xC2, 0xA0), (_, 0xC2, 0x85), (0xEF, 0xBB, 0xBF), (0xE2, 0x80, 0x80...0x8B),
                (0xE2, 0x80, 0xA8...0xA9), (0xE2, 0x80, 0xAF), (0xE2, 0x81, 0x9F), (0xE3, 0x80, 0x80):
                specialSpace = true
            default:
                break
            }
            if combining && specialSpace { break }
            beforePrevious = previous
            previous = byte
        }
        return (combining, specialSpace)
    }

    /// UTF-16 with a BOM, or without one when every other byte is zero (ASCII-heavy text).
    private static func decodeUTF16(_ bytes: [UInt8]) -> String? {
        var littleEndian: Bool
        var body = bytes[...]
        if bytes.starts(with: [0xFF, 0xFE]) {
            littleEndian = true
            body = body.dropFirst(2)
        } else if bytes.starts(with: [0xFE, 0xFF]) {
            littleEndian = false
            body = body.dropFirst(2)
        } else {
            guard bytes.count >= 4 else { return nil }
            let sample = bytes.prefix(512)
            let evenZeros = stride(from: 0, to: sample.count, by: 2).filter { sample[$0] == 0 }.count
            let oddZeros = stride(from: 1, to: sample.count, by: 2).filter { sample[$0] == 0 }.count
            let half = sample.count / 2
            if oddZeros * 10 >= half * 3 && evenZeros * 10 < half {
                littleEndian = true
            } else if evenZeros * 10 >= half * 3 && oddZeros * 10 < half {
                littleEndian = false
            } else {
                return nil
            }
        }
        guard body.count % 2 == 0 else { return nil }
        var units: [UInt16] = []
        units.reserveCapacity(body.count / 2)
        var index = body.startIndex
        while index < body.endIndex {
            let first = UInt16(body[index])
            let second = UInt16(body[index + 1])
            units.append(littleEndian ? first | second << 8 : first << 8 | second)
            index += 2
        }
        return String(validating: units, as: UTF16.self)
    }

    /// Mostly printable single-byte text with high bytes: a legacy 8-bit encoding, not binary.
    private static func looksLikeText(_ bytes: ArraySlice<UInt8>) -> Bool {
        let controls = bytes.filter { $0 < 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }.count
        let printable = bytes.filter { (0x20..<0x7F).contains($0) }.count
        return controls * 50 < bytes.count && printable * 2 > bytes.count
    }
}

/// Windows-1258, the Vietnamese code page of Windows: letters with a circumflex, breve or horn as one
/// byte, tone marks as combining bytes after the letter (NFC composes them). Text is taken to be in it
/// only when its tone bytes follow letters, as Vietnamese does, and it has none of the bytes the code
/// page leaves undefined; TCVN3 and VNI (which put the tones in other bytes) are refused as before.
enum Windows1258 {
    /// The bytes that differ from Latin-1 in 0xA0–0xFF, and 0x80–0x9F.
    static let table: [UInt8: UInt32] = [
        0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021, 0x88: 0x02C6,
        0x89: 0x2030, 0x8B: 0x2039, 0x8C: 0x0152, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022,
        0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC, 0x99: 0x2122, 0x9B: 0x203A, 0x9C: 0x0153, 0x9F: 0x0178,
        0xC3: 0x0102, 0xCC: 0x0300, 0xD0: 0x0110, 0xD2: 0x0309, 0xD5: 0x01A0, 0xDD: 0x01AF, 0xDE: 0x0303, 0xE3: 0x0103,
        0xEC: 0x0301, 0xF0: 0x0111, 0xF2: 0x0323, 0xF5: 0x01A1, 0xFD: 0x01B0, 0xFE: 0x20AB,
    ]
    static let undefined: Set<UInt8> = [0x81, 0x8A, 0x8D, 0x8E, 0x8F, 0x90, 0x9A, 0x9D, 0x9E]
    static let tones: Set<UInt8> = [0xCC, 0xEC, 0xDE, 0xD2, 0xF2]

    static func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        var tonesAfterLetters = 0
        var symbols = 0
        // VNI writes a tone as a byte after the vowel too, in bytes that are letters here (ø, ù, û, ï).
        var vniTones = 0
        var previous: UInt8 = 0
        for byte in bytes {
            if undefined.contains(byte) { return nil }
            if [0xEF, 0xF8, 0xF9, 0xFB].contains(byte), [0x61, 0x65, 0x69, 0x6F, 0x75, 0x79].contains(previous | 0x20) {
                vniTones += 1
            }
            if tones.contains(byte) {
                let afterLetter =
                    (0x41...0x5A).contains(previous) || (0x61...0x7A).contains(previous)
                    || [0xC2, 0xC3, 0xCA, 0xD4, 0xD5, 0xDD, 0xE2, 0xE3, 0xEA, 0xF4, 0xF5, 0xFD].contains(previous)
                if afterLetter { tonesAfterLetters += 1 } else { return nil }
            } else if (0xA1...0xBF).contains(byte) {
                symbols += 1
            }
            previous = byte
        }
        guard tonesAfterLetters >= 3, tonesAfterLetters > symbols * 2, vniTones * 4 < tonesAfterLetters else { return nil }
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value = byte < 0x80 ? UInt32(byte) : table[byte] ?? UInt32(byte)
            if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
        }
        return String(scalars)
    }
}
