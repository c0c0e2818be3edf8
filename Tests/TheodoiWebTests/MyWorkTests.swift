import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TheodoiCore
import TheodoiOperations
import TheodoiStore

/// Việc của tôi (issue 19): an officer lands on its agency's work across plans, most urgent first.
@Suite("My work")
struct MyWorkTests {
    /// The rows of one section of the page, by code, in order.
    static func codes(_ html: String, section: String) -> [String] {
        guard let start = html.range(of: "<section class=\"my-work\" id=\"\(section)\"") else { return [] }
        let rest = html[start.upperBound...]
        let body = rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)]
        return body.components(separatedBy: "<td class=\"c-tt\" data-label=\"Mã\"><a href=\"").dropFirst().compactMap { cell in
            cell.split(separator: ">", maxSplits: 1).last?.split(separator: "<").first.map(String.init)
        }
    }

    @Test("the officer's work: returned first, then overdue (most days first), due within 30 days, drafts, contributions")
    func officer() async throws {
        try await World.run(today: LocalDate(iso: "2025-09-15")!) { world, client in
            let education = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "edu")
            let officer = SessionClient(base: client, cookie: education.cookie)
            let monitor = world.client(client, as: .monitor)
            let agency = try #require(try await world.catalogue.agencies().first { $0.name == "Sở Giáo dục và Đào tạo" })

            // Landing: an officer goes to its work, the office to what waits for it.
            #expect(try await HTTP.get(officer, "/").location == "/my-work")
            #expect(try await HTTP.get(monitor, "/").location == "/my-work")
            #expect(try await HTTP.get(world.client(client, as: .admin), "/").location == "/plans/343-qd-tu")
            #expect(try await HTTP.get(client, "/my-work").location?.hasPrefix("/sign-in") == true)

            // A.17.1 is reported, then returned by the office; another led task gets a draft.
            let asked = try await HTTP.multipart(
                officer, "/plans/343-qd-tu/assignments/A.17.1/report",
                ProgressFlowTests.reportFields(
                    education, stage: "done", result: "Đã xong", achievedOn: "28/08/2025", submit: true))
            #expect(try await HTTP.confirm(officer, asked.body).status == .found)
            let log = try await world.progress.assignmentLog(
                try #require(try await ProgressFlowTests.assignmentID(world, "A.17.1")))
            let report = try #require(log.reports.first)
            let returning = try await HTTP.post(
                monitor, "/reports/\(report.id)/review",
                [("_csrf", "csrf-monitor"), ("decision", "return"), ("reason", "Thiếu tệp")])
            #expect(try await HTTP.confirm(monitor, returning.body).status == .found)

            // The expected list, computed here from the statuses of the plan.
            let snapshot = try #require(try await world.views.snapshots.snapshot(slug: "343-qd-tu"))
            let statuses = snapshot.statuses(asOf: world.today)
            var overdue: [(String, Int)] = []
            var soon: [(String, Int)] = []
            var recurring: [String] = []
            var contributions: [(String, Int)] = []
            for (position, row) in snapshot.assignments.enumerated() where (snapshot.children[row.code] ?? []).isEmpty {
                let status = statuses[position]
                let days = status.effectiveDue.map { world.today.days(to: $0) } ?? Int.max
                if row.lead.contains(where: { $0.agencyID == agency.id }) {
                    if row.code == "A.17.1" { continue }
                    switch status.timeliness {
                    case .openOverdue: overdue.append((row.code, -days))
                    case .openInTime where days <= 30: soon.append((row.code, days))
                    case .recurring where status.reportedThisPeriod == false: recurring.append(row.code)
                    default: break
                    }
                } else if row.coordinators.contains(where: { $0.agencyID == agency.id }), !status.timeliness.isDone {
                    contributions.append((row.code, days))
                }
            }
            #expect(!overdue.isEmpty && !soon.isEmpty && !contributions.isEmpty, "the seed gives every kind on 15/09/2025")

            let page = try await HTTP.get(officer, "/my-work")
            #expect(page.status == .ok)
            #expect(page.body.contains("<h1>Việc của tôi · Sở Giáo dục và Đào tạo</h1>"))
            #expect(Self.codes(page.body, section: "returned") == ["A.17.1"])
            #expect(page.body.contains("href=\"/plans/343-qd-tu/assignments/A.17.1/report\">Sửa và gửi lại báo cáo</a>"))
            // Every column has a heading; a kind without days has no days column.
            #expect(!page.body.contains("<th class=\"num\"></th>"))
            #expect(page.body.contains("<th class=\"num\">Quá hạn (ngày)</th>"))
            // The officer's date form names no agency (an empty one would be refused).
            #expect(!page.body.contains("name=\"agency\""))
            #expect(Set(Self.codes(page.body, section: "overdue")) == Set(overdue.map(\.0)))
            let shownOverdue = Self.codes(page.body, section: "overdue").map { code in overdue.first { $0.0 == code }?.1 ?? 0 }
            #expect(shownOverdue == shownOverdue.sorted(by: >), "most days first")
            #expect(Set(Self.codes(page.body, section: "due-soon")) == Set(soon.map(\.0)))
            #expect(Self.codes(page.body, section: "recurring") == recurring.sorted())
            #expect(Set(Self.codes(page.body, section: "contribution")) == Set(contributions.map(\.0)))
            #expect(page.body.contains("Kết quả của cơ quan theo từng kế hoạch"))

            // A draft on a task it coordinates moves it from "contribution" to "draft".
            let coordinated = try #require(contributions.first?.0)
            let draft = try await HTTP.multipart(
                officer, "/plans/343-qd-tu/assignments/\(coordinated)/contribution",
                [
                    ("_csrf", education.csrf), ("report", ""), ("version", ""), ("result", "Đang phối hợp"), ("do", "save"),
                ])
            #expect(draft.status == .found || draft.status == .ok, "\(draft.status)")
            let after = try await HTTP.get(officer, "/my-work")
            #expect(Self.codes(after.body, section: "draft") == [coordinated], "\(Self.codes(after.body, section: "draft"))")
            #expect(!Self.codes(after.body, section: "contribution").contains(coordinated))

            // A completion reported on an overdue task leaves the list while the office has it.
            let sentCode = try #require(Self.codes(after.body, section: "overdue").last)
            let sending = try await HTTP.multipart(
                officer, "/plans/343-qd-tu/assignments/\(sentCode)/report",
                ProgressFlowTests.reportFields(
                    education, stage: "done", result: "Đã xong", achievedOn: "10/09/2025", submit: true))
            #expect(try await HTTP.confirm(officer, sending.body).status == .found)
            #expect(!Self.codes(try await HTTP.get(officer, "/my-work").body, section: "overdue").contains(sentCode))
            overdue.removeAll { $0.0 == sentCode }

            // The same list as a spreadsheet: a header, then one row per task (the draft among them).
            let csv = try await HTTP.get(officer, "/my-work.csv")
            #expect(csv.status == .ok)
            let lines = csv.body.split(separator: "\r\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
            let items = 1 + overdue.count + soon.count + recurring.count + contributions.count
            #expect(lines.count == 1 + items, "\(lines.prefix(5))")
            #expect(lines.contains { $0.hasPrefix("Báo cáo bị trả lại,343-QĐ/TU,A.17.1,") })
            let xlsx = try await HTTP.get(officer, "/my-work.xlsx")
            #expect(xlsx.status == .ok)

            // Another agency's work is not the officer's to see; the office chooses any.
            let other = try await HTTP.get(officer, "/my-work?agency=\(world.otherAgency.id.rawValue)")
            #expect(other.status == .forbidden)
            let chooser = try await HTTP.get(monitor, "/my-work")
            #expect(chooser.body.contains("href=\"/my-work?agency=\(agency.id.rawValue)\""))
            // The office's own work first: the completion just sent waits for it; the seed's import
            // findings are counted.
            #expect(chooser.body.contains("Việc của văn phòng theo dõi"))
            let findings = snapshot.findings.count
            #expect(
                chooser.body.contains(
                    "data-label=\"Phát hiện khi nhập\"><a href=\"/plans/343-qd-tu/findings\">\(findings)</a>"))
            #expect(chooser.body.contains("data-label=\"Chờ xử lý\"><a href=\"/plans/343-qd-tu/review\">1</a>"))
            #expect(!(try await HTTP.get(world.client(client, as: .leader), "/my-work")).body.contains("Việc của văn phòng"))
            // Agencies gone quiet by 15/10/2025: the lead agencies of the quiet tasks, most first.
            let later = try #require(LocalDate(iso: "2025-10-15"))
            let latest = try #require(try await world.views.snapshots.snapshot(slug: "343-qd-tu"))
            let monitoring = Monitoring(snapshot: latest, statuses: latest.statuses(asOf: later), asOf: later)
            var quiet: [String: Int] = [:]
            for entry in monitoring.quiet {
                for lead in latest.assignments[entry.position].lead where lead.agencyID != nil {
                    quiet[lead.name, default: 0] += 1
                }
            }
            let loudest = try #require(quiet.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key })
            #expect(!chooser.body.contains("Cơ quan im lặng"))
            let quietPage = try await HTTP.get(monitor, "/my-work?asOf=15/10/2025").body
            let table = try #require(quietPage.range(of: "<h2>Cơ quan im lặng</h2>"))
            let firstRow = quietPage[table.upperBound...]
            let name = try #require(firstRow.range(of: "data-label=\"Cơ quan\"><a href=\"/my-work?agency="))
            #expect(
                firstRow[name.upperBound...].prefix(300).contains(
                    ">\(loudest.key)</a></td><td class=\"num\" data-label=\"Nhiệm vụ im lặng\">\(loudest.value)</td>"))
            let chosen = try await HTTP.get(monitor, "/my-work?agency=\(agency.id.rawValue)")
            #expect(chosen.body.contains("<input type=\"hidden\" name=\"agency\" value=\"\(agency.id.rawValue)\">"))
            let own = try await HTTP.get(officer, "/my-work")
            #expect(Self.codes(chosen.body, section: "overdue") == Self.codes(own.body, section: "overdue"))
            #expect(try await HTTP.get(monitor, "/my-work?agency=999999").status == .notFound)
            #expect(try await HTTP.get(monitor, "/my-work.csv").status == .badRequest)
        }
    }
}

