import Foundation
import TheodoiCatalog
import TheodoiCore
import TheodoiStore

/// What the office says of a file that amends a stored plan (quyết định sửa đổi, bổ sung).
public struct AmendmentInput: Sendable, Hashable {
    /// The slug of the plan it amends.
    public var plan: String
    /// Its own number and date; nil to take them from the file's heading.
    public var number: String?
    public var issuedOn: LocalDate?
    /// The file is the whole amended catalogue: tasks it no longer lists are ended (bãi bỏ).
    public var endsMissing: Bool

    public init(plan: String, number: String? = nil, issuedOn: LocalDate? = nil, endsMissing: Bool) {
        self.plan = plan
        self.number = number
        self.issuedOn = issuedOn
        self.endsMissing = endsMissing
    }
}

/// One field an amendment changes, with what it said and what it will say.
public struct AmendmentFieldChange: Sendable, Hashable {
    public var code: String
    public var field: String
    public var before: String
    public var after: String
}

extension CatalogueImporter {
    /// The plan an amendment file amends and the amendment's own number and date, or why not.
    func amendmentTarget(_ input: AmendmentInput, catalogue: Catalogue) async throws -> (PlanRecord, AmendmentRequest) {
        guard let plan = try await store.plan(input.plan), !plan.isDemo || input.plan == plan.slug else {
            throw ProgressRefusal(
                .invalid, "Hãy chọn kế hoạch được sửa đổi, bổ sung trong danh sách.", api: "no plan \(input.plan) to amend",
                field: "target")
        }
        if plan.stage == .closed { throw CatalogueImporter.closed(plan) }
        let typed = input.number.map(VietnameseText.collapsingWhitespace).flatMap { $0.isEmpty ? nil : $0 }
        guard let number = typed ?? catalogue.plan.number, !PlanRecord.slug(for: number).isEmpty else {
            throw ProgressRefusal(
                .invalid,
                "Tệp không ghi số hiệu của quyết định sửa đổi, bổ sung: hãy nhập vào ô “Số hiệu văn bản” (ví dụ 400-QĐ/TU).",
                api: "the amending decision's number is neither in the file nor given", field: "number")
        }
        guard PlanRecord.slug(for: number) != plan.slug else {
            throw ProgressRefusal(
                .invalid,
                "Số hiệu \(number) là của chính kế hoạch \(plan.number); quyết định sửa đổi, bổ sung có số hiệu riêng. "
                    + "Để nạp lại chính văn bản này, chọn loại “Kế hoạch, quyết định giao nhiệm vụ”.",
                api: "the amendment's number is the plan's own", field: "number")
        }
        guard let issuedOn = input.issuedOn ?? catalogue.plan.date else {
            throw ProgressRefusal(
                .invalid,
                "Tệp không ghi ngày ban hành của quyết định sửa đổi, bổ sung: hãy nhập vào ô “Ngày ban hành” (dd/mm/yyyy); "
                    + "các thay đổi có hiệu lực từ ngày đó.",
                api: "the amending decision's date is neither in the file nor given", field: "date")
        }
        if let planDate = plan.date, issuedOn < planDate {
            throw ProgressRefusal(
                .invalid,
                "Ngày ban hành \(issuedOn.vietnameseShort) của quyết định sửa đổi, bổ sung trước ngày của kế hoạch "
                    + "\(plan.number) (\(planDate.vietnameseShort)).",
                api: "the amendment is dated before the plan (\(planDate.iso))", field: "date")
        }
        return (plan, AmendmentRequest(number: number, issuedOn: issuedOn, endsMissing: input.endsMissing))
    }

