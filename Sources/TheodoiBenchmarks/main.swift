// Release-build benchmarks: `swift run -c release theodoi-benchmarks [--quick]`.
// Prints one table; figures go into the issue notes. Not a test: nothing here fails on time.
import Foundation
import TheodoiCatalog
import TheodoiCore
import TheodoiOperations

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

let directory = try AgencyDirectory.bundled()
let parser = CatalogueParser(directory: directory)
let seedData = try SeedCatalogue.data()

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

// The seed as the Word files an office receives (Tests/TheodoiExportTests/Fixtures, written by
// scripts/catalogue-fixtures/make_docx.py): unzip, XML, grid, then the same parse.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Tests/TheodoiExportTests/Fixtures")
for (name, label) in [
    ("343-QD-TU.docx", "Word: seed, merged cells"), ("343-QD-TU-numbered.docx", "Word: seed, numbered lists"),
    ("343-QD-TU-decision.docx", "Word: the whole decision"),
] {
    guard let data = try? Data(contentsOf: fixtures.appendingPathComponent(name)) else { continue }
    let rows = try CatalogueFile.parse(data, fileName: name, parser: parser).assignments.count
    report(
        label, rows: rows, bytes: data.count,
        try measure(runs: quick ? 10 : 100) { _ = try CatalogueFile.parse(data, fileName: name, parser: parser) })
}

// The seed printed to PDF (25 pages): poppler's word boxes (pdftotext -bbox-layout, run once here;
// it takes about 70 ms itself) rebuilt into the table and parsed.
if let pdftotext = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"].first(where: {
    FileManager.default.isExecutableFile(atPath: $0)
}) {
    let layout = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-bench-layout.html")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: pdftotext)
    process.arguments = ["-bbox-layout", fixtures.appendingPathComponent("343-QD-TU.pdf").path, layout.path]
    try process.run()
    process.waitUntilExit()
    if let xhtml = try? [UInt8](Data(contentsOf: layout)) {
        let text = Data(CatalogueFile.pdfTableText(layout: xhtml).utf8)
        let rows = try parser.parse(text).assignments.count
        report(
            "PDF: seed, 25 pages", rows: rows, bytes: xhtml.count,
            try measure(runs: quick ? 10 : 50) {
                _ = try parser.parse(Data(CatalogueFile.pdfTableText(layout: xhtml).utf8))
            })
    }
}

// A scan of the seed's first 14 pages (scripts/catalogue-fixtures/make_scan.py: 200 dpi, grey, each
// page turned a little), read by Tesseract two pages at a time: the wall time an office waits.
if let recognizer = CharacterRecognizer.locate(searchPath: "/usr/bin:/usr/local/bin"), recognizer.pdftoppm != nil {
    let scan = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-bench-scan.pdf")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
        "python3",
        fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/catalogue-fixtures/make_scan.py").path,
        fixtures.appendingPathComponent("343-QD-TU.pdf").path, scan.path, "--pages", "14",
    ]
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    if process.terminationStatus == 0, let data = try? Data(contentsOf: scan) {
        let clock = ContinuousClock()
        let started = clock.now
        let readable = try await CatalogueFile.converted(
            data, converter: nil, pdfText: PDFTextExtractor.locate(searchPath: "/usr/bin:/usr/local/bin"),
            recognizer: recognizer)
        let elapsed = clock.now - started
        let rows = try CatalogueFile.parse(readable, fileName: "scan.pdf", parser: parser).assignments.count
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            "scan: seed, first 14 pages (\(data.count / 1024) KB), OCR \(recognizer.parallelPages) pages at a time: "
                + String(format: "%.1f s", seconds) + " (\(rows) rows read)")
    }
}

for rows in quick ? [1_000, 10_000] : [1_000, 10_000, 50_000] {
    let data = Data(try DemoCatalogue.text(assignments: rows).utf8)
    let catalogue = try parser.parse(data)
    precondition(catalogue.assignments.count == rows, "generated \(catalogue.assignments.count) of \(rows) rows")
    let runs = rows >= 50_000 ? 5 : (quick ? 5 : 20)
    report("generated \(rows) (parse)", rows: rows, bytes: data.count, try measure(runs: runs) { _ = try parser.parse(data) })
}
print("")
print("rows/ms stays level from 1,000 to 50,000 rows when parsing is linear in the input.")
