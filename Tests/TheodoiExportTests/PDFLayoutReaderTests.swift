import Foundation
import Testing
import TheodoiExport

@Suite("PDF layout reader")
struct PDFLayoutReaderTests {
    /// A `pdftotext -bbox-layout` page from (text, x, y) words, 10 points high.
    static func page(_ words: [(String, Double, Double)], height: Double = 612) -> String {
        let body = words.map { text, x, y in
            let width = Double(text.count) * 5
            return "<word xMin=\"\(x)\" yMin=\"\(y)\" xMax=\"\(x + width)\" yMax=\"\(y + 10)\">\(text)</word>"
        }.joined()
        return "<page width=\"792\" height=\"\(height)\"><flow><block><line>\(body)</line></block></flow></page>"
    }

    static func document(_ pages: [String]) -> [UInt8] {
        Array(
            ("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"x\"><html><body><doc>"
                + pages.joined() + "</doc></body></html>").utf8)
    }

    static let header: [(String, Double, Double)] = [
        ("TT", 40, 100), ("Nội", 100, 100), ("dung", 118, 100), ("Đơn", 300, 100), ("vị", 318, 100), ("chủ", 330, 100),
        ("trì", 348, 100), ("Thời", 450, 100), ("gian", 472, 100), ("hoàn", 450, 111), ("thành", 475, 111),
    ]

    @Test("columns from a wrapped header; a title across the table stays whole; a wrapped cell goes on")
    func onePage() {
        let words =
            [("DANH", 300.0, 40.0), ("MỤC", 328, 40)] + Self.header + [
                ("A.", 40, 125), ("NHÓM", 53, 125), ("PHÁP", 76, 125), ("LÝ", 99, 125),
                ("1", 40, 140), ("Xây", 100, 140), ("dựng", 118, 140), ("Sở", 300, 140), ("Tư", 313, 140),
                ("pháp", 326, 140), ("Tháng", 450, 140), ("9/2025", 480, 140),
                ("kho", 100, 151), ("số", 118, 151),
                ("3", 396, 590),  // the page number
            ]
        let text = PDFLayoutReader.tabText(PDFLayoutReader.pages(Self.document([Self.page(words)])))
        #expect(
            text == """
                DANH MỤC
                TT\tNội dung\tĐơn vị chủ trì\tThời gian hoàn thành
                A. NHÓM PHÁP LÝ\t\t\t
                1\tXây dựng\tSở Tư pháp\tTháng 9/2025
                \tkho số\t\t

                """)
    }

    @Test("the header repeated on the next page is dropped; a sub-task shares the lead printed once")
    func nextPage() {
        let first =
            Self.header + [
                ("17", 40, 125), ("Trường", 100, 125), ("Sở", 300, 125), ("GD", 313, 125), ("Tháng", 450, 125),
                ("17.1", 40, 140), ("Kho", 100, 140), ("Sở", 300, 140), ("GD", 313, 140), ("Tháng", 450, 140),
            ]
        let second = Self.header + [("17.2", 40, 125), ("Nền", 100, 125), ("Tháng", 450, 125)]
        let text = PDFLayoutReader.tabText(
            PDFLayoutReader.pages(Self.document([Self.page(first), Self.page(second)])))
        #expect(text.components(separatedBy: "\n").filter { $0.hasPrefix("TT\t") }.count == 1)
        #expect(text.contains("17.2\tNền\tSở GD\tTháng"))
    }

    @Test("damaged or empty layout gives what could be read, never a trap")
    func damaged() {
        #expect(PDFLayoutReader.pages([]).isEmpty)
        #expect(PDFLayoutReader.pages(Array("<html><doc><page width=\"x\"><word xMin=\"nan\">a".utf8)).count == 1)
        #expect(PDFLayoutReader.tabText([]) == "\n")
        let huge = "<word xMin=\"1e308\" yMin=\"-1e308\" xMax=\"inf\" yMax=\"0\">x</word>"
        let page = "<html><page width=\"1\" height=\"1\">\(huge)\(huge)</page></html>"
        _ = PDFLayoutReader.tabText(PDFLayoutReader.pages(Array(page.utf8)))
    }
}
