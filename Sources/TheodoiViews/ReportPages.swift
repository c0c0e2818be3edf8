import TheodoiCore

/// A file of an issued report, as listed.
public struct IssuedFileLink: Sendable {
    public var label: String
    public var href: String
    public var sizeText: String
    public var sha256: String
    /// The first 12 characters, for the list (the whole hash in its tooltip).
    public let shortHash: String

    public init(label: String, href: String, sizeText: String, sha256: String) {
        shortHash = String(sha256.prefix(12))
        self.label = label
        self.href = href
        self.sizeText = sizeText
        self.sha256 = sha256
    }
}

/// One issued report in the list.
public struct IssuedReportRow: Sendable {
    public var number: String
    public var title: String
    public var scope: String
    public var issuedBy: String
    public var issuedAt: String
    public var files: [IssuedFileLink]
    /// "Thay thế Số 125-BC/TU" or "Đã được thay thế bằng Số 126-BC/TU"; empty otherwise.
    public var note: String

    public init(
        number: String, title: String, scope: String, issuedBy: String, issuedAt: String, files: [IssuedFileLink],
        note: String = ""
    ) {
        self.note = note
        self.number = number
        self.title = title
        self.scope = scope
        self.issuedBy = issuedBy
        self.issuedAt = issuedAt
        self.files = files
    }
}

/// A download of the report being looked at.
public struct DownloadLink: Sendable {
    public var label: String
    public var href: String

    public init(label: String, href: String) {
        self.label = label
        self.href = href
    }
}

/// `/plans/{plan}/report`: pick a period, a date and a scope, read the report, download it, issue it.
public struct PeriodicReportPage: Sendable {
    public var layout: Layout
    public var csrf: String
    public var planNumber: String
    public var periods: [Option]
    public var asOfISO: String
    /// The same date as officials type it (dd/MM/yyyy).
    public let asOfText: String
    public var scopes: [Option]
    public var number: String
    public var numberSuffix: String
    public var errors: FormErrors
    public var notice: String?
    /// The report rendered as the print page shows it; nil before a report is asked for or when the request is wrong.
    public var documentHTML: String?
    public var reportTitle: String
    public var summary: String
    public var downloads: [DownloadLink]
    public var pdfMissing: Bool
    public var canIssue: Bool
    public var settingsHref: String
    public var settingsText: String
    public var settingsSaved: Bool
    public var issued: [IssuedReportRow]
    /// The query of the report looked at, for the issue form.
    public var periodKey: String
    public var scopeKey: String
    public var issueHref: String
    /// Issued reports not yet replaced, which the one looked at may replace.
    public var replaceOptions: [Option]
    public let hasErrors: Bool
    public let hasIssued: Bool
    public let hasReplaceOptions: Bool

    public init(
        layout: Layout, csrf: String, planNumber: String, periods: [Option], asOfISO: String, scopes: [Option], number: String,
        numberSuffix: String, errors: FormErrors, notice: String?, documentHTML: String?, reportTitle: String, summary: String,
        downloads: [DownloadLink], pdfMissing: Bool, canIssue: Bool, settingsHref: String, settingsText: String,
        settingsSaved: Bool, issued: [IssuedReportRow], periodKey: String, scopeKey: String, issueHref: String,
        replaceOptions: [Option] = []
    ) {
        self.issueHref = issueHref
        self.replaceOptions = replaceOptions
        hasReplaceOptions = replaceOptions.count > 1
        hasErrors = errors.hasAny
        hasIssued = !issued.isEmpty
        self.layout = layout
        self.csrf = csrf
        self.planNumber = planNumber
        self.periods = periods
        self.asOfISO = asOfISO
        asOfText = LocalDate(iso: asOfISO)?.vietnameseShort ?? asOfISO
        self.scopes = scopes
        self.number = number
        self.numberSuffix = numberSuffix
        self.errors = errors
        self.notice = notice
        self.documentHTML = documentHTML
        self.reportTitle = reportTitle
        self.summary = summary
        self.downloads = downloads
        self.pdfMissing = pdfMissing
        self.canIssue = canIssue
        self.settingsHref = settingsHref
        self.settingsText = settingsText
        self.settingsSaved = settingsSaved
        self.issued = issued
        self.periodKey = periodKey
        self.scopeKey = scopeKey
    }
}

