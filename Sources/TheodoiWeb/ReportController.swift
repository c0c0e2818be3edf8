import Foundation
import Hummingbird
import TheodoiCore
import TheodoiExport
import TheodoiForms
import TheodoiOperations
import TheodoiStore
import TheodoiViews

/// Periodic reports: the page to pick a period and scope and read the report, its files (DOCX,
/// XLSX appendix, print page, PDF where LibreOffice is installed), the report settings, and issuing.
struct ReportController: Sendable {
    let dependencies: WebDependencies
    var reports: PeriodicReports { dependencies.periodicReports }
    var renderer: PageRenderer { dependencies.renderer }

    /// The form of a GET query or a POST body.
    static func form(_ value: (String) -> String?) -> PeriodicReportForm {
        PeriodicReportForm(
            period: value("period") ?? "", asOf: value("asOf") ?? "", scope: value("scope") ?? "all",
            number: value("number") ?? "", replaces: value("replaces") ?? "")
    }

    static func query(_ form: PeriodicReportForm) -> [(String, String)] {
        [("period", form.period), ("asOf", form.asOf), ("scope", form.scope), ("number", form.number)]
    }

    func snapshot(_ context: AppRequestContext) async throws -> PlanSnapshot {
        let slug = try context.parameters.require("plan")
        guard let snapshot = try await dependencies.views.snapshots.snapshot(slug: slug) else {
            throw PageController.noPlan(slug)
        }
        return snapshot
    }

    // MARK: Page

    /// `GET /plans/{plan}/report?period=&asOf=&scope=&number=`.
    func page(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let snapshot = try await snapshot(context)
        let parameters = QueryParameters(request.uri.query)
        // Any field of the picker in the query (even an empty period: no period) asks for a report.
        let asked = (request.uri.query ?? "").split(separator: "&").contains { $0.hasPrefix("period=") }
        var form = Self.form { parameters[$0] }
        if !asked {
            form.period = ReportingPeriod.containing(dependencies.today(), kind: .quarter)?.key ?? ""
        }
        var notice: String?
        if parameters["settings"] == "saved" {
            notice = "Đã lưu thể thức văn bản, người ký và nơi nhận; báo cáo lập từ nay dùng các thông tin này."
        }
        if let raw = parameters["issued"], let id = RequestNumber.id(raw),
            let issued = try await reports.reports.issuedReports(snapshot.plan.id).first(where: { $0.id.rawValue == id })
        {
            notice =
                "Đã ban hành “\(issued.title)” (\(issued.number)) với \(issued.files.count) tệp; các tệp ở danh sách cuối trang."
        }
        return try await render(snapshot, form: form, compose: asked, identity: identity, context: context, notice: notice)
    }

