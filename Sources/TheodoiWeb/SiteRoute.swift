import TheodoiCore
import TheodoiStore

/// Every page and endpoint, used both to register handlers and to build links (STYLE rule 7).
enum SiteRoute {
    case home
    case plans
    case plan(slug: String, query: [(String, String)] = [])
    case assignment(slug: String, code: String, asOf: LocalDate? = nil)
    case assignmentLinks(slug: String, code: String)
    case removeAssignmentLink(slug: String, code: String, id: AssignmentLink.ID)
    case apiAssignmentLinks(slug: String, code: String)
    case apiAssignmentLink(slug: String, code: String, id: AssignmentLink.ID)
    case findings(slug: String)
    case textCorrections(slug: String)
    case agencies(slug: String, asOf: LocalDate? = nil)
    case agency(id: AgencyRecord.ID, slug: String, asOf: LocalDate? = nil)
    case stylesheet
    case health
    case apiPlans
    case apiAssignments(slug: String)
    case apiAssignment(slug: String, code: String)
    case apiDashboard(slug: String)
    case apiAgencies
    case apiSummary(slug: String)
    case apiPublication(slug: String)
    case apiPlanStage(slug: String)
    case signIn(next: String? = nil)
    case signOut
    case password
    case users
    case user(id: UserRecord.ID)
    case userResetPassword(id: UserRecord.ID)
    case userTokens(id: UserRecord.ID)
    case revokeToken(id: APITokenRecord.ID)
    case directory
    case directoryAgency(id: AgencyRecord.ID)
    case mergeAgency(id: AgencyRecord.ID)
    case audit(query: [(String, String)] = [])
    case publish(slug: String)
    case planStage(slug: String)
    case reportForm(slug: String, code: String, kind: ReportKind)
    case report(id: ReportRecord.ID)
    case reviewReport(id: ReportRecord.ID)
    case withdrawReport(id: ReportRecord.ID)
    case reverseReview(id: ReviewRecord.ID)
    case reverseExtension(id: ExtensionRecord.ID)
    case requestExtension(slug: String, code: String)
    case decideExtension(id: ExtensionRecord.ID)
    case setDue(slug: String, code: String)
    case attachment(id: AttachmentInfo.ID)
    case reviewQueue(slug: String)
    case apiHistory(slug: String, code: String)
    case apiAttachment(id: AttachmentInfo.ID)
    case scorecard(slug: String, query: [(String, String)] = [])
    case actionList(slug: String, list: String, asOf: LocalDate? = nil)
    case changes(slug: String, query: [(String, String)] = [])
    case apiScorecard(slug: String)
    case apiList(slug: String, list: String)
    case apiChanges(slug: String)
    case periodicReport(slug: String, query: [(String, String)] = [])
    case periodicReportFile(slug: String, format: String, query: [(String, String)])
    case reportPrint(slug: String, query: [(String, String)])
    case issueReport(slug: String)
    case reportSettings(slug: String)
    case issuedFile(id: IssuedFileInfo.ID)
    case notifications(page: Int)
    case openNotification(id: NotificationRecord.ID)
    case readNotifications
    case notificationPreferences
    case outbox(state: String?)
    case retryOutbox(id: OutboxRecord.ID)
    case reminderSettings(slug: String)
    case holidays
    case removeHoliday(day: LocalDate)
    case catalogueImport
    case catalogueImportConfirm
    case catalogueImportJob(id: String)