/// `POST /plans/{plan}/report/issue` before it is confirmed: what will be issued, what it replaces,
/// and that an issued report is never edited; the form that confirms carries the same fields.
public struct IssueConfirmPage: Sendable {
    public var layout: Layout
    public var csrf: String
    public var planNumber: String
    public var number: String
    public var title: String
    public var scope: String
    public var summary: String
    public var replaces: String
    public var problems: [String]
    public var files: [String]
    public var action: String
    public var backHref: String
    public var fields: [Option]
    /// "Gia Lai, ngày 06 tháng 12 năm 2026" and "T/M BAN THƯỜNG VỤ, PHÓ BÍ THƯ — (ký tay, chưa ghi họ tên)".
    public var dateLine: String = ""
    public var signerLine: String = ""
    public let hasReplaces: Bool
    public let hasProblems: Bool
    public let numberBlank: Bool

    public init(
        layout: Layout, csrf: String, planNumber: String, number: String, numberBlank: Bool, title: String, scope: String,
        summary: String, replaces: String, problems: [String], files: [String], action: String, backHref: String,
        fields: [Option]
    ) {
        self.layout = layout
        self.csrf = csrf
        self.planNumber = planNumber
        self.number = number
        self.numberBlank = numberBlank
        self.title = title
        self.scope = scope
        self.summary = summary
        self.replaces = replaces
        self.problems = problems
        self.files = files
        self.action = action
        self.backHref = backHref
        self.fields = fields
        hasReplaces = !replaces.isEmpty
        hasProblems = !problems.isEmpty
    }
}

/// `/plans/{plan}/report/settings`: the issuing body's format, heading, signature and recipients.
public struct ReportSettingsPage: Sendable {
    public var layout: Layout
    public var csrf: String
    public var planNumber: String
    public var formats: [Option]
    public var issuerLines: String
    public var numberSuffix: String
    public var place: String
    public var signatureAuthority: String
    public var signer: String
    public var recipients: String
    public var errors: FormErrors
    public var backHref: String
    public let hasErrors: Bool

    public init(
        layout: Layout, csrf: String, planNumber: String, formats: [Option], issuerLines: String, numberSuffix: String,
        place: String, signatureAuthority: String, signer: String, recipients: String, errors: FormErrors, backHref: String
    ) {
        self.layout = layout
        self.csrf = csrf
        self.planNumber = planNumber
        self.formats = formats
        self.issuerLines = issuerLines
        self.numberSuffix = numberSuffix
        self.place = place
        self.signatureAuthority = signatureAuthority
        self.signer = signer
        self.recipients = recipients
        self.errors = errors
        self.backHref = backHref
        hasErrors = errors.hasAny
    }
}

/// The print page of a report: A4, Times New Roman, the appendix on landscape pages. The issued copy
/// is standalone (its stylesheet inline), so it reads the same offline years later.
public struct ReportPrintPage: Sendable {
    public var title: String
    public var documentHTML: String
    /// Inline the stylesheet (the issued copy, read offline) instead of linking it.
    public var standalone: Bool
    /// The inlined stylesheet, filled in by the renderer for a standalone page.
    public internal(set) var inlineCSS: String?

    public init(title: String, documentHTML: String, standalone: Bool) {
        self.title = title
        self.documentHTML = documentHTML
        self.standalone = standalone
    }
}

