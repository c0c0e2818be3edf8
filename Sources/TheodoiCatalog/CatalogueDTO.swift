import TheodoiCore

/// The stable JSON contract of `theodoi catalog parse --json` (DESIGN §4.5): exactly these keys, in
/// this order, with nulls written out.
public struct CatalogueDTO: Sendable {
    public var plan: PlanDTO
    public var parts: [PartDTO]
    public var assignments: [AssignmentDTO]
    public var findings: [FindingDTO]

    public init(_ catalogue: Catalogue) {
        plan = PlanDTO(catalogue.plan)
        parts = catalogue.parts.map(PartDTO.init)
        assignments = catalogue.assignments.map(AssignmentDTO.init)
        findings = catalogue.findings.map(FindingDTO.init)
    }

    public var json: JSONValue {
        .object([
            ("plan", plan.json), ("parts", .array(parts.map(\.json))), ("assignments", .array(assignments.map(\.json))),
            ("findings", .array(findings.map(\.json))),
        ])
    }

    /// `{"number", "date", "issuer", "title"}`, each possibly null.
    public struct PlanDTO: Sendable {
        public var number: String?
        public var date: LocalDate?
        public var issuer: String?
        public var title: String?

        init(_ plan: Catalogue.PlanHeader) {
            number = plan.number
            date = plan.date
            issuer = plan.issuer
            title = plan.title
        }

        public var json: JSONValue {
            .object([
                ("number", .string(number)), ("date", .string(date?.iso)), ("issuer", .string(issuer)),
                ("title", .string(title)),
            ])
        }
    }

    /// `{"code", "title", "declaredCount", "foundCount", "groups": [{"code", "title"}]}`.
    public struct PartDTO: Sendable {
        public var code: String
        public var title: String
        public var declaredCount: Int?
        public var foundCount: Int
        public var groups: [(code: String, title: String)]

        init(_ part: Catalogue.Part) {
            code = part.code
            title = part.title
            declaredCount = part.declaredCount
            foundCount = part.foundCount
            groups = part.groups.map { ($0.code, $0.title) }
        }

        public var json: JSONValue {
            .object([
                ("code", .string(code)), ("title", .string(title)), ("declaredCount", .int(declaredCount)),
                ("foundCount", .int(foundCount)),
                ("groups", .array(groups.map { .object([("code", .string($0.code)), ("title", .string($0.title))]) })),
            ])
        }
    }
}

/// One assignment in the §4.5 form; the read API adds its status beside these fields.
public struct AssignmentDTO: Sendable {
    public var code: String
    public var part: String?
    public var group: String?
    public var number: String
    public var parent: String?
    public var title: String
    public var leadText: String
    public var lead: [AgencyDTO]
    public var coordinatorsText: String
    public var coordinators: [AgencyDTO]
    public var deadlineText: String
    public var deadline: DeadlineDTO
    public var output: String

    public init(_ assignment: Catalogue.Assignment) {
        code = assignment.code
        part = assignment.part
        group = assignment.group
        number = assignment.number
        parent = assignment.parent
        title = assignment.title
        leadText = assignment.leadText
        lead = assignment.lead.map(AgencyDTO.init)
        coordinatorsText = assignment.coordinatorsText
        coordinators = assignment.coordinators.map(AgencyDTO.init)
        deadlineText = assignment.deadline.text
        deadline = DeadlineDTO(assignment.deadline)
        output = assignment.output
    }

    /// The fields in contract order; callers may append more (the API appends `status`).
    public var fields: [(String, JSONValue)] {
        [
            ("code", .string(code)), ("part", .string(part)), ("group", .string(group)), ("number", .string(number)),
            ("parent", .string(parent)), ("title", .string(title)), ("leadText", .string(leadText)),
            ("lead", .array(lead.map(\.json))), ("coordinatorsText", .string(coordinatorsText)),
            ("coordinators", .array(coordinators.map(\.json))), ("deadlineText", .string(deadlineText)),
            ("deadline", deadline.json), ("output", .string(output)),
        ]
    }

    public var json: JSONValue { .object(fields) }
}

/// `{"name": …, "generic": …}`.
public struct AgencyDTO: Sendable {
    public var name: String
    public var generic: Bool

    public init(_ reference: AgencyReference) {
        name = reference.name
        generic = reference.generic
    }

    public var json: JSONValue { .object([("name", .string(name)), ("generic", .bool(generic))]) }
}

/// `{"kind", "due"}`, plus `"cadence"` for recurring and `"text"` for external deadlines.
public struct DeadlineDTO: Sendable {
    public var kind: Deadline.Kind
    public var due: LocalDate?
    public var cadence: Deadline.Cadence?
    public var text: String?

    public init(_ deadline: Deadline) {
        kind = deadline.kind
        due = deadline.due
        cadence = deadline.cadence
        text = deadline.kind == .external ? deadline.text : nil
    }

    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [("kind", .string(kind.rawValue)), ("due", .string(due?.iso))]
        if kind == .recurring { pairs.append(("cadence", .string(cadence?.rawValue))) }
        if kind == .external { pairs.append(("text", .string(text))) }
        return .object(pairs)
    }
}

/// `{"severity", "line", "code", "message"}`, and for a cell of a scanned copy `"column"` and
/// `"confidence"`.
public struct FindingDTO: Sendable {
    public var severity: Finding.Severity
    public var line: Int
    public var code: Finding.Code
    public var message: String
    public var column: String?
    public var confidence: Int?

    public init(_ finding: Finding) {
        severity = finding.severity
        line = finding.line
        code = finding.code
        message = finding.message
        column = finding.column
        confidence = finding.confidence
    }

    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("severity", .string(severity.rawValue)), ("line", .int(line)), ("code", .string(code.rawValue)),
            ("message", .string(message)),
        ]
        if let column { pairs.append(("column", .string(column))) }
        if let confidence { pairs.append(("confidence", .int(confidence))) }
        return .object(pairs)
    }
}
