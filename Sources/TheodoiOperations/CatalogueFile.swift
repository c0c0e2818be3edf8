import Foundation
import TheodoiCatalog
import TheodoiExport

/// Reads a catalogue file of any supported format, told by its content. Text formats go straight to
/// the catalogue parser; an XLSX workbook or a Word document (ZIP bytes) is read into a table first,
/// then parsed by the same rules as CSV.
public enum CatalogueFile {
    /// The file name endings the import accepts.
    public static let extensions = [
        "docx", "doc", "odt", "rtf", "pdf", "png", "jpg", "jpeg", "tif", "tiff", "xlsx", "csv", "tsv", "txt", "md", "html", "htm",
    ]

    /// The kind of an older or other office document LibreOffice turns into .docx: "doc" (Word
    /// 97–2003), "odt" (OpenDocument text), "rtf"; nil for anything else.
    public static func convertibleDocument(_ data: Data) -> String? {
        let bytes = [UInt8](data.prefix(1 << 20))
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            // An OLE file holding a "WordDocument" stream (named in UTF-16 in its directory).
            let name = Array("WordDocument".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            return contains(bytes, name) ? "doc" : nil
        }
        if XLSXReader.looksLikeZip(bytes),
            contains(Array(bytes.prefix(200)), Array("application/vnd.oasis.opendocument.text".utf8))
        {
            return "odt"
        }
        if bytes.starts(with: Array("{\\rtf".utf8)) { return "rtf" }
        return nil
    }

    private static func contains(_ bytes: [UInt8], _ pattern: [UInt8]) -> Bool {
        guard let first = pattern.first, bytes.count >= pattern.count else { return false }
        for start in 0...(bytes.count - pattern.count) where bytes[start] == first {
            if bytes[start..<start + pattern.count].elementsEqual(pattern) { return true }
        }
        return false
    }

    /// Whether reading the file means character recognition (an image), as far as its first bytes
    /// tell; a PDF with no text layer is known only once poppler has looked.
    public static func isImage(_ data: Data) -> Bool { CharacterRecognizer.imageKind(data) != nil }

    /// Whether reading the file means character recognition: an image, or a PDF with no text layer
    /// (poppler looks; without it, or for anything else, false).
    public static func needsRecognition(_ data: Data, pdfText: PDFTextExtractor?) async -> Bool {
        if isImage(data) { return true }
        guard data.starts(with: Array("%PDF".utf8)), let pdfText, let pages = try? await pdfText.pages([UInt8](data)) else {
            return false
        }
        return pages.map(\.words.count).reduce(0, +) < 3 * max(pages.count, 1)
    }

    /// A .doc, .odt or .rtf turned into .docx with LibreOffice; a PDF with a text layer turned into
    /// the tab-separated lines of its table (poppler's word boxes, `PDFLayoutReader`); a scanned PDF
    /// or an image read by Tesseract into a `RecognisedDocument` (`progress` tells its pages); any
    /// other file as it is.
    public static func converted(
        _ data: Data, converter: OfficeConverter?, pdfText: PDFTextExtractor? = nil,
        recognizer: CharacterRecognizer? = nil, progress: CharacterRecognizer.Progress? = nil
    ) async throws(CatalogueReadError) -> Data {
        if data.starts(with: Array("%PDF".utf8)) {
            return try await pdfLines(data, pdfText: pdfText, recognizer: recognizer, progress: progress)
        }
        if isImage(data) { return try await recognised(data, isPDF: false, recognizer: recognizer, progress: progress) }
        guard let kind = convertibleDocument(data) else { return data }
        let name =
            switch kind {
            case "doc": "văn bản Word 97–2003 (.doc)"
            case "odt": "văn bản OpenDocument (.odt)"
            default: "văn bản RTF (.rtf)"
            }
        guard let converter else {
            throw CatalogueReadError(
                reason: .document,
                message:
                    "Tệp là \(name): máy chủ cần LibreOffice để chuyển sang .docx (Debian: apt-get install libreoffice-writer; "
                    + "hoặc đặt SOFFICE chỉ tới soffice). Cũng có thể mở tệp bằng Word và lưu lại dưới dạng .docx.")
        }
        do {
            return Data(try await converter.convert([UInt8](data), fileExtension: kind, to: "docx"))
        } catch {
            throw CatalogueReadError(
                reason: .document,
                message:
                    "Không chuyển được \(name) sang .docx bằng LibreOffice (tệp có thể bị hỏng hoặc đặt mật khẩu). "
                    + "Hãy mở bằng Word và lưu lại dưới dạng .docx.")
        }
    }

