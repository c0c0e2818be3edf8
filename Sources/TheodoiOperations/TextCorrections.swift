import TheodoiCore
import TheodoiStore

/// Corrections of the plan's text on record (issue 15): the known slips still in the plan's
/// titles, outputs and coordinators (`ProbableTypos`), and applying the ones the office picks.
public struct TextCorrections: Sendable {
    public var store: StoreClient

    public init(store: StoreClient) {
        self.store = store
    }

    /// What the office may correct now: every field of the plan that still holds a known slip,
    /// with the text as it would read.
    public static func proposals(_ snapshot: PlanSnapshot) -> [TextCorrection] {
        var proposals: [TextCorrection] = []
        func propose(_ field: TextCorrection.Field, _ subject: String, _ text: String) {
            let corrected = ProbableTypos.corrected(text)
            if corrected != VietnameseText.nfc(text) {
                proposals.append(TextCorrection(field: field, subject: subject, original: text, corrected: corrected))
            }
        }
        if let title = snapshot.plan.title { propose(.planTitle, "", title) }
        for part in snapshot.parts {
            propose(.partTitle, part.code, part.title)
            for group in part.groups { propose(.groupTitle, "\(part.code)/\(group.code)", group.title) }
        }
        for group in snapshot.looseGroups { propose(.groupTitle, "/\(group.code)", group.title) }
        for assignment in snapshot.assignments {
            propose(.title, assignment.code, assignment.title)
            propose(.output, assignment.code, assignment.output)
            propose(.coordinators, assignment.code, assignment.coordinatorsText)
        }
        return proposals
    }

    /// Applies the proposals named by `keys` ("title:A.1"; all of them when nil). A key that is not
    /// a current proposal is refused, so a stale page corrects nothing.
    @discardableResult
    public func apply(_ snapshot: PlanSnapshot, keys: Set<String>?, actor: AuditActor) async throws -> [TextCorrection] {
        let proposals = Self.proposals(snapshot)
        let byKey = Dictionary(proposals.map { ($0.key, $0) }) { first, _ in first }
        if let keys {
            let unknown = keys.subtracting(byKey.keys)
            guard unknown.isEmpty else {
                throw ProgressRefusal(
                    .conflict, "Một số lỗi đã được sửa hoặc văn bản đã thay đổi; hãy tải lại trang rồi chọn lại.",
                    api: "not current proposals: \(unknown.sorted().joined(separator: ", "))")
            }
        }
        let chosen = proposals.filter { keys?.contains($0.key) ?? true }
        guard !chosen.isEmpty else {
            throw ProgressRefusal(.invalid, "Chưa chọn lỗi nào để sửa.", api: "no correction chosen")
        }
        try await store.correctText(snapshot.plan.id, chosen, actor)
        return chosen
    }
}
