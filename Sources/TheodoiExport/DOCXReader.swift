import Foundation

/// A Word document's body as a person reads it: paragraphs and tables in order.
public struct WordDocument: Sendable, Hashable {
    public enum Block: Sendable, Hashable {
        /// A paragraph's text, with the number Word's automatic numbering shows before it ("1.", "II.").
        case paragraph(String)
        case table(WordTable)
    }

    public var blocks: [Block]

    public init(blocks: [Block]) {
        self.blocks = blocks
    }
}

extension WordDocument {
    /// The document as one grid for a table reader: the paragraphs above and between its tables as
    /// lines of one cell (the heading; a part's title written between two tables, moved under the next
    /// table's header row where a title written across the table would be), a small layout table
    /// above the last one (the heading block) as its lines side by side, then every table's rows with
    /// their merged cells. Paragraphs after the last table (signature, recipients) are left out; nil
    /// when there is no table.
    public func grid() -> (rows: [[String]], merged: [WordTable.Area])? {
        let lastTable = blocks.lastIndex {
            if case .table = $0 { return true }
            return false
        }
        guard let lastTable else { return nil }
        var rows: [[String]] = []
        var areas: [WordTable.Area] = []
        var pending: [String] = []
        var firstHeader: [String]?
        for (index, block) in blocks[...lastTable].enumerated() {
            switch block {
            case .paragraph(let text):
                pending.append(text)
            case .table(let table) where index < lastTable && table.rows.count <= 2:
                // A layout table above the catalogue (the heading block: the issuing body and "Số …" on
                // the left, the motto and the place and date on the right): its lines, side by side.
                for row in table.rows {
                    let cells = row.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
                    for line in 0..<(cells.map(\.count).max() ?? 0) {
                        let text = cells.compactMap { line < $0.count ? $0[line] : nil }.filter { !$0.isEmpty }
                            .joined(separator: "\t")
                        if !text.isEmpty { pending.append(text) }
                    }
                }
            case .table(let table):
                // A part's title written above its table belongs under that table's header row, where
                // a title written across the table would be: the lines before the first table are the
                // document's heading, except the part title that ends them.
                var headerCount = table.rows.indices.prefix { table.headerRows.contains($0) }.count
                if headerCount == 0, let first = table.rows.first, first == firstHeader { headerCount = 1 }
                if firstHeader == nil { firstHeader = table.rows.first }
                var moved: [String] = []
                if headerCount > 0 {
                    if rows.isEmpty {
                        while let last = pending.last, WordDocument.looksLikePartTitle(last) {
                            moved.insert(pending.removeLast(), at: 0)
                        }
                    } else {
                        moved = pending
                        pending = []
                    }
                }
                rows += pending.map { [$0] }
                pending = []
                let offset = rows.count
                rows.append(contentsOf: table.rows.prefix(headerCount))
                rows += moved.map { [$0] }
                rows.append(contentsOf: table.rows.dropFirst(headerCount))
                areas += table.merged.map {
                    let shift = $0.firstRow < headerCount ? offset : offset + moved.count
                    return WordTable.Area(
                        firstRow: $0.firstRow + shift, firstColumn: $0.firstColumn, lastRow: $0.lastRow + shift,
                        lastColumn: $0.lastColumn)
                }
            }
        }
        return (rows, areas)
    }

    /// "A. NHÓM NHIỆM VỤ …", "B) …", "II. NHÓM …": a part or group title, by its label.
    static func looksLikePartTitle(_ text: String) -> Bool {
        let words = text.split(separator: " ", maxSplits: 1)
        guard words.count == 2, var label = words.first else { return false }
        if let last = label.last, last == "." || last == ")" { label = label.dropLast() }
        guard !label.isEmpty, label.count <= 5 else { return false }
        return label.count == 1 && label.first.map { $0.isASCII && $0.isUppercase } == true
            || label.allSatisfy { "IVXLC".contains($0) }
    }

}

/// A table laid on its grid: row `r`, column `c` is the text of the cell that starts there ("" under
/// a merge); cells merged across columns (`gridSpan`) or down rows (`vMerge`) are listed as areas.
public struct WordTable: Sendable, Hashable {
    /// A rectangle of grid cells, 0-based and inclusive; its text is in the top-left cell.
    public typealias Area = CellRange

