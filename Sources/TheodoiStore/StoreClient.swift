import TheodoiCatalog
import TheodoiCore

/// The persistence interface: a value of closures (STYLE rule 2). `TheodoiStoreSQL` provides the live
/// value over SQLite and PostgreSQL; `StoreClient.failing` is the test value, each closure failing
/// until a test overrides the one it needs.
public struct StoreClient: Sendable {
    /// Brings the schema up to date (numbered migrations); safe to run on every start.
    public var migrate: @Sendable () async throws -> Void
    /// Adds the directory's agencies that are not stored yet; changes nothing else.
    public var syncAgencyDirectory: @Sendable (_ entries: [AgencyDirectory.Entry]) async throws -> Void
    /// Stores a catalogue in one transaction: a new plan, or an update by assignment code that never
    /// deletes anything.
    public var importCatalogue: @Sendable (_ request: ImportRequest) async throws -> ImportResult
    /// Every plan, real ones first, then by date.
    public var plans: @Sendable () async throws -> [PlanRecord]
    /// One plan by slug.
    public var plan: @Sendable (_ slug: String) async throws -> PlanRecord?
    /// The plan's catalogue revision and progress activity only (a cheap check for caches).
    public var planRevision: @Sendable (_ slug: String) async throws -> PlanVersion?
    /// The plan's parts with their groups, in document order.
    public var parts: @Sendable (_ plan: PlanRecord.ID) async throws -> [PartRecord]
    /// Groups of a plan that has no parts.
    public var looseGroups: @Sendable (_ plan: PlanRecord.ID) async throws -> [GroupRecord]
    /// Every assignment of the plan in document order.
    public var assignments: @Sendable (_ plan: PlanRecord.ID) async throws -> [AssignmentRecord]
    /// Codes of the plan's assignments whose folded search text contains every one of the words;
    /// every code when there are none.
    public var searchAssignments: @Sendable (_ plan: PlanRecord.ID, _ words: SearchWords) async throws -> Set<String>
    /// Every agency, ordered by folded name.
    public var agencies: @Sendable () async throws -> [AgencyRecord]
    /// The import findings of a plan, by line.
    public var findings: @Sendable (_ plan: PlanRecord.ID) async throws -> [Finding]
    /// The plan's amendments (quyết định sửa đổi, bổ sung), oldest first.
    public var amendments: @Sendable (_ plan: PlanRecord.ID) async throws -> [AmendmentRecord]
    /// Succeeds once the database answers.
    public var ping: @Sendable () async throws -> Void
    /// Publishes or withdraws a plan's public summary; nil when there is no such plan.
    public var setPlanPublished: @Sendable (_ slug: String, _ published: Bool, _ actor: AuditActor) async throws -> PlanRecord?
    /// Moves a plan to another stage (audited as `plan.activate`, `plan.close`, `plan.reopen`); nil
    /// when there is no such plan. Throws `PlanStageError` when the stage is no longer `from` or the
    /// final report is not the plan's.
    public var setPlanStage: @Sendable (_ change: PlanStageChange, _ actor: AuditActor) async throws -> PlanRecord?
    /// Replaces an agency's names, kind and aliases; throws `CatalogueStoreError` on a clash.
    public var updateAgency:
        @Sendable (_ id: AgencyRecord.ID, _ change: AgencyChange, _ actor: AuditActor) async throws -> AgencyRecord
    /// Moves every link, user and alias of `source` to `target` and retires `source` (kept, marked merged).
    public var mergeAgencies:
        @Sendable (_ source: AgencyRecord.ID, _ target: AgencyRecord.ID, _ actor: AuditActor) async throws -> AgencyRecord
    /// Writes corrections into the plan's text in one transaction, keeping each original (audited as
    /// `plan.correct-text`). A field whose text is no longer the correction's original is refused
    /// (`ProgressRefusal`, conflict) and nothing is written.
    public var correctText:
        @Sendable (_ plan: PlanRecord.ID, _ corrections: [TextCorrection], _ actor: AuditActor) async throws -> Void
    /// The plan's corrections on record, oldest first.
    public var textCorrections: @Sendable (_ plan: PlanRecord.ID) async throws -> [TextCorrection]

