import Foundation
import TheodoiCore
import TheodoiStore

/// A realistic, reproducible history for a demo plan: on-time and late completions, returned
/// reports, granted, refused and pending extensions, quiet agencies, recurring reports each period.
/// Every date falls between the plan's date and `today`.
public enum DemoHistoryGenerator {
    /// The history of about `reports` sent reports over the plan's leaf assignments.
    public static func history(
        snapshot: PlanSnapshot, reports target: Int, today: LocalDate, agencyShortNames: [AgencyRecord.ID: String]
    ) -> DemoHistory {
        let start = snapshot.plan.date ?? LocalDate(daysSinceEpoch: today.daysSinceEpoch - 365)
        let leaves = snapshot.assignments.filter { snapshot.children[$0.code] == nil && $0.lead.contains { $0.agencyID != nil } }
        // About one in six assignments is quiet: its agency never reported.
        let active = leaves.filter { DemoRandom(seed: $0.code).peek(100) >= 18 }
        var items: [DemoHistory.Item] = []
        var remaining = target
        for (index, assignment) in active.enumerated() {
            guard remaining > 0, let agency = assignment.lead.first(where: { $0.agencyID != nil })?.agencyID else { continue }
            var random = DemoRandom(seed: assignment.code)
            let profile = random.next(100)
            // The rest of the budget shared evenly over the assignments still to come.
            let count = max(1, remaining / (active.count - index))
            let author = "Cán bộ \(agencyShortNames[agency] ?? "đơn vị")"
            var builder = Builder(random: random, start: start, today: today, assignment: assignment)
            let reports = builder.reports(profile: profile, count: count)
            let extensions = builder.extensions()
            remaining -= reports.count
            items.append(
                DemoHistory.Item(
                    assignment: assignment.id, agency: agency, author: author, reports: reports, extensions: extensions))
        }
        return DemoHistory(plan: snapshot.plan.id, reviewer: "Văn phòng Tỉnh ủy (dữ liệu mẫu)", items: items)
    }

    struct Builder {
        var random: DemoRandom
        let start: LocalDate
        let today: LocalDate
        let assignment: AssignmentRecord

        static let results = [
            "Đã ban hành kế hoạch triển khai và phân công đầu mối thực hiện.",
            "Đã khảo sát hiện trạng, xây dựng dự thảo đề án trình lãnh đạo cho ý kiến.",
            "Đã lựa chọn đơn vị tư vấn, đang hoàn thiện hồ sơ kỹ thuật.",
            "Đã triển khai thí điểm tại 3 đơn vị, đang đánh giá kết quả.",
            "Đã tổ chức tập huấn cho cán bộ, công chức các đơn vị liên quan.",
            "Đã đưa hệ thống vào vận hành chính thức, ban hành quy chế khai thác, sử dụng.",
        ]
        static let difficulties = [
            "Kinh phí chưa được bố trí kịp thời.", "Thiếu nhân lực có chuyên môn công nghệ thông tin.",
            "Chờ hướng dẫn kỹ thuật của bộ, ngành Trung ương.",
        ]

        func day(_ offset: Int, from date: LocalDate) -> LocalDate { LocalDate(daysSinceEpoch: date.daysSinceEpoch + offset) }

        func clamp(_ date: LocalDate) -> LocalDate { min(max(date, day(1, from: start)), today) }

        mutating func evidence(on date: LocalDate) -> [EvidenceReference] {
            [
                EvidenceReference(
                    number: "\(10 + random.next(890))/KH-\(assignment.code.replacingOccurrences(of: ".", with: ""))", date: date,
                    summary: "Văn bản triển khai nhiệm vụ \(assignment.code)")
            ]
        }

