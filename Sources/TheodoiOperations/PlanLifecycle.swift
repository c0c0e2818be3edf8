import TheodoiCore
import TheodoiStore

/// A plan's life (issue 19): dự thảo (imported, not announced), đang theo dõi, đã kết thúc (its
/// final report issued; read-only, kept). Who may move it, from where to where, and with what.
public struct PlanLifecycle: Sendable {
    public var store: StoreClient
    public var reports: ReportStore
    public var today: @Sendable () -> LocalDate

    public init(store: StoreClient, reports: ReportStore, today: @escaping @Sendable () -> LocalDate) {
        self.store = store
        self.reports = reports
        self.today = today
    }

    /// The issued reports that may close `plan`: those not replaced by a later one, newest first.
    public func finalReportChoices(_ plan: PlanRecord) async throws -> [IssuedReportRecord] {
        try await reports.issuedReports(plan.id).filter { $0.supersededBy == nil }
    }

    /// Nil when `role` may move a plan from `from` to `to`; otherwise why not.
    public static func refusal(from: PlanStage, to: PlanStage, role: Role) -> ProgressRefusal? {
        guard role == .admin || role == .monitor else {
            return ProgressRefusal(
                .forbidden, "Chỉ cơ quan theo dõi hoặc quản trị hệ thống ban hành, kết thúc hay mở lại kế hoạch.",
                api: "only a monitor or an admin changes a plan's stage")
        }
        switch (from, to) {
        case (.draft, .active), (.active, .closed):
            return nil
        case (.closed, .active):
            return role == .admin
                ? nil
                : ProgressRefusal(
                    .forbidden, "Chỉ quản trị hệ thống mở lại được một kế hoạch đã kết thúc.",
                    api: "only an admin reopens a closed plan")
        case (let from, let to) where from == to:
            return ProgressRefusal(
                .conflict, "Kế hoạch đã ở trạng thái “\(to.vietnamese.lowercased())”.", api: "the plan is already \(to.rawValue)")
        case (_, .draft):
            return ProgressRefusal(
                .conflict, "Kế hoạch đã ban hành thì không trở lại dự thảo được.",
                api: "an announced plan cannot go back to draft")
        default:
            return ProgressRefusal(
                .conflict, "Kế hoạch còn là dự thảo: hãy ban hành trước khi kết thúc.",
                api: "a draft plan must be announced before it is closed")
        }
    }

    /// Moves the plan `slug` (as the asker saw it at `from`) to `to`. Closing needs `finalReport`
    /// (an issued, not replaced report of the plan; nil: the newest such); reopening needs a reason.
    @discardableResult
    public func change(
        slug: String, from: PlanStage?, to: PlanStage, finalReport: IssuedReportRecord.ID? = nil, reason: String = "",
        identity: Identity, actor: AuditActor
    ) async throws -> PlanRecord {
        guard let plan = try await store.plan(slug) else {
            throw NotFound(message: "Không có kế hoạch “\(slug)”.", apiMessage: "no plan \(slug)")
        }
        let from = from ?? plan.stage
        if from != plan.stage { throw PlanLifecycle.stale(plan.stage) }
        if let refusal = PlanLifecycle.refusal(from: from, to: to, role: identity.user.role) { throw refusal }
        let reason = VietnameseText.collapsingWhitespace(VietnameseText.nfc(reason))
        var final: IssuedReportRecord.ID?
        if to == .closed {
            let choices = try await finalReportChoices(plan)
            guard !choices.isEmpty else {
                throw ProgressRefusal(
                    .conflict,
                    "Kế hoạch chưa có báo cáo nào được ban hành: hãy ban hành báo cáo tổng kết trước, rồi kết thúc kế hoạch với báo cáo đó.",
                    api: "the plan has no issued report; issue its final report first")
            }
            if let finalReport {
                guard choices.contains(where: { $0.id == finalReport }) else {
                    throw ProgressRefusal(
                        .invalid, "Báo cáo được chọn không phải báo cáo đã ban hành (còn hiệu lực) của kế hoạch này.",
                        api: "finalReport is not a standing issued report of this plan")
                }
                final = finalReport
            } else {
                final = choices.first?.id
            }
        }
        if from == .closed {
            guard !reason.isEmpty else {
                throw ProgressRefusal(
                    .invalid, "Hãy ghi lý do mở lại kế hoạch.", api: "reason is required to reopen a closed plan")
            }
            guard reason.count <= Reporting.maximumTextLength else {
                throw ProgressRefusal(
                    .invalid, "Lý do quá dài: tối đa \(Reporting.maximumTextLength) ký tự.", api: "reason is too long")
            }
        }
        do {
            guard
                let changed = try await store.setPlanStage(
                    PlanStageChange(
                        slug: slug, from: from, to: to, on: today(), finalReport: final?.rawValue,
                        reason: from == .closed ? reason : ""), actor)
            else { throw NotFound(message: "Không có kế hoạch “\(slug)”.", apiMessage: "no plan \(slug)") }
            return changed
        } catch PlanStageError.stale(let current) {
            throw PlanLifecycle.stale(current)
        } catch PlanStageError.noSuchFinalReport {
            throw ProgressRefusal(
                .conflict, "Báo cáo được chọn vừa được thay thế hoặc không còn; hãy chọn lại.",
                api: "finalReport was superseded meanwhile")
        }
    }

    static func stale(_ current: PlanStage) -> ProgressRefusal {
        ProgressRefusal(
            .conflict, "Trạng thái của kế hoạch vừa được người khác đổi thành “\(current.vietnamese.lowercased())”; hãy xem lại.",
            api: "the plan's stage changed meanwhile; it is now \(current.rawValue)")
    }
}
