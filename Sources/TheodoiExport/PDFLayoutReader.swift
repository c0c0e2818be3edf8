import Foundation
import TheodoiCore

/// The words of a PDF's text layer with their positions, as `pdftotext -bbox-layout` writes them
/// (poppler), turned back into the lines of a table: tab-separated cells, a cell that wraps over
/// several lines written as continuation lines with the other cells empty, the lines above the table
/// as they are. That is the text a catalogue's "PDF text" reader takes (DESIGN §4.1).
///
/// The table is rebuilt from geometry: its columns from the header row's words ("TT", "Nội dung
/// thực hiện" …), each word of a line given to the column its run of words starts in (a part's
/// title written across the table stays whole), the header repeated at the top of each page and
/// page numbers dropped. Malformed input gives what could be read, never a trap.
public enum PDFLayoutReader {
    /// One word and its box, in points from the page's top left.
    public struct Word: Sendable, Hashable {
        public var text: String
        public var xMin: Double
        public var yMin: Double
        public var xMax: Double
        public var yMax: Double
        /// How sure character recognition was of the word (0–100); nil for a PDF's own text.
        public var confidence: Double?

        public init(
            text: String, xMin: Double, yMin: Double, xMax: Double, yMax: Double, confidence: Double? = nil
        ) {
            self.text = text
            self.xMin = xMin
            self.yMin = yMin
            self.xMax = xMax
            self.yMax = yMax
            self.confidence = confidence
        }
    }

    /// One cell of a rebuilt line: its words, and the least confidence among them (nil when none was
    /// recognised from an image).
    public struct Cell: Sendable, Hashable {
        public var text: String
        public var confidence: Double?

        public init(_ text: String, confidence: Double? = nil) {
            self.text = text
            self.confidence = confidence
        }

        var isEmpty: Bool { text.isEmpty }

        /// Another piece of the same cell after this one.
        mutating func append(_ piece: String, confidence other: Double?, separator: String = " ") {
            if !piece.isEmpty { text = text.isEmpty ? piece : text + separator + piece }
            confidence = Self.least(confidence, other)
        }

        static func least(_ first: Double?, _ second: Double?) -> Double? {
            guard let first else { return second }
            guard let second else { return first }
            return min(first, second)
        }
    }

    public struct Page: Sendable, Hashable {
        public var width: Double
        public var height: Double
        public var words: [Word]
        /// The table's horizontal rules, from the top (points), when the page was looked at; between
        /// two of them lies one row, whatever lines its cells' text sits on (a cell centred vertically
        /// puts a row's number on its middle line).
        public var rules: [Double] = []

        public init(width: Double, height: Double, words: [Word]) {
            self.width = width
            self.height = height
            self.words = words
        }
    }

    /// The most words read (a 100-page appendix has tens of thousands).
    public static let maximumWords = 2_000_000

    /// The pages and words of `pdftotext -bbox-layout` output.
    public static func pages(_ xhtml: [UInt8]) -> [Page] {
        var pages: [Page] = []
        var word: Word?
        var text = ""
        var count = 0
        func number(_ attributes: [String: String], _ name: String) -> Double {
            guard let value = attributes[name].flatMap(Double.init), value.isFinite else { return 0 }
            return min(max(value, -100_000), 100_000)
        }
        // pdftotext writes well-formed XHTML after a DOCTYPE (which the XML reader refuses: it is
        // read from `<html` on); a damaged file still gives what came before the damage.
        let start = firstIndex(of: Array("<html".utf8), in: xhtml) ?? 0
        try? XMLTokenizer.parse(Array(xhtml[start...])) { event in
            switch event {
            case .start("page", let attributes):
                pages.append(Page(width: number(attributes, "width"), height: number(attributes, "height"), words: []))
            case .start("word", let attributes) where !pages.isEmpty && count < maximumWords:
                word = Word(
                    text: "", xMin: number(attributes, "xMin"), yMin: number(attributes, "yMin"),
                    xMax: number(attributes, "xMax"), yMax: number(attributes, "yMax"))
                text = ""
            case .text(let piece) where word != nil:
                if text.utf8.count < 10_000 { text += piece }
            case .end("word"):
                if var finished = word, !pages.isEmpty {
                    finished.text = text.trimmingCharacters(in: .whitespacesAndNewlines)
                    if !finished.text.isEmpty {
                        pages[pages.count - 1].words.append(finished)
                        count += 1
                    }
                }
                word = nil
            default: break
            }
        }
        return pages
    }