    public var rows: [[String]]
    public var merged: [Area]
    /// Rows marked to repeat at the top of every page (`tblHeader`), by index.
    public var headerRows: Set<Int>
}

/// Reads the main text of a `.docx` (Office Open XML) document: paragraphs with their line breaks
/// and tabs, Word's automatic numbering as the reader sees it (`numPr` and `numbering.xml`), and
/// tables with their merged cells. Deleted text, field codes and drawings are not part of it; text
/// in inserted revisions and content controls is.
///
/// Refuses, with a Vietnamese message saying what to do, what is not such a document: not a ZIP,
/// an encrypted or Word 97–2003 file, a ZIP without `word/document.xml`, a damaged part, more than
/// `XLSXReader.maximumUncompressedBytes` once unzipped, or more than `maximumCells` table cells.
public enum DOCXReader {
    /// The most table cells a document may have (a 100-page catalogue has a few thousand).
    public static let maximumCells = 500_000

    /// Whether a ZIP package is a Word document (it has `word/document.xml`).
    public static func isWordDocument(_ data: Data) -> Bool {
        guard XLSXReader.looksLikeZip(data), let archive = try? ZipReader([UInt8](data)) else { return false }
        return archive.entries.contains { $0.path.lowercased() == "word/document.xml" }
    }

    public static func read(_ data: Data) throws(DOCXReadError) -> WordDocument {
        guard XLSXReader.looksLikeZip(data) else {
            if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
                throw XLSXReader.containsEncryptionInfo(data) ? .encrypted : .legacyFormat
            }
            throw .notZip
        }
        do {
            var package = try Package(data)
            let documentPath = try package.officeDocumentPath(fallback: "word/document.xml")
            guard let document = try package.part(documentPath) else { throw DOCXReadError.notDocument }
            var numbering = Numbering()
            for relationship in try package.relationships(of: documentPath).values
            where relationship.type.hasSuffix("/numbering") {
                let path = Package.resolve(relationship.target, from: documentPath)
                if let data = try package.part(path) { numbering = try Numbering(parsing: data, part: path) }
            }
            return try BodyReader.read(document, part: documentPath, numbering: numbering)
        } catch let error as DOCXReadError {
            throw error
        } catch let error as XLSXReadError {
            throw DOCXReadError(error)
        } catch {
            throw DOCXReadError.malformed("word/document.xml", "\(error)")
        }
    }
}

/// Why bytes could not be read as a Word document; the message is Vietnamese and says what to do.
public struct DOCXReadError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: String, Sendable, Hashable {
        case notZip = "not-zip"
        case encrypted
        case legacyFormat = "legacy-format"
        case notDocument = "not-document"
        case tooLarge = "too-large"
        case malformed
    }

    public var reason: Reason
    public var message: String
    public var description: String { message }

    static let notZip = DOCXReadError(
        reason: .notZip,
        message:
            "Tệp không phải văn bản Word .docx (nội dung không phải tệp nén của Word). "
            + "Hãy mở bằng Word hoặc LibreOffice rồi lưu lại dưới dạng .docx.")
    static let encrypted = DOCXReadError(
        reason: .encrypted,
        message:
            "Văn bản Word được đặt mật khẩu (đã mã hóa) nên không đọc được. "
            + "Hãy mở bằng Word, bỏ mật khẩu rồi lưu lại dưới dạng .docx.")
    static let legacyFormat = DOCXReadError(
        reason: .legacyFormat,
        message:
            "Tệp là văn bản Word 97–2003 (.doc). Máy chủ chuyển được nếu có LibreOffice; "
            + "nếu không, hãy mở bằng Word và lưu lại dưới dạng .docx.")
    static let notDocument = DOCXReadError(
        reason: .notDocument,
        message: "Tệp nén không phải văn bản Word (không có phần word/document.xml).")
    static let tooLarge = DOCXReadError(
        reason: .tooLarge,
        message:
            "Văn bản Word quá lớn: khi giải nén vượt \(XLSXReader.maximumUncompressedBytes >> 20) MB, "
            + "hoặc các bảng có hơn \(DOCXReader.maximumCells) ô. Hãy xóa hình ảnh và phần thừa rồi lưu lại.")

    static func malformed(_ part: String, _ detail: String) -> DOCXReadError {
        DOCXReadError(
            reason: .malformed,
            message:
                "Văn bản Word bị hỏng: phần \(part) không đọc được (\(detail)). "
                + "Hãy mở bằng Word hoặc LibreOffice rồi lưu lại dưới dạng .docx.")
    }

    init(reason: Reason, message: String) {
        self.reason = reason
        self.message = message
    }

    /// The package reader's reasons, said of a Word document.
    init(_ error: XLSXReadError) {
        switch error.reason {
        case .notZip: self = .notZip
        case .encrypted: self = .encrypted
        case .legacyFormat: self = .legacyFormat
        case .tooLarge: self = .tooLarge
        case .notWorkbook, .noWorksheet: self = .notDocument
        case .malformed:
            self.init(
                reason: .malformed,
                message: error.message.replacingOccurrences(of: "Bảng tính bị hỏng", with: "Văn bản Word bị hỏng")
                    .replacingOccurrences(of: "Excel", with: "Word").replacingOccurrences(of: ".xlsx", with: ".docx"))
        }
    }
}

