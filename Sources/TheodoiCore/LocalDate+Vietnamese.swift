extension LocalDate {
    /// `dd/MM/yyyy`, as dates are shown to users: "03/09/2025".
    public var vietnameseShort: String {
        "\(LocalDate.pad(day, 2))/\(LocalDate.pad(month, 2))/\(LocalDate.pad(year, 4))"
    }

    /// The formal form of administrative documents: "ngày 03 tháng 9 năm 2025".
    ///
    /// Days below 10 and the months 1 and 2 are zero-padded (Nghị định 30/2020/NĐ-CP, Phụ lục I),
    /// so that a handwritten digit cannot be added in front of them.
    public var vietnameseFormal: String {
        let monthText = month <= 2 ? LocalDate.pad(month, 2) : String(month)
        return "ngày \(LocalDate.pad(day, 2)) tháng \(monthText) năm \(year)"
    }

    /// Parses `d/M/yyyy` or `dd/MM/yyyy` (also with `-` or `.`); nil for anything else.
    public init?(vietnamese text: some StringProtocol) {
        let parts = text.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "-" || $0 == "." }
        guard parts.count == 3, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count),
            parts[2].count == 4, parts.allSatisfy({ $0.allSatisfy(\.isASCII) }),
            let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }
}

extension LocalDate {
    /// The calendar date in Vietnam (UTC+7, no daylight saving) at an instant given as seconds since
    /// 1970-01-01 UTC. The caller reads the clock; Core never does.
    public init(vietnamAt secondsSince1970: Double) {
        let seconds = Int((secondsSince1970 + 7 * 3600).rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        self.init(daysSinceEpoch: days)
    }
}
