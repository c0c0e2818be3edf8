import TheodoiCore

/// What one sent report or contribution said, for the periodic report's sections and appendix.
public struct ReportDigest: Sendable, Hashable {
    public var reportID: ReportRecord.ID
    public var assignmentID: AssignmentRecord.ID
    public var agencyID: AgencyRecord.ID
    public var agencyName: String
    public var kind: ReportKind
    public var claimedStage: ClaimedStage
    public var percent: Int
    public var result: String
    public var achievedOn: LocalDate?
    public var difficulties: String
    public var proposals: String
    public var submittedOn: LocalDate
    /// The office's decision on it, when taken by the date asked for.
    public var decision: ReviewDecision?
    /// The day of that decision, and the reason given with it (a return's reason; may be empty).
    public var decidedOn: LocalDate?
    public var decisionReason: String

    public init(
        reportID: ReportRecord.ID, assignmentID: AssignmentRecord.ID, agencyID: AgencyRecord.ID, agencyName: String,
        kind: ReportKind, claimedStage: ClaimedStage, percent: Int, result: String, achievedOn: LocalDate?,
        difficulties: String, proposals: String, submittedOn: LocalDate, decision: ReviewDecision?,
        decidedOn: LocalDate? = nil, decisionReason: String = ""
    ) {
        self.reportID = reportID
        self.assignmentID = assignmentID
        self.agencyID = agencyID
        self.agencyName = agencyName
        self.kind = kind
        self.claimedStage = claimedStage
        self.percent = percent
        self.result = result
        self.achievedOn = achievedOn
        self.difficulties = difficulties
        self.proposals = proposals
        self.submittedOn = submittedOn
        self.decision = decision
        self.decidedOn = decidedOn
        self.decisionReason = decisionReason
    }
}

/// A file of an issued report, without its bytes.
public struct IssuedFileInfo: Sendable, Hashable, Identifiable {
    public enum Marker {}
    public typealias ID = TypedID<Marker>

    public var id: ID
    public var reportID: IssuedReportRecord.ID
    /// "docx", "xlsx", "html" or "pdf".
    public var kind: String
    public var fileName: String
    public var contentType: String
    public var size: Int
    /// Lower-case hex SHA-256 of the bytes, computed when issued.
    public var sha256: String

    public init(
        id: ID, reportID: IssuedReportRecord.ID, kind: String, fileName: String, contentType: String, size: Int, sha256: String
    ) {
        self.id = id
        self.reportID = reportID
        self.kind = kind
        self.fileName = fileName
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
    }
}

/// Báo cáo đã ban hành: a periodic report frozen with its files when the office issued it.
public struct IssuedReportRecord: Sendable, Hashable, Identifiable {
    public enum Marker {}
    public typealias ID = TypedID<Marker>

    public var id: ID
    public var planID: PlanRecord.ID
    /// "Số 15-BC/TU" as printed.
    public var number: String
    /// "Báo cáo quý IV/2025 (tính đến ngày 14/12/2025)".
    public var title: String
    /// The period's key ("quarter-2025-4") or "" for a plain "tính đến ngày".
    public var period: String
    public var asOf: LocalDate
    /// The scope's key ("all", "part:A", "agency:12") and its label.
    public var scope: String
    public var scopeLabel: String
    public var issuedByName: String
    /// ISO-8601 instant.
    public var issuedAt: String
    public var issuedOn: LocalDate
    public var files: [IssuedFileInfo]
    /// The issued report this one replaces, and the one that replaced it.
    public var supersedes: ID?
    public var supersededBy: ID?

    public init(
        id: ID, planID: PlanRecord.ID, number: String, title: String, period: String, asOf: LocalDate, scope: String,
        scopeLabel: String, issuedByName: String, issuedAt: String, issuedOn: LocalDate, files: [IssuedFileInfo],
        supersedes: ID? = nil, supersededBy: ID? = nil
    ) {
        self.id = id
        self.planID = planID
        self.number = number
        self.title = title
        self.period = period
        self.asOf = asOf
        self.scope = scope
        self.scopeLabel = scopeLabel
        self.issuedByName = issuedByName
        self.issuedAt = issuedAt
        self.issuedOn = issuedOn
        self.files = files
        self.supersedes = supersedes
        self.supersededBy = supersededBy
    }
}

extension IssuedReportRecord {
    /// The refusal for a number the issuing body already used this year: one wording for the
    /// confirmation page and for the store, which checks again when it writes.
    public static func numberTaken(
        number: String, numberKey: String, year: Int, title: String, issuedOn: LocalDate?
    ) -> ProgressRefusal {
        ProgressRefusal(
            .conflict,
            "\(number) đã dùng cho “\(title)” ban hành ngày \(issuedOn?.vietnameseShort ?? ""). Mỗi số chỉ dùng cho một "
                + "báo cáo trong năm \(year), kể cả báo cáo thay thế: hãy ghi số mới (nếu báo cáo này thay cho báo cáo "
                + "đó, chọn báo cáo đó ở mục “Thay thế”).",
            api: "number \(numberKey) is already used in \(year) by \"\(title)\"")
    }
}

