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
    /// E-mail and webhooks: the outbox, how mail is written, what delivers it; nil tells people in the app only.
    public var outbound: Outbound?

    /// The outbound channels of a pass: e-mail and the plans' webhooks, through the outbox.
    public struct Outbound: Sendable {
        public var outbox: OutboxStore
        public var settings: MailSettings
        /// Delivers the outbox's e-mail; nil only queues (another instance or a later pass delivers).
        public var mailer: Mailer?
        /// Queue e-mails at all (false when no sendmail is configured: webhooks and in-app only).
        public var sendsEmail: Bool
        /// Delivers the plans' webhooks.
        public var webhook: WebhookPoster?

        public init(
            outbox: OutboxStore, settings: MailSettings, mailer: Mailer?, sendsEmail: Bool = true, webhook: WebhookPoster? = nil
        ) {
            self.outbox = outbox
            self.settings = settings
            self.mailer = mailer
            self.sendsEmail = sendsEmail
            self.webhook = webhook
        }
    }

    public init(
        store: StoreClient, users: @escaping @Sendable () async throws -> [UserRecord], reminders: ReminderStore,
        snapshots: PlanSnapshots, outbound: Outbound? = nil
    ) {
        self.store = store
        self.users = users
        self.reminders = reminders
        self.snapshots = snapshots
        self.outbound = outbound
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
        /// E-mails queued (one per reminder and recipient who wants them at once) and digests queued.
        public var emailsQueued = 0
        public var digestsQueued = 0
        /// What the outbox delivery did.
        public var delivery = OutboxDelivery.Outcome()
        public var byKind: [ReminderKind: Int] = [:]

        public init() {}

        /// "Đã gửi 12 nhắc việc (34 thông báo) …", for the command line and the log.
        public var summary: String {
            let kinds = ReminderKind.allCases.compactMap { kind in byKind[kind].map { "\(kind.vietnamese.lowercased()) \($0)" } }
            return
                "Đã gửi \(claimed) nhắc việc (\(notifications) thông báo) trên \(plans) kế hoạch; \(due) nhắc việc đến lượt hôm nay"
                + (kinds.isEmpty ? "" : " (mới gửi: \(kinds.joined(separator: ", ")))")
                + (unaddressed > 0 ? "; \(unaddressed) chưa có người nhận (đơn vị chưa có tài khoản)" : "")
                + "; thư: xếp hàng \(emailsQueued) thư và \(digestsQueued) thư tổng hợp, đã gửi \(delivery.sent)"
                + (delivery.retrying > 0 ? ", \(delivery.retrying) sẽ gửi lại" : "")
                + (delivery.failed > 0 ? ", \(delivery.failed) gửi không được" : "") + "."
        }
    }

    /// Runs the pass for `today` (Vietnam), stamping notifications with `at` (ISO 8601).
    ///
    /// `only` limits it to some plans (by slug): right after an event (a report sent, returned, an
    /// extension decided) the plan's pass runs at once, so the people concerned hear of it then, not
    /// at the next timed pass. `deliver` false leaves e-mail in the outbox for the timed pass.
    public func run(today: LocalDate, at: String, only: Set<String>? = nil, deliver: Bool = true) async throws -> Outcome {
        var outcome = Outcome()
        let calendar = WorkingCalendar(holidays: Set(try await reminders.holidays().map(\.day)))
        let active = try await users().filter { !$0.disabled }
        var officers: [AgencyRecord.ID: [UserRecord.ID]] = [:]
        for user in active where user.role == .officer {
            if let agency = user.agencyID { officers[agency, default: []].append(user.id) }
        }
        let byID = Dictionary(active.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let modes = try await outbound?.outbox.emailModes() ?? [:]
        let monitors = active.filter { $0.role == .monitor }.map(\.id)
        let leaders = active.filter { $0.role == .leader }.map(\.id)
        /// E-mails (for those who want them at once) and the plan's webhook for one message.
        func messages(
            _ message: ReminderMessage, occasion: ReminderOccasion, recipients: [UserRecord.ID], plan: PlanRecord,
            settings: ReminderSettings
        ) -> (all: [OutboxMessage], emails: Int) {
            var emails: [OutboxMessage] = []
            if let outbound, outbound.sendsEmail {
                for recipient in recipients where (modes[recipient] ?? .immediate) == .immediate {
                    guard let user = byID[recipient], user.email.contains("@") else { continue }
                    emails.append(
                        OutboxMessage(
                            userID: user.id, to: user.email, subject: message.title,
                            body: message.emailBody(settings: outbound.settings, plan: plan)))
                }
            }
            var all = emails
            if let outbound, !settings.webhookURL.isEmpty {
                all.append(
                    message.webhook(
                        occasion: occasion, plan: plan, recipients: recipients.count, at: at, settings: settings,
                        mail: outbound.settings))
            }
            return (all, emails.count)
        }
        for plan in try await store.plans() where !plan.isDemo && plan.stage == .active && (only?.contains(plan.slug) ?? true) {
            guard let snapshot = try await snapshots.snapshot(slug: plan.slug, asOf: today) else { continue }
            outcome.plans += 1
            let settings = try await reminders.settings(plan.id) ?? ReminderSettings()
            let statuses = await snapshots.statuses(of: snapshot, asOf: today)
            var claimed = try await reminders.claimedKeys(plan.id)
            // Escalations go to the leaders as one digest per pass, not one notice per task.
            var escalated: [(assignment: AssignmentRecord, occasion: ReminderOccasion)] = []
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
                    let escalation = occasion.kind == .escalation
                    let outgoing: (all: [OutboxMessage], emails: Int) =
                        escalation
                        ? ([], 0) : messages(message, occasion: occasion, recipients: recipients, plan: plan, settings: settings)
                    let won = try await reminders.claim(
                        ReminderClaim(
                            key: occasion.key, planID: plan.id, assignmentID: assignment.id, kind: occasion.kind,
                            sendOn: occasion.sendOn, recipients: escalation ? [] : recipients, title: message.title,
                            body: message.body, link: message.link, messages: outgoing.all), at)
                    claimed.insert(occasion.key)
                    guard won else { continue }
                    outcome.claimed += 1
                    outcome.byKind[occasion.kind, default: 0] += 1
                    if escalation {
                        escalated.append((assignment, occasion))
                    } else {
                        outcome.notifications += recipients.count
                        outcome.emailsQueued += outgoing.emails
                    }
                }
            }
            if !escalated.isEmpty {
                let message = ReminderMessage.escalations(escalated, plan: plan, today: today)
                let occasion = ReminderOccasion(
                    key: "escalations:\(plan.slug):\(at)", kind: .escalation, code: "", sendOn: today)
                let outgoing = messages(message, occasion: occasion, recipients: leaders, plan: plan, settings: settings)
                if try await reminders.claim(
                    ReminderClaim(
                        key: occasion.key, planID: plan.id, assignmentID: nil, kind: .escalation, sendOn: today,
                        recipients: leaders, title: message.title, body: message.body, link: message.link,
                        messages: outgoing.all), at)
                {
                    outcome.notifications += leaders.count
                    outcome.emailsQueued += outgoing.emails
                }
            }
        }
        guard deliver else { return outcome }
        if let outbound {
            let instant = (try? Date(at, strategy: .iso8601)) ?? Date()
            // The daily digest, from the configured hour, for those who chose it; once a day by its key.
            if VietnamTime(iso: at).map({ $0.hour >= outbound.settings.digestHour }) ?? true {
                for (user, mode) in modes where mode == .digest {
                    guard let account = byID[user], account.email.contains("@") else { continue }
                    let waiting = try await outbound.outbox.undigested(user)
                    guard !waiting.isEmpty else { continue }
                    let digest = ReminderMessage.digest(waiting, day: today, settings: outbound.settings, to: account)
                    if try await outbound.outbox.queueDigest("digest:\(user):\(today.iso)", digest, waiting.map(\.id), at) {
                        outcome.digestsQueued += 1
                    }
                }
            }
            if outbound.mailer != nil || outbound.webhook != nil {
                outcome.delivery = try await OutboxDelivery(
                    outbox: outbound.outbox, mailer: outbound.mailer, webhook: outbound.webhook, settings: outbound.settings
                ).deliver(now: instant)
            }
        }
        return outcome
    }
}

