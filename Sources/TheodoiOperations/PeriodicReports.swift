import Foundation
import TheodoiCore
import TheodoiExport
import TheodoiStore

/// What a monitor picks for a periodic report, as typed (the period key, the date as text).
public struct PeriodicReportForm: Sendable, Hashable {
    /// "quarter-2025-4"; empty for a plain "tính đến ngày".
    public var period: String
    /// dd/MM/yyyy or ISO; empty for the period's end.
    public var asOf: String
    /// "all", "part:A", "agency:12".
    public var scope: String
    public var number: String
    /// The id of the issued report this one replaces; empty for none.
    public var replaces: String

    public init(period: String = "", asOf: String = "", scope: String = "all", number: String = "", replaces: String = "") {
        self.period = period
        self.asOf = asOf
        self.scope = scope
        self.number = number
        self.replaces = replaces
    }
}

/// Report settings as typed in the form: one line per entry.
public struct ReportSettingsForm: Sendable, Hashable {
    public var format: String
    public var issuerLines: String
    public var numberSuffix: String
    public var place: String
    public var signatureAuthority: String
    public var signer: String
    public var recipients: String

    public init(
        format: String, issuerLines: String, numberSuffix: String, place: String, signatureAuthority: String, signer: String,
        recipients: String
    ) {
        self.format = format
        self.issuerLines = issuerLines
        self.numberSuffix = numberSuffix
        self.place = place
        self.signatureAuthority = signatureAuthority
        self.signer = signer
        self.recipients = recipients
    }

    /// The form showing saved settings.
    public init(_ settings: ReportSettings) {
        self.init(
            format: settings.format.rawValue, issuerLines: settings.issuerLines.joined(separator: "\n"),
            numberSuffix: settings.numberSuffix, place: settings.place,
            signatureAuthority: settings.signatureAuthority.joined(separator: "\n"), signer: settings.signer,
            recipients: settings.recipients.joined(separator: "\n"))
    }
}

/// Periodic reports: composing one for a period and scope, the plan's report settings, and issuing
/// (freezing the files with their SHA-256).
public struct PeriodicReports: Sendable {
    public var views: PlanViews
    public var reports: ReportStore
    /// LibreOffice for PDF; nil where it is not installed (no PDF is offered then).
    public var converter: OfficeConverter?
    /// Today in Vietnam.
    public var today: @Sendable () -> LocalDate
    /// The audit log's last entry, printed on every issued copy (nil: the log is empty).
    public var auditHead: @Sendable () async throws -> AuditHead?

    public init(
        views: PlanViews, reports: ReportStore, converter: OfficeConverter?, today: @escaping @Sendable () -> LocalDate,
        auditHead: @escaping @Sendable () async throws -> AuditHead? = { nil }
    ) {
        self.views = views
        self.reports = reports
        self.converter = converter
        self.today = today
        self.auditHead = auditHead
    }

    /// A composed report with the plan it belongs to and the request it answers.
    public struct Composed: Sendable {
        public var snapshot: PlanSnapshot
        public var request: PeriodicReportRequest
        public var report: PeriodicReport
        public var settings: ReportSettings
    }

    // MARK: Settings

    /// The plan's settings, or the defaults for its kind of issuer when none were saved.
    public func settings(for snapshot: PlanSnapshot) async throws -> (settings: ReportSettings, saved: Bool) {
        if let saved = try await reports.settings(snapshot.plan.id) { return (saved, true) }
        return (ReportSettings.defaults(planNumber: snapshot.plan.number, issuer: snapshot.plan.issuer), false)
    }

