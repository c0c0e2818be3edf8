import Foundation
import Logging
import ServiceLifecycle
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiStore
import TheodoiStoreSQL

/// The databases every store test runs on: in-memory SQLite always, an SQLite file, and PostgreSQL
/// when `THEODOI_TEST_POSTGRES_URL` is set (CI sets it).
enum Backends {
    static var all: [String] {
        var names = ["sqlite-memory", "sqlite-file"]
        if ProcessInfo.processInfo.environment["THEODOI_TEST_POSTGRES_URL"] != nil { names.append("postgres") }
        return names
    }

    /// A fresh, empty, migrated store on the named backend; the body runs with it.
    static func withStore<R>(
        _ name: String, now: @escaping @Sendable () -> Date = { Date(timeIntervalSince1970: 1_764_547_200) },
        _ body: (StoreClient) async throws -> R
    ) async throws -> R {
        try await withSQLStore(name, now: now) { try await body($0.client) }
    }

    /// A fresh, empty `SQLStore` on the named backend, migrated unless told not; the body runs with it.
    static func withSQLStore<R>(
        _ name: String, now: @escaping @Sendable () -> Date = { Date(timeIntervalSince1970: 1_764_547_200) },
        migrate: Bool = true, _ body: (SQLStore) async throws -> R
    ) async throws -> R {
        let logger = Logger(label: "test")
        let (location, folder) = try Self.location(name)
        let store = try await SQLStore.open(location, logger: logger, now: now)
        defer { if let folder { try? FileManager.default.removeItem(at: folder) } }
        let service = store.service
        let running = Task { try await service?.run() }
        defer { running.cancel() }
        do {
            if migrate { try await store.client.migrate() }
            let result = try await body(store)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }

    /// A new, empty database on the named backend, and the folder to remove after (SQLite file).
    static func location(_ name: String) throws -> (DatabaseLocation, URL?) {
        switch name {
        case "sqlite-file":
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-store-\(UUID().uuidString)")
            return (.sqliteFile(path: directory.appendingPathComponent("test.sqlite").path), directory)
        case "postgres":
            let base = ProcessInfo.processInfo.environment["THEODOI_TEST_POSTGRES_URL"] ?? ""
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            return (
                try DatabaseLocation.parse(base + (base.contains("?") ? "&" : "?") + "schema=\(schema)", defaultPath: ""), nil
            )
        default:
            return (.sqliteMemory, nil)
        }
    }

    static let directory: AgencyDirectory = {
        do { return try AgencyDirectory.bundled() } catch { fatalError("\(error)") }
    }()
    static let seed: Catalogue = {
        do { return try CatalogueParser(directory: directory).parse(try SeedCatalogue.data()) } catch { fatalError("\(error)") }
    }()

    static func importSeed(_ store: StoreClient) async throws -> ImportResult {
        try await store.syncAgencyDirectory(directory.entries)
        return try await store.importCatalogue(ImportRequest(catalogue: seed, number: "343-QĐ/TU", sourceName: "343-QD-TU.txt"))
    }
}

@Suite("Store conformance on every backend", .serialized)
struct StoreConformanceTests {
    @Test("migrating twice is harmless", arguments: Backends.all)
    func migrateTwice(backend: String) async throws {
        try await Backends.withStore(backend) { store in
            try await store.migrate()
            try await store.ping()
            #expect(try await store.plans().isEmpty)
        }
    }

    @Test("imports the seed whole and reads it back in document order", arguments: Backends.all)
    func importSeed(backend: String) async throws {
        try await Backends.withStore(backend) { store in
            let result = try await Backends.importSeed(store)
            #expect(result.created)
            #expect(result.added.count == 119)
            #expect(result.plan.slug == "343-qd-tu")
            #expect(result.plan.number == "343-QĐ/TU")
            #expect(result.plan.date == LocalDate(iso: "2025-09-03"))
            #expect(result.plan.issuer == "Ban Thường vụ Tỉnh ủy")
            #expect(result.plan.assignmentCount == 119)

            let assignments = try await store.assignments(result.plan.id)
            #expect(assignments.map(\.code) == Backends.seed.assignments.map(\.code))
            for (stored, parsed) in zip(assignments, Backends.seed.assignments) {
                #expect(stored.title == parsed.title)
                #expect(stored.leadText == parsed.leadText)
                #expect(stored.lead.map(\.name) == parsed.lead.map(\.name))
                #expect(stored.coordinators.map(\.name) == parsed.coordinators.map(\.name))
                #expect(stored.coordinators.map(\.generic) == parsed.coordinators.map(\.generic))
                #expect(stored.deadline == parsed.deadline)
                #expect(stored.output == parsed.output)
                #expect(stored.parent == parsed.parent)
            }
            let parts = try await store.parts(result.plan.id)
            #expect(parts.map(\.code) == ["A", "B", "C"])
            #expect(parts.map(\.declaredCount) == [52, 14, 29])
            #expect(parts[0].groups.map(\.code) == ["I", "II", "III", "IV", "V"])
            let findings = try await store.findings(result.plan.id)
            #expect(findings == Backends.seed.findings)
        }
    }