/// The Vietnamese text of a reminder: what is due, by when, and where to act.
public struct ReminderMessage: Sendable, Hashable {
    /// The e-mail's body: the reminder, the link to act on, and how to change what one receives.
    public func emailBody(settings: MailSettings, plan: PlanRecord) -> String {
        "\(title)\n\n\(body)\n\nMở trên hệ thống: \(settings.publicURL)\(link)\n\n--\n"
            + "Thư tự động của hệ thống theo dõi nhiệm vụ theo \(plan.number). "
            + "Đổi cách nhận thư nhắc việc: \(settings.publicURL)/notifications"
    }

    /// The webhook's JSON for a claimed reminder, signed with the plan's secret.
    public func webhook(
        occasion: ReminderOccasion, plan: PlanRecord, recipients: Int, at: String, settings: ReminderSettings,
        mail: MailSettings
    ) -> OutboxMessage {
        let json = JSONValue.object([
            ("event", .string("reminder")), ("key", .string(occasion.key)), ("kind", .string(occasion.kind.rawValue)),
            ("plan", .string(plan.slug)), ("assignment", .string(occasion.code)), ("title", .string(title)),
            ("body", .string(body)), ("link", .string(mail.publicURL + link)), ("sendOn", .string(occasion.sendOn.iso)),
            ("dueOn", .string(occasion.dueOn?.iso)), ("recipients", .int(recipients)), ("at", .string(at)),
        ]).serialized(pretty: false)
        return OutboxMessage(
            channel: .webhook, userID: nil, to: settings.webhookURL, subject: title, body: json,
            signature: "sha256=" + SHA256.hmacHex(key: Array(settings.webhookSecret.utf8), message: Array(json.utf8)))
    }

