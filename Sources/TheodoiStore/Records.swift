import TheodoiCatalog
import TheodoiCore

/// A database id that knows what it identifies, so a plan id cannot be passed for an agency id.
public struct TypedID<Subject>: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public static func < (lhs: TypedID, rhs: TypedID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }
}

/// Kế hoạch: one decision's catalogue as stored.
public struct PlanRecord: Sendable, Hashable, Identifiable {
    /// Typed plan id.
    public typealias ID = TypedID<PlanRecord>

    public var id: ID
    /// The plan number folded to a URL slug: `343-QĐ/TU` → `343-qd-tu`.
    public var slug: String
    public var number: String
    public var date: LocalDate?
    public var issuer: String?
    public var title: String?
    public var declaredCount: Int?
    /// A generated plan for benchmarks and screenshots, never a real one.
    public var isDemo: Bool
    /// The file the plan was imported from.
    public var sourceName: String
    /// Goes up with every change to the plan, so caches know when to reload.
    public var revision: Int
    public var assignmentCount: Int
    /// Công khai: anonymous visitors may read the plan's public summary.
    public var published: Bool
    /// Dự thảo, đang theo dõi or đã kết thúc (issue 19).
    public var stage: PlanStage
    /// The day the stage last changed (nil for a plan imported active and never changed).
    public var stageChangedOn: LocalDate?
    /// The number of the issued report that closed the plan (báo cáo tổng kết), when closed.
    public var closingReport: String?
    /// Kế hoạch triển khai của một sở: the agency whose officers import and update it (nil: the office's).
    public var ownerAgency: AgencyRecord.ID?
    /// The task of another plan this plan implements, when it was imported under one.
    public var implements: AssignmentRecord.ID?
    /// The owner's name, and where the implemented task is.
    public var ownerName: String?
    public var implementedTask: ImplementedTask?

    /// The task an implementation plan implements: its plan and code.
    public struct ImplementedTask: Sendable, Hashable {
        public var planSlug: String
        public var planNumber: String
        public var code: String

        public init(planSlug: String, planNumber: String, code: String) {
            self.planSlug = planSlug
            self.planNumber = planNumber
            self.code = code
        }
    }

    public init(
        id: ID, slug: String, number: String, date: LocalDate?, issuer: String?, title: String?, declaredCount: Int?,
        isDemo: Bool, sourceName: String, revision: Int, assignmentCount: Int, published: Bool = false,
        stage: PlanStage = .active, stageChangedOn: LocalDate? = nil, closingReport: String? = nil,
        ownerAgency: AgencyRecord.ID? = nil, implements: AssignmentRecord.ID? = nil, ownerName: String? = nil,
        implementedTask: ImplementedTask? = nil
    ) {
        self.ownerName = ownerName
        self.implementedTask = implementedTask
        self.ownerAgency = ownerAgency
        self.implements = implements
        self.published = published
        self.stage = stage
        self.stageChangedOn = stageChangedOn
        self.closingReport = closingReport
        self.id = id
        self.slug = slug
        self.number = number
        self.date = date
        self.issuer = issuer
        self.title = title
        self.declaredCount = declaredCount
        self.isDemo = isDemo
        self.sourceName = sourceName
        self.revision = revision
        self.assignmentCount = assignmentCount
    }

    /// The slug of a plan number (DESIGN §8): diacritics folded, lower case, non-alphanumerics → `-`.
    public static func slug(for number: String) -> String {
        var slug = ""
        var pendingDash = false
        for character in VietnameseText.folded(number) {
            if character.isASCII && (character.isLetter || character.isNumber) {
                if pendingDash && !slug.isEmpty { slug.append("-") }
                pendingDash = false
                slug.append(character)
            } else {
                pendingDash = true
            }
        }
        return slug
    }
}

/// A change of a plan's stage, as asked (`from` is the stage the asker saw).
public struct PlanStageChange: Sendable, Hashable {
    public var slug: String
    public var from: PlanStage
    public var to: PlanStage
    /// The day it takes effect (today).
    public var on: LocalDate
    /// Closing: the issued report that closes the plan.
    public var finalReport: Int?
    /// Why (reopening a closed plan); empty otherwise.
    public var reason: String

