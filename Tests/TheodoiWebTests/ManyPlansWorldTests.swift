import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiTestSupport

/// Issue 19's world: 343-QĐ/TU (the seed), the UBND's plan in the State's format, Sở Giáo dục và
/// Đào tạo's implementation plan linked to three of the seed's tasks, and Quyết định 400-QĐ/TU
/// amending the seed (two tasks added, a deadline moved, a lead changed, a task ended). As of a day
/// before the amendment and a day after, the dashboards, the province's picture, an agency's work
/// and the periodic report agree with counts worked out here from the files alone.
@Suite("Many plans, one province")
struct ManyPlansWorldTests {
    /// The top-level tasks of a catalogue as of a day, by timeliness, when nothing has been reported:
    /// recurring; no date (own, or its sub-tasks' latest) — undetermined; due before the day — overdue; else in time.
    static func expected(_ rows: [(code: String, parent: String?, deadline: Deadline)], asOf: LocalDate) -> [Timeliness: Int] {
        var counts: [Timeliness: Int] = [:]
        for row in rows where row.parent == nil {
            let timeliness: Timeliness
            if row.deadline.kind == .recurring {
                timeliness = .recurring
            } else if let due = row.deadline.due ?? rows.filter({ $0.parent == row.code }).compactMap(\.deadline.due).max() {
                timeliness = due < asOf ? .openOverdue : .openInTime
            } else {
                timeliness = .undetermined
            }
            counts[timeliness, default: 0] += 1
        }
        return counts
    }

    /// The seed's rows from its own file, with Quyết định 400-QĐ/TU applied by hand when `amended`.
    static func seedRows(amended: Bool) throws -> [(code: String, parent: String?, deadline: Deadline)] {
        let catalogue = try CatalogueParser(directory: try AgencyDirectory.bundled()).parse(try SeedCatalogue.data())
        let planDate = catalogue.plan.date
        var rows = catalogue.assignments.map { ($0.code, $0.parent, $0.deadline) }
        guard amended else { return rows }
        rows.removeAll { $0.0 == "A.4" }
        if let index = rows.firstIndex(where: { $0.0 == "A.6" }) {
            rows[index].2 = Deadline(parsing: "Tháng 12/2025", planDate: planDate)
        }
        rows.append(("A.53", nil, Deadline(parsing: "Tháng 12/2025", planDate: planDate)))
        rows.append(("A.54", nil, Deadline(parsing: "Tháng 3/2026", planDate: planDate)))
        return rows
    }

    static func sentence(_ counts: [Timeliness: Int]) -> String {
        var statuses: [AssignmentStatus] = []
        for (timeliness, count) in counts {
            for _ in 0..<count {
                var status = StatusEngine.status(deadline: Deadline(parsing: ""), planDate: nil, asOf: AmendmentTests.before)
                status.timeliness = timeliness
                status.reportedThisPeriod = timeliness == .recurring ? false : nil
                statuses.append(status)
            }
        }
        return StatusSummary(statuses).sentence
    }

