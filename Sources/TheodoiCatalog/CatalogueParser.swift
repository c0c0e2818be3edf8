import Foundation
import TheodoiCore

/// Reads a task catalogue in any supported format into a `Catalogue` with findings (DESIGN §4).
///
/// Never throws for a bad row: what cannot be understood becomes a finding. Throws only when the
/// file cannot be read as a catalogue at all (empty, binary, legacy encoding, no table).
public struct CatalogueParser: Sendable {
    public let directory: AgencyDirectory
    private let resolver: AgencyResolver
    /// The plan's date as the office typed it, for a document that does not say it (a draft, a copy
    /// without its heading): deadlines without a year and "quá hạn khi giao" are read against it.
    public var givenDate: LocalDate?

    public init(directory: AgencyDirectory) {
        self.directory = directory
        self.resolver = AgencyResolver(directory: directory)
    }

    /// Parses the bytes of a file.
    public func parse(_ data: Data, format: CatalogueFormat = .auto) throws(CatalogueReadError) -> Catalogue {
        try parse(normalised: CatalogueText.decode(data), format: format)
    }

    /// Parses text that is already decoded (it is normalised first: NFC, no CR, plain spaces).
    public func parse(text raw: String, format: CatalogueFormat = .auto) throws(CatalogueReadError) -> Catalogue {
        let text = CatalogueText.normalise(raw)
        if text.allSatisfy(\.isWhitespace) { throw .empty }
        return try parse(normalised: text, format: format)
    }

    /// Parses a table of cells, such as a spreadsheet's first sheet, by the rules of a CSV file: the
    /// same header names, headings, task numbers, agencies, deadlines and findings. Lines are rows.
    public func parse(table: CatalogueTable, format: CatalogueFormat = .xlsx) throws(CatalogueReadError) -> Catalogue {
        guard table.rows.contains(where: { $0.contains { !$0.allSatisfy(\.isWhitespace) } }) else { throw .empty }
        return try interpret(TableReaders.table(table), format: format)
    }

    private func parse(normalised text: String, format: CatalogueFormat) throws(CatalogueReadError) -> Catalogue {
        let resolved = format == .auto ? CatalogueParser.detectFormat(text) : format
        let rows: [SourceRow]
        switch resolved {
        case .auto, .pdfText: rows = TableReaders.pdfText(text)
        case .csv: rows = TableReaders.delimited(text, separator: TableReaders.csvSeparator(text))
        case .tsv: rows = TableReaders.delimited(text, separator: "\t")
        case .markdown: rows = TableReaders.markdown(text)
        case .html: rows = HTMLTableReader.rows(text)
        case .xlsx, .docx: throw .spreadsheet
        }
        return try interpret(rows, format: resolved)
    }

    /// Every format ends here: one interpreter, one assembly.
    private func interpret(_ rows: [SourceRow], format: CatalogueFormat) throws(CatalogueReadError) -> Catalogue {
        let interpreter = try CatalogueInterpreter.read(rows)
        var assembly = CatalogueAssembly(interpreter: interpreter, resolver: resolver)
        assembly.givenDate = givenDate
        return assembly.catalogue(format: format)
    }

    /// The format a text most likely is: HTML, Markdown, tab-separated (PDF text or TSV), or CSV.
    public static func detectFormat(_ text: String) -> CatalogueFormat {
        let sample = Substring(text.utf8.prefix(200_000))
        if containsTag(sample.utf8, "<table") || containsTag(sample.utf8, "<tr") { return .html }
        let lines = sample.utf8.split(separator: 0x0A, maxSplits: 400).prefix(400)
        let pipeLines = lines.filter { $0.drop { $0 == 0x20 }.first == 0x7C }
        if pipeLines.count >= 2, pipeLines.contains(where: { containsTag($0, "---") }) { return .markdown }
        if lines.contains(where: { $0.contains(0x09) }) {
            let quoted = lines.contains { $0.first == 0x22 || containsTag($0, "\t\"") }
            return quoted ? .tsv : .pdfText
        }
        return .csv
    }