    static func firstIndex(of pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard let first = pattern.first, bytes.count >= pattern.count else { return nil }
        for index in 0...(bytes.count - pattern.count) where bytes[index] == first {
            if bytes[index..<index + pattern.count].elementsEqual(pattern) { return index }
        }
        return nil
    }

    /// The table as tab-separated lines (see the type's description).
    public static func tabText(_ pages: [Page]) -> String {
        text(of: table(pages))
    }

    /// Rebuilt lines as tab-separated text, one line each.
    public static func text(of lines: [[Cell]]) -> String {
        lines.map { $0.map(\.text).joined(separator: "\t") }.joined(separator: "\n") + "\n"
    }

    /// The table's lines, each a list of cells with the confidence of their words (see the type's
    /// description); line N of `tabText` is element N-1.
    public static func table(_ pages: [Page]) -> [[Cell]] {
        var output: [[Cell]] = []
        var columns: [Double]?  // the left edge of each column after the first
        var headerWords: Set<String> = []
        var headerHeight = 0.0
        var leadColumn: Int?
        /// The last numbered row's parent (its own number, for a task) and the lead its sub-tasks may share.
        var current: (parent: String, lead: Cell?) = ("", nil)
        var sharing = false
        var lastBand: (page: Int, band: Int)?
        /// The table's header, found: its columns, and its titles as the first line of the table.
        func adopt(_ found: (columns: [Double], words: Set<String>, height: Double, cells: [Cell])) {
            columns = found.columns
            headerWords = found.words
            leadColumn = found.cells.firstIndex { VietnameseText.folded($0.text).contains("chu tri") }
            headerHeight = found.height
            // A part's title written above the table (one table per part) belongs under its header,
            // where a title written across the table would be.
            var moved: [[Cell]] = []
            while let last = output.last, last.count == 1, WordDocument.looksLikePartTitle(last[0].text) {
                moved.insert(output.removeLast(), at: 0)
            }
            output.append(found.cells)
            output += moved
        }
        for (pageIndex, page) in pages.enumerated() {
            let lines = visualLines(page.words)
            let rules = page.rules.sorted()
            /// The row (between two rules) a line's middle lies in.
            func band(of line: [Word]) -> Int? {
                guard rules.count >= 2 else { return nil }
                let middle = ((line.map(\.yMin).min() ?? 0) + (line.map(\.yMax).max() ?? 0)) / 2
                guard let below = rules.firstIndex(where: { $0 > middle }), below > 0 else { return nil }
                return below - 1
            }
            let bands = lines.map(band(of:))
            var skipBands: Set<Int> = []
            var skipUntil: Double?
            for (lineIndex, line) in lines.enumerated() {
                let top = line.map(\.yMin).min() ?? 0
                let lineBand = bands[lineIndex]
                if let lineBand, skipBands.contains(lineBand) { continue }
                // With rules, the header is the row holding "TT", all its lines.
                if columns == nil, let lineBand {
                    let bandLines = lines.indices.filter { bands[$0] == lineBand }.map { lines[$0] }
                    if let found = header(band: bandLines) {
                        adopt(found)
                        skipBands.insert(lineBand)
                        lastBand = nil
                        continue
                    }
                }
                // The header repeated on a later page: a row whose every line is the header's words.
                if columns != nil, pageIndex > 0, let lineBand {
                    let bandLines = lines.indices.filter { bands[$0] == lineBand }.map { lines[$0] }
                    if bandLines.allSatisfy({ Set($0.map(\.text)).isSubset(of: headerWords) }) {
                        skipBands.insert(lineBand)
                        continue
                    }
                }
                if let until = skipUntil, top < until { continue }
                skipUntil = nil
                // A page number alone in the top or bottom margin.
                if line.count == 1, line[0].text.allSatisfy(\.isNumber),
                    top < page.height * 0.08 || top > page.height * 0.9
                {
                    continue
                }
                var runs = runs(line)
                if columns == nil, let found = header(lines: lines, from: line) {
                    adopt(found)
                    skipUntil = top + headerHeight
                    continue
                }
                guard let columns else {
                    var whole = Cell("")
                    for run in runs { whole.append(run.text, confidence: run.confidence) }
                    // A bracket left open goes on over the next line ("(kèm theo … của Ủy ban nhân dân" "tỉnh)").
                    if let last = output.last, last.count == 1,
                        last[0].text.filter({ $0 == "(" }).count > last[0].text.filter({ $0 == ")" }).count
                    {
                        output[output.count - 1][0].append(whole.text, confidence: whole.confidence)
                        continue
                    }
                    output.append([whole])
                    continue
                }
                // The header repeated at the top of a later page (read again by character recognition,
                // a word or two may come out differently).
                let known = line.filter { headerWords.contains($0.text) }.count
                if pageIndex > 0, line.count >= 2,
                    known == line.count || (line.first?.confidence != nil && lineIndex < 4 && known * 3 >= line.count * 2)
                {
                    skipUntil = top + headerHeight
                    continue
                }
                // Recognised words of two cells may sit closer than a space (the rule between them gone):
                // a run is cut where a word starts past a column's edge.
                if line.first?.confidence != nil { runs = Self.runs(line, cutAt: columns) }
                var cells = Array(repeating: Cell(""), count: columns.count + 1)
                for run in runs {
                    let column = columns.lastIndex { run.xMin >= $0 - 2 }.map { $0 + 1 } ?? 0
                    cells[column].append(run.text, confidence: run.confidence)
                }
                // A row's further lines (between the same two rules) go into its cells.
                if let lineBand, let last = lastBand, last.page == pageIndex, last.band == lineBand,
                    var row = output.last, row.count == cells.count
                {
                    for column in cells.indices where !cells[column].isEmpty {
                        let previous = row[column].text.split(separator: " ").last ?? ""
                        // A word broken where the cell's line ends: a web address, a code after its hyphen or
                        // slash, a date in a narrow column ("31/12/202" "5").
                        let next = cells[column].text.first
                        let glued =
                            (previous.contains("://") || previous.hasPrefix("www.")) && !previous.hasSuffix(")")
                            || previous.count > 1 && (previous.hasSuffix("-") || previous.hasSuffix("/"))
                            || previous.contains("/") && previous.last?.isNumber == true && next?.isNumber == true
                        row[column].append(cells[column].text, confidence: cells[column].confidence, separator: glued ? "" : " ")
                    }
                    output[output.count - 1] = row
                    continue
                }
                lastBand = lineBand.map { (pageIndex, $0) }
                // A lead agency written once for several sub-tasks (a cell merged down prints once, and
                // a PDF does not say which cells are merged): the sub-tasks below it without one share it.
                // With rules a row's lead may sit on a later line of the row: shared after the rows are whole.
                if lineBand == nil, let lead = leadColumn, lead < cells.count {
                    if !cells[0].isEmpty {
                        let number = cells[0].text.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
                        let parent = number.split(separator: ".").dropLast().joined(separator: ".")
                        if cells[lead].isEmpty, !parent.isEmpty, parent == current.parent, let shared = current.lead {
                            cells[lead] = shared
                            sharing = true
                        } else {
                            sharing = false
                            current = (parent.isEmpty ? number : parent, cells[lead].isEmpty ? nil : cells[lead])
                        }
                    } else if !sharing, !cells[lead].isEmpty {
                        // The lead's name goes on over the row's next lines.
                        if current.lead == nil {
                            current.lead = cells[lead]
                        } else {
                            current.lead?.append(cells[lead].text, confidence: cells[lead].confidence)
                        }
                    }
                }
                // A word broken where a line ends without a space — a web address, a document code
                // after its hyphen or slash ("08/TT-" "BXD") — is glued back.
                if cells[0].isEmpty, var previous = output.last, previous.count == cells.count {
                    for column in cells.indices where !cells[column].isEmpty {
                        let last = previous[column].text.split(separator: " ").last ?? ""
                        let address = (last.contains("://") || last.hasPrefix("www.")) && !last.hasSuffix(")")
                        let code = last.count > 1 && (last.hasSuffix("-") || last.hasSuffix("/"))
                        if address || code {
                            let pieces = cells[column].text.split(separator: " ", maxSplits: 1)
                            previous[column].append(
                                pieces.first.map(String.init) ?? "", confidence: cells[column].confidence, separator: "")
                            cells[column].text = pieces.count > 1 ? String(pieces[1]) : ""
                        }
                    }
                    output[output.count - 1] = previous
                    if cells.allSatisfy(\.isEmpty) { continue }
                }
                output.append(cells)
            }
        }
        if pages.contains(where: { $0.rules.count >= 2 }), let lead = leadColumn { shareLeads(&output, lead: lead) }
        return output
    }