    @Test(
        "dashboards, the province, an agency's work and the periodic report, before and after the amendment",
        arguments: WebBackends.all)
    func world(backend: String) async throws {
        try await World.run(backend: backend) { world, client in
            // The UBND's plan, as a State body issues it; the Sở's plan under A.17, then linked to A.18 and A.19 too.
            _ = try await world.importer.importCatalogue(
                LinkTests.ubnd, sourceName: "ubnd.tsv", number: "12/KH-UBND", date: LocalDate(iso: "2025-09-10"),
                issuer: "Ủy ban nhân dân tỉnh")
            let school = try await world.officer(of: "Sở Giáo dục và Đào tạo", key: "school")
            let imported = try await ImplementationPlanTests.importThroughForm(
                client, school, task: "343-qd-tu/A.17", number: "05/KH-SGDĐT", file: LinkTests.school)
            #expect(imported.done?.0 == .created)
            let sgd = try #require(try await world.catalogue.plan("05-kh-sgddt"))
            let sgdTasks = try await world.catalogue.assignments(sgd.id)
            for (index, higher) in ["A.18", "A.19"].enumerated() {
                _ = try await world.links.add(
                    sgdTasks[index + 1].id, try #require(try await ProgressFlowTests.assignmentID(world, higher)), .system)
            }
            _ = try await world.importer.importAmendment(
                try await AmendmentTests.amendment(world), sourceName: "qd-400.tsv", input: AmendmentTests.input)
            let leader = world.client(client, as: .leader)
            let monitor = world.client(client, as: .monitor)

            // The UBND's plan reports in the State's format.
            let ubndReport = try await HTTP.get(monitor, "/plans/12-kh-ubnd/report?period=&asOf=2025-11-05").body
            #expect(ubndReport.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))

            let ubndRows = [("1", String?.none, Deadline(parsing: "31/12/2025")), ("2", nil, Deadline(parsing: "31/12/2025"))]
            let sgdRows = [
                ("1", String?.none, Deadline(parsing: "31/08/2025")), ("2", nil, Deadline(parsing: "31/12/2025")),
                ("3", nil, Deadline(parsing: "30/11/2025")),
            ]
            for (date, amended) in [(AmendmentTests.before, false), (AmendmentTests.after, true)] {
                let seed = Self.expected(try Self.seedRows(amended: amended), asOf: date)
                let ubnd = Self.expected(ubndRows, asOf: date)
                let sgdCounts = Self.expected(sgdRows, asOf: date)

                // Each plan's dashboard.
                for (slug, counts) in [("343-qd-tu", seed), ("12-kh-ubnd", ubnd), ("05-kh-sgddt", sgdCounts)] {
                    let dashboard = try await AmendmentTests.json(leader, "/api/v1/plans/\(slug)/dashboard?asOf=\(date.iso)")
                    for timeliness in Timeliness.allCases {
                        #expect(
                            dashboard["overall"]?["timeliness"]?[timeliness.rawValue]?.int == counts[timeliness] ?? 0,
                            "\(slug) \(timeliness) as of \(date)")
                    }
                }

                // The province's picture: every plan's sentence, and the sum of what is overdue.
                let province = try await AmendmentTests.json(leader, "/api/v1/province?asOf=\(date.iso)")
                let plans = try #require(province["plans"]?.array)
                #expect(Set(plans.compactMap { $0["id"]?.string }) == ["343-qd-tu", "12-kh-ubnd", "05-kh-sgddt"])
                for (slug, counts) in [("343-qd-tu", seed), ("12-kh-ubnd", ubnd), ("05-kh-sgddt", sgdCounts)] {
                    let entry = plans.first { $0["id"]?.string == slug }
                    #expect(entry?["sentence"]?.string == Self.sentence(counts), "\(slug) as of \(date)")
                }

                // The periodic report of the seed says the same, and names the amendment only once it holds.
                let report = try await HTTP.get(monitor, "/plans/343-qd-tu/report?period=&asOf=\(date.iso)").body
                #expect(report.contains(Self.sentence(seed)), "report as of \(date)")
                #expect(report.contains("điều chỉnh theo Quyết định số 400-QĐ/TU") == amended)
            }

            // Sở Nội vụ's work: A.7 is its own from the amendment (overdue since 30/09/2025); the UBND's task 2
            // and A.53 (both due 31/12/2025) come up once due within 30 days.
            let home = try #require(try await world.catalogue.agencies().first { $0.name == "Sở Nội vụ" })
            func work(_ day: String) async throws -> String {
                try await HTTP.get(monitor, "/my-work?agency=\(home.id.rawValue)&asOf=\(day)").body
            }
            let before = try await work("10/10/2025")
            #expect(!before.contains("/plans/343-qd-tu/assignments/A.7?"))
            #expect(!before.contains("/plans/343-qd-tu/assignments/A.53"))
            let after = try await work("05/11/2025")
            #expect(after.contains("/plans/343-qd-tu/assignments/A.7?"))
            #expect(!after.contains("/plans/12-kh-ubnd/assignments/2?") && !after.contains("/plans/343-qd-tu/assignments/A.53?"))
            let december = try await work("05/12/2025")
            #expect(
                december.contains("/plans/12-kh-ubnd/assignments/2?") && december.contains("/plans/343-qd-tu/assignments/A.53?"))

            // The seed's A.17, A.18 and A.19 each roll up the Sở's tasks implementing them.
            let a17 = try await HTTP.get(leader, "/plans/343-qd-tu/assignments/A.17").body
            #expect(a17.contains("trong 3 nhiệm vụ thực hiện đã hoàn thành"))
            for code in ["A.18", "A.19"] {
                let page = try await HTTP.get(leader, "/plans/343-qd-tu/assignments/\(code)").body
                #expect(page.contains("trong 1 nhiệm vụ thực hiện đã hoàn thành"), "\(code)")
            }
        }
    }
}
