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
        // A decision's own text may say "Ban hành kèm theo Quyết định này …": the line that names a
        // number wins, the last of them (the one under the catalogue's heading).
        let attaching = rows.filter { VietnameseText.folded($0.joined).contains("kem theo") }
        let attachment =
            attaching.last {
                let tokens = $0.joined.split(separator: " ")
                return documentNumber(tokens, tokens.map { VietnameseText.folded($0) }) != nil
            } ?? attaching.first
        // Where the document carries its own heading block ("TỈNH ỦY GIA LAI … Số 343-QĐ/TU … Gia Lai,
        // ngày 03 tháng 9 năm 2025") and then a "DANH MỤC" or "PHỤ LỤC" heading, the title is what
        // follows that heading; the decision's own text above it is not.
        let block = HeadingBlock(rows)
        let titleStart = rows.lastIndex { isCatalogueHeading(VietnameseText.folded($0.joined)) }.map { $0 + 1 } ?? 0
        for (index, row) in rows.enumerated() {
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
            if attachment == row {
                // A number left blank in a draft ("Nghị quyết số   /NQ-CP ngày …"): the date and issuer still count.
                header.date = header.date ?? documentDate(tokens, folded)
                header.issuer = header.issuer ?? issuer(text)
                continue
            }
            let foldedLine = folded.joined(separator: " ")
            if isCatalogueHeading(foldedLine) {
                if foldedLine == "danh muc" || foldedLine == "danh muc nhiem vu" { headingPrefix = text.capitalisedSentence }
                continue
            }
            guard index >= titleStart, !block.lines.contains(index) else { continue }
            if titleLine == nil { titleLine = row.line }
            titleParts.append(text)
        }
        // What the attachment line did not say, the heading block may.
        if header.number == nil { header.number = block.number }
        if header.date == nil { header.date = block.date }
        if header.issuer == nil { header.issuer = block.issuer }
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

    /// "DANH MỤC", "PHỤ LỤC", "PHỤ LỤC I", "BIỂU", folded.
    static func isCatalogueHeading(_ folded: String) -> Bool {
        ["danh muc", "phu luc", "bieu", "danh muc nhiem vu"].contains(folded)
            || (folded.hasPrefix("phu luc ") && folded.split(separator: " ").count <= 3)
    }

    /// A document's heading block: the issuing body above "Số …", the national or Party motto, and the
    /// place and date ("Gia Lai, ngày 03 tháng 9 năm 2025"), by line index.
    struct HeadingBlock {
        var lines: Set<Int> = []
        var number: String?
        var date: LocalDate?
        var issuer: String?

        static let mottos = [
            "dang cong san viet nam", "cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc",
            "doc lap – tu do – hanh phuc",
        ]

        init(_ rows: [SourceRow]) {
            // Only the top of the document: a number line within its first lines.
            guard let numberIndex = rows.prefix(12).firstIndex(where: { Self.number(in: $0.joined) != nil }) else { return }
            number = Self.number(in: rows[numberIndex].joined)
            lines.insert(numberIndex)
            var issuerLines: [String] = []
            for index in rows.indices.prefix(numberIndex) {
                var text = rows[index].joined
                lines.insert(index)
                for motto in Self.mottos {
                    // The motto may share a line with the issuer (a two-column heading read as one line).
                    let folded = VietnameseText.folded(text)
                    if let range = folded.firstRange(of: motto) {
                        let start = folded.distance(from: folded.startIndex, to: range.lowerBound)
                        text = String(text.prefix(start))
                    }
                }
                text = text.trimmingCharacters(" *-–")
                if !text.isEmpty { issuerLines.append(text) }
            }
            if !issuerLines.isEmpty { issuer = issuerLines.joined(separator: " ") }
            // The place and date: on the number's line (two columns) or within the next two lines.
            for index in numberIndex..<min(rows.count, numberIndex + 3) {
                let tokens = rows[index].joined.split(separator: " ")
                if let found = PlanHeaderReader.documentDate(tokens, tokens.map { VietnameseText.folded($0) }) {
                    date = found
                    lines.insert(index)
                    break
                }
                let folded = VietnameseText.folded(rows[index].joined)
                if Self.mottos.contains(where: { folded.contains($0) }) { lines.insert(index) }
            }
        }

        /// "Số 343-QĐ/TU", "Số: 120/KH-UBND" at the start of a line; nil for a number left blank ("Số  /NQ-CP").
        static func number(in line: String) -> String? {
            let tokens = line.split(separator: " ")
            guard let first = tokens.first else { return nil }
            let folded = VietnameseText.folded(first)
            var candidate: Substring?
            if folded == "so" || folded == "so:" {
                candidate = tokens.dropFirst().first
            } else if folded.hasPrefix("so:") {
                candidate = first.dropFirst(3)
            }
            guard let candidate else { return nil }
            let number = candidate.trimmingCharacters(",;.()")
            guard number.first?.isNumber == true, number.contains("/") || number.contains("-") else { return nil }
            return number
        }
    }

    /// The token after "Quyết định số", "Kế hoạch số", "Chương trình số", "Nghị quyết số" (or with no "số").
    private static func documentNumber(_ tokens: [Substring], _ folded: [String]) -> String? {
        for index in folded.indices.dropLast() {
            let pair = index > 0 ? folded[index - 1] + " " + folded[index] : ""
            let isKind = ["quyet dinh", "ke hoach", "chuong trinh", "nghi quyet", "cong van"].contains(pair)
            guard isKind else { continue }
            var next = index + 1
            var token = tokens[next]
            if folded[next] == "so" || folded[next] == "so:", next + 1 < tokens.count {
                next += 1
                token = tokens[next]
            } else if folded[next].hasPrefix("so:") {
                token = token.dropFirst(3)  // "số:1234/QĐ-UBND"
            }
            let candidate = token.trimmingCharacters(",;.()")
            if candidate.contains(where: \.isNumber), candidate.contains("/") || candidate.contains("-") {
                return candidate
            }
        }
        return nil
    }

    static func documentDate(_ tokens: [Substring], _ folded: [String]) -> LocalDate? {
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
