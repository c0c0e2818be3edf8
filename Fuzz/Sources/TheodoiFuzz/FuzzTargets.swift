import Foundation
import TheodoiCatalog
import TheodoiCore
import TheodoiExport
import TheodoiForms

/// The parsers a request's bytes reach, one libFuzzer target each, chosen by `THEODOI_FUZZ_TARGET`.
/// Each must return (a value or an error) for any input: a trap is a crash libFuzzer reports.
enum FuzzTarget: String, CaseIterable {
    case catalogueText = "catalogue-text"
    case csv, tsv, markdown, html
    case xlsx
    /// The XML parts of a workbook: the input is the worksheet, shared strings and workbook XML
    /// separated by `\n----\n`, packed uncompressed so every mutation reaches the XML reader.
    case xlsxXML = "xlsx-xml"
    /// A Word document, read into a catalogue.
    case docx
    /// The XML parts of a Word document: the document body and the numbering definitions separated
    /// by `\n----\n`, packed uncompressed so every mutation reaches the XML reader.
    case docxXML = "docx-xml"
    /// poppler's word boxes of a PDF (`pdftotext -bbox-layout`), rebuilt into a table and parsed.
    case pdfLayout = "pdf-layout"
    /// Tesseract's hOCR of a scanned page (words, boxes, confidence), straightened, rebuilt and parsed.
    case hocr
    /// A JPEG or PNG put into a PDF page (its headers and chunks read, nothing decoded).
    case imagePage = "image-page"
    case multipart
    case form
    /// A search box (the first line) over a text to mark (the rest).
    case search

    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["THEODOI_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("set THEODOI_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return target
    }()

    static let parser: CatalogueParser = {
        guard let directory = try? AgencyDirectory.bundled() else { fatalError("the bundled agency directory did not load") }
        return CatalogueParser(directory: directory)
    }()

    func run(_ bytes: [UInt8]) {
        switch self {
        case .catalogueText: _ = try? FuzzTarget.parser.parse(Data(bytes), format: .pdfText)
        case .csv: _ = try? FuzzTarget.parser.parse(Data(bytes), format: .csv)
        case .tsv: _ = try? FuzzTarget.parser.parse(Data(bytes), format: .tsv)
        case .markdown: _ = try? FuzzTarget.parser.parse(Data(bytes), format: .markdown)
        case .html: _ = try? FuzzTarget.parser.parse(Data(bytes), format: .html)
        case .xlsx:
            guard let sheet = try? XLSXReader.read(bytes) else { return }
            let table = CatalogueTable(
                rows: sheet.rows,
                mergedAreas: sheet.mergedRanges.map {
                    CatalogueTable.MergedArea(
                        firstRow: $0.firstRow, firstColumn: $0.firstColumn, lastRow: $0.lastRow, lastColumn: $0.lastColumn)
                })
            _ = try? FuzzTarget.parser.parse(table: table)
        case .xlsxXML:
            let pieces = FuzzTarget.split(bytes, on: Array("\n----\n".utf8))
            let workbook =
                pieces.count > 2
                ? pieces[2]
                : Array(
                    #"<?xml version="1.0"?><workbook xmlns:r="r"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>"#
                        .utf8)
            let relationships = Array(
                #"<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="x/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
                    .utf8)
            let package = StoredZip.bytes([
                ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", relationships),
                ("xl/worksheets/sheet1.xml", pieces.first ?? []), ("xl/sharedStrings.xml", pieces.count > 1 ? pieces[1] : []),
            ])
            FuzzTarget.xlsx.run(package)
        case .docx:
            guard let grid = (try? DOCXReader.read(Data(bytes)))?.grid() else { return }
            let table = CatalogueTable(
                rows: grid.rows,
                mergedAreas: grid.merged.map {
                    CatalogueTable.MergedArea(
                        firstRow: $0.firstRow, firstColumn: $0.firstColumn, lastRow: $0.lastRow, lastColumn: $0.lastColumn)
                })
            _ = try? FuzzTarget.parser.parse(table: table, format: .docx)
        case .docxXML:
            let pieces = FuzzTarget.split(bytes, on: Array("\n----\n".utf8))
            let relationships = Array(
                #"<Relationships><Relationship Id="rId1" Type="x/numbering" Target="numbering.xml"/></Relationships>"#.utf8)
            let package = StoredZip.bytes([
                ("word/document.xml", pieces.first ?? []), ("word/_rels/document.xml.rels", relationships),
                ("word/numbering.xml", pieces.count > 1 ? pieces[1] : []),
            ])
            FuzzTarget.docx.run(package)
        case .pdfLayout:
            let text = PDFLayoutReader.tabText(PDFLayoutReader.pages(bytes))
            _ = try? FuzzTarget.parser.parse(Data(text.utf8), format: .pdfText)
        case .hocr:
            let text = PDFLayoutReader.tabText(HOCRReader.pages(bytes))
            _ = try? FuzzTarget.parser.parse(Data(text.utf8), format: .pdfText)
        case .imagePage:
            _ = ImagePage.pdf(Data(bytes))
        case .multipart:
            // The first line is the boundary (as a Content-Type header would give it), the rest the body.
            let newline = bytes.firstIndex(of: 0x0A) ?? bytes.count
            let boundary = String(decoding: bytes[..<newline], as: UTF8.self)
            let body = Array(bytes.dropFirst(newline + 1))
            _ = try? MultipartParser.parse(body, boundary: boundary)
            _ = try? MultipartParser.leadingPart(Array(body.prefix(body.count / 2)), boundary: boundary)
            if let parts = try? MultipartParser.parse(body, boundary: boundary) {
                for part in parts {
                    _ = part.name
                    _ = part.fileName
                }
            }
            _ = HeaderParameter.value("boundary", in: boundary)
        case .form:
            // A query string or url-encoded form, and every way a value of it is read.
            let text = String(decoding: bytes, as: UTF8.self)
            for (name, value) in URLEncodedForm.pairs(text) {
                _ = RequestNumber.page(value)
                _ = RequestNumber.id(value)
                _ = RequestNumber.version(value)
                if let page = RequestNumber.page(value), let perPage = RequestNumber.parse(name, in: 1...1000) {
                    _ = RequestNumber.offset(page: page, perPage: perPage)
                }
                _ = LocalDate(iso: value)
                _ = LocalDate(vietnamese: value)
                _ = ReportingPeriod(key: value)
                _ = Deadline(parsing: value, planDate: LocalDate(year: 2025, month: 9, day: 3))
                _ = HeaderParameter.value(name, in: value)
            }
        case .search:
            let newline = bytes.firstIndex(of: 0x0A) ?? bytes.count
            let words = SearchWords(String(decoding: bytes[..<newline], as: UTF8.self))
            let text = String(decoding: bytes.dropFirst(newline + 1), as: UTF8.self)
            let pieces = words.marked(text)
            // The pieces put back together are the text: nothing lost, nothing split inside a character.
            if pieces.map(\.text).joined() != text { fatalError("marked pieces do not make up the text") }
            _ = words.matches(text)
            _ = words.filterWords
        }
    }
}

extension FuzzTarget {
    static func split(_ bytes: [UInt8], on separator: [UInt8]) -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if index + separator.count <= bytes.count, bytes[index..<(index + separator.count)].elementsEqual(separator) {
                pieces.append(current)
                current = []
                index += separator.count
            } else {
                current.append(bytes[index])
                index += 1
            }
        }
        pieces.append(current)
        return pieces
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzTarget.selected.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