    /// Checks and saves the settings; a 422 refusal lists every problem.
    @discardableResult
    public func saveSettings(slug: String, form: ReportSettingsForm, actor: AuditActor) async throws -> ReportSettings {
        let snapshot = try await planSnapshot(slug)
        if snapshot.plan.stage == .closed, let refusal = ProgressRules.stageRefusal(.closed) { throw refusal }
        func lines(_ text: String) -> [String] {
            text.split(whereSeparator: \.isNewline).map { VietnameseText.collapsingWhitespace($0) }.filter { !$0.isEmpty }
        }
        guard let format = OfficialDocument.Format(rawValue: form.format) else {
            throw ProgressRefusal(.invalid, "Hãy chọn thể thức văn bản.", api: "format must be party or state")
        }
        let settings = ReportSettings(
            format: format, issuerLines: lines(form.issuerLines),
            numberSuffix: form.numberSuffix.trimmingCharacters(in: .whitespaces),
            place: VietnameseText.collapsingWhitespace(form.place), signatureAuthority: lines(form.signatureAuthority),
            signer: VietnameseText.collapsingWhitespace(form.signer),
            recipients: lines(form.recipients).map { PeriodicReports.trimmedRecipient($0) })
        let problems = settings.problems
        guard problems.isEmpty else {
            throw ProgressRefusal(.invalid, problems.joined(separator: " "), api: problems.joined(separator: " "))
        }
        try await reports.saveSettings(snapshot.plan.id, settings, actor)
        return settings
    }

    /// "- Lưu VT." → "Lưu VT": the dash and closing punctuation are written by the document.
    static func trimmedRecipient(_ line: String) -> String {
        var text = Substring(line)
        while let first = text.first, first == "-" || first == "–" || first == "+" || first == " " { text = text.dropFirst() }
        while let last = text.last, last == "," || last == ";" || last == "." || last == " " { text = text.dropLast() }
        return String(text)
    }

    // MARK: Composing

    /// The request a form asks for, checked: every problem in one Vietnamese message (422).
    public func request(_ form: PeriodicReportForm, snapshot: PlanSnapshot) throws -> PeriodicReportRequest {
        let today = today()
        var problems: [FieldProblem] = []
        var period: ReportingPeriod?
        let periodKey = form.period.trimmingCharacters(in: .whitespaces)
        if !periodKey.isEmpty {
            period = ReportingPeriod(key: periodKey)
            if period == nil {
                problems.append(
                    FieldProblem(
                        field: "period", message: "Kỳ báo cáo “\(periodKey)” không hợp lệ.",
                        api: "period must be like quarter-2025-4, month-2025-10, six-months-2026, nine-months-2026 or year-2026"))
            }
        }
        var asOf: LocalDate?
        let asOfText = form.asOf.trimmingCharacters(in: .whitespaces)
        if asOfText.isEmpty {
            asOf = period.map { min($0.end, today) } ?? today
        } else if let date = LocalDate(vietnamese: asOfText) ?? LocalDate(iso: asOfText) {
            asOf = date
        } else {
            problems.append(
                FieldProblem(
                    field: "asOf", message: "Ngày tính đến “\(asOfText)” không đọc được; hãy ghi theo dạng dd/MM/yyyy.",
                    api: "asOf must be a date (YYYY-MM-DD)"))
        }
        if let period, let date = asOf, !period.contains(date) {
            problems.append(
                FieldProblem(
                    field: "asOf",
                    message: "Ngày tính đến \(date.vietnameseShort) không thuộc \(period.vietnameseName) "
                        + "(từ \(period.start.vietnameseShort) đến \(period.end.vietnameseShort)).",
                    api: "asOf must lie within the period (\(period.start.iso)…\(period.end.iso))"))
        }
        let scope = PeriodicReportRequest.Scope(key: form.scope.trimmingCharacters(in: .whitespaces))
        switch scope {
        case nil:
            problems.append(
                FieldProblem(
                    field: "scope", message: "Phạm vi báo cáo “\(form.scope)” không hợp lệ.",
                    api: "scope must be all, part:CODE or agency:ID"))
        case .part(let code)? where !snapshot.parts.contains { $0.code == code }:
            problems.append(
                FieldProblem(field: "scope", message: "Kế hoạch không có phần “\(code)”.", api: "no part \(code) in this plan"))
        case .agency(let id)? where !snapshot.agencies.contains { $0.id == id }:
            problems.append(
                FieldProblem(
                    field: "scope", message: "Đơn vị số \(id) không có nhiệm vụ trong kế hoạch này.",
                    api: "agency \(id) has no assignment in this plan"))
        default: break
        }
        let number = form.number.trimmingCharacters(in: .whitespaces)
        if number.count > 20 || number.contains(where: \.isNewline) {
            problems.append(
                FieldProblem(
                    field: "number", message: "Số văn bản dài tối đa 20 ký tự, trên một dòng.",
                    api: "number must be at most 20 characters on one line"))
        }
        guard problems.isEmpty, let asOf, let scope else {
            throw ProgressRefusal(invalid: problems)
        }
        return PeriodicReportRequest(period: period, asOf: asOf, scope: scope, number: number, documentDate: today)
    }

