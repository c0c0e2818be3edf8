/// What a progress report or a contribution says: the fields its author edits.
public struct ReportContent: Sendable, Hashable, Codable {
    /// Giai đoạn the agency claims; contributions keep `.inProgress`.
    public var claimedStage: ClaimedStage
    /// 0–100.
    public var percent: Int
    /// Kết quả đạt được.
    public var result: String
    /// The date the result was achieved (for a completion claim, the completion date proposed).
    public var achievedOn: LocalDate?
    /// Minh chứng: document references.
    public var evidence: [EvidenceReference]
    /// Khó khăn, vướng mắc.
    public var difficulties: String
    /// Đề xuất, kiến nghị.
    public var proposals: String

    public init(
        claimedStage: ClaimedStage = .inProgress, percent: Int = 0, result: String = "", achievedOn: LocalDate? = nil,
        evidence: [EvidenceReference] = [], difficulties: String = "", proposals: String = ""
    ) {
        self.claimedStage = claimedStage
        self.percent = percent
        self.result = result
        self.achievedOn = achievedOn
        self.evidence = evidence
        self.difficulties = difficulties
        self.proposals = proposals
    }

    /// An empty report.
    public static let empty = ReportContent()

    /// One field that differs between two versions, named as the form names it.
    public struct Change: Sendable, Hashable {
        public var field: String
        public var before: String
        public var after: String

        public init(field: String, before: String, after: String) {
            self.field = field
            self.before = before
            self.after = after
        }
    }

    /// The fields that differ from `other` (the earlier version), with both values as people read them.
    public func changes(from other: ReportContent) -> [Change] {
        var changes: [Change] = []
        func compare(_ field: String, _ before: String, _ after: String) {
            if before != after { changes.append(Change(field: field, before: before, after: after)) }
        }
        compare("Giai đoạn", other.claimedStage.vietnamese, claimedStage.vietnamese)
        compare("Tỷ lệ hoàn thành", "\(other.percent)%", "\(percent)%")
        compare("Kết quả đạt được", other.result, result)
        compare("Ngày đạt kết quả", other.achievedOn?.vietnameseShort ?? "", achievedOn?.vietnameseShort ?? "")
        compare(
            "Minh chứng", other.evidence.map(\.citation).joined(separator: "; "), evidence.map(\.citation).joined(separator: "; ")
        )
        compare("Khó khăn, vướng mắc", other.difficulties, difficulties)
        compare("Đề xuất, kiến nghị", other.proposals, proposals)
        return changes
    }
}
