import SQLKit
import TheodoiCatalog
import TheodoiCore
import TheodoiStore

extension SQLStore {
    func plans() async throws -> [PlanRecord] {
        try await read { database in
            try await database.raw(
                """
                SELECT p.id, p.slug, p.number, p.date, p.issuer, p.title, p.declared_count, p.is_demo, p.source_name,
                    p.revision, p.published, p.stage, p.stage_changed_on, r.number AS closing_report, p.owner_agency_id, p.implements_id,
                    o.name AS owner_name, ip.slug AS implements_plan, ip.number AS implements_number, ia.code AS implements_code,
                    (SELECT COUNT(*) FROM assignments a WHERE a.plan_id = p.id) AS assignment_count
                FROM plans p LEFT JOIN issued_reports r ON r.id = p.closing_report_id
                    LEFT JOIN agencies o ON o.id = p.owner_agency_id LEFT JOIN assignments ia ON ia.id = p.implements_id
                    LEFT JOIN plans ip ON ip.id = ia.plan_id ORDER BY p.is_demo, p.date DESC, p.id
                """
            ).all().map(SQLStore.planRecord)
        }
    }

    func plan(slug: String) async throws -> PlanRecord? {
        try await read { database in
            try await database.raw(
                """
                SELECT p.id, p.slug, p.number, p.date, p.issuer, p.title, p.declared_count, p.is_demo, p.source_name,
                    p.revision, p.published, p.stage, p.stage_changed_on, r.number AS closing_report, p.owner_agency_id, p.implements_id,
                    o.name AS owner_name, ip.slug AS implements_plan, ip.number AS implements_number, ia.code AS implements_code,
                    (SELECT COUNT(*) FROM assignments a WHERE a.plan_id = p.id) AS assignment_count
                FROM plans p LEFT JOIN issued_reports r ON r.id = p.closing_report_id
                    LEFT JOIN agencies o ON o.id = p.owner_agency_id LEFT JOIN assignments ia ON ia.id = p.implements_id
                    LEFT JOIN plans ip ON ip.id = ia.plan_id WHERE p.slug = \(bind: slug)
                """
            ).first().map(SQLStore.planRecord)
        }
    }

    func planRevision(slug: String) async throws -> PlanVersion? {
        try await read { database in
            try await database.raw("SELECT revision, activity FROM plans WHERE slug = \(bind: slug)").first().map {
                PlanVersion(
                    revision: try $0.decode(column: "revision", as: Int.self),
                    activity: try $0.decode(column: "activity", as: Int.self))
            }
        }
    }

    static func implementedTask(_ row: any SQLRow) throws -> PlanRecord.ImplementedTask? {
        guard let plan = try row.decode(column: "implements_plan", as: String?.self),
            let number = try row.decode(column: "implements_number", as: String?.self),
            let code = try row.decode(column: "implements_code", as: String?.self)
        else { return nil }
        return PlanRecord.ImplementedTask(planSlug: plan, planNumber: number, code: code)
    }

    static func planRecord(_ row: any SQLRow) throws -> PlanRecord {
        PlanRecord(
            id: PlanRecord.ID(try row.decode(column: "id", as: Int.self)),
            slug: try row.decode(column: "slug", as: String.self),
            number: try row.decode(column: "number", as: String.self),
            date: try row.decode(column: "date", as: String?.self).flatMap { LocalDate(iso: $0) },
            issuer: try row.decode(column: "issuer", as: String?.self),
            title: try row.decode(column: "title", as: String?.self),
            declaredCount: try row.decode(column: "declared_count", as: Int?.self),
            isDemo: try row.decode(column: "is_demo", as: Int.self) != 0,
            sourceName: try row.decode(column: "source_name", as: String.self),
            revision: try row.decode(column: "revision", as: Int.self),
            assignmentCount: try row.decode(column: "assignment_count", as: Int.self),
            published: try row.decode(column: "published", as: Int.self) != 0,
            stage: PlanStage(rawValue: try row.decode(column: "stage", as: String.self)) ?? .active,
            stageChangedOn: try row.decode(column: "stage_changed_on", as: String?.self).flatMap { LocalDate(iso: $0) },
            closingReport: try row.decode(column: "closing_report", as: String?.self),
            ownerAgency: try row.decode(column: "owner_agency_id", as: Int?.self).map(AgencyRecord.ID.init),
            implements: try row.decode(column: "implements_id", as: Int?.self).map(AssignmentRecord.ID.init),
            ownerName: try row.decode(column: "owner_name", as: String?.self),
            implementedTask: try SQLStore.implementedTask(row))
    }

    func parts(_ plan: PlanRecord.ID) async throws -> [PartRecord] {
        try await read { database in
            let groups = try await database.raw(
                "SELECT part_code, code, title FROM plan_groups WHERE plan_id = \(bind: plan.rawValue) ORDER BY position"
            ).all()
            var byPart: [String: [GroupRecord]] = [:]
            for row in groups {
                byPart[try row.decode(column: "part_code", as: String.self), default: []].append(
                    GroupRecord(
                        code: try row.decode(column: "code", as: String.self),
                        title: try row.decode(column: "title", as: String.self)))
            }
            return try await database.raw(
                """
                SELECT code, title, declared_count, found_count FROM plan_parts
                WHERE plan_id = \(bind: plan.rawValue) ORDER BY position
                """
            ).all().map { row in
                let code = try row.decode(column: "code", as: String.self)
                return PartRecord(
                    code: code, title: try row.decode(column: "title", as: String.self),
                    declaredCount: try row.decode(column: "declared_count", as: Int?.self),
                    foundCount: try row.decode(column: "found_count", as: Int.self), groups: byPart[code] ?? [])
            }
        }
    }