    public init(
        migrate: @escaping @Sendable () async throws -> Void,
        syncAgencyDirectory: @escaping @Sendable ([AgencyDirectory.Entry]) async throws -> Void,
        importCatalogue: @escaping @Sendable (ImportRequest) async throws -> ImportResult,
        plans: @escaping @Sendable () async throws -> [PlanRecord],
        plan: @escaping @Sendable (String) async throws -> PlanRecord?,
        planRevision: @escaping @Sendable (String) async throws -> PlanVersion?,
        parts: @escaping @Sendable (PlanRecord.ID) async throws -> [PartRecord],
        looseGroups: @escaping @Sendable (PlanRecord.ID) async throws -> [GroupRecord],
        assignments: @escaping @Sendable (PlanRecord.ID) async throws -> [AssignmentRecord],
        searchAssignments: @escaping @Sendable (PlanRecord.ID, SearchWords) async throws -> Set<String>,
        agencies: @escaping @Sendable () async throws -> [AgencyRecord],
        findings: @escaping @Sendable (PlanRecord.ID) async throws -> [Finding],
        amendments: @escaping @Sendable (PlanRecord.ID) async throws -> [AmendmentRecord],
        ping: @escaping @Sendable () async throws -> Void,
        setPlanPublished: @escaping @Sendable (String, Bool, AuditActor) async throws -> PlanRecord?,
        setPlanStage: @escaping @Sendable (PlanStageChange, AuditActor) async throws -> PlanRecord?,
        updateAgency: @escaping @Sendable (AgencyRecord.ID, AgencyChange, AuditActor) async throws -> AgencyRecord,
        mergeAgencies: @escaping @Sendable (AgencyRecord.ID, AgencyRecord.ID, AuditActor) async throws -> AgencyRecord,
        correctText: @escaping @Sendable (PlanRecord.ID, [TextCorrection], AuditActor) async throws -> Void,
        textCorrections: @escaping @Sendable (PlanRecord.ID) async throws -> [TextCorrection]
    ) {
        self.correctText = correctText
        self.textCorrections = textCorrections
        self.setPlanPublished = setPlanPublished
        self.setPlanStage = setPlanStage
        self.updateAgency = updateAgency
        self.mergeAgencies = mergeAgencies
        self.migrate = migrate
        self.syncAgencyDirectory = syncAgencyDirectory
        self.importCatalogue = importCatalogue
        self.plans = plans
        self.plan = plan
        self.planRevision = planRevision
        self.parts = parts
        self.looseGroups = looseGroups
        self.assignments = assignments
        self.searchAssignments = searchAssignments
        self.agencies = agencies
        self.findings = findings
        self.amendments = amendments
        self.ping = ping
    }
}

/// A store call a test did not set up.
public struct UnimplementedStoreCall: Error, CustomStringConvertible {
    public var name: String
    public var description: String { "StoreClient.\(name) was called but the test did not set it up" }
}

extension StoreClient {
    /// Every closure fails; tests override the ones they need.
    public static var failing: StoreClient {
        StoreClient(
            migrate: { throw UnimplementedStoreCall(name: "migrate") },
            syncAgencyDirectory: { _ in throw UnimplementedStoreCall(name: "syncAgencyDirectory") },
            importCatalogue: { _ in throw UnimplementedStoreCall(name: "importCatalogue") },
            plans: { throw UnimplementedStoreCall(name: "plans") },
            plan: { _ in throw UnimplementedStoreCall(name: "plan") },
            planRevision: { _ in throw UnimplementedStoreCall(name: "planRevision") },
            parts: { _ in throw UnimplementedStoreCall(name: "parts") },
            looseGroups: { _ in throw UnimplementedStoreCall(name: "looseGroups") },
            assignments: { _ in throw UnimplementedStoreCall(name: "assignments") },
            searchAssignments: { _, _ in throw UnimplementedStoreCall(name: "searchAssignments") },
            agencies: { throw UnimplementedStoreCall(name: "agencies") },
            findings: { _ in throw UnimplementedStoreCall(name: "findings") },
            amendments: { _ in throw UnimplementedStoreCall(name: "amendments") },
            ping: { throw UnimplementedStoreCall(name: "ping") },
            setPlanPublished: { _, _, _ in throw UnimplementedStoreCall(name: "setPlanPublished") },
            setPlanStage: { _, _ in throw UnimplementedStoreCall(name: "setPlanStage") },
            updateAgency: { _, _, _ in throw UnimplementedStoreCall(name: "updateAgency") },
            mergeAgencies: { _, _, _ in throw UnimplementedStoreCall(name: "mergeAgencies") },
            correctText: { _, _, _ in throw UnimplementedStoreCall(name: "correctText") },
            textCorrections: { _ in throw UnimplementedStoreCall(name: "textCorrections") })
    }
}

/// A catalogue change the store refused, with the reason in Vietnamese for people.
public enum CatalogueStoreError: Error, Equatable, CustomStringConvertible {
    case noSuchAgency(AgencyRecord.ID)
    case agencyNameTaken(String)
    case aliasTaken(alias: String, agency: String)
    case mergeIntoItself

    public var description: String {
        switch self {
        case .noSuchAgency(let id): "Không có cơ quan mã \(id)."
        case .agencyNameTaken(let name): "Đã có cơ quan tên “\(name)”; hãy gộp hai cơ quan thay vì đặt trùng tên."
        case .aliasTaken(let alias, let agency): "Tên gọi khác “\(alias)” đã thuộc về “\(agency)”."
        case .mergeIntoItself: "Không thể gộp một cơ quan vào chính nó."
        }
    }
}