    /// The leaders' one notice of a pass: every task newly overdue beyond the escalation threshold,
    /// by lead agency, with its days overdue as of today (the number the pages show today).
    public static func escalations(
        _ items: [(assignment: AssignmentRecord, occasion: ReminderOccasion)], plan: PlanRecord, today: LocalDate
    ) -> ReminderMessage {
        var byAgency: [String: [(code: String, days: Int)]] = [:]
        for (assignment, occasion) in items {
            let agency = assignment.lead.map(\.name).joined(separator: ", ")
            let days = occasion.dueOn.map { $0.days(to: today) } ?? occasion.days ?? 0
            byAgency[agency.isEmpty ? "Chưa rõ đơn vị chủ trì" : agency, default: []].append((assignment.code, days))
        }
        let agencies = byAgency.sorted { ($1.value.count, $0.key) < ($0.value.count, $1.key) }
        var body =
            "Tính đến ngày \(today.vietnameseShort), các nhiệm vụ sau của \(plan.number) đã quá hạn kéo dài, chưa hoàn thành:"
        for (agency, tasks) in agencies {
            body +=
                "\n- \(agency) (\(tasks.count)): "
                + tasks.sorted { $0.days > $1.days }.map { "\($0.code) quá hạn \($0.days) ngày" }.joined(separator: "; ")
        }
        body += "\nĐề nghị chỉ đạo các đơn vị khẩn trương thực hiện."
        return ReminderMessage(
            title: "Quá hạn kéo dài: \(items.count) nhiệm vụ của \(byAgency.count) đơn vị (\(plan.number))", body: body,
            link: "/plans/\(plan.slug)/lists/overdue")
    }

    init(title: String, body: String, link: String) {
        self.title = title
        self.body = body
        self.link = link
    }

    /// One e-mail with a day's reminders for someone who chose the daily digest.
    public static func digest(
        _ notifications: [NotificationRecord], day: LocalDate, settings: MailSettings, to user: UserRecord
    ) -> OutboxMessage {
        var body = "Tổng hợp \(notifications.count) nhắc việc đến ngày \(day.vietnameseShort):\n"
        for (index, item) in notifications.enumerated() {
            body += "\n\(index + 1). \(item.title)\n   \(item.body)\n   \(settings.publicURL)\(item.link)\n"
        }
        body +=
            "\n--\nThư tổng hợp hằng ngày của hệ thống theo dõi nhiệm vụ. Đổi cách nhận thư: \(settings.publicURL)/notifications"
        return OutboxMessage(
            userID: user.id, to: user.email,
            subject: "Tổng hợp nhắc việc ngày \(day.vietnameseShort): \(notifications.count) việc", body: body)
    }

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
        case .submitted:
            title = "Báo cáo nhiệm vụ \(code) chờ xem xét"
            body =
                "\(lead) đã gửi báo cáo về \(name) ngày \(occasion.sendOn.vietnameseShort). Đề nghị xem xét: xác nhận (ghi nhận) hoặc trả lại kèm lý do."
            if let report = occasion.reportID { link = "/reports/\(report)" }
        case .extensionDecided:
            if occasion.approved == true {
                title = "Nhiệm vụ \(code): thời hạn mới \(due)"
                body =
                    "Cơ quan theo dõi đã đồng ý gia hạn (hoặc xác định thời hạn) \(name) đến \(due), từ ngày \(occasion.sendOn.vietnameseShort)."
            } else {
                title = "Nhiệm vụ \(code): không đồng ý gia hạn"
                body =
                    "Cơ quan theo dõi không đồng ý gia hạn \(name) đến \(due) (quyết định ngày \(occasion.sendOn.vietnameseShort)). Xem lý do trên trang nhiệm vụ."
            }
        case .extensionRequested:
            title = "Nhiệm vụ \(code): đề nghị gia hạn đến \(due)"
            body =
                "\(lead) đề nghị gia hạn \(name) đến \(due)" + (days > 0 ? " (thêm \(days) ngày)" : "")
                + ", gửi ngày \(occasion.sendOn.vietnameseShort). Đề nghị xem lý do và quyết định: đồng ý hoặc không đồng ý."
        case .decisionReversed:
            let what = occasion.reversed.map { "“\($0.decision)” ngày \($0.decidedOn.vietnameseShort)" } ?? "đã ghi"
            title = "Nhiệm vụ \(code): cơ quan theo dõi hủy quyết định"
            body =
                "Cơ quan theo dõi đã hủy quyết định \(what) về \(name), từ ngày \(occasion.sendOn.vietnameseShort)."
                + (occasion.reportID != nil
                    ? " Báo cáo trở lại chờ xem xét; xem lý do trên trang nhiệm vụ."
                    : " Thời hạn hiện hành: \(due.isEmpty ? "—" : due); xem lý do trên trang nhiệm vụ.")
        case .escalation:
            title = "Nhiệm vụ \(code) quá hạn \(days) ngày (hạn \(due))"
            body =
                "\(name), đơn vị chủ trì: \(lead), đã quá hạn \(days) ngày mà chưa hoàn thành. Đề nghị chỉ đạo đơn vị khẩn trương thực hiện."
        }
    }
}
