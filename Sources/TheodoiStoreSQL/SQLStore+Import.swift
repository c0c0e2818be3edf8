import SQLKit
import TheodoiCatalog
import TheodoiCore
import TheodoiStore

extension SQLStore {
    /// Rows per multi-row INSERT (well under both databases' limits on bound values).
    static let batchSize = 200

    func syncAgencies(_ entries: [AgencyDirectory.Entry]) async throws {
        let backend = sessions.backend
        let now = now()
        try await sessions.withSession { database in
            try await Transaction.run(on: database, backend: backend) { database in
                try await SQLStore.lockCatalogue(on: database, backend: backend)
                // A renamed or merged agency keeps its old names as aliases: those are not re-added.
                var existing = Set(
                    try await database.raw("SELECT folded_name FROM agencies").all().map {
                        try $0.decode(column: "folded_name", as: String.self)
                    })
                existing.formUnion(
                    try await database.raw("SELECT folded FROM agency_aliases").all().map {
                        try $0.decode(column: "folded", as: String.self)
                    })
                let missing = entries.filter { !existing.contains(VietnameseText.folded($0.name)) }
                for batch in missing.chunked(SQLStore.batchSize) {
                    var query: SQLQueryString = "INSERT INTO agencies (name, short_name, kind, folded_name, created_at) VALUES "
                    for (index, entry) in batch.enumerated() {
                        query =
                            query + (index == 0 ? "" : ", ")
                            + "(\(bind: entry.name), \(bind: entry.short), \(bind: entry.kind.rawValue), \(bind: VietnameseText.folded(entry.name)), \(bind: now))"
                    }
                    try await database.raw(query + " ON CONFLICT (name) DO NOTHING").run()
                }
            }
        }
    }

    /// Imports and directory updates take turns on PostgreSQL (SQLite's single writer does this by
    /// itself): instances starting together on an empty database each try to load the seed, and
    /// the second must find the first one's plan, not collide with it.
    static func lockCatalogue(on database: any SQLDatabase, backend: SQLBackend) async throws {
        if backend == .postgres { try await database.raw("SELECT pg_advisory_xact_lock(\(bind: catalogueLockKey))").run() }
    }

    /// The advisory lock key of catalogue writes ("catalog" in ASCII).
    static let catalogueLockKey = 0x63_61_74_61_6C_6F_67

    func importCatalogue(_ request: ImportRequest) async throws -> ImportResult {
        let backend = sessions.backend
        let now = now()
        let slug = PlanRecord.slug(for: request.number)
        let outcome = try await sessions.withSession { database in
            try await Transaction.run(on: database, backend: backend) { database in
                try await SQLStore.lockCatalogue(on: database, backend: backend)
                let work = CatalogueImport(database: database, request: request, slug: slug, now: now)
                if let amendment = request.amendment {
                    let outcome = try await work.runAmendment(amendment)
                    // An amendment imported again, unchanged, is not a new event.
                    if outcome.recorded {
                        try await AuditLog.append(
                            on: database, backend: backend, at: now, actor: request.actor, action: "plan.amend",
                            subject: "plan:\(slug)", before: nil,
                            after: .object([
                                ("amendment", .string(amendment.number)), ("issuedOn", .string(amendment.issuedOn.iso)),
                                ("source", .string(request.sourceName)),
                                ("added", .array(outcome.added.map(JSONValue.string))),
                                ("changed", .array(outcome.changed.map { .string($0.code) })),
                                ("ended", .array(outcome.ended.map(JSONValue.string))),
                            ]))
                    }
                    return outcome
                }
                let outcome = try await work.run()
                try await AuditLog.append(
                    on: database, backend: backend, at: now, actor: request.actor,
                    action: outcome.created ? "plan.import" : "plan.reimport", subject: "plan:\(slug)", before: nil,
                    after: .object([
                        ("source", .string(request.sourceName)), ("assignments", .int(request.catalogue.assignments.count)),
                        ("added", .int(outcome.added.count)), ("changed", .array(outcome.changed.map { .string($0.code) })),
                        ("missing", .array(outcome.missing.map(JSONValue.string))),
                        ("planChanges", .array(outcome.planChanges.map(JSONValue.string))),
                    ]))
                return outcome
            }
        }
        guard let plan = try await plan(slug: slug) else { throw StoreError.planVanished(slug) }
        var amendment: AmendmentRecord?
        if let number = request.amendment?.number {
            amendment = try await amendments(plan.id).first { $0.number == number }
        }
        return ImportResult(
            plan: plan, created: outcome.created, added: outcome.added, changed: outcome.changed,
            missing: outcome.missing, planChanges: outcome.planChanges, ended: outcome.ended,
            keptAmended: outcome.keptAmended, amendment: amendment)
    }
}

