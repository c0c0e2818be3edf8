import Foundation
import Logging
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiStoreSQL

@Suite("Demo history")
struct DemoHistoryTests {
    @Test("a demo plan's history has every kind of story, dated between the plan and today, once")
    func history() async throws {
        let store = try await SQLStore.open(.sqliteMemory, logger: Logger(label: "test"))
        let client = store.client
        try await client.migrate()
        let importer = CatalogueImporter(store: client, parser: CatalogueParser(directory: try AgencyDirectory.bundled()))
        let plan = try await importer.importDemo(assignments: 600).plan
        let today = LocalDate(iso: "2026-11-29")!
        let message = try await DemoHistoryGenerator.load(
            slug: plan.slug, reports: 4000, today: today, store: client, progress: store.progress, actor: .commandLine)
        #expect(message.hasPrefix("Đã tạo diễn biến mẫu cho DEMO-600: "))
        let again = try await DemoHistoryGenerator.load(
            slug: plan.slug, reports: 4000, today: today, store: client, progress: store.progress, actor: .commandLine)
        #expect(again.contains("đã có diễn biến"))
        let count = try await store.progress.reportCount(plan.id)
        #expect((3000...4000).contains(count))

        let snapshot = try #require(
            try await PlanSnapshots(store: client, progress: store.progress).snapshot(slug: plan.slug))
        let statuses = snapshot.statuses(asOf: today)
        let timeliness = Dictionary(grouping: statuses, by: \.timeliness).mapValues(\.count)
        let stages = Dictionary(grouping: statuses, by: \.stage).mapValues(\.count)
        #expect((timeliness[.doneOnTime] ?? 0) > 0)
        #expect((timeliness[.doneLate] ?? 0) > 0)
        #expect((timeliness[.openOverdue] ?? 0) > 0)
        #expect((stages[.awaitingReview] ?? 0) > 0)
        #expect((stages[.returned] ?? 0) > 0)
        #expect((stages[.notStarted] ?? 0) > 0)
        let planDate = try #require(snapshot.plan.date)
        var extensionStates: Set<ExtensionState> = []
        for assignment in snapshot.assignments.prefix(300) {
            let log = try await store.progress.assignmentLog(assignment.id)
            for report in log.reports {
                let sent = try #require(report.submittedOn)
                #expect(sent >= planDate && sent <= today)
            }
            for review in log.reviews { #expect(review.decidedOn <= today) }
            extensionStates.formUnion(log.extensions.map(\.state))
        }
        #expect(extensionStates == [.pending, .approved, .refused])
        await store.shutdown()
    }
}