    /// A lead written once for consecutive sub-tasks of one parent (a cell merged down, its text in
    /// one of their rows) given to those of them without one.
    static func shareLeads(_ output: inout [[Cell]], lead: Int) {
        func parent(_ row: [Cell]) -> String? {
            let number = row[0].text.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
            let pieces = number.split(separator: ".")
            guard pieces.count >= 2, pieces.allSatisfy({ $0.allSatisfy(\.isNumber) }) else { return nil }
            return pieces.dropLast().joined(separator: ".")
        }
        var index = 0
        while index < output.count {
            guard output[index].count > lead, let group = parent(output[index]) else {
                index += 1
                continue
            }
            // The sub-tasks of this parent that follow, with their continuation rows.
            var members: [Int] = []
            var end = index
            while end < output.count, output[end].count > lead {
                if let other = parent(output[end]) {
                    guard other == group else { break }
                    members.append(end)
                } else if !output[end][0].text.isEmpty {
                    break
                }
                end += 1
            }
            let leads = Set(members.map { output[$0][lead].text }.filter { !$0.isEmpty })
            if leads.count == 1, let shared = members.first(where: { !output[$0][lead].text.isEmpty }) {
                for member in members where output[member][lead].text.isEmpty { output[member][lead] = output[shared][lead] }
            }
            index = max(end, index + 1)
        }
    }

