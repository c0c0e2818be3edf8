import Foundation
import TheodoiCatalog
import TheodoiCore

/// A catalogue read from a scan against the same catalogue read from its text, field by field over
/// the §4.5 fields: how many are exact, and which of those that are not carry no recognition finding
/// on their row and column (a value read wrong that would pass silently).
struct ScanComparison {
    var total = 0
    var exact = 0
    /// "A.17.1 leadText: read … / text …" for every wrong field without a finding.
    var silent: [String] = []
    /// Every field that is not exact, flagged or not ("A.17.1 title ⚑: read … / text …").
    var wrong: [String] = []

    init(_ scanned: Catalogue, _ text: Catalogue) {
        let findings = scanned.findings.filter { $0.code == .recognitionConfidence }
        func isFlagged(line: Int?, columns: [String]) -> Bool {
            guard let line else { return false }
            return findings.contains { $0.line == line && ($0.column == nil || columns.contains($0.column ?? "")) }
        }
        func compare(_ name: String, _ read: String?, _ expected: String?, line: Int?, columns: [String]) {
            total += 1
            if read == expected {
                exact += 1
                return
            }
            let flagged = isFlagged(line: line, columns: columns)
            wrong.append("\(name)\(flagged ? " ⚑" : ""): read “\(read ?? "—")” / text “\(expected ?? "—")”")
            if !flagged {
                silent.append("\(name): read “\(read ?? "—")” / text “\(expected ?? "—")”")
            }
        }
        let plan = scanned.plan
        let lines = scanned.findings.filter { $0.code == .recognitionConfidence && $0.column == nil }.map(\.line)
        // The heading's lines are above the table: any flagged line there flags the heading's fields.
        let headingFlagged = !lines.isEmpty && lines.min()! < (scanned.parts.first?.line ?? Int.max)
        for (name, read, expected) in [
            ("plan.number", plan.number, text.plan.number), ("plan.date", plan.date?.iso, text.plan.date?.iso),
            ("plan.issuer", plan.issuer, text.plan.issuer), ("plan.title", plan.title, text.plan.title),
        ] {
            total += 1
            if read == expected {
                exact += 1
            } else if !headingFlagged {
                silent.append("\(name): read “\(read ?? "—")” / text “\(expected ?? "—")”")
            }
        }
        let scannedByCode = Dictionary(scanned.assignments.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        // The columns as the seed and ke-hoach-120 name them.
        let number = ["TT", "STT"]
        let title = ["Nội dung thực hiện", "Nội dung nhiệm vụ"]
        let lead = ["Đơn vị chủ trì", "Cơ quan chủ trì"]
        let coordinators = ["Đơn vị phối hợp", "Cơ quan phối hợp"]
        let deadline = ["Thời gian hoàn thành", "Thời hạn"]
        let output = ["Mục tiêu, Sản phẩm đầu ra", "Sản phẩm"]
        for expected in text.assignments {
            let read = scannedByCode[expected.code]
            let line = read?.line
            let fields: [(String, String?, String?, [String])] = [
                ("code", read?.code, expected.code, number),
                ("part", read?.part, expected.part, number),
                ("group", read?.group, expected.group, number),
                ("number", read?.number, expected.number, number),
                ("parent", read?.parent, expected.parent, number),
                ("title", read?.title, expected.title, title),
                ("leadText", read?.leadText, expected.leadText, lead),
                (
                    "lead", read.map { $0.lead.map(\.name).joined(separator: ";") },
                    expected.lead.map(\.name).joined(separator: ";"), lead
                ),
                ("coordinatorsText", read?.coordinatorsText, expected.coordinatorsText, coordinators),
                (
                    "coordinators", read.map { $0.coordinators.map(\.name).joined(separator: ";") },
                    expected.coordinators.map(\.name).joined(separator: ";"), coordinators
                ),
                ("deadlineText", read?.deadline.text, expected.deadline.text, deadline),
                (
                    "deadline", read.map { "\($0.deadline.kind) \($0.deadline.due?.iso ?? "")" },
                    "\(expected.deadline.kind) \(expected.deadline.due?.iso ?? "")", deadline
                ),
                ("output", read?.output, expected.output, output),
            ]
            for (name, value, wanted, columns) in fields {
                compare("\(expected.code) \(name)", value, wanted, line: line, columns: columns)
            }
        }
    }
}
