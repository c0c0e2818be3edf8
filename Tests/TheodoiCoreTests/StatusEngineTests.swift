import Testing
import TheodoiCore

@Suite("Status as of a date (DESIGN §5)")
struct StatusEngineTests {
    static let planDate = LocalDate(iso: "2025-09-03")
    static func date(_ text: String) -> LocalDate { LocalDate(iso: text)! }
    static let october = Deadline(parsing: "Tháng 10/2025")

    static func status(
        _ deadline: Deadline = october, _ history: AssignmentHistory = .empty, children: [AssignmentStatus] = [],
        asOf: String
    ) -> AssignmentStatus {
        StatusEngine.status(deadline: deadline, history: history, children: children, planDate: planDate, asOf: date(asOf))
    }

    static func status(_ history: AssignmentHistory, asOf: String) -> AssignmentStatus {
        status(october, history, asOf: asOf)
    }

    @Test("with no report: in time until the due date, overdue after it")
    func noReports() {
        let before = Self.status(asOf: "2025-10-31")
        #expect(before.timeliness == .openInTime)
        #expect(before.stage == .notStarted)
        #expect(before.effectiveDue == Self.date("2025-10-31"))
        #expect(Self.status(asOf: "2025-11-01").timeliness == .openOverdue)
        #expect(Self.status(Deadline(parsing: "Theo KH của Trung ương"), asOf: "2026-01-01").timeliness == .undetermined)
        #expect(Self.status(Deadline(parsing: ""), asOf: "2026-01-01").timeliness == .undetermined)
        #expect(Self.status(Deadline(parsing: "Thường xuyên"), asOf: "2026-01-01").timeliness == .recurring)
    }

    @Test("a deadline before the plan's date is overdue at issue")
    func overdueAtIssue() {
        #expect(Self.status(Deadline(parsing: "Tháng 8/2025"), asOf: "2025-09-10").overdueAtIssue)
        #expect(!Self.status(asOf: "2025-09-10").overdueAtIssue)
    }

    @Test("completion is what the office accepted, dated by the completion date")
    func completion() {
        let history = AssignmentHistory(
            reports: [
                .init(id: 1, submittedOn: Self.date("2025-10-01"), percent: 60, claimsCompletion: false),
                .init(id: 2, submittedOn: Self.date("2025-10-25"), percent: 100, claimsCompletion: true),
            ],
            reviews: [
                .init(reportID: 2, decidedOn: Self.date("2025-11-05"), decision: .accept(completedOn: Self.date("2025-10-25")))
            ])
        #expect(Self.status(history, asOf: "2025-10-10").stage == .inProgress)
        #expect(Self.status(history, asOf: "2025-10-10").percent == 60)
        let claimed = Self.status(history, asOf: "2025-11-02")
        #expect(claimed.stage == .awaitingReview)
        #expect(claimed.timeliness == .openOverdue)  // claimed, not yet accepted, past due
        let accepted = Self.status(history, asOf: "2025-11-06")
        #expect(accepted.stage == .done)
        #expect(accepted.timeliness == .doneOnTime)
        #expect(accepted.percent == 100)
    }

    @Test("a withdrawn report and a reversed decision count until the day they were undone, not after")
    func corrections() {
        var history = AssignmentHistory(
            reports: [
                .init(id: 1, submittedOn: Self.date("2025-10-01"), percent: 60, claimsCompletion: false),
                .init(
                    id: 2, submittedOn: Self.date("2025-10-20"), percent: 100, claimsCompletion: true,
                    withdrawnOn: Self.date("2025-10-22")),
                .init(id: 3, submittedOn: Self.date("2025-10-25"), percent: 100, claimsCompletion: true),
            ],
            reviews: [
                // Accepted by mistake on 28/10, reversed on 03/11, returned on 04/11.
                .init(
                    reportID: 3, decidedOn: Self.date("2025-10-28"), decision: .accept(completedOn: Self.date("2025-10-25")),
                    reversedOn: Self.date("2025-11-03")),
                .init(reportID: 3, decidedOn: Self.date("2025-11-04"), decision: .return),
            ],
            extensions: [
                .init(
                    decidedOn: Self.date("2025-10-15"), approved: true, newDue: Self.date("2025-12-31"),
                    reversedOn: Self.date("2025-10-30"))
            ])
        // The withdrawn claim waited for review on 21/10 and no longer on 22/10.
        #expect(Self.status(history, asOf: "2025-10-21").stage == .awaitingReview)
        #expect(Self.status(history, asOf: "2025-10-22").stage == .inProgress)
        #expect(Self.status(history, asOf: "2025-10-22").percent == 60)
        // The acceptance stands from 28/10 to 02/11; the extension from 15/10 to 29/10.
        #expect(Self.status(history, asOf: "2025-10-29").timeliness == .doneOnTime)
        #expect(Self.status(history, asOf: "2025-10-29").effectiveDue == Self.date("2025-12-31"))
        #expect(Self.status(history, asOf: "2025-11-02").timeliness == .doneOnTime)
        #expect(Self.status(history, asOf: "2025-11-02").effectiveDue == Self.date("2025-10-31"))
        let reversed = Self.status(history, asOf: "2025-11-03")
        #expect(reversed.stage == .awaitingReview && reversed.timeliness == .openOverdue && reversed.completedOn == nil)
        #expect(Self.status(history, asOf: "2025-11-04").stage == .returned)
        // Accepted again after the return is reversed on the same day: the later decision stands.
        history.reviews[1].reversedOn = Self.date("2025-11-05")
        history.reviews.append(
            .init(reportID: 3, decidedOn: Self.date("2025-11-05"), decision: .accept(completedOn: Self.date("2025-10-25"))))
        #expect(Self.status(history, asOf: "2025-11-05").stage == .done)
        #expect(Self.status(history, asOf: "2025-11-04").stage == .returned)
    }

