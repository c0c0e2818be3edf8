import Testing
import TheodoiCore

@testable import TheodoiOperations

/// Sections III and IV quote at most 30 of the period's difficulties or proposals and count the
/// rest, which the appendix lists in full: a plan with thousands of reports keeps a readable body.
@Suite("Periodic report: quoted statements")
struct PeriodicReportCapTests {
    @Test("30 quoted, the rest counted and sent to the appendix's column")
    func capped() {
        let runs = (1...32).map { OfficialDocument.Run("Ý kiến \($0).", source: .report($0)) }
        let blocks = PeriodicReport.capped(runs, column: "Khó khăn, vướng mắc")
        #expect(blocks.count == 31)
        #expect(blocks[29] == .bullet([runs[29]]))
        #expect(
            blocks[30] == .paragraph([.init("Và 2 ý kiến khác, đầy đủ tại Phụ lục (cột “Khó khăn, vướng mắc”).", italic: true)]))
        #expect(PeriodicReport.capped(Array(runs.prefix(30)), column: "x").count == 30)
    }
}
