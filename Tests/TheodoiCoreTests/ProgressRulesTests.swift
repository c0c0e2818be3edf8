import Testing
import TheodoiCore

@Suite("Who may do what to progress, in which state")
struct ProgressRulesTests {
    /// The permission table of DESIGN §2, written out by hand: "role/relation" pairs allowed per action.
    static let allowed: [ProgressAction: Set<String>] = [
        .writeReport: ["officer/lead"],
        .requestExtension: ["officer/lead"],
        .contribute: ["officer/coordinator"],
        .review: [
            "monitor/lead", "monitor/coordinator", "monitor/unrelated", "admin/lead", "admin/coordinator", "admin/unrelated",
        ],
        .decideExtension: [
            "monitor/lead", "monitor/coordinator", "monitor/unrelated", "admin/lead", "admin/coordinator", "admin/unrelated",
        ],
        .setDue: [
            "monitor/lead", "monitor/coordinator", "monitor/unrelated", "admin/lead", "admin/coordinator", "admin/unrelated",
        ],
        // The agency that sent it (the report's own agency is checked by the use case).
        .withdraw: ["officer/lead", "officer/coordinator"],
        .reverseDecision: [
            "monitor/lead", "monitor/coordinator", "monitor/unrelated", "admin/lead", "admin/coordinator", "admin/unrelated",
        ],
    ]

    static var permissionCells: [(ProgressAction, Role, AssignmentRelation)] {
        ProgressAction.allCases.flatMap { action in
            Role.allCases.flatMap { role in AssignmentRelation.allCases.map { (action, role, $0) } }
        }
    }

    @Test("permissions: every action × role × relation", arguments: permissionCells)
    func permission(action: ProgressAction, role: Role, relation: AssignmentRelation) {
        let refusal = ProgressRules.permission(action, role: role, relation: relation)
        if Self.allowed[action, default: []].contains("\(role.rawValue)/\(relation.rawValue)") {
            #expect(refusal == nil)
        } else {
            #expect(refusal?.kind == .forbidden)
            #expect(refusal?.message.isEmpty == false)
        }
    }

    /// One state and what the rules must say: nil when allowed, else the kind of refusal.
    struct StateCase: Sendable, CustomTestStringConvertible {
        var action: ProgressAction
        var facts: ProgressFacts
        var expected: ProgressRefusal.Kind?
        var name: String
        var testDescription: String { "\(action.rawValue): \(name)" }
    }

    static let month = Deadline.Kind.month

