import Foundation
import SQLKit
import TheodoiCore
import TheodoiStore

extension SQLStore {
    /// The `ReportStore` backed by this store.
    public var reports: ReportStore {
        ReportStore(
            settings: { [self] plan in try await read { try await SQLStore.reportSettings(plan, on: $0) } },
            saveSettings: { [self] plan, settings, actor in try await saveReportSettings(plan, settings, actor: actor) },
            digests: { [self] plan, asOf in try await read { try await SQLStore.digests(plan, asOf: asOf, on: $0) } },
            issue: { [self] input, actor in try await issueReport(input, actor: actor) },
            issuedReports: { [self] plan in try await read { try await SQLStore.issuedReports(plan, on: $0) } },
            issuedFile: { [self] id in try await read { try await SQLStore.issuedFile(id.rawValue, on: $0) } })
    }

    // MARK: Writes

    func saveReportSettings(_ plan: PlanRecord.ID, _ settings: ReportSettings, actor: AuditActor) async throws {
        let now = now()
        let content = try SQLStore.json(settings)
        try await audited(actor) { database in
            let before = try await SQLStore.reportSettings(plan, on: database)
            let updated = try await database.raw(
                """
                UPDATE report_settings SET content = \(bind: content), updated_by_name = \(bind: actor.displayName),
                    updated_at = \(bind: now)
                WHERE plan_id = \(bind: plan.rawValue) RETURNING plan_id
                """
            ).first()
            if updated == nil {
                try await database.raw(
                    """
                    INSERT INTO report_settings (plan_id, content, updated_by_name, updated_at)
                    VALUES (\(bind: plan.rawValue), \(bind: content), \(bind: actor.displayName), \(bind: now))
                    """
                ).run()
            }
            return (
                (),
                AuditEntryDraft(
                    action: "report.settings", subject: "plan:\(plan)", before: before.map(SQLStore.auditValue),
                    after: SQLStore.auditValue(settings))
            )
        }
    }

    func issueReport(_ input: IssueInput, actor: AuditActor) async throws -> IssuedReportRecord {
        let now = now()
        return try await audited(actor) { database in
            if !input.numberKey.isEmpty,
                let taken = try await database.raw(
                    """
                    SELECT number, title, issued_on FROM issued_reports
                    WHERE issuer_key = \(bind: input.issuerKey) AND number_year = \(bind: input.issuedOn.year)
                        AND number_key = \(bind: input.numberKey)
                    """
                ).first()
            {
                throw IssuedReportRecord.numberTaken(
                    number: input.number, numberKey: input.numberKey, year: input.issuedOn.year,
                    title: try taken.decode(column: "title", as: String.self),
                    issuedOn: LocalDate(iso: try taken.decode(column: "issued_on", as: String.self)))
            }
            if let supersedes = input.supersedes {
                guard
                    let old = try await database.raw(
                        """
                        SELECT r.number, (SELECT n.id FROM issued_reports n WHERE n.supersedes_id = r.id) AS replaced_by
                        FROM issued_reports r WHERE r.id = \(bind: supersedes.rawValue) AND r.plan_id = \(bind: input.planID.rawValue)
                        """
                    ).first()
                else {
                    throw ProgressRefusal(
                        .conflict, "Không có báo cáo đã ban hành số \(supersedes) của kế hoạch này để thay thế.",
                        api: "no issued report \(supersedes) in this plan")
                }
                if try old.decode(column: "replaced_by", as: Int?.self) != nil {
                    let number = try old.decode(column: "number", as: String.self)
                    throw ProgressRefusal(
                        .conflict, "Báo cáo \(number) đã được thay thế bằng một báo cáo khác.",
                        api: "issued report \(supersedes) is already superseded")
                }
            }
            guard
                let row = try await database.raw(
                    """
                    INSERT INTO issued_reports (plan_id, number, title, period, as_of, scope, scope_label, issued_by,
                        issued_by_name, issued_at, issued_on, issuer_key, number_key, number_year, supersedes_id)
                    VALUES (\(bind: input.planID.rawValue), \(bind: input.number), \(bind: input.title), \(bind: input.period),
                        \(bind: input.asOf.iso), \(bind: input.scope), \(bind: input.scopeLabel), \(bind: actor.userID?.rawValue),
                        \(bind: actor.displayName), \(bind: now), \(bind: input.issuedOn.iso), \(bind: input.issuerKey),
                        \(bind: input.numberKey), \(bind: input.issuedOn.year), \(bind: input.supersedes?.rawValue))
                    RETURNING id
                    """
                ).first()
            else { throw SQLStoreFailure.noRowReturned("issued_reports") }
            let reportID = try row.decode(column: "id", as: Int.self)
            var files: [IssuedFileInfo] = []
            for file in input.files {
                guard
                    let fileRow = try await database.raw(
                        """
                        INSERT INTO issued_report_files (issued_report_id, kind, file_name, content_type, size, sha256, data)
                        VALUES (\(bind: reportID), \(bind: file.kind), \(bind: file.fileName), \(bind: file.contentType),
                            \(bind: file.bytes.count), \(bind: file.sha256), \(bind: Data(file.bytes)))
                        RETURNING id
                        """
                    ).first()
                else { throw SQLStoreFailure.noRowReturned("issued_report_files") }
                files.append(
                    IssuedFileInfo(
                        id: IssuedFileInfo.ID(try fileRow.decode(column: "id", as: Int.self)),
                        reportID: IssuedReportRecord.ID(reportID), kind: file.kind, fileName: file.fileName,
                        contentType: file.contentType, size: file.bytes.count, sha256: file.sha256))
            }
            let record = IssuedReportRecord(
                id: IssuedReportRecord.ID(reportID), planID: input.planID, number: input.number, title: input.title,
                period: input.period, asOf: input.asOf, scope: input.scope, scopeLabel: input.scopeLabel,
                issuedByName: actor.displayName, issuedAt: now, issuedOn: input.issuedOn, files: files,
                supersedes: input.supersedes)
            return (
                record,
                AuditEntryDraft(
                    action: "report.issue", subject: "issued-report:\(reportID)", before: nil,
                    after: .object([
                        ("plan", .string(input.planNumber)), ("number", .string(input.number)), ("title", .string(input.title)),
                        ("asOf", .string(input.asOf.iso)), ("scope", .string(input.scopeLabel)),
                        ("supersedes", input.supersedes.map { .int($0.rawValue) } ?? .null),
                        (
                            "files",
                            .array(
                                files.map {
                                    .object([
                                        ("name", .string($0.fileName)), ("size", .int($0.size)), ("sha256", .string($0.sha256)),
                                    ])
                                })
                        ),
                    ]))
            )
        }
    }