    @Test("re-importing the same catalogue changes nothing", arguments: Backends.all)
    func idempotent(backend: String) async throws {
        try await Backends.withStore(backend) { store in
            let first = try await Backends.importSeed(store)
            let second = try await Backends.importSeed(store)
            #expect(second.isUnchanged)
            #expect(second.plan.revision == first.plan.revision)
            #expect(try await store.plans().count == 1)
            #expect(try await store.assignments(first.plan.id).count == 119)
        }
    }

    @Test("a changed catalogue updates by code and deletes nothing", arguments: Backends.all)
    func changedCatalogue(backend: String) async throws {
        try await Backends.withStore(backend) { store in
            let first = try await Backends.importSeed(store)
            var changed = Backends.seed
            changed.assignments[0].title = "Xây dựng Đề án chuyển đổi số ngành VHTTDL (sửa)"
            changed.assignments[1].deadline = Deadline(parsing: "Tháng 11/2025")
            let removed = changed.assignments.remove(at: 5)
            var extra = changed.assignments[2]
            extra.code = "A.99"
            extra.number = "99"
            changed.assignments.append(extra)
            let result = try await store.importCatalogue(
                ImportRequest(catalogue: changed, number: "343-QĐ/TU", sourceName: "343-QD-TU-v2.txt"))
            #expect(!result.created)
            #expect(result.added == ["A.99"])
            #expect(result.changed.map(\.code) == ["A.1", "A.2"])
            #expect(result.changed.first?.fields == ["nội dung"])
            #expect(result.changed.last?.fields == ["thời hạn"])
            #expect(result.missing == [removed.code])
            #expect(result.plan.revision == first.plan.revision + 1)
            let stored = try await store.assignments(first.plan.id)
            #expect(stored.count == 120)
            #expect(stored.contains { $0.code == removed.code })
            #expect(stored.first { $0.code == "A.2" }?.deadline.due == LocalDate(iso: "2025-11-30"))
        }
    }

    @Test("an import that fails half-way leaves no half plan; the next one completes", arguments: Backends.all)
    func atomicImport(backend: String) async throws {
        try await Backends.withStore(backend) { store in
            try await store.syncAgencyDirectory(Backends.directory.entries)
            var broken = Backends.seed
            // Two rows with one code break the unique key at the second insert batch.
            broken.assignments.append(broken.assignments[0])
            await #expect(throws: (any Error).self) {
                try await store.importCatalogue(ImportRequest(catalogue: broken, number: "343-QĐ/TU", sourceName: "x"))
            }
            #expect(try await store.plans().isEmpty)
            let result = try await Backends.importSeed(store)
            #expect(result.created)
            #expect(try await store.assignments(result.plan.id).count == 119)
        }
    }

    @Test("Vietnamese text, dates and order survive the round trip", arguments: Backends.all)
    func textAndDates(backend: String) async throws {
        try await Backends.withStore(backend) { store in
            let result = try await Backends.importSeed(store)
            let stored = try await store.assignments(result.plan.id)
            let b4 = try #require(stored.first { $0.code == "B.4" })
            #expect(b4.deadline.kind == .external)
            #expect(b4.title.hasPrefix("Triển khai phần mềm sổ tay đảng viên điện tử"))
            #expect(Array(b4.title.unicodeScalars) == Array(VietnameseText.nfc(b4.title).unicodeScalars))
            #expect(stored.map(\.position) == Array(0..<119))
            let agencies = try await store.agencies()
            #expect(agencies.count >= 150)
            let folded = agencies.map { VietnameseText.folded($0.name) }
            #expect(folded == folded.sorted())
            #expect(agencies.contains { $0.name == "Phòng Nghiệp vụ của Bộ Tư pháp" && $0.kind == .unknown })
        }
    }

    @Test("search uses the folded column: no diacritics, no case", arguments: Backends.all)
    func search(backend: String) async throws {
        try await Backends.withStore(backend) { store in
            let plan = try await Backends.importSeed(store).plan
            let chuKySo = try await store.searchAssignments(plan.id, SearchWords("chu ky so"))
            #expect(chuKySo.contains("A.15"))
            #expect(chuKySo.contains("A.1") == false)
            let tinhUy = try await store.searchAssignments(plan.id, SearchWords("TINH UY"))
            #expect(tinhUy.contains("B.1"))
            let dangVien = try await store.searchAssignments(plan.id, SearchWords("dang vien"))
            #expect(dangVien.contains("A.42"))
            #expect(dangVien.contains("B.4"))
            #expect(try await store.searchAssignments(plan.id, "100%").contains("A.5"))
            #expect(try await store.searchAssignments(plan.id, "a_b%").isEmpty)
            #expect(try await store.planRevision("343-qd-tu") == PlanVersion(revision: plan.revision, activity: 0))
            #expect(try await store.planRevision("khong-co") == nil)
            #expect(try await store.plan("khong-co") == nil)
        }
    }
}
