import TheodoiCore

/// A task of one plan as another plan's page names it (linked plans, issue 19).
public struct LinkedTask: Sendable, Hashable {
    public var assignmentID: AssignmentRecord.ID
    public var planID: PlanRecord.ID
    public var planSlug: String
    public var planNumber: String
    public var code: String
    public var title: String

    public init(
        assignmentID: AssignmentRecord.ID, planID: PlanRecord.ID, planSlug: String, planNumber: String, code: String,
        title: String
    ) {
        self.assignmentID = assignmentID
        self.planID = planID
        self.planSlug = planSlug
        self.planNumber = planNumber
        self.code = code
        self.title = title
    }
}

/// "Thực hiện nhiệm vụ …": a task of a lower level's plan implements a task of a higher level's
/// (343-QĐ/TU's A.1 implements a task of the UBND's plan for Nghị quyết 57; a Sở's plan implements
/// 343-QĐ/TU's A.17).
public struct AssignmentLink: Sendable, Hashable, Identifiable {
    public enum Marker {}
    public typealias ID = TypedID<Marker>

    public var id: ID
    /// The implementing task.
    public var lower: LinkedTask
    /// The task it serves.
    public var higher: LinkedTask
    public var createdByName: String
    /// ISO-8601 instant.
    public var createdAt: String

    public init(id: ID, lower: LinkedTask, higher: LinkedTask, createdByName: String, createdAt: String) {
        self.id = id
        self.lower = lower
        self.higher = higher
        self.createdByName = createdByName
        self.createdAt = createdAt
    }
}

/// A link the store refused.
public enum LinkStoreError: Error, Equatable {
    /// A task cannot implement a task of its own plan (sub-tasks say that already).
    case samePlan
    /// The two are linked already, one way or the other.
    case exists
    /// No such task.
    case noSuchAssignment
}

extension LinkStore {
    /// Every closure fails; a server is given the real one.
    public static var failing: LinkStore {
        LinkStore(
            links: { _ in throw UnimplementedStoreCall(name: "links") },
            add: { _, _, _ in throw UnimplementedStoreCall(name: "addLink") },
            remove: { _, _ in throw UnimplementedStoreCall(name: "removeLink") })
    }
}

/// Persistence of links between tasks of different plans.
public struct LinkStore: Sendable {
    /// Every link the task takes part in, either side, oldest first.
    public var links: @Sendable (_ assignment: AssignmentRecord.ID) async throws -> [AssignmentLink]
    /// Links `lower` to the `higher` task it implements (audited as `link.add`).
    public var add:
        @Sendable (_ lower: AssignmentRecord.ID, _ higher: AssignmentRecord.ID, _ actor: AuditActor) async throws ->
            AssignmentLink
    /// Removes a link (audited as `link.remove`); false when there is none with that id.
    public var remove: @Sendable (_ id: AssignmentLink.ID, _ actor: AuditActor) async throws -> Bool

    public init(
        links: @escaping @Sendable (AssignmentRecord.ID) async throws -> [AssignmentLink],
        add: @escaping @Sendable (AssignmentRecord.ID, AssignmentRecord.ID, AuditActor) async throws -> AssignmentLink,
        remove: @escaping @Sendable (AssignmentLink.ID, AuditActor) async throws -> Bool
    ) {
        self.links = links
        self.add = add
        self.remove = remove
    }
}
