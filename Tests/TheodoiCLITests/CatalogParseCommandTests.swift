import ArgumentParser
import Foundation
import Testing
import TheodoiCLI
import TheodoiCatalog
import TheodoiTestSupport

@Suite("theodoi catalog parse")
struct CatalogParseCommandTests {
    @Test("prints the plan, the parts with declared and found counts, and every finding")
    func summary() async {
        let outcome = await CatalogParse.run(path: PackagePaths.seed, format: .auto, json: false)
        #expect(outcome.status == 0)
        #expect(outcome.error.isEmpty)
        #expect(outcome.output.contains("Văn bản số 343-QĐ/TU ngày 03/09/2025 của Ban Thường vụ Tỉnh ủy"))
        #expect(outcome.output.contains("119 dòng nhiệm vụ: 94 nhiệm vụ, 25 nhiệm vụ con."))
        assertSnapshot(outcome.output, named: "seed-summary.txt")
    }

    @Test("--json writes the stable contract of DESIGN §4.5")
    func json() async throws {
        let outcome = await CatalogParse.run(path: PackagePaths.seed, format: .auto, json: true)
        #expect(outcome.status == 0)
        assertSnapshot(outcome.output, named: "seed.json")

        let root = try #require(try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any])
        #expect(Set(root.keys) == ["plan", "parts", "assignments", "findings"])
        let plan = try #require(root["plan"] as? [String: Any])
        #expect(Set(plan.keys) == ["number", "date", "issuer", "title"])
        #expect(plan["number"] as? String == "343-QĐ/TU")
        #expect(plan["date"] as? String == "2025-09-03")
        let parts = try #require(root["parts"] as? [[String: Any]])
        #expect(parts.allSatisfy { Set($0.keys) == ["code", "title", "declaredCount", "foundCount", "groups"] })
        let assignments = try #require(root["assignments"] as? [[String: Any]])
        #expect(assignments.count == 119)
        let keys: Set<String> = [
            "code", "part", "group", "number", "parent", "title", "leadText", "lead", "coordinatorsText", "coordinators",
            "deadlineText", "deadline", "output",
        ]
        for assignment in assignments {
            #expect(Set(assignment.keys) == keys)
            let deadline = try #require(assignment["deadline"] as? [String: Any])
            switch deadline["kind"] as? String {
            case "recurring": #expect(Set(deadline.keys) == ["kind", "due", "cadence"])
            case "external": #expect(Set(deadline.keys) == ["kind", "due", "text"])
            default: #expect(Set(deadline.keys) == ["kind", "due"])
            }
            for agency in (assignment["lead"] as? [[String: Any]] ?? []) + (assignment["coordinators"] as? [[String: Any]] ?? [])
            {
                #expect(Set(agency.keys) == ["name", "generic"])
            }
        }
        let a171 = try #require(assignments.first { $0["code"] as? String == "A.17.1" })
        #expect(a171["parent"] as? String == "A.17")
        #expect(a171["group"] as? String == "II")
        #expect((a171["deadline"] as? [String: Any])?["due"] as? String == "2025-08-31")
        let findings = try #require(root["findings"] as? [[String: Any]])
        #expect(findings.allSatisfy { Set($0.keys) == ["severity", "line", "code", "message"] })
        #expect(findings.contains { $0["code"] as? String == "declared-count-mismatch" && $0["line"] as? Int == 108 })
    }

    @Test("another catalogue, in Markdown, through the same command")
    func markdown() async {
        let outcome = await CatalogParse.run(path: PackagePaths.catalogFixture("ke-hoach-120.md"), format: .auto, json: true)
        #expect(outcome.status == 0)
        assertSnapshot(outcome.output, named: "ke-hoach-120.json")
    }