    /// The report a form asks for, composed from the data as it is now.
    public func compose(slug: String, form: PeriodicReportForm) async throws -> Composed {
        let snapshot = try await planSnapshot(slug)
        var request = try request(form, snapshot: snapshot)
        if let replaced = try await replaced(form, plan: snapshot.plan.id) {
            request.replaces = PeriodicReportRequest.Replaced(number: replaced.number, issuedOn: replaced.issuedOn)
        }
        return try await compose(snapshot: snapshot, request: request)
    }

    /// The issued report a form names to replace: of this plan and not replaced yet.
    public func replaced(_ form: PeriodicReportForm, plan: PlanRecord.ID) async throws -> IssuedReportRecord? {
        let key = form.replaces.trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else { return nil }
        guard let id = Int(key), let old = try await reports.issuedReports(plan).first(where: { $0.id.rawValue == id }) else {
            throw ProgressRefusal(
                .invalid, "Không có báo cáo đã ban hành “\(key)” của kế hoạch này để thay thế.",
                api: "replaces must be the id of an issued report of this plan")
        }
        guard old.supersededBy == nil else {
            throw ProgressRefusal(
                .conflict, "Báo cáo \(old.number) đã được thay thế bằng một báo cáo khác.",
                api: "issued report \(id) is already superseded")
        }
        return old
    }

    /// The issuing body as a key: its name lines and the number's suffix, folded ("tinh uy gia lai|-bc/tu").
    public static func issuerKey(_ settings: ReportSettings) -> String {
        VietnameseText.folded((settings.issuerLines + [settings.numberSuffix]).joined(separator: "|"))
    }

    public func compose(snapshot whole: PlanSnapshot, request: PeriodicReportRequest) async throws -> Composed {
        // The plan as it stood on the report's date: amendments by then in force, ended tasks out of the counts.
        let snapshot = try await views.snapshots.snapshot(slug: whole.plan.slug, asOf: request.asOf) ?? whole
        async let digests = reports.digests(snapshot.plan.id, request.asOf)
        let settings = try await settings(for: snapshot).settings
        let statuses = await views.snapshots.statuses(of: snapshot, asOf: request.asOf)
        let dayBefore = LocalDate(
            daysSinceEpoch: PeriodicReport.start(of: request, plan: snapshot.plan).daysSinceEpoch - 1)
        let before = await views.snapshots.statuses(of: snapshot, asOf: dayBefore)
        let report = PeriodicReport(
            snapshot: snapshot, statuses: statuses, before: before, digests: try await digests, settings: settings,
            request: request)
        return Composed(snapshot: snapshot, request: request, report: report, settings: settings)
    }

    /// "bao-cao-343-qd-tu-quy-iv-2025-den-14-12-2025": the base of the files' names.
    public static func fileBase(_ composed: Composed) -> String {
        var words = "bao cao \(composed.snapshot.plan.number)"
        if let period = composed.request.period { words += " \(period.vietnameseName)" }
        words += " den \(composed.request.asOf.vietnameseShort)"
        if case .part(let code) = composed.request.scope { words += " phan \(code)" }
        if case .agency(let id) = composed.request.scope { words += " don vi \(id)" }
        let folded = VietnameseText.folded(words)
        var slug = ""
        for character in folded {
            if character.isASCII && (character.isLetter || character.isNumber) {
                slug.append(character)
            } else if slug.last != "-" {
                slug.append("-")
            }
        }
        return String(slug.trimmingCharacters(in: CharacterSet(charactersIn: "-")))
    }

    // MARK: Issuing

