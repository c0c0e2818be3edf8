import Foundation
import TheodoiCore

/// Reads the first worksheet of an XLSX workbook into rows of cell text, as a person sees them:
/// shared and inline strings (rich-text runs joined), numbers without a spurious ".0", booleans, and
/// cells formatted as dates written dd/MM/yyyy (MM/yyyy or yyyy when the format shows no day).
///
/// Refuses, with a Vietnamese message saying what to do, what is not such a workbook: not a ZIP, an
/// encrypted or Excel 97–2003 file, no worksheet, or more than `maximumUncompressedBytes` once
/// unzipped (so a small "zip bomb" cannot fill the memory).
public enum XLSXReader {
    /// The most bytes the parts read may take once uncompressed.
    public static let maximumUncompressedBytes = 50 << 20
    /// The most cells (empty ones up to the last filled cell of each row included) a sheet may have.
    public static let maximumCells = 2_000_000

    /// Whether `bytes` start like a ZIP archive (an XLSX is one).
    public static func looksLikeZip(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06])
    }

    public static func read(_ bytes: [UInt8]) throws(XLSXReadError) -> Spreadsheet {
        try read(Data(bytes))
    }

    public static func read(_ data: Data) throws(XLSXReadError) -> Spreadsheet {
        guard looksLikeZip(data) else {
            if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
                throw containsEncryptionInfo(data) ? .encrypted : .legacyFormat
            }
            throw .notZip
        }
        var package = try Package(data)
        let workbookPath = try package.officeDocumentPath()
        guard let workbookData = try package.part(workbookPath) else { throw .notWorkbook }
        let workbook = try WorkbookPart(parsing: workbookData, part: workbookPath)
        let relationships = try package.relationships(of: workbookPath)
        let sheets = workbook.sheets.compactMap { sheet -> (WorkbookPart.Sheet, String)? in
            guard let target = relationships[sheet.relationship], target.type.hasSuffix("/worksheet") else { return nil }
            return (sheet, Package.resolve(target.target, from: workbookPath))
        }
        guard let (sheet, sheetPath) = sheets.first(where: { !$0.0.hidden }) ?? sheets.first,
            let sheetData = try package.part(sheetPath)
        else { throw .noWorksheet }

        var sharedStrings: [String] = []
        var formats: [NumberFormat] = []
        for relationship in relationships.values {
            let path = Package.resolve(relationship.target, from: workbookPath)
            if relationship.type.hasSuffix("/sharedStrings"), let data = try package.part(path) {
                sharedStrings = try SharedStringsPart(parsing: data, part: path).strings
            } else if relationship.type.hasSuffix("/styles"), let data = try package.part(path) {
                formats = try StylesPart(parsing: data, part: path).formats
            }
        }
        let values = CellValues(sharedStrings: sharedStrings, formats: formats, date1904: workbook.date1904)
        let worksheet = try WorksheetPart(parsing: sheetData, part: sheetPath, values: values)
        return Spreadsheet(sheetName: sheet.name, rows: try worksheet.rows(), mergedRanges: worksheet.mergedRanges)
    }

    /// An OLE compound file holding "EncryptionInfo" (UTF-16 in its directory) is an encrypted OOXML package.
    static func containsEncryptionInfo(_ data: Data) -> Bool {
        let pattern = Array("EncryptionInfo".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        let bytes = [UInt8](data)
        guard bytes.count >= pattern.count else { return false }
        for start in 0...(bytes.count - pattern.count) where bytes[start] == pattern[0] {
            if bytes[start..<start + pattern.count].elementsEqual(pattern) { return true }
        }
        return false
    }
}