    func render(
        _ snapshot: PlanSnapshot, form: PeriodicReportForm, compose: Bool, identity: Identity, context: AppRequestContext,
        notice: String?, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let slug = snapshot.plan.slug
        var errors = FormErrors.none
        var composed: PeriodicReports.Composed?
        if compose {
            do {
                composed = try await reports.compose(snapshot: snapshot, request: try reports.request(form, snapshot: snapshot))
            } catch let refusal as ProgressRefusal {
                errors = FormErrors(refusal.problems, heading: "Chưa lập được báo cáo")
            }
        }
        let (settings, saved) = try await reports.settings(for: snapshot)
        let issued = try await reports.reports.issuedReports(snapshot.plan.id)
        let asOfISO =
            composed?.request.asOf.iso
            ?? (LocalDate(vietnamese: form.asOf) ?? LocalDate(iso: form.asOf))?.iso ?? ""
        var downloads: [DownloadLink] = []
        if let composed {
            // The links carry the resolved date, so every file is the report on the page.
            var query = Self.query(form)
            query[1].1 = composed.request.asOf.iso
            downloads = [
                DownloadLink(
                    label: "Báo cáo (Word .docx)",
                    href: SiteRoute.periodicReportFile(slug: slug, format: "docx", query: query).href),
                DownloadLink(
                    label: "Phụ lục (Excel .xlsx)",
                    href: SiteRoute.periodicReportFile(slug: slug, format: "xlsx", query: query).href),
                DownloadLink(label: "Bản in (A4)", href: SiteRoute.reportPrint(slug: slug, query: query).href),
            ]
            if reports.converter != nil {
                downloads.append(
                    DownloadLink(
                        label: "PDF", href: SiteRoute.periodicReportFile(slug: slug, format: "pdf", query: query).href))
            }
        }
        let page = PeriodicReportPage(
            layout: Layout(title: "Báo cáo định kỳ", section: "report", planSlug: slug, planNumber: snapshot.plan.number),
            csrf: context.csrfToken, planNumber: snapshot.plan.number,
            periods: Self.periodOptions(snapshot: snapshot, today: dependencies.today(), selected: form.period),
            asOfISO: asOfISO, scopes: Self.scopeOptions(snapshot, selected: form.scope), number: form.number,
            numberSuffix: settings.numberSuffix, errors: errors, notice: notice,
            documentHTML: composed.map { OfficialDocumentHTML.render($0.report.document, link: Self.link($0)) },
            reportTitle: composed.map { "\($0.report.title) · \($0.report.scopeLabel)" } ?? "",
            summary: composed?.report.summary.sentence ?? "", downloads: downloads,
            pdfMissing: composed != nil && reports.converter == nil, canIssue: identity.may(.issueReports),
            settingsHref: SiteRoute.reportSettings(slug: slug).href,
            settingsText: "\(settings.format == .party ? "văn bản của Đảng" : "văn bản hành chính"), "
                + settings.issuerLines.joined(separator: " – "),
            settingsSaved: saved, issued: issued.map { Self.row($0, among: issued) }, periodKey: form.period,
            scopeKey: form.scope, issueHref: SiteRoute.issueReport(slug: slug).href,
            replaceOptions: [Option(value: "", label: "(không thay thế báo cáo nào)", selected: form.replaces.isEmpty)]
                + issued.filter { $0.supersededBy == nil }.map { report in
                    Option(
                        value: String(report.id.rawValue),
                        label: "\(report.number) · \(report.title) · ban hành \(report.issuedOn.vietnameseShort)",
                        selected: form.replaces == String(report.id.rawValue))
                })
        return PageController.page(renderer.render(page), context, renderer: renderer, status: status)
    }

    static func row(_ report: IssuedReportRecord, among all: [IssuedReportRecord]) -> IssuedReportRow {
        func number(_ id: IssuedReportRecord.ID?) -> String? { id.flatMap { id in all.first { $0.id == id }?.number } }
        var notes: [String] = []
        if let replaced = number(report.supersedes) { notes.append("Thay thế \(replaced)") }
        if let replacing = number(report.supersededBy) { notes.append("Đã được thay thế bằng \(replacing)") }
        return IssuedReportRow(
            number: report.number, title: report.title, scope: report.scopeLabel, issuedBy: report.issuedByName,
            issuedAt: Reporting.timeText(report.issuedAt),
            files: report.files.map { file in
                IssuedFileLink(
                    label: Self.label(file.kind), href: SiteRoute.issuedFile(id: file.id).href,
                    sizeText: Self.size(file.size), sha256: file.sha256)
            }, note: notes.joined(separator: "; "))
    }

    static func label(_ kind: String) -> String {
        switch kind {
        case "docx": "Báo cáo (.docx)"
        case "xlsx": "Phụ lục (.xlsx)"
        case "html": "Bản in (.html)"
        case "pdf": "PDF"
        default: kind
        }
    }

    static func size(_ bytes: Int) -> String {
        bytes < 1024 * 1024 ? "\(max(1, bytes / 1024)) KB" : String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }

    /// The periods a monitor may pick: every period that has begun, newest first, and no period at all.
    static func periodOptions(snapshot: PlanSnapshot, today: LocalDate, selected: String) -> [Option] {
        var options: [Option] = []
        let firstYear = min(snapshot.plan.date?.year ?? today.year, today.year)
        for year in stride(from: today.year + 1, through: firstYear, by: -1) {
            var periods: [ReportingPeriod] = []
            periods += [ReportingPeriod(kind: .year, year: year), ReportingPeriod(kind: .nineMonths, year: year)].compactMap {
                $0
            }
            periods += [ReportingPeriod(kind: .sixMonths, year: year)].compactMap { $0 }
            periods += (1...4).reversed().compactMap { ReportingPeriod(kind: .quarter, year: year, index: $0) }
            periods += (1...12).reversed().compactMap { ReportingPeriod(kind: .month, year: year, index: $0) }
            for period in periods where period.start <= today {
                if let planDate = snapshot.plan.date, period.end < planDate { continue }
                let name = period.vietnameseName
                let label =
                    name.prefix(1).uppercased() + name.dropFirst()
                    + " (\(period.start.vietnameseShort) – \(period.end.vietnameseShort))"
                options.append(Option(value: period.key, label: label, selected: period.key == selected))
            }
        }
        let sorted = options.enumerated().sorted { lhs, rhs in
            // Quarters and months interleave by their end, newest first; longer periods first on a tie.
            let left = ReportingPeriod(key: lhs.element.value)
            let right = ReportingPeriod(key: rhs.element.value)
            if left?.end != right?.end, let left, let right { return left.end > right.end }
            return lhs.offset < rhs.offset
        }.map(\.element)
        return sorted + [
            Option(value: "", label: "Không theo kỳ: từ ngày ban hành kế hoạch", selected: selected.isEmpty)
        ]
    }

    static func scopeOptions(_ snapshot: PlanSnapshot, selected: String) -> [Option] {
        var options = [Option(value: "all", label: "Toàn bộ danh mục", selected: selected == "all" || selected.isEmpty)]
        for part in snapshot.parts {
            let key = PeriodicReportRequest.Scope.part(part.code).key
            options.append(Option(value: key, label: "Phần \(part.code). \(part.title)", selected: key == selected))
        }
        var leads = Set<AgencyRecord.ID>()
        for assignment in snapshot.assignments { for link in assignment.lead { if let id = link.agencyID { leads.insert(id) } } }
        for agency in snapshot.agencies where leads.contains(agency.id) {
            let key = PeriodicReportRequest.Scope.agency(agency.id).key
            options.append(Option(value: key, label: "Nhiệm vụ do \(agency.name) chủ trì", selected: key == selected))
        }
        return options
    }

    // MARK: Files

    /// `GET /plans/{plan}/report.docx|xlsx|pdf?…`: the report as it stands now.
    func file(_ request: Request, _ context: AppRequestContext, format: String) async throws -> Response {
        _ = try context.signedIn()
        let snapshot = try await snapshot(context)
        let parameters = QueryParameters(request.uri.query)
        let composed = try await reports.compose(
            snapshot: snapshot, request: try reports.request(Self.form { parameters[$0] }, snapshot: snapshot))
        let base = PeriodicReports.fileBase(composed)
        switch format {
        case "docx":
            return Responses.download(
                try DOCXWriter.bytes(composed.report.document), contentType: PeriodicReports.docxType, fileName: "\(base).docx")
        case "xlsx":
            return Responses.download(
                try XLSXWriter.bytes(composed.report.appendixTable), contentType: PeriodicReports.xlsxType,
                fileName: "\(base)-phu-luc.xlsx")
        default:
            guard let converter = reports.converter else {
                throw WebError.notFound(
                    "Máy chủ chưa cài LibreOffice nên chưa xuất được PDF. Hãy dùng bản in (A4) để in hoặc lưu thành PDF.",
                    api: "PDF needs LibreOffice, which is not installed on the server")
            }
            let pdf = try await converter.pdf(from: try DOCXWriter.bytes(composed.report.document), fileExtension: "docx")
            return Responses.download(pdf, contentType: "application/pdf", fileName: "\(base).pdf")
        }
    }