/// What issuing writes: the report's description and its files with their bytes.
public struct IssueInput: Sendable, Hashable {
    public struct File: Sendable, Hashable {
        public var kind: String
        public var fileName: String
        public var contentType: String
        public var bytes: [UInt8]
        public var sha256: String

        public init(kind: String, fileName: String, contentType: String, bytes: [UInt8]) {
            self.kind = kind
            self.fileName = fileName
            self.contentType = contentType
            self.bytes = bytes
            self.sha256 = SHA256.hex(bytes: bytes)
        }
    }

    public var planID: PlanRecord.ID
    public var planNumber: String
    public var number: String
    public var title: String
    public var period: String
    public var asOf: LocalDate
    public var scope: String
    public var scopeLabel: String
    public var issuedOn: LocalDate
    public var files: [File]
    /// The issuing body as a key ("tinh uy gia lai|-bc/tu") and the number typed ("125"); with the
    /// year of `issuedOn` they identify the report: no two share them. An empty number is
    /// written by hand on paper and is not checked.
    public var issuerKey: String
    public var numberKey: String
    /// The issued report this one replaces: it must be of the same plan and not replaced yet.
    public var supersedes: IssuedReportRecord.ID?

    public init(
        planID: PlanRecord.ID, planNumber: String, number: String, title: String, period: String, asOf: LocalDate,
        scope: String, scopeLabel: String, issuedOn: LocalDate, files: [File], issuerKey: String = "", numberKey: String = "",
        supersedes: IssuedReportRecord.ID? = nil
    ) {
        self.planID = planID
        self.planNumber = planNumber
        self.number = number
        self.title = title
        self.period = period
        self.asOf = asOf
        self.scope = scope
        self.scopeLabel = scopeLabel
        self.issuedOn = issuedOn
        self.files = files
        self.issuerKey = issuerKey
        self.numberKey = numberKey
        self.supersedes = supersedes
    }
}

/// Persistence of periodic reports: the plan's report settings, what agencies reported (read for
/// the report's text) and the issued reports with their frozen files.
public struct ReportStore: Sendable {
    /// The plan's saved report settings; nil when the monitor has not set them.
    public var settings: @Sendable (_ plan: PlanRecord.ID) async throws -> ReportSettings?
    /// Saves the plan's report settings (audited as `report.settings`).
    public var saveSettings:
        @Sendable (_ plan: PlanRecord.ID, _ settings: ReportSettings, _ actor: AuditActor) async throws -> Void
    /// Every sent report and contribution of the plan submitted on or before `asOf`, oldest first,
    /// each with the office's decision on it taken by then.
    public var digests: @Sendable (_ plan: PlanRecord.ID, _ asOf: LocalDate) async throws -> [ReportDigest]
    /// Stores an issued report and its files in one transaction (audited as `report.issue`). A
    /// number already used by the same body in the same year, or a report to supersede that is
    /// unknown or already superseded, is refused (`ProgressRefusal`, conflict) and nothing is stored.
    public var issue: @Sendable (_ input: IssueInput, _ actor: AuditActor) async throws -> IssuedReportRecord
    /// The plan's issued reports, newest first.
    public var issuedReports: @Sendable (_ plan: PlanRecord.ID) async throws -> [IssuedReportRecord]
    /// One issued file with its bytes.
    public var issuedFile: @Sendable (_ id: IssuedFileInfo.ID) async throws -> (info: IssuedFileInfo, bytes: [UInt8])?

    public init(
        settings: @escaping @Sendable (PlanRecord.ID) async throws -> ReportSettings?,
        saveSettings: @escaping @Sendable (PlanRecord.ID, ReportSettings, AuditActor) async throws -> Void,
        digests: @escaping @Sendable (PlanRecord.ID, LocalDate) async throws -> [ReportDigest],
        issue: @escaping @Sendable (IssueInput, AuditActor) async throws -> IssuedReportRecord,
        issuedReports: @escaping @Sendable (PlanRecord.ID) async throws -> [IssuedReportRecord],
        issuedFile: @escaping @Sendable (IssuedFileInfo.ID) async throws -> (info: IssuedFileInfo, bytes: [UInt8])?
    ) {
        self.settings = settings
        self.saveSettings = saveSettings
        self.digests = digests
        self.issue = issue
        self.issuedReports = issuedReports
        self.issuedFile = issuedFile
    }
}

extension ReportStore {
    /// Every closure fails; tests override the ones they need.
    public static var failing: ReportStore {
        ReportStore(
            settings: { _ in throw UnimplementedStoreCall(name: "settings") },
            saveSettings: { _, _, _ in throw UnimplementedStoreCall(name: "saveSettings") },
            digests: { _, _ in throw UnimplementedStoreCall(name: "digests") },
            issue: { _, _ in throw UnimplementedStoreCall(name: "issue") },
            issuedReports: { _ in throw UnimplementedStoreCall(name: "issuedReports") },
            issuedFile: { _ in throw UnimplementedStoreCall(name: "issuedFile") })
    }
}
