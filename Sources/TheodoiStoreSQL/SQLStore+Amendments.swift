import SQLKit
import TheodoiCore
import TheodoiStore

extension SQLStore {
    func amendments(_ plan: PlanRecord.ID) async throws -> [AmendmentRecord] {
        try await read { database in
            try await database.raw(
                """
                SELECT m.id, m.number, m.issued_on, m.source_name,
                    SUM(CASE WHEN v.change = 'added' THEN 1 ELSE 0 END) AS added,
                    SUM(CASE WHEN v.change = 'changed' THEN 1 ELSE 0 END) AS changed,
                    SUM(CASE WHEN v.change = 'ended' THEN 1 ELSE 0 END) AS ended
                FROM plan_amendments m LEFT JOIN assignment_versions v ON v.amendment_id = m.id
                WHERE m.plan_id = \(bind: plan.rawValue)
                GROUP BY m.id, m.number, m.issued_on, m.source_name
                ORDER BY m.issued_on, m.id
                """
            ).all().compactMap { row in
                guard let issuedOn = LocalDate(iso: try row.decode(column: "issued_on", as: String.self)) else { return nil }
                return AmendmentRecord(
                    id: try row.decode(column: "id", as: Int.self), number: try row.decode(column: "number", as: String.self),
                    issuedOn: issuedOn, sourceName: try row.decode(column: "source_name", as: String.self),
                    added: try row.decode(column: "added", as: Int?.self) ?? 0,
                    changed: try row.decode(column: "changed", as: Int?.self) ?? 0,
                    ended: try row.decode(column: "ended", as: Int?.self) ?? 0)
            }
        }
    }

    /// The amendments of a plan's tasks by assignment id, oldest first (by the amending decision's
    /// date, then the order they were recorded).
    static func versions(
        on database: any SQLDatabase, plan: Int, planDate: LocalDate?
    ) async throws -> [Int: [AssignmentVersion]] {
        var agencies: [Int: (lead: [AgencyLink], coordinators: [AgencyLink])] = [:]
        for row in try await database.raw(
            """
            SELECT va.version_id, va.role, va.agency_id, va.name, va.generic
            FROM assignment_version_agencies va JOIN assignment_versions v ON v.id = va.version_id
                JOIN plan_amendments m ON m.id = v.amendment_id
            WHERE m.plan_id = \(bind: plan) ORDER BY va.version_id, va.role, va.position
            """
        ).all() {
            let id = try row.decode(column: "version_id", as: Int.self)
            let link = AgencyLink(
                agencyID: try row.decode(column: "agency_id", as: Int?.self).map(AgencyRecord.ID.init),
                name: try row.decode(column: "name", as: String.self),
                generic: try row.decode(column: "generic", as: Int.self) != 0)
            if try row.decode(column: "role", as: String.self) == "lead" {
                agencies[id, default: ([], [])].lead.append(link)
            } else {
                agencies[id, default: ([], [])].coordinators.append(link)
            }
        }
        var versions: [Int: [AssignmentVersion]] = [:]
        for row in try await database.raw(
            """
            SELECT v.id, v.assignment_id, v.change, v.fields, v.title, v.lead_text, v.coordinators_text, v.deadline_text,
                v.output, m.number, m.issued_on
            FROM assignment_versions v JOIN plan_amendments m ON m.id = v.amendment_id
            WHERE m.plan_id = \(bind: plan) ORDER BY m.issued_on, v.id
            """
        ).all() {
            guard let change = AssignmentVersion.Change(rawValue: try row.decode(column: "change", as: String.self)),
                let takesEffect = LocalDate(iso: try row.decode(column: "issued_on", as: String.self))
            else { continue }
            let id = try row.decode(column: "id", as: Int.self)
            var before: AssignmentWording?
            if change == .changed {
                before = AssignmentWording(
                    title: try row.decode(column: "title", as: String?.self) ?? "",
                    leadText: try row.decode(column: "lead_text", as: String?.self) ?? "",
                    lead: agencies[id]?.lead ?? [],
                    coordinatorsText: try row.decode(column: "coordinators_text", as: String?.self) ?? "",
                    coordinators: agencies[id]?.coordinators ?? [],
                    deadline: Deadline(
                        parsing: try row.decode(column: "deadline_text", as: String?.self) ?? "", planDate: planDate),
                    output: try row.decode(column: "output", as: String?.self) ?? "")
            }
            let fields = try row.decode(column: "fields", as: String.self)
            versions[try row.decode(column: "assignment_id", as: Int.self), default: []].append(
                AssignmentVersion(
                    change: change, amendment: try row.decode(column: "number", as: String.self), takesEffect: takesEffect,
                    fields: fields.split(separator: "; ").map(String.init), before: before))
        }
        return versions
    }
}
