import TheodoiCatalog
import TheodoiStore

/// Xem trước: what importing a file would do, before anything is stored. The catalogue as read, and
/// whether it creates the plan or updates the stored one, with what would change.
public struct CataloguePreview: Sendable {
    public var catalogue: Catalogue
    /// The number the plan is stored under, and its slug.
    public var number: String
    public var slug: String
    /// The stored plan of that number; nil when the import creates it.
    public var existing: PlanRecord?
    /// Codes the store does not have yet, in document order.
    public var added: [String]
    /// Stored assignments whose catalogue fields differ.
    public var changed: [ImportResult.Change]
    /// Stored codes the file no longer has: kept, never deleted.
    public var missing: [String]
    /// Plan-level fields that differ.
    public var planChanges: [String]
    /// Set when the file amends the stored plan: the amendment's number and date.
    public var amendment: AmendmentRequest?
    /// The amendment was imported before (importing it again changes nothing, or is refused).
    public var amendmentKnown = false
    /// Plain re-import: codes an amendment changed whose wording in the file differs from the decision's (kept as amended).
    public var keptAmended: [String] = []
    /// An implementation plan: the plan and task it implements.
    public var implements: (plan: PlanRecord, task: AssignmentRecord)?
    /// Codes the amendment ends (bãi bỏ).
    public var ended: [String] = []
    /// Each changed field, with what it said and what it will say.
    public var changeDetails: [AmendmentFieldChange] = []

    public init(
        catalogue: Catalogue, number: String, slug: String, existing: PlanRecord?, added: [String],
        changed: [ImportResult.Change] = [], missing: [String] = [], planChanges: [String] = []
    ) {
        self.catalogue = catalogue
        self.number = number
        self.slug = slug
        self.existing = existing
        self.added = added
        self.changed = changed
        self.missing = missing
        self.planChanges = planChanges
    }

    /// The import creates a new plan.
    public var createsPlan: Bool { existing == nil }
    /// Importing would change nothing stored.
    public var isUnchanged: Bool {
        existing != nil && added.isEmpty && changed.isEmpty && planChanges.isEmpty && ended.isEmpty
    }
}