    /// Case-insensitive search for an ASCII tag opening.
    private static func containsTag(_ utf8: Substring.UTF8View, _ tag: String) -> Bool {
        let pattern = Array(tag.utf8)
        var matched = 0
        for byte in utf8 {
            let lower = (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
            if lower == pattern[matched] {
                matched += 1
                if matched == pattern.count { return true }
            } else {
                matched = lower == pattern[0] ? 1 : 0
            }
        }
        return false
    }
}

/// Turns the interpreter's raw rows into the catalogue: codes, agencies, deadlines and the checks of
/// DESIGN §4.4.
private struct CatalogueAssembly {
    let interpreter: CatalogueInterpreter
    let resolver: AgencyResolver
    var findings: [Finding] = []
    private var unknownAgencies: [String: (line: Int, count: Int)] = [:]
    private var unknownOrder: [String] = []
    /// Cells repeat a lot ("Sở Khoa học và Công nghệ"): each distinct text is resolved once.
    private var resolutions: [String: AgencyResolver.Resolution] = [:]
    private var deadlines: [String: Deadline] = [:]
    var givenDate: LocalDate?

    init(interpreter: CatalogueInterpreter, resolver: AgencyResolver) {
        self.interpreter = interpreter
        self.resolver = resolver
        self.findings = interpreter.findings
    }

    mutating func catalogue(format: CatalogueFormat) -> Catalogue {
        let (plan, titleLine) = PlanHeaderReader.read(interpreter.preamble)
        if plan.number == nil || plan.date == nil {
            findings.append(
                Finding(
                    .info, line: 0, .missingPlanMetadata,
                    "Không tìm thấy số hiệu và ngày của văn bản giao nhiệm vụ ở đầu tệp "
                        + "(ví dụ “kèm theo Quyết định số 343-QĐ/TU, ngày 03/9/2025 của …”); hãy nhập khi đưa danh mục vào hệ thống."
                ))
        }
        let codes = assignCodes()
        var assignments: [Catalogue.Assignment] = []
        assignments.reserveCapacity(interpreter.assignments.count)
        for (index, raw) in interpreter.assignments.enumerated() {
            assignments.append(assignment(raw, code: codes[index], planDate: givenDate ?? plan.date))
        }
        checkParents(assignments)
        reportUnknownAgencies()
        let parts = partsWithCounts()
        checkDeclaredTotal(plan: plan, titleLine: titleLine, parts: parts)
        checkSpelling(plan: plan, titleLine: titleLine, parts: parts, assignments: assignments)
        findings.sort { ($0.line, $0.code.rawValue) < ($1.line, $1.code.rawValue) }
        return Catalogue(
            plan: plan, parts: parts, groups: interpreter.looseGroups, assignments: assignments, findings: findings,
            format: format)
    }

    /// Known slips in the titles and outputs, each with the correction the office may apply.
    private mutating func checkSpelling(
        plan: Catalogue.PlanHeader, titleLine: Int?, parts: [Catalogue.Part], assignments: [Catalogue.Assignment]
    ) {
        func flag(_ text: String, line: Int, _ place: String) {
            for suggestion in ProbableTypos.suggestions(in: text) {
                findings.append(
                    Finding(
                        .info, line: line, .probableTypo,
                        "\(place) có thể gõ nhầm “\(suggestion.found)”; đề nghị sửa thành “\(suggestion.suggested)”. "
                            + "Văn phòng có thể sửa trên hệ thống (văn bản gốc vẫn được lưu) để báo cáo không lặp lại lỗi này."))
            }
        }
        if let title = plan.title { flag(title, line: titleLine ?? 0, "Tên văn bản") }
        for part in parts {
            flag(part.title, line: part.line, "Tên phần \(part.code)")
            for group in part.groups { flag(group.title, line: group.line, "Tên nhóm \(part.code).\(group.code)") }
        }
        for group in interpreter.looseGroups { flag(group.title, line: group.line, "Tên nhóm \(group.code)") }
        for assignment in assignments {
            flag(assignment.title, line: assignment.line, "Nội dung nhiệm vụ \(assignment.code)")
            flag(assignment.output, line: assignment.line, "Sản phẩm của nhiệm vụ \(assignment.code)")
            flag(assignment.coordinatorsText, line: assignment.line, "Đơn vị phối hợp của nhiệm vụ \(assignment.code)")
        }
    }

    // MARK: Codes and numbering