/// A formal document as HTML: the same blocks the DOCX writer lays out, every text escaped. The
/// heading is one table of three rows (issuer and motto, the star, number and place-and-date) so
/// the number and the date stand on one baseline, as on paper.
public enum OfficialDocumentHTML {
    /// `link` gives the address of a statement's source (a report's page, a task as of the date);
    /// nil writes the statement as plain text.
    public static func render(
        _ document: OfficialDocument, link: (OfficialDocument.Source) -> String? = { _ in nil }
    ) -> String {
        let party = document.format == .party
        var html = "<div class=\"document \(party ? "party" : "state")\"><section class=\"doc-body\">"
        html += "<table class=\"doc-heading\"><tr><td class=\"doc-issuer\">"
        for (index, line) in document.issuerLines.enumerated() {
            let last = index == document.issuerLines.count - 1
            let strong = party ? last || document.issuerLines.count == 1 : last
            html += "<p\(!party && last ? " class=\"underline\"" : "")>"
            html += strong ? "<strong>\(escape(line))</strong>" : escape(line)
            html += "</p>"
        }
        html += "</td><td class=\"doc-motto\">"
        let motto = document.mottoLines
        for (index, line) in motto.enumerated() {
            html += "<p class=\"\(index == motto.count - 1 ? "underline " : "")\(party ? "party" : "state")\">"
            html += "<strong>\(escape(line))</strong></p>"
        }
        html += "</td></tr>"
        if party { html += "<tr><td class=\"doc-issuer\"><p>*</p></td><td></td></tr>" }
        html += "<tr><td class=\"doc-issuer\"><p class=\"doc-number\">\(escape(document.number))</p></td>"
        html += "<td class=\"doc-motto\"><p class=\"doc-date\"><em>\(escape(document.placeAndDate))</em></p></td></tr></table>"
        html += "<p class=\"doc-kind\"><strong>\(escape(document.kind))</strong></p>"
        for line in document.subject { html += "<p class=\"doc-subject\"><strong>\(escape(line))</strong></p>" }
        html += "<p class=\"doc-rule\">\(party ? "-----" : "")</p>"
        for block in document.body {
            switch block {
            case .section(let text): html += "<h2 class=\"doc-section\">\(escape(text))</h2>"
            case .subsection(let text): html += "<h3 class=\"doc-subsection\">\(escape(text))</h3>"
            case .paragraph(let runs): html += "<p class=\"doc-p\">\(render(runs, link: link))</p>"
            case .bullet(let runs): html += "<p class=\"doc-p\">- \(render(runs, link: link))</p>"
            }
        }
        html += "<table class=\"doc-signature\"><tr><td class=\"doc-recipients\">"
        html += party ? "<p class=\"party\"><u>Nơi nhận:</u></p>" : "<p class=\"state\"><strong><em>Nơi nhận:</em></strong></p>"
        for index in document.recipients.indices { html += "<p>\(escape(document.recipientLine(index)))</p>" }
        html += "</td><td class=\"doc-signer\">"
        for line in document.signatureAuthority { html += "<p><strong>\(escape(line))</strong></p>" }
        html += "<p class=\"doc-sign-space\"></p><p><strong>\(escape(document.signer))</strong></p></td></tr></table>"
        if let verification = document.verification {
            html += "<p class=\"doc-verification\"><em>\(escape(verification))</em></p>"
        }
        html += "</section>"
        if let appendix = document.appendix {
            html += "<section class=\"doc-appendix\"><p class=\"doc-kind\"><strong>\(escape(appendix.title))</strong></p>"
            html += "<p class=\"doc-subject\"><em>\(escape(appendix.subtitle))</em></p><table class=\"doc-table\"><colgroup>"
            let total = max(1, appendix.widths.reduce(0, +))
            // A class per whole percent (document.css), not a style: the pages' Content-Security-Policy
            // allows no inline styles, and `<col width>` is obsolete.
            for width in appendix.widths { html += "<col class=\"w\(max(1, min(100, (width * 100 + total / 2) / total)))\">" }
            html += "</colgroup><thead><tr>"
            for column in appendix.columns { html += "<th>\(escape(column))</th>" }
            html += "</tr></thead><tbody>"
            for row in appendix.rows {
                switch row {
                case .group(let title):
                    html += "<tr class=\"doc-group\"><td colspan=\"\(appendix.columns.count)\">\(escape(title))</td></tr>"
                case .cells(let cells, let source):
                    html += "<tr>"
                    for (index, cell) in cells.enumerated() {
                        if index == 0, let href = source.flatMap(link) {
                            html += "<td><a class=\"doc-source\" href=\"\(Charts.escaped(href))\">\(escape(cell))</a></td>"
                        } else {
                            html += "<td>\(escape(cell))</td>"
                        }
                    }
                    html += "</tr>"
                }
            }
            html += "</tbody></table></section>"
        }
        return html + "</div>"
    }

    static func render(_ runs: [OfficialDocument.Run], link: (OfficialDocument.Source) -> String?) -> String {
        runs.map { run in
            var text = escape(run.text)
            if run.italic { text = "<em>\(text)</em>" }
            if run.bold { text = "<strong>\(text)</strong>" }
            if let href = run.source.flatMap(link) {
                text = "<a class=\"doc-source\" href=\"\(Charts.escaped(href))\">\(text)</a>"
            }
            return text
        }.joined()
    }

    /// Text as HTML (escaped as the charts escape it), line breaks as `<br>`.
    static func escape(_ text: String) -> String {
        Charts.escaped(text).split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
            .joined(separator: "<br>")
    }
}