/// A store operation that could not be done.
public enum StoreError: Error, CustomStringConvertible {
    case planVanished(String)

    public var description: String {
        switch self {
        case .planVanished(let slug): "plan \(slug) was imported but cannot be read back"
        }
    }
}

/// One import, inside its transaction.
struct CatalogueImport {
    let database: any SQLDatabase
    let request: ImportRequest
    let slug: String
    let now: String

    struct Outcome: Sendable {
        var created = false
        var added: [String] = []
        var changed: [ImportResult.Change] = []
        var missing: [String] = []
        var planChanges: [String] = []
        var ended: [String] = []
        var keptAmended: [String] = []
        /// An amendment was recorded (not one imported before, unchanged).
        var recorded = false
    }

    /// What is compared to decide whether a stored assignment changed, with its Vietnamese name.
    struct Fields: Equatable {
        var values: [String?]

        init(_ assignment: Catalogue.Assignment) { values = CatalogueChanges.assignmentFields(assignment) }

        init(_ row: any SQLRow) throws {
            values = [
                try row.decode(column: "part_code", as: String?.self), try row.decode(column: "group_code", as: String?.self),
                try row.decode(column: "number", as: String.self), try row.decode(column: "parent_code", as: String?.self),
                try row.decode(column: "title", as: String.self), try row.decode(column: "lead_text", as: String.self),
                try row.decode(column: "coordinators_text", as: String.self),
                try row.decode(column: "deadline_text", as: String.self), try row.decode(column: "output", as: String.self),
            ]
        }

        func differences(from other: Fields) -> [String] {
            CatalogueChanges.differences(CatalogueChanges.assignmentFieldNames, stored: values, incoming: other.values)
        }
    }

