import SQLKit
import TheodoiCore
import TheodoiStore

extension SQLStore {
    public var links: LinkStore {
        LinkStore(
            links: { [self] assignment in
                try await read { database in
                    try await SQLStore.links(
                        where: "l.lower_id = \(bind: assignment.rawValue) OR l.higher_id = \(bind: assignment.rawValue)",
                        on: database)
                }
            },
            add: { [self] lower, higher, actor in try await addLink(lower: lower, higher: higher, actor: actor) },
            remove: { [self] id, actor in try await removeLink(id, actor: actor) })
    }

    static let linkColumns: SQLQueryString = """
        SELECT l.id, l.created_by_name, l.created_at,
            lo.id AS lo_id, lo.code AS lo_code, lo.title AS lo_title, lp.id AS lo_plan, lp.slug AS lo_slug, lp.number AS lo_number,
            hi.id AS hi_id, hi.code AS hi_code, hi.title AS hi_title, hp.id AS hi_plan, hp.slug AS hi_slug, hp.number AS hi_number
        FROM assignment_links l
            JOIN assignments lo ON lo.id = l.lower_id JOIN plans lp ON lp.id = lo.plan_id
            JOIN assignments hi ON hi.id = l.higher_id JOIN plans hp ON hp.id = hi.plan_id
        """

    static func links(where condition: SQLQueryString, on database: any SQLDatabase) async throws -> [AssignmentLink] {
        try await database.raw(linkColumns + " WHERE " + condition + " ORDER BY l.id").all().map(link)
    }

    static func link(_ row: any SQLRow) throws -> AssignmentLink {
        func task(_ prefix: String) throws -> LinkedTask {
            LinkedTask(
                assignmentID: AssignmentRecord.ID(try row.decode(column: "\(prefix)_id", as: Int.self)),
                planID: PlanRecord.ID(try row.decode(column: "\(prefix)_plan", as: Int.self)),
                planSlug: try row.decode(column: "\(prefix)_slug", as: String.self),
                planNumber: try row.decode(column: "\(prefix)_number", as: String.self),
                code: try row.decode(column: "\(prefix)_code", as: String.self),
                title: try row.decode(column: "\(prefix)_title", as: String.self))
        }
        return AssignmentLink(
            id: AssignmentLink.ID(try row.decode(column: "id", as: Int.self)), lower: try task("lo"), higher: try task("hi"),
            createdByName: try row.decode(column: "created_by_name", as: String.self),
            createdAt: try row.decode(column: "created_at", as: String.self))
    }

    func addLink(lower: AssignmentRecord.ID, higher: AssignmentRecord.ID, actor: AuditActor) async throws -> AssignmentLink {
        let now = now()
        return try await audited(actor) { database in
            let plans = try await database.raw(
                "SELECT id, plan_id FROM assignments WHERE id IN (\(bind: lower.rawValue), \(bind: higher.rawValue))"
            ).all().map { (try $0.decode(column: "id", as: Int.self), try $0.decode(column: "plan_id", as: Int.self)) }
            guard plans.count == 2 else { throw LinkStoreError.noSuchAssignment }
            guard plans[0].1 != plans[1].1 else { throw LinkStoreError.samePlan }
            let existing = try await database.raw(
                """
                SELECT 1 AS found FROM assignment_links
                WHERE (lower_id = \(bind: lower.rawValue) AND higher_id = \(bind: higher.rawValue))
                    OR (lower_id = \(bind: higher.rawValue) AND higher_id = \(bind: lower.rawValue))
                """
            ).first()
            guard existing == nil else { throw LinkStoreError.exists }
            guard
                let row = try await database.raw(
                    """
                    INSERT INTO assignment_links (lower_id, higher_id, created_by_name, created_at)
                    VALUES (\(bind: lower.rawValue), \(bind: higher.rawValue), \(bind: actor.displayName), \(bind: now)) RETURNING id
                    """
                ).first()
            else { throw SQLStoreFailure.noRowReturned("assignment_links") }
            let id = try row.decode(column: "id", as: Int.self)
            guard let link = try await SQLStore.links(where: "l.id = \(bind: id)", on: database).first else {
                throw SQLStoreFailure.noRowReturned("assignment_links")
            }
            return (
                link,
                AuditEntryDraft(
                    action: "link.add", subject: "plan:\(link.lower.planSlug)/\(link.lower.code)", before: nil,
                    after: .object([("implements", .string("\(link.higher.planSlug)/\(link.higher.code)"))]))
            )
        }
    }

    func removeLink(_ id: AssignmentLink.ID, actor: AuditActor) async throws -> Bool {
        try await audited(actor) { database in
            guard let link = try await SQLStore.links(where: "l.id = \(bind: id.rawValue)", on: database).first else {
                return (false, nil)
            }
            try await database.raw("DELETE FROM assignment_links WHERE id = \(bind: id.rawValue)").run()
            return (
                true,
                AuditEntryDraft(
                    action: "link.remove", subject: "plan:\(link.lower.planSlug)/\(link.lower.code)",
                    before: .object([("implements", .string("\(link.higher.planSlug)/\(link.higher.code)"))]), after: nil)
            )
        }
    }
}
