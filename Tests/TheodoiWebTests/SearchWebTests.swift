import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiWeb

/// Search by words through the plan page and the API list, on every backend.
@Suite("Search by words")
struct SearchWebTests {
    /// The assignment codes a plan page links to.
    static func codes(inPage html: String) -> Set<String> {
        var codes: Set<String> = []
        for piece in html.components(separatedBy: "href=\"/plans/343-qd-tu/assignments/").dropFirst() {
            if let end = piece.firstIndex(where: { $0 == "\"" || $0 == "?" }) { codes.insert(String(piece[..<end])) }
        }
        return codes
    }

    /// The seed's rows whose fields hold every word of `query`, folded: a plain reading of the
    /// catalogue, apart from the store and `SearchWords`.
    static func expected(_ query: String) -> Set<String> {
        let words = VietnameseText.folded(query).split(separator: " ").map(String.init)
        return Set(
            TestServer.seed.assignments.filter { row in
                let text = [row.code, row.title, row.leadText, row.coordinatorsText, row.deadline.text, row.output]
                    .map { VietnameseText.folded($0) }.joined(separator: " ")
                return words.allSatisfy { text.contains($0) }
            }.map(\.code))
    }

    @Test(
        "words in any order, with or without diacritics, find the rows that name Sở Khoa học và Công nghệ, marked",
        arguments: WebBackends.all)
    func words(backend: String) async throws {
        try await World.run(backend: backend) { world, base in
            let client = world.client(base, as: .leader)
            let agencyQuery = "S%E1%BB%9F+Khoa+h%E1%BB%8Dc+v%C3%A0+C%C3%B4ng+ngh%E1%BB%87"  // Sở Khoa học và Công nghệ
            let (_, agencyPage, _) = try await TestServer.get(client, "/plans/343-qd-tu?q=\(agencyQuery)&perPage=500")
            let (status, plainPage, _) = try await TestServer.get(client, "/plans/343-qd-tu?q=khoa+hoc+cong+nghe&perPage=500")
            let reorderedQuery = "c%C3%B4ng+ngh%E1%BB%87+KHOA+h%E1%BB%8Dc"  // công nghệ KHOA học
            let (_, reorderedPage, _) = try await TestServer.get(client, "/plans/343-qd-tu?q=\(reorderedQuery)&perPage=500")
            #expect(status == .ok)
            let agency = Self.codes(inPage: agencyPage)
            let plain = Self.codes(inPage: plainPage)
            #expect(agency == Self.expected("Sở Khoa học và Công nghệ"))
            #expect(agency.count > 40)
            #expect(plain == Self.expected("khoa hoc cong nghe"))
            #expect(plain.isSuperset(of: agency))
            #expect(Self.codes(inPage: reorderedPage) == plain)
            #expect(plainPage.contains("Tìm thấy \(plain.count) dòng khớp bộ lọc"))

            // The words marked on the original letters, in the agency names and the titles.
            for page in [plainPage, reorderedPage] {
                #expect(page.contains(">Sở <mark>Khoa</mark> <mark>học</mark> và <mark>Công</mark> <mark>nghệ</mark></a>"))
            }
            #expect(agencyPage.contains("><mark>Sở</mark> <mark>Khoa</mark> <mark>học</mark> <mark>và</mark>"))
            #expect(
                plainPage.contains("<mark>khoa</mark> <mark>học</mark>")
                    || plainPage.contains("<mark>Khoa</mark> <mark>học</mark>"))
            // Rows without a search show no marks.
            let (_, unfiltered, _) = try await TestServer.get(client, "/plans/343-qd-tu")
            #expect(!unfiltered.contains("<mark>"))

            // The API list finds the same rows.
            let leader = try #require(world.session(.leader))
            let (_, token) = try await world.accounts.createAPIToken(for: leader.user, label: "t", by: .commandLine)
            let api = try await HTTP.get(
                base, "/api/v1/plans/343-qd-tu/assignments?q=\(reorderedQuery)&perPage=1000",
                headers: [.authorization: "Bearer \(token)"])
            #expect(api.status == .ok)
            let root = try #require(try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as? [String: Any])
            let items = try #require(root["items"] as? [[String: Any]])
            #expect(Set(items.compactMap { $0["code"] as? String }) == plain)
            #expect(root["total"] as? Int == plain.count)
        }
    }

    @Test("the agency directory finds an agency by its words in any order")
    func directory() async throws {
        try await World.run { world, base in
            let admin = world.client(base, as: .admin)
            let (status, html, _) = try await TestServer.get(admin, "/admin/agencies?q=cong+nghe+KHOA")
            #expect(status == .ok)
            #expect(html.contains("Sở Khoa học và Công nghệ"))
            #expect(!html.contains("Sở Tài chính"))
        }
    }

    @Test("marked text stays escaped: a title with markup shows as text, with the words marked")
    func escaped() async throws {
        try await TestServer.run { client, importer in
            var text = String(decoding: try SeedCatalogue.data(), as: UTF8.self)
            text = text.replacingOccurrences(
                of: "Triển khai Cổng dữ liệu mở\t", with: "Triển khai <b>Cổng</b> dữ liệu mở & \"đa\" nền tảng 'số'\t")
            _ = try await importer.importCatalogue(Data(text.utf8), sourceName: "343-QD-TU.txt")
            let (status, html, _) = try await TestServer.get(client, "/plans/343-qd-tu?q=cong+%3Cb%3E+DA+NEN")
            #expect(status == .ok)
            #expect(
                html.contains(
                    "Triển khai <mark>&lt;b&gt;Cổng</mark>&lt;/b&gt; dữ liệu mở &amp; &quot;<mark>đa</mark>&quot; <mark>nền</mark> tảng &#39;số&#39;"
                ))
            #expect(!html.contains("<b>Cổng"))
        }
    }

    @Test(
        "odd searches answer a page, never a crash",
        arguments: [
            "%CC%81", "%E2%80%8D", "%F0%9F%91%8D%F0%9F%8F%BD", "%25", "%5C", "_", "%26", "-", "%22", "%0A", "a%00b",
            "%C4%91+%C4%90", "e%CC%81%CC%81%CC%81",
        ])
    func odd(query: String) async throws {
        try await TestServer.run { client in
            let (status, _, _) = try await TestServer.get(client, "/plans/343-qd-tu?q=\(query)")
            #expect(status == .ok || status == .badRequest)
        }
    }
}
