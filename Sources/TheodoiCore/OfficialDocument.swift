import Foundation

/// Văn bản hành chính: a formal document as blocks, independent of the file it is written to. The
/// DOCX writer, the print page and the plain-text golden files all render this one value, so the
/// three never disagree on a number.
public struct OfficialDocument: Sendable, Hashable {
    /// Thể thức: the heading layout of the issuing body.
    public enum Format: String, Sendable, Hashable, Codable, CaseIterable {
        /// Văn bản của Đảng (Hướng dẫn 36-HD/VPTW): "ĐẢNG CỘNG SẢN VIỆT NAM", the committee with a "*" line.
        case party
        /// Văn bản hành chính (Nghị định 30/2020/NĐ-CP): the national motto block.
        case state

        /// The label a monitor picks from.
        public var vietnamese: String {
            switch self {
            case .party: "Thể thức văn bản của Đảng (ĐẢNG CỘNG SẢN VIỆT NAM)"
            case .state: "Thể thức văn bản hành chính (Nghị định 30/2020/NĐ-CP)"
            }
        }
    }

    /// Where a statement about a task comes from: every sentence and appendix row that states a
    /// fact about a task names its source, so the preview links to it and a test can check it.
    public enum Source: Sendable, Hashable {
        /// A sent report or contribution (its id): what the agency wrote, and the office's decision on it.
        case report(Int)
        /// The task itself (its code): its status as of the report's date, from its deadline,
        /// extensions and accepted reports.
        case task(String)
    }

    /// A run of text with its emphasis.
    public struct Run: Sendable, Hashable {
        public var text: String
        public var bold: Bool
        public var italic: Bool
        /// Where the statement in this run comes from, when it states a fact about a task.
        public var source: Source?

        public init(_ text: String, bold: Bool = false, italic: Bool = false, source: Source? = nil) {
            self.text = text
            self.bold = bold
            self.italic = italic
            self.source = source
        }
    }

    /// One block of the body.
    public enum Block: Sendable, Hashable {
        /// "I. TÌNH HÌNH TRIỂN KHAI": a section heading, bold.
        case section(String)
        /// "1. Nhóm nhiệm vụ A …": a subsection heading, bold.
        case subsection(String)
        /// A justified paragraph with a first-line indent.
        case paragraph([Run])
        /// "- …" items.
        case bullet([Run])
    }

    /// The appendix table: a title, columns and rows, with group rows spanning the table.
    public struct Appendix: Sendable, Hashable {
        public enum Row: Sendable, Hashable {
            /// A heading row spanning every column ("A. NHÓM NHIỆM VỤ …").
            case group(String)
            /// A task's row, with the task it states facts about.
            case cells([String], source: Source? = nil)
        }

        public var title: String
        public var subtitle: String
        public var columns: [String]
        /// Relative column widths (any unit; writers scale them to the page).
        public var widths: [Int]
        public var rows: [Row]

        public init(title: String, subtitle: String, columns: [String], widths: [Int], rows: [Row]) {
            self.title = title
            self.subtitle = subtitle
            self.columns = columns
            self.widths = widths
            self.rows = rows
        }