    /// Codes for every row: part, number; with the group too where numbering restarts in each group.
    /// Reports duplicate and skipped numbers.
    private mutating func assignCodes() -> [(code: String, parent: String?)] {
        let raws = interpreter.assignments
        var restartsPerGroup: Set<String> = []
        var groupsStartingAtOne: [String: Set<String>] = [:]
        for raw in raws where raw.components == [1] {
            groupsStartingAtOne[raw.part ?? "", default: []].insert(raw.group ?? "")
        }
        for (part, groups) in groupsStartingAtOne where groups.count > 1 { restartsPerGroup.insert(part) }

        var result: [(code: String, parent: String?)] = []
        var seen: [String: Int] = [:]
        var lastInScope: [String: [Int]] = [:]
        for raw in raws {
            let partKey = raw.part ?? ""
            let group = restartsPerGroup.contains(partKey) ? raw.group : nil
            let prefix = [raw.part, group].compactMap { $0 }
            let base = (prefix + [raw.number]).joined(separator: ".")
            let parent =
                raw.components.count > 1
                ? (prefix + [raw.components.dropLast().map(String.init).joined(separator: ".")]).joined(separator: ".")
                : nil
            var code = base
            if let count = seen[base] {
                seen[base] = count + 1
                code = "\(base)-\(count + 1)"
                findings.append(
                    Finding(
                        .warning, line: raw.line, .duplicateNumber,
                        "Số thứ tự \(raw.number) bị trùng\(location(raw)); dòng này được ghi mã \(code) để không mất dữ liệu."))
            } else {
                seen[base] = 1
                checkSequence(raw, scope: prefix.joined(separator: ".") + "|" + (parent ?? ""), last: &lastInScope)
            }
            result.append((code, parent))
        }
        return result
    }

    private mutating func checkSequence(
        _ raw: CatalogueInterpreter.RawAssignment, scope: String, last: inout [String: [Int]]
    ) {
        let value = raw.components.last ?? 0
        let previous = last[scope]?.last ?? 0
        last[scope, default: []].append(value)
        guard value != previous + 1 else { return }
        let parentText = raw.components.count > 1 ? raw.components.dropLast().map(String.init).joined(separator: ".") + "." : ""
        if value > previous + 1 {
            let missing = (previous + 1..<value).map { parentText + String($0) }
            let list = missing.count <= 5 ? missing.joined(separator: ", ") : "\(missing.first ?? "")–\(missing.last ?? "")"
            findings.append(
                Finding(
                    .warning, line: raw.line, .skippedNumber,
                    "Số thứ tự nhảy từ \(previous == 0 ? "đầu" : parentText + String(previous)) sang \(raw.number)\(location(raw)): thiếu \(list)."
                ))
        } else {
            findings.append(
                Finding(
                    .warning, line: raw.line, .skippedNumber,
                    "Số thứ tự \(raw.number) không theo thứ tự\(location(raw)) (đứng sau \(parentText + String(previous)))."))
        }
    }

    private func location(_ raw: CatalogueInterpreter.RawAssignment) -> String {
        var parts: [String] = []
        if let part = raw.part { parts.append("phần \(part)") }
        if let group = raw.group { parts.append("nhóm \(group)") }
        return parts.isEmpty ? "" : " trong " + parts.joined(separator: ", ")
    }

    private mutating func checkParents(_ assignments: [Catalogue.Assignment]) {
        let codes = Set(assignments.map(\.code))
        for assignment in assignments {
            guard let parent = assignment.parent, !codes.contains(parent) else { continue }
            findings.append(
                Finding(
                    .warning, line: assignment.line, .missingParent,
                    "Nhiệm vụ con \(assignment.code) không có nhiệm vụ cha \(parent) trong danh mục."))
        }
    }

    // MARK: One assignment

    private mutating func assignment(
        _ raw: CatalogueInterpreter.RawAssignment, code: (code: String, parent: String?), planDate: LocalDate?
    ) -> Catalogue.Assignment {
        let title = raw.text(.title)
        let leadText = raw.text(.lead)
        let coordinatorsText = raw.text(.coordinators)
        let deadlineText = raw.text(.deadline)
        let deadline = deadlines[deadlineText] ?? Deadline(parsing: deadlineText, planDate: planDate)
        deadlines[deadlineText] = deadline
        let lead = agencies(leadText, column: "chủ trì", code: code.code, line: raw.line)
        let coordinators = agencies(coordinatorsText, column: "phối hợp", code: code.code, line: raw.line)

        if title.isEmpty {
            findings.append(Finding(.warning, line: raw.line, .emptyTitle, "Nhiệm vụ \(code.code) không có nội dung."))
        }
        if lead.isEmpty {
            let detail = leadText.isEmpty ? "ô chủ trì để trống" : "ô chủ trì “\(excerpt(leadText))” không nêu cơ quan nào"
            findings.append(
                Finding(.warning, line: raw.line, .emptyLead, "Nhiệm vụ \(code.code) chưa có đơn vị chủ trì (\(detail))."))
        }
        for shared in lead where !shared.generic && coordinators.contains(shared) {
            findings.append(
                Finding(
                    .info, line: raw.line, .leadAlsoCoordinator,
                    "Nhiệm vụ \(code.code): “\(shared.name)” vừa chủ trì vừa có tên trong đơn vị phối hợp."))
        }
        switch deadline.kind {
        case .unknown:
            findings.append(
                Finding(
                    .warning, line: raw.line, .unparsedDeadline,
                    "Nhiệm vụ \(code.code): không hiểu thời hạn “\(excerpt(deadline.text))”; giữ nguyên văn bản, chưa tính quá hạn."
                ))
        default:
            if let due = deadline.due, let planDate, due < planDate {
                findings.append(
                    Finding(
                        .warning, line: raw.line, .deadlineBeforePlanDate,
                        "Nhiệm vụ \(code.code): thời hạn “\(deadline.text)” (\(due.vietnameseShort)) trước ngày ban hành "
                            + "văn bản (\(planDate.vietnameseShort)): quá hạn ngay khi giao."))
            }
        }
        return Catalogue.Assignment(
            code: code.code, part: raw.part, group: raw.group, number: raw.number, parent: code.parent, title: title,
            leadText: leadText, lead: lead.map(\.reference), coordinatorsText: coordinatorsText,
            coordinators: coordinators.map(\.reference), deadline: deadline, output: raw.text(.output), line: raw.line)
    }

