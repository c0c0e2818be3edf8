/// Something an official does to an assignment's progress.
public enum ProgressAction: String, Sendable, Hashable, CaseIterable {
    /// Write, edit or send a progress report (báo cáo tiến độ).
    case writeReport
    /// Write, edit or send a coordinating agency's contribution (ý kiến phối hợp).
    case contribute
    /// Accept or return a sent report.
    case review
    /// Ask for a later due date.
    case requestExtension
    /// Approve or refuse an extension request.
    case decideExtension
    /// Set the due date of an external deadline once it is known.
    case setDue
    /// Rút lại a sent report or contribution before the office acts on it (its own agency).
    case withdraw
    /// Hủy a decision (an acceptance, a return, an extension decision) with a reason: a new dated event.
    case reverseDecision
}

/// How the acting official's agency stands to an assignment.
public enum AssignmentRelation: String, Sendable, Hashable, CaseIterable {
    /// Đơn vị chủ trì.
    case lead
    /// Đơn vị phối hợp.
    case coordinator
    /// Neither (or no agency at all).
    case unrelated
}

/// Why an action is refused: who may not, or what the state does not allow, in Vietnamese and for the API.
public struct ProgressRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The role or agency may not do this at all (403).
        case forbidden
        /// The state does not allow it now (409).
        case conflict
        /// The request itself is wrong (422).
        case invalid
    }

    public var kind: Kind
    public var message: String
    public var apiMessage: String
    /// Each problem with the field it concerns, so a page can show it beside that field.
    public var problems: [FieldProblem]

    public init(_ kind: Kind, _ message: String, api apiMessage: String, field: String = "") {
        self.kind = kind
        self.message = message
        self.apiMessage = apiMessage
        problems = [FieldProblem(field: field, message: message, api: apiMessage)]
    }

    /// A form refused (422) for every problem listed; the messages are joined for the API and logs.
    public init(invalid problems: [FieldProblem]) {
        kind = .invalid
        message = problems.map(\.message).joined(separator: " ")
        apiMessage = problems.map(\.api).joined(separator: "; ")
        self.problems = problems
    }

    public var description: String { message }
}

/// One problem with a form: the field it concerns (the input's name, "" for the form as a whole), what
/// to tell a person (Vietnamese) and what to tell an API client.
public struct FieldProblem: Sendable, Hashable {
    public var field: String
    public var message: String
    public var api: String

    public init(field: String, message: String, api: String? = nil) {
        self.field = field
        self.message = message
        self.api = api ?? message
    }
}

/// What the rules need to know about the assignment and the report or request acted on.
public struct ProgressFacts: Sendable, Hashable {
    public var deadlineKind: Deadline.Kind
    /// The assignment has sub-assignments (they are reported instead).
    public var hasChildren: Bool
    /// The office has accepted the assignment as done.
    public var accepted: Bool
    /// The report acted on (edit, send, review), if any.
    public var reportState: ReportState?
    public var reportKind: ReportKind?
    /// The report is the latest one the lead agency sent.
    public var reportIsLatest: Bool
    /// The assignment has an extension request waiting for a decision.
    public var pendingExtension: Bool
    /// The extension request acted on (decide), if any.
    public var extensionState: ExtensionState?
    /// The extension decision acted on (reverse) is the assignment's latest.
    public var decisionIsLatest: Bool
    /// The plan's stage: only an active plan takes reports, reviews and decisions.
    public var planStage: PlanStage
    /// An amendment ended the task (bãi bỏ): the amending decision's number, and the day it took effect.
    public var endedBy: String?
    public var endedOn: LocalDate?

    public init(
        deadlineKind: Deadline.Kind, hasChildren: Bool = false, accepted: Bool = false, reportState: ReportState? = nil,
        reportKind: ReportKind? = nil, reportIsLatest: Bool = true, pendingExtension: Bool = false,
        extensionState: ExtensionState? = nil, decisionIsLatest: Bool = true, planStage: PlanStage = .active,
        endedBy: String? = nil, endedOn: LocalDate? = nil
    ) {
        self.endedBy = endedBy
        self.endedOn = endedOn
        self.planStage = planStage
        self.decisionIsLatest = decisionIsLatest
        self.deadlineKind = deadlineKind
        self.hasChildren = hasChildren
        self.accepted = accepted
        self.reportState = reportState
        self.reportKind = reportKind
        self.reportIsLatest = reportIsLatest
        self.pendingExtension = pendingExtension
        self.extensionState = extensionState
    }
}