    /// Router patterns.
    enum Pattern {
        static let home = "/"
        static let myWork = "/my-work"
        static let province = "/province"
        static let apiProvince = "/api/v1/province"
        static let myWorkXLSX = "/my-work.xlsx"
        static let myWorkCSV = "/my-work.csv"
        static let plans = "/plans"
        static let plan = "/plans/:plan"
        static let assignment = "/plans/:plan/assignments/:code"
        static let assignmentLinks = "/plans/:plan/assignments/:code/links"
        static let removeAssignmentLink = "/plans/:plan/assignments/:code/links/:link/remove"
        static let apiAssignmentLinks = "/api/v1/plans/:plan/assignments/:code/links"
        static let apiAssignmentLink = "/api/v1/plans/:plan/assignments/:code/links/:link"
        static let findings = "/plans/:plan/findings"
        static let textCorrections = "/plans/:plan/corrections"
        static let agencies = "/agencies"
        static let agency = "/agencies/:agency"
        static let stylesheet = "/static/app.css"
        static let documentStylesheet = "/static/document.css"
        static let health = "/healthz"
        static let ready = "/readyz"
        static let metrics = "/metrics"
        static let apiPlans = "/api/v1/plans"
        static let apiAssignments = "/api/v1/plans/:plan/assignments"
        static let apiAssignment = "/api/v1/plans/:plan/assignments/:code"
        static let apiDashboard = "/api/v1/plans/:plan/dashboard"
        static let apiAgencies = "/api/v1/agencies"
        static let apiSummary = "/api/v1/plans/:plan/summary"
        static let apiAmendments = "/api/v1/plans/:plan/amendments"
        static let apiPublication = "/api/v1/plans/:plan/publication"
        static let apiPlanStage = "/api/v1/plans/:plan/stage"
        static let signIn = "/sign-in"
        static let signOut = "/sign-out"
        static let password = "/account/password"
        static let users = "/admin/users"
        static let user = "/admin/users/:user"
        static let userResetPassword = "/admin/users/:user/reset-password"
        static let userTokens = "/admin/users/:user/tokens"
        static let revokeToken = "/admin/tokens/:token/revoke"
        static let directory = "/admin/agencies"
        static let directoryAgency = "/admin/agencies/:agency"
        static let mergeAgency = "/admin/agencies/:agency/merge"
        static let audit = "/audit"
        static let publish = "/plans/:plan/publish"
        static let planStage = "/plans/:plan/stage"
        static let reportForm = "/plans/:plan/assignments/:code/report"
        static let contributionForm = "/plans/:plan/assignments/:code/contribution"
        static let report = "/reports/:report"
        static let reviewReport = "/reports/:report/review"
        static let withdrawReport = "/reports/:report/withdraw"
        static let reverseReview = "/reviews/:review/reverse"
        static let reverseExtension = "/extensions/:extension/reverse"
        static let requestExtension = "/plans/:plan/assignments/:code/extensions"
        static let decideExtension = "/extensions/:extension/decision"
        static let setDue = "/plans/:plan/assignments/:code/due"
        static let attachment = "/attachments/:attachment"
        static let reviewQueue = "/plans/:plan/review"
        static let apiReports = "/api/v1/plans/:plan/assignments/:code/reports"
        static let apiContributions = "/api/v1/plans/:plan/assignments/:code/contributions"
        static let apiExtensions = "/api/v1/plans/:plan/assignments/:code/extensions"
        static let apiDue = "/api/v1/plans/:plan/assignments/:code/due"
        static let apiHistory = "/api/v1/plans/:plan/assignments/:code/history"
        static let apiReport = "/api/v1/reports/:report"
        static let apiSubmit = "/api/v1/reports/:report/submit"
        static let apiReview = "/api/v1/reports/:report/review"
        static let apiReportAttachments = "/api/v1/reports/:report/attachments"
        static let apiDecision = "/api/v1/extensions/:extension/decision"
        static let apiWithdraw = "/api/v1/reports/:report/withdraw"
        static let apiReverseReview = "/api/v1/reviews/:review/reverse"
        static let apiReverseExtension = "/api/v1/extensions/:extension/reverse"
        static let apiAttachment = "/api/v1/attachments/:attachment"
        static let dashboard = "/plans/:plan/dashboard"
        static let scorecard = "/plans/:plan/scorecard"
        static let actionList = "/plans/:plan/lists/:list"
        static let changes = "/plans/:plan/changes"
        static let exportXLSX = "/plans/:plan/export.xlsx"
        static let openDataCSV = "/plans/:plan/open-data.csv"
        static let openDataJSON = "/plans/:plan/open-data.json"
        static let exportCSV = "/plans/:plan/export.csv"
        static let scorecardXLSX = "/plans/:plan/scorecard.xlsx"
        static let scorecardCSV = "/plans/:plan/scorecard.csv"
        static let apiScorecard = "/api/v1/plans/:plan/scorecard"
        static let apiList = "/api/v1/plans/:plan/lists/:list"
        static let apiChanges = "/api/v1/plans/:plan/changes"
        static let periodicReport = "/plans/:plan/report"
        static let reportDOCX = "/plans/:plan/report.docx"
        static let reportXLSX = "/plans/:plan/report.xlsx"
        static let reportPDF = "/plans/:plan/report.pdf"
        static let reportPrint = "/plans/:plan/report/print"
        static let issueReport = "/plans/:plan/report/issue"
        static let reportSettings = "/plans/:plan/report/settings"
        static let issuedFile = "/issued-files/:file"
        static let notifications = "/notifications"
        static let openNotification = "/notifications/:notification/open"
        static let readNotifications = "/notifications/read"
        static let notificationPreferences = "/notifications/preferences"
        static let outbox = "/admin/outbox"
        static let retryOutbox = "/admin/outbox/:message/retry"
        static let reminderSettings = "/plans/:plan/reminders"
        static let holidays = "/admin/holidays"
        static let removeHoliday = "/admin/holidays/:day/remove"
        static let apiDescription = "/api/v1/openapi.yaml"
        static let catalogueImport = "/catalogues/import"
        static let catalogueImportConfirm = "/catalogues/import/confirm"
        static let catalogueImportJob = "/catalogues/import/jobs/:job"
    }

