import Foundation
import Logging
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiExport
import TheodoiOperations
import TheodoiStore
import TheodoiStoreSQL

@Suite("Catalogue files of every format, XLSX included, and the import preview")
struct CatalogueFileTests {
    static let parser: CatalogueParser = {
        do { return CatalogueParser(directory: try AgencyDirectory.bundled()) } catch { fatalError("directory: \(error)") }
    }()

    /// The 343-QĐ/TU appendix as a workbook written by our own XLSX writer: one spreadsheet row per
    /// line of the text, one cell per tab-separated piece (the first line is the writer's header row).
    static func seedWorkbook() throws -> (text: Data, xlsx: [UInt8], csv: [UInt8]) {
        let text = try SeedCatalogue.data()
        let lines = String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let cells = lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let table = ExportTable(
            title: "343-QĐ/TU", headers: cells[0], rows: cells.dropFirst().map { $0.map(ExportTable.Cell.text) })
        return (text, try XLSXWriter.bytes(table), CSVWriter.bytes(table))
    }

    /// What a parse says, line numbers included.
    static func full(_ catalogue: Catalogue) -> String { CatalogueDTO(catalogue).json.serialized() }

    /// What a parse says without line numbers (a CSV cell with a line break takes two lines).
    static func content(_ catalogue: Catalogue) -> String {
        var assignments = CatalogueDTO(catalogue).assignments.map { $0.json.serialized() }
        assignments.sort()
        let findings = catalogue.findings.map { "\($0.severity.rawValue) \($0.code.rawValue) \($0.message)" }.sorted()
        return (assignments + findings + [CatalogueDTO(catalogue).plan.json.serialized()]).joined(separator: "\n")
    }

    @Test("343-QĐ/TU gives the same assignments and findings from XLSX as from its text and from CSV")
    func seedThroughXLSX() throws {
        let (text, xlsx, csv) = try Self.seedWorkbook()
        let fromText = try CatalogueFile.parse(text, fileName: "343-QD-TU.txt", parser: Self.parser)
        let fromXLSX = try CatalogueFile.parse(Data(xlsx), fileName: "343-QD-TU.xlsx", parser: Self.parser)
        let fromCSV = try CatalogueFile.parse(Data(csv), fileName: "343-QD-TU.csv", parser: Self.parser)
        #expect(fromXLSX.format == .xlsx)
        #expect(fromCSV.format == .csv)
        #expect(fromXLSX.assignments.count == 119)
        #expect(Self.full(fromXLSX) == Self.full(fromText))
        #expect(fromXLSX.findings == fromText.findings)
        #expect(Self.full(fromCSV) == Self.full(fromText))
        // A ZIP is read as a workbook whatever its name; a name alone does not make text a workbook.
        #expect(try CatalogueFile.parse(Data(xlsx), fileName: "upload", parser: Self.parser).format == .xlsx)
        #expect(CatalogueFile.isSpreadsheet(text, fileName: "343.txt") == false)
    }

    static func fixture(_ path: String) throws -> Data {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        return try Data(contentsOf: tests.appendingPathComponent(path))
    }

    @Test("a workbook LibreOffice made from a CSV reads as that CSV does")
    func libreOfficeWorkbook() throws {
        let xlsx = try Self.fixture("TheodoiExportTests/Fixtures/ke-hoach-120-libreoffice.xlsx")
        let csv = try Self.fixture("TheodoiCatalogTests/Fixtures/ke-hoach-120.csv")
        let fromXLSX = try CatalogueFile.parse(xlsx, fileName: "ke-hoach-120.xlsx", parser: Self.parser)
        let fromCSV = try CatalogueFile.parse(csv, fileName: "ke-hoach-120.csv", parser: Self.parser)
        #expect(fromXLSX.plan.number == "120/KH-UBND")
        #expect(fromXLSX.assignments.map(\.code) == ["1", "2", "3", "4", "5", "5.1"])
        // LibreOffice stored 31/12/2025 as a date; it reads back as the date the CSV wrote.
        #expect(fromXLSX.assignments.last?.deadline.due == LocalDate(iso: "2025-12-31"))
        #expect(Self.content(fromXLSX) == Self.content(fromCSV))
    }

    @Test("an unreadable workbook is refused with the reader's Vietnamese reason")
    func unreadableWorkbook() throws {
        do {
            _ = try CatalogueFile.parse(Data("không phải bảng tính".utf8), fileName: "danh-muc.xlsx", parser: Self.parser)
            Issue.record("read text named .xlsx as a workbook")
        } catch {
            #expect(error.reason == .spreadsheet)
            #expect(error.message.contains("không phải bảng tính XLSX"))
        }
    }

    static func withImporter(_ body: (StoreClient, CatalogueImporter) async throws -> Void) async throws {
        let store = try await SQLStore.open(.sqliteMemory, logger: Logger(label: "test"))
        try await store.client.migrate()
        try await body(store.client, CatalogueImporter(store: store.client, parser: Self.parser))
        await store.shutdown()
    }

    @Test("the preview says what an import would do and stores nothing")
    func preview() async throws {
        try await Self.withImporter { store, importer in
            let (_, xlsx, _) = try Self.seedWorkbook()
            let fresh = try await importer.preview(Data(xlsx), sourceName: "343-QD-TU.xlsx")
            #expect(fresh.createsPlan)
            #expect(fresh.number == "343-QĐ/TU" && fresh.slug == "343-qd-tu")
            #expect(fresh.added.count == 119)
            #expect(try await store.plans().isEmpty)

            try await importer.loadSeedIfEmpty()
            let same = try await importer.preview(Data(xlsx), sourceName: "343-QD-TU.xlsx")
            #expect(same.existing?.slug == "343-qd-tu")
            #expect(same.isUnchanged)

            var text = String(decoding: try SeedCatalogue.data(), as: UTF8.self)
            text = text.replacingOccurrences(of: "Triển khai Cổng dữ liệu mở\t", with: "Triển khai Cổng dữ liệu mở của tỉnh\t")
            text = text.replacingOccurrences(of: "\n29\tChuyển đổi dữ liệu", with: "\n30\tChuyển đổi dữ liệu")
            let changed = try await importer.preview(Data(text.utf8), sourceName: "343-QD-TU-sua.txt")
            #expect(changed.changed == [ImportResult.Change(code: "A.12", fields: ["nội dung"])])
            #expect(changed.added == ["C.30"])
            #expect(changed.missing == ["C.29"])
            #expect(changed.planChanges.isEmpty)
            // What the preview announced is what the import then does.
            let result = try await importer.importCatalogue(Data(text.utf8), sourceName: "343-QD-TU-sua.txt")
            #expect(result.changed == changed.changed && result.added == changed.added && result.missing == changed.missing)
            #expect(result.planChanges == changed.planChanges)
        }
    }
}
