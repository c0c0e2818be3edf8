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

    /// CSV or TSV with RFC 4180 quoting (quoted cells may hold delimiters, quotes and line breaks).
    static func delimited(_ text: String, separator: Character) -> [SourceRow] {
        var rows: [SourceRow] = []
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
            cells.append(CellText.clean(cell))
            let isText = cells.count == 1
            rows.append(SourceRow(line: rowLine, cells: cells, isText: isText))
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
                cells.append(CellText.clean(cell))
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
        return rows
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
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            line += 1
            let trimmed = rawLine.drop { $0 == " " || $0 == "\t" }
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