    private struct Resolved: Equatable {
        var reference: AgencyReference
        var generic: Bool { reference.generic }
        var name: String { reference.name }
    }

    private mutating func agencies(_ text: String, column: String, code: String, line: Int) -> [Resolved] {
        guard !text.isEmpty else { return [] }
        let resolution = resolutions[text] ?? resolver.resolve(text)
        resolutions[text] = resolution
        for piece in resolution.nonAgency {
            findings.append(
                Finding(
                    .warning, line: line, .nonAgencyText,
                    "Nhiệm vụ \(code): cột \(column) có nội dung không phải tên cơ quan: “\(excerpt(piece))”."))
        }
        for name in resolution.unknown {
            if let known = unknownAgencies[name] {
                unknownAgencies[name] = (known.line, known.count + 1)
            } else {
                unknownAgencies[name] = (line, 1)
                unknownOrder.append(name)
            }
        }
        return resolution.references.map(Resolved.init)
    }

    private mutating func reportUnknownAgencies() {
        for name in unknownOrder {
            guard let entry = unknownAgencies[name] else { continue }
            let more = entry.count > 1 ? " (xuất hiện \(entry.count) lần)" : ""
            findings.append(
                Finding(
                    .warning, line: entry.line, .unknownAgency,
                    "Cơ quan “\(name)” chưa có trong danh mục cơ quan\(more); đã thêm đúng như văn bản ghi."))
        }
    }

    // MARK: Counts

    private mutating func partsWithCounts() -> [Catalogue.Part] {
        var counts: [String: Int] = [:]
        for raw in interpreter.assignments where raw.components.count == 1 {
            counts[raw.part ?? "", default: 0] += 1
        }
        return interpreter.parts.map { raw in
            let found = counts[raw.code] ?? 0
            if let declared = raw.declaredCount, declared != found {
                findings.append(
                    Finding(
                        .warning, line: raw.line, .declaredCountMismatch,
                        "Phần \(raw.code) ghi \(declared) nhiệm vụ nhưng danh mục có \(found) nhiệm vụ "
                            + "(không tính nhiệm vụ con)."))
            }
            return Catalogue.Part(
                code: raw.code, title: raw.title, declaredCount: raw.declaredCount, foundCount: found, groups: raw.groups,
                line: raw.line)
        }
    }

    private mutating func checkDeclaredTotal(plan: Catalogue.PlanHeader, titleLine: Int?, parts: [Catalogue.Part]) {
        let found = interpreter.assignments.filter { $0.components.count == 1 }.count
        let perPart = parts.map { "\($0.code): \($0.foundCount)" }.joined(separator: ", ")
        if let declared = plan.declaredCount, declared != found {
            findings.append(
                Finding(
                    .warning, line: titleLine ?? 0, .declaredCountMismatch,
                    "Văn bản ghi \(declared) nhiệm vụ nhưng danh mục có \(found) nhiệm vụ"
                        + (perPart.isEmpty ? "." : " (\(perPart)).")))
        }
        let declaredParts = parts.compactMap(\.declaredCount)
        if let declared = plan.declaredCount, declaredParts.count == parts.count, !parts.isEmpty {
            let sum = declaredParts.reduce(0, +)
            if sum != declared {
                findings.append(
                    Finding(
                        .warning, line: titleLine ?? 0, .declaredCountMismatch,
                        "Tổng số nhiệm vụ các phần ghi (\(sum)) khác số văn bản ghi (\(declared))."))
            }
        }
    }
}
