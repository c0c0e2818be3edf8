import Foundation
import TheodoiCore

/// CSV for Excel and LibreOffice: UTF-8 with a byte-order mark (else Excel reads Vietnamese in the
/// wrong code page), fields quoted when they hold a comma, quote or line break, lines ending CRLF.
public enum CSVWriter {
    public static func bytes(_ table: ExportTable) -> [UInt8] {
        var text = line(table.headers)
        for row in table.rows { text += line(row.map(ExportTable.text)) }
        return [0xEF, 0xBB, 0xBF] + Array(text.utf8)
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