    func run() async throws -> Outcome {
        var outcome = Outcome()
        let catalogue = request.catalogue
        let header = catalogue.plan
        let planID: Int
        if let row = try await database.raw(
            "SELECT id, number, date, issuer, title, declared_count, source_name, stage FROM plans WHERE slug = \(bind: slug)"
        ).first() {
            planID = try row.decode(column: "id", as: Int.self)
            guard try row.decode(column: "stage", as: String.self) != PlanStage.closed.rawValue else {
                throw PlanStageError.closed(slug: slug)
            }
            let stored: [String?] = [
                try row.decode(column: "number", as: String.self), try row.decode(column: "date", as: String?.self),
                try row.decode(column: "issuer", as: String?.self), try row.decode(column: "title", as: String?.self),
                try row.decode(column: "declared_count", as: Int?.self).map(String.init),
            ]
            outcome.planChanges = CatalogueChanges.differences(
                CatalogueChanges.planFieldNames, stored: stored,
                incoming: CatalogueChanges.planFields(number: request.number, header: header))
            if !outcome.planChanges.isEmpty {
                try await database.raw(
                    """
                    UPDATE plans SET number = \(bind: request.number), date = \(bind: header.date?.iso), issuer = \(bind: header.issuer),
                        title = \(bind: header.title), declared_count = \(bind: header.declaredCount), updated_at = \(bind: now)
                    WHERE id = \(bind: planID)
                    """
                ).run()
            }
        } else {
            outcome.created = true
            let row = try await database.raw(
                """
                INSERT INTO plans (slug, number, date, issuer, title, declared_count, is_demo, source_name, revision, created_at, updated_at, stage,
                    owner_agency_id, implements_id)
                VALUES (\(bind: slug), \(bind: request.number), \(bind: header.date?.iso), \(bind: header.issuer), \(bind: header.title),
                    \(bind: header.declaredCount), \(bind: request.isDemo ? 1 : 0), \(bind: request.sourceName), 1, \(bind: now), \(bind: now),
                    \(bind: request.stage.rawValue), \(bind: request.owner?.rawValue), \(bind: request.implements?.rawValue))
                RETURNING id
                """
            ).first()
            guard let row else { throw StoreError.planVanished(slug) }
            planID = try row.decode(column: "id", as: Int.self)
        }

        let structureChanged = try await replaceStructureIfChanged(planID: planID, catalogue: catalogue)
        if structureChanged && !outcome.created { outcome.planChanges.append("các phần, nhóm") }

        // Agencies named by the catalogue, added when new (an unknown body is kept as written).
        let agencyIDs = try await ensureAgencies(catalogue)

        // Assignments by code: new ones inserted, changed ones updated, none deleted.
        var stored: [String: (id: Int, fields: Fields, position: Int, line: Int)] = [:]
        for row in try await database.raw(
            """
            SELECT id, code, part_code, group_code, number, parent_code, title, lead_text, coordinators_text, deadline_text,
                output, position, line
            FROM assignments WHERE plan_id = \(bind: planID)
            """
        ).all() {
            stored[try row.decode(column: "code", as: String.self)] = (
                try row.decode(column: "id", as: Int.self), try Fields(row), try row.decode(column: "position", as: Int.self),
                try row.decode(column: "line", as: Int.self)
            )
        }
        // A task an amendment changed is compared with what this decision said, not with the amended
        // wording: importing the decision again changes nothing, and never undoes an amendment.
        let versions = outcome.created ? [:] : try await SQLStore.versions(on: database, plan: planID, planDate: nil)
        var inserts: [(position: Int, assignment: Catalogue.Assignment)] = []
        var moved = false
        for (position, assignment) in catalogue.assignments.enumerated() {
            guard let existing = stored[assignment.code] else {
                inserts.append((position, assignment))
                continue
            }
            if let original = versions[existing.id]?.first(where: { $0.change == .changed })?.before {
                var fields = existing.fields
                fields.values.replaceSubrange(4..<9, with: original.values.map(Optional.some))
                if !fields.differences(from: Fields(assignment)).isEmpty { outcome.keptAmended.append(assignment.code) }
                continue
            }
            let differences = existing.fields.differences(from: Fields(assignment))
            if !differences.isEmpty {
                outcome.changed.append(ImportResult.Change(code: assignment.code, fields: differences))
                try await update(existing.id, assignment, position: position)
                try await replaceLinks(assignmentID: existing.id, assignment, agencyIDs: agencyIDs)
            } else if versions.isEmpty, existing.position != position || existing.line != assignment.line {
                // (An amended plan keeps its order: added tasks sit among the decision's own.)
                moved = true
                try await database.raw(
                    "UPDATE assignments SET position = \(bind: position), line = \(bind: assignment.line) WHERE id = \(bind: existing.id)"
                ).run()
            }
        }
        try await insert(inserts, planID: planID, agencyIDs: agencyIDs)
        outcome.added = inserts.map(\.assignment.code)
        // An implementation plan: each of its top-level tasks implements the task it was imported under.
        if outcome.created, let higher = request.implements {
            try await database.raw(
                """
                INSERT INTO assignment_links (lower_id, higher_id, created_by_name, created_at)
                SELECT id, \(bind: higher.rawValue), \(bind: request.actor.displayName), \(bind: now)
                FROM assignments WHERE plan_id = \(bind: planID) AND parent_code IS NULL
                """
            ).run()
        }
        let incomingCodes = Set(catalogue.assignments.map(\.code))
        // Tasks an amendment added are not the decision's own: never "missing" from it.
        outcome.missing = stored.filter { code, row in
            !incomingCodes.contains(code) && !(versions[row.id] ?? []).contains { $0.change == .added }
        }.keys.sorted()

        let anything =
            outcome.created || !outcome.added.isEmpty || !outcome.changed.isEmpty || !outcome.planChanges.isEmpty || moved
        if anything {
            try await database.raw("DELETE FROM plan_findings WHERE plan_id = \(bind: planID)").run()
            for batch in Array(catalogue.findings.enumerated()).chunked(SQLStore.batchSize) {
                var query: SQLQueryString = "INSERT INTO plan_findings (plan_id, position, severity, line, code, message) VALUES "
                for (index, item) in batch.enumerated() {
                    let finding = item.element
                    query =
                        query + (index == 0 ? "" : ", ")
                        + "(\(bind: planID), \(bind: item.offset), \(bind: finding.severity.rawValue), \(bind: finding.line), \(bind: finding.code.rawValue), \(bind: finding.message))"
                }
                try await database.raw(query).run()
            }
            if !outcome.created {
                try await database.raw(
                    "UPDATE plans SET revision = revision + 1, updated_at = \(bind: now), source_name = \(bind: request.sourceName) WHERE id = \(bind: planID)"
                ).run()
            }
        }
        return outcome
    }

