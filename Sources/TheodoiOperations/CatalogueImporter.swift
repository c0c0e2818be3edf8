import Foundation
import TheodoiCatalog
import TheodoiCore
import TheodoiStore

/// Importing catalogues into the store: a file, or the bundled seed on first start.
public struct CatalogueImporter: Sendable {
    public let store: StoreClient
    public let parser: CatalogueParser
    /// LibreOffice, to read .doc, .odt and .rtf files (as .docx); nil where it is not installed.
    public var converter: OfficeConverter?
    /// poppler's pdftotext, to read PDFs with a text layer; nil where it is not installed.
    public var pdfText: PDFTextExtractor?
    /// Tesseract, to read scanned copies; nil where it is not installed.
    public var recognizer: CharacterRecognizer?

    public init(
        store: StoreClient, parser: CatalogueParser, converter: OfficeConverter? = nil, pdfText: PDFTextExtractor? = nil,
        recognizer: CharacterRecognizer? = nil
    ) {
        self.store = store
        self.parser = parser
        self.converter = converter
        self.pdfText = pdfText
        self.recognizer = recognizer
    }

    /// A file in the form the parser reads: an older office document converted, a PDF's table
    /// rebuilt, a scan recognised (`progress` tells its pages); what is already readable as it is.
    public func readable(_ data: Data, progress: CharacterRecognizer.Progress? = nil) async throws(ImportError) -> Data {
        do {
            return try await CatalogueFile.converted(
                data, converter: converter, pdfText: pdfText, recognizer: recognizer, progress: progress)
        } catch {
            throw .unreadable(error)
        }
    }

    /// Reads a file, converting an older office document first.
    public func read(
        converting data: Data, sourceName: String, format: CatalogueFormat = .auto, date: LocalDate? = nil,
        progress: CharacterRecognizer.Progress? = nil
    ) async throws(ImportError) -> Catalogue {
        try read(try await readable(data, progress: progress), sourceName: sourceName, format: format, date: date)
    }

    /// Why a file could not be imported.
    public enum ImportError: Error, CustomStringConvertible {
        case unreadable(CatalogueReadError)
        case noNumber

        public var description: String {
            switch self {
            case .unreadable(let error): error.message
            case .noNumber:
                "Không tìm thấy số hiệu văn bản (ví dụ “kèm theo Quyết định số 343-QĐ/TU …”) ở đầu tệp; "
                    + "hãy ghi rõ bằng --number."
            }
        }
    }

    /// Reads a catalogue file of any supported format (XLSX included) without storing anything.
    public func read(
        _ data: Data, sourceName: String, format: CatalogueFormat = .auto, date: LocalDate? = nil
    ) throws(ImportError) -> Catalogue {
        // A date the office typed is what deadlines are read against when the file gives none.
        var parser = parser
        parser.givenDate = date
        do {
            return try CatalogueFile.parse(data, fileName: sourceName, format: format, parser: parser)
        } catch {
            throw .unreadable(error)
        }
    }

    /// Parses and stores a catalogue; the same file twice changes nothing.
    public func importCatalogue(
        _ data: Data, sourceName: String, format: CatalogueFormat = .auto, number: String? = nil, isDemo: Bool = false,
        date: LocalDate? = nil, issuer: String? = nil, actor: AuditActor = .commandLine,
        progress: CharacterRecognizer.Progress? = nil, stage: PlanStage = .active
    ) async throws -> ImportResult {
        var catalogue = try await read(
            converting: data, sourceName: sourceName, format: format, date: date, progress: progress)
        CatalogueImporter.fill(&catalogue, number: number, date: date, issuer: issuer)
        let number = try CatalogueImporter.number(number, catalogue)
        if let plan = try await store.plan(PlanRecord.slug(for: number)), plan.stage == .closed {
            throw CatalogueImporter.closed(plan)
        }
        try await store.syncAgencyDirectory(parser.directory.entries)
        do {
            return try await store.importCatalogue(
                ImportRequest(
                    catalogue: catalogue, number: number, sourceName: sourceName, isDemo: isDemo, actor: actor, stage: stage))
        } catch PlanStageError.closed(let slug) {
            throw ProgressRefusal(
                .conflict, "Kế hoạch đã kết thúc: không nạp lại danh mục được nữa.",
                api: "plan \(slug) is closed; it is read-only")
        }
    }

