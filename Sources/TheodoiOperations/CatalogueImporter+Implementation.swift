import Foundation
import TheodoiCatalog
import TheodoiCore
import TheodoiStore

/// Kế hoạch triển khai: an agency's own plan implementing a task it leads in another plan.
public struct ImplementationInput: Sendable, Hashable {
    /// The implemented task, as "343-qd-tu/A.17" (plan slug, then code).
    public var task: String
    /// The agency that will own the plan: an officer's own; nil for the office (then the task's lead).
    public var owner: AgencyRecord.ID?

    public init(task: String, owner: AgencyRecord.ID?) {
        self.task = task
        self.owner = owner
    }
}

extension CatalogueImporter {
    /// The task an implementation plan implements and the agency that owns the plan, or why not.
    public func implementationTarget(
        _ input: ImplementationInput
    ) async throws -> (PlanRecord, AssignmentRecord, AgencyRecord.ID?) {
        let parts = input.task.trimmingCharacters(in: .whitespaces).split(separator: "/", maxSplits: 1).map(String.init)
        func refuse(_ message: String, _ api: String) -> ProgressRefusal {
            ProgressRefusal(.invalid, message, api: api, field: "task")
        }
        guard parts.count == 2, let plan = try await store.plan(parts[0]) else {
            throw refuse(
                "Hãy chọn nhiệm vụ mà kế hoạch này triển khai (dạng mã kế hoạch/mã nhiệm vụ, ví dụ 343-qd-tu/A.17).",
                "task must be <plan slug>/<code> of a stored plan")
        }
        guard let task = try await store.assignments(plan.id).first(where: { $0.code == parts[1] }) else {
            throw refuse(
                "Kế hoạch \(plan.number) không có nhiệm vụ “\(parts[1])”.", "no assignment \(parts[1]) in plan \(plan.slug)")
        }
        if plan.stage == .closed { throw CatalogueImporter.closed(plan) }
        if let owner = input.owner {
            guard task.lead.contains(where: { $0.agencyID == owner }) else {
                throw ProgressRefusal(
                    .forbidden,
                    "Đơn vị chỉ nạp kế hoạch triển khai cho nhiệm vụ mình chủ trì; nhiệm vụ \(task.code) của \(plan.number) do "
                        + "\(task.lead.map(\.name).joined(separator: ", ")) chủ trì.",
                    api: "the officer's agency does not lead \(plan.slug)/\(task.code)")
            }
            return (plan, task, owner)
        }
        return (plan, task, task.lead.first { !$0.generic }?.agencyID)
    }

    /// Whether the plan of `number` may be written by an implementation import for `owner`: new, or already that agency's.
    func checkOwnership(number: String, owner: AgencyRecord.ID?, office: Bool) async throws -> PlanRecord? {
        guard let existing = try await store.plan(PlanRecord.slug(for: number)) else { return nil }
        if !office && existing.ownerAgency != owner {
            throw ProgressRefusal(
                .forbidden,
                "Số hiệu \(existing.number) là của một kế hoạch đã có mà đơn vị không quản lý; kế hoạch triển khai của đơn vị cần số hiệu riêng.",
                api: "plan \(existing.slug) exists and is not owned by the officer's agency")
        }
        return existing
    }

    /// What importing an implementation plan would do; stores nothing.
    public func previewImplementation(
        _ data: Data, sourceName: String, number: String?, date: LocalDate?, issuer: String?, input: ImplementationInput
    ) async throws -> CataloguePreview {
        let (plan, task, owner) = try await implementationTarget(input)
        var preview = try await self.preview(data, sourceName: sourceName, number: number, date: date, issuer: issuer)
        // The Sở's own plan: issued by the Sở when neither the file nor the form says otherwise.
        if preview.catalogue.plan.issuer == nil { preview.catalogue.plan.issuer = task.lead.first { $0.agencyID == owner }?.name }
        _ = try await checkOwnership(number: preview.number, owner: owner, office: input.owner == nil)
        preview.implements = (plan, task)
        return preview
    }

    /// Imports an agency's implementation plan: a new plan owned by the agency, each top-level task
    /// linked to the implemented task; an existing one the agency owns is updated as any re-import.
    public func importImplementation(
        _ data: Data, sourceName: String, number: String?, date: LocalDate?, issuer: String?, input: ImplementationInput,
        actor: AuditActor, stage: PlanStage
    ) async throws -> ImportResult {
        let (_, task, owner) = try await implementationTarget(input)
        var catalogue = try await read(converting: data, sourceName: sourceName, date: date)
        CatalogueImporter.fill(&catalogue, number: number, date: date, issuer: issuer)
        if catalogue.plan.issuer == nil { catalogue.plan.issuer = task.lead.first { $0.agencyID == owner }?.name }
        let number = try CatalogueImporter.number(number, catalogue)
        if let existing = try await checkOwnership(number: number, owner: owner, office: input.owner == nil),
            existing.stage == .closed
        {
            throw CatalogueImporter.closed(existing)
        }
        try await store.syncAgencyDirectory(parser.directory.entries)
        return try await store.importCatalogue(
            ImportRequest(
                catalogue: catalogue, number: number, sourceName: sourceName, actor: actor, stage: stage, owner: owner,
                implements: task.id))
    }
}
