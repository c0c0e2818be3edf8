import Foundation
import TheodoiCore
import TheodoiStore

/// Linked plans (issue 19): which task of a higher plan a task implements, what implements a task,
/// rolled up ("3 trong 5 nhiệm vụ thực hiện đã hoàn thành, 1 quá hạn"), and which higher tasks a
/// task most likely implements.
public struct PlanLinks: Sendable {
    public var views: PlanViews
    public var links: LinkStore

    public init(views: PlanViews, links: LinkStore) {
        self.views = views
        self.links = links
    }

    /// A linked task with where it stands.
    public struct Row: Sendable {
        public var link: AssignmentLink
        /// The other side of the link, seen from the task asked about.
        public var task: LinkedTask
        /// Nil when its plan cannot be read (it was just removed).
        public var status: AssignmentStatus?
        public var lead: [String]
    }

    /// What a task serves and what implements it, as of a date.
    public struct Picture: Sendable {
        /// The higher tasks this one implements.
        public var serves: [Row]
        /// The lower tasks implementing this one.
        public var implementedBy: [Row]

        /// "3 trong 5 nhiệm vụ thực hiện đã hoàn thành, 1 quá hạn"; empty when nothing implements it.
        public var rollup: String {
            guard !implementedBy.isEmpty else { return "" }
            let statuses = implementedBy.compactMap(\.status)
            let done = statuses.filter { $0.timeliness == .doneOnTime || $0.timeliness == .doneLate }.count
            let overdue = statuses.filter { $0.timeliness == .openOverdue }.count
            var text = "\(done) trong \(implementedBy.count) nhiệm vụ thực hiện đã hoàn thành"
            if overdue > 0 { text += ", \(overdue) quá hạn" }
            return text
        }
    }

    /// The links of `assignment` (of `snapshot`), each with the other task's status as of `asOf`.
    public func picture(of assignment: AssignmentRecord, in snapshot: PlanSnapshot, asOf: LocalDate) async throws -> Picture {
        var picture = Picture(serves: [], implementedBy: [])
        var snapshots: [String: PlanSnapshot] = [snapshot.plan.slug: snapshot]
        for link in try await links.links(assignment.id) {
            let other = link.lower.assignmentID == assignment.id ? link.higher : link.lower
            if snapshots[other.planSlug] == nil {
                snapshots[other.planSlug] = try await views.snapshots.snapshot(slug: other.planSlug)
            }
            let otherSnapshot = snapshots[other.planSlug]
            let position = otherSnapshot?.idIndex[other.assignmentID]
            let status = position.flatMap { otherSnapshot?.status(at: $0, asOf: asOf) }
            let lead = position.map { otherSnapshot?.assignments[$0].lead.map(\.name) ?? [] } ?? []
            let row = Row(link: link, task: other, status: status, lead: lead)
            if link.lower.assignmentID == assignment.id {
                picture.serves.append(row)
            } else {
                picture.implementedBy.append(row)
            }
        }
        return picture
    }

    /// A higher task the monitor may mean, with why.
    public struct Suggestion: Sendable {
        public var task: LinkedTask
        public var score: Double
        /// "trùng 6 từ trong tên", "cùng đơn vị chủ trì", "hạn không sớm hơn".
        public var reasons: [String]
    }

    /// The tasks of other active plans that `assignment` most likely implements, best first: words
    /// of the titles in common, a lead agency in common, a deadline not earlier than its own.
    public func suggestions(
        for assignment: AssignmentRecord, in snapshot: PlanSnapshot, limit: Int = 5
    ) async throws -> [Suggestion] {
        let own = PlanLinks.words(assignment.title)
        guard !own.isEmpty else { return [] }
        let leads = Set(assignment.lead.compactMap(\.agencyID))
        let linked = Set(try await links.links(assignment.id).flatMap { [$0.lower.assignmentID, $0.higher.assignmentID] })
        var found: [Suggestion] = []
        for plan in try await views.store.plans()
        where plan.id != snapshot.plan.id && !plan.isDemo && plan.stage != .closed {
            guard let other = try await views.snapshots.snapshot(slug: plan.slug) else { continue }
            for candidate in other.assignments where !linked.contains(candidate.id) {
                let words = PlanLinks.words(candidate.title)
                let common = own.intersection(words).count
                guard common >= 2 else { continue }
                var score = Double(common) / Double(own.union(words).count)
                var reasons = ["trùng \(common) từ trong tên"]
                if candidate.lead.contains(where: { $0.agencyID.map(leads.contains) ?? false }) {
                    score += 0.2
                    reasons.append("cùng đơn vị chủ trì")
                }
                if let mine = assignment.deadline.due, let theirs = candidate.deadline.due, theirs >= mine {
                    score += 0.1
                    reasons.append("hạn không sớm hơn")
                }
                guard score >= 0.2 else { continue }
                found.append(
                    Suggestion(
                        task: LinkedTask(
                            assignmentID: candidate.id, planID: plan.id, planSlug: plan.slug, planNumber: plan.number,
                            code: candidate.code, title: candidate.title), score: score, reasons: reasons))
            }
        }
        return Array(
            found.sorted {
                $0.score != $1.score
                    ? $0.score > $1.score : ($0.task.planNumber, $0.task.code) < ($1.task.planNumber, $1.task.code)
            }
            .prefix(limit))
    }