    /// `GET /plans/{plan}/report/print?…`: the A4 print page.
    func print(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let snapshot = try await snapshot(context)
        let parameters = QueryParameters(request.uri.query)
        let composed = try await reports.compose(
            snapshot: snapshot, request: try reports.request(Self.form { parameters[$0] }, snapshot: snapshot))
        return Responses.html(Self.printHTML(composed, renderer: renderer, standalone: false))
    }

    static func printHTML(_ composed: PeriodicReports.Composed, renderer: PageRenderer, standalone: Bool) -> String {
        renderer.render(
            ReportPrintPage(
                title: "\(composed.report.title) · \(composed.snapshot.plan.number)",
                documentHTML: OfficialDocumentHTML.render(composed.report.document, link: Self.link(composed)),
                standalone: standalone))
    }

    /// Where a statement of the report comes from: a report's page, or the task as of the report's date.
    static func link(_ composed: PeriodicReports.Composed) -> (OfficialDocument.Source) -> String? {
        let slug = composed.snapshot.plan.slug
        let asOf = composed.request.asOf
        return { source in
            switch source {
            case .report(let id): SiteRoute.report(id: ReportRecord.ID(id)).href
            case .task(let code): SiteRoute.assignment(slug: slug, code: code, asOf: asOf).href
            }
        }
    }

    // MARK: Issuing and settings

