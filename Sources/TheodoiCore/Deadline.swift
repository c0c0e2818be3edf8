/// Thời gian hoàn thành: a deadline as a catalogue writes it, with the raw text kept beside it.
public struct Deadline: Sendable, Hashable {
    /// The text as written (whitespace collapsed, NFC).
    public var text: String
    /// What the text means.
    public var form: Form

    public init(text: String, form: Form) {
        self.text = text
        self.form = form
    }

    /// The forms of DESIGN §4.3.
    public enum Form: Sendable, Hashable {
        /// "Tháng 10/2025": due the last day of the month.
        case month(year: Int, month: Int)
        /// "Quý II/2025": due the last day of the quarter.
        case quarter(year: Int, quarter: Int)
        /// "6 tháng đầu năm 2026" (half 1) or "6 tháng cuối năm 2026" (half 2).
        case halfYear(year: Int, half: Int)
        /// "Năm 2025": due 31/12.
        case year(Int)
        /// "31/12/2025", "Trước ngày 15/10/2025".
        case date(LocalDate)
        /// "Giai đoạn 2025 - 2030": due the end of the range.
        case range(start: LocalDate, end: LocalDate)
        /// "Thường xuyên" (no cadence) or "Hằng năm", "2025 và những năm tiếp theo" (with one).
        case recurring(cadence: Cadence?, start: LocalDate?)
        /// "Theo KH của Trung ương": no date until the office sets one.
        case external
        /// An empty cell.
        case none
        /// Text that fits no form; kept as written, reported as a finding.
        case unknown
    }

    /// The kind names of the JSON contract (DESIGN §4.5).
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        case month, quarter, halfYear = "half-year", year, date, range, recurring, external, none, unknown
    }

    /// Kỳ lặp lại: how often a recurring task is due.
    public enum Cadence: String, Sendable, Hashable, CaseIterable, Codable {
        case monthly, quarterly, halfYearly = "half-yearly", yearly
    }

    public var kind: Kind {
        switch form {
        case .month: .month
        case .quarter: .quarter
        case .halfYear: .halfYear
        case .year: .year
        case .date: .date
        case .range: .range
        case .recurring: .recurring
        case .external: .external
        case .none: .none
        case .unknown: .unknown
        }
    }

    /// The cadence of a recurring deadline, nil otherwise or for plain "Thường xuyên".
    public var cadence: Cadence? {
        if case .recurring(let cadence, _) = form { return cadence }
        return nil
    }

    /// The due date: the end of the period the text names. For a recurring deadline with a cadence,
    /// the end of its first period; nil for plain recurring, external, none and unknown.
    public var due: LocalDate? {
        switch form {
        case .month(let year, let month):
            return LocalDate.endOfMonth(year: year, month: month)
        case .quarter(let year, let quarter):
            return LocalDate.endOfMonth(year: year, month: quarter * 3)
        case .halfYear(let year, let half):
            return LocalDate.endOfMonth(year: year, month: half * 6)
        case .year(let year):
            return LocalDate(year: year, month: 12, day: 31)
        case .date(let date):
            return date
        case .range(_, let end):
            return end
        case .recurring(let cadence?, let start?):
            return cadence.periodEnd(containing: start)
        case .recurring, .external, .none, .unknown:
            return nil
        }
    }

    /// For a recurring deadline with a cadence, the due date of the period containing `date`
    /// (never before the first period); nil for every other form.
    public func recurringDue(containing date: LocalDate) -> LocalDate? {
        guard case .recurring(let cadence?, let start) = form else { return nil }
        let from = start.map { max($0, date) } ?? date
        return cadence.periodEnd(containing: from)
    }
}

extension Deadline.Cadence {
    /// The last day of the period of this cadence that contains `date`.
    public func periodEnd(containing date: LocalDate) -> LocalDate? {
        let months: Int
        switch self {
        case .monthly: months = 1
        case .quarterly: months = 3
        case .halfYearly: months = 6
        case .yearly: months = 12
        }
        let lastMonth = ((date.month - 1) / months + 1) * months
        return LocalDate.endOfMonth(year: date.year, month: lastMonth)
    }
}