    /// What importing an amendment file would do to its plan; stores nothing.
    public func previewAmendment(
        _ data: Data, sourceName: String, format: CatalogueFormat = .auto, input: AmendmentInput
    ) async throws -> CataloguePreview {
        var catalogue = try await read(converting: data, sourceName: sourceName, format: format, date: input.issuedOn)
        let (plan, amendment) = try await amendmentTarget(input, catalogue: catalogue)
        let stored = try await store.assignments(plan.id)
        CatalogueImporter.keepAmendmentFindings(&catalogue, stored: stored)
        let byCode = Dictionary(stored.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        var added: [String] = []
        var changed: [ImportResult.Change] = []
        var details: [AmendmentFieldChange] = []
        var endedByRow: Set<String> = []
        for assignment in catalogue.assignments {
            if AmendmentRequest.isEnding(title: assignment.title) {
                if let record = byCode[assignment.code], record.endedOn == nil { endedByRow.insert(record.code) }
                continue
            }
            guard let record = byCode[assignment.code] else {
                added.append(assignment.code)
                continue
            }
            let incoming = CatalogueChanges.wordingValues(assignment)
            var fields: [String] = []
            for (name, (before, after)) in zip(AssignmentWording.fieldNames, zip(record.wording.values, incoming))
            where before != after {
                fields.append(name)
                details.append(AmendmentFieldChange(code: assignment.code, field: name, before: before, after: after))
            }
            if !fields.isEmpty { changed.append(ImportResult.Change(code: assignment.code, fields: fields)) }
        }
        let incoming = Set(catalogue.assignments.map(\.code))
        let ended = stored.filter { record in
            endedByRow.contains(record.code)
                || (amendment.endsMissing && !incoming.contains(record.code) && record.endedOn == nil)
        }.map(\.code)
        let amendments = try await store.amendments(plan.id)
        var preview = CataloguePreview(
            catalogue: catalogue, number: plan.number, slug: plan.slug, existing: plan, added: added, changed: changed)
        preview.amendment = amendment
        preview.ended = ended
        preview.changeDetails = details
        preview.amendmentKnown = amendments.contains { $0.number == amendment.number }
        return preview
    }

    /// Records an amendment of a stored plan: what it adds, changes and ends, each a dated version of the task.
    public func importAmendment(
        _ data: Data, sourceName: String, format: CatalogueFormat = .auto, input: AmendmentInput,
        actor: AuditActor = .commandLine
    ) async throws -> ImportResult {
        var catalogue = try await read(converting: data, sourceName: sourceName, format: format, date: input.issuedOn)
        let (plan, amendment) = try await amendmentTarget(input, catalogue: catalogue)
        CatalogueImporter.keepAmendmentFindings(&catalogue, stored: try await store.assignments(plan.id))
        try await store.syncAgencyDirectory(parser.directory.entries)
        do {
            return try await store.importCatalogue(
                ImportRequest(
                    catalogue: catalogue, number: plan.number, sourceName: sourceName, actor: actor, amendment: amendment))
        } catch PlanStageError.closed {
            throw CatalogueImporter.closed(plan)
        } catch let error as AmendmentError {
            throw CatalogueImporter.refusal(error, plan: plan)
        }
    }

    /// An amendment lists only what it changes: numbers it skips, the empty cells of a "Bãi bỏ" row,
    /// a deadline it leaves as it was, and the heading it shares with its plan are not findings.
    static func keepAmendmentFindings(_ catalogue: inout Catalogue, stored: [AssignmentRecord]) {
        let deadlines = Dictionary(stored.map { ($0.code, $0.deadline.text) }, uniquingKeysWith: { first, _ in first })
        var quiet: Set<Int> = []
        for assignment in catalogue.assignments {
            if AmendmentRequest.isEnding(title: assignment.title) || deadlines[assignment.code] == assignment.deadline.text {
                quiet.insert(assignment.line)
            }
        }
        catalogue.findings.removeAll { finding in
            switch finding.code {
            case .missingPlanMetadata, .skippedNumber, .declaredCountMismatch: return true
            case .emptyLead, .deadlineBeforePlanDate, .unparsedDeadline: return quiet.contains(finding.line)
            default: return false
            }
        }
    }

    static func refusal(_ error: AmendmentError, plan: PlanRecord) -> ProgressRefusal {
        switch error {
        case .noSuchPlan(let number):
            ProgressRefusal(.invalid, "Không có kế hoạch \(number) để sửa đổi, bổ sung.", api: "no plan \(number) to amend")
        case .alreadyImported(let number):
            ProgressRefusal(
                .conflict,
                "Quyết định \(number) đã được nạp cho kế hoạch \(plan.number) trước đây với nội dung khác tệp này. "
                    + "Một quyết định chỉ nạp một lần; nếu có văn bản đính chính, hãy nạp văn bản đó với số hiệu của nó.",
                api: "amendment \(number) of plan \(plan.slug) was imported before with different content")
        case .beforePlan(let planDate):
            ProgressRefusal(
                .invalid, "Quyết định sửa đổi, bổ sung không thể ban hành trước kế hoạch (\(planDate.vietnameseShort)).",
                api: "the amendment is dated before the plan (\(planDate.iso))")
        }
    }
}