    static let stateCases: [StateCase] = [
        // A report: a new one, or the agency's draft, is editable; a sent one is read-only.
        StateCase(action: .writeReport, facts: ProgressFacts(deadlineKind: month), expected: nil, name: "new report"),
        StateCase(
            action: .writeReport, facts: ProgressFacts(deadlineKind: month, reportState: .draft), expected: nil, name: "draft"),
        StateCase(
            action: .writeReport, facts: ProgressFacts(deadlineKind: month, reportState: .submitted), expected: .conflict,
            name: "sent"),
        StateCase(
            action: .writeReport, facts: ProgressFacts(deadlineKind: month, reportState: .accepted), expected: .conflict,
            name: "accepted"),
        StateCase(
            action: .writeReport, facts: ProgressFacts(deadlineKind: month, reportState: .returned), expected: .conflict,
            name: "returned (report again instead)"),
        StateCase(
            action: .writeReport, facts: ProgressFacts(deadlineKind: month, accepted: true), expected: .conflict,
            name: "assignment already done"),
        StateCase(
            action: .writeReport, facts: ProgressFacts(deadlineKind: .recurring, accepted: true), expected: nil,
            name: "recurring keeps reporting"),
        StateCase(
            action: .writeReport, facts: ProgressFacts(deadlineKind: month, hasChildren: true), expected: .invalid,
            name: "parent with sub-assignments"),
        StateCase(
            action: .contribute, facts: ProgressFacts(deadlineKind: month, reportState: .submitted), expected: .conflict,
            name: "sent contribution"),
        StateCase(action: .contribute, facts: ProgressFacts(deadlineKind: month), expected: nil, name: "new contribution"),
        // Review: only the latest sent report, once.
        StateCase(
            action: .review, facts: ProgressFacts(deadlineKind: month, reportState: .submitted, reportKind: .report),
            expected: nil, name: "latest sent report"),
        StateCase(
            action: .review,
            facts: ProgressFacts(deadlineKind: month, reportState: .submitted, reportKind: .report, reportIsLatest: false),
            expected: .conflict, name: "superseded report"),
        StateCase(
            action: .review, facts: ProgressFacts(deadlineKind: month, reportState: .draft, reportKind: .report),
            expected: .conflict, name: "draft"),
        StateCase(
            action: .review, facts: ProgressFacts(deadlineKind: month, reportState: .accepted, reportKind: .report),
            expected: .conflict, name: "already accepted"),
        StateCase(
            action: .review, facts: ProgressFacts(deadlineKind: month, reportState: .returned, reportKind: .report),
            expected: .conflict, name: "already returned"),
        StateCase(
            action: .review, facts: ProgressFacts(deadlineKind: month, reportState: .submitted, reportKind: .contribution),
            expected: .invalid, name: "a contribution"),
        StateCase(action: .review, facts: ProgressFacts(deadlineKind: month), expected: .invalid, name: "no report"),
        // Extensions: only a dated, open, leaf assignment, one request at a time.
        StateCase(action: .requestExtension, facts: ProgressFacts(deadlineKind: month), expected: nil, name: "dated"),
        StateCase(action: .requestExtension, facts: ProgressFacts(deadlineKind: .range), expected: nil, name: "range"),
        StateCase(
            action: .requestExtension, facts: ProgressFacts(deadlineKind: .recurring), expected: .invalid, name: "recurring"),
        StateCase(
            action: .requestExtension, facts: ProgressFacts(deadlineKind: .external), expected: .invalid, name: "external"),
        StateCase(action: .requestExtension, facts: ProgressFacts(deadlineKind: .none), expected: .invalid, name: "none"),
        StateCase(
            action: .requestExtension, facts: ProgressFacts(deadlineKind: month, accepted: true), expected: .conflict,
            name: "done"),
        StateCase(
            action: .requestExtension, facts: ProgressFacts(deadlineKind: month, pendingExtension: true), expected: .conflict,
            name: "one pending"),
        StateCase(
            action: .requestExtension, facts: ProgressFacts(deadlineKind: month, hasChildren: true), expected: .invalid,
            name: "parent"),
        StateCase(
            action: .decideExtension, facts: ProgressFacts(deadlineKind: month, extensionState: .pending), expected: nil,
            name: "pending"),
        StateCase(
            action: .decideExtension, facts: ProgressFacts(deadlineKind: month, extensionState: .approved),
            expected: .conflict, name: "approved"),
        StateCase(
            action: .decideExtension, facts: ProgressFacts(deadlineKind: month, extensionState: .refused), expected: .conflict,
            name: "refused"),
        StateCase(action: .decideExtension, facts: ProgressFacts(deadlineKind: month), expected: .invalid, name: "none"),
        // Due dates: only where the decision gave none.
        StateCase(action: .setDue, facts: ProgressFacts(deadlineKind: .external), expected: nil, name: "external"),
        StateCase(action: .setDue, facts: ProgressFacts(deadlineKind: .unknown), expected: nil, name: "unreadable"),
        StateCase(action: .setDue, facts: ProgressFacts(deadlineKind: .none), expected: nil, name: "empty"),
        StateCase(action: .setDue, facts: ProgressFacts(deadlineKind: month), expected: .conflict, name: "dated"),
        StateCase(
            action: .setDue, facts: ProgressFacts(deadlineKind: .external, accepted: true), expected: .conflict, name: "done"),
        // Withdrawal: only a sent report the office has not acted on.
        StateCase(
            action: .withdraw, facts: ProgressFacts(deadlineKind: month, reportState: .submitted), expected: nil, name: "sent"),
        StateCase(
            action: .withdraw, facts: ProgressFacts(deadlineKind: month, reportState: .accepted), expected: .conflict,
            name: "accepted"),
        StateCase(
            action: .withdraw, facts: ProgressFacts(deadlineKind: month, reportState: .returned), expected: .conflict,
            name: "returned"),
        StateCase(
            action: .withdraw, facts: ProgressFacts(deadlineKind: month, reportState: .withdrawn), expected: .conflict,
            name: "withdrawn"),
        StateCase(
            action: .withdraw, facts: ProgressFacts(deadlineKind: month, reportState: .draft), expected: .invalid,
            name: "draft"),
        // Reversal: the standing decision on the latest report, or the latest extension decision.
        StateCase(
            action: .reverseDecision, facts: ProgressFacts(deadlineKind: month, accepted: true, reportState: .accepted),
            expected: nil, name: "acceptance"),
        StateCase(
            action: .reverseDecision, facts: ProgressFacts(deadlineKind: month, reportState: .returned), expected: nil,
            name: "return"),
        StateCase(
            action: .reverseDecision,
            facts: ProgressFacts(deadlineKind: month, reportState: .returned, reportIsLatest: false), expected: .conflict,
            name: "return of an older report"),
        StateCase(
            action: .reverseDecision, facts: ProgressFacts(deadlineKind: month, reportState: .submitted),
            expected: .conflict, name: "undecided report"),
        StateCase(
            action: .reverseDecision, facts: ProgressFacts(deadlineKind: month, extensionState: .approved), expected: nil,
            name: "approval"),
        StateCase(
            action: .reverseDecision, facts: ProgressFacts(deadlineKind: month, extensionState: .pending),
            expected: .conflict, name: "pending request"),
        StateCase(
            action: .reverseDecision,
            facts: ProgressFacts(deadlineKind: month, pendingExtension: true, extensionState: .refused),
            expected: .conflict, name: "another request pending"),
        StateCase(
            action: .reverseDecision,
            facts: ProgressFacts(deadlineKind: month, extensionState: .approved, decisionIsLatest: false),
            expected: .conflict, name: "an older approval"),
        StateCase(action: .reverseDecision, facts: ProgressFacts(deadlineKind: month), expected: .invalid, name: "nothing"),
    ]

