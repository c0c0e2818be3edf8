import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiTestSupport
import ZIPFoundation

/// The dashboard, scorecard, lists and changes through the real pages and API: every number links to
/// exactly the rows it counts.
@Suite("Dashboard pages")
struct MonitoringWebTests {
    /// The hrefs of the cards in a page section, with their numbers.
    static func cards(_ html: String) -> [(count: Int, href: String)] {
        let pattern = /<a class="card[^"]*" href="([^"]+)"><span class="count">(\d+)<\/span>/
        return html.matches(of: pattern).map {
            (Int($0.output.2) ?? -1, String($0.output.1).replacingOccurrences(of: "&amp;", with: "&"))
        }
    }

    static func rowCount(_ html: String) -> Int? {
        if let match = html.firstMatch(of: /Tìm thấy (\d+) dòng khớp bộ lọc/) { return Int(match.output.1) }
        return nil
    }

    @Test("every card on the dashboard drills down to exactly as many rows; charts carry their table and title")
    func drillDown() async throws {
        try await World.run { world, client in
            let leader = world.client(client, as: .leader)
            let page = try await HTTP.get(leader, "/plans/343-qd-tu/dashboard?asOf=2025-10-15")
            #expect(page.status == .ok)
            #expect(page.body.contains("Tính đến ngày 15/10/2025: Tổng số 94 nhiệm vụ;"))
            assertSnapshot(page.body, named: "dashboard-2025-10-15.html")
            let cards = Self.cards(page.body)
            #expect(cards.count == Timeliness.allCases.count + Stage.allCases.count + 5)
            for card in cards.prefix(Timeliness.allCases.count + Stage.allCases.count) {
                let rows = try await HTTP.get(leader, card.href)
                #expect(rows.status == .ok, "\(card.href)")
                #expect(Self.rowCount(rows.body) == card.count, "\(card.href)")
            }
            // The part chart's bars link to the same filtered lists, and the chart has a title and a table.
            #expect(page.body.contains("<svg class=\"chart\""))
            #expect(page.body.contains("<title id=\"parts-title\">"))
            #expect(page.body.contains("Bảng số liệu"))
            #expect(!page.body.contains(" style=\""))
            let overdueA = try #require(
                page.body.firstMatch(
                    of:
                        /<a href="(\/plans\/343-qd-tu\?asOf=2025-10-15&amp;level=top&amp;part=A&amp;timeliness=open-overdue)"><title>Phần A \(52\): Chưa hoàn thành, quá hạn (\d+)<\/title>/
                ))
            let rows = try await HTTP.get(leader, String(overdueA.output.1).replacingOccurrences(of: "&amp;", with: "&"))
            #expect(Self.rowCount(rows.body) == Int(overdueA.output.2))
            // The month bars: due in the month, top level.
            let month = try #require(page.body.firstMatch(of: /<title>T10\/25: Đến hạn trong tháng (\d+)<\/title>/))
            let october = try await HTTP.get(leader, "/plans/343-qd-tu?asOf=2025-10-15&level=top&month=2025-10")
            #expect(Self.rowCount(october.body) == Int(month.output.1))
        }
    }

