/// Readers turning normalised text into rows, one per format (DESIGN §4.1).
enum TableReaders {
    /// Text extracted from a PDF: one row per line, cells separated by tabs; a line with no tab is text.
    static func pdfText(_ text: String) -> [SourceRow] {
        var rows: [SourceRow] = []
        var line = 0
        for rawLine in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            line += 1
            if rawLine.contains(0x09) {
                let cells = rawLine.split(separator: 0x09, omittingEmptySubsequences: false).map {
                    CellText.clean(Substring($0))
                }
                rows.append(SourceRow(line: line, cells: cells, isText: false))
            } else {
                rows.append(SourceRow(line: line, cells: [CellText.clean(Substring(rawLine))], isText: true))
            }
        }
        return rows
    }

    /// Records of cells with the line each starts on, as CSV, TSV and spreadsheets give them: cells
    /// cleaned; a record of one cell is a line of text (a title or a heading), any other a table row.
    static func records(_ records: [(line: Int, cells: [String])]) -> [SourceRow] {
        records.map { SourceRow(line: $0.line, cells: $0.cells.map(CellText.clean), isText: $0.cells.count == 1) }
    }

    /// A grid of cells (a spreadsheet's sheet), row `i` on line `i + 1`. A cell merged down over the rows
    /// of several tasks (one lead for sub-tasks 17.1–17.3) belongs to each of them; other merged cells
    /// keep their text in the first cell, so a heading merged across the columns reads once.
    static func table(_ table: CatalogueTable) -> [SourceRow] {
        var grid = table.rows.map { $0.map(CatalogueText.normalise) }
        fillMergedDown(&grid, table.mergedAreas)
        return records(grid.enumerated().map { (line: $0.offset + 1, cells: $0.element) })
    }

    private static func fillMergedDown(_ grid: inout [[String]], _ areas: [CatalogueTable.MergedArea]) {
        let vertical = areas.filter { $0.firstColumn == $0.lastColumn && $0.lastRow > $0.firstRow && $0.firstRow >= 0 }
        guard !vertical.isEmpty,
            let columns = grid.lazy.compactMap({ ColumnMap(header: $0.map(CellText.clean)) }).first
        else { return }
        func cell(_ row: Int, _ column: Int) -> String {
            row < grid.count && column < grid[row].count ? CellText.clean(grid[row][column]) : ""
        }
        for area in vertical where area.firstColumn != columns.number {
            let text = cell(area.firstRow, area.firstColumn)
            guard !text.isEmpty else { continue }
            for row in stride(from: area.firstRow + 1, through: min(area.lastRow, grid.count - 1), by: 1)
            where CatalogueInterpreter.taskNumber(cell(row, columns.number)) != nil && cell(row, area.firstColumn).isEmpty {
                while grid[row].count <= area.firstColumn { grid[row].append("") }
                grid[row][area.firstColumn] = text
            }
        }
    }

    /// CSV or TSV with RFC 4180 quoting (quoted cells may hold delimiters, quotes and line breaks).
    static func delimited(_ text: String, separator: Character) -> [SourceRow] {
        var rows: [(line: Int, cells: [String])] = []
        var cells: [String] = []
        var cell = ""
        var inQuotes = false
        var quotedCell = false
        var cellHasText = false
        var line = 1
        var rowLine = 1
        var iterator = text.makeIterator()
        var pending: Character? = nil
        func endRow() {
            cells.append(cell)
            rows.append((rowLine, cells))
            cells = []
            cell = ""
            quotedCell = false
            cellHasText = false
        }
        while let character = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        cell.append("\"")
                    } else {
                        inQuotes = false
                        pending = next
                    }
                } else {
                    if character == "\n" { line += 1 }
                    cell.append(character)
                }
                continue
            }
            switch character {
            case "\"" where !cellHasText && !quotedCell:
                inQuotes = true
                quotedCell = true
                cell = ""
            case separator:
                cells.append(cell)
                cell = ""
                quotedCell = false
                cellHasText = false
            case "\n":
                endRow()
                line += 1
                rowLine = line
            default:
                cell.append(character)
                if !character.isWhitespace { cellHasText = true }
            }
        }
        if !cell.isEmpty || !cells.isEmpty { endRow() }
        return records(rows)
    }

    /// The delimiter of a CSV file: whichever of `,` and `;` splits its first lines into more cells.
    static func csvSeparator(_ text: String) -> Character {
        let sample = text.split(separator: "\n").prefix(20)
        let commas = sample.reduce(0) { $0 + $1.filter { $0 == "," }.count }
        let semicolons = sample.reduce(0) { $0 + $1.filter { $0 == ";" }.count }
        return semicolons > commas ? ";" : ","
    }

    /// Markdown pipe tables; other non-empty lines become text rows (headings, bold part headers).
    static func markdown(_ text: String) -> [SourceRow] {
        var rows: [SourceRow] = []
        var line = 0
        var inComment = false
        var inFrontMatter = false
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            line += 1
            let trimmed = rawLine.drop { $0 == " " || $0 == "\t" }
            // Front matter ("---" lines around "title: …" at the very top) and HTML comments are not
            // the document's text: their lines are passed over, in or around the table.
            if line == 1, trimmed.hasPrefix("---"), trimmed.allSatisfy({ $0 == "-" || $0 == " " }) {
                inFrontMatter = true
                continue
            }
            if inFrontMatter {
                // Front matter that never closes ends where the table starts: no row is lost to it.
                if trimmed.hasPrefix("---") || trimmed.hasPrefix("...") || line > 60 {
                    inFrontMatter = false
                    continue
                }
                if trimmed.first != "|" { continue }
                inFrontMatter = false
            }
            if inComment || trimmed.hasPrefix("<!--") {
                inComment = !trimmed.contains("-->")
                continue
            }
            if trimmed.first == "|" {
                let cells = pipeCells(trimmed)
                if cells.allSatisfy(isDelimiterCell) { continue }
                rows.append(SourceRow(line: line, cells: cells.map(markdownInline), isText: false))
            } else {
                var heading = Substring(trimmed)
                while heading.first == "#" || heading.first == ">" { heading = heading.dropFirst() }
                rows.append(SourceRow(line: line, cells: [markdownInline(heading)], isText: true))
            }
        }
        return rows
    }

    private static func pipeCells(_ line: Substring) -> [Substring] {
        var cells: [Substring] = []
        var body = line.dropFirst()
        while let last = body.last, last == " " || last == "\t" { body = body.dropLast() }
        if body.last == "|", !body.hasSuffix("\\|") { body = body.dropLast() }
        var start = body.startIndex
        var index = body.startIndex
        while index < body.endIndex {
            if body[index] == "\\" {
                index = body.index(after: index)
                if index < body.endIndex { index = body.index(after: index) }
                continue
            }
            if body[index] == "|" {
                cells.append(body[start..<index])
                start = body.index(after: index)
            }
            index = body.index(after: index)
        }
        cells.append(body[start..<body.endIndex])
        return cells
    }

    private static func isDelimiterCell(_ cell: Substring) -> Bool {
        let trimmed = cell.filter { $0 != " " }
        return !trimmed.isEmpty && trimmed.allSatisfy { $0 == "-" || $0 == ":" } && trimmed.contains("-")
    }

    private static func markdownInline(_ cell: Substring) -> String {
        var text = String(cell)
        if text.contains("\\|") { text = text.replacingAll("\\|", with: "|") }
        if text.contains("<br") {
            for tag in ["<br>", "<br/>", "<br />", "<BR>"] { text = text.replacingAll(tag, with: " ") }
        }
        return CellText.clean(text)
    }
}

extension String {
    /// Every occurrence of `target` replaced (Foundation-free, for the readers).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
