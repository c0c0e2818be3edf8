import Foundation
import TheodoiCore

/// An XLSX workbook of one sheet: SpreadsheetML parts zipped in memory. Text is written as inline
/// strings (no shared-string table to keep in step), dates as real dates formatted dd/mm/yyyy, the
/// header row bold, frozen and filterable.
public enum XLSXWriter {
    public static func bytes(_ table: ExportTable) throws(OfficeFileError) -> [UInt8] {
        let parts: [(path: String, text: String)] = [
            ("[Content_Types].xml", contentTypes), ("_rels/.rels", rootRelationships),
            ("xl/workbook.xml", workbook(sheetName(table.title), headerRow: table.heading.count + 1)),
            ("xl/_rels/workbook.xml.rels", workbookRelationships),
            ("xl/styles.xml", styles), ("xl/worksheets/sheet1.xml", sheet(table)),
            ("docProps/core.xml", core(table.title)),
        ]
        return try OfficePackage.zip(parts)
    }

    /// A sheet name Excel accepts: at most 31 characters, none of : \ / ? * [ ].
    static func sheetName(_ title: String) -> String {
        let cleaned = String(title.map { ":\\/?*[]".contains($0) ? " " : $0 }).trimmingCharacters(in: .whitespaces)
        return cleaned.isEmpty ? "Sheet1" : String(cleaned.prefix(31))
    }