    /// Words grouped into lines by their vertical position, each left to right.
    static func visualLines(_ words: [Word]) -> [[Word]] {
        let sorted = words.sorted { ($0.yMin, $0.xMin) < ($1.yMin, $1.xMin) }
        var lines: [[Word]] = []
        var current: [Word] = []
        var currentTop = 0.0
        var currentHeight = 0.0
        for word in sorted {
            let height = max(word.yMax - word.yMin, 1)
            if current.isEmpty || abs(word.yMin - currentTop) <= min(height, currentHeight) * 0.4 {
                if current.isEmpty {
                    currentTop = word.yMin
                    currentHeight = height
                }
                current.append(word)
            } else {
                lines.append(current.sorted { $0.xMin < $1.xMin })
                current = [word]
                currentTop = word.yMin
                currentHeight = height
            }
        }
        if !current.isEmpty { lines.append(current.sorted { $0.xMin < $1.xMin }) }
        return lines
    }

    struct Run {
        var text: String
        var xMin: Double
        var xMax: Double
        var confidence: Double?
    }

    /// Words close together (a space apart, not a cell's padding) as one run of text; with `cutAt`, a
    /// run also ends where the next word starts past one of those edges.
    static func runs(_ line: [Word], cutAt edges: [Double] = []) -> [Run] {
        var runs: [Run] = []
        for word in line {
            let height = max(word.yMax - word.yMin, 1)
            // (A run that starts in the first column is a part's or group's title written across the table.)
            let crosses =
                runs.last.map { last in
                    edges.first.map { last.xMin >= $0 - 2 } == true
                        && edges.contains { last.xMin < $0 - 2 && word.xMin >= $0 - 2 }
                } ?? false
            if let last = runs.last, !crosses, word.xMin - last.xMax < height * 0.45 {
                if !word.text.isEmpty {
                    runs[runs.count - 1].text += last.text.isEmpty ? word.text : " " + word.text
                }
                runs[runs.count - 1].xMax = word.xMax
                runs[runs.count - 1].confidence = Cell.least(last.confidence, word.confidence)
            } else {
                runs.append(Run(text: word.text, xMin: word.xMin, xMax: word.xMax, confidence: word.confidence))
            }
        }
        return runs
    }

    /// The header row: a line whose first run is "TT" (or "STT") followed by at least three more
    /// runs; its columns are the header's runs over the header's lines (a title may wrap). `height`
    /// reaches from the first line's top just past the last line's top.
    /// The header from a whole row between two rules: its lines in any order, "TT" on any of them
    /// (centred vertically, it sits on the middle one).
    static func header(band: [[Word]]) -> (columns: [Double], words: Set<String>, height: Double, cells: [Cell])? {
        let allRuns = band.flatMap { runs($0) }.sorted { $0.xMin < $1.xMin }
        guard let first = allRuns.first, ["TT", "STT", "Số TT"].contains(first.text) else { return nil }
        let top = band.flatMap { $0.map(\.yMin) }.min() ?? 0
        let bottom = band.flatMap { $0.map(\.yMax) }.max() ?? 0
        let lineHeight = max((band.first?.map(\.yMax).max() ?? 0) - (band.first?.map(\.yMin).min() ?? 0), 1)
        guard let found = columns(of: band, lineHeight: lineHeight) else { return nil }
        return (found.columns, Set(band.flatMap { $0.map(\.text) } + ["TT"]), bottom - top + 1, found.cells)
    }

