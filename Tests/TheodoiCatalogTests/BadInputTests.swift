import Foundation
import Testing
import TheodoiCatalog
import TheodoiCore

@Suite("Bad input: one clear message, never a crash")
struct BadInputTests {
    static let cases: [(String, [UInt8], CatalogueReadError.Reason)] = [
        ("empty file", [], .empty),
        ("only white space", Array(" \n\t\r\n  ".utf8), .empty),
        ("binary with NUL bytes", [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00], .binary),
        ("PNG image", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52], .binary),
        ("XLSX workbook", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00], .spreadsheet),
        ("PDF", Array("%PDF-1.7\n%âãÏÓ\n1 0 obj".utf8), .binary),
        // "Nội dung thực hiện" and "Đơn vị chủ trì" in TCVN3 (ABC): single bytes above 0x7F.
        (
            "legacy TCVN3 text",
            Array("TT\tN".utf8) + [0xE9, 0x69] + Array(" dung th".utf8) + [0xF9, 0x63]
                + Array(" hi".utf8) + [0xD6, 0x6E, 0x09, 0xA7, 0xAE, 0x6E, 0x20, 0x76, 0xDE, 0x20, 0x63, 0x68, 0xF7]
                + Array(" tr".utf8) + [0xDE, 0x0A], .legacyEncoding
        ),
        (
            "prose, not a table", Array("Kính gửi các sở, ngành.\nĐề nghị báo cáo kết quả trước ngày 15/10/2025.\n".utf8),
            .notATable
        ),
        ("a CSV without the usual columns", Array("Họ tên,Ngày sinh,Quê quán\nNguyễn Văn A,1/1/1990,Gia Lai\n".utf8), .notATable),
    ]

    @Test("refuses files that are not catalogues", arguments: cases)
    func refuses(name: String, bytes: [UInt8], reason: CatalogueReadError.Reason) {
        do {
            let catalogue = try Support.parser.parse(Data(bytes))
            Issue.record("\(name) parsed into \(catalogue.assignments.count) assignments")
        } catch {
            #expect(error.reason == reason, "\(name)")
            #expect(!error.message.isEmpty)
            #expect(error.message.contains("Tệp") || error.message.contains("bảng"), "\(error.message)")
        }
    }

    @Test("a table with garbage rows parses what it can and reports the rest")
    func garbageRows() throws {
        let catalogue = try Support.parser.parse(try Support.fixture("garbage-rows.txt"))
        #expect(catalogue.assignments.map(\.code) == ["A.1", "A.3", "A.3-2", "A.3.2", "A.4"])
        #expect(catalogue.parts.first?.foundCount == 4)
        let findings = catalogue.findings.map { "\($0.line) \($0.code.rawValue)" }
        #expect(
            findings == [
                "4 orphan-continuation", "7 unrecognised-row", "8 skipped-number", "8 unparsed-deadline",
                "9 deadline-before-plan-date", "9 duplicate-number", "9 empty-lead", "9 non-agency-text",
                "10 skipped-number", "10 unknown-agency", "10 unknown-agency", "10 unknown-agency", "10 unparsed-deadline",
                "11 extra-cells",
            ])
        // Nothing accepted is lost: the rows keep their text even where they are wrong.
        #expect(catalogue.assignments.first { $0.code == "A.3" }?.deadline.text == "Sớm nhất có thể")
        #expect(catalogue.assignments.first { $0.code == "A.3-2" }?.leadText == "Tháng 5/2026")
    }
}

@Suite("Robustness: random mutations of the seed")
struct RobustnessTests {
    @Test("the parser always returns, with codes unique and lines inside the text", arguments: 0..<8)
    func mutations(batch: Int) {
        var generator = SeededGenerator(seed: UInt64(1000 + batch))
        let lines = Support.seedText.components(separatedBy: "\n")
        for _ in 0..<250 {
            // A window of the seed keeps each case cheap; a few cases use the whole text.
            let whole = Int.random(in: 0..<25, using: &generator) == 0
            let start = whole ? 0 : Int.random(in: 0..<lines.count, using: &generator)
            let length = whole ? lines.count : Int.random(in: 1...30, using: &generator)
            var bytes = Array(lines[start..<min(lines.count, start + length)].joined(separator: "\n").utf8)
            if Bool.random(using: &generator) { bytes = Array((lines[8] + "\n").utf8) + bytes }
            RobustnessTests.mutate(&bytes, using: &generator)
            do {
                let catalogue = try Support.parser.parse(Data(bytes))
                let lineCount = bytes.filter { $0 == 0x0A || $0 == 0x0D }.count + 1
                #expect(Set(catalogue.assignments.map(\.code)).count == catalogue.assignments.count)
                #expect(catalogue.assignments.allSatisfy { (1...lineCount).contains($0.line) })
                #expect(catalogue.findings.allSatisfy { (0...lineCount).contains($0.line) })
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
    }

    static func mutate(_ bytes: inout [UInt8], using generator: inout SeededGenerator) {
        let operations = Int.random(in: 1...12, using: &generator)
        for _ in 0..<operations {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<7, using: &generator) {
            case 0: bytes.insert(0x09, at: position)
            case 1: bytes.insert(0x0A, at: position)
            case 2: bytes.insert(UInt8.random(in: 0...255, using: &generator), at: position)
            case 3: if !bytes.isEmpty { bytes.remove(at: position) }
            case 4:
                // Cut the rest of a line.
                if let end = bytes[position...].firstIndex(of: 0x0A) { bytes.removeSubrange(position..<end) }
            case 5: bytes.insert(contentsOf: Array(" ⇥\t\t1.1\tTháng".utf8), at: position)
            default:
                if !bytes.isEmpty { bytes[position] = UInt8.random(in: 0...255, using: &generator) }
            }
        }
    }
}