    /// The table lines of a PDF from poppler's word boxes (`pdftotext -bbox-layout` output).
    public static func pdfTableText(layout: [UInt8]) -> String {
        PDFLayoutReader.tabText(PDFLayoutReader.pages(layout))
    }

    /// A PDF's table as tab-separated lines, read from the words of its text layer.
    static func pdfLines(
        _ data: Data, pdfText: PDFTextExtractor?, recognizer: CharacterRecognizer?, progress: CharacterRecognizer.Progress?
    ) async throws(CatalogueReadError) -> Data {
        guard let pdfText else {
            throw CatalogueReadError(
                reason: .document,
                message:
                    "Tệp là PDF: máy chủ cần poppler để đọc (Debian: apt-get install poppler-utils). "
                    + "Cũng có thể nhập bản Word (.docx) của văn bản.",
                detail: "a PDF needs poppler (Debian: poppler-utils)")
        }
        let pages: [PDFLayoutReader.Page]
        do {
            pages = try await pdfText.pages([UInt8](data))
        } catch {
            throw CatalogueReadError(
                reason: .document,
                message:
                    "Không đọc được tệp PDF (tệp bị hỏng hoặc đặt mật khẩu). Hãy mở lại và lưu thành PDF mới, "
                    + "hoặc nhập bản Word (.docx) của văn bản.",
                detail: "the PDF cannot be read (damaged or encrypted)")
        }
        // A scan has no text layer (a few words, a stamp's or a page number's, are not one).
        guard pages.map(\.words.count).reduce(0, +) >= 3 * max(pages.count, 1) else {
            return try await recognised(data, isPDF: true, recognizer: recognizer, progress: progress)
        }
        return Data(PDFLayoutReader.tabText(pages).utf8)
    }

    /// A scanned PDF or an image read by character recognition, as a `RecognisedDocument`.
    static func recognised(
        _ data: Data, isPDF: Bool, recognizer: CharacterRecognizer?, progress: CharacterRecognizer.Progress?
    ) async throws(CatalogueReadError) -> Data {
        let what = isPDF ? "Tệp PDF không có lớp chữ (bản quét)" : "Tệp là ảnh quét"
        guard let recognizer else {
            throw CatalogueReadError(
                reason: .document,
                message:
                    "\(what): máy chủ cần Tesseract với dữ liệu tiếng Việt để nhận dạng ký tự "
                    + "(Debian: apt-get install tesseract-ocr tesseract-ocr-vie). "
                    + "Cũng có thể nhập bản Word (.docx) hoặc PDF in từ Word của văn bản.",
                detail: "a scanned copy needs Tesseract with Vietnamese data (Debian: tesseract-ocr tesseract-ocr-vie)")
        }
        let pages: [PDFLayoutReader.Page]
        do {
            pages = try await recognizer.pages(data, isPDF: isPDF, progress: progress)
        } catch let failure as CharacterRecognizer.Failure {
            throw CatalogueReadError(
                reason: .document, message: failure.description, detail: "character recognition failed: \(failure.english)")
        } catch {
            throw CatalogueReadError(
                reason: .document, message: "\(what): nhận dạng ký tự không chạy được trên máy chủ (\(error)).")
        }
        let lines = PDFLayoutReader.table(pages)
        guard lines.contains(where: { $0.count > 1 }) else {
            throw CatalogueReadError(
                reason: .notATable,
                message:
                    "\(what): đã nhận dạng \(pages.count) trang nhưng không thấy bảng danh mục (dòng tiêu đề “TT”, "
                    + "“Nội dung thực hiện”, “Đơn vị chủ trì” …). Hãy quét lại rõ hơn (200–300 dpi, trang thẳng) "
                    + "hoặc nhập bản Word (.docx) của văn bản.",
                detail: "no table of tasks found in the \(pages.count) recognised page(s)")
        }
        return RecognisedDocument(pages: pages.count, lines: lines).data
    }