    /// `POST /plans/{plan}/report/issue`: first a page that shows what will be issued and asks for
    /// confirmation; with `confirm=yes`, freezes the report's files. A number already used, or a
    /// report to replace that was replaced meanwhile, is refused and nothing is stored.
    func issue(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.issueReports)
        let snapshot = try await snapshot(context)
        let form = Self.form { context.form[$0] }
        guard context.form["confirm"] == "yes" else { return try await confirmation(snapshot, form: form, context: context) }
        let renderer = renderer
        do {
            let issued = try await reports.issue(
                slug: snapshot.plan.slug, form: form, actor: context.auditActor,
                html: { Array(Self.printHTML($0, renderer: renderer, standalone: true).utf8) })
            // Post/redirect/get: reloading the page shows the notice again, it never issues twice.
            return Responses.redirect(
                SiteRoute.periodicReport(slug: snapshot.plan.slug, query: [("issued", String(issued.id.rawValue))]).href)
        } catch let refusal as ProgressRefusal where refusal.kind != .forbidden {
            return try await render(
                snapshot, form: form, compose: true, identity: identity, context: context,
                notice: "Chưa ban hành: \(refusal.message)",
                status: refusal.kind == .conflict ? .conflict : .unprocessableContent)
        }
    }

    /// What issuing will store, for the monitor to confirm; problems found now are named at once.
    func confirmation(_ snapshot: PlanSnapshot, form: PeriodicReportForm, context: AppRequestContext) async throws -> Response {
        let slug = snapshot.plan.slug
        var problems: [String] = []
        var composed: PeriodicReports.Composed?
        do {
            composed = try await reports.compose(slug: slug, form: form)
        } catch let refusal as ProgressRefusal {
            problems.append(refusal.message)
        }
        let issued = try await reports.reports.issuedReports(snapshot.plan.id)
        let replaced = issued.first { String($0.id.rawValue) == form.replaces.trimmingCharacters(in: .whitespaces) }
        if let composed { problems += try await reports.issueProblems(composed).map(\.message) }
        var files = ["Báo cáo (Word .docx)", "Phụ lục (Excel .xlsx)", "Bản in (.html)"]
        if reports.converter != nil { files.append("PDF") }
        var back = Self.query(form)
        if !form.replaces.isEmpty { back.append(("replaces", form.replaces)) }
        var page = IssueConfirmPage(
            layout: Layout(title: "Ban hành báo cáo", section: "report", planSlug: slug, planNumber: snapshot.plan.number),
            csrf: context.csrfToken, planNumber: snapshot.plan.number,
            number: composed?.report.document.number.replacingOccurrences(of: "\u{00A0}", with: " ") ?? form.number,
            numberBlank: form.number.trimmingCharacters(in: .whitespaces).isEmpty,
            title: composed?.report.title ?? "", scope: composed?.report.scopeLabel ?? "",
            summary: composed?.report.summary.sentence ?? "",
            replaces: replaced.map { "\($0.number) · \($0.title) · ban hành \($0.issuedOn.vietnameseShort)" } ?? "",
            problems: problems, files: files, action: SiteRoute.issueReport(slug: slug).href,
            backHref: SiteRoute.periodicReport(slug: slug, query: back).href,
            fields: [
                Option(value: "period", label: form.period, selected: false),
                Option(value: "asOf", label: composed?.request.asOf.iso ?? form.asOf, selected: false),
                Option(value: "scope", label: form.scope, selected: false),
                Option(value: "number", label: form.number, selected: false),
                Option(value: "replaces", label: form.replaces, selected: false),
            ])
        if let composed {
            page.dateLine = composed.report.document.placeAndDate
            let signer = composed.report.document.signer
            page.signerLine =
                composed.report.document.signatureAuthority.joined(separator: ", ") + " — "
                + (signer.isEmpty ? "họ tên ghi tay khi ký (chưa đặt trong thể thức báo cáo)" : signer)
        }
        return PageController.page(
            renderer.render(page), context, renderer: renderer, status: problems.isEmpty ? .ok : .unprocessableContent)
    }

    /// `GET /issued-files/{file}`: an issued file, byte for byte as issued.
    func issuedFile(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let raw = try context.parameters.require("file")
        guard let number = RequestNumber.id(raw),
            let (info, bytes) = try await reports.reports.issuedFile(IssuedFileInfo.ID(number))
        else {
            throw WebError.notFound("Không có tệp báo cáo số “\(raw)”.", api: "no issued file \(raw)")
        }
        return Responses.download(
            bytes, contentType: info.contentType, fileName: info.fileName,
            headers: [.eTag: "\"\(info.sha256)\"", .contentSecurityPolicy: SecurityHeadersMiddleware.issuedPagePolicy])
    }

    /// `GET /plans/{plan}/report/settings`.
    func settings(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.issueReports)
        let snapshot = try await snapshot(context)
        let settings = try await reports.settings(for: snapshot).settings
        return settingsPage(snapshot, form: ReportSettingsForm(settings), errors: .none, context: context)
    }

    /// `POST /plans/{plan}/report/settings`.
    func saveSettings(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.issueReports)
        let snapshot = try await snapshot(context)
        let form = ReportSettingsForm(
            format: context.form["format"] ?? "", issuerLines: context.form["issuerLines"] ?? "",
            numberSuffix: context.form["numberSuffix"] ?? "", place: context.form["place"] ?? "",
            signatureAuthority: context.form["signatureAuthority"] ?? "", signer: context.form["signer"] ?? "",
            recipients: context.form["recipients"] ?? "")
        do {
            try await reports.saveSettings(slug: snapshot.plan.slug, form: form, actor: context.auditActor)
            return Responses.redirect(SiteRoute.periodicReport(slug: snapshot.plan.slug, query: [("settings", "saved")]).href)
        } catch let refusal as ProgressRefusal where refusal.kind == .invalid {
            return settingsPage(
                snapshot, form: form, errors: FormErrors(refusal.problems), context: context, status: .unprocessableContent)
        }
    }

    func settingsPage(
        _ snapshot: PlanSnapshot, form: ReportSettingsForm, errors: FormErrors, context: AppRequestContext,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let page = ReportSettingsPage(
            layout: Layout(
                title: "Thể thức báo cáo", section: "report", planSlug: snapshot.plan.slug, planNumber: snapshot.plan.number),
            csrf: context.csrfToken, planNumber: snapshot.plan.number,
            formats: OfficialDocument.Format.allCases.map {
                Option(value: $0.rawValue, label: $0.vietnamese, selected: $0.rawValue == form.format)
            }, issuerLines: form.issuerLines, numberSuffix: form.numberSuffix, place: form.place,
            signatureAuthority: form.signatureAuthority, signer: form.signer, recipients: form.recipients, errors: errors,
            backHref: SiteRoute.periodicReport(slug: snapshot.plan.slug).href)
        return PageController.page(renderer.render(page), context, renderer: renderer, status: status)
    }
}
