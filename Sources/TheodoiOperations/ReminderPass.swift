import Foundation
import TheodoiCore
import TheodoiStore

/// Đôn đốc: one idempotent pass over every real plan. It works out which reminders today owes
/// (`ReminderPlanner`), claims each by its unique key, and writes the notifications of the claim in
/// the same transaction. Run it as often as you like, from cron, `serve` and several instances at
/// once: a reminder goes out once (STYLE rule 5).
public struct ReminderPass: Sendable {
    public var store: StoreClient
    public var users: @Sendable () async throws -> [UserRecord]
    public var reminders: ReminderStore
    public var snapshots: PlanSnapshots

    public init(
        store: StoreClient, users: @escaping @Sendable () async throws -> [UserRecord], reminders: ReminderStore,
        snapshots: PlanSnapshots
    ) {
        self.store = store
        self.users = users
        self.reminders = reminders
        self.snapshots = snapshots
    }

    /// What one pass did.
    public struct Outcome: Sendable, Hashable {
        public var plans = 0
        /// Reminders due today (claimed now, or earlier by another pass or day).
        public var due = 0
        /// Reminders this pass claimed and wrote.
        public var claimed = 0
        /// Notifications written.
        public var notifications = 0
        /// Reminders due with nobody to tell (no active account in the agency or role); tried again next pass.
        public var unaddressed = 0
        public var byKind: [ReminderKind: Int] = [:]

        public init() {}

        /// "Đã gửi 12 nhắc việc (34 thông báo) …", for the command line and the log.
        public var summary: String {
            let kinds = ReminderKind.allCases.compactMap { kind in byKind[kind].map { "\(kind.vietnamese.lowercased()) \($0)" } }
            return
                "Đã gửi \(claimed) nhắc việc (\(notifications) thông báo) trên \(plans) kế hoạch; \(due) nhắc việc đến lượt hôm nay"
                + (kinds.isEmpty ? "" : " (mới gửi: \(kinds.joined(separator: ", ")))")
                + (unaddressed > 0 ? "; \(unaddressed) chưa có người nhận (đơn vị chưa có tài khoản)" : "") + "."
        }
    }

    /// Runs the pass for `today` (Vietnam), stamping notifications with `at` (ISO 8601).
    public func run(today: LocalDate, at: String) async throws -> Outcome {
        var outcome = Outcome()
        let calendar = WorkingCalendar(holidays: Set(try await reminders.holidays().map(\.day)))
        let active = try await users().filter { !$0.disabled }
        var officers: [AgencyRecord.ID: [UserRecord.ID]] = [:]
        for user in active where user.role == .officer {
            if let agency = user.agencyID { officers[agency, default: []].append(user.id) }
        }
        let monitors = active.filter { $0.role == .monitor }.map(\.id)
        let leaders = active.filter { $0.role == .leader }.map(\.id)
        for plan in try await store.plans() where !plan.isDemo {
            guard let snapshot = try await snapshots.snapshot(slug: plan.slug) else { continue }
            outcome.plans += 1
            let settings = try await reminders.settings(plan.id) ?? ReminderSettings()
            let statuses = await snapshots.statuses(of: snapshot, asOf: today)
            var claimed = try await reminders.claimedKeys(plan.id)
            for (position, assignment) in snapshot.assignments.enumerated() {
                let occasions = ReminderPlanner.occasions(
                    code: assignment.code, deadline: assignment.deadline, status: statuses[position],
                    history: snapshot.histories[position], hasChildren: snapshot.children[assignment.code] != nil,
                    planDate: plan.date, settings: settings, calendar: calendar, today: today)
                for occasion in occasions {
                    outcome.due += 1
                    guard !claimed.contains(occasion.key) else { continue }
                    let recipients: [UserRecord.ID]
                    switch occasion.kind.audience {
                    case .monitor: recipients = monitors
                    case .leader: recipients = leaders
                    default: recipients = assignment.lead.compactMap(\.agencyID).flatMap { officers[$0] ?? [] }
                    }
                    guard !recipients.isEmpty else {
                        outcome.unaddressed += 1
                        continue
                    }
                    let message = ReminderMessage(occasion: occasion, assignment: assignment, plan: plan)
                    let won = try await reminders.claim(
                        ReminderClaim(
                            key: occasion.key, planID: plan.id, assignmentID: assignment.id, kind: occasion.kind,
                            sendOn: occasion.sendOn, recipients: recipients, title: message.title, body: message.body,
                            link: message.link), at)
                    claimed.insert(occasion.key)
                    guard won else { continue }
                    outcome.claimed += 1
                    outcome.notifications += recipients.count
                    outcome.byKind[occasion.kind, default: 0] += 1
                }
            }
        }
        return outcome
    }
}

