/// The first worksheet of a workbook as text: what a person sees in each cell, row by row.
public struct Spreadsheet: Sendable, Hashable {
    /// The sheet's name as the workbook lists it.
    public var sheetName: String
    /// Row `i` is the sheet's row `i + 1`; column `j` is its column `j + 1` (A = 0). Each row stops at
    /// its last non-empty cell, so an empty row is `[]`.
    public var rows: [[String]]
    /// Merged areas; their text sits in the top-left cell only, as in the file.
    public var mergedRanges: [CellRange]

    public init(sheetName: String, rows: [[String]], mergedRanges: [CellRange] = []) {
        self.sheetName = sheetName
        self.rows = rows
        self.mergedRanges = mergedRanges
    }
}

/// A rectangle of cells, 0-based and inclusive ("B3:B5" is rows 2…4 of column 1).
public struct CellRange: Sendable, Hashable {
    public var firstRow: Int
    public var firstColumn: Int
    public var lastRow: Int
    public var lastColumn: Int

    public init(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) {
        self.firstRow = firstRow
        self.firstColumn = firstColumn
        self.lastRow = lastRow
        self.lastColumn = lastColumn
    }

    /// "B3:C5" (or "B3" for one cell); nil for anything else.
    public init?(reference: some StringProtocol) {
        let ends = reference.split(separator: ":", omittingEmptySubsequences: false)
        guard ends.count == 1 || ends.count == 2, let first = CellReference(ends[0]),
            let last = CellReference(ends[ends.count - 1])
        else { return nil }
        self.init(
            firstRow: min(first.row, last.row), firstColumn: min(first.column, last.column), lastRow: max(first.row, last.row),
            lastColumn: max(first.column, last.column))
    }
}

/// A cell reference such as "C5": column 2, row 4 (both 0-based). `$` signs are allowed.
struct CellReference: Hashable {
    var row: Int
    var column: Int

    /// The largest column (XFD) and row Excel has.
    static let maximumColumn = 16_383
    static let maximumRow = 1_048_575

    init?(_ text: some StringProtocol) {
        var column = 0
        var row = 0
        var letters = 0
        var digits = 0
        for byte in text.utf8 where byte != UInt8(ascii: "$") {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                guard digits == 0, letters < 3 else { return nil }
                column = column * 26 + Int((byte & 0xDF) - UInt8(ascii: "A")) + 1
                letters += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard letters > 0, digits < 7 else { return nil }
                row = row * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            default: return nil
            }
        }
        guard letters > 0, digits > 0, row >= 1, column - 1 <= CellReference.maximumColumn, row - 1 <= CellReference.maximumRow
        else { return nil }
        self.row = row - 1
        self.column = column - 1
    }
}
