import Testing
import TheodoiCore

@Suite("Deadline: every form of DESIGN §4.3")
struct DeadlineTests {
    static let planDate = LocalDate(iso: "2025-09-03")

    /// Text as written → kind, due date, cadence.
    static let table: [(String, Deadline.Kind, String?, Deadline.Cadence?)] = [
        ("Tháng 10/2025", .month, "2025-10-31", nil),
        ("10/2025", .month, "2025-10-31", nil),
        ("06/2025", .month, "2025-06-30", nil),
        ("6/2025", .month, "2025-06-30", nil),
        ("Tháng 2/2024", .month, "2024-02-29", nil),
        ("tháng 9 năm 2025", .month, "2025-09-30", nil),
        ("Tháng   8/2025", .month, "2025-08-31", nil),
        ("Quý II/2025", .quarter, "2025-06-30", nil),
        ("Quý IV/2025", .quarter, "2025-12-31", nil),
        ("quý 3 năm 2025", .quarter, "2025-09-30", nil),
        ("6 tháng đầu năm 2026", .halfYear, "2026-06-30", nil),
        ("6 tháng cuối năm 2026", .halfYear, "2026-12-31", nil),
        ("2025", .year, "2025-12-31", nil),
        ("Năm 2025", .year, "2025-12-31", nil),
        ("Trong năm 2026", .year, "2026-12-31", nil),
        ("31/12/2025", .date, "2025-12-31", nil),
        ("ngày 15/10/2025", .date, "2025-10-15", nil),
        ("Trước ngày 15/10/2025", .date, "2025-10-15", nil),
        ("Chậm nhất ngày 05/11/2025", .date, "2025-11-05", nil),
        ("ngày 15 tháng 10 năm 2025", .date, "2025-10-15", nil),
        ("Giai đoạn 2025 - 2030", .range, "2030-12-31", nil),
        ("2025-2030", .range, "2030-12-31", nil),
        ("2025 – 2030", .range, "2030-12-31", nil),
        ("Thường xuyên", .recurring, nil, nil),
        ("Thực hiện thường xuyên", .recurring, nil, nil),
        ("Nhiệm vụ thường xuyên", .recurring, nil, nil),
        ("Hằng năm", .recurring, "2025-12-31", .yearly),
        ("Hàng năm", .recurring, "2025-12-31", .yearly),
        ("Hằng quý", .recurring, "2025-09-30", .quarterly),
        ("Hằng tháng", .recurring, "2025-09-30", .monthly),
        ("2025 và những năm tiếp theo", .recurring, "2025-12-31", .yearly),
        ("Năm 2026 và các năm tiếp theo", .recurring, "2026-12-31", .yearly),
        ("Theo KH của Trung ương", .external, nil, nil),
        ("Theo hướng dẫn của Bộ NNMT", .external, nil, nil),
        ("Theo Kế hoạch của UBKT TW", .external, nil, nil),
        ("", .none, nil, nil),
        ("   ", .none, nil, nil),
        ("Sớm nhất có thể", .unknown, nil, nil),
        ("Tháng 13/2025", .unknown, nil, nil),
        ("31/02/2025", .unknown, nil, nil),
        ("Quý V/2025", .unknown, nil, nil),
        ("2030-2025", .unknown, nil, nil),
        ("Tháng", .unknown, nil, nil),
    ]

    @Test("parses", arguments: table)
    func parses(text: String, kind: Deadline.Kind, due: String?, cadence: Deadline.Cadence?) {
        let deadline = Deadline(parsing: text, planDate: DeadlineTests.planDate)
        #expect(deadline.kind == kind, "\(text)")
        #expect(deadline.due?.iso == due, "\(text)")
        #expect(deadline.cadence == cadence, "\(text)")
    }

    @Test("keeps the raw text, whitespace collapsed")
    func keepsText() {
        #expect(Deadline(parsing: "  Tháng\n8/2025 ").text == "Tháng 8/2025")
        #expect(Deadline(parsing: "Sớm nhất có thể").text == "Sớm nhất có thể")
    }

    @Test("a recurring deadline is due at the end of each period from its start")
    func recurringPeriods() throws {
        let yearly = Deadline(parsing: "2025 và những năm tiếp theo")
        #expect(yearly.recurringDue(containing: try #require(LocalDate(iso: "2027-03-01")))?.iso == "2027-12-31")
        #expect(yearly.recurringDue(containing: try #require(LocalDate(iso: "2020-03-01")))?.iso == "2025-12-31")
        let quarterly = Deadline(parsing: "Hằng quý", planDate: DeadlineTests.planDate)
        #expect(quarterly.recurringDue(containing: try #require(LocalDate(iso: "2025-11-20")))?.iso == "2025-12-31")
        #expect(Deadline(parsing: "Thường xuyên").recurringDue(containing: try #require(LocalDate(iso: "2025-11-20"))) == nil)
        #expect(Deadline(parsing: "Tháng 9/2025").recurringDue(containing: try #require(LocalDate(iso: "2025-11-20"))) == nil)
    }
}