    /// "A", "B", …, "Z", "AA", …
    static func column(_ index: Int) -> String {
        var index = index + 1
        var name = ""
        while index > 0 {
            let remainder = (index - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            index = (index - 1) / 26
        }
        return name
    }

    /// Excel's serial day number (1900 date system) of a date.
    static func serial(_ date: LocalDate) -> Int { date.daysSinceEpoch + 25_569 }

    static func sheet(_ table: ExportTable) -> String {
        let columns = max(1, table.headers.count)
        var widths = table.widths
        if widths.count < columns {
            for index in widths.count..<columns {
                let longest =
                    ([table.headers[safe: index] ?? ""]
                    + table.rows.prefix(200).map { ExportTable.text($0[safe: index] ?? .empty) })
                    .map(\.count).max() ?? 10
                widths.append(min(60, max(8, longest + 2)))
            }
        }
        // The heading lines, then the header row, then the data; Excel rows count from 1.
        let headerRow = table.heading.count + 1
        let lastColumn = column(columns - 1)
        let lastCell = "\(lastColumn)\(headerRow + table.rows.count)"
        var xml =
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
            + #"<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>"#
            + "<dimension ref=\"A1:\(lastCell)\"/>"
            + "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"\(headerRow)\" topLeftCell=\"A\(headerRow + 1)\" "
            + "activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
            + "<cols>"
        for (index, width) in widths.prefix(columns).enumerated() {
            xml += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(width)\" customWidth=\"1\"/>"
        }
        xml += "</cols><sheetData>"
        var merged: [String] = []
        for (index, line) in table.heading.enumerated() {
            let number = index + 1
            xml +=
                "<row r=\"\(number)\" ht=\"\(index == 0 ? 21 : 33)\" customHeight=\"1\"><c r=\"A\(number)\" t=\"inlineStr\" "
                + "s=\"\(index == 0 ? 5 : 6)\"><is><t xml:space=\"preserve\">\(OfficePackage.escaped(line))</t></is></c></row>"
            if columns > 1 { merged.append("A\(number):\(lastColumn)\(number)") }
        }
        // Rows as tall as their wrapped text: office suites keep a row's stored height, so a
        // wrapped cell with none prints as one cut-off line.
        func height(_ texts: [String], bold: Bool = false) -> String {
            var lines = 1
            for (index, text) in texts.enumerated() where !text.isEmpty && index < widths.count {
                let perLine = max(1, Int(Double(widths[index]) * (bold ? 0.85 : 1.1)))
                let count = text.split(separator: "\n", omittingEmptySubsequences: false).reduce(0) {
                    $0 + max(1, ($1.count + perLine - 1) / perLine)
                }
                lines = max(lines, count)
            }
            return lines == 1 ? "" : " ht=\"\(min(409, lines * 15))\" customHeight=\"1\""
        }
        xml += "<row r=\"\(headerRow)\"\(height(table.headers, bold: true))>"
        for (index, header) in table.headers.enumerated() {
            xml +=
                "<c r=\"\(column(index))\(headerRow)\" t=\"inlineStr\" s=\"1\"><is><t>\(OfficePackage.escaped(header))</t></is></c>"
        }
        xml += "</row>"
        for (rowIndex, row) in table.rows.enumerated() {
            let number = headerRow + 1 + rowIndex
            let emphasized = table.emphasizedRows.contains(rowIndex)
            xml += "<row r=\"\(number)\"\(emphasized ? "" : height(row.map(ExportTable.text)))>"
            if emphasized {
                // A part's or group's title: bold, across the table, whichever cell holds it.
                let title = row.map(ExportTable.text).filter { !$0.isEmpty }.joined(separator: " ")
                xml +=
                    "<c r=\"A\(number)\" t=\"inlineStr\" s=\"4\"><is><t xml:space=\"preserve\">\(OfficePackage.escaped(title))</t></is></c>"
                if columns > 1 { merged.append("A\(number):\(lastColumn)\(number)") }
                xml += "</row>"
                continue
            }
            for (index, cell) in row.enumerated() {
                let reference = "\(column(index))\(number)"
                switch cell {
                case .text(let text):
                    xml +=
                        "<c r=\"\(reference)\" t=\"inlineStr\" s=\"3\"><is><t xml:space=\"preserve\">\(OfficePackage.escaped(text))</t></is></c>"
                case .number(let value): xml += "<c r=\"\(reference)\" s=\"7\"><v>\(value)</v></c>"
                case .date(let date): xml += "<c r=\"\(reference)\" s=\"2\"><v>\(serial(date))</v></c>"
                case .empty: break
                }
            }
            xml += "</row>"
        }
        xml += "</sheetData>"
        if !table.rows.isEmpty { xml += "<autoFilter ref=\"A\(headerRow):\(lastCell)\"/>" }
        if !merged.isEmpty {
            xml +=
                "<mergeCells count=\"\(merged.count)\">" + merged.map { "<mergeCell ref=\"\($0)\"/>" }.joined() + "</mergeCells>"
        }
        xml += #"<pageMargins left="0.5" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>"#
        xml += #"<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>"#
        return xml + "</worksheet>"
    }

    static let contentTypes =
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
        + #"<Default Extension="xml" ContentType="application/xml"/>"#
        + #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
        + #"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        + #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
        + #"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#
        + "</Types>"

    static let rootRelationships =
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#
        + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#
        + "</Relationships>"

    /// The workbook, with the header row repeated at the top of every printed page.
    static func workbook(_ name: String, headerRow: Int = 1) -> String {
        let quoted = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
        return #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
            + "<sheets><sheet name=\"\(OfficePackage.escaped(name))\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
            + "<definedNames><definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">"
            + "\(OfficePackage.escaped(quoted))!$\(headerRow):$\(headerRow)</definedName></definedNames>" + "</workbook>"
    }

    static let workbookRelationships =
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#
        + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
        + "</Relationships>"

    /// Styles: 0 default, 1 bold header with a fill and border, 2 date dd/mm/yyyy, 3 wrapped text,
    /// 4 a bold title row, 5 the heading's bold centred title, 6 its centred wrapped subtitle,
    /// 7 a number at the top of its cell.
    static let styles =
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        + #"<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>"#
        + #"<fonts count="4"><font><sz val="11"/><name val="Times New Roman"/></font><font><b/><sz val="11"/><name val="Times New Roman"/></font>"#
        + #"<font><b/><sz val="13"/><name val="Times New Roman"/></font><font><i/><sz val="11"/><name val="Times New Roman"/></font></fonts>"#
        + #"<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFEEF1F4"/><bgColor indexed="64"/></patternFill></fill></fills>"#
        + #"<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left/><right/><top/><bottom style="thin"><color rgb="FF9AA4B1"/></bottom><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="8"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        + #"<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>"#
        + #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>"#
        + #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>"#
        + #"<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>"#
        + #"<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center" vertical="top" wrapText="1"/></xf>"#
        + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment horizontal="center" vertical="top"/></xf></cellXfs>"#
        + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
        + "</styleSheet>"

    static func core(_ title: String) -> String {
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">"#
            + "<dc:title>\(OfficePackage.escaped(title))</dc:title><dc:creator>theodoi</dc:creator></cp:coreProperties>"
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