/// Who may do what to an assignment's progress, in which state (DESIGN §2, §3, §5): one table,
/// used by the pages, the API and the tests alike.
public enum ProgressRules {
    /// Nil when `role` (of an agency standing in `relation` to the assignment) may do `action` given
    /// `facts`; otherwise why not.
    public static func refusal(
        _ action: ProgressAction, role: Role, relation: AssignmentRelation, facts: ProgressFacts
    ) -> ProgressRefusal? {
        if let refusal = permission(action, role: role, relation: relation) { return refusal }
        return stateRefusal(action, facts: facts)
    }

    /// Whether the role and agency may do the action at all, whatever the state.
    public static func permission(_ action: ProgressAction, role: Role, relation: AssignmentRelation) -> ProgressRefusal? {
        switch action {
        case .writeReport, .requestExtension:
            guard role == .officer else {
                return ProgressRefusal(
                    .forbidden,
                    "Báo cáo tiến độ và đề nghị gia hạn do cán bộ của đơn vị chủ trì gửi; vai trò “\(role.vietnamese)” không gửi được.",
                    api: "only officers of the lead agency may \(action.rawValue); role is \(role.rawValue)")
            }
            guard relation == .lead else {
                return ProgressRefusal(
                    .forbidden,
                    "Chỉ cán bộ của đơn vị chủ trì nhiệm vụ này mới được "
                        + (action == .writeReport ? "gửi báo cáo tiến độ." : "đề nghị gia hạn.")
                        + (relation == .coordinator ? " Đơn vị của anh/chị là đơn vị phối hợp: hãy gửi ý kiến phối hợp." : ""),
                    api: "only officers of the lead agency may \(action.rawValue)")
            }
        case .contribute:
            guard role == .officer else {
                return ProgressRefusal(
                    .forbidden,
                    "Ý kiến phối hợp do cán bộ của đơn vị phối hợp gửi; vai trò “\(role.vietnamese)” không gửi được.",
                    api: "only officers of a coordinating agency may contribute; role is \(role.rawValue)")
            }
            guard relation == .coordinator else {
                return ProgressRefusal(
                    .forbidden,
                    relation == .lead
                        ? "Đơn vị của anh/chị chủ trì nhiệm vụ này: hãy gửi báo cáo tiến độ thay vì ý kiến phối hợp."
                        : "Chỉ cán bộ của đơn vị phối hợp nhiệm vụ này mới được gửi ý kiến phối hợp.",
                    api: "only officers of a coordinating agency may contribute")
            }
        case .withdraw:
            guard role == .officer, relation != .unrelated else {
                return ProgressRefusal(
                    .forbidden, "Chỉ cán bộ của đơn vị đã gửi mới rút lại được báo cáo, ý kiến của đơn vị mình.",
                    api: "only officers of the agency that sent it may withdraw a report")
            }
        case .review, .decideExtension, .setDue, .reverseDecision:
            guard role == .monitor || role == .admin else {
                let what =
                    switch action {
                    case .review: "xem xét báo cáo"
                    case .decideExtension: "quyết định gia hạn"
                    case .reverseDecision: "hủy quyết định"
                    default: "xác định thời hạn"
                    }
                return ProgressRefusal(
                    .forbidden, "Chỉ cơ quan theo dõi mới được \(what); vai trò “\(role.vietnamese)” không làm được việc này.",
                    api: "only monitors may \(action.rawValue); role is \(role.rawValue)")
            }
        }
        return nil
    }

    /// Why a report in `state` (not sent-and-undecided) cannot be withdrawn; the store says the same
    /// when two people act at once.
    public static func notWithdrawable(_ state: ReportState) -> ProgressRefusal {
        ProgressRefusal(
            .conflict,
            state == .withdrawn
                ? "Báo cáo này đã được rút lại."
                : "Cơ quan theo dõi đã xem xét báo cáo này (\(state.vietnamese.lowercased())); không rút lại được nữa.",
            api: "only a report the office has not acted on can be withdrawn (it is \(state.rawValue))")
    }