    /// Freezes the report as it is now: its DOCX, XLSX appendix, print page (`html`) and PDF (where
    /// LibreOffice is installed) are stored with their SHA-256 and never change afterwards.
    public func issue(
        slug: String, form: PeriodicReportForm, actor: AuditActor, html: @Sendable (Composed) -> [UInt8]
    ) async throws -> IssuedReportRecord {
        var composed = try await compose(slug: slug, form: form)
        if let problem = try await issueProblems(composed).first { throw problem }
        composed.report.document.verification = try await auditHead()?.verificationLine
        let base = PeriodicReports.fileBase(composed)
        let docx = try DOCXWriter.bytes(composed.report.document)
        var files = [
            IssueInput.File(kind: "docx", fileName: "\(base).docx", contentType: PeriodicReports.docxType, bytes: docx),
            IssueInput.File(
                kind: "xlsx", fileName: "\(base)-phu-luc.xlsx", contentType: PeriodicReports.xlsxType,
                bytes: try XLSXWriter.bytes(composed.report.appendixTable)),
            IssueInput.File(
                kind: "html", fileName: "\(base).html", contentType: "text/html; charset=utf-8", bytes: html(composed)),
        ]
        if let converter {
            let pdf = try await converter.pdf(from: docx, fileExtension: "docx")
            files.append(IssueInput.File(kind: "pdf", fileName: "\(base).pdf", contentType: "application/pdf", bytes: pdf))
        }
        let request = composed.request
        let number = composed.report.document.number
        let replaced = try await replaced(form, plan: composed.snapshot.plan.id)
        return try await reports.issue(
            IssueInput(
                planID: composed.snapshot.plan.id, planNumber: composed.snapshot.plan.number, number: number,
                title: composed.report.title, period: request.period?.key ?? "", asOf: request.asOf, scope: request.scope.key,
                scopeLabel: composed.report.scopeLabel, issuedOn: today(), files: files,
                issuerKey: PeriodicReports.issuerKey(composed.settings),
                numberKey: VietnameseText.folded(request.number.trimmingCharacters(in: .whitespaces)),
                supersedes: replaced?.id), actor)
    }

    /// Why a composed report cannot be issued today: a date not yet come, or a number the plan's
    /// issuing body already used this year (the store checks that again when it writes, across plans).
    public func issueProblems(_ composed: Composed) async throws -> [ProgressRefusal] {
        var problems: [ProgressRefusal] = []
        let today = today()
        switch composed.snapshot.plan.stage {
        case .active: break
        case .draft:
            problems.append(
                ProgressRefusal(
                    .conflict, "Kế hoạch còn là dự thảo: hãy ban hành kế hoạch trước khi ban hành báo cáo về nó.",
                    api: "the plan is a draft; announce it before issuing reports"))
        case .closed:
            problems.append(
                ProgressRefusal(
                    .conflict,
                    "Kế hoạch đã kết thúc\(composed.snapshot.plan.closingReport.map { " với báo cáo \($0)" } ?? ""): không ban hành thêm báo cáo.",
                    api: "the plan is closed; it takes no more reports"))
        }
        if composed.request.asOf > today {
            problems.append(
                ProgressRefusal(
                    .invalid,
                    "Không thể ban hành báo cáo tính đến một ngày chưa tới (\(composed.request.asOf.vietnameseShort)).",
                    api: "asOf must not be after today to issue"))
        }
        let typed = composed.request.number.trimmingCharacters(in: .whitespaces)
        let number = composed.report.document.number
        if !typed.isEmpty,
            let taken = try await reports.issuedReports(composed.snapshot.plan.id).first(where: {
                $0.number == number && $0.issuedOn.year == today.year
            })
        {
            problems.append(
                IssuedReportRecord.numberTaken(
                    number: number, numberKey: VietnameseText.folded(typed), year: today.year, title: taken.title,
                    issuedOn: taken.issuedOn))
        }
        return problems
    }

    public static let docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    public static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    func planSnapshot(_ slug: String) async throws -> PlanSnapshot {
        guard let snapshot = try await views.snapshots.snapshot(slug: slug) else {
            throw NotFound(message: "Không có kế hoạch “\(slug)”.", apiMessage: "no plan \(slug)")
        }
        return snapshot
    }
}
