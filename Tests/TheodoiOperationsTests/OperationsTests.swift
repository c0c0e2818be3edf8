import Foundation
import Logging
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiStoreSQL

@Suite("Operations over a real store")
struct OperationsTests {
    static func withImporter(_ body: (StoreClient, CatalogueImporter) async throws -> Void) async throws {
        let store = try await SQLStore.open(.sqliteMemory, logger: Logger(label: "test"))
        let client = store.client
        try await client.migrate()
        try await body(
            client, CatalogueImporter(store: client, parser: CatalogueParser(directory: try AgencyDirectory.bundled())))
        await store.shutdown()
    }

    @Test("starting twice against the same database imports the seed once")
    func seedOnce() async throws {
        try await Self.withImporter { store, importer in
            let first = try #require(try await importer.loadSeedIfEmpty())
            #expect(first.created)
            #expect(first.report == "Đã nhập kế hoạch 343-QĐ/TU (343-qd-tu): 119 nhiệm vụ.")
            #expect(try await importer.loadSeedIfEmpty() == nil)
            #expect(try await store.plans().count == 1)
            let again = try await importer.importCatalogue(try SeedCatalogue.data(), sourceName: "343-QD-TU.txt")
            #expect(again.isUnchanged)
            #expect(again.report == "Kế hoạch 343-QĐ/TU (343-qd-tu) không thay đổi: tệp giống hệt lần nhập trước.")
        }
    }

    @Test("a changed file updates by code and says what changed; nothing is deleted")
    func changedFile() async throws {
        try await Self.withImporter { store, importer in
            try await importer.loadSeedIfEmpty()
            var text = String(decoding: try SeedCatalogue.data(), as: UTF8.self)
            text = text.replacingOccurrences(of: "Triển khai Cổng dữ liệu mở\t", with: "Triển khai Cổng dữ liệu mở của tỉnh\t")
            text = text.replacingOccurrences(of: "\n29\tChuyển đổi dữ liệu", with: "\n30\tChuyển đổi dữ liệu")
            let result = try await importer.importCatalogue(Data(text.utf8), sourceName: "343-QD-TU-sua.txt")
            #expect(result.changed.map(\.code) == ["A.12"])
            #expect(result.added == ["C.30"])
            #expect(result.missing == ["C.29"])
            #expect(result.report.contains("A.12: đổi nội dung."))
            #expect(result.report.contains("vẫn được giữ nguyên (không xóa): C.29"))
            #expect(try await store.assignments(result.plan.id).count == 120)
        }
    }

    @Test("a file with no decision number needs --number; an unreadable file says why")
    func importErrors() async throws {
        try await Self.withImporter { _, importer in
            let table = Data("TT\tNội dung thực hiện\tĐơn vị chủ trì\tThời gian hoàn thành\n1\tViệc\tSở Y tế\t2026\n".utf8)
            await #expect(throws: CatalogueImporter.ImportError.self) {
                try await importer.importCatalogue(table, sourceName: "x")
            }
            let named = try await importer.importCatalogue(table, sourceName: "x", number: "12/KH-UBND")
            #expect(named.plan.slug == "12-kh-ubnd")
            await #expect(throws: CatalogueImporter.ImportError.self) {
                try await importer.importCatalogue(Data(), sourceName: "y")
            }
        }
    }

    @Test("the demo plan is separate, clearly named, and the size asked for")
    func demo() async throws {
        try await Self.withImporter { store, importer in
            try await importer.loadSeedIfEmpty()
            let result = try await importer.importDemo(assignments: 500)
            #expect(result.plan.number == "DEMO-500")
            #expect(result.plan.isDemo)
            #expect(result.plan.assignmentCount == 500)
            #expect(result.plan.title?.contains("DỮ LIỆU SINH TỰ ĐỘNG") == true)
            let assignments = try await store.assignments(result.plan.id)
            #expect(assignments.contains { $0.parent != nil })
            #expect(
                Set(assignments.map(\.deadline.kind)).isSuperset(of: [
                    .month, .quarter, .halfYear, .year, .date, .range, .recurring, .external, .none,
                ]))
            let plans = try await store.plans()
            #expect(plans.map(\.slug) == ["343-qd-tu", "demo-500"])
            #expect(plans.first?.assignmentCount == 119)
            #expect(try await importer.loadSeedIfEmpty() == nil)
        }
    }

    @Test("plan views: filters, search and counts as of a date")
    func views() async throws {
        try await Self.withImporter { store, importer in
            try await importer.loadSeedIfEmpty()
            var progress = ProgressStore.failing
            progress.events = { _, _ in [] }
            let views = PlanViews(store: store, snapshots: PlanSnapshots(store: store, progress: progress))
            let asOf = LocalDate(iso: "2025-09-30")!
            let all = try #require(try await views.view(slug: "343-qd-tu", query: PlanQuery(asOf: asOf)))
            #expect(all.total == 119)
            #expect(all.summary.total == 94)
            let overdue = try #require(
                try await views.view(slug: "343-qd-tu", query: PlanQuery(asOf: asOf, timeliness: .openOverdue)))
            #expect(overdue.rows.allSatisfy { $0.status.timeliness == .openOverdue })
            #expect(overdue.rows.allSatisfy { $0.status.effectiveDue! < asOf })
            let found = try #require(try await views.view(slug: "343-qd-tu", query: PlanQuery(asOf: asOf, text: "CHỮ KÝ SỐ")))
            #expect(found.rows.map(\.assignment.code).contains("A.15"))
            await #expect(throws: PlanViews.UnknownFilter.self) {
                try await views.view(slug: "343-qd-tu", query: PlanQuery(asOf: asOf, part: "Z"))
            }
            #expect(try await views.view(slug: "khong-co", query: PlanQuery(asOf: asOf)) == nil)
            let dashboard = try #require(try await views.dashboard(slug: "343-qd-tu", asOf: asOf))
            #expect(dashboard.parts.map(\.total) == [52, 13, 29])
            #expect(dashboard.overall.timeliness[.openOverdue] == 14)
        }
    }
}
