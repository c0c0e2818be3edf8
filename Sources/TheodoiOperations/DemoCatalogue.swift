import Foundation
import TheodoiCatalog
import TheodoiCore
import TheodoiStore

/// A generated catalogue for benchmarks and screenshots, in the seed's own text format: the seed's
/// tasks and agencies reused under new numbers, deadlines of every kind, sub-assignments, parts and
/// groups, and page breaks that split rows over continuation lines. Clearly named as demo data.
public enum DemoCatalogue {
    /// The plan number of a demo plan of `count` assignments ("DEMO-10000").
    /// "DEMO-2000" for the first copy, "DEMO-2000-3" for the third (benchmarks of many plans).
    public static func number(assignments count: Int, copy: Int = 1) -> String {
        copy <= 1 ? "DEMO-\(count)" : "DEMO-\(count)-\(copy)"
    }

    /// The text of a demo catalogue with `count` task rows (top-level and sub-assignments together).
    public static func text(assignments count: Int) throws -> String {
        let seed = String(decoding: try SeedCatalogue.data(), as: UTF8.self)
        let header = "TT\tNội dung thực hiện\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian hoàn thành\tMục tiêu, Sản phẩm đầu ra"
        var templates: [[String]] = []
        for line in seed.split(separator: "\n") {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard cells.count == 6, cells[0].first?.isNumber == true, !cells[0].contains("."), !cells[2].isEmpty else { continue }
            templates.append(cells.dropFirst().map { String($0) })
        }
        let deadlines = [
            "Tháng 3/2026", "Tháng 6/2026", "Quý II/2026", "Tháng 9/2026", "6 tháng đầu năm 2026", "Tháng 12/2026",
            "Năm 2026", "15/10/2026", "Quý IV/2026", "Tháng 11/2025", "Giai đoạn 2026 - 2030", "Thường xuyên",
            "Hằng năm", "Theo KH của Trung ương", "Tháng 10/2025", "6 tháng cuối năm 2026", "",
        ]
        let groupTitles = [
            "NHÓM PHÁP LÝ", "NHÓM HẠ TẦNG CÔNG NGHỆ, AN NINH, AN TOÀN", "NHÓM DỮ LIỆU", "NHÓM NGUỒN LỰC",
            "NHÓM PHÁT TRIỂN KHOA HỌC, ĐỔI MỚI SÁNG TẠO",
        ]
        let romans = ["I", "II", "III", "IV", "V"]
        let partSize = max(1, (count + 3) / 4)
        var lines = [
            "**DANH MỤC**", "",
            "\(count) nhiệm vụ mẫu — DỮ LIỆU SINH TỰ ĐỘNG ĐỂ THỬ NGHIỆM, không phải số liệu thật",
            "(kèm theo Kế hoạch số \(number(assignments: count)), ngày 15/9/2025 của Ban Chỉ đạo thử nghiệm)", "", header,
        ]
        var written = 0
        var part = 0
        var rowIndex = 0
        while written < count {
            let inPart = min(partSize, count - written)
            let letter = String(UnicodeScalar(UInt8(65 + part % 26)))
            lines.append("\(letter). NHÓM NHIỆM VỤ MẪU SỐ \(part + 1)\t\t\t\t\t")
            var number = 0
            var done = 0
            while done < inPart {
                if done % max(1, inPart / 5 + 1) == 0 {
                    let group = done / max(1, inPart / 5 + 1) % 5
                    lines.append("\(romans[group]) \(groupTitles[group])\t\t\t\t\t")
                }
                number += 1
                let children = number % 7 == 0 ? min(3, inPart - done - 1) : 0
                row(number: String(number), index: rowIndex, into: &lines)
                rowIndex += 1
                done += 1
                for child in 0..<max(0, children) {
                    row(number: "\(number).\(child + 1)", index: rowIndex, into: &lines)
                    rowIndex += 1
                    done += 1
                }
            }
            written += inPart
            part += 1
        }
        return lines.joined(separator: "\n") + "\n"

        func row(number: String, index: Int, into lines: inout [String]) {
            var cells = templates[index % templates.count]
            cells[3] = deadlines[index % deadlines.count]
            if index % 11 == 5 {
                // A page break that splits every cell of the row over a continuation line.
                var first = [number]
                var rest = [""]
                for cell in cells {
                    let words = cell.split(separator: " ")
                    first.append(words.prefix(words.count / 2).joined(separator: " "))
                    rest.append(words.dropFirst(words.count / 2).joined(separator: " "))
                }
                lines.append(first.joined(separator: "\t"))
                lines.append("")
                lines.append(header)
                lines.append(rest.joined(separator: "\t"))
            } else {
                lines.append(([number] + cells).joined(separator: "\t"))
            }
        }
    }
}

extension CatalogueImporter {
    /// Creates (or refreshes) the demo plan of `count` assignments (its `copy`-th one: several
    /// plans of one size for benchmarks); never touches a real plan.
    public func importDemo(assignments count: Int, copy: Int = 1) async throws -> ImportResult {
        try await importCatalogue(
            Data(try DemoCatalogue.text(assignments: count).utf8), sourceName: "demo", format: .pdfText,
            number: DemoCatalogue.number(assignments: count, copy: copy), isDemo: true)
    }
}
