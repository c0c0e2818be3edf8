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
    }

    public struct Page: Sendable, Hashable {
        public var width: Double
        public var height: Double
        public var words: [Word]
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
        var output: [[String]] = []
        var columns: [Double]?  // the left edge of each column after the first
        var headerWords: Set<String> = []
        var headerHeight = 0.0
        var leadColumn: Int?
        /// The last numbered row's parent (its own number, for a task) and the lead its sub-tasks may share.
        var current: (parent: String, lead: String?) = ("", nil)
        var sharing = false
        for (pageIndex, page) in pages.enumerated() {
            let lines = visualLines(page.words)
            var skipUntil: Double?
            for line in lines {
                let top = line.map(\.yMin).min() ?? 0
                if let until = skipUntil, top < until { continue }
                skipUntil = nil
                // A page number alone in the top or bottom margin.
                if line.count == 1, line[0].text.allSatisfy(\.isNumber),
                    top < page.height * 0.08 || top > page.height * 0.9
                {
                    continue
                }
                let runs = runs(line)
                if columns == nil, let found = header(lines: lines, from: line) {
                    columns = found.columns
                    headerWords = found.words
                    leadColumn = found.text.split(separator: "\t", omittingEmptySubsequences: false).firstIndex {
                        VietnameseText.folded($0).contains("chu tri")
                    }
                    headerHeight = found.height
                    // A part's title written above the table (one table per part) belongs under its
                    // header, where a title written across the table would be.
                    var moved: [[String]] = []
                    while let last = output.last, last.count == 1, WordDocument.looksLikePartTitle(last[0]) {
                        moved.insert(output.removeLast(), at: 0)
                    }
                    output.append(found.text.split(separator: "\t", omittingEmptySubsequences: false).map(String.init))
                    output += moved
                    skipUntil = top + headerHeight
                    continue
                }
                guard let columns else {
                    output.append([runs.map(\.text).joined(separator: " ")])
                    continue
                }
                // The header repeated at the top of a later page.
                if pageIndex > 0, let first = runs.first, first.text == "TT" || headerWords.contains(first.text),
                    Set(line.map(\.text)).isSubset(of: headerWords)
                {
                    skipUntil = top + headerHeight
                    continue
                }
                var cells = Array(repeating: "", count: columns.count + 1)
                for run in runs {
                    let column = columns.lastIndex { run.xMin >= $0 - 2 }.map { $0 + 1 } ?? 0
                    cells[column] = cells[column].isEmpty ? run.text : cells[column] + " " + run.text
                }
                // A lead agency written once for several sub-tasks (a cell merged down prints once, and
                // a PDF does not say which cells are merged): the sub-tasks below it without one share it.
                if let lead = leadColumn, lead < cells.count {
                    if !cells[0].isEmpty {
                        let number = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: ". "))
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
                        current.lead = current.lead.map { $0 + " " + cells[lead] } ?? cells[lead]
                    }
                }
                // A word broken where a line ends without a space — a web address, a document code
                // after its hyphen or slash ("08/TT-" "BXD") — is glued back.
                if cells[0].isEmpty, var previous = output.last, previous.count == cells.count {
                    for column in cells.indices where !cells[column].isEmpty {
                        let last = previous[column].split(separator: " ").last ?? ""
                        let address = (last.contains("://") || last.hasPrefix("www.")) && !last.hasSuffix(")")
                        let code = last.count > 1 && (last.hasSuffix("-") || last.hasSuffix("/"))
                        if address || code {
                            let pieces = cells[column].split(separator: " ", maxSplits: 1)
                            previous[column] += pieces.first.map(String.init) ?? ""
                            cells[column] = pieces.count > 1 ? String(pieces[1]) : ""
                        }
                    }
                    output[output.count - 1] = previous
                    if cells.allSatisfy(\.isEmpty) { continue }
                }
                output.append(cells)
            }
        }
        return output.map { $0.joined(separator: "\t") }.joined(separator: "\n") + "\n"
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
    }

    /// Words close together (a space apart, not a cell's padding) as one run of text.
    static func runs(_ line: [Word]) -> [Run] {
        var runs: [Run] = []
        for word in line {
            let height = max(word.yMax - word.yMin, 1)
            if let last = runs.last, word.xMin - last.xMax < height * 0.45 {
                runs[runs.count - 1].text += " " + word.text
                runs[runs.count - 1].xMax = word.xMax
            } else {
                runs.append(Run(text: word.text, xMin: word.xMin, xMax: word.xMax))
            }
        }
        return runs
    }

    /// The header row: a line whose first run is "TT" (or "STT") followed by at least three more
    /// runs; its columns are the header's runs over the header's lines (a title may wrap). `height`
    /// reaches from the first line's top just past the last line's top.
    static func header(
        lines: [[Word]], from line: [Word]
    ) -> (
        columns: [Double], words: Set<String>, height: Double, text: String
    )? {
        let lineRuns = runs(line)
        guard lineRuns.count >= 4, let first = lineRuns.first, ["TT", "STT", "Số TT"].contains(first.text) else { return nil }
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
        var spans = band.flatMap(runs).map { (lower: $0.xMin, upper: $0.xMax) }.sorted { $0.lower < $1.lower }
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
        var cells = Array(repeating: "", count: columns.count + 1)
        for run in band.flatMap(runs) {
            let column = columns.lastIndex { run.xMin >= $0 }.map { $0 + 1 } ?? 0
            cells[column] = cells[column].isEmpty ? run.text : cells[column] + " " + run.text
        }
        // From the header's first line to its last line's top: a line starting lower is a row.
        let lastTop = band.last.map { $0.map(\.yMin).min() ?? 0 } ?? top
        return (columns, Set(band.flatMap { $0.map(\.text) }), lastTop - top + 1, cells.joined(separator: "\t"))
    }
}
