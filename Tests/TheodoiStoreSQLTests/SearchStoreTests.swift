import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiStore

/// Search by words on every backend, checked against a plain reading of the stored rows.
@Suite("Search by words on every backend", .serialized)
struct SearchStoreTests {
    /// The codes whose fields hold every whitespace-separated word of `query`, folded: computed
    /// here from the rows themselves, without the store's search column or `SearchWords`.
    static func expected(_ rows: [AssignmentRecord], _ query: String) -> Set<String> {
        let words = VietnameseText.folded(query).split(separator: " ").map(String.init)
        return Set(
            rows.filter { row in
                let text = [row.code, row.title, row.leadText, row.coordinatorsText, row.deadline.text, row.output]
                    .map { VietnameseText.folded($0) }.joined(separator: " ")
                return words.allSatisfy { text.contains($0) }
            }.map(\.code))
    }

    @Test("every word must match, in any order, diacritics and case ignored", arguments: Backends.all)
    func words(backend: String) async throws {
        try await Backends.withStore(backend) { store in
            let plan = try await Backends.importSeed(store).plan
            let rows = try await store.assignments(plan.id)
            let agency = try await store.searchAssignments(plan.id, "Sở Khoa học và Công nghệ")
            let words = try await store.searchAssignments(plan.id, "khoa hoc cong nghe")
            let reordered = try await store.searchAssignments(plan.id, "công nghệ KHOA học")
            #expect(agency == Self.expected(rows, "Sở Khoa học và Công nghệ"))
            #expect(words == Self.expected(rows, "khoa hoc cong nghe"))
            #expect(agency.count > 40)
            #expect(words.isSuperset(of: agency))
            #expect(reordered == words)
            #expect(try await store.searchAssignments(plan.id, "nghe CONG hoc khoa  khoa") == words)
            for query in ["dang vien", "chu ky so", "tinh uy so hoa", "du lieu 2025", "ĐẢNG ỦY", "A.17"] {
                #expect(try await store.searchAssignments(plan.id, SearchWords(query)) == Self.expected(rows, query), "\(query)")
            }
            #expect(try await store.searchAssignments(plan.id, "khoa hoc cong nghe xyzzy").isEmpty)
            #expect(try await store.searchAssignments(plan.id, "“(A.17.1)”,").contains("A.17.1"))
            #expect(try await store.searchAssignments(plan.id, "a_b%").isEmpty)
            #expect(try await store.searchAssignments(plan.id, "100%").contains("A.5"))
            #expect(try await store.searchAssignments(plan.id, "%").count == rows.count)
            #expect(try await store.searchAssignments(plan.id, "").count == rows.count)
        }
    }
}
