import TheodoiCore

/// A table to export: a title (the sheet's name), column headings and rows of cells.
public struct ExportTable: Sendable, Hashable {
    /// One cell: text, a whole number or a date.
    public enum Cell: Sendable, Hashable {
        case text(String)
        case number(Int)
        case date(LocalDate)
        case empty
    }

    public var title: String
    public var headers: [String]
    public var rows: [[Cell]]
    /// Column widths in characters (defaults from the content when empty).
    public var widths: [Int]
    /// Lines above the table (a report's title and date), each across the table's width.
    public var heading: [String]
    /// Rows (indices into `rows`) written bold and merged across the table: a part's or group's title.
    public var emphasizedRows: Set<Int>

    public init(
        title: String, headers: [String], rows: [[Cell]], widths: [Int] = [], heading: [String] = [],
        emphasizedRows: [Int] = []
    ) {
        self.title = title
        self.headers = headers
        self.rows = rows
        self.widths = widths
        self.heading = heading
        self.emphasizedRows = Set(emphasizedRows)
    }

    /// A cell as officials read it: dates as dd/MM/yyyy.
    static func text(_ cell: Cell) -> String {
        switch cell {
        case .text(let text): text
        case .number(let number): String(number)
        case .date(let date): date.vietnameseShort
        case .empty: ""
        }
    }
}
