import Foundation
import Mustache

/// Renders page models with the bundled templates.
public struct PageRenderer: Sendable {
    private let library: MustacheLibrary
    /// The stylesheet, served at `/static/app.css`.
    public let stylesheet: String
    /// The stylesheet of formal documents (print page and preview), served at `/static/document.css`
    /// and inlined into issued print pages.
    public let documentStylesheet: String

    /// Every template a page needs; start-up fails if one is missing.
    static let templateNames = [
        "header", "footer", "plans", "plan", "assignment", "agencies", "agency", "findings", "error", "status-badge",
        "viewer", "sign-in", "password", "users", "user", "admin-agencies", "admin-agency", "audit", "public-plan", "report-form",
        "report", "review-queue", "timeline-item", "dashboard", "scorecard", "action-list", "changes",
        "periodic-report", "report-settings", "report-print", "notifications", "reminder-settings", "holidays", "outbox",
        "catalogue-upload", "catalogue-preview", "catalogue-job", "catalogue-imported", "report-issue-confirm", "confirm",
        "form-errors", "my-work", "my-work-chooser", "province",
    ]

    /// A template set that cannot be used.
    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Loads the templates and the stylesheet from the module's resources.
    public init() throws {
        guard let templates = Bundle.module.url(forResource: "Templates", withExtension: nil),
            let css = Bundle.module.url(forResource: "Static/app", withExtension: "css"),
            let documentCSS = Bundle.module.url(forResource: "Static/document", withExtension: "css")
        else {
            throw LoadError(description: "TheodoiViews resources are missing (Templates/, Static/app.css, Static/document.css)")
        }
        var loaded: [String: MustacheTemplate] = [:]
        for name in PageRenderer.templateNames {
            let url = templates.appendingPathComponent("\(name).mustache")
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw LoadError(description: "template \(name).mustache is missing from \(templates.path)")
            }
            do {
                loaded[name] = try MustacheTemplate(string: text)
            } catch {
                throw LoadError(description: "template \(name).mustache does not parse: \(error)")
            }
        }
        library = MustacheLibrary(templates: loaded)
        stylesheet = try String(contentsOf: css, encoding: .utf8)
        documentStylesheet = try String(contentsOf: documentCSS, encoding: .utf8)
    }

    func render(_ object: Any, template: String) -> String {
        library.render(object, withTemplate: template) ?? ""
    }

    public func render(_ page: PlansPage) -> String { render(page, template: "plans") }
    public func render(_ page: PlanPage) -> String { render(page, template: "plan") }
    public func render(_ page: AssignmentPage) -> String { render(page, template: "assignment") }
    public func render(_ page: AgenciesPage) -> String { render(page, template: "agencies") }
    public func render(_ page: AgencyPage) -> String { render(page, template: "agency") }
    public func render(_ page: FindingsPage) -> String { render(page, template: "findings") }
    public func render(_ page: ErrorPage) -> String { render(page, template: "error") }
    public func render(_ page: SignInPage) -> String { render(page, template: "sign-in") }
    public func render(_ page: PasswordPage) -> String { render(page, template: "password") }
    public func render(_ page: UsersPage) -> String { render(page, template: "users") }
    public func render(_ page: UserPage) -> String { render(page, template: "user") }
    public func render(_ page: AgencyDirectoryPage) -> String { render(page, template: "admin-agencies") }
    public func render(_ page: AgencyEditPage) -> String { render(page, template: "admin-agency") }
    public func render(_ page: AuditLogPage) -> String { render(page, template: "audit") }
    public func render(_ page: PublicPlanPage) -> String { render(page, template: "public-plan") }
    public func render(_ page: ReportFormPage) -> String { render(page, template: "report-form") }
    public func render(_ page: ReportPage) -> String { render(page, template: "report") }
    public func render(_ page: ReviewQueuePage) -> String { render(page, template: "review-queue") }
    public func render(_ page: DashboardPage) -> String { render(page, template: "dashboard") }
    public func render(_ page: ScorecardPage) -> String { render(page, template: "scorecard") }
    public func render(_ page: ActionListPage) -> String { render(page, template: "action-list") }
    public func render(_ page: ChangesPage) -> String { render(page, template: "changes") }
    public func render(_ page: ReportSettingsPage) -> String { render(page, template: "report-settings") }
    public func render(_ page: NotificationsPage) -> String { render(page, template: "notifications") }
    public func render(_ page: ReminderSettingsPage) -> String { render(page, template: "reminder-settings") }
    public func render(_ page: HolidaysPage) -> String { render(page, template: "holidays") }
    public func render(_ page: OutboxPage) -> String { render(page, template: "outbox") }

    public func render(_ page: PeriodicReportPage) -> String { render(page, template: "periodic-report") }
    public func render(_ page: IssueConfirmPage) -> String { render(page, template: "report-issue-confirm") }
    public func render(_ page: ConfirmPage) -> String { render(page, template: "confirm") }
    public func render(_ page: MyWorkPage) -> String { render(page, template: "my-work") }
    public func render(_ page: MyWorkChooserPage) -> String { render(page, template: "my-work-chooser") }
    public func render(_ page: ProvincePage) -> String { render(page, template: "province") }

    public func render(_ page: ReportPrintPage) -> String {
        var page = page
        page.inlineCSS = page.standalone ? documentStylesheet : nil
        return render(page, template: "report-print")
    }
    public func render(_ page: CatalogueUploadPage) -> String { render(page, template: "catalogue-upload") }
    public func render(_ page: CataloguePreviewPage) -> String { render(page, template: "catalogue-preview") }
    public func render(_ page: CatalogueJobPage) -> String { render(page, template: "catalogue-job") }
    public func render(_ page: CatalogueImportedPage) -> String { render(page, template: "catalogue-imported") }

    /// The marker in the header where the viewer's navigation goes.
    public static let viewerMarker = "<!--theodoi:viewer-->"

    /// `html` with the header's marker replaced by the viewer's navigation (so cached pages stay shared).
    public func personalize(_ html: String, viewer: ViewerModel) -> String {
        let navigation = render(viewer, template: "viewer")
        // A byte search: the marker sits in the header, near the start of a page of up to hundreds of KB.
        let marker = Array(PageRenderer.viewerMarker.utf8)
        let bytes = html.utf8
        var index = bytes.startIndex
        while index != bytes.endIndex {
            if bytes[index] == marker[0], bytes[index...].starts(with: marker) {
                let end = bytes.index(index, offsetBy: marker.count)
                var result = String(html[..<index])
                result.reserveCapacity(html.utf8.count + navigation.utf8.count)
                result += navigation
                result += html[end...]
                return result
            }
            bytes.formIndex(after: &index)
        }
        return html
    }
}