    /// A closed plan takes no new catalogue (a reopened one does).
    static func closed(_ plan: PlanRecord) -> ProgressRefusal {
        ProgressRefusal(
            .conflict,
            "Kế hoạch \(plan.number) đã kết thúc\(plan.stageChangedOn.map { " ngày \($0.vietnameseShort)" } ?? ""): "
                + "không nạp lại hay sửa danh mục được nữa. Quản trị hệ thống có thể mở lại kế hoạch nếu thật cần.",
            api: "plan \(plan.slug) is closed; it is read-only")
    }

    /// What importing a file would do, worked out from what is stored; stores nothing.
    public func preview(
        _ data: Data, sourceName: String, format: CatalogueFormat = .auto, number: String? = nil,
        date: LocalDate? = nil, issuer: String? = nil
    ) async throws -> CataloguePreview {
        var catalogue = try await read(converting: data, sourceName: sourceName, format: format, date: date)
        CatalogueImporter.fill(&catalogue, number: number, date: date, issuer: issuer)
        let number = try CatalogueImporter.number(number, catalogue)
        let slug = PlanRecord.slug(for: number)
        guard let plan = try await store.plan(slug) else {
            return CataloguePreview(
                catalogue: catalogue, number: number, slug: slug, existing: nil, added: catalogue.assignments.map(\.code))
        }
        if plan.stage == .closed { throw CatalogueImporter.closed(plan) }
        let stored = try await store.assignments(plan.id)
        let storedByCode = Dictionary(stored.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        var added: [String] = []
        var changed: [ImportResult.Change] = []
        var keptAmended: [String] = []
        for assignment in catalogue.assignments {
            guard var record = storedByCode[assignment.code] else {
                added.append(assignment.code)
                continue
            }
            // An amended task is compared with what the decision said: the amendment stays (as the store does).
            let amended = !(record.trail?.changes.isEmpty ?? true)
            if amended, let original = record.trail?.original { record.wording = original }
            let fields = CatalogueChanges.differences(
                CatalogueChanges.assignmentFieldNames, stored: CatalogueChanges.assignmentFields(record),
                incoming: CatalogueChanges.assignmentFields(assignment))
            if amended {
                if !fields.isEmpty { keptAmended.append(assignment.code) }
            } else if !fields.isEmpty {
                changed.append(ImportResult.Change(code: assignment.code, fields: fields))
            }
        }
        let incoming = Set(catalogue.assignments.map(\.code))
        var planChanges = CatalogueChanges.differences(
            CatalogueChanges.planFieldNames, stored: CatalogueChanges.planFields(plan),
            incoming: CatalogueChanges.planFields(number: number, header: catalogue.plan))
        if try await structureDiffers(plan.id, catalogue) { planChanges.append("các phần, nhóm") }
        var preview = CataloguePreview(
            catalogue: catalogue, number: number, slug: slug, existing: plan, added: added, changed: changed,
            missing: stored.filter { !incoming.contains($0.code) && $0.addedOn == nil }.map(\.code).sorted(),
            planChanges: planChanges)
        preview.keptAmended = keptAmended
        return preview
    }

    /// The number to store the plan under: the one given, else the one the file names.
    /// The date and issuing body the office typed, for a document that does not say them (a draft, a
    /// copy without its heading); once the number and date are known, the finding that asked for them goes.
    static func fill(_ catalogue: inout Catalogue, number: String?, date: LocalDate?, issuer: String?) {
        if let date { catalogue.plan.date = date }
        if let issuer = issuer.map(VietnameseText.collapsingWhitespace), !issuer.isEmpty { catalogue.plan.issuer = issuer }
        let hasNumber = catalogue.plan.number != nil || !(number ?? "").trimmingCharacters(in: .whitespaces).isEmpty
        if hasNumber, catalogue.plan.date != nil {
            catalogue.findings.removeAll { $0.code == .missingPlanMetadata }
        }
    }

    static func number(_ given: String?, _ catalogue: Catalogue) throws(ImportError) -> String {
        let given = given.map { VietnameseText.collapsingWhitespace($0) }.flatMap { $0.isEmpty ? nil : $0 }
        guard let number = given ?? catalogue.plan.number, !PlanRecord.slug(for: number).isEmpty else { throw .noNumber }
        return number
    }

    /// Whether the parts and groups differ from the stored ones (the store replaces them then).
    private func structureDiffers(_ plan: PlanRecord.ID, _ catalogue: Catalogue) async throws -> Bool {
        let parts = try await store.parts(plan)
        let loose = try await store.looseGroups(plan)
        let storedParts = parts.map { [$0.code, $0.title, $0.declaredCount.map(String.init), String($0.foundCount)] }
        let incomingParts = catalogue.parts.map {
            [$0.code, $0.title, $0.declaredCount.map(String.init), String($0.foundCount)]
        }
        let storedGroups =
            parts.flatMap { part in part.groups.map { [part.code, $0.code, $0.title] } }
            + loose.map { ["", $0.code, $0.title] }
        let incomingGroups =
            catalogue.parts.flatMap { part in part.groups.map { [part.code, $0.code, $0.title] } }
            + catalogue.groups.map { ["", $0.code, $0.title] }
        return storedParts != incomingParts || storedGroups != incomingGroups
    }

    /// On a database with no real plan, imports the bundled 343-QĐ/TU catalogue; otherwise does
    /// nothing. An interrupted first import left nothing (it is one transaction), so it runs again.
    @discardableResult
    public func loadSeedIfEmpty() async throws -> ImportResult? {
        try await store.syncAgencyDirectory(parser.directory.entries)
        guard try await store.plans().allSatisfy(\.isDemo) else { return nil }
        return try await importCatalogue(try SeedCatalogue.data(), sourceName: SeedCatalogue.fileName)
    }
}

extension ImportResult {
    /// What an import did, in Vietnamese, for the command line.
    public var report: String {
        var lines: [String] = []
        let name = "\(plan.number) (\(plan.slug))"
        if let amendment {
            if isUnchanged {
                lines.append("\(amendment.citation) đã được nạp cho kế hoạch \(name) trước đây: không thay đổi gì.")
            } else {
                lines.append("Đã điều chỉnh kế hoạch \(name) theo \(amendment.citation).")
                if !added.isEmpty { lines.append("  Bổ sung \(added.count) nhiệm vụ: \(added.joined(separator: ", ")).") }
                for change in changed { lines.append("  \(change.code): điều chỉnh \(change.fields.joined(separator: ", ")).") }
                if !ended.isEmpty { lines.append("  Bãi bỏ \(ended.count) nhiệm vụ: \(ended.joined(separator: ", ")).") }
                lines.append(
                    "  Nội dung cũ được giữ lại; số liệu tính đến trước ngày \(amendment.issuedOn.vietnameseShort) vẫn theo nội dung cũ."
                )
            }
            return lines.joined(separator: "\n")
        }
        if created {
            lines.append("Đã nhập kế hoạch \(name): \(added.count) nhiệm vụ.")
        } else if isUnchanged {
            lines.append("Kế hoạch \(name) không thay đổi: tệp giống hệt lần nhập trước.")
        } else {
            lines.append("Đã cập nhật kế hoạch \(name).")
            if !planChanges.isEmpty { lines.append("  Thông tin kế hoạch thay đổi: \(planChanges.joined(separator: ", ")).") }
            if !added.isEmpty { lines.append("  Thêm \(added.count) nhiệm vụ: \(added.joined(separator: ", ")).") }
            for change in changed { lines.append("  \(change.code): đổi \(change.fields.joined(separator: ", ")).") }
        }
        if !missing.isEmpty {
            lines.append(
                "  \(missing.count) nhiệm vụ không còn trong tệp nhưng vẫn được giữ nguyên (không xóa): \(missing.joined(separator: ", "))."
            )
        }
        if !keptAmended.isEmpty {
            lines.append(
                "  \(keptAmended.count) nhiệm vụ đã được sửa đổi bằng quyết định khác nên giữ nội dung đã sửa đổi: \(keptAmended.joined(separator: ", "))."
            )
        }
        return lines.joined(separator: "\n")
    }
}