    /// Parts and groups are the catalogue's structure: replaced when they differ.
    func replaceStructureIfChanged(planID: Int, catalogue: Catalogue) async throws -> Bool {
        var incomingParts: [[String?]] = []
        var incomingGroups: [[String?]] = []
        for part in catalogue.parts {
            incomingParts.append([part.code, part.title, part.declaredCount.map(String.init), String(part.foundCount)])
            for group in part.groups { incomingGroups.append([part.code, group.code, group.title]) }
        }
        for group in catalogue.groups { incomingGroups.append(["", group.code, group.title]) }
        let storedParts = try await database.raw(
            "SELECT code, title, declared_count, found_count FROM plan_parts WHERE plan_id = \(bind: planID) ORDER BY position"
        ).all().map { row -> [String?] in
            [
                try row.decode(column: "code", as: String.self), try row.decode(column: "title", as: String.self),
                try row.decode(column: "declared_count", as: Int?.self).map(String.init),
                String(try row.decode(column: "found_count", as: Int.self)),
            ]
        }
        let storedGroups = try await database.raw(
            "SELECT part_code, code, title FROM plan_groups WHERE plan_id = \(bind: planID) ORDER BY position"
        ).all().map { row -> [String?] in
            [
                try row.decode(column: "part_code", as: String.self), try row.decode(column: "code", as: String.self),
                try row.decode(column: "title", as: String.self),
            ]
        }
        guard storedParts != incomingParts || storedGroups != incomingGroups else { return false }
        try await database.raw("DELETE FROM plan_parts WHERE plan_id = \(bind: planID)").run()
        try await database.raw("DELETE FROM plan_groups WHERE plan_id = \(bind: planID)").run()
        for (position, part) in catalogue.parts.enumerated() {
            try await database.raw(
                """
                INSERT INTO plan_parts (plan_id, code, title, declared_count, found_count, position)
                VALUES (\(bind: planID), \(bind: part.code), \(bind: part.title), \(bind: part.declaredCount), \(bind: part.foundCount), \(bind: position))
                """
            ).run()
        }
        for (position, group) in incomingGroups.enumerated() {
            try await database.raw(
                """
                INSERT INTO plan_groups (plan_id, part_code, code, title, position)
                VALUES (\(bind: planID), \(bind: group[0] ?? ""), \(bind: group[1] ?? ""), \(bind: group[2] ?? ""), \(bind: position))
                """
            ).run()
        }
        return true
    }

    /// Ids of every non-generic agency the catalogue names, inserting the ones not stored yet.
    func ensureAgencies(_ catalogue: Catalogue) async throws -> [String: Int] {
        var ids: [String: Int] = [:]
        // Names the admin renamed or merged away resolve through aliases to the agency now holding them.
        for row in try await database.raw("SELECT agency_id, alias FROM agency_aliases").all() {
            ids[try row.decode(column: "alias", as: String.self)] = try row.decode(column: "agency_id", as: Int.self)
        }
        for row in try await database.raw("SELECT id, name FROM agencies WHERE merged_into IS NULL").all() {
            ids[try row.decode(column: "name", as: String.self)] = try row.decode(column: "id", as: Int.self)
        }
        var missing: [String: AgencyKind] = [:]
        var order: [String] = []
        for assignment in catalogue.assignments {
            for reference in assignment.lead + assignment.coordinators where !reference.generic && ids[reference.name] == nil {
                if missing[reference.name] == nil { order.append(reference.name) }
                missing[reference.name] = reference.kind ?? .unknown
            }
        }
        for name in order {
            let row = try await database.raw(
                """
                INSERT INTO agencies (name, short_name, kind, folded_name, created_at)
                VALUES (\(bind: name), \(bind: name), \(bind: (missing[name] ?? .unknown).rawValue), \(bind: VietnameseText.folded(name)), \(bind: now))
                RETURNING id
                """
            ).first()
            if let row { ids[name] = try row.decode(column: "id", as: Int.self) }
        }
        return ids
    }

    static func searchText(_ assignment: Catalogue.Assignment) -> String {
        VietnameseText.folded(
            [
                assignment.code, assignment.title, assignment.leadText, assignment.coordinatorsText, assignment.deadline.text,
                assignment.output,
            ].joined(separator: " "))
    }