    public init(slug: String, from: PlanStage, to: PlanStage, on: LocalDate, finalReport: Int? = nil, reason: String = "") {
        self.slug = slug
        self.from = from
        self.to = to
        self.on = on
        self.finalReport = finalReport
        self.reason = reason
    }
}

/// A stage change the store refused because of what it found.
public enum PlanStageError: Error, Equatable {
    /// Someone changed the stage since the asker looked.
    case stale(current: PlanStage)
    /// The final report is not an issued, standing report of this plan.
    case noSuchFinalReport
    /// An import or correction of a plan that is closed.
    case closed(slug: String)
}

/// How far a plan has moved: its catalogue revision and its progress activity, for caches.
public struct PlanVersion: Sendable, Hashable {
    /// Goes up with every catalogue change.
    public var revision: Int
    /// Goes up with every report sent, review and extension decision.
    public var activity: Int

    public init(revision: Int, activity: Int) {
        self.revision = revision
        self.activity = activity
    }
}

/// Nhóm nhiệm vụ A/B/C as stored, with its groups.
public struct PartRecord: Sendable, Hashable {
    public var code: String
    public var title: String
    public var declaredCount: Int?
    public var foundCount: Int
    public var groups: [GroupRecord]

    public init(code: String, title: String, declaredCount: Int?, foundCount: Int, groups: [GroupRecord]) {
        self.code = code
        self.title = title
        self.declaredCount = declaredCount
        self.foundCount = foundCount
        self.groups = groups
    }
}

/// Nhóm I–V as stored.
public struct GroupRecord: Sendable, Hashable {
    public var code: String
    public var title: String

    public init(code: String, title: String) {
        self.code = code
        self.title = title
    }
}

/// Cơ quan, đơn vị.
public struct AgencyRecord: Sendable, Hashable, Identifiable {
    /// Typed agency id.
    public typealias ID = TypedID<AgencyRecord>

    public var id: ID
    public var name: String
    public var shortName: String
    public var kind: AgencyKind
    /// Other names the agency is written as (tên gọi khác).
    public var aliases: [String]

    public init(id: ID, name: String, shortName: String, kind: AgencyKind, aliases: [String] = []) {
        self.aliases = aliases
        self.id = id
        self.name = name
        self.shortName = shortName
        self.kind = kind
    }
}

/// A body named in an assignment's lead or coordinating cell: an agency, or a generic group.
public struct AgencyLink: Sendable, Hashable {
    /// Nil for a generic group ("Các sở, ngành liên quan").
    public var agencyID: AgencyRecord.ID?
    public var name: String
    public var generic: Bool

    public init(agencyID: AgencyRecord.ID?, name: String, generic: Bool) {
        self.agencyID = agencyID
        self.name = name
        self.generic = generic
    }
}

/// Nhiệm vụ as stored.
public struct AssignmentRecord: Sendable, Hashable, Identifiable {
    /// Typed assignment id.
    public typealias ID = TypedID<AssignmentRecord>

    public var id: ID
    /// "A.17.1", the natural key within the plan.
    public var code: String
    public var part: String?
    public var group: String?
    public var number: String
    public var parent: String?
    /// Document order.
    public var position: Int
    public var title: String
    public var leadText: String
    public var lead: [AgencyLink]
    public var coordinatorsText: String
    public var coordinators: [AgencyLink]
    public var deadline: Deadline
    public var output: String
    /// The line of the source file.
    public var line: Int
    /// Its amendments (sửa đổi, bổ sung, bãi bỏ); nil for a task no amendment touched.
    public var trail: AmendmentTrail?

    public init(
        id: ID, code: String, part: String?, group: String?, number: String, parent: String?, position: Int,
        title: String, leadText: String, lead: [AgencyLink], coordinatorsText: String, coordinators: [AgencyLink],
        deadline: Deadline, output: String, line: Int, trail: AmendmentTrail? = nil
    ) {
        self.trail = trail
        self.id = id
        self.code = code
        self.part = part
        self.group = group
        self.number = number
        self.parent = parent
        self.position = position
        self.title = title
        self.leadText = leadText
        self.lead = lead
        self.coordinatorsText = coordinatorsText
        self.coordinators = coordinators
        self.deadline = deadline
        self.output = output
        self.line = line
    }
}

