import SQLKit
import TheodoiCore
import TheodoiStore

extension SQLStore {
    func setPlanPublished(_ slug: String, _ published: Bool, actor: AuditActor) async throws -> PlanRecord? {
        let now = now()
        let changed: Bool? = try await audited(actor) { database in
            guard let row = try await database.raw("SELECT published FROM plans WHERE slug = \(bind: slug)").first() else {
                return (nil, nil)
            }
            let before = try row.decode(column: "published", as: Int.self) != 0
            guard before != published else { return (false, nil) }
            try await database.raw(
                "UPDATE plans SET published = \(bind: published ? 1 : 0), updated_at = \(bind: now) WHERE slug = \(bind: slug)"
            ).run()
            return (
                true,
                AuditEntryDraft(
                    action: published ? "plan.publish" : "plan.unpublish", subject: "plan:\(slug)",
                    before: .object([("published", .bool(before))]), after: .object([("published", .bool(published))]))
            )
        }
        guard changed != nil else { return nil }
        return try await plan(slug: slug)
    }

    func setPlanStage(_ change: PlanStageChange, actor: AuditActor) async throws -> PlanRecord? {
        let now = now()
        let found: Bool = try await audited(actor) { database in
            guard
                let row = try await database.raw("SELECT id, stage FROM plans WHERE slug = \(bind: change.slug)").first()
            else { return (false, nil) }
            let planID = try row.decode(column: "id", as: Int.self)
            let current = PlanStage(rawValue: try row.decode(column: "stage", as: String.self)) ?? .active
            guard current == change.from else { throw PlanStageError.stale(current: current) }
            var closing: (id: Int, number: String)?
            if change.to == .closed {
                guard let id = change.finalReport,
                    let report = try await database.raw(
                        """
                        SELECT r.id, r.number FROM issued_reports r
                        WHERE r.id = \(bind: id) AND r.plan_id = \(bind: planID)
                            AND NOT EXISTS (SELECT 1 FROM issued_reports s WHERE s.supersedes_id = r.id)
                        """
                    ).first()
                else { throw PlanStageError.noSuchFinalReport }
                closing = (try report.decode(column: "id", as: Int.self), try report.decode(column: "number", as: String.self))
            }
            try await database.raw(
                """
                UPDATE plans SET stage = \(bind: change.to.rawValue), stage_changed_on = \(bind: change.on.iso),
                    closing_report_id = \(bind: closing?.id), revision = revision + 1, updated_at = \(bind: now)
                WHERE id = \(bind: planID)
                """
            ).run()
            let action =
                switch (change.from, change.to) {
                case (.draft, .active): "plan.activate"
                case (_, .closed): "plan.close"
                case (.closed, _): "plan.reopen"
                default: "plan.stage"
                }
            var after: [(String, JSONValue)] = [("stage", .string(change.to.rawValue)), ("on", .string(change.on.iso))]
            if let closing { after.append(("finalReport", .string(closing.number))) }
            if !change.reason.isEmpty { after.append(("reason", .string(change.reason))) }
            return (
                true,
                AuditEntryDraft(
                    action: action, subject: "plan:\(change.slug)", before: .object([("stage", .string(current.rawValue))]),
                    after: .object(after))
            )
        }
        guard found else { return nil }
        return try await plan(slug: change.slug)
    }

    static func agencyRecord(_ row: any SQLRow, aliases: [Int: [String]]) throws -> AgencyRecord {
        let id = try row.decode(column: "id", as: Int.self)
        return AgencyRecord(
            id: AgencyRecord.ID(id), name: try row.decode(column: "name", as: String.self),
            shortName: try row.decode(column: "short_name", as: String.self),
            kind: AgencyKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .unknown,
            aliases: aliases[id] ?? [])
    }

    static func aliases(on database: any SQLDatabase, agency: Int? = nil) async throws -> [Int: [String]] {
        let rows =
            if let agency {
                try await database.raw(
                    "SELECT agency_id, alias FROM agency_aliases WHERE agency_id = \(bind: agency) ORDER BY folded"
                )
                .all()
            } else {
                try await database.raw("SELECT agency_id, alias FROM agency_aliases ORDER BY folded").all()
            }
        var result: [Int: [String]] = [:]
        for row in rows {
            result[try row.decode(column: "agency_id", as: Int.self), default: []].append(
                try row.decode(column: "alias", as: String.self))
        }
        return result
    }

    static func agency(_ id: Int, on database: any SQLDatabase) async throws -> AgencyRecord? {
        guard
            let row = try await database.raw(
                "SELECT id, name, short_name, kind FROM agencies WHERE id = \(bind: id) AND merged_into IS NULL"
            ).first()
        else { return nil }
        return try agencyRecord(row, aliases: try await aliases(on: database, agency: id))
    }

    static func auditValue(_ agency: AgencyRecord) -> JSONValue {
        .object([
            ("name", .string(agency.name)), ("shortName", .string(agency.shortName)), ("kind", .string(agency.kind.rawValue)),
            ("aliases", .array(agency.aliases.map(JSONValue.string))),
        ])
    }

