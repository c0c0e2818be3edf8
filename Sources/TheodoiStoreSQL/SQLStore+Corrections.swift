import Foundation
import SQLKit
import TheodoiCore
import TheodoiStore

extension SQLStore {
    /// Writes corrections into the plan's text, each original kept in `text_corrections`, the
    /// plan's revision bumped so every page reads the corrected text; all or nothing.
    func correctText(_ plan: PlanRecord.ID, _ corrections: [TextCorrection], actor: AuditActor) async throws {
        guard !corrections.isEmpty else { return }
        let now = now()
        try await audited(actor) { database in
            for correction in corrections {
                let (table, column) = SQLStore.location(correction.field)
                // Only where the text is still the one the correction was made from.
                let set: SQLQueryString =
                    "UPDATE \(unsafeRaw: table) SET \(unsafeRaw: column) = \(bind: correction.corrected) WHERE "
                let still: SQLQueryString = " AND \(unsafeRaw: column) = \(bind: correction.original) RETURNING 1 AS done"
                let which: SQLQueryString
                switch correction.field {
                case .planTitle: which = "id = \(bind: plan.rawValue)"
                case .groupTitle:
                    let parts = correction.subject.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                    guard parts.count == 2 else { throw SQLStore.unknownField(correction) }
                    which = "plan_id = \(bind: plan.rawValue) AND part_code = \(bind: parts[0]) AND code = \(bind: parts[1])"
                default: which = "plan_id = \(bind: plan.rawValue) AND code = \(bind: correction.subject)"
                }
                var builder = set
                builder.appendInterpolation(which)
                builder.appendInterpolation(still)
                guard try await database.raw(builder).first() != nil else {
                    throw ProgressRefusal(
                        .conflict,
                        "\(correction.field.vietnamese) \(correction.subject) đã thay đổi từ khi trang được mở; hãy tải lại trang.",
                        api: "\(correction.key) no longer reads as the correction's original")
                }
                if correction.field == .title || correction.field == .output || correction.field == .coordinators {
                    try await SQLStore.refreshSearchText(plan, code: correction.subject, on: database)
                }
                try await database.raw(
                    """
                    INSERT INTO text_corrections (plan_id, field, subject, original, corrected, corrected_by, corrected_by_name,
                        corrected_at)
                    VALUES (\(bind: plan.rawValue), \(bind: correction.field.rawValue), \(bind: correction.subject),
                        \(bind: correction.original), \(bind: correction.corrected), \(bind: actor.userID?.rawValue),
                        \(bind: actor.displayName), \(bind: now))
                    """
                ).run()
            }
            try await database.raw(
                "UPDATE plans SET revision = revision + 1, updated_at = \(bind: now) WHERE id = \(bind: plan.rawValue)"
            ).run()
            return (
                (),
                AuditEntryDraft(
                    action: "plan.correct-text", subject: "plan:\(plan)",
                    before: .array(corrections.map { .object([("field", .string($0.key)), ("text", .string($0.original))]) }),
                    after: .array(corrections.map { .object([("field", .string($0.key)), ("text", .string($0.corrected))]) }))
            )
        }
    }

    /// The table and column of a field.
    static func location(_ field: TextCorrection.Field) -> (table: String, column: String) {
        switch field {
        case .planTitle: ("plans", "title")
        case .partTitle: ("plan_parts", "title")
        case .groupTitle: ("plan_groups", "title")
        case .title: ("assignments", "title")
        case .output: ("assignments", "output")
        case .coordinators: ("assignments", "coordinators_text")
        }
    }

    static func unknownField(_ correction: TextCorrection) -> ProgressRefusal {
        ProgressRefusal(.invalid, "Không rõ trường cần sửa (\(correction.key)).", api: "unknown field \(correction.key)")
    }

    /// Search reads the corrected words too.
    static func refreshSearchText(_ plan: PlanRecord.ID, code: String, on database: any SQLDatabase) async throws {
        guard
            let row = try await database.raw(
                """
                SELECT code, title, lead_text, coordinators_text, deadline_text, output FROM assignments
                WHERE plan_id = \(bind: plan.rawValue) AND code = \(bind: code)
                """
            ).first()
        else { return }
        let text = try ["code", "title", "lead_text", "coordinators_text", "deadline_text", "output"].map {
            try row.decode(column: $0, as: String.self)
        }.joined(separator: " ")
        try await database.raw(
            """
            UPDATE assignments SET search_text = \(bind: VietnameseText.folded(text))
            WHERE plan_id = \(bind: plan.rawValue) AND code = \(bind: code)
            """
        ).run()
    }

    static func textCorrections(_ plan: PlanRecord.ID, on database: any SQLDatabase) async throws -> [TextCorrection] {
        try await database.raw(
            """
            SELECT field, subject, original, corrected, corrected_by_name, corrected_at FROM text_corrections
            WHERE plan_id = \(bind: plan.rawValue) ORDER BY id
            """
        ).all().compactMap { row in
            guard let field = TextCorrection.Field(rawValue: try row.decode(column: "field", as: String.self)) else { return nil }
            return TextCorrection(
                field: field, subject: try row.decode(column: "subject", as: String.self),
                original: try row.decode(column: "original", as: String.self),
                corrected: try row.decode(column: "corrected", as: String.self),
                correctedByName: try row.decode(column: "corrected_by_name", as: String.self),
                correctedAt: try row.decode(column: "corrected_at", as: String.self))
        }
    }
}
