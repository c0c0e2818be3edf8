import Testing
import TheodoiCore

/// Which reminders each day produces, rule by rule, with a pinned calendar: weekends and listed
/// holidays move a reminder to a working day, a missed day sends the latest one once, and an
/// extension or a report starts the series again.
@Suite("Reminder rules")
struct ReminderPlannerTests {
    static func date(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }
    static let planDate = date("2025-09-03")

    /// The keys due on each day of a range, as "MM-dd: key, key".
    static func days(
        _ deadlineText: String, from: String, to: String, history: AssignmentHistory = .empty,
        settings: ReminderSettings = ReminderSettings(), calendar: WorkingCalendar = WorkingCalendar(),
        planDate: LocalDate? = planDate
    ) -> [String] {
        let deadline = Deadline(parsing: deadlineText)
        var lines: [String] = []
        var day = date(from)
        while day <= date(to) {
            let status = StatusEngine.status(deadline: deadline, history: history, planDate: planDate, asOf: day)
            let keys = ReminderPlanner.occasions(
                code: "A.1", deadline: deadline, status: status, history: history, hasChildren: false, planDate: planDate,
                settings: settings, calendar: calendar, today: day
            ).map(\.key)
            if !keys.isEmpty { lines.append("\(day.iso.dropFirst(5)): \(keys.joined(separator: ", "))") }
            day = day.adding(days: 1)
        }
        return lines
    }

    @Test("weekdays and working days")
    func calendar() {
        #expect(WorkingCalendar.weekday(Self.date("1970-01-01")) == 4)
        #expect(WorkingCalendar.weekday(Self.date("2025-08-31")) == 0)
        #expect(WorkingCalendar.weekday(Self.date("2025-10-31")) == 5)
        let calendar = WorkingCalendar(holidays: [Self.date("2025-09-01"), Self.date("2025-09-02")])
        #expect(!calendar.isWorkingDay(Self.date("2025-09-02")))
        #expect(calendar.workingDay(onOrBefore: Self.date("2025-09-02")) == Self.date("2025-08-29"))
        #expect(calendar.workingDay(onOrAfter: Self.date("2025-08-30")) == Self.date("2025-09-03"))
        // Friday 29/08 + 3 working days skips the weekend and both holidays.
        #expect(calendar.adding(workingDays: 3, to: Self.date("2025-08-29")) == Self.date("2025-09-05"))
    }