    @Test("the scorecard ranks who is behind first, sorts by any column, and links its numbers")
    func scorecard() async throws {
        try await World.run { world, client in
            let leader = world.client(client, as: .leader)
            let page = try await HTTP.get(leader, "/plans/343-qd-tu/scorecard?asOf=2025-10-15")
            #expect(page.status == .ok)
            let overdue = page.body.matches(of: /<tr class="behind">/).count
            #expect(overdue > 0)
            let api = try await HTTP.get(
                client, "/api/v1/plans/343-qd-tu/scorecard?asOf=2025-10-15",
                headers: [
                    .authorization:
                        "Bearer \(try await world.accounts.createAPIToken(for: try #require(world.session(.leader)).user, label: "t", by: .system).token)"
                ])
            let items = try #require(
                (try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as? [String: Any])?["items"] as? [[String: Any]])
            let counts = items.compactMap { $0["overdue"] as? Int }
            #expect(counts == counts.sorted(by: >))
            #expect(items.filter { ($0["overdue"] as? Int ?? 0) > 0 }.count == overdue)
            let byName = try await HTTP.get(leader, "/plans/343-qd-tu/scorecard?asOf=2025-10-15&sort=name&dir=asc")
            let names = byName.body.matches(of: /<th><a href="\/agencies\/\d+[^"]*">([^<]+)<\/a><\/th>/).map {
                String($0.output.1)
            }
            #expect(names == names.sorted { VietnameseText.folded($0) < VietnameseText.folded($1) })
            #expect(try await HTTP.get(leader, "/plans/343-qd-tu/scorecard?sort=gi-do").status == .badRequest)
        }
    }

    @Test("the action lists and what changed, on pages and in the API")
    func listsAndChanges() async throws {
        try await World.run { world, client in
            let leader = world.client(client, as: .leader)
            let token = try await world.accounts.createAPIToken(
                for: try #require(world.session(.leader)).user, label: "t", by: .system
            ).token
            for list in ["overdue", "due-soon", "quiet", "awaiting-review", "recurring-unreported"] {
                let page = try await HTTP.get(leader, "/plans/343-qd-tu/lists/\(list)?asOf=2025-10-15")
                #expect(page.status == .ok, "\(list)")
                let api = try await HTTP.get(
                    client, "/api/v1/plans/343-qd-tu/lists/\(list)?asOf=2025-10-15", headers: [.authorization: "Bearer \(token)"])
                let total = (try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as? [String: Any])?["total"] as? Int
                #expect(page.body.matches(of: /<tr><td class="c-tt"/).count == total, "\(list)")
            }
            let overdue = try await HTTP.get(
                client, "/api/v1/plans/343-qd-tu/lists/overdue?asOf=2025-10-15", headers: [.authorization: "Bearer \(token)"])
            let days =
                ((try JSONSerialization.jsonObject(with: Data(overdue.body.utf8)) as? [String: Any])?["items"] as? [[String: Any]])?
                .compactMap { $0["days"] as? Int } ?? []
            #expect(!days.isEmpty && days == days.sorted(by: >))
            #expect(try await HTTP.get(leader, "/plans/343-qd-tu/lists/khong-co").status == .notFound)
            let changes = try await HTTP.get(leader, "/plans/343-qd-tu/changes?from=2025-09-30&to=2025-10-15")
            #expect(changes.status == .ok)
            #expect(changes.body.contains("Mới quá hạn"))
            let api = try await HTTP.get(
                client, "/api/v1/plans/343-qd-tu/changes?from=2025-09-30&to=2025-10-15",
                headers: [.authorization: "Bearer \(token)"])
            let newlyOverdue =
                (try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as? [String: Any])?["newlyOverdue"] as? [String]
            // Every "Tháng 9/2025" task was in time on 30/09 and overdue on 15/10.
            #expect(newlyOverdue?.contains("A.17.4") == true)
            // Two dates in the other order name the same period.
            let reversed = try await HTTP.get(leader, "/plans/343-qd-tu/changes?from=2025-10-15&to=2025-09-30")
            #expect(reversed.status == .ok)
            #expect(reversed.body.contains("30/09/2025") && reversed.body.contains("15/10/2025"))
            let dashboard = try await HTTP.get(
                client, "/api/v1/plans/343-qd-tu/dashboard?asOf=2025-10-15", headers: [.authorization: "Bearer \(token)"])
            #expect(
                dashboard.body.contains("\"months\":[") && dashboard.body.contains("\"progress\":[")
                    && dashboard.body.contains("\"lists\":{"))
            let agency = try await HTTP.get(leader, "/agencies/\(world.officerAgency.id)?plan=343-qd-tu&asOf=2025-12-15")
            #expect(agency.body.contains("Đang quá hạn ("))
            #expect(agency.body.contains("<svg class=\"chart\""))
        }
    }
}

@Suite("Spreadsheet downloads")
struct ExportWebTests {
    @Test("the filtered catalogue, the scorecard and a list download as XLSX and CSV with the page's rows")
    func downloads() async throws {
        try await World.run { world, client in
            let leader = world.client(client, as: .leader)
            let page = try await HTTP.get(leader, "/plans/343-qd-tu?asOf=2025-10-15&timeliness=open-overdue")
            let count = try #require(MonitoringWebTests.rowCount(page.body))
            #expect(page.body.contains("href=\"/plans/343-qd-tu/export.xlsx?asOf=2025-10-15&amp;timeliness=open-overdue\""))
            let xlsx = try await client.execute(
                uri: "/plans/343-qd-tu/export.xlsx?asOf=2025-10-15&timeliness=open-overdue", method: .get,
                headers: [.cookie: "theodoi_session=session-leader"]
            ) { ($0.status, Array($0.body.readableBytesView), $0.headers) }
            #expect(xlsx.0 == .ok)
            #expect(xlsx.2[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(xlsx.2[.contentDisposition]?.contains("343-qd-tu-danh-muc-2025-10-15.xlsx") == true)
            let archive = try Archive(data: Data(xlsx.1), accessMode: .read)
            let entry = try #require(archive["xl/worksheets/sheet1.xml"])
            var sheet = Data()
            _ = try archive.extract(entry) { sheet.append($0) }
            let rows = String(decoding: sheet, as: UTF8.self).matches(of: /<row r="/).count
            #expect(rows == count + 1)
            let csv = try await client.execute(
                uri: "/plans/343-qd-tu/export.csv?asOf=2025-10-15&timeliness=open-overdue", method: .get,
                headers: [.cookie: "theodoi_session=session-leader"]
            ) { Array($0.body.readableBytesView) }
            #expect(Array(csv.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let text = String(decoding: csv.dropFirst(3), as: UTF8.self)
            #expect(text.hasPrefix("Mã,Nội dung nhiệm vụ,Đơn vị chủ trì"))
            #expect(text.contains("Chưa hoàn thành, quá hạn"))
            let score = try await HTTP.get(leader, "/plans/343-qd-tu/scorecard.csv?asOf=2025-10-15")
            #expect(score.status == .ok && score.body.contains("Hạng,Đơn vị chủ trì"))
            let list = try await HTTP.get(leader, "/plans/343-qd-tu/lists/overdue.csv?asOf=2025-10-15")
            let overdue = try await HTTP.get(leader, "/plans/343-qd-tu/lists/overdue?asOf=2025-10-15")
            #expect(
                list.body.split(separator: "\r\n").count - 1 == overdue.body.matches(of: /<tr><td class="c-tt"/).count)
            #expect(try await HTTP.get(leader, "/plans/343-qd-tu/lists/khong-co.xlsx").status == .notFound)
            // Anonymous visitors get the sign-in page, not the file.
            #expect(try await HTTP.get(client, "/plans/343-qd-tu/export.xlsx").status == .found)
        }
    }
}
