/// Kỳ báo cáo: a reporting period, with the cut-off dates of Nghị định 09/2019/NĐ-CP practice (DESIGN §6).
///
/// A month runs from the 15th of the previous month to the 14th; a quarter from the 15th of the month
/// before it to the 14th of its last month; 6 months, 9 months and the year all start on 15/12 of the
/// previous year and end on 14/6, 14/9 and 14/12.
public struct ReportingPeriod: Sendable, Hashable {
    /// Loại kỳ báo cáo.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        case month, quarter, sixMonths = "six-months", nineMonths = "nine-months", year
    }

    public let kind: Kind
    /// The year the period reports on (a period starting 15/12/2025 reports on 2026).
    public let year: Int
    /// Month 1–12 for `.month`, quarter 1–4 for `.quarter`, 0 otherwise.
    public let index: Int

    /// A period; nil when `index` does not fit the kind.
    public init?(kind: Kind, year: Int, index: Int = 0) {
        switch kind {
        case .month: guard (1...12).contains(index) else { return nil }
        case .quarter: guard (1...4).contains(index) else { return nil }
        case .sixMonths, .nineMonths, .year: guard index == 0 else { return nil }
        }
        guard (1901...9998).contains(year) else { return nil }
        self.kind = kind
        self.year = year
        self.index = index
    }

    /// The period of `kind` whose cut-off range contains `date`; nil only for six and nine months when
    /// the date falls after their end (15/6–14/12 is in no six-month period).
    public static func containing(_ date: LocalDate, kind: Kind) -> ReportingPeriod? {
        // A date on or after the 15th belongs to the next month's period.
        var year = date.year
        var month = date.month
        if date.day >= 15 {
            month += 1
            if month == 13 {
                month = 1
                year += 1
            }
        }
        switch kind {
        case .month: return ReportingPeriod(kind: .month, year: year, index: month)
        case .quarter: return ReportingPeriod(kind: .quarter, year: year, index: (month - 1) / 3 + 1)
        case .sixMonths: return month <= 6 ? ReportingPeriod(kind: .sixMonths, year: year) : nil
        case .nineMonths: return month <= 9 ? ReportingPeriod(kind: .nineMonths, year: year) : nil
        case .year: return ReportingPeriod(kind: .year, year: year)
        }
    }

    /// The first day of the period (a 15th).
    public var start: LocalDate {
        let firstMonth: Int
        switch kind {
        case .month: firstMonth = index
        case .quarter: firstMonth = (index - 1) * 3 + 1
        case .sixMonths, .nineMonths, .year: firstMonth = 1
        }
        let startMonth = firstMonth == 1 ? 12 : firstMonth - 1
        let startYear = firstMonth == 1 ? year - 1 : year
        return LocalDate(unsafeYear: startYear, month: startMonth, day: 15)
    }

    /// The last day of the period (a 14th).
    public var end: LocalDate {
        let lastMonth: Int
        switch kind {
        case .month: lastMonth = index
        case .quarter: lastMonth = index * 3
        case .sixMonths: lastMonth = 6
        case .nineMonths: lastMonth = 9
        case .year: lastMonth = 12
        }
        return LocalDate(unsafeYear: year, month: lastMonth, day: 14)
    }

    /// Whether `date` falls within the period, both ends included.
    public func contains(_ date: LocalDate) -> Bool { start <= date && date <= end }

    /// The name officials write: "tháng 10/2025", "quý III/2025", "6 tháng đầu năm 2026",
    /// "9 tháng năm 2026", "năm 2026".
    public var vietnameseName: String {
        switch kind {
        case .month: "tháng \(index)/\(year)"
        case .quarter: "quý \(["I", "II", "III", "IV"][index - 1])/\(year)"
        case .sixMonths: "6 tháng đầu năm \(year)"
        case .nineMonths: "9 tháng năm \(year)"
        case .year: "năm \(year)"
        }
    }
}

extension ReportingPeriod {
    /// "quarter-2025-4", "month-2025-10", "six-months-2026", "nine-months-2026", "year-2026".
    public var key: String {
        switch kind {
        case .month, .quarter: "\(kind.rawValue)-\(year)-\(index)"
        case .sixMonths, .nineMonths, .year: "\(kind.rawValue)-\(year)"
        }
    }

    /// The period a key names; nil for anything else.
    public init?(key: String) {
        for kind in Kind.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count }) {
            let prefix = kind.rawValue + "-"
            guard key.hasPrefix(prefix) else { continue }
            let numbers = key.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
            switch kind {
            case .month, .quarter:
                guard numbers.count == 2, let year = Int(numbers[0]), let index = Int(numbers[1]) else { return nil }
                self.init(kind: kind, year: year, index: index)
            case .sixMonths, .nineMonths, .year:
                guard numbers.count == 1, let year = Int(numbers[0]) else { return nil }
                self.init(kind: kind, year: year)
            }
            return
        }
        return nil
    }
}

extension Deadline {
    /// The reporting period a recurring task reports in: its cadence's, a quarter for plain "Thường xuyên".
    public var reportingPeriodKind: ReportingPeriod.Kind {
        switch cadence {
        case .monthly: .month
        case .quarterly, nil: .quarter
        case .halfYearly: .sixMonths
        case .yearly: .year
        }
    }
}

extension LocalDate {
    /// A date from parts known to be valid (a 14th or 15th of a real month).
    fileprivate init(unsafeYear year: Int, month: Int, day: Int) {
        self = LocalDate(year: year, month: month, day: day) ?? LocalDate(daysSinceEpoch: 0)
    }
}