        /// Progress reports, then (by profile) a completion claim and the office's decisions.
        mutating func reports(profile: Int, count: Int) -> [DemoHistory.Report] {
            let recurring = assignment.deadline.kind == .recurring
            let due = assignment.deadline.due
            // When the work was finished, by profile: on time, late, or not yet.
            var finish: LocalDate?
            if !recurring, let due, profile >= 50, profile < 95 {
                let late = profile >= 70 && profile < 80
                let candidate = late ? day(5 + random.next(50), from: due) : day(-random.next(20), from: min(due, today))
                if candidate < today && candidate > day(10, from: start) { finish = candidate }
            }
            let returnedFirst = profile >= 80 && profile < 90 || profile >= 95
            let claims = finish == nil ? 0 : (returnedFirst ? 2 : 1)
            let progressCount = max(0, count - claims)
            let last = finish ?? today
            var reports: [DemoHistory.Report] = []
            for index in 0..<progressCount {
                let span = max(1, last.daysSinceEpoch - start.daysSinceEpoch)
                let on = clamp(day(span * (index + 1) / (progressCount + 1), from: start))
                let blocked = random.next(10) == 0
                let content = ReportContent(
                    claimedStage: blocked ? .blocked : .inProgress,
                    percent: min(95, 10 + 85 * (index + 1) / (progressCount + 1)),
                    result: Self.results[random.next(Self.results.count - 1)], achievedOn: on, evidence: evidence(on: on),
                    difficulties: blocked ? Self.difficulties[random.next(Self.difficulties.count)] : "",
                    proposals: blocked ? "Đề nghị cơ quan theo dõi báo cáo Thường trực Tỉnh ủy xem xét, tháo gỡ." : "")
                let acknowledged = random.next(10) < 4
                let decided = day(2 + random.next(6), from: on)
                reports.append(
                    DemoHistory.Report(
                        content: content, submittedOn: on,
                        review: acknowledged && decided <= today ? (.accept, "Ghi nhận", nil, decided) : nil))
            }
            guard let finish else { return reports }
            let done = ReportContent(
                claimedStage: .done, percent: 100, result: Self.results[Self.results.count - 1], achievedOn: finish,
                evidence: evidence(on: finish))
            var claimOn = clamp(day(1 + random.next(5), from: finish))
            if returnedFirst {
                let returnedOn = day(3, from: claimOn)
                if returnedOn < today {
                    reports.append(
                        DemoHistory.Report(
                            content: done, submittedOn: claimOn,
                            review: (.return, "Chưa có văn bản ban hành kèm theo; đề nghị bổ sung minh chứng.", nil, returnedOn)))
                    claimOn = day(5 + random.next(10), from: returnedOn)
                    if claimOn > today || profile >= 95 { return reports }
                }
            }
            let acceptedOn = day(2 + random.next(9), from: claimOn)
            let awaiting = profile >= 90 && profile < 95 || acceptedOn > today
            reports.append(
                DemoHistory.Report(
                    content: done, submittedOn: min(claimOn, today),
                    review: awaiting ? nil : (.accept, "", finish, acceptedOn)))
            return reports
        }

        /// Now and then an extension request: mostly granted, some refused, a few still pending.
        mutating func extensions() -> [DemoHistory.Extension] {
            guard assignment.deadline.kind != .recurring, let due = assignment.deadline.due, random.next(12) == 0 else {
                return []
            }
            let asked = day(-10, from: due)
            guard asked > start, asked < today else { return [] }
            let outcome = random.next(20)
            let decidedOn = day(3 + random.next(5), from: asked)
            let decision: (approved: Bool, reason: String, decidedOn: LocalDate)? =
                outcome < 3 || decidedOn > today
                ? nil
                : outcome < 15 ? (true, "", decidedOn) : (false, "Không có căn cứ khách quan để gia hạn.", decidedOn)
            return [
                DemoHistory.Extension(
                    requestedOn: asked, previousDue: due, newDue: day(60 + random.next(60), from: due),
                    reason: "Chờ bố trí kinh phí và hướng dẫn kỹ thuật.", decision: decision)
            ]
        }
    }
}

/// A small deterministic generator (SplitMix64) seeded by text, so the same plan gets the same history.
struct DemoRandom {
    private var state: UInt64

    init(seed text: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        state = hash
    }

    /// The number `next(bound)` would give, without moving on.
    func peek(_ bound: Int) -> Int {
        var copy = self
        return copy.next(bound)
    }

    /// A number in 0..<bound.
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9e37_79b9_7f4a_7c15
        var value = state
        value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
        value ^= value >> 31
        return Int(value % UInt64(max(1, bound)))
    }
}

extension DemoHistoryGenerator {
    /// Fills the demo plan `slug` with about `reports` reports, once; returns what it did, in Vietnamese.
    public static func load(
        slug: String, reports: Int, today: LocalDate, store: StoreClient, progress: ProgressStore, actor: AuditActor
    ) async throws -> String {
        guard reports > 0 else { return "Không tạo diễn biến (--reports 0)." }
        guard let snapshot = try await PlanSnapshots(store: store, progress: progress).snapshot(slug: slug) else {
            return "Không có kế hoạch \(slug)."
        }
        let existing = try await progress.reportCount(snapshot.plan.id)
        guard existing == 0 else {
            return "Kế hoạch mẫu \(snapshot.plan.number) đã có diễn biến (\(existing) báo cáo); không tạo thêm."
        }
        var shortNames: [AgencyRecord.ID: String] = [:]
        for agency in try await store.agencies() { shortNames[agency.id] = agency.shortName }
        let history = history(snapshot: snapshot, reports: reports, today: today, agencyShortNames: shortNames)
        try await progress.loadDemoHistory(history, actor)
        let sent = history.items.reduce(0) { $0 + $1.reports.count }
        let reviews = history.items.reduce(0) { $0 + $1.reports.filter { $0.review != nil }.count }
        let returned = history.items.reduce(0) { $0 + $1.reports.filter { $0.review?.decision == .return }.count }
        let extensions = history.items.reduce(0) { $0 + $1.extensions.count }
        return
            "Đã tạo diễn biến mẫu cho \(snapshot.plan.number): \(sent) báo cáo của \(history.items.count) nhiệm vụ, "
            + "\(reviews) lượt xem xét (\(returned) lần trả lại), \(extensions) đề nghị gia hạn; tính đến ngày \(today.vietnameseShort)."
    }
}
