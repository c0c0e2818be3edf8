import Foundation
import Testing
import TheodoiCore

@testable import TheodoiExport
@testable import TheodoiOperations

/// A scanned page made ready for recognition (issue 17, item 3): turned level, cut into its table's
/// cells, each cell on white; and the three readings of a cell put together word by word.
@Suite("Scan cells and readings")
struct ScanCellsTests {
    /// A page of grey paper (1,200 × 900) with a ruled table: rules across at 100, 300, 500 and 700;
    /// down at 100, 500 and 1,100, and at 800 only in the first two rows (the last row's second cell
    /// is written across two columns); a line of "text" above the table and in some cells.
    static func page() -> ScanImage {
        var image = ScanImage(pgm: Array("P5\n1200 900\n255\n".utf8) + [UInt8](repeating: 230, count: 1200 * 900))!
        func fill(_ x: Range<Int>, _ y: Range<Int>, _ value: UInt8 = 40) {
            for row in y { for column in x { image.pixels[row * 1200 + column] = value } }
        }
        for y in [100, 300, 500, 700] { fill(100..<1101, y - 1..<y + 2) }
        for x in [100, 500, 1100] { fill(x - 1..<x + 2, 100..<701) }
        fill(799..<802, 100..<501)
        // Words: short dark strokes in a row, as letters are.
        for (left, top) in [(150, 40), (150, 150), (550, 150), (150, 560), (560, 560), (900, 580)] {
            for letter in 0..<12 { fill(left + letter * 18..<left + letter * 18 + 10, top..<top + 24) }
        }
        return image
    }

    @Test("the tilt of a turned page is found and undone")
    func tilt() throws {
        let straight = Self.page()
        #expect(abs(straight.tilt()) < 0.000_5)
        // Turned so that its lines fall 1.5 px in every 100 (about 0.86°).
        let turned = straight.levelled(slope: -0.015)
        // Within a tenth of a degree (tried every 0.05° on a quarter of the pixels): under two pixels
        // across this page.
        #expect(abs(turned.tilt() - 0.015) < 0.0015)
        let levelled = turned.levelled(slope: turned.tilt())
        #expect(levelled.horizontalRules(longest: 480).count == 4)
        #expect(levelled.regions().regions.count == Self.page().regions().regions.count)
    }

    @Test("a ruled page is cut into the text above, each cell row by row, and the text below")
    func regions() {
        let (regions, rules) = Self.page().regions()
        #expect(rules.map { Double($0) }.allSatisfy { rule in [100.0, 300, 500, 700].contains { abs($0 - rule) <= 1 } })
        #expect(rules.count == 4)
        // Above; three cells; three cells; two (the second across two columns); below.
        #expect(regions.count == 10)
        #expect(regions.first == ScanImage.Region(x: 0, y: 0, width: 1200, height: 100))
        let lastRow = regions.filter { $0.y > 500 && $0.y < 700 }
        #expect(lastRow.count == 2)
        #expect(lastRow.map(\.width).max() ?? 0 > 550)
        #expect(regions.last.map { $0.y >= 700 && $0.height <= 200 } == true)
        // Cells lie inside their rules, clear of them.
        for cell in regions.dropFirst().dropLast() {
            #expect(cell.x > 100 && cell.x + cell.width < 1100)
        }
        // An empty cell holds no ink; a cell with words does.
        let image = Self.page()
        #expect(image.hasInk(regions[1]))
        #expect(!image.hasInk(regions[3]))
    }

    @Test("a page without a ruled table is one region")
    func noTable() {
        var image = ScanImage(pgm: Array("P5\n400 300\n255\n".utf8) + [UInt8](repeating: 230, count: 400 * 300))!
        for column in 50..<350 { image.pixels[100 * 400 + column] = 30 }
        #expect(image.regions().regions == [ScanImage.Region(x: 0, y: 0, width: 400, height: 300)])
    }

    @Test("a cell is cut onto white: the faint trace of a rule goes, ink stays; drawn smaller it keeps its ink")
    func cut() {
        var image = Self.page()
        // A faint trace six levels darker than the paper, where a rule was taken out.
        for row in 120..<280 { image.pixels[row * 1200 + 104] = 224 }
        let cell = image.cut(ScanImage.Region(x: 103, y: 103, width: 394, height: 194), margin: 16, paper: 230)
        #expect(cell.width == 394 + 32 && cell.height == 194 + 32)
        #expect(cell.pixels[0] == 255)
        #expect(cell.pixels[(150 - 103 + 16) * cell.width + (104 - 103 + 16)] == 255)
        let ink = cell.pixels[(160 - 103 + 16) * cell.width + (155 - 103 + 16)]
        #expect(ink < 60)
        let small = cell.scaled(toWidth: cell.width * 2 / 3, height: cell.height * 2 / 3)
        #expect(small.width == cell.width * 2 / 3 && small.height == cell.height * 2 / 3)
        #expect(small.pixels.contains { $0 < 100 })
    }

    typealias Word = PDFLayoutReader.Word
    static func word(_ text: String, _ x: Double, confidence: Double = 96, width: Double = 30) -> Word {
        Word(text: text, xMin: x, yMin: 10, xMax: x + width, yMax: 22, confidence: confidence)
    }
    static func page(_ words: [Word]) -> PDFLayoutReader.Page { PDFLayoutReader.Page(width: 300, height: 40, words: words) }