    /// Columns from a header's lines: their runs, merged where they overlap; a column starts halfway
    /// between one header cell's end and the next one's start. With each column's title.
    static func columns(of band: [[Word]], lineHeight: Double) -> (columns: [Double], cells: [Cell])? {
        var merged: [(lower: Double, upper: Double)] = []
        for span in band.flatMap({ runs($0) }).map({ (lower: $0.xMin, upper: $0.xMax) }).sorted(by: { $0.lower < $1.lower }) {
            if let last = merged.last, span.lower <= last.upper + lineHeight * 0.45 {
                merged[merged.count - 1].upper = max(last.upper, span.upper)
            } else {
                merged.append(span)
            }
        }
        guard merged.count >= 4 else { return nil }
        let columns = zip(merged, merged.dropFirst()).map { ($0.upper + $1.lower) / 2 }
        var cells = Array(repeating: Cell(""), count: columns.count + 1)
        let ordered = band.sorted { ($0.map(\.yMin).min() ?? 0) < ($1.map(\.yMin).min() ?? 0) }
        for run in ordered.flatMap({ runs($0) }) {
            let column = columns.lastIndex { run.xMin >= $0 }.map { $0 + 1 } ?? 0
            cells[column].append(run.text, confidence: run.confidence)
        }
        return (columns, cells)
    }

    static func header(
        lines: [[Word]], from line: [Word]
    ) -> (
        columns: [Double], words: Set<String>, height: Double, cells: [Cell]
    )? {
        let lineRuns = runs(line)
        guard lineRuns.count >= 4, let first = lineRuns.first else { return nil }
        // The number column's title, or (read by character recognition, where a bold "TT" may come out
        // as "j.") a short first cell before the other columns' usual titles.
        let numbered = ["TT", "STT", "Số TT"].contains(first.text)
        let titles = lineRuns.dropFirst().map { VietnameseText.folded($0.text) }
        let recognised =
            first.confidence != nil && first.text.count <= 4
            && titles.contains { $0.contains("noi dung") || $0.contains("nhiem vu") }
            && titles.contains { $0.contains("chu tri") }
        guard numbered || recognised else { return nil }
        let top = line.map(\.yMin).min() ?? 0
        let lineHeight = max((line.map(\.yMax).max() ?? 0) - top, 1)
        // The header's lines: this one and those right below it whose runs sit under its columns and
        // hold no task number.
        var band = [line]
        guard let start = lines.firstIndex(of: line) else { return nil }
        for next in lines.dropFirst(start + 1) {
            let nextTop = next.map(\.yMin).min() ?? 0
            let previousBottom = band.last.map { $0.map(\.yMax).max() ?? 0 } ?? 0
            guard nextTop - previousBottom < lineHeight * 0.6, band.count < 4 else { break }
            let nextRuns = runs(next)
            if nextRuns.first.map({ $0.xMin < lineRuns[1].xMin - 2 }) == true { break }
            band.append(next)
        }
        // Columns: the header's runs over all its lines, merged where they overlap.
        var spans = band.flatMap { runs($0) }.map { (lower: $0.xMin, upper: $0.xMax) }.sorted { $0.lower < $1.lower }
        var merged: [(lower: Double, upper: Double)] = []
        for span in spans {
            if let last = merged.last, span.lower <= last.upper + lineHeight * 0.45 {
                merged[merged.count - 1].upper = max(last.upper, span.upper)
            } else {
                merged.append(span)
            }
        }
        spans = merged
        guard spans.count >= 4 else { return nil }
        // A column starts halfway between one header cell's end and the next one's start.
        let columns = zip(spans, spans.dropFirst()).map { ($0.upper + $1.lower) / 2 }
        // The header's text, each column's words joined.
        var cells = Array(repeating: Cell(""), count: columns.count + 1)
        for run in band.flatMap { runs($0) } {
            let column = columns.lastIndex { run.xMin >= $0 }.map { $0 + 1 } ?? 0
            cells[column].append(run.text, confidence: run.confidence)
        }
        // From the header's first line to its last line's top: a line starting lower is a row.
        let lastTop = band.last.map { $0.map(\.yMin).min() ?? 0 } ?? top
        if !numbered { cells[0] = Cell("TT", confidence: cells[0].confidence) }
        return (columns, Set(band.flatMap { $0.map(\.text) } + ["TT"]), lastTop - top + 1, cells)
    }
}
