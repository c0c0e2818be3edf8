/// Counts by timeliness over top-level assignments, and the sentence officials write (DESIGN §5).
public struct StatusSummary: Sendable, Hashable {
    public var counts: [Timeliness: Int]
    /// Recurring tasks that reported in the current period ("đã có kết quả").
    public var recurringReported: Int

    public init(_ statuses: some Sequence<AssignmentStatus>) {
        var counts: [Timeliness: Int] = [:]
        var reported = 0
        for status in statuses {
            counts[status.timeliness, default: 0] += 1
            if status.reportedThisPeriod == true { reported += 1 }
        }
        self.counts = counts
        self.recurringReported = reported
    }

    public func count(_ timeliness: Timeliness) -> Int { counts[timeliness] ?? 0 }
    public var total: Int { counts.values.reduce(0, +) }
    public var done: Int { count(.doneOnTime) + count(.doneLate) }
    public var open: Int { count(.openInTime) + count(.openOverdue) }

    /// "Tổng số N nhiệm vụ; đã hoàn thành X (đúng hạn a, quá hạn b); chưa hoàn thành Y (trong hạn c,
    /// quá hạn d); thường xuyên r (đã có kết quả s); chưa xác định hạn u."
    public var sentence: String {
        "Tổng số \(total) nhiệm vụ; đã hoàn thành \(done) (đúng hạn \(count(.doneOnTime)), quá hạn \(count(.doneLate))); "
            + "chưa hoàn thành \(open) (trong hạn \(count(.openInTime)), quá hạn \(count(.openOverdue))); "
            + "thường xuyên \(count(.recurring)) (đã có kết quả \(recurringReported)); "
            + "chưa xác định hạn \(count(.undetermined))."
    }
}
