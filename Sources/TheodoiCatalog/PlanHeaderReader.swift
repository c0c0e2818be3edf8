import TheodoiCore

/// Reads the decision's number, date, issuer and title from the lines above the table:
/// "(kèm theo Quyết định số 343-QĐ/TU, ngày 03/9/2025 của Ban Thường vụ Tỉnh ủy)".
enum PlanHeaderReader {
    static func read(_ rows: [SourceRow]) -> (header: Catalogue.PlanHeader, titleLine: Int?) {
        var header = Catalogue.PlanHeader()
        var titleParts: [String] = []
        var titleLine: Int?
        var headingPrefix: String?
        // The line that attaches the catalogue to its decision ("kèm theo …") names it; other lines
        // of the title may cite other documents ("Nghị quyết số 57-NQ/TW").
        let attachment = rows.first { VietnameseText.folded($0.joined).contains("kem theo") }
        for row in rows {
            let text = row.joined
            guard !text.isEmpty else { continue }
            let tokens = text.split(separator: " ")
            let folded = tokens.map { VietnameseText.folded($0) }
            let isAttachment = attachment.map { $0 == row } ?? (header.number == nil)
            if isAttachment, header.number == nil, let number = documentNumber(tokens, folded) {
                header.number = number
                header.date = documentDate(tokens, folded)
                header.issuer = issuer(text)
                continue
            }
            let foldedLine = folded.joined(separator: " ")
            if ["danh muc", "phu luc", "bieu", "danh muc nhiem vu"].contains(foldedLine)
                || (foldedLine.hasPrefix("phu luc ") && tokens.count <= 3)
            {
                if foldedLine == "danh muc" || foldedLine == "danh muc nhiem vu" { headingPrefix = text.capitalisedSentence }
                continue
            }
            if titleLine == nil { titleLine = row.line }
            titleParts.append(text)
        }
        if !titleParts.isEmpty {
            let body = titleParts.joined(separator: " ")
            header.title = headingPrefix.map { "\($0) \(body)" } ?? body
            let foldedBody = VietnameseText.folded(body)
            let digits = foldedBody.prefix { $0.isNumber }
            if !digits.isEmpty, foldedBody.dropFirst(digits.count).hasPrefix(" nhiem vu") {
                header.declaredCount = Int(digits)
            }
        }
        return (header, titleLine)
    }

    /// The token after "Quyết định số", "Kế hoạch số", "Chương trình số", "Nghị quyết số" (or with no "số").
    private static func documentNumber(_ tokens: [Substring], _ folded: [String]) -> String? {
        for index in folded.indices.dropLast() {
            let pair = index > 0 ? folded[index - 1] + " " + folded[index] : ""
            let isKind = ["quyet dinh", "ke hoach", "chuong trinh", "nghi quyet", "cong van"].contains(pair)
            guard isKind else { continue }
            var next = index + 1
            if folded[next] == "so", next + 1 < tokens.count { next += 1 }
            let candidate = tokens[next].trimmingCharacters(",;.()")
            if candidate.contains(where: \.isNumber), candidate.contains("/") || candidate.contains("-") {
                return candidate
            }
        }
        return nil
    }

    private static func documentDate(_ tokens: [Substring], _ folded: [String]) -> LocalDate? {
        for index in folded.indices where folded[index] == "ngay" && index + 1 < tokens.count {
            if let date = LocalDate(vietnamese: tokens[index + 1].trimmingCharacters(",;.()")) { return date }
            // "ngày 03 tháng 9 năm 2025"
            if index + 5 < tokens.count, folded[index + 2] == "thang", folded[index + 4] == "nam",
                let day = Int(folded[index + 1]), let month = Int(folded[index + 3]),
                let year = Int(folded[index + 5].trimmingCharacters(",;.()"))
            {
                return LocalDate(year: year, month: month, day: day)
            }
        }
        return nil
    }

    /// The body after the last " của " of the line, up to a closing parenthesis.
    private static func issuer(_ line: String) -> String? {
        guard let range = line.ranges(of: " của ").last else { return nil }
        var rest = line[range.upperBound...]
        if let close = rest.firstIndex(of: ")") { rest = rest[..<close] }
        let issuer = rest.trimmingCharacters(" ,;.")
        return issuer.isEmpty ? nil : issuer
    }
}

extension StringProtocol {
    /// The text without the given characters at either end.
    func trimmingCharacters(_ characters: String) -> String {
        var text = Substring(self)
        while let first = text.first, characters.contains(first) { text = text.dropFirst() }
        while let last = text.last, characters.contains(last) { text = text.dropLast() }
        return String(text)
    }

    /// "DANH MỤC" → "Danh mục".
    var capitalisedSentence: String {
        guard let first else { return "" }
        return String(first).uppercased() + dropFirst().lowercased()
    }
}