        /// Column widths by content, in thousandths of the table: every column at least as wide as
        /// its longest word (a date such as 31/03/2027 never breaks), then the rest placed where it
        /// shortens the rows most (a row is as tall as its tallest cell), starting from widths in
        /// proportion to the square root of each column's text; an empty column stays narrow.
        /// `tableEm` is the table's width in ems of the cell text (a landscape A4 page at 11 pt: 67).
        public static func fittedWidths(columns: [String], rows: [[String]], tableEm: Double = 67) -> [Int] {
            guard !columns.isEmpty else { return [] }
            let charEm = 0.5
            let paddingEm = 0.7
            var minimum: [Double] = []
            var weight: [Double] = []
            for index in columns.indices {
                var longestWord = 0
                var characters = 0
                // One pass over each cell's scalars (NFC Vietnamese: a scalar a letter), words capped at 16.
                func scan(_ text: String) {
                    var run = 0
                    for scalar in text.unicodeScalars {
                        if scalar == " " || scalar == "\n" {
                            run = 0
                        } else {
                            run += 1
                            if run <= 16, run > longestWord { longestWord = run }
                        }
                    }
                }
                scan(columns[index])
                for row in rows where index < row.count {
                    scan(row[index])
                    characters += row[index].unicodeScalars.count
                }
                minimum.append(Double(longestWord) * charEm * 1.1 + paddingEm)
                weight.append((Double(characters) / Double(max(1, rows.count))).squareRoot())
            }
            // The widest scale k at which max(minimum, k·weight) still fits the table.
            func total(_ scale: Double) -> Double { zip(minimum, weight).map { max($0, scale * $1) }.reduce(0, +) }
            var low = 0.0
            var high = tableEm
            for _ in 0..<50 {
                let middle = (low + high) / 2
                if total(middle) <= tableEm { low = middle } else { high = middle }
            }
            var widths = zip(minimum, weight).map { max($0, low * $1) }
            // Then move width, an em at a time, from where it costs least to where it saves most
            // lines, judged on up to 300 rows spread over the table.
            let stride = max(1, rows.count / 300)
            let sample = Swift.stride(from: 0, to: rows.count, by: stride).map { rows[$0] }
            let lengths = sample.map { row in
                columns.indices.map { index -> (characters: Double, breaks: Double) in
                    guard index < row.count else { return (0, 0) }
                    let text = row[index]
                    return (Double(text.count), Double(text.filter { $0 == "\n" }.count))
                }
            }
            func lines(_ cell: (characters: Double, breaks: Double), _ width: Double) -> Double {
                guard cell.characters > 0 else { return 1 }
                return (cell.characters / max(1, (width - paddingEm) / charEm)).rounded(.up) + cell.breaks
            }
            for _ in 0..<80 {
                // Each row's three tallest cells: a trial changes two columns, so the tallest of the
                // others is among them.
                let tallest = lengths.map { row -> [(lines: Double, column: Int)] in
                    Array(row.indices.map { (lines(row[$0], widths[$0]), $0) }.sorted { $0.0 > $1.0 }.prefix(3))
                }
                func height(from: Int, to: Int) -> Double {
                    var total = 0.0
                    for (index, row) in lengths.enumerated() {
                        let others = tallest[index].first { $0.column != from && $0.column != to }?.lines ?? 1
                        total += max(others, lines(row[from], widths[from] - 1), lines(row[to], widths[to] + 1))
                    }
                    return total
                }
                let current = tallest.reduce(0) { $0 + ($1.first?.lines ?? 1) }
                var best: (from: Int, to: Int, height: Double)?
                for from in widths.indices where widths[from] - 1 >= minimum[from] {
                    for to in widths.indices where to != from {
                        let trial = height(from: from, to: to)
                        if trial < (best?.height ?? current) { best = (from, to, trial) }
                    }
                }
                guard let move = best else { break }
                widths[move.from] -= 1
                widths[move.to] += 1
            }
            let sum = widths.reduce(0, +)
            var thousandths = widths.map { Int(($0 / sum * 1_000).rounded(.down)) }
            if let widest = thousandths.indices.max(by: { thousandths[$0] < thousandths[$1] }) {
                thousandths[widest] += 1_000 - thousandths.reduce(0, +)
            }
            return thousandths
        }
    }

    public var format: Format
    /// Tên cơ quan ban hành, upper case, one line each ("TỈNH ỦY GIA LAI"; or "UBND TỈNH GIA LAI", "SỞ …").
    public var issuerLines: [String]
    /// "Số 15-BC/TU" or "Số: 15/BC-SKHCN" (a blank number leaves room to write it by hand).
    public var number: String
    /// "Gia Lai, ngày 14 tháng 12 năm 2025".
    public var placeAndDate: String
    /// "BÁO CÁO".
    public var kind: String
    /// The lines under the kind: what the report is about.
    public var subject: [String]
    public var body: [Block]
    /// "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ" or "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC".
    public var signatureAuthority: [String]
    /// The signer's name, under the space for the signature.
    public var signer: String
    /// "Nơi nhận:" lines.
    public var recipients: [String]
    public var appendix: Appendix?
    /// A line under the signature on an issued copy that ties it to the system's audit log (its
    /// last entry and hash when the copy was issued), so a log cut short afterwards shows.
    public var verification: String?