/// `word/numbering.xml`: each list's levels (start, format, text) and each instance's overrides.
struct Numbering {
    struct Level {
        var start = 1
        var format = "decimal"
        /// "%1.", "%1.%2", "Điều %1" …
        var text = "%1."
    }

    /// Levels by abstract list id.
    var abstracts: [String: [Int: Level]] = [:]
    /// Instance id → abstract list id, and its start overrides by level.
    var instances: [String: (abstract: String, starts: [Int: Int])] = [:]
    /// Counters as the document goes: by abstract list, one per level.
    private var counters: [String: [Int]] = [:]
    /// Instances whose start overrides were applied already.
    private var started: Set<String> = []

    init() {}

    init(parsing data: Data, part: String) throws(XLSXReadError) {
        var abstracts: [String: [Int: Level]] = [:]
        var instances: [String: (abstract: String, starts: [Int: Int])] = [:]
        var abstract: String?
        var instance: String?
        var level: Int?
        var overrideLevel: Int?
        try XMLEventReader.parse(data, part: part) { event in
            switch event {
            case .start("abstractNum", let attributes):
                abstract = attributes.value("abstractNumId")
            case .end("abstractNum"):
                abstract = nil
            case .start("lvl", let attributes) where abstract != nil:
                level = attributes.value("ilvl").flatMap { Int($0) }.map { min(max($0, 0), 8) }
                if let abstract, let level { abstracts[abstract, default: [:]][level] = Level() }
            case .end("lvl"):
                level = nil
            case .start("num", let attributes):
                instance = attributes.value("numId")
            case .end("num"):
                instance = nil
            case .start("abstractNumId", let attributes):
                if let instance, let value = attributes.value("val") { instances[instance] = (value, [:]) }
            case .start("lvlOverride", let attributes):
                overrideLevel = attributes.value("ilvl").flatMap { Int($0) }.map { min(max($0, 0), 8) }
            case .end("lvlOverride"):
                overrideLevel = nil
            case .start("startOverride", let attributes):
                if let instance, let overrideLevel, let value = attributes.value("val").flatMap({ Int($0) }) {
                    instances[instance]?.starts[overrideLevel] = min(max(value, 0), 1_000_000)
                }
            case .start(let name, let attributes) where abstract != nil && level != nil && overrideLevel == nil:
                guard let abstract, let level, let value = attributes.value("val") else { return }
                switch name {
                case "start": abstracts[abstract]?[level]?.start = min(max(Int(value) ?? 1, 0), 1_000_000)
                case "numFmt": abstracts[abstract]?[level]?.format = value
                case "lvlText": abstracts[abstract]?[level]?.text = value
                default: break
                }
            default: break
            }
        }
        self.abstracts = abstracts
        self.instances = instances
    }

    /// The label Word shows for the next paragraph of list `id` at `level` ("3.", "II.", "a)"), and
    /// the counters move on; "" for a bullet or an unknown list.
    mutating func label(id: String, level rawLevel: Int) -> String {
        guard id != "0", let instance = instances[id], let levels = abstracts[instance.abstract] else { return "" }
        let level = min(max(rawLevel, 0), 8)
        var counts = counters[instance.abstract] ?? Array(repeating: 0, count: 9)
        if !started.contains(id) {
            started.insert(id)
            for (overridden, start) in instance.starts { counts[overridden] = start - 1 }
        }
        let start = levels[level]?.start ?? 1
        counts[level] = max(counts[level], start - 1) + 1
        for deeper in (level + 1)..<9 { counts[deeper] = (levels[deeper]?.start ?? 1) - 1 }
        counters[instance.abstract] = counts
        guard let definition = levels[level], definition.format != "bullet", definition.format != "none" else { return "" }
        var text = definition.text
        for shown in 0...level {
            let format = levels[shown]?.format ?? "decimal"
            let value = shown == level ? counts[level] : max(counts[shown], levels[shown]?.start ?? 1)
            text = text.replacingOccurrences(of: "%\(shown + 1)", with: Numbering.format(value, format))
        }
        return text
    }