    /// Why nothing can be reported or decided in a plan at `stage`; nil when it is active.
    public static func stageRefusal(_ stage: PlanStage) -> ProgressRefusal? {
        switch stage {
        case .active:
            nil
        case .draft:
            ProgressRefusal(
                .conflict,
                "Kế hoạch còn là dự thảo, chưa ban hành: chưa nhận báo cáo, đề nghị gia hạn hay quyết định nào.",
                api: "the plan is a draft (not yet announced); it takes no reports or decisions")
        case .closed:
            ProgressRefusal(
                .conflict, "Kế hoạch đã kết thúc: chỉ xem, không báo cáo, xem xét hay gia hạn được nữa.",
                api: "the plan is closed; it is read-only")
        }
    }

    /// Whether the state allows the action, whoever asks.
    public static func stateRefusal(_ action: ProgressAction, facts: ProgressFacts) -> ProgressRefusal? {
        if let refusal = stageRefusal(facts.planStage) { return refusal }
        // An ended task keeps its reports and their reviews; it takes nothing new.
        if let number = facts.endedBy, let on = facts.endedOn,
            [.writeReport, .contribute, .requestExtension, .decideExtension, .setDue].contains(action)
        {
            return ProgressRefusal(
                .conflict,
                "Nhiệm vụ đã bãi bỏ từ ngày \(on.vietnameseShort) theo Quyết định số \(number): "
                    + "không nhận báo cáo, ý kiến hay đề nghị gia hạn mới; các báo cáo đã có vẫn được giữ.",
                api: "the assignment was ended on \(on.iso) by \(number); it takes nothing new")
        }
        switch action {
        case .writeReport, .contribute:
            if facts.hasChildren {
                return ProgressRefusal(
                    .invalid, "Nhiệm vụ này có nhiệm vụ con: hãy báo cáo từng nhiệm vụ con.",
                    api: "the assignment has sub-assignments; report on those")
            }
            if facts.accepted, facts.deadlineKind != .recurring {
                return ProgressRefusal(
                    .conflict, "Nhiệm vụ đã được xác nhận hoàn thành; không nhận thêm báo cáo.",
                    api: "the assignment is already accepted as done")
            }
            if let state = facts.reportState, state != .draft {
                return ProgressRefusal(
                    .conflict, "Báo cáo đã gửi thì không sửa được nữa (\(state.vietnamese.lowercased())); hãy lập báo cáo mới.",
                    api: "the report was already submitted (\(state.rawValue)); it is read-only")
            }
        case .review:
            guard let state = facts.reportState else {
                return ProgressRefusal(.invalid, "Không có báo cáo để xem xét.", api: "no report to review")
            }
            if facts.reportKind == .contribution {
                return ProgressRefusal(
                    .invalid, "Ý kiến phối hợp không cần xác nhận; chỉ báo cáo của đơn vị chủ trì được xem xét.",
                    api: "contributions are not reviewed")
            }
            switch state {
            case .draft:
                return ProgressRefusal(
                    .conflict, "Báo cáo còn là bản nháp, đơn vị chưa gửi.", api: "the report is a draft, not submitted")
            case .accepted, .returned:
                return ProgressRefusal(
                    .conflict, "Báo cáo này đã được xem xét (\(state.vietnamese.lowercased())).",
                    api: "the report was already reviewed (\(state.rawValue))")
            case .withdrawn:
                return ProgressRefusal(
                    .conflict, "Đơn vị đã rút lại báo cáo này; chờ đơn vị gửi lại.", api: "the report was withdrawn")
            case .submitted:
                if !facts.reportIsLatest {
                    return ProgressRefusal(
                        .conflict, "Đơn vị đã gửi báo cáo mới hơn; hãy xem xét báo cáo mới nhất.",
                        api: "a newer report was submitted; review that one")
                }
            }
        case .requestExtension:
            if facts.hasChildren {
                return ProgressRefusal(
                    .invalid, "Nhiệm vụ này có nhiệm vụ con: hãy đề nghị gia hạn từng nhiệm vụ con.",
                    api: "the assignment has sub-assignments; ask for their extensions")
            }
            switch facts.deadlineKind {
            case .recurring:
                return ProgressRefusal(
                    .invalid, "Nhiệm vụ thường xuyên không có hạn cuối để gia hạn.", api: "recurring assignments have no deadline"
                )
            case .external, .none, .unknown:
                return ProgressRefusal(
                    .invalid, "Nhiệm vụ chưa có thời hạn xác định; cơ quan theo dõi sẽ xác định thời hạn.",
                    api: "the assignment has no due date to extend")
            default: break
            }
            if facts.accepted {
                return ProgressRefusal(
                    .conflict, "Nhiệm vụ đã được xác nhận hoàn thành; không cần gia hạn.",
                    api: "the assignment is already accepted as done")
            }
            if facts.pendingExtension {
                return ProgressRefusal(
                    .conflict, "Đã có một đề nghị gia hạn đang chờ quyết định; chờ quyết định trước khi đề nghị lại.",
                    api: "an extension request is already pending")
            }
        case .decideExtension:
            guard let state = facts.extensionState else {
                return ProgressRefusal(.invalid, "Không có đề nghị gia hạn để quyết định.", api: "no extension request")
            }
            if state != .pending {
                return ProgressRefusal(
                    .conflict, "Đề nghị gia hạn này đã được quyết định (\(state.vietnamese.lowercased())).",
                    api: "the extension request was already decided (\(state.rawValue))")
            }
        case .withdraw:
            guard let state = facts.reportState, state != .draft else {
                return ProgressRefusal(.invalid, "Không có báo cáo đã gửi để rút lại.", api: "no submitted report to withdraw")
            }
            if state != .submitted { return notWithdrawable(state) }
        case .reverseDecision:
            if let state = facts.reportState {
                guard state == .accepted || state == .returned else {
                    return ProgressRefusal(
                        .conflict, "Báo cáo này chưa có quyết định nào để hủy (\(state.vietnamese.lowercased())).",
                        api: "the report has no standing decision (\(state.rawValue))")
                }
                if !facts.reportIsLatest {
                    return ProgressRefusal(
                        .conflict,
                        "Đơn vị đã gửi báo cáo mới hơn sau quyết định này; chỉ hủy được quyết định về báo cáo mới nhất.",
                        api: "a newer report was submitted; only the decision on the latest report can be reversed")
                }
            } else if let state = facts.extensionState {
                guard state != .pending else {
                    return ProgressRefusal(
                        .conflict, "Đề nghị gia hạn này chưa được quyết định.", api: "the extension request is not decided")
                }
                if facts.pendingExtension {
                    return ProgressRefusal(
                        .conflict, "Đang có một đề nghị gia hạn chờ quyết định; hãy quyết định đề nghị đó trước.",
                        api: "another extension request is pending")
                }
                if !facts.decisionIsLatest {
                    return ProgressRefusal(
                        .conflict, "Sau quyết định này đã có quyết định gia hạn khác; chỉ hủy được quyết định gần nhất.",
                        api: "a later extension decision exists; only the latest can be reversed")
                }
            } else {
                return ProgressRefusal(.invalid, "Không có quyết định để hủy.", api: "no decision to reverse")
            }
        case .setDue:
            if facts.hasChildren {
                return ProgressRefusal(
                    .conflict, "Nhiệm vụ này có nhiệm vụ con: hãy xác định thời hạn của từng nhiệm vụ con.",
                    api: "the assignment has sub-assignments")
            }
            switch facts.deadlineKind {
            case .external, .none, .unknown: break
            default:
                return ProgressRefusal(
                    .conflict,
                    "Chỉ xác định thời hạn cho nhiệm vụ chưa có hạn (theo kế hoạch của cơ quan khác); hạn đã có thì dùng gia hạn.",
                    api: "only assignments without a due date (external, none, unknown) take a set due date")
            }
            if facts.accepted {
                return ProgressRefusal(
                    .conflict, "Nhiệm vụ đã được xác nhận hoàn thành.", api: "the assignment is already accepted as done")
            }
        }
        return nil
    }
}
