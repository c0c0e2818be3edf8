import SQLKit
import TheodoiCatalog
import TheodoiCore
import TheodoiStore

extension CatalogueImport {
    /// A decision amending a stored plan: tasks the file has and the plan lacks are added, tasks whose
    /// wording differs are changed (what they said is kept as a version), and — when the file is the
    /// whole amended catalogue — tasks it no longer lists are ended. Nothing is deleted; the plan's
    /// own heading and structure stay as its decision wrote them.
    func runAmendment(_ amendment: AmendmentRequest) async throws -> Outcome {
        var outcome = Outcome()
        guard
            let planRow = try await database.raw("SELECT id, stage, date FROM plans WHERE slug = \(bind: slug)").first()
        else { throw AmendmentError.noSuchPlan(request.number) }
        let planID = try planRow.decode(column: "id", as: Int.self)
        guard try planRow.decode(column: "stage", as: String.self) != PlanStage.closed.rawValue else {
            throw PlanStageError.closed(slug: slug)
        }
        if let planDate = try planRow.decode(column: "date", as: String?.self).flatMap(LocalDate.init(iso:)),
            amendment.issuedOn < planDate
        {
            throw AmendmentError.beforePlan(planDate: planDate)
        }
        let versions = try await SQLStore.versions(on: database, plan: planID, planDate: nil)
        struct Stored {
            var id: Int
            var code: String
            var part: String?
            var parent: String?
            var position: Int
            var wording: [String]
        }
        var stored: [Stored] = []
        for row in try await database.raw(
            """
            SELECT id, code, part_code, parent_code, position, title, lead_text, coordinators_text, deadline_text, output
            FROM assignments WHERE plan_id = \(bind: planID) ORDER BY position
            """
        ).all() {
            stored.append(
                Stored(
                    id: try row.decode(column: "id", as: Int.self), code: try row.decode(column: "code", as: String.self),
                    part: try row.decode(column: "part_code", as: String?.self),
                    parent: try row.decode(column: "parent_code", as: String?.self),
                    position: try row.decode(column: "position", as: Int.self),
                    wording: [
                        try row.decode(column: "title", as: String.self), try row.decode(column: "lead_text", as: String.self),
                        try row.decode(column: "coordinators_text", as: String.self),
                        try row.decode(column: "deadline_text", as: String.self),
                        try row.decode(column: "output", as: String.self),
                    ]))
        }
        let ended = Set(versions.filter { $0.value.contains { $0.change == .ended } }.keys)
        let byCode = Dictionary(stored.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [(stored: Stored, assignment: Catalogue.Assignment, fields: [String])] = []
        var additions: [Catalogue.Assignment] = []
        var endedByRow: Set<String> = []
        for assignment in request.catalogue.assignments {
            if AmendmentRequest.isEnding(title: assignment.title) {
                if let existing = byCode[assignment.code], !ended.contains(existing.id) { endedByRow.insert(existing.code) }
                continue
            }
            guard let existing = byCode[assignment.code] else {
                additions.append(assignment)
                continue
            }
            let incoming = CatalogueChanges.wordingValues(assignment)
            let fields = zip(AssignmentWording.fieldNames, zip(existing.wording, incoming)).filter { $0.1.0 != $0.1.1 }.map(\.0)
            if !fields.isEmpty { changes.append((existing, assignment, fields)) }
        }
        let incomingCodes = Set(request.catalogue.assignments.map(\.code))
        let endings = stored.filter { row in
            endedByRow.contains(row.code)
                || (amendment.endsMissing && !incomingCodes.contains(row.code) && !ended.contains(row.id))
        }
        outcome.added = additions.map(\.code)
        outcome.changed = changes.map { ImportResult.Change(code: $0.assignment.code, fields: $0.fields) }
        outcome.ended = endings.map(\.code)

        // The same amendment again: nothing to do when it says the same, refused when it says otherwise.
        if try await database.raw(
            "SELECT id FROM plan_amendments WHERE plan_id = \(bind: planID) AND number = \(bind: amendment.number)"
        ).first() != nil {
            guard additions.isEmpty && changes.isEmpty && endings.isEmpty else {
                throw AmendmentError.alreadyImported(number: amendment.number)
            }
            return outcome
        }
        guard
            let amendmentRow = try await database.raw(
                """
                INSERT INTO plan_amendments (plan_id, number, issued_on, source_name, created_by_name, created_at)
                VALUES (\(bind: planID), \(bind: amendment.number), \(bind: amendment.issuedOn.iso), \(bind: request.sourceName),
                    \(bind: request.actor.displayName), \(bind: now))
                RETURNING id
                """
            ).first()
        else { throw StoreError.planVanished(slug) }
        let amendmentID = try amendmentRow.decode(column: "id", as: Int.self)
        outcome.recorded = true
        let agencyIDs = try await ensureAgencies(request.catalogue)

        for change in changes {
            let versionID = try await insertVersion(
                assignmentID: change.stored.id, amendmentID: amendmentID, change: .changed, fields: change.fields,
                before: change.stored.wording)
            try await database.raw(
                """
                INSERT INTO assignment_version_agencies (version_id, role, position, agency_id, name, generic)
                SELECT \(bind: versionID), role, position, agency_id, name, generic FROM assignment_agencies
                WHERE assignment_id = \(bind: change.stored.id)
                """
            ).run()
            let assignment = change.assignment
            try await database.raw(
                """
                UPDATE assignments SET title = \(bind: assignment.title), lead_text = \(bind: assignment.leadText),
                    coordinators_text = \(bind: assignment.coordinatorsText), deadline_text = \(bind: assignment.deadline.text),
                    deadline_kind = \(bind: assignment.deadline.kind.rawValue), deadline_due = \(bind: assignment.deadline.due?.iso),
                    output = \(bind: assignment.output), search_text = \(bind: CatalogueImport.searchText(assignment)),
                    updated_at = \(bind: now)
                WHERE id = \(bind: change.stored.id)
                """
            ).run()
            try await replaceLinks(assignmentID: change.stored.id, assignment, agencyIDs: agencyIDs)
        }

        // An added task goes after the last task of its part (or of its parent), in the file's order.
        var order = stored.map { (code: $0.code, part: $0.part, parent: $0.parent) }
        for assignment in additions {
            let anchor =
                order.lastIndex { row in
                    if let parent = assignment.parent { return row.code == parent || row.parent == parent }
                    return row.part == assignment.part
                } ?? (order.count - 1)
            let position = anchor + 1
            try await database.raw(
                "UPDATE assignments SET position = position + 1 WHERE plan_id = \(bind: planID) AND position >= \(bind: position)"
            ).run()
            try await insert([(position, assignment)], planID: planID, agencyIDs: agencyIDs)
            order.insert((assignment.code, assignment.part, assignment.parent), at: position)
            if let row = try await database.raw(
                "SELECT id FROM assignments WHERE plan_id = \(bind: planID) AND code = \(bind: assignment.code)"
            ).first() {
                _ = try await insertVersion(
                    assignmentID: try row.decode(column: "id", as: Int.self), amendmentID: amendmentID, change: .added,
                    fields: [], before: nil)
            }
        }
        for ending in endings {
            _ = try await insertVersion(
                assignmentID: ending.id, amendmentID: amendmentID, change: .ended, fields: [], before: nil)
        }
        try await database.raw(
            "UPDATE plans SET revision = revision + 1, updated_at = \(bind: now) WHERE id = \(bind: planID)"
        ).run()
        return outcome
    }

    private func insertVersion(
        assignmentID: Int, amendmentID: Int, change: AssignmentVersion.Change, fields: [String], before: [String]?
    ) async throws -> Int {
        let row = try await database.raw(
            """
            INSERT INTO assignment_versions (assignment_id, amendment_id, change, fields, title, lead_text, coordinators_text,
                deadline_text, output)
            VALUES (\(bind: assignmentID), \(bind: amendmentID), \(bind: change.rawValue), \(bind: fields.joined(separator: "; ")),
                \(bind: before?[0]), \(bind: before?[1]), \(bind: before?[2]), \(bind: before?[3]), \(bind: before?[4]))
            RETURNING id
            """
        ).first()
        guard let row else { throw StoreError.planVanished(slug) }
        return try row.decode(column: "id", as: Int.self)
    }
}
