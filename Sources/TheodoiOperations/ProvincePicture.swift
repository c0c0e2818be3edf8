import Foundation
import TheodoiCore
import TheodoiStore

/// The province's picture (issue 19): every plan (demo plans aside) as of a date — its sentence,
/// its counts by timeliness, what is overdue and what waits for the office — and the agencies
/// behind across all of them (an agency's overdue tasks counted once per plan, as each plan's
/// scorecard counts them).
public struct ProvincePicture: Sendable {
    public struct Plan: Sendable {
        public var plan: PlanRecord
        public var summary: StatusSummary
        /// Rows whose sent completion waits for the office (the plan's "Chờ xác nhận" list).
        public var awaitingReview: Int
    }

    /// One agency behind: its overdue tasks per plan (only plans where it has some).
    public struct Agency: Sendable {
        public var id: AgencyRecord.ID?
        public var name: String
        public var overdue: Int
        public var plans: [(plan: PlanRecord, overdue: Int)]
    }

    /// One plan as of the date.
    public struct Input: Sendable {
        public var dashboard: Dashboard
        public var monitoring: Monitoring

        public init(dashboard: Dashboard, monitoring: Monitoring) {
            self.dashboard = dashboard
            self.monitoring = monitoring
        }
    }

    public var asOf: LocalDate
    public var plans: [Plan]
    /// Agencies with overdue tasks, most first.
    public var behind: [Agency]
    /// The decision years the plans carry, newest first (for the year filter).
    public var years: [Int]

    /// `year`: only plans decided that year; `issuer` orders plans by issuing body, then number.
    public static func make(_ inputs: [Input], asOf: LocalDate, year: Int? = nil) -> ProvincePicture {
        let real = inputs.filter { !$0.dashboard.plan.isDemo && $0.dashboard.plan.stage == .active }
        let years = Array(Set(real.compactMap { $0.dashboard.plan.date?.year })).sorted(by: >)
        let chosen = real.filter { year == nil || $0.dashboard.plan.date?.year == year }
        var plans: [Plan] = []
        var behind: [String: Agency] = [:]
        for input in chosen {
            let plan = input.dashboard.plan
            plans.append(
                Plan(plan: plan, summary: input.dashboard.summary, awaitingReview: input.monitoring.awaitingReview.count))
            for score in input.monitoring.scorecard where score.overdue > 0 {
                let key = score.agencyID.map { "id:\($0.rawValue)" } ?? "name:\(score.name)"
                var agency = behind[key] ?? Agency(id: score.agencyID, name: score.name, overdue: 0, plans: [])
                agency.overdue += score.overdue
                agency.plans.append((plan, score.overdue))
                behind[key] = agency
            }
        }
        plans.sort { a, b in
            // Plans whose issuer is not known come last.
            let left = (
                (a.plan.issuer ?? "").isEmpty ? 1 : 0, a.plan.issuer ?? "", a.plan.date?.daysSinceEpoch ?? 0, a.plan.number
            )
            let right = (
                (b.plan.issuer ?? "").isEmpty ? 1 : 0, b.plan.issuer ?? "", b.plan.date?.daysSinceEpoch ?? 0, b.plan.number
            )
            return left < right
        }
        return ProvincePicture(
            asOf: asOf, plans: plans,
            behind: behind.values.sorted { ($0.overdue, $1.name) > ($1.overdue, $0.name) }, years: years)
    }
}