    /// Words every task title has ("triển khai", "xây dựng", "của", "các"): matching them says nothing.
    static let commonWords: Set<String> = [
        "trien", "khai", "xay", "dung", "thuc", "hien", "cac", "cua", "cho", "tren", "tinh", "trong", "theo", "voi",
        "va", "de", "co", "la", "ve", "tu", "den", "nhung", "mot", "so", "hoan", "thanh", "nang", "cap", "tai", "ban",
        "hanh", "tham", "muu", "to", "chuc", "quan", "ly", "nham", "phuc", "vu", "dia",
    ]

    /// The folded words of a title that can tell two tasks apart.
    static func words(_ title: String) -> Set<String> {
        Set(SearchWords(title).words.filter { $0.utf8.count >= 2 && !commonWords.contains($0) })
    }

    /// Links `lower` (of plan `slug`, code `code`) to the task `higherCode` of plan `higherSlug`.
    @discardableResult
    public func link(
        slug: String, code: String, to higherSlug: String, code higherCode: String, identity: Identity, actor: AuditActor
    ) async throws -> AssignmentLink {
        try PlanLinks.mayLink(identity, "liên kết nhiệm vụ giữa các kế hoạch", api: "links tasks")
        let lower = try await task(slug: slug, code: code)
        let higherCode = higherCode.trimmingCharacters(in: .whitespaces)
        guard !higherSlug.isEmpty, !higherCode.isEmpty else {
            throw ProgressRefusal(
                .invalid, "Hãy chọn kế hoạch cấp trên và ghi mã nhiệm vụ (ví dụ A.17).",
                api: "plan and code of the higher task are required")
        }
        guard let higherSnapshot = try await views.snapshots.snapshot(slug: higherSlug) else {
            throw ProgressRefusal(.invalid, "Không có kế hoạch “\(higherSlug)”.", api: "no plan \(higherSlug)")
        }
        guard let position = higherSnapshot.index[higherCode] else {
            throw ProgressRefusal(
                .invalid, "Kế hoạch \(higherSnapshot.plan.number) không có nhiệm vụ mã “\(higherCode)”.",
                api: "no assignment \(higherCode) in plan \(higherSlug)")
        }
        do {
            return try await links.add(lower.id, higherSnapshot.assignments[position].id, actor)
        } catch LinkStoreError.samePlan {
            throw ProgressRefusal(
                .invalid, "Hai nhiệm vụ cùng một kế hoạch: chỉ liên kết với nhiệm vụ của kế hoạch khác.",
                api: "both tasks are of the same plan")
        } catch LinkStoreError.exists {
            throw ProgressRefusal(
                .conflict, "Hai nhiệm vụ này đã được liên kết.", api: "the two tasks are linked already")
        } catch LinkStoreError.noSuchAssignment {
            throw NotFound(message: "Không tìm thấy nhiệm vụ.", apiMessage: "no such assignment")
        }
    }

    /// Removes link `id` of the task `code` of plan `slug`.
    public func unlink(
        _ id: AssignmentLink.ID, slug: String, code: String, identity: Identity, actor: AuditActor
    ) async throws {
        try PlanLinks.mayLink(identity, "bỏ liên kết nhiệm vụ", api: "unlinks tasks")
        let task = try await task(slug: slug, code: code)
        guard try await links.links(task.id).contains(where: { $0.id == id }), try await links.remove(id, actor) else {
            throw NotFound(message: "Không có liên kết số \(id) của nhiệm vụ này.", apiMessage: "no link \(id) on this task")
        }
    }

    /// Only the office (and an administrator) links and unlinks; `what` names the act refused.
    static func mayLink(_ identity: Identity, _ what: String, api: String) throws {
        guard identity.user.role == .admin || identity.user.role == .monitor else {
            throw ProgressRefusal(
                .forbidden, "Chỉ cơ quan theo dõi hoặc quản trị hệ thống \(what).", api: "only a monitor or an admin \(api)")
        }
    }

    private func task(slug: String, code: String) async throws -> AssignmentRecord {
        guard let snapshot = try await views.snapshots.snapshot(slug: slug) else {
            throw NotFound(message: "Không có kế hoạch “\(slug)”.", apiMessage: "no plan \(slug)")
        }
        guard let position = snapshot.index[code] else {
            throw NotFound(message: "Không có nhiệm vụ “\(code)”.", apiMessage: "no assignment \(code) in plan \(slug)")
        }
        return snapshot.assignments[position]
    }
}
