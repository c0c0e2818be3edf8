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

    /// Text in Windows-1258 as Excel writes it on a Vietnamese Windows: â, ê, ô, ă, ơ, ư, đ as one byte,
    /// the tone as a combining byte after the letter.
    static func windows1258(_ text: String) -> Data {
        let letters: [Character: UInt8] = [
            "Â": 0xC2, "Ê": 0xCA, "Ô": 0xD4, "Ă": 0xC3, "Ơ": 0xD5, "Ư": 0xDD, "Đ": 0xD0, "â": 0xE2, "ê": 0xEA, "ô": 0xF4,
            "ă": 0xE3, "ơ": 0xF5, "ư": 0xFD, "đ": 0xF0, "“": 0x93, "”": 0x94, "–": 0x96,
        ]
        let tones: [UInt32: UInt8] = [0x0300: 0xCC, 0x0301: 0xEC, 0x0303: 0xDE, 0x0309: 0xD2, 0x0323: 0xF2]
        var bytes: [UInt8] = []
        for character in text {
            let scalars = String(character).decomposedStringWithCanonicalMapping.unicodeScalars
            let tone = scalars.compactMap { tones[$0.value] }.first
            let base = String(String.UnicodeScalarView(scalars.filter { tones[$0.value] == nil }))
                .precomposedStringWithCanonicalMapping
            if let ascii = base.unicodeScalars.first, base.unicodeScalars.count == 1, ascii.isASCII {
                bytes.append(UInt8(ascii.value))
            } else if let byte = base.first.flatMap({ letters[$0] }) {
                bytes.append(byte)
            } else {
                bytes.append(0x3F)  // not in the code page
            }
            if let tone { bytes.append(tone) }
        }
        return Data(bytes)
    }

    @Test("a CSV Excel saved in Windows-1258 reads as its UTF-8; VNI bytes are still refused, with the reason")
    func windows1258() throws {
        let encoded = Self.windows1258(Support.seedText)
        #expect(String(data: encoded, encoding: .utf8) == nil)
        #expect(Support.full(try Support.parser.parse(encoded)) == expectedFull)
        // VNI writes a tone as a byte after the vowel: "Sở Khoa học tối thiểu nhà về".
        let vni: [UInt8] =
            Array("So".utf8) + [0xF5, 0xFB] + Array(" Khoa ho".utf8) + [0xEF, 0x63] + Array(" toi tho".utf8) + [0xF9]
            + Array(" nha".utf8) + [0xF8] + Array(" ve".utf8) + [0xEC] + Array(" ti".utf8) + [0xEC] + Array("m".utf8)
        do {
            _ = try Support.parser.parse(Data(vni))
            Issue.record("read VNI bytes as Windows-1258")
        } catch {
            #expect(error.reason == .legacyEncoding)
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