/// The Vietnamese text of a reminder: what is due, by when, and where to act.
public struct ReminderMessage: Sendable, Hashable {
    public var title: String
    public var body: String
    /// The page to open: the assignment, or the report waiting for review.
    public var link: String

    public init(occasion: ReminderOccasion, assignment: AssignmentRecord, plan: PlanRecord) {
        let code = assignment.code
        let name = "“\(assignment.title)”"
        let lead = assignment.lead.map(\.name).joined(separator: ", ")
        let due = occasion.dueOn?.vietnameseShort ?? ""
        let days = occasion.days ?? 0
        // Paths of the web pages (TheodoiWeb's SiteRoute builds the same).
        link = "/plans/\(plan.slug)/assignments/\(code)"
        switch occasion.kind {
        case .dueSoon:
            title = "Nhiệm vụ \(code) còn \(days) ngày đến hạn (\(due))"
            body =
                "\(name), đơn vị chủ trì: \(lead). Hạn hoàn thành: \(due). Đề nghị cập nhật tiến độ và gửi báo cáo kết quả trước hạn."
        case .dueToday:
            title = "Nhiệm vụ \(code) đến hạn hôm nay (\(due))"
            body =
                "\(name), đơn vị chủ trì: \(lead). Đề nghị gửi báo cáo kết quả trong ngày, hoặc đề nghị gia hạn nếu chưa thể hoàn thành."
        case .overdue:
            title = "Nhiệm vụ \(code) đã quá hạn \(days) ngày (hạn \(due))"
            body =
                "\(name), đơn vị chủ trì: \(lead). Nhiệm vụ chưa được xác nhận hoàn thành. Đề nghị báo cáo kết quả, nêu khó khăn, vướng mắc hoặc đề nghị gia hạn."
        case .quiet:
            title = "Nhiệm vụ \(code): \(days) ngày chưa có báo cáo tiến độ"
            body =
                "\(name), đơn vị chủ trì: \(lead)." + (due.isEmpty ? "" : " Hạn hoàn thành: \(due).")
                + " Đề nghị cập nhật tiến độ thực hiện."
        case .recurring:
            let period = occasion.period?.vietnameseName ?? "kỳ này"
            title = "Nhiệm vụ \(code): chưa báo cáo \(period) (kỳ kết thúc \(due))"
            body =
                "\(name) là nhiệm vụ thường xuyên, đơn vị chủ trì: \(lead). Đề nghị gửi báo cáo kết quả \(period) trước ngày \(due)."
        case .returned:
            title = "Báo cáo nhiệm vụ \(code) bị trả lại"
            body =
                "Cơ quan theo dõi đã trả lại báo cáo về \(name) ngày \(occasion.sendOn.vietnameseShort). Xem lý do và gửi lại báo cáo."
        case .awaitingReview:
            title = "Báo cáo hoàn thành nhiệm vụ \(code) chờ xác nhận đã \(days) ngày"
            body = "\(lead) báo cáo đã hoàn thành \(name). Đề nghị xem xét: xác nhận hoàn thành hoặc trả lại kèm lý do."
            if let report = occasion.reportID { link = "/reports/\(report)" }
        case .escalation:
            title = "Nhiệm vụ \(code) quá hạn \(days) ngày (hạn \(due))"
            body =
                "\(name), đơn vị chủ trì: \(lead), đã quá hạn \(days) ngày mà chưa hoàn thành. Đề nghị chỉ đạo đơn vị khẩn trương thực hiện."
        }
    }
}
