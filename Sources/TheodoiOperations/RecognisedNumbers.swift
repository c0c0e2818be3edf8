import Foundation
import TheodoiCore
import TheodoiExport

/// The number column of a recognised table put right from the order of its rows. Character
/// recognition is weakest there: a number alone in a narrow cell comes out as "171" (17.1), "T72"
/// (17.2), "2M/" (27), "15,2", or not at all, and a group's "III" as "HI". A task row's number must
/// follow the one before it (the next sibling, the first sub-task, the parent's next) and lead to the
/// one after; where what was read does not, the number that does is put in its place, and a row whose
/// number was lost (its text then runs on inside the row above) is split off where a new row's
/// cells begin. Every change is noted for a finding: the office checks it against the paper.
enum RecognisedNumbers {
    /// The lines with their number column repaired, and a note per line changed (0-based index).
    static func repaired(_ lines: [[PDFLayoutReader.Cell]]) -> (lines: [[PDFLayoutReader.Cell]], notes: [Int: String]) {
        guard let header = lines.firstIndex(where: { $0.count > 1 }) else { return (lines, [:]) }
        var lines = lines
        var notes: [Int: String] = [:]
        let width = lines[header].count
        let deadlineColumn = lines[header].firstIndex { VietnameseText.folded($0.text).contains("thoi gian") }

        // Group rows: "HI NHÓM …" → "III NHÓM …", numerals in order within a part; or the numeral in
        // the number column and the title in another ("I" | "" | "NHỌM THỂ CHẾ").
        var groupNumber = 0
        var groupRows = Set<Int>()
        for index in lines.indices.dropFirst(header + 1) where !lines[index].isEmpty {
            let text = lines[index][0].text
            if isPartRow(text) {
                groupNumber = 0
                continue
            }
            let filled = lines[index].indices.dropFirst().filter { !lines[index][$0].text.isEmpty }
            if groupRow(text) == nil, filled.count == 1, let column = filled.first,
                text.allSatisfy({ "IVXHLl|1 ".contains($0) }), let (_, rest) = groupRow(lines[index][column].text)
            {
                groupNumber += 1
                let expected = roman(groupNumber)
                let title = Self.groupTitle(rest)
                if text != expected || title != lines[index][column].text {
                    notes[index] =
                        "Tên nhóm đọc được là “\(text) \(lines[index][column].text)”, đã hiểu là “\(expected) \(title)” theo thứ tự các nhóm"
                    lines[index][0].text = expected
                    lines[index][column].text = title
                }
                groupRows.insert(index)
                continue
            }
            guard let (numeral, rest) = groupRow(text) else { continue }
            // A speck beside a group's title ("\"" in another column) would make it a task row.
            for column in lines[index].indices.dropFirst() where lines[index][column].text.count <= 2 {
                if !lines[index][column].text.contains(where: { $0.isLetter || $0.isNumber }) { lines[index][column].text = "" }
            }
            groupNumber += 1
            let expected = roman(groupNumber)
            let title = Self.groupTitle(rest)
            if numeral != expected || text != expected + " " + title {
                lines[index][0].text = expected + " " + title
                notes[index] = "Tên nhóm đọc được là “\(text)”, đã hiểu là “\(expected) \(title)” theo thứ tự các nhóm"
            }
        }

        // Task rows: the number each must have, from its neighbours.
        var rows: [Int] = []  // line indices of task rows
        for index in lines.indices.dropFirst(header + 1) where lines[index].count > 1 {
            let text = lines[index][0].text.trimmingCharacters(in: .whitespaces)
            if !text.isEmpty, !isPartRow(text), groupRow(text) == nil, !groupRows.contains(index) { rows.append(index) }
        }
        var previous: [Int]? = nil
        var position = 0
        while position < rows.count {
            let index = rows[position]
            let text = lines[index][0].text.trimmingCharacters(in: .whitespaces)
            // A part row before this one starts the numbers again.
            if let last = position > 0 ? rows[position - 1] : nil,
                (last + 1..<index).contains(where: { isPartRow(lines[$0].first?.text ?? "") })
            {
                previous = nil
            }
            let following = rows[(position + 1)...].lazy.compactMap { number(lines[$0][0].text) }.first
            let candidates = nextNumbers(after: previous)
            if let read = number(text), candidates.contains(read) {
                previous = read
                position += 1
                continue
            }
            // What was read, with a dot lost or a letter for a digit, if that fits.
            let fitting = readings(text).filter { candidates.contains($0) }
            let fitsNext = { (value: [Int]) in following.map { nextNumbers(after: value).contains($0) } ?? true }
            if let value = fitting.first(where: fitsNext) ?? fitting.first {
                set(&lines, index, value, read: text, notes: &notes)
                previous = value
                position += 1
                continue
            }
            // Junk in the number cell of a line that goes on the row above (the next number follows
            // the previous one): the line is a continuation.
            if let previous, let following, nextNumbers(after: previous).contains(following), !text.contains(where: \.isNumber) {
                lines[index][0].text = ""
                notes[index] = "Ô “TT” đọc được “\(text)”, đã bỏ (dòng này thuộc nhiệm vụ phía trên)"
                rows.remove(at: position)
                continue
            }
            // The only number between the previous and the next.
            let between = candidates.filter(fitsNext)
            if between.count == 1 {
                set(&lines, index, between[0], read: text, notes: &notes)
                previous = between[0]
            } else if let read = number(text) {
                previous = read
            }
            position += 1
        }

        // A row whose number was lost: the numbers jump (10 → 12) and inside the row before the jump a
        // line starts new cells in the lead and deadline columns at once.
        var insertions: [(at: Int, number: [Int])] = []
        var last: [Int]? = nil
        var lastRow: Int? = nil
        for index in lines.indices.dropFirst(header + 1) where lines[index].count > 1 {
            if isPartRow(lines[index][0].text) { last = nil }
            guard let value = number(lines[index][0].text) else { continue }
            if let lastRow, let last, !nextNumbers(after: last).contains(value) {
                let missing = nextNumbers(after: last).filter { nextNumbers(after: $0).contains(value) }
                if missing.count == 1,
                    let split = splitLine(lines, from: lastRow + 1, to: index, deadline: deadlineColumn, width: width)
                {
                    insertions.append((split, missing[0]))
                }
            }
            last = value
            lastRow = index
        }
        for (at, value) in insertions {
            lines[at][0].text = value.map(String.init).joined(separator: ".")
            lines[at][0].confidence = 0
            notes[at] = "Không đọc được số thứ tự của dòng này; theo thứ tự các dòng là \(lines[at][0].text)"
        }
        shareLeads(&lines, header: header)
        return (lines, notes)
    }