    @Test("an Excel workbook through the same command, with the same catalogue as its CSV")
    func workbook() async throws {
        let xlsx = PackagePaths.root.appendingPathComponent("Tests/TheodoiExportTests/Fixtures/ke-hoach-120-libreoffice.xlsx")
        let outcome = await CatalogParse.run(path: xlsx.path, format: .auto, json: false)
        #expect(outcome.status == 0)
        #expect(outcome.output.contains("Văn bản số 120/KH-UBND ngày 15/03/2025 của Ủy ban nhân dân tỉnh"))
        #expect(outcome.output.contains("Định dạng: xlsx"))
        #expect(outcome.output.contains("6 dòng nhiệm vụ: 5 nhiệm vụ, 1 nhiệm vụ con."))
        let json = await CatalogParse.run(path: xlsx.path, format: .auto, json: true)
        let csv = await CatalogParse.run(path: PackagePaths.catalogFixture("ke-hoach-120.csv"), format: .auto, json: true)
        let assignments = { (output: String) throws -> [String] in
            let root = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            return (root["assignments"] as? [[String: Any]] ?? []).map {
                "\($0["code"] ?? "") \(($0["deadline"] as? [String: Any])?["due"] ?? "")"
            }
        }
        #expect(try assignments(json.output) == (try assignments(csv.output)))
        #expect(try assignments(json.output).count == 6)
    }

    @Test("files that are not catalogues exit with status 1 and one clear message")
    func failures() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = folder.appendingPathComponent("empty.txt")
        try Data().write(to: empty)
        let binary = folder.appendingPathComponent("image.gif")
        try Data(Array("GIF89a".utf8) + [0, 0, 0, 0, 0xFF, 0xFE]).write(to: binary)
        // An image is a scan: without Tesseract it says what to install.
        let image = folder.appendingPathComponent("image.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]).write(to: image)
        let fakeWorkbook = folder.appendingPathComponent("danh-muc.xlsx")
        try Data("TT,Nội dung\n".utf8).write(to: fakeWorkbook)

        let cases: [(String, CatalogueFormat, String)] = [
            (empty.path, .auto, "Tệp rỗng"),
            (binary.path, .auto, "không phải văn bản"),
            (image.path, .auto, "tesseract-ocr tesseract-ocr-vie"),
            (folder.appendingPathComponent("missing.txt").path, .auto, "tệp không tồn tại"),
            (folder.path, .auto, "không có quyền đọc hoặc là thư mục"),
            (PackagePaths.seed, .csv, "Không tìm thấy bảng nhiệm vụ"),
            (fakeWorkbook.path, .auto, "không phải bảng tính XLSX"),
            (PackagePaths.seed, .xlsx, "không phải bảng tính XLSX"),
        ]
        for (path, format, message) in cases {
            let outcome = await CatalogParse.run(path: path, format: format, json: false)
            #expect(outcome.status == 1, "\(path)")
            #expect(outcome.output.isEmpty)
            #expect(outcome.error.hasPrefix("Lỗi: "))
            #expect(outcome.error.contains(message), "\(outcome.error)")
            #expect(outcome.error.filter { $0 == "\n" }.count == 1)
        }
    }

    @Test("with --json, a file that is not a catalogue gives its error as JSON, in English")
    func jsonErrors() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-cli-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = folder.appendingPathComponent("empty.txt")
        try Data().write(to: empty)
        let image = folder.appendingPathComponent("scan.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]).write(to: image)
        for (path, expected) in [
            (empty.path, #"{"error":{"reason":"empty","message":"the file is empty"}}"#),
            (
                image.path,
                #"{"error":{"reason":"document","message":"a scanned copy needs Tesseract with Vietnamese data (Debian: tesseract-ocr tesseract-ocr-vie)"}}"#
            ),
        ] {
            let outcome = await CatalogParse.run(path: path, format: .auto, json: true)
            #expect(outcome.status == 1)
            #expect(outcome.output.isEmpty)
            #expect(outcome.error == expected + "\n")
        }
    }

    @Test("the command line is parsed as documented")
    func arguments() async throws {
        #expect(throws: (any Error).self) { try TheodoiCommand.parseAsRoot(["catalog", "parse", "x.txt", "--format", "xls"]) }
        _ = try TheodoiCommand.parseAsRoot(["catalog", "parse", "x.xlsx", "--format", "xlsx"])
        #expect(throws: (any Error).self) { try TheodoiCommand.parseAsRoot(["catalog", "parse"]) }
        let command = try TheodoiCommand.parseAsRoot(["catalog", "parse", "x.txt", "--json", "--format", "markdown"])
        #expect(String(describing: type(of: command)) == "CatalogParseCommand")
    }
}
