import TheodoiCore

/// Walks the rows of any format: finds the header, part and group headings, task rows and the
/// continuation rows of cells split over a page break, and collects the raw pieces of each task.
struct CatalogueInterpreter {
    /// A task row as read, before its cells are joined and understood.
    struct RawAssignment {
        var number: String
        var components: [Int]
        var part: String?
        var group: String?
        var line: Int
        var pieces: [ColumnMap.Role: [String]] = [:]

        func text(_ role: ColumnMap.Role) -> String {
            CellText.clean((pieces[role] ?? []).joined(separator: " "))
        }
    }

    struct RawPart {
        var code: String
        var title: String
        var declaredCount: Int?
        var line: Int
        var groups: [Catalogue.Group] = []
    }

    var preamble: [SourceRow] = []
    var parts: [RawPart] = []
    var assignments: [RawAssignment] = []
    var findings: [Finding] = []
    /// Groups met before any part (catalogues with no parts).
    var looseGroups: [Catalogue.Group] = []

    private var columns: ColumnMap?
    private var currentGroup: String?
    /// Whether a continuation row may still extend the last assignment.
    private var continuable = false

    /// Reads `rows`; fails when no header row is found anywhere.
    static func read(_ rows: [SourceRow]) throws(CatalogueReadError) -> CatalogueInterpreter {
        var interpreter = CatalogueInterpreter()
        for row in rows { interpreter.take(row) }
        guard interpreter.columns != nil else { throw .notATable }
        return interpreter
    }

    private mutating func take(_ row: SourceRow) {
        if row.isBlank { return }
        if !row.isText, let map = ColumnMap(header: row.cells) {
            columns = map
            return
        }
        guard let columns else {
            preamble.append(row)
            return
        }
        let numberCell = cell(row, columns.number)
        if let components = CatalogueInterpreter.taskNumber(numberCell) {
            startAssignment(row, components: components, columns: columns)
            return
        }
        // Headings carry their numeral or letter in the TT cell (or stand alone as text); a row with an
        // empty TT cell is the continuation of a task, whatever its text looks like.
        let headingOnly =
            row.isText
            || (!numberCell.isEmpty
                && [columns.lead, columns.coordinators, columns.deadline].allSatisfy { cell(row, $0).isEmpty })
        if headingOnly, let part = CatalogueInterpreter.partHeading(row.joined, numberCell: numberCell) {
            parts.append(RawPart(code: part.code, title: part.title, declaredCount: part.count, line: row.line))
            currentGroup = nil
            continuable = false
            return
        }
        if headingOnly, let group = CatalogueInterpreter.groupHeading(row.joined) {
            let value = Catalogue.Group(code: group.code, title: group.title, line: row.line)
            if parts.isEmpty { looseGroups.append(value) } else { parts[parts.count - 1].groups.append(value) }
            currentGroup = group.code
            continuable = false
            return
        }
        if row.isText {
            // Page numbers of a PDF extraction carry nothing.
            if row.joined.count <= 4, row.joined.allSatisfy(\.isNumber) { return }
            findings.append(
                Finding(
                    .info, line: row.line, .unrecognisedRow,
                    "Dòng văn bản ngoài bảng, không thuộc nhiệm vụ nào, đã bỏ qua: “\(excerpt(row.joined))”."))
            return
        }
        if numberCell.isEmpty {
            continueAssignment(row, columns: columns)
            return
        }
        findings.append(
            Finding(
                .warning, line: row.line, .unrecognisedRow,
                "Dòng không đọc được: cột TT “\(excerpt(numberCell))” không phải số thứ tự nhiệm vụ, "
                    + "tên nhóm hay phần; nội dung dòng: “\(excerpt(row.joined))”."))
        continuable = false
    }

    private mutating func startAssignment(_ row: SourceRow, components: [Int], columns: ColumnMap) {
        var assignment = RawAssignment(
            number: components.map(String.init).joined(separator: "."), components: components,
            part: parts.last?.code, group: currentGroup, line: row.line)
        for role in ColumnMap.Role.allCases where role != .number {
            if let index = columns.index(of: role) { assignment.pieces[role] = [cell(row, index)] }
        }
        assignments.append(assignment)
        continuable = true
        reportExtraCells(row, columns: columns)
    }

    private mutating func continueAssignment(_ row: SourceRow, columns: ColumnMap) {
        guard continuable, !assignments.isEmpty else {
            findings.append(
                Finding(
                    .warning, line: row.line, .orphanContinuation,
                    "Dòng nối tiếp (cột TT trống) nhưng phía trên không có nhiệm vụ nào để nối vào: “\(excerpt(row.joined))”."
                ))
            return
        }
        let last = assignments.count - 1
        for role in ColumnMap.Role.allCases where role != .number {
            guard let index = columns.index(of: role) else { continue }
            let piece = cell(row, index)
            if !piece.isEmpty { assignments[last].pieces[role, default: []].append(piece) }
        }
        reportExtraCells(row, columns: columns)
    }