    /// A lead written once for several sub-tasks (a cell merged down prints once): the sub-tasks
    /// without one share their first sibling's. Done again here, as the table's reader could not
    /// tell sub-tasks by numbers it read wrong.
    private static func shareLeads(_ lines: inout [[PDFLayoutReader.Cell]], header: Int) {
        guard let lead = lines[header].firstIndex(where: { VietnameseText.folded($0.text).contains("chu tri") }) else { return }
        let rows = lines.indices.dropFirst(header + 1).filter { lines[$0].count > lead && number(lines[$0][0].text) != nil }
        var shared: (parent: [Int], cell: PDFLayoutReader.Cell)?
        for (position, row) in rows.enumerated() {
            guard let value = number(lines[row][0].text) else { continue }
            let end = position + 1 < rows.count ? rows[position + 1] : lines.count
            let ownLines = (row..<end).filter { lines[$0].count > lead }
            var own = PDFLayoutReader.Cell("")
            for index in ownLines where !lines[index][lead].text.isEmpty {
                own.text = own.text.isEmpty ? lines[index][lead].text : own.text + " " + lines[index][lead].text
                own.confidence = [own.confidence, lines[index][lead].confidence].compactMap { $0 }.min()
            }
            let parent = Array(value.dropLast())
            if own.text.isEmpty, !parent.isEmpty, let current = shared, current.parent == parent {
                lines[row][lead] = current.cell
            } else if !own.text.isEmpty {
                shared = (parent.isEmpty ? value : parent, own)
            }
        }
    }

    private static func set(
        _ lines: inout [[PDFLayoutReader.Cell]], _ index: Int, _ value: [Int], read: String, notes: inout [Int: String]
    ) {
        let text = value.map(String.init).joined(separator: ".")
        lines[index][0].text = text
        lines[index][0].confidence = min(lines[index][0].confidence ?? 0, 50)
        notes[index] = "Số thứ tự đọc được là “\(read)”, đã hiểu là \(text) theo thứ tự các dòng"
    }