    func update(_ id: Int, _ assignment: Catalogue.Assignment, position: Int) async throws {
        try await database.raw(
            """
            UPDATE assignments SET part_code = \(bind: assignment.part), group_code = \(bind: assignment.group),
                number = \(bind: assignment.number), parent_code = \(bind: assignment.parent), position = \(bind: position),
                title = \(bind: assignment.title), lead_text = \(bind: assignment.leadText),
                coordinators_text = \(bind: assignment.coordinatorsText), deadline_text = \(bind: assignment.deadline.text),
                deadline_kind = \(bind: assignment.deadline.kind.rawValue), deadline_due = \(bind: assignment.deadline.due?.iso),
                output = \(bind: assignment.output), line = \(bind: assignment.line),
                search_text = \(bind: CatalogueImport.searchText(assignment)), updated_at = \(bind: now)
            WHERE id = \(bind: id)
            """
        ).run()
    }

    func insert(
        _ rows: [(position: Int, assignment: Catalogue.Assignment)], planID: Int, agencyIDs: [String: Int]
    ) async throws {
        for batch in rows.chunked(SQLStore.batchSize) {
            var query: SQLQueryString = """
                INSERT INTO assignments (plan_id, code, part_code, group_code, number, parent_code, position, title, lead_text,
                    coordinators_text, deadline_text, deadline_kind, deadline_due, output, line, search_text, created_at, updated_at)
                VALUES
                """
            for (index, row) in batch.enumerated() {
                let assignment = row.assignment
                query =
                    query + (index == 0 ? " " : ", ")
                        + """
                        (\(bind: planID), \(bind: assignment.code), \(bind: assignment.part), \(bind: assignment.group),
                        \(bind: assignment.number), \(bind: assignment.parent), \(bind: row.position), \(bind: assignment.title),
                        \(bind: assignment.leadText), \(bind: assignment.coordinatorsText), \(bind: assignment.deadline.text),
                        \(bind: assignment.deadline.kind.rawValue), \(bind: assignment.deadline.due?.iso), \(bind: assignment.output),
                        \(bind: assignment.line), \(bind: CatalogueImport.searchText(assignment)), \(bind: now), \(bind: now))
                        """
            }
            let returned = try await database.raw(query + " RETURNING id, code").all()
            var idsByCode: [String: Int] = [:]
            for row in returned {
                idsByCode[try row.decode(column: "code", as: String.self)] = try row.decode(column: "id", as: Int.self)
            }
            var links: [(id: Int, role: String, position: Int, link: AgencyReference)] = []
            for row in batch {
                guard let id = idsByCode[row.assignment.code] else { continue }
                links += row.assignment.lead.enumerated().map { (id, "lead", $0.offset, $0.element) }
                links += row.assignment.coordinators.enumerated().map { (id, "coordinator", $0.offset, $0.element) }
            }
            try await insertLinks(links, agencyIDs: agencyIDs)
        }
    }

    func replaceLinks(assignmentID: Int, _ assignment: Catalogue.Assignment, agencyIDs: [String: Int]) async throws {
        try await database.raw("DELETE FROM assignment_agencies WHERE assignment_id = \(bind: assignmentID)").run()
        var links: [(id: Int, role: String, position: Int, link: AgencyReference)] = []
        links += assignment.lead.enumerated().map { (assignmentID, "lead", $0.offset, $0.element) }
        links += assignment.coordinators.enumerated().map { (assignmentID, "coordinator", $0.offset, $0.element) }
        try await insertLinks(links, agencyIDs: agencyIDs)
    }

    func insertLinks(
        _ links: [(id: Int, role: String, position: Int, link: AgencyReference)], agencyIDs: [String: Int]
    ) async throws {
        for batch in links.chunked(SQLStore.batchSize * 2) {
            var query: SQLQueryString =
                "INSERT INTO assignment_agencies (assignment_id, role, position, agency_id, name, generic) VALUES "
            for (index, item) in batch.enumerated() {
                let agencyID = item.link.generic ? nil : agencyIDs[item.link.name]
                query =
                    query + (index == 0 ? "" : ", ")
                    + "(\(bind: item.id), \(bind: item.role), \(bind: item.position), \(bind: agencyID), \(bind: item.link.name), \(bind: item.link.generic ? 1 : 0))"
            }
            try await database.raw(query).run()
        }
    }
}

extension Array {
    /// The array in consecutive slices of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