/// Why bytes could not be read as an XLSX workbook; the message is Vietnamese and says what to do.
public struct XLSXReadError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: String, Sendable, Hashable {
        case notZip = "not-zip"
        case encrypted
        case legacyFormat = "legacy-format"
        case notWorkbook = "not-workbook"
        case noWorksheet = "no-worksheet"
        case tooLarge = "too-large"
        case malformed
    }

    public var reason: Reason
    public var message: String
    public var description: String { message }

    static let notZip = XLSXReadError(
        reason: .notZip,
        message:
            "Tệp không phải bảng tính XLSX (nội dung không phải tệp nén của Excel). "
            + "Hãy mở bằng Excel hoặc LibreOffice rồi lưu lại dưới dạng .xlsx.")
    static let encrypted = XLSXReadError(
        reason: .encrypted,
        message:
            "Bảng tính được đặt mật khẩu (đã mã hóa) nên không đọc được. "
            + "Hãy mở bằng Excel, bỏ mật khẩu rồi lưu lại dưới dạng .xlsx.")
    static let legacyFormat = XLSXReadError(
        reason: .legacyFormat,
        message:
            "Tệp là bảng tính Excel 97–2003 (.xls), chưa đọc được trực tiếp. "
            + "Hãy mở bằng Excel hoặc LibreOffice và lưu lại dưới dạng .xlsx.")
    static let notWorkbook = XLSXReadError(
        reason: .notWorkbook,
        message:
            "Tệp nén không phải bảng tính Excel (không có phần xl/workbook.xml); có thể là tệp Word hoặc tệp .zip khác.")
    static let noWorksheet = XLSXReadError(
        reason: .noWorksheet, message: "Bảng tính không có trang tính (worksheet) nào để đọc.")
    static let tooLarge = XLSXReadError(
        reason: .tooLarge,
        message:
            "Bảng tính quá lớn: khi giải nén vượt \(XLSXReader.maximumUncompressedBytes >> 20) MB. "
            + "Danh mục nhiệm vụ chỉ cần một trang tính; hãy xóa các trang và hình ảnh thừa rồi lưu lại.")
    static let tooManyCells = XLSXReadError(
        reason: .tooLarge,
        message:
            "Trang tính quá lớn (hơn \(XLSXReader.maximumCells) ô tính đến ô có dữ liệu cuối cùng của mỗi dòng). "
            + "Hãy xóa các dòng, cột thừa rồi lưu lại.")

    static func malformed(_ part: String, _ detail: String) -> XLSXReadError {
        XLSXReadError(
            reason: .malformed,
            message:
                "Bảng tính bị hỏng: phần \(part) không đọc được (\(detail)). "
                + "Hãy mở bằng Excel hoặc LibreOffice rồi lưu lại dưới dạng .xlsx.")
    }
}

/// The ZIP package of a workbook, read part by part within the size budget.
struct Package {
    private let archive: ZipReader
    private var entries: [String: ZipReader.Entry] = [:]
    private var budget = XLSXReader.maximumUncompressedBytes

    init(_ data: Data) throws(XLSXReadError) {
        do {
            archive = try ZipReader([UInt8](data))
        } catch .tooLarge {
            throw .tooLarge
        } catch .notZip {
            throw .notZip
        } catch {
            throw .malformed("ZIP", "cấu trúc tệp nén bị hỏng")
        }
        for entry in archive.entries where entries[entry.path.lowercased()] == nil {
            entries[entry.path.lowercased()] = entry
        }
        if entries.isEmpty { throw .notZip }
    }

    /// The uncompressed bytes of a part, nil when the package has none of that name.
    mutating func part(_ path: String) throws(XLSXReadError) -> Data? {
        guard let entry = entries[path.lowercased()], !entry.isDirectory else { return nil }
        let bytes: [UInt8]
        do {
            bytes = try archive.extract(entry, limit: budget)
        } catch .tooLarge {
            throw .tooLarge
        } catch .unsupported(let detail) where detail.hasPrefix("encrypted") {
            throw .encrypted
        } catch {
            throw .malformed(path, "không giải nén được")
        }
        budget -= bytes.count
        return Data(bytes)
    }

    /// The main part the package's root relationships name, or the usual one (`xl/workbook.xml`,
    /// `word/document.xml`).
    mutating func officeDocumentPath(fallback: String = "xl/workbook.xml") throws(XLSXReadError) -> String {
        let root = try relationships(of: "")
        let target = root.values.first { $0.type.hasSuffix("/officeDocument") }?.target
        let path = target.map { Package.resolve($0, from: "") } ?? fallback
        return entries[path.lowercased()] == nil ? fallback : path
    }

    /// The relationships of a part (`xl/_rels/workbook.xml.rels` for `xl/workbook.xml`), by id.
    mutating func relationships(of part: String) throws(XLSXReadError) -> [String: RelationshipsPart.Relationship] {
        let directory = Package.directory(of: part)
        let name = part.split(separator: "/").last.map(String.init) ?? ""
        let path = directory + "_rels/" + name + ".rels"
        guard let data = try self.part(path) else { return [:] }
        return try RelationshipsPart(parsing: data, part: path).byID
    }

    /// "xl/" for "xl/workbook.xml"; "" for a part at the root.
    static func directory(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "" }
        return String(part[...slash])
    }

    /// A relationship target as a package path: absolute ("/xl/…") or relative to the source part, with ".." resolved.
    static func resolve(_ target: String, from source: String) -> String {
        let joined = target.hasPrefix("/") ? String(target.dropFirst()) : directory(of: source) + target
        var components: [Substring] = []
        for component in joined.split(separator: "/") {
            if component == ".." {
                _ = components.popLast()
            } else if component != "." {
                components.append(component)
            }
        }
        return components.joined(separator: "/")
    }
}