    @Test("a returned report, then a late completion")
    func returnedThenLate() {
        let history = AssignmentHistory(
            reports: [
                .init(id: 1, submittedOn: Self.date("2025-10-20"), percent: 100, claimsCompletion: true),
                .init(id: 2, submittedOn: Self.date("2025-11-10"), percent: 100, claimsCompletion: true),
            ],
            reviews: [
                .init(reportID: 1, decidedOn: Self.date("2025-10-22"), decision: .return),
                .init(reportID: 2, decidedOn: Self.date("2025-11-12"), decision: .accept(completedOn: Self.date("2025-11-10"))),
            ])
        #expect(Self.status(history, asOf: "2025-10-25").stage == .returned)
        let done = Self.status(history, asOf: "2025-12-01")
        #expect(done.timeliness == .doneLate)
        #expect(done.originalDue == Self.date("2025-10-31"))
    }

    @Test("an approved extension moves the effective due date from its decision on; the original is kept")
    func extensions() {
        let history = AssignmentHistory(extensions: [
            .init(decidedOn: Self.date("2025-10-20"), approved: true, newDue: Self.date("2025-12-31")),
            .init(decidedOn: Self.date("2025-10-21"), approved: false, newDue: Self.date("2026-06-30")),
        ])
        #expect(Self.status(history, asOf: "2025-10-19").effectiveDue == Self.date("2025-10-31"))
        let extended = Self.status(history, asOf: "2025-11-15")
        #expect(extended.effectiveDue == Self.date("2025-12-31"))
        #expect(extended.originalDue == Self.date("2025-10-31"))
        #expect(extended.timeliness == .openInTime)
    }

    @Test("a parent is done when all its children are; its percentage is their plain mean")
    func parents() {
        let done = Self.status(
            Deadline(parsing: "Tháng 9/2025"),
            AssignmentHistory(
                reports: [.init(id: 1, submittedOn: Self.date("2025-09-20"), percent: 100, claimsCompletion: true)],
                reviews: [
                    .init(
                        reportID: 1, decidedOn: Self.date("2025-09-21"), decision: .accept(completedOn: Self.date("2025-09-20")))
                ]),
            asOf: "2025-10-01")
        let half = Self.status(
            Deadline(parsing: "Tháng 12/2025"),
            AssignmentHistory(reports: [.init(id: 2, submittedOn: Self.date("2025-09-25"), percent: 50, claimsCompletion: false)]
            ),
            asOf: "2025-10-01")
        let parent = Self.status(Deadline(parsing: ""), children: [done, half], asOf: "2025-10-01")
        #expect(parent.percent == 75)
        #expect(parent.stage == .inProgress)
        #expect(parent.timeliness == .openInTime)
        #expect(parent.effectiveDue == Self.date("2025-12-31"))  // no deadline of its own: the latest child's
        let allDone = Self.status(Deadline(parsing: "Tháng 10/2025"), children: [done, done], asOf: "2025-10-01")
        #expect(allDone.timeliness == .doneOnTime)
        #expect(allDone.completedOn == Self.date("2025-09-20"))
    }

    @Test("a recurring task reports per period")
    func recurring() {
        let history = AssignmentHistory(reports: [
            .init(id: 1, submittedOn: Self.date("2025-09-20"), percent: 10, claimsCompletion: false)
        ])
        let yearly = Deadline(parsing: "Hằng quý", planDate: Self.planDate)
        #expect(Self.status(yearly, history, asOf: "2025-10-01").reportedThisPeriod == true)
        #expect(Self.status(yearly, history, asOf: "2025-12-20").reportedThisPeriod == false)
        #expect(Self.status(yearly, history, asOf: "2025-12-20").effectiveDue == Self.date("2025-12-31"))
    }

    @Test("the statistics sentence counts as officials write it")
    func summary() {
        let statuses = [
            Self.status(asOf: "2025-10-01"), Self.status(asOf: "2025-11-05"),
            Self.status(Deadline(parsing: "Thường xuyên"), asOf: "2025-11-05"),
            Self.status(Deadline(parsing: "Theo KH của Trung ương"), asOf: "2025-11-05"),
        ]
        #expect(
            StatusSummary(statuses).sentence
                == "Tổng số 4 nhiệm vụ; đã hoàn thành 0 (đúng hạn 0, quá hạn 0); chưa hoàn thành 2 (trong hạn 1, quá hạn 1); "
                + "thường xuyên 1 (đã có kết quả 0); chưa xác định hạn 1.")
    }

    @Test("the date in Vietnam at an instant")
    func vietnamDate() {
        // 2025-09-02T17:00:00Z is midnight of 3 September in Vietnam.
        #expect(LocalDate(vietnamAt: 1_756_832_400).iso == "2025-09-03")
        #expect(LocalDate(vietnamAt: 1_756_832_399).iso == "2025-09-02")
    }
}
