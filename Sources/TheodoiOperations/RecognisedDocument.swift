import Foundation
import TheodoiCatalog
import TheodoiCore
import TheodoiExport

/// A scanned copy once character recognition has read it: the table's lines rebuilt from the
/// recognised words, every cell with the least confidence of its words. It is what the import's
/// preview carries to its confirmation (recognition is not run twice, and the confirmation imports
/// exactly what the office checked), written as JSON that `CatalogueFile` tells by its content.
public struct RecognisedDocument: Sendable, Hashable {
    /// The pages recognised.
    public var pages: Int
    /// The rebuilt lines; line N of the catalogue's text is element N-1.
    public var lines: [[PDFLayoutReader.Cell]]

    /// Below this confidence a cell is a finding for the office to check against the paper. Chosen on
    /// the seed's scan: every value read wrong but one is below it (`ScannedCatalogueTests`).
    public static let threshold = 95

    static let formatTag = "theodoi-recognised/1"

    public init(pages: Int, lines: [[PDFLayoutReader.Cell]]) {
        self.pages = pages
        self.lines = lines
    }

    /// The document as the import carries it.
    public var data: Data {
        let cells: [JSONValue] = lines.map { line in
            .array(
                line.map { cell in
                    .array([.string(cell.text), cell.confidence.map { .int(Int($0.rounded())) } ?? .null])
                })
        }
        let notes: [JSONValue] = repairs.sorted { $0.key < $1.key }.flatMap { line, notes in
            notes.map { JSONValue.array([.int(line), .string($0)]) }
        }
        let json = JSONValue.object([
            ("format", .string(Self.formatTag)), ("pages", .int(pages)), ("lines", .array(cells)), ("repairs", .array(notes)),
        ])
        return Data(json.serialized(pretty: false).utf8)
    }

    /// The document a file holds when it is one (told by its first bytes), else nil.
    public init?(_ data: Data) {
        guard data.prefix(40).starts(with: Array("{\"format\":\"\(Self.formatTag)\"".utf8)),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let pages = object["pages"] as? Int, let lines = object["lines"] as? [[Any]]
        else { return nil }
        var read: [[PDFLayoutReader.Cell]] = []
        for line in lines {
            var cells: [PDFLayoutReader.Cell] = []
            for cell in line {
                guard let pair = cell as? [Any], let text = pair.first as? String else { return nil }
                let confidence = pair.count > 1 ? (pair[1] as? Int).map { Double(min(max($0, 0), 100)) } : nil
                cells.append(PDFLayoutReader.Cell(text, confidence: confidence))
            }
            read.append(cells)
        }
        self.init(pages: min(max(pages, 0), 100_000), lines: read)
        for note in object["repairs"] as? [[Any]] ?? [] {
            guard note.count == 2, let line = note[0] as? Int, let text = note[1] as? String, line >= 1, line <= read.count
            else { return nil }
            repairs[line, default: []].append(String(text.prefix(500)))
        }
    }

    /// What reading put right (numbers from the order of the rows, agencies' names from the directory),
    /// the notes of each line (1-based).
    public var repairs: [Int: [String]] = [:]

    /// The document with specks taken out of its cells, its number column put right, and an agency's
    /// name read with a space or a mark wrong ("Sở Giáo dụcvà Đào tạo", "Thế thao") written as the
    /// directory has it (`agencies`).
    func repaired(agencies: [String] = []) -> RecognisedDocument {
        var cleaned = lines
        for index in cleaned.indices {
            for column in cleaned[index].indices { cleaned[index][column].text = Self.withoutSpecks(cleaned[index][column].text) }
        }
        var (fixed, numbers) = RecognisedNumbers.repaired(cleaned)
        var notes = numbers.mapValues { [$0] }
        Self.snapAgencies(&fixed, to: agencies, notes: &notes)
        var document = RecognisedDocument(pages: pages, lines: fixed)
        document.repairs = repairs
        for (index, note) in notes { document.repairs[index + 1, default: []] += note }
        return document
    }

    /// A cell's text without words made only of marks that text never has standing alone (",", "„",
    /// "'", "¡", "—." …): specks of the page read as punctuation. A dash between words stays.
    static func withoutSpecks(_ text: String) -> String {
        let specks = Set(",.;:'`‘’\"“”„¡!|_—~^*")
        func isSpeck(_ word: Substring) -> Bool {
            // A rule's end read as "L—." counts too.
            let marks = word.first == "L" && word.count > 1 ? word.dropFirst() : word
            return marks.allSatisfy { specks.contains($0) }
        }
        return text.split(separator: " ").filter { !isSpeck($0) }.joined(separator: " ")
    }

