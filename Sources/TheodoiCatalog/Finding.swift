/// Phát hiện: something the parser noticed about a catalogue, with the 1-based line it concerns.
public struct Finding: Sendable, Hashable, Codable {
    /// How much the finding matters.
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case info, warning, error

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
        private var rank: Int {
            switch self {
            case .info: 0
            case .warning: 1
            case .error: 2
            }
        }

        /// The Vietnamese word shown to users.
        public var vietnamese: String {
            switch self {
            case .info: "thông tin"
            case .warning: "cảnh báo"
            case .error: "lỗi"
            }
        }
    }

    /// The stable finding codes (DESIGN §4.4).
    public enum Code: String, Sendable, Hashable, Codable, CaseIterable {
        case declaredCountMismatch = "declared-count-mismatch"
        case deadlineBeforePlanDate = "deadline-before-plan-date"
        case unknownAgency = "unknown-agency"
        case nonAgencyText = "non-agency-text"
        case emptyLead = "empty-lead"
        case duplicateNumber = "duplicate-number"
        case skippedNumber = "skipped-number"
        case orphanContinuation = "orphan-continuation"
        case unparsedDeadline = "unparsed-deadline"
        case missingParent = "missing-parent"
        case leadAlsoCoordinator = "lead-also-coordinator"
        case unrecognisedRow = "unrecognised-row"
        case extraCells = "extra-cells"
        case missingPlanMetadata = "missing-plan-metadata"
        case emptyTitle = "empty-title"
        /// A known slip in the text ("chuyên đổi số"), with the correction the office may apply on record.
        case probableTypo = "probable-typo"
        /// A cell of a scanned copy that character recognition was not sure of, to check against the paper.
        case recognitionConfidence = "recognition-confidence"
    }

    public var severity: Severity
    /// 1-based line of the source text; 0 when the finding concerns the whole document.
    public var line: Int
    public var code: Code
    /// Vietnamese, for the monitoring office.
    public var message: String
    /// The column of the table the finding concerns (its header's text), when it concerns one cell.
    public var column: String?
    /// Character recognition's confidence (0–100) in that cell, for a scanned copy.
    public var confidence: Int?

    public init(_ severity: Severity, line: Int, _ code: Code, _ message: String) {
        self.severity = severity
        self.line = line
        self.code = code
        self.message = message
    }
}