    public init(
        format: Format, issuerLines: [String], number: String, placeAndDate: String, kind: String, subject: [String],
        body: [Block], signatureAuthority: [String], signer: String, recipients: [String], appendix: Appendix?
    ) {
        self.format = format
        self.issuerLines = issuerLines
        self.number = number
        self.placeAndDate = placeAndDate
        self.kind = kind
        self.subject = subject
        self.body = body
        self.signatureAuthority = signatureAuthority
        self.signer = signer
        self.recipients = recipients
        self.appendix = appendix
    }

    /// The motto block of the heading's right column.
    public var mottoLines: [String] {
        switch format {
        case .party: ["ĐẢNG CỘNG SẢN VIỆT NAM"]
        case .state: ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
        }
    }

    /// A "Nơi nhận" line as printed. Each begins with a dash; a Party document ends every line but
    /// the last with a comma (Hướng dẫn 36-HD/VPTW, mục 9), a State document with a semicolon
    /// (Nghị định 30/2020/NĐ-CP, Phụ lục I, mục II.9); the last line ends with a full stop.
    public func recipientLine(_ index: Int) -> String {
        let last = index == recipients.count - 1
        let ending = last ? "." : format == .party ? "," : ";"
        return "- " + (recipients.indices.contains(index) ? recipients[index] : "") + ending
    }

    /// Every statement about a task with its source, in document order: the body's runs and the
    /// appendix's rows. What a test walks to check each against the store.
    public var sourcedStatements: [(text: String, source: Source)] {
        var statements: [(text: String, source: Source)] = []
        for block in body {
            switch block {
            case .paragraph(let runs), .bullet(let runs):
                for run in runs { if let source = run.source { statements.append((run.text, source)) } }
            case .section, .subsection: break
            }
        }
        for row in appendix?.rows ?? [] {
            if case .cells(let cells, let source?) = row { statements.append((cells.joined(separator: " | "), source)) }
        }
        return statements
    }

