/// A catalogue as a grid of cell text, such as the first sheet of a workbook: row `i` is line `i + 1`.
public struct CatalogueTable: Sendable, Hashable {
    /// Rows of cells; rows may have different lengths.
    public var rows: [[String]]
    /// Areas merged in the source, their text in the top-left cell only.
    public var mergedAreas: [MergedArea]

    /// A rectangle of cells, 0-based and inclusive.
    public struct MergedArea: Sendable, Hashable {
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
    }

    public init(rows: [[String]], mergedAreas: [MergedArea] = []) {
        self.rows = rows
        self.mergedAreas = mergedAreas
    }
}
