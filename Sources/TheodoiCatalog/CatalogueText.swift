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

    public var description: String { message }

    /// A reason with its message (a spreadsheet reader outside this module reports its own).
    public init(reason: Reason, message: String) {
        self.reason = reason
        self.message = message
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
            guard let text = String(validating: body, as: UTF8.self) else {
                throw looksLikeText(body) ? .legacyEncoding : .binary
            }
            raw = text
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