    /// The document as plain text, for golden-file tests and for reading it in a terminal.
    public var plainText: String {
        var lines: [String] = []
        lines += issuerLines
        if format == .party { lines.append("*") }
        lines += mottoLines
        lines.append(number)
        lines.append(placeAndDate)
        lines.append("")
        lines.append(kind)
        lines += subject
        lines.append("")
        for block in body {
            switch block {
            case .section(let text), .subsection(let text): lines.append(text)
            case .paragraph(let runs): lines.append(runs.map(\.text).joined())
            case .bullet(let runs): lines.append("- " + runs.map(\.text).joined())
            }
        }
        lines.append("")
        lines += signatureAuthority
        lines.append("(đã ký)")
        lines.append(signer)
        lines.append("")
        lines.append("Nơi nhận:")
        lines += recipients.indices.map(recipientLine)
        if let verification {
            lines.append("")
            lines.append(verification)
        }
        if let appendix {
            lines.append("")
            lines.append(appendix.title)
            lines.append(appendix.subtitle)
            lines.append(appendix.columns.joined(separator: " | "))
            for row in appendix.rows {
                switch row {
                case .group(let title): lines.append(title)
                case .cells(let cells, _): lines.append(cells.joined(separator: " | "))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Cấu hình báo cáo định kỳ of a plan: the issuing body's format, heading, signature and recipients,
/// set once by the monitor and used for every report of the plan.
public struct ReportSettings: Sendable, Hashable, Codable {
    public var format: OfficialDocument.Format
    /// Tên cơ quan ban hành, one line each, as printed (upper case).
    public var issuerLines: [String]
    /// What follows the number: "-BC/TU" (party) or "/BC-SKHCN" (state).
    public var numberSuffix: String
    /// Địa danh: "Gia Lai".
    public var place: String
    /// Quyền hạn, chức vụ của người ký: "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ".
    public var signatureAuthority: [String]
    /// Họ tên người ký (may be left blank to write by hand).
    public var signer: String
    /// Nơi nhận, one per line.
    public var recipients: [String]

    public init(
        format: OfficialDocument.Format, issuerLines: [String], numberSuffix: String, place: String,
        signatureAuthority: [String], signer: String, recipients: [String]
    ) {
        self.format = format
        self.issuerLines = issuerLines
        self.numberSuffix = numberSuffix
        self.place = place
        self.signatureAuthority = signatureAuthority
        self.signer = signer
        self.recipients = recipients
    }

    /// Sensible settings for a plan that has none yet: a Party committee's decision ("…-QĐ/TU") gets
    /// the Party format of that committee; anything else the State format.
    public static func defaults(planNumber: String, issuer: String?) -> ReportSettings {
        let folded = VietnameseText.folded(planNumber)
        let issuerText = issuer ?? ""
        let foldedIssuer = VietnameseText.folded(issuerText)
        let isParty = folded.hasSuffix("/tu") || foldedIssuer.contains("tinh uy") || foldedIssuer.contains("dang uy")
        let province = ReportSettings.province(in: issuerText) ?? "Gia Lai"
        if isParty {
            return ReportSettings(
                format: .party, issuerLines: ["TỈNH ỦY \(province.uppercased())"], numberSuffix: "-BC/TU", place: province,
                signatureAuthority: ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"], signer: "",
                recipients: [
                    "Thường trực Tỉnh ủy (b/c)", "Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy", "Các cơ quan, đơn vị liên quan",
                    "Lưu Văn phòng Tỉnh ủy",
                ])
        }
        return ReportSettings(
            format: .state, issuerLines: ["UBND TỈNH \(province.uppercased())", (issuer ?? "CƠ QUAN BAN HÀNH").uppercased()],
            numberSuffix: "/BC-", place: province, signatureAuthority: ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], signer: "",
            recipients: ["UBND tỉnh (b/c)", "Các cơ quan, đơn vị liên quan", "Lưu: VT"])
    }

    /// "Gia Lai" from "Ban Thường vụ Tỉnh ủy Gia Lai" or "UBND tỉnh Gia Lai".
    static func province(in issuer: String) -> String? {
        for marker in ["Tỉnh ủy ", "tỉnh ", "Tỉnh "] {
            if let range = issuer.range(of: marker, options: .backwards) {
                let name = issuer[range.upperBound...].trimmingCharacters(in: .whitespaces)
                if !name.isEmpty, name.first?.isUppercase == true { return name }
            }
        }
        return nil
    }

    /// Settings a monitor may save: every line present and short enough; Vietnamese messages otherwise.
    public var problems: [String] {
        var problems: [String] = []
        if issuerLines.isEmpty { problems.append("Cần ghi tên cơ quan ban hành.") }
        if place.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("Cần ghi địa danh (ví dụ: Gia Lai).") }
        if numberSuffix.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append("Cần ghi ký hiệu văn bản sau số (ví dụ: -BC/TU).")
        }
        if signatureAuthority.isEmpty { problems.append("Cần ghi quyền hạn, chức vụ của người ký.") }
        if recipients.isEmpty { problems.append("Cần ghi ít nhất một nơi nhận.") }
        let lines = issuerLines + signatureAuthority + recipients + [place, numberSuffix, signer]
        if lines.contains(where: { $0.count > 200 }) { problems.append("Mỗi dòng dài tối đa 200 ký tự.") }
        if issuerLines.count > 4 || signatureAuthority.count > 4 || recipients.count > 30 {
            problems.append("Tên cơ quan và chức vụ người ký tối đa 4 dòng, nơi nhận tối đa 30 dòng.")
        }
        return problems
    }
}