    @Test("states: every transition, allowed and refused", arguments: stateCases)
    func state(_ row: StateCase) {
        #expect(ProgressRules.stateRefusal(row.action, facts: row.facts)?.kind == row.expected)
    }

    @Test("a refusal for the role comes before one for the state")
    func roleFirst() {
        let refusal = ProgressRules.refusal(
            .review, role: .officer, relation: .lead,
            facts: ProgressFacts(deadlineKind: .month, reportState: .accepted, reportKind: .report))
        #expect(refusal?.kind == .forbidden)
    }

    @Test("a progress report noted by the office is not a completion; a completion accepted later counts from then")
    func acknowledgeAndLateAcceptance() {
        let deadline = Deadline(parsing: "Tháng 10/2025")
        let history = AssignmentHistory(
            reports: [
                .init(id: 1, submittedOn: LocalDate(iso: "2025-09-10")!, percent: 40, claimsCompletion: false),
                .init(id: 2, submittedOn: LocalDate(iso: "2025-09-28")!, percent: 100, claimsCompletion: true),
            ],
            reviews: [
                .init(reportID: 1, decidedOn: LocalDate(iso: "2025-09-12")!, decision: .acknowledge),
                .init(
                    reportID: 2, decidedOn: LocalDate(iso: "2025-10-10")!,
                    decision: .accept(completedOn: LocalDate(iso: "2025-09-25")!)),
            ])
        func status(_ date: String) -> AssignmentStatus {
            StatusEngine.status(deadline: deadline, history: history, planDate: nil, asOf: LocalDate(iso: date)!)
        }
        #expect(status("2025-09-15").stage == .inProgress)
        #expect(status("2025-09-15").percent == 40)
        #expect(status("2025-09-30").stage == .awaitingReview)
        #expect(status("2025-09-30").timeliness == .openInTime)
        #expect(status("2025-10-10").timeliness == .doneOnTime)
        #expect(status("2025-10-10").completedOn == LocalDate(iso: "2025-09-25"))
    }

    @Test("what changed between two versions of a report, named as the form names it")
    func changes() {
        let before = ReportContent(percent: 40, result: "Bản đầu")
        let after = ReportContent(
            percent: 60, result: "Bản sau",
            evidence: [EvidenceReference(number: "12/QĐ-UBND", date: LocalDate(iso: "2025-10-05"), summary: "Ban hành")])
        #expect(
            after.changes(from: before) == [
                ReportContent.Change(field: "Tỷ lệ hoàn thành", before: "40%", after: "60%"),
                ReportContent.Change(field: "Kết quả đạt được", before: "Bản đầu", after: "Bản sau"),
                ReportContent.Change(field: "Minh chứng", before: "", after: "12/QĐ-UBND ngày 05/10/2025: Ban hành"),
            ])
        #expect(after.changes(from: after).isEmpty)
    }
}