    func updateAgency(_ id: AgencyRecord.ID, _ change: AgencyChange, actor: AuditActor) async throws -> AgencyRecord {
        try await audited(actor) { database in
            guard let before = try await SQLStore.agency(id.rawValue, on: database) else {
                throw CatalogueStoreError.noSuchAgency(id)
            }
            let name = VietnameseText.collapsingWhitespace(change.name)
            let folded = VietnameseText.folded(name)
            if let clash = try await database.raw(
                "SELECT name FROM agencies WHERE folded_name = \(bind: folded) AND id <> \(bind: id.rawValue) AND merged_into IS NULL"
            ).first() {
                throw CatalogueStoreError.agencyNameTaken(try clash.decode(column: "name", as: String.self))
            }
            // The old name stays an alias, so catalogues written with it still resolve here.
            var aliases: [String] = []
            var seen: Set<String> = [folded]
            for alias in change.aliases + (before.name != name ? [before.name] : []) {
                let alias = VietnameseText.collapsingWhitespace(alias)
                let key = VietnameseText.folded(alias)
                guard !alias.isEmpty, seen.insert(key).inserted else { continue }
                if let owner = try await database.raw(
                    """
                    SELECT a.name FROM agency_aliases l JOIN agencies a ON a.id = l.agency_id
                    WHERE l.folded = \(bind: key) AND l.agency_id <> \(bind: id.rawValue)
                    UNION SELECT name FROM agencies WHERE folded_name = \(bind: key) AND id <> \(bind: id.rawValue) AND merged_into IS NULL
                    """
                ).first() {
                    throw CatalogueStoreError.aliasTaken(alias: alias, agency: try owner.decode(column: "name", as: String.self))
                }
                aliases.append(alias)
            }
            try await database.raw(
                """
                UPDATE agencies SET name = \(bind: name), short_name = \(bind: VietnameseText.collapsingWhitespace(change.shortName)),
                    kind = \(bind: change.kind.rawValue), folded_name = \(bind: folded)
                WHERE id = \(bind: id.rawValue)
                """
            ).run()
            try await database.raw("DELETE FROM agency_aliases WHERE agency_id = \(bind: id.rawValue)").run()
            for alias in aliases {
                try await database.raw(
                    """
                    INSERT INTO agency_aliases (agency_id, alias, folded)
                    VALUES (\(bind: id.rawValue), \(bind: alias), \(bind: VietnameseText.folded(alias)))
                    """
                ).run()
            }
            // Links keep the text the catalogue wrote; the agency id carries the new name.
            guard let after = try await SQLStore.agency(id.rawValue, on: database) else {
                throw CatalogueStoreError.noSuchAgency(id)
            }
            guard before != after else { return (after, nil) }
            try await SQLStore.bumpRevisions(agencies: [id], on: database)
            return (
                after,
                AuditEntryDraft(
                    action: "agency.update", subject: "agency:\(id)", before: SQLStore.auditValue(before),
                    after: SQLStore.auditValue(after))
            )
        }
    }

    func mergeAgencies(_ source: AgencyRecord.ID, into target: AgencyRecord.ID, actor: AuditActor) async throws -> AgencyRecord {
        guard source != target else { throw CatalogueStoreError.mergeIntoItself }
        return try await audited(actor) { database in
            guard let from = try await SQLStore.agency(source.rawValue, on: database) else {
                throw CatalogueStoreError.noSuchAgency(source)
            }
            guard let into = try await SQLStore.agency(target.rawValue, on: database) else {
                throw CatalogueStoreError.noSuchAgency(target)
            }
            let links =
                try await database.raw(
                    "SELECT COUNT(*) AS n FROM assignment_agencies WHERE agency_id = \(bind: source.rawValue)"
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            let users =
                try await database.raw("SELECT COUNT(*) AS n FROM users WHERE agency_id = \(bind: source.rawValue)").first()?
                .decode(column: "n", as: Int.self) ?? 0
            try await database.raw(
                "UPDATE assignment_agencies SET agency_id = \(bind: target.rawValue) WHERE agency_id = \(bind: source.rawValue)"
            ).run()
            try await database.raw(
                "UPDATE users SET agency_id = \(bind: target.rawValue) WHERE agency_id = \(bind: source.rawValue)"
            )
            .run()
            try await database.raw(
                "UPDATE agency_aliases SET agency_id = \(bind: target.rawValue) WHERE agency_id = \(bind: source.rawValue)"
            ).run()
            let folded = VietnameseText.folded(from.name)
            if try await database.raw("SELECT folded FROM agency_aliases WHERE folded = \(bind: folded)").first() == nil,
                folded != VietnameseText.folded(into.name)
            {
                try await database.raw(
                    "INSERT INTO agency_aliases (agency_id, alias, folded) VALUES (\(bind: target.rawValue), \(bind: from.name), \(bind: folded))"
                ).run()
            }
            try await database.raw(
                "UPDATE agencies SET merged_into = \(bind: target.rawValue) WHERE id = \(bind: source.rawValue) OR merged_into = \(bind: source.rawValue)"
            ).run()
            // Plans whose rows point at the agency show its new name: their caches must reload.
            try await SQLStore.bumpRevisions(agencies: [target], on: database)
            guard let merged = try await SQLStore.agency(target.rawValue, on: database) else {
                throw CatalogueStoreError.noSuchAgency(target)
            }
            return (
                merged,
                AuditEntryDraft(
                    action: "agency.merge", subject: "agency:\(target)",
                    before: .object([("source", SQLStore.auditValue(from)), ("target", SQLStore.auditValue(into))]),
                    after: .object([
                        ("target", SQLStore.auditValue(merged)), ("movedLinks", .int(links)), ("movedUsers", .int(users)),
                        ("retired", .int(source.rawValue)),
                    ]))
            )
        }
    }

    /// Moves the revision of every plan that links one of `agencies`, so page caches reload.
    static func bumpRevisions(agencies: [AgencyRecord.ID], on database: any SQLDatabase) async throws {
        for id in agencies {
            try await database.raw(
                """
                UPDATE plans SET revision = revision + 1 WHERE id IN (
                    SELECT a.plan_id FROM assignments a JOIN assignment_agencies l ON l.assignment_id = a.id
                    WHERE l.agency_id = \(bind: id.rawValue))
                """
            ).run()
        }
    }
}