    /// The line between `from` and `to` (exclusive) where a new row most likely begins: the lead,
    /// coordinator and deadline cells all start there, the deadline cell as a deadline does.
    private static func splitLine(_ lines: [[PDFLayoutReader.Cell]], from: Int, to: Int, deadline: Int?, width: Int) -> Int? {
        guard from < to else { return nil }
        var best: (index: Int, score: Int)?
        for index in from..<to where lines[index].count == width && lines[index][0].text.isEmpty {
            let filled = lines[index].dropFirst().filter { !$0.text.isEmpty }.count
            guard filled >= width - 2 else { continue }
            var score = filled
            if let deadline, deadline < width {
                let folded = VietnameseText.folded(lines[index][deadline].text)
                if ["thang", "quy", "nam", "truoc", "thuong xuyen", "hang"].contains(where: folded.hasPrefix)
                    || folded.first?.isNumber == true
                {
                    score += 2
                }
            }
            if best.map({ score > $0.score }) ?? true { best = (index, score) }
        }
        return best?.index
    }

    /// "A. NHÓM …", "B. …": a part's title.
    static func isPartRow(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars.prefix(3))
        return scalars.count >= 3 && ("A"..."F").contains(scalars[0]) && scalars[1] == "." && scalars[2] == " "
    }

    /// A group row's numeral and the rest ("I NHÓM PHÁP LÝ" → ("I", "NHÓM PHÁP LÝ")), forgiving what
    /// recognition does to a numeral ("HI", "_I", "INHÓM"), or loses of it: a title in capitals
    /// starting "NHÓM" is a group's, its numeral "" (the order of the groups gives it).
    static func groupRow(_ text: String) -> (numeral: String, rest: String)? {
        var rest = Substring(text).drop { !$0.isLetter }
        var numeral = ""
        while let first = rest.first, "IVXHLl|".contains(first) {
            numeral += first == "H" ? "II" : ["L", "l", "|"].contains(first) ? "I" : String(first)
            rest = rest.dropFirst()
        }
        rest = rest.drop { $0 == " " || $0 == "." }
        guard numeral.count <= 5, VietnameseText.folded(String(rest.prefix(4))).uppercased() == "NHOM",
            !numeral.isEmpty || rest.prefix(4).allSatisfy(\.isUppercase)
        else {
            return nil
        }
        return (numeral, String(rest))
    }

    /// A group's title with its first word as it must be ("NHOM", "NHỌM" read for "NHÓM").
    static func groupTitle(_ rest: String) -> String {
        let words = rest.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard let first = words.first, first.count == 4 else { return rest }
        return (["NHÓM"] + words.dropFirst().map(String.init)).joined(separator: " ")
    }

    static func roman(_ value: Int) -> String {
        let numerals = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
        return value >= 1 && value <= numerals.count ? numerals[value - 1] : String(value)
    }

    static func roman(_ numeral: String) -> Int? {
        (1...12).first { roman($0) == numeral }
    }

    /// "17.1" → [17, 1]; nil unless digits and dots.
    static func number(_ text: String) -> [Int]? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["."])
        let pieces = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard !pieces.isEmpty, pieces.count <= 4,
            pieces.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return nil }
        return pieces.compactMap { Int($0) }
    }

    /// The numbers a row may have after `previous`: its next sibling, its first sub-task, or the next
    /// of any of its parents; the first of a part when there is none.
    static func nextNumbers(after previous: [Int]?) -> [[Int]] {
        guard let previous, !previous.isEmpty else { return [[1]] }
        var result = [previous + [1]]
        for depth in stride(from: previous.count, through: 1, by: -1) {
            var next = Array(previous.prefix(depth))
            next[depth - 1] += 1
            result.append(next)
        }
        return result
    }

    /// What a misread number may have been: letters that look like digits made digits, a comma a dot,
    /// and a dot put back between any two digits.
    static func readings(_ text: String) -> [[Int]] {
        let map: [Character: String] = [
            "T": "1", "l": "1", "I": "1", "|": "1", "!": "1", "i": "1", "O": "0", "o": "0", "S": "5", "B": "8", "Z": "2",
            "z": "2", "g": "9", ",": ".", "M": "7", "V": "7", "/": "",
        ]
        var cleaned = ""
        for character in text.trimmingCharacters(in: .whitespaces) {
            if character.isNumber && character.isASCII || character == "." {
                cleaned.append(character)
            } else if let digit = map[character] {
                cleaned += digit
            } else {
                return []
            }
        }
        var results: [[Int]] = []
        if let value = number(cleaned) { results.append(value) }
        let digits = Array(cleaned.filter(\.isNumber))
        if digits.count >= 2, digits.count <= 4, !cleaned.contains(".") {
            for cut in 1..<digits.count {
                if let value = number(String(digits[..<cut]) + "." + String(digits[cut...])) { results.append(value) }
            }
        }
        return results
    }
}