    @Test("due 31/10/2025 (a Friday): 7 days and 1 day before, on the day, weekly overdue, quiet, escalation")
    func deadlineSeries() {
        #expect(
            Self.days("31/10/2025", from: "2025-09-03", to: "2025-12-02") == [
                // Nothing reported since the plan's date: quiet after 30 days (03/10, a Friday).
                "10-03: quiet:A.1:2025-09-03:30", "10-04: quiet:A.1:2025-09-03:30", "10-05: quiet:A.1:2025-09-03:30",
                "10-06: quiet:A.1:2025-09-03:30", "10-07: quiet:A.1:2025-09-03:30", "10-08: quiet:A.1:2025-09-03:30",
                "10-09: quiet:A.1:2025-09-03:30", "10-10: quiet:A.1:2025-09-03:30", "10-11: quiet:A.1:2025-09-03:30",
                "10-12: quiet:A.1:2025-09-03:30", "10-13: quiet:A.1:2025-09-03:30", "10-14: quiet:A.1:2025-09-03:30",
                "10-15: quiet:A.1:2025-09-03:30", "10-16: quiet:A.1:2025-09-03:30", "10-17: quiet:A.1:2025-09-03:30",
                "10-18: quiet:A.1:2025-09-03:30", "10-19: quiet:A.1:2025-09-03:30", "10-20: quiet:A.1:2025-09-03:30",
                "10-21: quiet:A.1:2025-09-03:30", "10-22: quiet:A.1:2025-09-03:30", "10-23: quiet:A.1:2025-09-03:30",
                // The deadline's reminders take over (one reminder a day per task).
                "10-24: due-soon:A.1:2025-10-31:7", "10-25: due-soon:A.1:2025-10-31:7", "10-26: due-soon:A.1:2025-10-31:7",
                "10-27: due-soon:A.1:2025-10-31:7", "10-28: due-soon:A.1:2025-10-31:7", "10-29: due-soon:A.1:2025-10-31:7",
                "10-30: due-soon:A.1:2025-10-31:1", "10-31: due-today:A.1:2025-10-31",
                // After the deadline, until the first weekly overdue reminder: the quiet series again.
                "11-01: quiet:A.1:2025-09-03:30", "11-02: quiet:A.1:2025-09-03:30",
                "11-03: quiet:A.1:2025-09-03:60", "11-04: quiet:A.1:2025-09-03:60", "11-05: quiet:A.1:2025-09-03:60",
                "11-06: quiet:A.1:2025-09-03:60",
                "11-07: overdue:A.1:2025-10-31:7", "11-08: overdue:A.1:2025-10-31:7", "11-09: overdue:A.1:2025-10-31:7",
                "11-10: overdue:A.1:2025-10-31:7", "11-11: overdue:A.1:2025-10-31:7", "11-12: overdue:A.1:2025-10-31:7",
                "11-13: overdue:A.1:2025-10-31:7", "11-14: overdue:A.1:2025-10-31:14", "11-15: overdue:A.1:2025-10-31:14",
                "11-16: overdue:A.1:2025-10-31:14", "11-17: overdue:A.1:2025-10-31:14", "11-18: overdue:A.1:2025-10-31:14",
                "11-19: overdue:A.1:2025-10-31:14", "11-20: overdue:A.1:2025-10-31:14", "11-21: overdue:A.1:2025-10-31:21",
                "11-22: overdue:A.1:2025-10-31:21", "11-23: overdue:A.1:2025-10-31:21", "11-24: overdue:A.1:2025-10-31:21",
                "11-25: overdue:A.1:2025-10-31:21", "11-26: overdue:A.1:2025-10-31:21", "11-27: overdue:A.1:2025-10-31:21",
                "11-28: overdue:A.1:2025-10-31:28", "11-29: overdue:A.1:2025-10-31:28", "11-30: overdue:A.1:2025-10-31:28",
                // Overdue by more than 30 days: the leaders hear of it from Monday 01/12.
                "12-01: overdue:A.1:2025-10-31:28, escalation:A.1:2025-10-31",
                "12-02: overdue:A.1:2025-10-31:28, escalation:A.1:2025-10-31",
            ])
    }

    @Test("a deadline on a holiday and a reminder day on a weekend move to the working day before")
    func holidays() {
        // Due Tuesday 02/09 (National Day; 01/09 is also off): 7 days before is Tuesday 26/08; the
        // day before (Monday 01/09, a holiday) and the day itself move to Friday 29/08, where the
        // reminder "due today" wins.
        let calendar = WorkingCalendar(holidays: [Self.date("2025-09-01"), Self.date("2025-09-02")])
        let settings = ReminderSettings(quietDays: 0, escalateAfterDays: 0)
        #expect(
            Self.days("02/09/2025", from: "2025-08-25", to: "2025-09-03", settings: settings, calendar: calendar, planDate: nil)
                == [
                    "08-26: due-soon:A.1:2025-09-02:7", "08-27: due-soon:A.1:2025-09-02:7", "08-28: due-soon:A.1:2025-09-02:7",
                    "08-29: due-today:A.1:2025-09-02", "08-30: due-today:A.1:2025-09-02", "08-31: due-today:A.1:2025-09-02",
                    "09-01: due-today:A.1:2025-09-02", "09-02: due-today:A.1:2025-09-02",
                ])
        // Without the holidays the day before is Monday 01/09.
        #expect(
            Self.days("02/09/2025", from: "2025-08-29", to: "2025-09-02", settings: settings, planDate: nil) == [
                "08-29: due-soon:A.1:2025-09-02:7", "08-30: due-soon:A.1:2025-09-02:7", "08-31: due-soon:A.1:2025-09-02:7",
                "09-01: due-soon:A.1:2025-09-02:1", "09-02: due-today:A.1:2025-09-02",
            ])
    }

    @Test("a report restarts the quiet count; a return tells the agency once; a claim waits 3 working days for the office")
    func reports() {
        let settings = ReminderSettings(daysBefore: [], onTheDay: false, overdueEveryDays: 0, escalateAfterDays: 0)
        let returned = AssignmentHistory(
            reports: [.init(id: 11, submittedOn: Self.date("2025-09-20"), percent: 100, claimsCompletion: true)],
            reviews: [.init(reportID: 11, decidedOn: Self.date("2025-09-22"), decision: .return)])
        #expect(
            Self.days("31/12/2025", from: "2025-09-21", to: "2025-10-21", history: returned, settings: settings).prefix(3) == [
                // Sent 20/09: the office hears at once (within the week); returned 22/09.
                "09-21: submitted:11:0", "09-22: returned:11", "09-23: returned:11",
            ])
        // Quiet counts from the report (20/09): 30 days later is Monday 20/10.
        #expect(
            Self.days("31/12/2025", from: "2025-10-19", to: "2025-10-20", history: returned, settings: settings) == [
                "10-19: returned:11", "10-20: quiet:A.1:2025-09-20:30, returned:11",
            ])
        // A completion claim sent Monday 22/09 waits for the office: reminded on the 4th working day
        // (Friday 26/09); the agency gets no deadline or quiet reminders meanwhile.
        let claimed = AssignmentHistory(
            reports: [.init(id: 12, submittedOn: Self.date("2025-09-22"), percent: 100, claimsCompletion: true)])
        #expect(
            Self.days("25/09/2025", from: "2025-09-22", to: "2025-09-29", history: claimed) == [
                "09-22: submitted:12:0", "09-23: submitted:12:0", "09-24: submitted:12:0", "09-25: submitted:12:0",
                "09-26: submitted:12:0, awaiting-review:12", "09-27: submitted:12:0, awaiting-review:12",
                "09-28: submitted:12:0, awaiting-review:12", "09-29: submitted:12:0, awaiting-review:12",
            ])
        // Past the week the event is on the pages only; a reversed decision makes it new again.
        #expect(Self.days("25/09/2025", from: "2025-09-30", to: "2025-09-30", history: claimed) == ["09-30: awaiting-review:12"])
        let reopened = AssignmentHistory(
            reports: [.init(id: 13, submittedOn: Self.date("2025-09-22"), percent: 100, claimsCompletion: true)],
            reviews: [
                .init(
                    reportID: 13, decidedOn: Self.date("2025-09-23"), decision: .return, reversedOn: Self.date("2025-09-24"))
            ])
        #expect(
            Self.days("31/12/2025", from: "2025-09-24", to: "2025-09-24", history: reopened, settings: settings) == [
                "09-24: submitted:13:1, reversed-review:A.1:0"
            ])
    }

    @Test("an extension request is told to the office until decided; a reversed extension decision to the agency")
    func requestsAndReversals() {
        let settings = ReminderSettings(quietDays: 0)
        let asked = AssignmentHistory(
            requests: [.init(requestedOn: Self.date("2025-09-22"), newDue: Self.date("2025-12-31"))])
        #expect(
            Self.days("31/10/2025", from: "2025-09-22", to: "2025-09-23", history: asked, settings: settings) == [
                "09-22: extension-request:A.1:0", "09-23: extension-request:A.1:0",
            ])
        // Decided: nothing more to tell the office about it.
        var decided = asked
        decided.extensions = [.init(decidedOn: Self.date("2025-09-23"), approved: false, newDue: Self.date("2025-12-31"))]
        #expect(
            Self.days("31/10/2025", from: "2025-09-23", to: "2025-09-23", history: decided, settings: settings) == [
                "09-23: extension:A.1:2025-09-23:2025-12-31:false"
            ])
        decided.extensions[0].reversedOn = Self.date("2025-09-25")
        #expect(
            Self.days("31/10/2025", from: "2025-09-24", to: "2025-09-25", history: decided, settings: settings) == [
                "09-24: extension:A.1:2025-09-23:2025-12-31:false", "09-25: reversed-extension:A.1:0",
            ])
    }

    @Test("an approved extension starts a new series; done tasks and parents get nothing")
    func extensions() {
        let settings = ReminderSettings(quietDays: 0)
        let extended = AssignmentHistory(
            extensions: [.init(decidedOn: Self.date("2025-10-20"), approved: true, newDue: Self.date("2025-12-31"))])
        // The decision reaches the lead agency at once (within the week); then only the new series.
        #expect(
            Self.days("31/10/2025", from: "2025-10-24", to: "2025-10-24", history: extended, settings: settings) == [
                "10-24: extension:A.1:2025-10-20:2025-12-31:true"
            ])
        #expect(Self.days("31/10/2025", from: "2025-10-28", to: "2025-10-28", history: extended, settings: settings).isEmpty)
        #expect(
            Self.days("31/10/2025", from: "2025-12-24", to: "2025-12-24", history: extended, settings: settings) == [
                "12-24: due-soon:A.1:2025-12-31:7"
            ])
        let done = AssignmentHistory(
            reports: [.init(id: 1, submittedOn: Self.date("2025-10-01"), percent: 100, claimsCompletion: true)],
            reviews: [
                .init(reportID: 1, decidedOn: Self.date("2025-10-02"), decision: .accept(completedOn: Self.date("2025-10-01")))
            ])
        #expect(Self.days("31/10/2025", from: "2025-10-02", to: "2025-12-31", history: done).isEmpty)
        let deadline = Deadline(parsing: "31/10/2025")
        let status = StatusEngine.status(deadline: deadline, planDate: Self.planDate, asOf: Self.date("2025-10-31"))
        #expect(
            ReminderPlanner.occasions(
                code: "A.17", deadline: deadline, status: status, history: .empty, hasChildren: true, planDate: Self.planDate,
                settings: ReminderSettings(), calendar: WorkingCalendar(), today: Self.date("2025-10-31")
            ).isEmpty)
    }

    @Test("a recurring task not reported this quarter is reminded 7 days before the cut-off (14/12, a Sunday)")
    func recurring() {
        let settings = ReminderSettings(quietDays: 0)
        #expect(
            Self.days("Thường xuyên", from: "2025-12-04", to: "2025-12-16", settings: settings) == [
                "12-05: recurring:A.1:quarter-2025-4", "12-06: recurring:A.1:quarter-2025-4",
                "12-07: recurring:A.1:quarter-2025-4", "12-08: recurring:A.1:quarter-2025-4",
                "12-09: recurring:A.1:quarter-2025-4", "12-10: recurring:A.1:quarter-2025-4",
                "12-11: recurring:A.1:quarter-2025-4", "12-12: recurring:A.1:quarter-2025-4",
                "12-13: recurring:A.1:quarter-2025-4", "12-14: recurring:A.1:quarter-2025-4",
            ])
        let reported = AssignmentHistory(
            reports: [.init(id: 5, submittedOn: Self.date("2025-11-20"), percent: 50, claimsCompletion: false)])
        #expect(Self.days("Thường xuyên", from: "2025-12-04", to: "2025-12-14", history: reported, settings: settings).isEmpty)
    }

    @Test("settings out of range are refused with Vietnamese messages")
    func settings() {
        #expect(ReminderSettings().problems.isEmpty)
        #expect(
            ReminderSettings(daysBefore: [0], quietDays: 400).problems == [
                "Số ngày nhắc trước hạn phải từ 1 đến 90, tối đa 5 mốc.", "Số ngày im lặng phải từ 0 đến 365 (0 là tắt).",
            ])
    }
}

@Suite("HMAC-SHA256")
struct HMACTests {
    @Test("RFC 4231 test cases 1, 2 and 6 (a key longer than the block)")
    func vectors() {
        #expect(
            SHA256.hmacHex(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(
            SHA256.hmacHex(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(
            SHA256.hmacHex(
                key: [UInt8](repeating: 0xaa, count: 131),
                message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }
}
