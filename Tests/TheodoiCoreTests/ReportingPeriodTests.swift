import Testing
import TheodoiCore

@Suite("Reporting periods: the 15th → 14th cut-off of DESIGN §6")
struct ReportingPeriodTests {
    /// Kind, year, index → start, end, name.
    static let table: [(ReportingPeriod.Kind, Int, Int, String, String, String)] = [
        (.month, 2025, 10, "2025-09-15", "2025-10-14", "tháng 10/2025"),
        (.month, 2026, 1, "2025-12-15", "2026-01-14", "tháng 1/2026"),
        (.quarter, 2025, 3, "2025-06-15", "2025-09-14", "quý III/2025"),
        (.quarter, 2026, 1, "2025-12-15", "2026-03-14", "quý I/2026"),
        (.sixMonths, 2026, 0, "2025-12-15", "2026-06-14", "6 tháng đầu năm 2026"),
        (.nineMonths, 2026, 0, "2025-12-15", "2026-09-14", "9 tháng năm 2026"),
        (.year, 2025, 0, "2024-12-15", "2025-12-14", "năm 2025"),
    ]

    @Test("starts on the 15th and ends on the 14th", arguments: table)
    func bounds(kind: ReportingPeriod.Kind, year: Int, index: Int, start: String, end: String, name: String) throws {
        let period = try #require(ReportingPeriod(kind: kind, year: year, index: index))
        #expect(period.start.iso == start)
        #expect(period.end.iso == end)
        #expect(period.vietnameseName == name)
    }

    @Test("finds the period a date falls in")
    func containing() throws {
        let date = { (text: String) throws -> LocalDate in try #require(LocalDate(iso: text)) }
        #expect(ReportingPeriod.containing(try date("2025-10-14"), kind: .month)?.vietnameseName == "tháng 10/2025")
        #expect(ReportingPeriod.containing(try date("2025-10-15"), kind: .month)?.vietnameseName == "tháng 11/2025")
        #expect(ReportingPeriod.containing(try date("2025-12-20"), kind: .month)?.vietnameseName == "tháng 1/2026")
        #expect(ReportingPeriod.containing(try date("2025-12-20"), kind: .year)?.vietnameseName == "năm 2026")
        #expect(ReportingPeriod.containing(try date("2025-12-14"), kind: .year)?.vietnameseName == "năm 2025")
        #expect(ReportingPeriod.containing(try date("2025-09-14"), kind: .quarter)?.vietnameseName == "quý III/2025")
        #expect(ReportingPeriod.containing(try date("2025-09-15"), kind: .quarter)?.vietnameseName == "quý IV/2025")
        #expect(ReportingPeriod.containing(try date("2026-06-14"), kind: .sixMonths)?.vietnameseName == "6 tháng đầu năm 2026")
        #expect(ReportingPeriod.containing(try date("2026-06-15"), kind: .sixMonths) == nil)
        #expect(ReportingPeriod.containing(try date("2025-12-15"), kind: .nineMonths)?.vietnameseName == "9 tháng năm 2026")
    }

    @Test("every day of a year lies in exactly one month period, which contains it")
    func monthsTile() throws {
        var date = try #require(LocalDate(iso: "2025-01-01"))
        while date.year == 2025 {
            let period = try #require(ReportingPeriod.containing(date, kind: .month))
            #expect(period.contains(date))
            #expect(
                !(try #require(ReportingPeriod(kind: .month, year: period.year, index: period.index))).contains(
                    date.adding(days: 40)))
            date = date.adding(days: 1)
        }
    }

    @Test("refuses indexes that do not fit the kind")
    func invalid() {
        #expect(ReportingPeriod(kind: .month, year: 2025, index: 13) == nil)
        #expect(ReportingPeriod(kind: .quarter, year: 2025, index: 5) == nil)
        #expect(ReportingPeriod(kind: .year, year: 2025, index: 1) == nil)
    }
}
