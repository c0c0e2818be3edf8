import Foundation

// The XML parts of a workbook, each read with one pass of `XMLTokenizer`, which returns errors on
// malformed or non-UTF-8 input (Foundation's XMLParser stopped the process on some). Element names
// are taken without their namespace prefix ("x:c" is "c"): some writers use one.

/// Parses a part, or fails naming it.
enum XMLEventReader {
    static func parse(_ data: Data, part: String, _ handle: (XMLEvent) -> Void) throws(XLSXReadError) {
        do {
            try XMLTokenizer.parse([UInt8](data), handle)
        } catch {
            throw .malformed(part, "XML sai cấu trúc ở dòng \(error.line): \(error.reason)")
        }
    }
}

/// `xl/workbook.xml`: the sheets in order and the date system.
struct WorkbookPart {
    struct Sheet {
        var name: String
        var relationship: String
        var hidden: Bool
    }

    var sheets: [Sheet] = []
    /// Serial day 0 is 1904-01-01 instead of 1899-12-30 (old Mac workbooks).
    var date1904 = false

    init(parsing data: Data, part: String) throws(XLSXReadError) {
        var sheets: [Sheet] = []
        var date1904 = false
        try XMLEventReader.parse(data, part: part) { event in
            guard case .start(let name, let attributes) = event else { return }
            if name == "workbookPr", let value = attributes["date1904"] {
                date1904 = value == "1" || value == "true"
            } else if name == "sheet" {
                // The relationship id is `r:id` with whatever prefix the writer bound.
                let relationship = attributes.first { $0.key.hasSuffix(":id") || $0.key == "id" }?.value ?? ""
                let state = attributes["state"] ?? "visible"
                sheets.append(
                    Sheet(name: attributes["name"] ?? "", relationship: relationship, hidden: state != "visible"))
            }
        }
        self.sheets = sheets
        self.date1904 = date1904
    }
}

/// A `.rels` part: relationship id → type and target.
struct RelationshipsPart {
    struct Relationship {
        var type: String
        var target: String
    }

    var byID: [String: Relationship] = [:]

    init(parsing data: Data, part: String) throws(XLSXReadError) {
        var byID: [String: Relationship] = [:]
        try XMLEventReader.parse(data, part: part) { event in
            guard case .start("Relationship", let attributes) = event, let id = attributes["Id"],
                attributes["TargetMode"] != "External"
            else { return }
            byID[id] = Relationship(type: attributes["Type"] ?? "", target: attributes["Target"] ?? "")
        }
        self.byID = byID
    }
}

/// `xl/sharedStrings.xml`: each `<si>` is plain `<t>` text or rich-text runs `<r><t>…</t></r>`;
/// phonetic guides (`<rPh>`) are not part of the text.
struct SharedStringsPart {
    var strings: [String] = []

    init(parsing data: Data, part: String) throws(XLSXReadError) {
        var strings: [String] = []
        var text = TextCollector()
        try XMLEventReader.parse(data, part: part) { event in
            switch event {
            case .start("si", _): text = TextCollector()
            case .end("si"): strings.append(text.text)
            default: text.take(event)
            }
        }
        self.strings = strings
    }
}

/// Collects the text of `<t>` elements, leaving out phonetic runs.
struct TextCollector {
    private(set) var text = ""
    private var inText = false
    private var phoneticDepth = 0

    mutating func take(_ event: XMLEvent) {
        switch event {
        case .start("t", _): inText = true
        case .end("t"): inText = false
        case .start("rPh", _): phoneticDepth += 1
        case .end("rPh"): phoneticDepth -= 1
        case .text(let string) where inText && phoneticDepth == 0: text += string
        default: break
        }
    }
}

/// `xl/styles.xml`: the number format of each cell style (`<cellXfs>`), custom codes included.
struct StylesPart {
    var formats: [NumberFormat] = []

    init(parsing data: Data, part: String) throws(XLSXReadError) {
        var codes: [Int: String] = [:]
        var styleFormatIDs: [Int] = []
        var inCellStyles = false
        try XMLEventReader.parse(data, part: part) { event in
            switch event {
            case .start("numFmt", let attributes):
                if let id = attributes["numFmtId"].flatMap(Int.init) { codes[id] = attributes["formatCode"] ?? "" }
            case .start("cellXfs", _): inCellStyles = true
            case .end("cellXfs"): inCellStyles = false
            case .start("xf", let attributes) where inCellStyles:
                styleFormatIDs.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
            default: break
            }
        }
        formats = styleFormatIDs.map { id in codes[id].map(NumberFormat.init(code:)) ?? NumberFormat(builtIn: id) }
    }
}

/// A worksheet: its cells by reference and its merged areas.
struct WorksheetPart {
    private var cells: [Int: [Int: String]] = [:]
    private(set) var mergedRanges: [CellRange] = []

    init(parsing data: Data, part: String, values: CellValues) throws(XLSXReadError) {
        var cells: [Int: [Int: String]] = [:]
        var merged: [CellRange] = []
        var count = 0
        var tooMany = false
        var row = -1
        var column = -1
        var type = "n"
        var style = 0
        var value = ""
        var inValue = false
        var inline = TextCollector()
        var inInline = false
        try XMLEventReader.parse(data, part: part) { event in
            switch event {
            case .start("row", let attributes):
                // Row numbers are Excel's (1 to 1,048,576); anything else is where a row would follow.
                let numbered = attributes["r"].flatMap { Int($0.trimmingSpaces) }
                    .flatMap { (1...CellReference.maximumRow + 1).contains($0) ? $0 - 1 : nil }
                row = numbered ?? min(row + 1, CellReference.maximumRow)
                column = -1
            case .start("c", let attributes):
                // A cell without a reference follows the one before it.
                let reference = attributes["r"].flatMap(CellReference.init)
                if let reference { row = reference.row }
                column = reference?.column ?? min(column + 1, CellReference.maximumColumn)
                type = attributes["t"] ?? "n"
                style = attributes["s"].flatMap(Int.init) ?? 0
                value = ""
                inline = TextCollector()
            case .start("v", _): inValue = true
            case .end("v"): inValue = false
            case .text(let string) where inValue: value += string
            case .start("is", _): inInline = true
            case .end("is"): inInline = false
            case .end("c"):
                let text = values.text(type: type, raw: type == "inlineStr" ? inline.text : value, style: style)
                guard !text.isEmpty, row >= 0, column >= 0 else { return }
                count += 1
                if count > XLSXReader.maximumCells {
                    tooMany = true
                    return
                }
                cells[row, default: [:]][column] = text
            case .start("mergeCell", let attributes):
                if let range = attributes["ref"].flatMap(CellRange.init(reference:)) { merged.append(range) }
            default:
                if inInline { inline.take(event) }
            }
        }
        if tooMany { throw .tooManyCells }
        self.cells = cells
        self.mergedRanges = merged
    }

    /// The rows as a grid, each up to its last non-empty cell.
    func rows() throws(XLSXReadError) -> [[String]] {
        guard let lastRow = cells.keys.max() else { return [] }
        var total = lastRow + 1
        for (_, row) in cells { total += row.keys.max() ?? 0 }
        guard total <= XLSXReader.maximumCells else { throw .tooManyCells }
        var rows = [[String]](repeating: [], count: lastRow + 1)
        for (index, row) in cells {
            var line = [String](repeating: "", count: (row.keys.max() ?? -1) + 1)
            for (column, text) in row { line[column] = text }
            rows[index] = line
        }
        return rows
    }
}