    static func format(_ value: Int, _ format: String) -> String {
        switch format {
        case "upperRoman": roman(value)
        case "lowerRoman": roman(value).lowercased()
        case "upperLetter": letters(value)
        case "lowerLetter": letters(value).lowercased()
        case "decimalZero": value < 10 ? "0\(value)" : "\(value)"
        default: "\(value)"
        }
    }

    static func roman(_ value: Int) -> String {
        guard value > 0, value < 4000 else { return "\(value)" }
        let symbols = [
            (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"),
            (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
        ]
        var rest = value
        var text = ""
        for (amount, symbol) in symbols {
            while rest >= amount {
                text += symbol
                rest -= amount
            }
        }
        return text
    }

    /// 1 → A, 26 → Z, 27 → AA (Word repeats the letter: 27 is "AA", 28 "BB").
    static func letters(_ value: Int) -> String {
        guard value > 0, value <= 780 else { return "\(value)" }
        let letter = Character(UnicodeScalar(UInt8(65 + (value - 1) % 26)))
        return String(repeating: letter, count: (value - 1) / 26 + 1)
    }
}

extension [String: String] {
    /// An attribute by its local name, whatever prefix the writer bound (`w:val`, `val`).
    func value(_ local: String) -> String? {
        if let value = self["w:" + local] ?? self[local] { return value }
        return first { $0.key.hasSuffix(":" + local) }?.value
    }
}

/// One pass over `word/document.xml`'s body.
private struct BodyReader {
    struct Cell {
        var paragraphs: [String] = []
        var span = 1
        /// nil: no vertical merge; true: starts one; false: continues the one above.
        var mergeStart: Bool?
    }

    struct Row {
        var cells: [Cell] = []
        var skipped = 0
        var header = false
    }

    struct TableBuilder {
        var rows: [Row] = []
    }

    var blocks: [WordDocument.Block] = []
    var numbering: Numbering
    /// Open tables, innermost last; a table in a cell is read as that cell's text.
    var tables: [TableBuilder] = []
    var row: [Row] = []
    var cell: [Cell] = []
    var paragraph = ""
    var numberID: String?
    var numberLevel = 0
    var inText = false
    /// Inside deleted text, field instructions, drawings and the like: not read.
    var skipping = 0
    var cells = 0
    var tooLarge = false

    static let skipped: Set<String> = [
        "delText", "instrText", "drawing", "pict", "object", "footnoteReference", "endnoteReference", "del", "rPrChange",
        "pPrChange", "tabs", "moveFrom",
    ]

    static func read(_ data: Data, part: String, numbering: Numbering) throws(DOCXReadError) -> WordDocument {
        var reader = BodyReader(numbering: numbering)
        do {
            try XMLTokenizer.parse([UInt8](data)) { reader.handle($0) }
        } catch {
            throw .malformed(part, "XML sai cấu trúc ở dòng \(error.line): \(error.reason)")
        }
        if reader.tooLarge { throw .tooLarge }
        return WordDocument(blocks: reader.blocks)
    }

    init(numbering: Numbering) {
        self.numbering = numbering
    }

    mutating func handle(_ event: XMLEvent) {
        guard !tooLarge else { return }
        switch event {
        case .start(let name, _) where BodyReader.skipped.contains(name):
            skipping += 1
        case .end(let name) where BodyReader.skipped.contains(name):
            skipping = max(0, skipping - 1)
        case _ where skipping > 0:
            return
        case .start("p", _):
            paragraph = ""
            numberID = nil
            numberLevel = 0
        case .start("numId", let attributes):
            numberID = attributes.value("val")
        case .start("ilvl", let attributes):
            numberLevel = attributes.value("val").flatMap { Int($0) } ?? 0
        case .start("t", _):
            inText = true
        case .end("t"):
            inText = false
        case .text(let text) where inText:
            if paragraph.utf8.count < 1_000_000 { paragraph += text }
        case .start("tab", _) where !inText:
            paragraph += "\t"
        case .start("br", _), .start("cr", _):
            paragraph += "\n"
        case .end("p"):
            endParagraph()
        case .start("tbl", _):
            tables.append(TableBuilder())
        case .end("tbl"):
            endTable()
        case .start("tr", _) where !tables.isEmpty:
            row.append(Row())
        case .start("gridBefore", let attributes) where !row.isEmpty && cell.count < row.count:
            row[row.count - 1].skipped = min(max(attributes.value("val").flatMap { Int($0) } ?? 0, 0), 63)
        case .start("tblHeader", let attributes) where !row.isEmpty && cell.count < row.count:
            row[row.count - 1].header = attributes.value("val").map { $0 != "0" && $0 != "false" } ?? true
        case .end("tr"):
            if let finished = row.popLast(), !tables.isEmpty { tables[tables.count - 1].rows.append(finished) }
        case .start("tc", _) where !row.isEmpty:
            cell.append(Cell())
            cells += 1
            if cells > DOCXReader.maximumCells { tooLarge = true }
        case .start("gridSpan", let attributes) where !cell.isEmpty:
            cell[cell.count - 1].span = min(max(attributes.value("val").flatMap { Int($0) } ?? 1, 1), 63)
        case .start("vMerge", let attributes) where !cell.isEmpty:
            cell[cell.count - 1].mergeStart = attributes.value("val") == "restart"
        case .end("tc"):
            if let finished = cell.popLast(), !row.isEmpty { row[row.count - 1].cells.append(finished) }
        default:
            break
        }
    }

    mutating func endParagraph() {
        var text = paragraph
        if let numberID {
            let label = numbering.label(id: numberID, level: numberLevel)
            if !label.isEmpty { text = text.isEmpty ? label : label + " " + text }
        }
        paragraph = ""
        self.numberID = nil
        if !cell.isEmpty {
            cell[cell.count - 1].paragraphs.append(text)
        } else if tables.isEmpty, !text.allSatisfy(\.isWhitespace) {
            blocks.append(.paragraph(text))
        }
    }

    mutating func endTable() {
        guard let table = tables.popLast() else { return }
        let laid = BodyReader.lay(table.rows)
        if cell.isEmpty {
            blocks.append(.table(laid))
        } else {
            // A table inside a cell: its rows become lines of that cell.
            for line in laid.rows {
                let text = line.filter { !$0.isEmpty }.joined(separator: " ")
                if !text.isEmpty { cell[cell.count - 1].paragraphs.append(text) }
            }
        }
    }

    /// The rows on their grid, with the merged areas.
    static func lay(_ rows: [Row]) -> WordTable {
        var grid: [[String]] = []
        var merged: [WordTable.Area] = []
        var headers: Set<Int> = []
        /// The open vertical merge of each column: the index of its area in `merged`.
        var open: [Int: Int] = [:]
        for (index, row) in rows.enumerated() {
            var line: [String] = Array(repeating: "", count: row.skipped)
            var column = row.skipped
            var closed = Set(open.keys)
            for cell in row.cells {
                let text = cell.paragraphs.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                let span = cell.span
                switch cell.mergeStart {
                case false?:
                    if let area = open[column], merged[area].firstColumn == column {
                        merged[area].lastRow = index
                        closed.remove(column)
                        line.append(contentsOf: Array(repeating: "", count: span))
                        column += span
                        continue
                    }
                    fallthrough
                default:
                    line.append(text)
                    if span > 1 { line.append(contentsOf: Array(repeating: "", count: span - 1)) }
                    if cell.mergeStart == true {
                        merged.append(
                            WordTable.Area(
                                firstRow: index, firstColumn: column, lastRow: index, lastColumn: column + span - 1))
                        open[column] = merged.count - 1
                        closed.remove(column)
                    } else if span > 1 {
                        merged.append(
                            WordTable.Area(
                                firstRow: index, firstColumn: column, lastRow: index, lastColumn: column + span - 1))
                    }
                }
                column += span
            }
            for column in closed { open[column] = nil }
            if row.header { headers.insert(index) }
            grid.append(line)
        }
        return WordTable(rows: grid, merged: merged, headerRows: headers)
    }
}