    func looseGroups(_ plan: PlanRecord.ID) async throws -> [GroupRecord] {
        try await read { database in
            try await database.raw(
                "SELECT code, title FROM plan_groups WHERE plan_id = \(bind: plan.rawValue) AND part_code = '' ORDER BY position"
            ).all().map {
                GroupRecord(
                    code: try $0.decode(column: "code", as: String.self), title: try $0.decode(column: "title", as: String.self))
            }
        }
    }

    func assignments(_ plan: PlanRecord.ID) async throws -> [AssignmentRecord] {
        try await read { database in
            let planDate = try await database.raw("SELECT date FROM plans WHERE id = \(bind: plan.rawValue)").first()?
                .decode(column: "date", as: String?.self).flatMap { LocalDate(iso: $0) }
            var links: [Int: (lead: [AgencyLink], coordinators: [AgencyLink])] = [:]
            for row in try await database.raw(
                """
                SELECT aa.assignment_id, aa.role, aa.agency_id, aa.name, aa.generic
                FROM assignment_agencies aa JOIN assignments a ON a.id = aa.assignment_id
                WHERE a.plan_id = \(bind: plan.rawValue) ORDER BY aa.assignment_id, aa.role, aa.position
                """
            ).all() {
                let id = try row.decode(column: "assignment_id", as: Int.self)
                let link = AgencyLink(
                    agencyID: try row.decode(column: "agency_id", as: Int?.self).map(AgencyRecord.ID.init),
                    name: try row.decode(column: "name", as: String.self),
                    generic: try row.decode(column: "generic", as: Int.self) != 0)
                if try row.decode(column: "role", as: String.self) == "lead" {
                    links[id, default: ([], [])].lead.append(link)
                } else {
                    links[id, default: ([], [])].coordinators.append(link)
                }
            }
            let versions = try await SQLStore.versions(on: database, plan: plan.rawValue, planDate: planDate)
            var deadlines: [String: Deadline] = [:]
            return try await database.raw(
                """
                SELECT id, code, part_code, group_code, number, parent_code, position, title, lead_text, coordinators_text,
                    deadline_text, output, line
                FROM assignments WHERE plan_id = \(bind: plan.rawValue) ORDER BY position
                """
            ).all().map { row in
                let id = try row.decode(column: "id", as: Int.self)
                let deadlineText = try row.decode(column: "deadline_text", as: String.self)
                let deadline = deadlines[deadlineText] ?? Deadline(parsing: deadlineText, planDate: planDate)
                deadlines[deadlineText] = deadline
                var record = AssignmentRecord(
                    id: AssignmentRecord.ID(id), code: try row.decode(column: "code", as: String.self),
                    part: try row.decode(column: "part_code", as: String?.self),
                    group: try row.decode(column: "group_code", as: String?.self),
                    number: try row.decode(column: "number", as: String.self),
                    parent: try row.decode(column: "parent_code", as: String?.self),
                    position: try row.decode(column: "position", as: Int.self),
                    title: try row.decode(column: "title", as: String.self),
                    leadText: try row.decode(column: "lead_text", as: String.self), lead: links[id]?.lead ?? [],
                    coordinatorsText: try row.decode(column: "coordinators_text", as: String.self),
                    coordinators: links[id]?.coordinators ?? [], deadline: deadline,
                    output: try row.decode(column: "output", as: String.self),
                    line: try row.decode(column: "line", as: Int.self))
                if let versions = versions[id] { record.trail = AmendmentTrail(versions: versions, current: record.wording) }
                return record
            }
        }
    }

    func search(_ plan: PlanRecord.ID, _ words: SearchWords) async throws -> Set<String> {
        // The matching codes come back joined in one row: a search that matches thousands of rows
        // spent most of its time decoding a row for each (codes hold no line breaks).
        let joined: SQLQueryString =
            sessions.backend == .postgres ? "string_agg(code, chr(10))" : "group_concat(code, char(10))"
        var query: SQLQueryString = "SELECT " + joined + " AS codes FROM assignments WHERE plan_id = \(bind: plan.rawValue)"
        // One LIKE per word on the folded column, which both databases compare the same way: the
        // column and the words are lowercase already, so SQLite's ASCII-only case folding in LIKE
        // and PostgreSQL's case-sensitive LIKE agree.
        for word in words.filterWords {
            var escaped = ""
            for character in word {
                if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
                escaped.append(character)
            }
            query = query + " AND search_text LIKE \(bind: "%\(escaped)%") ESCAPE '\\'"
        }
        let statement = query
        let codes = try await read { database in
            try await database.raw(statement).first()?.decode(column: "codes", as: String?.self)
        }
        return Set((codes ?? "").split(separator: "\n").map(String.init))
    }

    func agencies() async throws -> [AgencyRecord] {
        try await read { database in
            let aliases = try await SQLStore.aliases(on: database)
            return try await database.raw(
                "SELECT id, name, short_name, kind FROM agencies WHERE merged_into IS NULL ORDER BY folded_name, name"
            ).all().map { try SQLStore.agencyRecord($0, aliases: aliases) }
        }
    }

    func findings(_ plan: PlanRecord.ID) async throws -> [Finding] {
        try await read { database in
            try await database.raw(
                "SELECT severity, line, code, message FROM plan_findings WHERE plan_id = \(bind: plan.rawValue) ORDER BY position"
            ).all().compactMap { row in
                guard let severity = Finding.Severity(rawValue: try row.decode(column: "severity", as: String.self)),
                    let code = Finding.Code(rawValue: try row.decode(column: "code", as: String.self))
                else { return nil }
                return Finding(
                    severity, line: try row.decode(column: "line", as: Int.self), code,
                    try row.decode(column: "message", as: String.self))
            }
        }
    }
}