/// What an import did.
public struct ImportResult: Sendable, Hashable {
    /// One assignment whose catalogue fields changed.
    public struct Change: Sendable, Hashable {
        public var code: String
        /// Vietnamese field names: "nội dung", "chủ trì", "thời hạn"…
        public var fields: [String]

        public init(code: String, fields: [String]) {
            self.code = code
            self.fields = fields
        }
    }

    public var plan: PlanRecord
    /// The plan was new.
    public var created: Bool
    public var added: [String]
    public var changed: [Change]
    /// Codes in the database that the file no longer has: kept, never deleted.
    public var missing: [String]
    /// Plan-level fields that changed (number, date, title…).
    public var planChanges: [String]
    /// Codes an amendment ended (bãi bỏ).
    public var ended: [String]
    /// Codes a plain re-import found different from what the decision said but left as an amendment changed them.
    public var keptAmended: [String]
    /// The amendment this import recorded (or found already recorded, unchanged).
    public var amendment: AmendmentRecord?

    public init(
        plan: PlanRecord, created: Bool, added: [String], changed: [Change], missing: [String], planChanges: [String],
        ended: [String] = [], keptAmended: [String] = [], amendment: AmendmentRecord? = nil
    ) {
        self.ended = ended
        self.keptAmended = keptAmended
        self.amendment = amendment
        self.plan = plan
        self.created = created
        self.added = added
        self.changed = changed
        self.missing = missing
        self.planChanges = planChanges
    }

    /// Nothing at all changed.
    public var isUnchanged: Bool {
        !created && added.isEmpty && changed.isEmpty && planChanges.isEmpty && ended.isEmpty
    }
}

/// How a catalogue is stored.
public struct ImportRequest: Sendable {
    public var catalogue: Catalogue
    /// Overrides the number the catalogue names (a catalogue without a preamble has none).
    public var number: String
    public var sourceName: String
    public var isDemo: Bool
    /// Who imports it, for the audit log.
    public var actor: AuditActor
    /// The stage of a plan this import creates (an existing plan keeps its own).
    public var stage: PlanStage
    /// Set when the file is a decision amending the plan `number` names (its own number and date here).
    public var amendment: AmendmentRequest?
    /// A new plan that is an agency's own implementation plan of a task: owned by `owner`, and each of
    /// its top-level tasks linked to `implements` (set only when the import creates the plan).
    public var owner: AgencyRecord.ID?
    public var implements: AssignmentRecord.ID?

    public init(
        catalogue: Catalogue, number: String, sourceName: String, isDemo: Bool = false, actor: AuditActor = .commandLine,
        stage: PlanStage = .active, amendment: AmendmentRequest? = nil, owner: AgencyRecord.ID? = nil,
        implements: AssignmentRecord.ID? = nil
    ) {
        self.owner = owner
        self.implements = implements
        self.amendment = amendment
        self.actor = actor
        self.stage = stage
        self.catalogue = catalogue
        self.number = number
        self.sourceName = sourceName
        self.isDemo = isDemo
    }
}

/// Quyết định sửa đổi, bổ sung as imported: its number and date, and whether tasks of the plan the
/// file does not list are ended by it (a file of the whole amended catalogue) or kept (a file of the changes only).
public struct AmendmentRequest: Sendable, Hashable {
    public var number: String
    public var issuedOn: LocalDate
    public var endsMissing: Bool

    public init(number: String, issuedOn: LocalDate, endsMissing: Bool) {
        self.number = number
        self.issuedOn = issuedOn
        self.endsMissing = endsMissing
    }

    /// A row of an amendment whose content says "Bãi bỏ" ("Bãi bỏ nhiệm vụ này", "(bãi bỏ)") ends the task of its code.
    public static func isEnding(title: String) -> Bool {
        var folded = Substring(VietnameseText.folded(title))
        while let first = folded.first, first == "(" || first == "-" || first == " " { folded = folded.dropFirst() }
        return folded.hasPrefix("bai bo")
    }
}

/// An amendment the store refused because of what it found.
public enum AmendmentError: Error, Equatable {
    /// No plan of that number to amend.
    case noSuchPlan(String)
    /// The amendment was imported before, and this file says something else.
    case alreadyImported(number: String)
    /// The amendment is dated before the plan it amends.
    case beforePlan(planDate: LocalDate)
}
