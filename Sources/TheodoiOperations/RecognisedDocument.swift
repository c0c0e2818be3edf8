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
    /// the scanned fixtures so that every value read wrong is below it (see the import tests).
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
        let notes: [JSONValue] = repairs.sorted { $0.key < $1.key }.map { .array([.int($0.key), .string($0.value)]) }
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
            repairs[line] = String(text.prefix(500))
        }
    }

    /// Numbers put right from the order of the rows (`RecognisedNumbers`), each a note by its line (1-based).
    public var repairs: [Int: String] = [:]

    /// The document with its number column put right.
    func repaired() -> RecognisedDocument {
        let (fixed, notes) = RecognisedNumbers.repaired(lines)
        var document = RecognisedDocument(pages: pages, lines: fixed)
        document.repairs = Dictionary(uniqueKeysWithValues: notes.map { ($0.key + 1, $0.value) })
        return document
    }

    /// A cell's text that stops where it cannot end: a bracket left open, a comma or "và" last.
    static func looksCut(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let open = trimmed.filter { $0 == "(" }.count
        let close = trimmed.filter { $0 == ")" }.count
        return open > close || trimmed.hasSuffix(",") || trimmed.hasSuffix(" và") || trimmed.hasSuffix(" của")
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
        for (line, note) in repairs.sorted(by: { $0.key < $1.key }) {
            var finding = Finding(.warning, line: line, .recognitionConfidence, "\(note): hãy đối chiếu với bản giấy.")
            finding.column = header.first
            finding.confidence = 0
            findings.append(finding)
            lowest[line]?[0] = nil
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