    /// The path with its query string, escaped.
    var href: String {
        switch self {
        case .home: return "/"
        case .plans: return "/plans"
        case .plan(let slug, let query): return "/plans/\(escape(slug))" + SiteRoute.queryString(query)
        case .assignmentLinks(let slug, let code): return "/plans/\(escape(slug))/assignments/\(escape(code))/links"
        case .removeAssignmentLink(let slug, let code, let id):
            return "/plans/\(escape(slug))/assignments/\(escape(code))/links/\(id.rawValue)/remove"
        case .apiAssignmentLinks(let slug, let code): return "/api/v1/plans/\(escape(slug))/assignments/\(escape(code))/links"
        case .apiAssignmentLink(let slug, let code, let id):
            return "/api/v1/plans/\(escape(slug))/assignments/\(escape(code))/links/\(id.rawValue)"
        case .assignment(let slug, let code, let asOf):
            return "/plans/\(escape(slug))/assignments/\(escape(code))"
                + SiteRoute.queryString(asOf.map { [("asOf", $0.iso)] } ?? [])
        case .findings(let slug): return "/plans/\(escape(slug))/findings"
        case .textCorrections(let slug): return "/plans/\(escape(slug))/corrections"
        case .agencies(let slug, let asOf):
            return "/agencies" + SiteRoute.queryString([("plan", slug)] + (asOf.map { [("asOf", $0.iso)] } ?? []))
        case .agency(let id, let slug, let asOf):
            return "/agencies/\(id.rawValue)" + SiteRoute.queryString([("plan", slug)] + (asOf.map { [("asOf", $0.iso)] } ?? []))
        case .stylesheet: return Pattern.stylesheet
        case .health: return Pattern.health
        case .apiPlans: return Pattern.apiPlans
        case .apiAssignments(let slug): return "/api/v1/plans/\(escape(slug))/assignments"
        case .apiAssignment(let slug, let code): return "/api/v1/plans/\(escape(slug))/assignments/\(escape(code))"
        case .apiDashboard(let slug): return "/api/v1/plans/\(escape(slug))/dashboard"
        case .apiAgencies: return Pattern.apiAgencies
        case .apiSummary(let slug): return "/api/v1/plans/\(escape(slug))/summary"
        case .apiPublication(let slug): return "/api/v1/plans/\(escape(slug))/publication"
        case .apiPlanStage(let slug): return "/api/v1/plans/\(escape(slug))/stage"
        case .signIn(let next): return Pattern.signIn + SiteRoute.queryString([("next", next ?? "")])
        case .signOut: return Pattern.signOut
        case .password: return Pattern.password
        case .users: return Pattern.users
        case .user(let id): return "/admin/users/\(id.rawValue)"
        case .userResetPassword(let id): return "/admin/users/\(id.rawValue)/reset-password"
        case .userTokens(let id): return "/admin/users/\(id.rawValue)/tokens"
        case .revokeToken(let id): return "/admin/tokens/\(id.rawValue)/revoke"
        case .directory: return Pattern.directory
        case .directoryAgency(let id): return "/admin/agencies/\(id.rawValue)"
        case .mergeAgency(let id): return "/admin/agencies/\(id.rawValue)/merge"
        case .audit(let query): return Pattern.audit + SiteRoute.queryString(query)
        case .publish(let slug): return "/plans/\(escape(slug))/publish"
        case .planStage(let slug): return "/plans/\(escape(slug))/stage"
        case .reportForm(let slug, let code, let kind):
            return "/plans/\(escape(slug))/assignments/\(escape(code))/\(kind == .report ? "report" : "contribution")"
        case .report(let id): return "/reports/\(id.rawValue)"
        case .reviewReport(let id): return "/reports/\(id.rawValue)/review"
        case .withdrawReport(let id): return "/reports/\(id.rawValue)/withdraw"
        case .reverseReview(let id): return "/reviews/\(id.rawValue)/reverse"
        case .reverseExtension(let id): return "/extensions/\(id.rawValue)/reverse"
        case .requestExtension(let slug, let code): return "/plans/\(escape(slug))/assignments/\(escape(code))/extensions"
        case .decideExtension(let id): return "/extensions/\(id.rawValue)/decision"
        case .setDue(let slug, let code): return "/plans/\(escape(slug))/assignments/\(escape(code))/due"
        case .attachment(let id): return "/attachments/\(id.rawValue)"
        case .reviewQueue(let slug): return "/plans/\(escape(slug))/review"
        case .apiHistory(let slug, let code): return "/api/v1/plans/\(escape(slug))/assignments/\(escape(code))/history"
        case .apiAttachment(let id): return "/api/v1/attachments/\(id.rawValue)"
        case .scorecard(let slug, let query): return "/plans/\(escape(slug))/scorecard" + SiteRoute.queryString(query)
        case .actionList(let slug, let list, let asOf):
            return "/plans/\(escape(slug))/lists/\(escape(list))" + SiteRoute.queryString(asOf.map { [("asOf", $0.iso)] } ?? [])
        case .changes(let slug, let query): return "/plans/\(escape(slug))/changes" + SiteRoute.queryString(query)
        case .periodicReport(let slug, let query): return "/plans/\(escape(slug))/report" + SiteRoute.queryString(query)
        case .periodicReportFile(let slug, let format, let query):
            return "/plans/\(escape(slug))/report.\(format)" + SiteRoute.queryString(query)
        case .reportPrint(let slug, let query): return "/plans/\(escape(slug))/report/print" + SiteRoute.queryString(query)
        case .issueReport(let slug): return "/plans/\(escape(slug))/report/issue"
        case .reportSettings(let slug): return "/plans/\(escape(slug))/report/settings"
        case .issuedFile(let id): return "/issued-files/\(id.rawValue)"
        case .notifications(let page): return Pattern.notifications + (page > 1 ? "?page=\(page)" : "")
        case .openNotification(let id): return "/notifications/\(id.rawValue)/open"
        case .readNotifications: return Pattern.readNotifications
        case .notificationPreferences: return Pattern.notificationPreferences
        case .outbox(let state): return Pattern.outbox + SiteRoute.queryString(state.map { [("state", $0)] } ?? [])
        case .retryOutbox(let id): return "/admin/outbox/\(id.rawValue)/retry"
        case .reminderSettings(let slug): return "/plans/\(escape(slug))/reminders"
        case .holidays: return Pattern.holidays
        case .removeHoliday(let day): return "/admin/holidays/\(day.iso)/remove"
        case .apiScorecard(let slug): return "/api/v1/plans/\(escape(slug))/scorecard"
        case .apiList(let slug, let list): return "/api/v1/plans/\(escape(slug))/lists/\(escape(list))"
        case .apiChanges(let slug): return "/api/v1/plans/\(escape(slug))/changes"
        case .catalogueImport: return Pattern.catalogueImport
        case .catalogueImportConfirm: return Pattern.catalogueImportConfirm
        case .catalogueImportJob(let id): return "/catalogues/import/jobs/\(escape(id))"
        }
    }

    static func queryString(_ items: [(String, String)]) -> String {
        let present = items.filter { !$0.1.isEmpty }
        guard !present.isEmpty else { return "" }
        return "?" + present.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
func escape(_ text: String) -> String {
    var result = ""
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            result.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            let hex = String(byte, radix: 16, uppercase: true)
            result += "%" + (hex.count == 1 ? "0" + hex : hex)
        }
    }
    return result
}