    /// An agency's cell (the lead's and coordinators' columns) whose whole text is a directory name once
    /// spaces and marks are set aside is written as the directory has it, on the row's first line.
    static func snapAgencies(_ lines: inout [[PDFLayoutReader.Cell]], to agencies: [String], notes: inout [Int: [String]]) {
        guard !agencies.isEmpty, let header = lines.firstIndex(where: { $0.count > 1 }) else { return }
        func key(_ text: String) -> String { VietnameseText.folded(text).filter { $0.isLetter || $0.isNumber } }
        var byKey: [String: String] = [:]
        for name in agencies { byKey[key(name)] = byKey[key(name)] ?? name }
        let columns = lines[header].indices.filter {
            let title = VietnameseText.folded(lines[header][$0].text)
            return title.contains("chu tri") || title.contains("phoi hop")
        }
        let starts = lines.indices.dropFirst(header + 1).filter { lines[$0].count > 1 && !lines[$0][0].text.isEmpty }
        for (position, start) in starts.enumerated() {
            let end = position + 1 < starts.count ? starts[position + 1] : lines.count
            for column in columns {
                let rowLines = (start..<end).filter { column < lines[$0].count && !lines[$0][column].text.isEmpty }
                let text = rowLines.map { lines[$0][column].text }.joined(separator: " ")
                // (A document carried back from a browser may have lines of any length.)
                // A name that differs only in its capitals is what the paper says ("khu vực XI").
                guard !text.isEmpty, column < lines[start].count, let name = byKey[key(text)],
                    name.lowercased() != VietnameseText.collapsingWhitespace(text).lowercased()
                else { continue }
                for index in rowLines { lines[index][column].text = "" }
                lines[start][column].text = name
                lines[start][column].confidence = min(lines[start][column].confidence ?? 0, 50)
                notes[start, default: []].append(
                    "Ô “\(lines[header][column].text)” đọc được “\(text)”, đã hiểu là “\(name)” theo danh mục cơ quan")
            }
        }
    }

    /// A cell's text that stops where it cannot end: a bracket left open, a comma or "và" last.
    static func looksCut(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let open = trimmed.filter { $0 == "(" }.count
        let close = trimmed.filter { $0 == ")" }.count
        return open > close || trimmed.hasSuffix(",") || trimmed.hasSuffix(" và") || trimmed.hasSuffix(" của")
    }

    /// Every cell (row line, column) holding three words in a row that the document spells another
    /// way elsewhere with the same letters and other marks, with the phrase and one other spelling.
    static func inconsistentPhrases(_ texts: [Int: [Int: String]]) -> [(Int, Int, String, String)] {
        var places: [String: [String: [(Int, Int)]]] = [:]  // letters → spelling → cells
        for (line, columns) in texts {
            for (column, text) in columns where column > 0 {
                let words = text.split(whereSeparator: \.isWhitespace).map {
                    $0.trimmingCharacters(in: .punctuationCharacters).lowercased()
                }
                guard words.count >= 3 else { continue }
                for start in 0...(words.count - 3) {
                    let phrase = words[start..<start + 3].joined(separator: " ")
                    guard words[start..<start + 3].allSatisfy({ !$0.isEmpty }) else { continue }
                    places[VietnameseText.folded(phrase), default: [:]][phrase, default: []].append((line, column))
                }
            }
        }
        var found: [(Int, Int, String, String)] = []
        var seen = Set<String>()
        for letters in places.keys.sorted() where places[letters]?.count ?? 0 > 1 {
            let spellings = places[letters] ?? [:]
            for (phrase, cells) in spellings.sorted(by: { $0.key < $1.key }) {
                let other = spellings.keys.filter { $0 != phrase }.sorted()[0]
                for (line, column) in cells where seen.insert("\(line) \(column)").inserted {
                    found.append((line, column, phrase, other))
                }
            }
        }
        return found.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }

    /// The lines as the tab-separated text the catalogue parser reads.
    public var text: String { PDFLayoutReader.text(of: lines) }

