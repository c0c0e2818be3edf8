import Foundation
import TheodoiCore
import TheodoiStore

extension Reporting {
    /// A file type we accept: its extensions, the content type we serve it with, and how its first bytes begin.
    struct AllowedType {
        var extensions: [String]
        var contentType: String
        var signatures: [[UInt8]]
    }

    static let allowedTypes: [AllowedType] = {
        let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        return [
            AllowedType(extensions: ["pdf"], contentType: "application/pdf", signatures: [Array("%PDF-".utf8)]),
            AllowedType(extensions: ["doc"], contentType: "application/msword", signatures: [ole]),
            AllowedType(extensions: ["xls"], contentType: "application/vnd.ms-excel", signatures: [ole]),
            AllowedType(extensions: ["ppt"], contentType: "application/vnd.ms-powerpoint", signatures: [ole]),
            AllowedType(
                extensions: ["docx"],
                contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", signatures: [zip]),
            AllowedType(
                extensions: ["xlsx"], contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                signatures: [zip]),
            AllowedType(
                extensions: ["pptx"],
                contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation", signatures: [zip]),
            AllowedType(extensions: ["odt"], contentType: "application/vnd.oasis.opendocument.text", signatures: [zip]),
            AllowedType(extensions: ["ods"], contentType: "application/vnd.oasis.opendocument.spreadsheet", signatures: [zip]),
            AllowedType(extensions: ["jpg", "jpeg"], contentType: "image/jpeg", signatures: [[0xFF, 0xD8, 0xFF]]),
            AllowedType(
                extensions: ["png"], contentType: "image/png", signatures: [[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]]),
        ]
    }()

    /// The accepted extensions, for messages and the form's `accept` attribute.
    public static var allowedExtensions: [String] { allowedTypes.flatMap(\.extensions) }

    /// Checks an upload (type by extension and by content, size) and describes it for the store;
    /// the content type comes from the checked type, never from the client.
    public static func checkedAttachment(_ file: UploadedFile) throws -> NewAttachment {
        let name = safeFileName(file.fileName)
        let fileExtension = name.split(separator: ".").count > 1 ? String(name.split(separator: ".").last ?? "").lowercased() : ""
        guard let type = allowedTypes.first(where: { $0.extensions.contains(fileExtension) }) else {
            throw ProgressRefusal(
                .invalid,
                "Tệp “\(name)” không thuộc loại được nhận. Chỉ nhận PDF, văn bản Word, bảng tính Excel, trình chiếu PowerPoint, OpenDocument và ảnh JPG/PNG (.\(allowedExtensions.joined(separator: ", ."))).",
                api: "file type .\(fileExtension) is not accepted; accepted: \(allowedExtensions.joined(separator: ", "))",
                field: "files")
        }
        guard !file.bytes.isEmpty else {
            throw ProgressRefusal(.invalid, "Tệp “\(name)” rỗng (0 byte).", api: "file \(name) is empty", field: "files")
        }
        guard file.bytes.count <= maximumAttachmentBytes else {
            throw ProgressRefusal(
                .invalid,
                "Tệp “\(name)” nặng \(megabytes(file.bytes.count)), vượt giới hạn 20 MB mỗi tệp. Hãy nén hoặc chia nhỏ tệp.",
                api: "file \(name) is \(file.bytes.count) bytes; the limit is \(maximumAttachmentBytes)", field: "files")
        }
        guard type.signatures.contains(where: { file.bytes.starts(with: $0) }) else {
            throw ProgressRefusal(
                .invalid, "Nội dung tệp “\(name)” không phải tệp .\(fileExtension) thật (có thể đã bị đổi đuôi).",
                api: "the content of \(name) is not a .\(fileExtension) file", field: "files")
        }
        return NewAttachment(
            fileName: name, contentType: type.contentType, bytes: file.bytes, sha256: SHA256.hex(bytes: file.bytes))
    }

    /// The last path component, NFC, without control characters or quotes, at most 200 characters.
    static func safeFileName(_ raw: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = VietnameseText.nfc(last).unicodeScalars.filter {
            !CharacterSet.controlCharacters.contains($0) && $0 != "\"" && $0 != "<" && $0 != ">"
        }
        var name = String(String.UnicodeScalarView(cleaned)).trimmingCharacters(in: .whitespaces)
        if name.count > 200 { name = String(name.suffix(200)) }
        return name.isEmpty ? "tep-dinh-kem" : name
    }

    /// "20,5 MB".
    public static func megabytes(_ bytes: Int) -> String {
        let tenths = (bytes * 10 + 524_288) / 1_048_576
        return "\(tenths / 10),\(tenths % 10) MB"
    }
}