    private mutating func reportExtraCells(_ row: SourceRow, columns: ColumnMap) {
        guard row.cells.count > columns.width else { return }
        let extra = row.cells[columns.width...].filter { !$0.isEmpty }
        guard !extra.isEmpty else { return }
        findings.append(
            Finding(
                .warning, line: row.line, .extraCells,
                "Dòng có nhiều ô hơn tiêu đề bảng (\(row.cells.count) so với \(columns.width)); "
                    + "phần thừa không thuộc cột nào: “\(excerpt(extra.joined(separator: " | ")))”."))
    }

    private func cell(_ row: SourceRow, _ index: Int?) -> String {
        guard let index, index < row.cells.count else { return "" }
        return row.cells[index]
    }

    /// "17", "17.1", "1.", "3)" → the number's components; nil for anything else.
    static func taskNumber(_ text: String) -> [Int]? {
        var body = Substring(text)
        if let last = body.last, last == "." || last == ")" { body = body.dropLast() }
        guard !body.isEmpty, body.count <= 16, body.first?.isASCII == true, body.first?.isNumber == true else {
            return nil
        }
        var components: [Int] = []
        for piece in body.split(separator: ".", omittingEmptySubsequences: false) {
            guard !piece.isEmpty, piece.count <= 5, piece.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(piece)
            else { return nil }
            components.append(value)
        }
        return components
    }

    /// "A. NHÓM NHIỆM VỤ … (52 NHIỆM VỤ)", "PHẦN B: …", or a letter in the TT cell with the title after it.
    static func partHeading(_ text: String, numberCell: String) -> (code: String, title: String, count: Int?)? {
        var body = Substring(text)
        let folded = VietnameseText.folded(text)
        if folded.hasPrefix("phan ") {
            body = body.dropFirst(5).drop { $0 == " " }
        }
        guard let letter = body.first, letter.isASCII, letter.isUppercase else { return nil }
        let afterLetter = body.dropFirst()
        let rest: Substring
        if let mark = afterLetter.first, mark == "." || mark == ")" || mark == ":" {
            rest = afterLetter.dropFirst().drop { $0 == " " }
        } else if afterLetter.first == " ", numberCell.count == 1 || numberCell.count == 2 {
            rest = afterLetter.drop { $0 == " " }
        } else {
            return nil
        }
        // I, V and X open Roman-numbered groups, not parts.
        guard !"IVX".contains(letter), !rest.isEmpty, rest.first?.isLetter == true else { return nil }
        let (title, count) = declaredCount(in: String(rest))
        return (String(letter), title, count)
    }

    /// "I NHÓM PHÁP LÝ", "IV NHÓM NGUỒN LỰC", "II. …": a Roman numeral, then the title.
    static func groupHeading(_ text: String) -> (code: String, title: String)? {
        let numeral = text.prefix { "IVX".contains($0) }
        guard !numeral.isEmpty, numeral.count <= 6, romanValue(numeral) != nil else { return nil }
        var rest = text.dropFirst(numeral.count)
        guard let mark = rest.first, mark == " " || mark == "." || mark == ")" || mark == ":" else { return nil }
        rest = rest.drop { $0 == " " || $0 == "." || $0 == ")" || $0 == ":" }
        guard let first = rest.first, first.isLetter, first.isUppercase else { return nil }
        return (String(numeral), String(rest))
    }

    static func romanValue(_ numeral: Substring) -> Int? {
        let values: [Character: Int] = ["I": 1, "V": 5, "X": 10]
        var total = 0
        let digits = numeral.compactMap { values[$0] }
        for (index, value) in digits.enumerated() {
            if index + 1 < digits.count, value < digits[index + 1] { total -= value } else { total += value }
        }
        return total > 0 ? total : nil
    }

    /// Removes "(52 NHIỆM VỤ)" from a part title and returns the count.
    static func declaredCount(in title: String) -> (String, Int?) {
        guard let open = title.lastIndex(of: "("), let close = title[open...].firstIndex(of: ")") else {
            return (title, nil)
        }
        let inside = VietnameseText.folded(title[title.index(after: open)..<close])
        let digits = inside.prefix { $0.isNumber }
        guard !digits.isEmpty, let count = Int(digits), inside.dropFirst(digits.count).hasPrefix(" nhiem vu") else {
            return (title, nil)
        }
        let remaining = (title[..<open] + title[title.index(after: close)...])
        return (CellText.clean(remaining), count)
    }
}

/// A short excerpt of a row for a finding message.
func excerpt(_ text: String, limit: Int = 80) -> String {
    text.count <= limit ? text : String(text.prefix(limit)) + "…"
}
