import Foundation
import Testing
import TheodoiCatalog
import TheodoiCore

@Suite("The same catalogue in other clothes gives the same parse")
struct CatalogueVariantTests {
    let expectedFull = Support.full(Support.seed)
    let expectedContent = Support.content(Support.seed)

    @Test("CRLF line endings and a BOM")
    func crlfAndBOM() throws {
        let text = Support.seedText.replacingOccurrences(of: "\n", with: "\r\n")
        let catalogue = try Support.parser.parse(Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8))
        #expect(Support.full(catalogue) == expectedFull)
    }

    @Test("Unicode NFD with non-breaking spaces")
    func nfdAndNonBreakingSpaces() throws {
        let nfd = Support.seedText.decomposedStringWithCanonicalMapping
        #expect(Array(nfd.unicodeScalars) != Array(Support.seedText.unicodeScalars))
        var generator = SeededGenerator(seed: 57)
        let spaced = String(nfd.map { $0 == " " && Bool.random(using: &generator) ? "\u{00A0}" : $0 })
        let catalogue = try Support.parser.parse(Data(spaced.utf8))
        #expect(Support.full(catalogue) == expectedFull)
    }

    @Test("UTF-16 with and without a byte order mark")
    func utf16() throws {
        let littleEndian = Data([0xFF, 0xFE]) + Support.seedText.data(using: .utf16LittleEndian)!
        let bigEndian = Data([0xFE, 0xFF]) + Support.seedText.data(using: .utf16BigEndian)!
        let bare = Support.seedText.data(using: .utf16LittleEndian)!
        for data in [littleEndian, bigEndian, bare] {
            #expect(Support.full(try Support.parser.parse(data)) == expectedFull)
        }
    }

    @Test("page breaks at other places, cells split differently", arguments: 1...25)
    func pageBreaksMoved(seed: Int) throws {
        var generator = SeededGenerator(seed: UInt64(seed))
        let moved = CatalogueVariantTests.movePageBreaks(Support.seedText, using: &generator)
        #expect(moved != Support.seedText)
        let catalogue = try Support.parser.parse(Data(moved.utf8))
        #expect(Support.content(catalogue) == expectedContent)
    }

    @Test("a page break in every task row, deadline and agency cells included")
    func everyRowSplit() throws {
        var generator = SeededGenerator(seed: 343)
        let moved = CatalogueVariantTests.movePageBreaks(Support.seedText, probability: 1, using: &generator)
        let catalogue = try Support.parser.parse(Data(moved.utf8))
        #expect(Support.content(catalogue) == expectedContent)
        // The splits really cut deadline and agency cells.
        #expect(moved.contains("\nTT\tNội dung thực hiện"))
        #expect(moved.components(separatedBy: "\n\t").count > 100)
    }

    /// Removes the document's own page breaks (header rows and continuation rows stay joined) and cuts
    /// task rows at random: each cell splits at a random space, the rest goes on a continuation row
    /// after a blank line and a repeated header, as a PDF extraction lays it out.
    static func movePageBreaks(
        _ text: String, probability: Double = 0.3, using generator: inout SeededGenerator
    ) -> String {
        let header = "TT\tNội dung thực hiện\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian hoàn thành\tMục tiêu, Sản phẩm đầu ra"
        // 1. Join the seed's own continuation rows into their task rows.
        var lines: [(String, [String]?)] = []
        for line in text.components(separatedBy: "\n") {
            let cells = line.components(separatedBy: "\t")
            if line == header || line.isEmpty { continue }
            if cells.count >= 6, cells[0].isEmpty, let last = lines.indices.last, var previous = lines[last].1 {
                for (index, piece) in cells.enumerated() where !piece.isEmpty && index < previous.count {
                    previous[index] = previous[index].isEmpty ? piece : previous[index] + " " + piece
                }
                lines[last].1 = previous
                continue
            }
            let isTask = cells.count >= 6 && cells[0].first?.isNumber == true
            lines.append((line, isTask ? cells : nil))
        }
        // 2. Lay the rows out again with breaks at new places.
        var output: [String] = []
        var headerWritten = false
        for (line, cells) in lines {
            if !headerWritten, line.hasPrefix("A. ") {
                output.append(header)
                headerWritten = true
            }
            guard let cells else {
                output.append(line)
                continue
            }
            guard Double.random(in: 0..<1, using: &generator) < probability else {
                output.append(cells.joined(separator: "\t"))
                continue
            }
            var first: [String] = []
            var rest: [String] = []
            for (index, cell) in cells.enumerated() {
                let words = cell.components(separatedBy: " ")
                if index == 0 || words.count < 2 {
                    // The TT cell stays; a one-word cell moves whole half of the time.
                    let moveWhole = index > 0 && !cell.isEmpty && Bool.random(using: &generator)
                    first.append(moveWhole ? "" : cell)
                    rest.append(moveWhole ? cell : "")
                    continue
                }
                let cut = Int.random(in: 1..<words.count, using: &generator)
                first.append(words[..<cut].joined(separator: " "))
                rest.append(words[cut...].joined(separator: " "))
            }
            output.append(first.joined(separator: "\t"))
            output.append("")
            output.append(header)
            output.append(rest.joined(separator: "\t"))
        }
        return output.joined(separator: "\n")
    }
}
