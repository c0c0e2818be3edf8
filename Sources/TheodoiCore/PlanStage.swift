/// Where a plan is in its life (issue 19): imported but not announced, followed, or finished.
public enum PlanStage: String, Sendable, Hashable, CaseIterable {
    /// Dự thảo: imported, not yet announced — no reports, no reminders, not in anyone's work.
    case draft
    /// Đang theo dõi: announced; agencies report, the office reviews, reminders go out.
    case active
    /// Đã kết thúc: its final report issued; read-only, kept.
    case closed

    public var vietnamese: String {
        switch self {
        case .draft: "Dự thảo"
        case .active: "Đang theo dõi"
        case .closed: "Đã kết thúc"
        }
    }
}
