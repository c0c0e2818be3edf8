/// HTML tables copied from a web page: each `<tr>` a row of its `<td>`/`<th>` cells; the text of
/// block elements outside tables becomes text rows. Tags are scanned, not validated.
enum HTMLTableReader {
    static func rows(_ html: String) -> [SourceRow] {
        var rows: [SourceRow] = []
        var scanner = Scanner(html)
        var tableDepth = 0
        var rowCells: [String]?
        var rowLine = 0
        var cell: String?
        var outside = ""
        var outsideLine = 1

        func flushOutside() {
            let text = CellText.clean(decodeEntities(outside))
            if !text.isEmpty { rows.append(SourceRow(line: outsideLine, cells: [text], isText: true)) }
            outside = ""
        }
        func endCell() {
            if let text = cell { rowCells?.append(CellText.clean(decodeEntities(text))) }
            cell = nil
        }
        func endRow() {
            endCell()
            if let cells = rowCells, !cells.isEmpty { rows.append(SourceRow(line: rowLine, cells: cells, isText: false)) }
            rowCells = nil
        }

        while let piece = scanner.next() {
            switch piece {
            case .text(let text):
                if cell != nil {
                    cell? += text
                } else if tableDepth == 0 {
                    if outside.allSatisfy(\.isWhitespace) { outsideLine = scanner.line }
                    outside += text
                }
            case .tag(let name, let closing, let line):
                switch (name, closing) {
                case ("table", false):
                    flushOutside()
                    tableDepth += 1
                case ("table", true):
                    endRow()
                    tableDepth = max(0, tableDepth - 1)
                case ("tr", false):
                    endRow()
                    rowCells = []
                    rowLine = line
                case ("tr", true):
                    endRow()
                case ("td", false), ("th", false):
                    endCell()
                    if rowCells == nil {
                        rowCells = []
                        rowLine = line
                    }
                    cell = ""
                case ("td", true), ("th", true):
                    endCell()
                case ("br", _), ("p", _), ("div", _), ("li", _):
                    if cell != nil {
                        cell? += " "
                    } else if tableDepth == 0 {
                        flushOutside()
                    }
                case ("h1", _), ("h2", _), ("h3", _), ("h4", _), ("h5", _), ("h6", _):
                    if tableDepth == 0 { flushOutside() }
                default:
                    break
                }
            }
        }
        endRow()
        flushOutside()
        return rows
    }

    private enum Piece {
        case text(String)
        case tag(name: String, closing: Bool, line: Int)
    }

    /// Splits HTML into text and tags, skipping comments, scripts and styles; counts lines.
    private struct Scanner {
        let characters: [Character]
        var index = 0
        var line = 1

        init(_ html: String) { characters = Array(html) }

        mutating func next() -> Piece? {
            guard index < characters.count else { return nil }
            if characters[index] == "<" {
                let start = index
                let startLine = line
                if matches("<!--") {
                    advance(until: "-->")
                    return .text("")
                }
                var end = index
                while end < characters.count, characters[end] != ">" { end += 1 }
                let inner = String(characters[(start + 1)..<min(end, characters.count)])
                for character in characters[start..<min(end + 1, characters.count)] where character == "\n" { line += 1 }
                index = min(end + 1, characters.count)
                let closing = inner.hasPrefix("/")
                let name = String(
                    inner.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }
                ).lowercased()
                if !closing, name == "script" || name == "style" {
                    advance(until: "</\(name)")
                    while index < characters.count, characters[index] != ">" { index += 1 }
                    index += 1
                    return .text("")
                }
                return .tag(name: name, closing: closing, line: startLine)
            }
            var text = ""
            while index < characters.count, characters[index] != "<" {
                if characters[index] == "\n" { line += 1 }
                text.append(characters[index])
                index += 1
            }
            return .text(text)
        }

        private func matches(_ prefix: String) -> Bool {
            var offset = index
            for character in prefix {
                guard offset < characters.count, characters[offset] == character else { return false }
                offset += 1
            }
            return true
        }

        private mutating func advance(until terminator: String) {
            while index < characters.count, !matches(terminator) {
                if characters[index] == "\n" { line += 1 }
                index += 1
            }
            index = min(index + terminator.count, characters.count)
        }
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = text[...]
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            let afterAmpersand = rest.index(after: ampersand)
            guard let semicolon = rest[afterAmpersand...].prefix(10).firstIndex(of: ";") else {
                result += "&"
                rest = rest[afterAmpersand...]
                continue
            }
            let entity = rest[afterAmpersand..<semicolon]
            if let decoded = decode(entity) {
                result += decoded
            } else {
                result += rest[ampersand...semicolon]
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        result += rest
        return result
    }

    private static func decode(_ entity: Substring) -> String? {
        switch entity {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos", "#39": return "'"
        case "nbsp": return " "
        case "ndash": return "–"
        case "mdash": return "—"
        default: break
        }
        guard entity.first == "#" else { return nil }
        let digits = entity.dropFirst()
        let value: UInt32?
        if digits.first == "x" || digits.first == "X" {
            value = UInt32(digits.dropFirst(), radix: 16)
        } else {
            value = UInt32(digits)
        }
        return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
    }
}
