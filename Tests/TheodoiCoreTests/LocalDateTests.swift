import Testing
import TheodoiCore

@Suite("LocalDate")
struct LocalDateTests {
    @Test("rejects days that do not exist")
    func validity() {
        #expect(LocalDate(year: 2025, month: 4, day: 31) == nil)
        #expect(LocalDate(year: 2025, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2024, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 1900, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2000, month: 2, day: 29) != nil)
        #expect(LocalDate(year: 2025, month: 13, day: 1) == nil)
        #expect(LocalDate(year: 2025, month: 0, day: 1) == nil)
        #expect(LocalDate(year: 2025, month: 1, day: 0) == nil)
    }

    @Test(
        "reads and writes ISO dates, refusing anything else",
        arguments: [
            ("2025-09-03", "2025-09-03"), ("2025-9-3", nil), ("2025-02-30", nil), ("03/09/2025", nil), ("", nil),
            ("2025-09-03T00:00", nil), ("２０２５-09-03", nil), ("+202-01-01", nil), ("2025-+1-+1", nil), ("0000-12-02", nil),
            ("9999-12-31", "9999-12-31"),
        ])
    func iso(text: String, expected: String?) {
        #expect(LocalDate(iso: text)?.iso == expected)
    }

    @Test("counts days across months, years and leap days")
    func arithmetic() throws {
        let start = try #require(LocalDate(year: 2024, month: 12, day: 31))
        #expect(start.adding(days: 1).iso == "2025-01-01")
        #expect(start.adding(days: 60).iso == "2025-03-01")
        #expect(try #require(LocalDate(year: 2024, month: 2, day: 28)).adding(days: 1).iso == "2024-02-29")
        #expect(try #require(LocalDate(year: 2025, month: 9, day: 3)).days(to: try #require(LocalDate(iso: "2025-12-31"))) == 119)
        #expect(try #require(LocalDate(iso: "1970-01-01")).daysSinceEpoch == 0)
        #expect(LocalDate(daysSinceEpoch: -1).iso == "1969-12-31")
    }

    @Test("every day from 1990 to 2060 survives the epoch round trip in order")
    func epochRoundTrip() throws {
        var date = try #require(LocalDate(iso: "1990-01-01"))
        let end = try #require(LocalDate(iso: "2060-12-31"))
        while date < end {
            let next = date.adding(days: 1)
            #expect(next > date)
            #expect(LocalDate(daysSinceEpoch: date.daysSinceEpoch) == date)
            #expect(LocalDate(year: next.year, month: next.month, day: next.day) == next)
            date = next
        }
    }

    @Test(
        "formats as officials write dates",
        arguments: [
            ("2025-09-03", "03/09/2025", "ngày 03 tháng 9 năm 2025"),
            ("2025-02-05", "05/02/2025", "ngày 05 tháng 02 năm 2025"),
            ("2026-01-15", "15/01/2026", "ngày 15 tháng 01 năm 2026"),
            ("2025-12-31", "31/12/2025", "ngày 31 tháng 12 năm 2025"),
            ("2025-10-10", "10/10/2025", "ngày 10 tháng 10 năm 2025"),
        ])
    func vietnamese(iso: String, short: String, formal: String) throws {
        let date = try #require(LocalDate(iso: iso))
        #expect(date.vietnameseShort == short)
        #expect(date.vietnameseFormal == formal)
        #expect(LocalDate(vietnamese: short) == date)
    }

    @Test("reads d/M/yyyy as written in documents")
    func readsVietnamese() {
        #expect(LocalDate(vietnamese: "3/9/2025")?.iso == "2025-09-03")
        #expect(LocalDate(vietnamese: "14/5/2025")?.iso == "2025-05-14")
        #expect(LocalDate(vietnamese: "31/4/2025") == nil)
        #expect(LocalDate(vietnamese: "3/9/25") == nil)
    }
}