    /// Whether the file is a Word document (a ZIP with `word/document.xml`), whatever its name.
    public static func isWordDocument(_ data: Data, format: CatalogueFormat = .auto) -> Bool {
        switch format {
        case .docx: true
        case .auto: DOCXReader.isWordDocument(data)
        default: false
        }
    }

    /// Whether the file goes through the spreadsheet reader.
    public static func isSpreadsheet(_ data: Data, fileName: String, format: CatalogueFormat = .auto) -> Bool {
        switch format {
        case .xlsx: true
        case .auto: XLSXReader.looksLikeZip(data) || fileName.lowercased().hasSuffix(".xlsx")
        default: false
        }
    }

    /// The catalogue a file holds, with its findings; throws only when it cannot be read as one at all.
    public static func parse(
        _ data: Data, fileName: String, format: CatalogueFormat = .auto, parser: CatalogueParser
    ) throws(CatalogueReadError) -> Catalogue {
        if var recognised = RecognisedDocument(data) {
            // Put right what recognition is known to get wrong, each change noted, as part of reading.
            recognised = recognised.repaired(agencies: parser.directory.entries.map(\.name))
            var catalogue = try parser.parse(Data(recognised.text.utf8), format: .pdfText)
            catalogue.findings += recognised.findings(for: catalogue)
            catalogue.findings.sort { ($0.line, $0.code.rawValue) < ($1.line, $1.code.rawValue) }
            return catalogue
        }
        if isWordDocument(data, format: format) { return try parser.parse(table: try documentTable(data), format: .docx) }
        guard isSpreadsheet(data, fileName: fileName, format: format) else { return try parser.parse(data, format: format) }
        return try parser.parse(table: try table(data), format: .xlsx)
    }

    /// A Word document as a catalogue table: the paragraphs above and between its tables as lines of
    /// one cell (the heading, a part's title written between two tables), then every table's rows
    /// with their merged cells. Paragraphs after the last table (signature, recipients) are not read.
    public static func documentTable(_ data: Data) throws(CatalogueReadError) -> CatalogueTable {
        let document: WordDocument
        do {
            document = try DOCXReader.read(data)
        } catch {
            throw CatalogueReadError(reason: .document, message: error.message)
        }
        guard let grid = document.grid() else {
            throw CatalogueReadError(
                reason: .notATable,
                message:
                    "Văn bản Word không có bảng nào. Danh mục nhiệm vụ cần là một bảng (Insert → Table) với các cột "
                    + "“TT”, “Nội dung thực hiện”, “Đơn vị chủ trì”, “Đơn vị phối hợp”, “Thời gian hoàn thành”.")
        }
        return CatalogueTable(
            rows: grid.rows,
            mergedAreas: grid.merged.map {
                CatalogueTable.MergedArea(
                    firstRow: $0.firstRow, firstColumn: $0.firstColumn, lastRow: $0.lastRow, lastColumn: $0.lastColumn)
            })
    }

    /// The first worksheet of a workbook as a catalogue table.
    public static func table(_ data: Data) throws(CatalogueReadError) -> CatalogueTable {
        let sheet: Spreadsheet
        do {
            sheet = try XLSXReader.read(data)
        } catch {
            throw CatalogueReadError(reason: .spreadsheet, message: error.message)
        }
        return CatalogueTable(
            rows: sheet.rows,
            mergedAreas: sheet.mergedRanges.map {
                CatalogueTable.MergedArea(
                    firstRow: $0.firstRow, firstColumn: $0.firstColumn, lastRow: $0.lastRow, lastColumn: $0.lastColumn)
            })
    }
}