    // MARK: Reads

    static func reportSettings(_ plan: PlanRecord.ID, on database: any SQLDatabase) async throws -> ReportSettings? {
        guard
            let row = try await database.raw(
                "SELECT content FROM report_settings WHERE plan_id = \(bind: plan.rawValue)"
            ).first()
        else { return nil }
        return try JSONDecoder().decode(ReportSettings.self, from: Data(try row.decode(column: "content", as: String.self).utf8))
    }

    static func digests(_ plan: PlanRecord.ID, asOf: LocalDate, on database: any SQLDatabase) async throws -> [ReportDigest] {
        // Within one agency and kind a report is sent before the next one is started, so ids
        // order them as they were sent.
        try await database.raw(
            """
            SELECT r.id, r.assignment_id, r.agency_id, g.name AS agency_name, r.kind, r.claimed_stage, r.percent, r.result,
                r.achieved_on, r.difficulties, r.proposals, r.submitted_on, v.decision, v.decided_on, v.reason
            FROM reports r
            JOIN agencies g ON g.id = r.agency_id
            LEFT JOIN reviews v ON v.report_id = r.id AND v.decided_on <= \(bind: asOf.iso)
                AND (v.reversed_on IS NULL OR v.reversed_on > \(bind: asOf.iso))
            WHERE r.plan_id = \(bind: plan.rawValue) AND r.state <> 'draft' AND r.submitted_on <= \(bind: asOf.iso)
                AND (r.withdrawn_on IS NULL OR r.withdrawn_on > \(bind: asOf.iso))
            ORDER BY r.id
            """
        ).all().map { row in
            ReportDigest(
                reportID: ReportRecord.ID(try row.decode(column: "id", as: Int.self)),
                assignmentID: AssignmentRecord.ID(try row.decode(column: "assignment_id", as: Int.self)),
                agencyID: AgencyRecord.ID(try row.decode(column: "agency_id", as: Int.self)),
                agencyName: try row.decode(column: "agency_name", as: String.self),
                kind: ReportKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .report,
                claimedStage: ClaimedStage(rawValue: try row.decode(column: "claimed_stage", as: String.self)) ?? .inProgress,
                percent: try row.decode(column: "percent", as: Int.self),
                result: try row.decode(column: "result", as: String.self),
                achievedOn: try row.decode(column: "achieved_on", as: String?.self).flatMap { LocalDate(iso: $0) },
                difficulties: try row.decode(column: "difficulties", as: String.self),
                proposals: try row.decode(column: "proposals", as: String.self),
                submittedOn: try row.decode(column: "submitted_on", as: String?.self).flatMap { LocalDate(iso: $0) } ?? asOf,
                decision: try row.decode(column: "decision", as: String?.self).flatMap { ReviewDecision(rawValue: $0) },
                decidedOn: try row.decode(column: "decided_on", as: String?.self).flatMap { LocalDate(iso: $0) },
                decisionReason: try row.decode(column: "reason", as: String?.self) ?? "")
        }
    }

