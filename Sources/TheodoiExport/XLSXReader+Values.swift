import TheodoiCore

/// How a cell style shows a number, as far as reading a catalogue cares.
enum NumberFormat: Hashable {
    case general
    /// A date; the parts the format shows decide how much of it is written.
    case date(day: Bool, month: Bool, year: Bool)
    case percent
    case time

    /// The formats ECMA-376 numbers without writing their code (§18.8.30).
    init(builtIn id: Int) {
        switch id {
        case 14, 15, 16, 22, 27...31, 34...36, 50...58: self = .date(day: true, month: true, year: true)
        case 17: self = .date(day: false, month: true, year: true)
        case 18...21, 32, 33, 45...47: self = .time
        case 9, 10: self = .percent
        default: self = .general
        }
    }

    /// A custom format code such as `dd/mm/yyyy`, `[$-42A]mm/yyyy`, `0.0%` or `h:mm`.
    init(code: String) {
        // The first section decides (positive;negative;zero;text). Quoted text, escaped characters and
        // [bracketed] colours, conditions and locales are not date letters.
        var letters = ""
        var inQuotes = false
        var inBrackets = false
        var escaped = false
        for character in code.lowercased() {
            if escaped {
                escaped = false
                continue
            }
            switch character {
            case "\\" where !inQuotes: escaped = true
            case "\"": inQuotes.toggle()
            case "[" where !inQuotes: inBrackets = true
            case "]" where !inQuotes: inBrackets = false
            case ";" where !inQuotes && !inBrackets:
                self = NumberFormat.classify(letters)
                return
            default:
                if !inQuotes && !inBrackets { letters.append(character) }
            }
        }
        self = NumberFormat.classify(letters)
    }

    private static func classify(_ letters: String) -> NumberFormat {
        if letters.contains("general") { return .general }
        let plain = letters.replacingAll("am/pm", with: "").replacingAll("a/p", with: "")
        let day = plain.contains("d")
        let year = plain.contains("y") || plain.contains("e")
        let month = plain.contains("m")
        if day || year { return .date(day: day, month: month, year: year) }
        if plain.contains("h") || plain.contains("s") { return .time }
        if month { return .date(day: false, month: true, year: false) }
        if plain.contains("%") { return .percent }
        return .general
    }
}

/// Turns a cell's stored value into the text a person sees.
struct CellValues {
    var sharedStrings: [String]
    /// By cell style index.
    var formats: [NumberFormat]
    var date1904: Bool

    func text(type: String, raw: String, style: Int) -> String {
        switch type {
        case "s": return Int(raw.trimmingSpaces).flatMap { sharedStrings.indices.contains($0) ? sharedStrings[$0] : nil } ?? ""
        case "inlineStr", "str", "e": return raw
        case "b": return raw == "1" || raw == "true" ? "TRUE" : "FALSE"
        case "d":
            // ISO 8601 dates (strict OOXML and some writers).
            guard let date = LocalDate(iso: raw.prefix(10)) else { return raw }
            return CellValues.dateText(date, format: format(style))
        default: return number(raw.trimmingSpaces, format: format(style))
        }
    }

    private func format(_ style: Int) -> NumberFormat { formats.indices.contains(style) ? formats[style] : .general }

    private func number(_ raw: String, format: NumberFormat) -> String {
        guard let value = Double(raw), value.isFinite else { return raw }
        switch format {
        case .general, .time: return CellValues.plain(value)
        case .percent: return CellValues.plain((value * 100 * 1e9).rounded() / 1e9) + "%"
        case .date:
            guard let date = date(serial: value) else { return CellValues.plain(value) }
            return CellValues.dateText(date, format: format)
        }
    }

    /// The calendar day of a serial date number (the time of day is dropped).
    func date(serial: Double) -> LocalDate? {
        // 9999-12-31 is the last day Excel has.
        guard serial >= 0, serial < 2_958_466 else { return nil }
        let day = Int(serial.rounded(.down))
        if date1904 { return LocalDate(daysSinceEpoch: day - 24_107) }
        // Lotus 1-2-3 counted a 29 February 1900 that never was (serial 60): days before it are one off.
        return LocalDate(daysSinceEpoch: day < 61 ? day - 25_568 : day - 25_569)
    }

    /// dd/MM/yyyy; MM/yyyy or yyyy when the format shows no day ("10/2025" typed into Excel becomes a
    /// date shown as a month, and means the month).
    static func dateText(_ date: LocalDate, format: NumberFormat) -> String {
        let month = (date.month < 10 ? "0" : "") + String(date.month)
        guard case .date(let day, let hasMonth, let year) = format, !day else { return date.vietnameseShort }
        if hasMonth { return "\(month)/\(date.year)" }
        return year ? String(date.year) : date.vietnameseShort
    }

    /// A number as typed: "17", "17.5", "0.125"; no ".0" on whole numbers.
    static func plain(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

extension String {
    /// The text without spaces, tabs and line breaks at either end.
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }

    /// Every occurrence of `target` replaced.
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
