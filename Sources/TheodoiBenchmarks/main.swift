// Release-build benchmarks: `swift run -c release theodoi-benchmarks [--quick]`.
// Prints one table; figures go into the issue notes. Not a test: nothing here fails on time.
import Foundation
import TheodoiCatalog
import TheodoiCore

let quick = CommandLine.arguments.contains("--quick")
/// `--seed-only` runs the seed case alone, long enough to profile it.
let seedOnly = CommandLine.arguments.contains("--seed-only")
let clock = ContinuousClock()

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

/// Runs `body` `runs` times after one warm-up; returns the sorted durations in milliseconds.
func measure(runs: Int, _ body: () throws -> Void) rethrows -> [Double] {
    try body()
    var times: [Double] = []
    for _ in 0..<runs {
        let start = clock.now
        try body()
        times.append(milliseconds(clock.now - start))
    }
    return times.sorted()
}

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * fraction))]
}

/// A catalogue of `rows` task rows in the seed's own format: the seed's rows repeated under new
/// numbers, parts with declared counts, group headings, and a page break every eight rows that
/// splits the row before it over a continuation row.
func generatedCatalogue(rows: Int, from seed: String) -> String {
    let header = "TT\tNội dung thực hiện\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian hoàn thành\tMục tiêu, Sản phẩm đầu ra"
    var templates: [[String]] = []
    for line in seed.split(separator: "\n") {
        let cells: [Substring] = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard cells.count == 6, cells[0].first?.isNumber == true, !cells[0].contains(".") else { continue }
        templates.append(cells.dropFirst().map { String($0) })
    }
    let partSize = 2_500
    var lines = [
        "**DANH MỤC**", "", "\(rows) nhiệm vụ thực hiện chuyển đổi số (bộ dữ liệu sinh để đo tốc độ)",
        "(kèm theo Quyết định số 999-QĐ/TU, ngày 03/9/2025 của Ban Thường vụ Tỉnh ủy)", "", header,
    ]
    var written = 0
    var part = 0
    while written < rows {
        let count = min(partSize, rows - written)
        let letter = String(UnicodeScalar(UInt8(65 + part % 26)))
        lines.append("\(letter). NHÓM NHIỆM VỤ SỐ \(part + 1) (\(count) NHIỆM VỤ)\t\t\t\t\t")
        for index in 0..<count {
            if index % 500 == 0 {
                lines.append("\(["I", "II", "III", "IV", "V"][index / 500 % 5]) NHÓM \(index / 500 + 1)\t\t\t\t\t")
            }
            let cells = templates[(written + index) % templates.count]
            let number = String(index + 1)
            if index % 8 == 7 {
                // Split every cell at its middle word, over a page break.
                var first: [String] = [number]
                var rest: [String] = [""]
                for cell in cells {
                    let words = cell.split(separator: " ")
                    let cut = words.count / 2
                    first.append(words[..<cut].joined(separator: " "))
                    rest.append(words[cut...].joined(separator: " "))
                }
                lines.append(first.joined(separator: "\t"))
                lines.append("")
                lines.append(header)
                lines.append(rest.joined(separator: "\t"))
            } else {
                lines.append(([number] + cells).joined(separator: "\t"))
            }
        }
        written += count
        part += 1
    }
    return lines.joined(separator: "\n") + "\n"
}

let directory = try AgencyDirectory.bundled()
let parser = CatalogueParser(directory: directory)
let seedData = try SeedCatalogue.data()
let seedText = String(decoding: seedData, as: UTF8.self)

print("theodoi benchmarks (release build, \(ProcessInfo.processInfo.activeProcessorCount) cores)\(quick ? ", quick" : "")")
print("")
print("case                          rows     bytes      runs    min ms   median ms   p99 ms   rows/ms")

func report(_ name: String, rows: Int, bytes: Int, _ times: [Double]) {
    let median = percentile(times, 0.5)
    let columns = [
        name.padding(toLength: 28, withPad: " ", startingAt: 0), String(rows), String(bytes), String(times.count),
        String(format: "%.3f", times[0]), String(format: "%.3f", median), String(format: "%.3f", percentile(times, 0.99)),
        String(format: "%.0f", Double(rows) / median),
    ]
    let widths = [28, 6, 10, 6, 9, 11, 9, 9]
    print(
        zip(columns, widths).enumerated().map { index, pair in
            index == 0 ? pair.0 : String(repeating: " ", count: max(0, pair.1 - pair.0.count)) + pair.0
        }.joined(separator: " "))
}

let seedRows = try parser.parse(seedData).assignments.count
report(
    "seed 343-QĐ/TU (parse)", rows: seedRows, bytes: seedData.count,
    try measure(runs: quick ? 20 : 300) {
        _ = try parser.parse(seedData)
    })
report(
    "seed, JSON contract too", rows: seedRows, bytes: seedData.count,
    try measure(runs: quick ? 20 : 300) {
        _ = CatalogueDTO(try parser.parse(seedData)).json.serialized()
    })

for rows in quick ? [1_000, 10_000] : [1_000, 10_000, 50_000] {
    let data = Data(generatedCatalogue(rows: rows, from: seedText).utf8)
    let catalogue = try parser.parse(data)
    precondition(catalogue.assignments.count == rows, "generated \(catalogue.assignments.count) of \(rows) rows")
    let runs = rows >= 50_000 ? 5 : (quick ? 5 : 20)
    report("generated \(rows) (parse)", rows: rows, bytes: data.count, try measure(runs: runs) { _ = try parser.parse(data) })
}
print("")
print("rows/ms stays level from 1,000 to 50,000 rows when parsing is linear in the input.")
