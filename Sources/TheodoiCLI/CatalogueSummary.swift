import TheodoiCatalog
import TheodoiCore

/// The readable summary `catalog parse` prints without `--json`.
enum CatalogueSummary {
    static func render(_ catalogue: Catalogue) -> String {
        var lines: [String] = []
        let plan = catalogue.plan
        var heading = plan.number.map { "Văn bản số \($0)" } ?? "Văn bản: (không rõ số hiệu)"
        if let date = plan.date { heading += " ngày \(date.vietnameseShort)" }
        if let issuer = plan.issuer { heading += " của \(issuer)" }
        lines.append(heading)
        if let title = plan.title { lines.append(title) }
        lines.append("Định dạng: \(catalogue.format.rawValue)")
        lines.append("")

        let top = catalogue.assignments.filter { !$0.isSubAssignment }.count
        let sub = catalogue.assignments.count - top
        if !catalogue.parts.isEmpty {
            lines.append(row("Phần", "Khai báo", "Tìm thấy", "Tên phần"))
            for part in catalogue.parts {
                let declared = part.declaredCount.map(String.init) ?? "—"
                let mark = part.declaredCount.map { $0 == part.foundCount ? "" : "  ≠" } ?? ""
                lines.append(row(part.code, declared, String(part.foundCount), part.title + mark))
                for group in part.groups {
                    lines.append(row("", "", "", "  \(group.code). \(group.title)"))
                }
            }
            let declaredTotal = plan.declaredCount.map(String.init) ?? "—"
            lines.append(row("Tổng", declaredTotal, String(top), ""))
            lines.append("")
        }
        for group in catalogue.groups {
            lines.append("Nhóm \(group.code). \(group.title)")
        }
        if !catalogue.groups.isEmpty { lines.append("") }
        lines.append("\(catalogue.assignments.count) dòng nhiệm vụ: \(top) nhiệm vụ, \(sub) nhiệm vụ con.")
        lines.append("")

        let findings = catalogue.findings
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.filter { $0.severity == .warning }.count
        let infos = findings.filter { $0.severity == .info }.count
        lines.append("Phát hiện: \(findings.count) (\(errors) lỗi, \(warnings) cảnh báo, \(infos) thông tin)")
        for finding in findings {
            let line = finding.line == 0 ? "   —" : pad(String(finding.line), 4, right: true)
            lines.append("dòng \(line)  \(pad(finding.severity.vietnamese, 9))  \(finding.code.rawValue): \(finding.message)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func row(_ code: String, _ declared: String, _ found: String, _ title: String) -> String {
        "\(pad(code, 5))  \(pad(declared, 8, right: true))  \(pad(found, 8, right: true))  \(title)"
            .trimmingTrailingSpaces
    }

    private static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var text = Substring(self)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
