import Foundation
import TheodoiCore

/// CSV for Excel and LibreOffice: UTF-8 with a byte-order mark (else Excel reads Vietnamese in the
/// wrong code page), fields quoted when they hold a comma, quote or line break, lines ending CRLF.
/// A text cell that a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+…`, `-…`, `@…`) is
/// written with a leading apostrophe, so it shows as the text it is (OWASP "CSV injection").
public enum CSVWriter {
    public static func bytes(_ table: ExportTable) -> [UInt8] {
        var text = line(table.headers.map(inert))
        for row in table.rows {
            text += line(
                row.map { cell in
                    if case .text(let value) = cell { return inert(value) }
                    return ExportTable.text(cell)
                })
        }
        return [0xEF, 0xBB, 0xBF] + Array(text.utf8)
    }

    /// Text as a spreadsheet will show it, never as a formula: an apostrophe before a leading
    /// `=`, `+`, `-`, `@`, tab or carriage return (also after leading spaces, which Excel skips).
    static func inert(_ text: String) -> String {
        guard let first = text.unicodeScalars.first(where: { $0 != " " }),
            ["=", "+", "-", "@", "\t", "\r", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}"].contains(first)
        else { return text }
        return "'" + text
    }

    static func line(_ fields: [String]) -> String {
        fields.map(quoted).joined(separator: ",") + "\r\n"
    }

    static func quoted(_ field: String) -> String {
        let normalized = VietnameseText.nfc(field)
        guard normalized.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" }) else {
            return normalized
        }
        return "\"" + normalized.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
