extension Deadline {
    /// Reads a deadline cell as Vietnamese decisions write it (DESIGN §4.3).
    ///
    /// - Parameters:
    ///   - text: the cell text; kept as written (whitespace collapsed) in `text`.
    ///   - planDate: the decision's date; "Hằng năm" and the like recur from it.
    /// Never fails: text that fits no form gives `.unknown`.
    public init(parsing text: String, planDate: LocalDate? = nil) {
        let written = VietnameseText.collapsingWhitespace(text)
        self.init(text: written, form: DeadlineReader(planDate: planDate).form(of: written))
    }
}

/// The rules behind `Deadline(parsing:)`, on the folded text (no diacritics, lower case).
private struct DeadlineReader {
    let planDate: LocalDate?

    func form(of written: String) -> Deadline.Form {
        var folded = VietnameseText.folded(written)
        while let last = folded.last, last == "." || last == ";" || last == "," { folded.removeLast() }
        if folded.isEmpty { return .none }
        if let recurring = recurringForm(folded) { return recurring }
        if folded.hasPrefix("theo ") || folded.hasPrefix("khi ") || folded.hasPrefix("sau khi ") {
            return .external
        }
        var tokens = DeadlineReader.tokens(folded)
        for prefix in DeadlineReader.prefixes {
            if tokens.starts(with: prefix) { tokens.removeFirst(prefix.count) }
        }
        return dateForm(tokens) ?? .unknown
    }

    static let prefixes: [[String]] = [
        ["hoan", "thanh"], ["truoc"], ["cham", "nhat"], ["han", "chot"], ["trong"], ["den"], ["giai", "doan"],
        ["ngay"],
    ]

    /// Splits on spaces and around `/`, `-`, `–` and dots between digits.
    static func tokens(_ folded: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        let characters = Array(folded)
        for (index, character) in characters.enumerated() {
            let isDotBetweenDigits =
                character == "." && index > 0 && index + 1 < characters.count
                && characters[index - 1].isASCIIDigit && characters[index + 1].isASCIIDigit
            if character == " " || character == "," {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            } else if character == "/" || isDotBetweenDigits {
                if !current.isEmpty { tokens.append(current) }
                tokens.append("/")
                current = ""
            } else if character == "-" || character == "–" || character == "—" {
                if !current.isEmpty { tokens.append(current) }
                tokens.append("-")
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    private func recurringForm(_ folded: String) -> Deadline.Form? {
        if folded.contains("thuong xuyen") { return .recurring(cadence: nil, start: nil) }
        let start = planDate
        for (words, cadence) in DeadlineReader.cadenceWords where folded.hasPrefix(words) {
            return .recurring(cadence: cadence, start: start)
        }
        // "2025 và những năm tiếp theo", "Từ năm 2025 và các năm tiếp theo".
        if folded.hasSuffix("nam tiep theo") || folded.hasSuffix("nam sau") {
            let tokens = DeadlineReader.tokens(folded)
            if let year = tokens.lazy.compactMap(DeadlineReader.year).first {
                return .recurring(cadence: .yearly, start: LocalDate(year: year, month: 1, day: 1))
            }
        }
        return nil
    }

    static let cadenceWords: [(String, Deadline.Cadence)] = [
        ("hang nam", .yearly), ("hang quy", .quarterly), ("hang thang", .monthly), ("hang 6 thang", .halfYearly),
        ("dinh ky hang nam", .yearly), ("dinh ky hang quy", .quarterly), ("dinh ky hang thang", .monthly),
        ("dinh ky 6 thang", .halfYearly), ("moi nam", .yearly), ("moi quy", .quarterly), ("moi thang", .monthly),
    ]

    private func dateForm(_ tokens: [String]) -> Deadline.Form? {
        typealias Y = DeadlineReader
        switch tokens.count {
        case 1:
            if let year = Y.year(tokens[0]) { return .year(year) }
        case 2:
            if tokens[0] == "nam", let year = Y.year(tokens[1]) { return .year(year) }
        case 3:
            // 10/2025, 2025 - 2030
            if tokens[1] == "/", let month = Y.month(tokens[0]), let year = Y.year(tokens[2]) {
                return .month(year: year, month: month)
            }
            if tokens[1] == "-" || tokens[1] == "den", let from = Y.year(tokens[0]), let to = Y.year(tokens[2]) {
                return range(from, to)
            }
        default:
            break
        }
        if tokens.count == 4 {
            // Tháng 10/2025, Tháng 10 năm 2025, Quý II/2025, Quý 2 năm 2025
            let separator = tokens[2] == "/" || tokens[2] == "nam" || tokens[2] == "-"
            if tokens[0] == "thang", separator, let month = Y.month(tokens[1]), let year = Y.year(tokens[3]) {
                return .month(year: year, month: month)
            }
            if tokens[0] == "quy", separator, let quarter = Y.quarter(tokens[1]), let year = Y.year(tokens[3]) {
                return .quarter(year: year, quarter: quarter)
            }
            if tokens[0] == "tu", tokens[2] == "den", let from = Y.year(tokens[1]), let to = Y.year(tokens[3]) {
                return range(from, to)
            }
            if tokens[0] == "nam", tokens[2] == "-", let from = Y.year(tokens[1]), let to = Y.year(tokens[3]) {
                return range(from, to)
            }
        }
        // 15/10/2025, 15 tháng 10 năm 2025
        if tokens.count == 5 {
            let slashes = tokens[1] == "/" && tokens[3] == "/"
            let words = tokens[1] == "thang" && tokens[3] == "nam"
            let dashes = tokens[1] == "-" && tokens[3] == "-"
            if slashes || words || dashes, let day = Int(tokens[0]), let month = Y.month(tokens[2]),
                let year = Y.year(tokens[4]), tokens[0].count <= 2, let date = LocalDate(year: year, month: month, day: day)
            {
                return .date(date)
            }
        }
        // 6 tháng đầu năm 2026, 6 tháng cuối 2026
        if tokens.count >= 4, tokens[0] == "6", tokens[1] == "thang", let year = tokens.last.flatMap(Y.year) {
            let middle = tokens.dropFirst(2).dropLast().filter { $0 != "nam" }
            if middle == ["dau"] { return .halfYear(year: year, half: 1) }
            if middle == ["cuoi"] { return .halfYear(year: year, half: 2) }
        }
        return nil
    }

    private func range(_ from: Int, _ to: Int) -> Deadline.Form? {
        guard from <= to, let start = LocalDate(year: from, month: 1, day: 1),
            let end = LocalDate(year: to, month: 12, day: 31)
        else { return nil }
        return .range(start: start, end: end)
    }

    static func year(_ token: String) -> Int? {
        guard token.count == 4, let value = Int(token), (1900...2200).contains(value) else { return nil }
        return value
    }

    static func month(_ token: String) -> Int? {
        guard (1...2).contains(token.count), let value = Int(token), (1...12).contains(value) else { return nil }
        return value
    }

    static func quarter(_ token: String) -> Int? {
        switch token {
        case "i", "1": 1
        case "ii", "2": 2
        case "iii", "3": 3
        case "iv", "4": 4
        default: nil
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
