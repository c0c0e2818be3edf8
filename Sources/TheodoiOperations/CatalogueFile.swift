import Foundation
import TheodoiCatalog
import TheodoiExport

/// Reads a catalogue file of any supported format. Text formats go straight to the catalogue parser;
/// an XLSX workbook (ZIP bytes, or a name ending in .xlsx) is read into a table by the spreadsheet
/// reader first, then parsed by the same rules as CSV.
public enum CatalogueFile {
    /// The file name endings the import accepts.
    public static let extensions = ["xlsx", "csv", "tsv", "txt", "md", "html", "htm"]

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
        guard isSpreadsheet(data, fileName: fileName, format: format) else { return try parser.parse(data, format: format) }
        return try parser.parse(table: try table(data), format: .xlsx)
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