    /// One finding per cell of a task, part or group row (the row's lines together) and per line above
    /// the table that recognition was not sure of, at the row's first line and naming the column.
    public func findings(for catalogue: Catalogue) -> [Finding] {
        // The first line of each row the catalogue kept, to gather a row's continuation lines under it.
        let starts = Set(
            catalogue.assignments.map(\.line) + catalogue.parts.map(\.line)
                + catalogue.parts.flatMap { $0.groups.map(\.line) } + catalogue.groups.map(\.line))
        let headerIndex = lines.firstIndex { $0.count > 1 }
        let header = headerIndex.map { lines[$0].map(\.text) } ?? []
        var lowest: [Int: [Int: Double]] = [:]  // row line → column → confidence
        var texts: [Int: [Int: String]] = [:]  // row line → column → the cell's text over the row's lines
        var row = 0
        for (index, line) in lines.enumerated() where index != headerIndex {
            let number = index + 1
            if starts.contains(number) || headerIndex.map({ index <= $0 }) ?? true || line.count == 1 { row = number }
            // An empty cell may still carry doubt: a speck dropped there might have been a character.
            for (column, cell) in line.enumerated() {
                if !cell.text.isEmpty { texts[row, default: [:]][column, default: ""] += " " + cell.text }
                guard let confidence = cell.confidence, confidence < Double(Self.threshold) else { continue }
                lowest[row, default: [:]][column] = min(lowest[row]?[column] ?? 100, confidence)
            }
        }
        // A line recognition missed leaves its cell cut short: a bracket left open, a comma at the end.
        var cut: [Int: [Int: String]] = [:]
        for (line, columns) in texts where line > (headerIndex ?? 0) + 1 {
            for (column, text) in columns where column > 0 && Self.looksCut(text) {
                cut[line, default: [:]][column] = text
            }
        }
        var findings: [Finding] = []
        for (line, columns) in cut {
            for (column, _) in columns where column < header.count {
                var finding = Finding(
                    .warning, line: line, .recognitionConfidence,
                    "Ô “\(header[column])” đọc bằng nhận dạng ký tự có vẻ thiếu chữ (ngoặc chưa đóng hoặc dừng sau dấu phẩy): "
                        + "hãy đối chiếu với bản giấy.")
                finding.column = header[column]
                finding.confidence = 0
                findings.append(finding)
                lowest[line]?[column] = nil
            }
        }
        // The same three words spelled two ways in one document ("cao đẳng trên", "cao đăng trên"):
        // one of them is misread, however sure each reading was.
        for (line, column, variant, other) in Self.inconsistentPhrases(texts) where column < header.count {
            guard cut[line]?[column] == nil else { continue }
            var finding = Finding(
                .warning, line: line, .recognitionConfidence,
                "Ô “\(header[column])” có cụm “\(variant)”, chỗ khác trong văn bản đọc là “\(other)”: "
                    + "hãy đối chiếu với bản giấy.")
            finding.column = header[column]
            finding.confidence = Int(HOCRReader.disputed)
            findings.append(finding)
            lowest[line]?[column] = nil
        }
        for (line, notes) in repairs.sorted(by: { $0.key < $1.key }) {
            for note in notes {
                // A note about one column names it first ("Ô “Đơn vị chủ trì” …"); else it is the number's.
                let named = header.indices.first { note.hasPrefix("Ô “\(header[$0])”") } ?? 0
                var finding = Finding(.warning, line: line, .recognitionConfidence, "\(note): hãy đối chiếu với bản giấy.")
                finding.column = named < header.count ? header[named] : nil
                finding.confidence = 0
                findings.append(finding)
                lowest[line]?[named] = nil
            }
        }
        for (line, columns) in lowest.sorted(by: { $0.key < $1.key }) {
            for (column, confidence) in columns.sorted(by: { $0.key < $1.key }) {
                let percent = Int(confidence.rounded(.down))
                // A part's or group's title is written across the row: the row, not its first column.
                let across = lines[line - 1].dropFirst().allSatisfy(\.text.isEmpty)
                let name = !across && column < header.count ? header[column] : nil
                let place = name.map { "Ô “\($0)”" } ?? "Dòng này"
                var finding = Finding(
                    .warning, line: line, .recognitionConfidence,
                    "\(place) đọc bằng nhận dạng ký tự, độ tin cậy \(percent)%: hãy đối chiếu với bản giấy.")
                finding.column = name
                finding.confidence = percent
                findings.append(finding)
            }
        }
        return findings
    }
}