    @Test("three readings of a cell: agreement kept, a disagreement a doubt, the reading two share taken")
    func reconciled() {
        let first = Self.page([
            Self.word("Triển", 0), Self.word("khai", 40), Self.word("Số", 80), Self.word("chi", 120),
            Self.word("đăng", 160), Self.word("thácsử", 200, width: 60),
        ])
        let second = Self.page([
            Self.word("Triển", 0, confidence: 90), Self.word("khai", 40), Self.word("Sổ", 80), Self.word("chỉ", 120),
            Self.word("đẳng", 160), Self.word("thác", 200, width: 28), Self.word("sử", 232, width: 28),
            Self.word("nghệ", 270, width: 25),
        ])
        let third = Self.page([
            Self.word("Triển", 0), Self.word("khai", 40), Self.word("Số", 80), Self.word("chi", 120),
            Self.word("đẳng", 160), Self.word("thác", 200, width: 28), Self.word("sử", 232, width: 28),
        ])
        let reconciled = HOCRReader.reconciled(first, with: second, and: third)
        let read = reconciled.words.filter { !$0.text.isEmpty }
        #expect(read.map(\.text) == ["Triển", "khai", "Sổ", "chi", "đẳng", "thácsử"])
        // Where all three agree, the first reading's confidence stands.
        #expect(read.prefix(2).map(\.confidence) == [96, 96])
        #expect(read.dropFirst(2).allSatisfy { $0.confidence == HOCRReader.disputed })
        // A word only the second reading saw leaves its doubt there, with no text.
        let doubt = reconciled.words.filter(\.text.isEmpty)
        #expect(doubt.count == 1)
        #expect(doubt.first?.xMin == 270 && doubt.first?.confidence == HOCRReader.disputed)
    }

    @Test(
        "a hook above read as an acute accent, and nothing else",
        arguments: [
            ("Số", "Sổ", true), ("thấm", "thẩm", true), ("tuyến", "tuyển", true), ("bố", "bổ", true),
            ("chi", "chỉ", false), ("đăng", "đẳng", false), ("Nên", "Nền", false), ("Số", "Số", false),
            ("Số", "Sổn", false), ("quyền", "quyển", false),
        ])
    func hookLost(first: String, second: String, lost: Bool) {
        #expect(HOCRReader.isHookLost(first, second) == lost)
    }

    @Test("an eth read for Đ is the Vietnamese letter; two capitals are an abbreviation, not a speck")
    func letters() {
        #expect(HOCRReader.vietnamese("343-QÐ/TU") == "343-QĐ/TU")
        #expect(HOCRReader.vietnamese("343-QĐÐ/TU") == "343-QĐ/TU")
        #expect(HOCRReader.vietnamese("ðại") == "đại")
        #expect(HOCRReader.vietnamese("Đà Nẵng") == "Đà Nẵng")
        #expect(!HOCRReader.isSpeck(Self.word("CĐ", 0, confidence: 36)))
        #expect(HOCRReader.isSpeck(Self.word("R", 0, confidence: 36)))
        #expect(HOCRReader.isSpeck(Self.word("„", 0, confidence: 20)))
        #expect(!HOCRReader.isSpeck(Self.word("R", 0, confidence: 80)))
    }

    @Test("three words spelled two ways in one document are a doubt on every cell holding them")
    func inconsistentPhrases() {
        let texts: [Int: [Int: String]] = [
            10: [0: "1", 1: "Triển khai", 3: " các trường đại học, cao đẳng trên địa bàn tỉnh"],
            20: [0: "2", 3: "Các trường đại học, cao đăng trên địa bàn tỉnh"],
            30: [0: "3", 1: "Sở Tư pháp và Sở Y tế", 3: "sở tư pháp"],
        ]
        let found = RecognisedDocument.inconsistentPhrases(texts)
        #expect(found.map { [$0.0, $0.1] } == [[10, 3], [20, 3]])
        #expect(found.first?.2 == "cao đẳng trên")
        #expect(found.first?.3 == "cao đăng trên")
    }

    @Test("a group title that lost its numeral takes the next one; a task titled in lower case is not a group")
    func groupWithoutNumeral() {
        typealias Cell = PDFLayoutReader.Cell
        func row(_ cells: String...) -> [Cell] { cells.map { Cell($0, confidence: 96) } }
        let lines: [[Cell]] = [
            row("TT", "Nội dung thực hiện", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành", "Sản phẩm"),
            row("A. PHẦN MỘT", "", "", "", "", ""),
            row("I NHÓM PHÁP LÝ", "", "", "", "", ""),
            row("1", "Một", "Sở A", "", "Tháng 9/2025", ""),
            row("NHÓM HẠ TẦNG", "", "", "", "", ""),
            row("2", "Nhóm công tác", "Sở A", "", "Tháng 9/2025", ""),
            row("II NHÓM DỮ LIỆU", "", "", "", "", ""),
            row("3", "Ba", "Sở A", "", "Tháng 9/2025", ""),
        ]
        let (fixed, notes) = RecognisedNumbers.repaired(lines)
        #expect(
            fixed.map { $0[0].text } == [
                "TT", "A. PHẦN MỘT", "I NHÓM PHÁP LÝ", "1", "II NHÓM HẠ TẦNG", "2", "III NHÓM DỮ LIỆU", "3",
            ])
        #expect(Set(notes.keys) == [4, 6])
        #expect(RecognisedNumbers.groupRow("Nhóm công tác") == nil)
    }
}