    static let issuedFileColumns = "id, issued_report_id, kind, file_name, content_type, size, sha256"

    static func issuedFileInfo(_ row: any SQLRow) throws -> IssuedFileInfo {
        IssuedFileInfo(
            id: IssuedFileInfo.ID(try row.decode(column: "id", as: Int.self)),
            reportID: IssuedReportRecord.ID(try row.decode(column: "issued_report_id", as: Int.self)),
            kind: try row.decode(column: "kind", as: String.self), fileName: try row.decode(column: "file_name", as: String.self),
            contentType: try row.decode(column: "content_type", as: String.self),
            size: try row.decode(column: "size", as: Int.self), sha256: try row.decode(column: "sha256", as: String.self))
    }

    static func issuedReports(_ plan: PlanRecord.ID, on database: any SQLDatabase) async throws -> [IssuedReportRecord] {
        let files = try await database.raw(
            """
            SELECT f.id, f.issued_report_id, f.kind, f.file_name, f.content_type, f.size, f.sha256
            FROM issued_report_files f JOIN issued_reports r ON r.id = f.issued_report_id
            WHERE r.plan_id = \(bind: plan.rawValue) ORDER BY f.id
            """
        ).all().map(issuedFileInfo)
        let byReport = Dictionary(grouping: files, by: \.reportID)
        return try await database.raw(
            """
            SELECT r.id, r.plan_id, r.number, r.title, r.period, r.as_of, r.scope, r.scope_label, r.issued_by_name, r.issued_at,
                r.issued_on, r.supersedes_id, (SELECT n.id FROM issued_reports n WHERE n.supersedes_id = r.id) AS superseded_by
            FROM issued_reports r WHERE r.plan_id = \(bind: plan.rawValue) ORDER BY r.id DESC
            """
        ).all().map { row in
            let id = IssuedReportRecord.ID(try row.decode(column: "id", as: Int.self))
            return IssuedReportRecord(
                id: id, planID: PlanRecord.ID(try row.decode(column: "plan_id", as: Int.self)),
                number: try row.decode(column: "number", as: String.self),
                title: try row.decode(column: "title", as: String.self),
                period: try row.decode(column: "period", as: String.self),
                asOf: LocalDate(iso: try row.decode(column: "as_of", as: String.self)) ?? LocalDate(daysSinceEpoch: 0),
                scope: try row.decode(column: "scope", as: String.self),
                scopeLabel: try row.decode(column: "scope_label", as: String.self),
                issuedByName: try row.decode(column: "issued_by_name", as: String.self),
                issuedAt: try row.decode(column: "issued_at", as: String.self),
                issuedOn: LocalDate(iso: try row.decode(column: "issued_on", as: String.self)) ?? LocalDate(daysSinceEpoch: 0),
                files: byReport[id] ?? [],
                supersedes: try row.decode(column: "supersedes_id", as: Int?.self).map(IssuedReportRecord.ID.init),
                supersededBy: try row.decode(column: "superseded_by", as: Int?.self).map(IssuedReportRecord.ID.init))
        }
    }

    static func issuedFile(_ id: Int, on database: any SQLDatabase) async throws -> (info: IssuedFileInfo, bytes: [UInt8])? {
        guard
            let row = try await database.raw(
                "SELECT \(unsafeRaw: issuedFileColumns), data FROM issued_report_files WHERE id = \(bind: id)"
            ).first()
        else { return nil }
        return (try issuedFileInfo(row), [UInt8](try row.decode(column: "data", as: Data.self)))
    }

    static func auditValue(_ settings: ReportSettings) -> JSONValue {
        .object([
            ("format", .string(settings.format.rawValue)), ("issuer", .array(settings.issuerLines.map { .string($0) })),
            ("numberSuffix", .string(settings.numberSuffix)), ("place", .string(settings.place)),
            ("signatureAuthority", .array(settings.signatureAuthority.map { .string($0) })), ("signer", .string(settings.signer)),
            ("recipients", .array(settings.recipients.map { .string($0) })),
        ])
    }
}