/// Toàn tỉnh (issue 19): every plan's sentence and counts, and the agencies behind.
@Suite("The province's picture")
struct ProvinceTests {
    @Test("each plan's sentence and counts, the agencies behind, the year filter; the page and the API agree")
    func picture() async throws {
        try await World.run(today: LocalDate(iso: "2025-10-15")!) { world, client in
            let leader = world.client(client, as: .leader)
            // Computed here: the top-level statuses of the seed, and each lead agency's overdue tasks.
            let snapshot = try #require(try await world.views.snapshots.snapshot(slug: "343-qd-tu"))
            let statuses = snapshot.statuses(asOf: world.today)
            var counts: [Timeliness: Int] = [:]
            var overdue: [String: Int] = [:]
            for (position, row) in snapshot.assignments.enumerated() where row.parent == nil {
                counts[statuses[position].timeliness, default: 0] += 1
                guard statuses[position].timeliness == .openOverdue else { continue }
                for lead in row.lead where !lead.generic { overdue[lead.name, default: 0] += 1 }
            }
            let total = counts.values.reduce(0, +)
            #expect(total == 94)

            let page = try await HTTP.get(leader, "/province")
            #expect(page.status == .ok)
            #expect(page.body.contains("Tổng số \(total) nhiệm vụ;"))
            #expect(page.body.contains("quá hạn \(counts[.openOverdue] ?? 0))"))
            #expect(page.body.contains("<figure tabindex=\"0\"><svg"))
            // Grouped by issuing body.
            #expect(page.body.contains("<th colspan=\"4\" scope=\"colgroup\">Ban Thường vụ Tỉnh ủy · 1 kế hoạch</th>"))
            let api = try await HTTP.get(leader, "/api/v1/province?asOf=2025-10-15")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as? [String: Any])
            let plans = try #require(json["plans"] as? [[String: Any]])
            #expect(plans.count == 1)
            let plan = try #require(plans.first)
            #expect(plan["total"] as? Int == total)
            #expect(plan["overdue"] as? Int == counts[.openOverdue] ?? 0)
            let shown = try #require(plan["counts"] as? [String: Int])
            for timeliness in Timeliness.allCases { #expect(shown[timeliness.rawValue] == counts[timeliness] ?? 0) }
            let behind = try #require(json["agenciesBehind"] as? [[String: Any]])
            #expect(
                Dictionary(uniqueKeysWithValues: behind.map { ($0["name"] as? String ?? "", $0["overdue"] as? Int ?? 0) })
                    == overdue)
            let counted = behind.map { $0["overdue"] as? Int ?? 0 }
            #expect(counted == counted.sorted(by: >), "most overdue first")
            #expect(json["years"] as? [Int] == [2025])

            // The year filter: a year with no plan shows none; a bad one is a 400 saying so.
            let none = try await HTTP.get(leader, "/province?year=2024")
            #expect(none.body.contains("Chưa có kế hoạch nào trong năm đã chọn."))
            let bad = try await HTTP.get(leader, "/province?year=hai")
            #expect(bad.status == .badRequest)
            #expect(bad.body.contains("Năm “hai” không hợp lệ"))
            #expect(try await HTTP.get(client, "/province").location?.hasPrefix("/sign-in") == true)
            #expect(try await HTTP.get(client, "/api/v1/province").status == .unauthorized)
        }
    }
}
