import Foundation
import Hummingbird
import TheodoiCore
import TheodoiForms
import TheodoiOperations
import TheodoiStore
import TheodoiViews

/// The pages of the working loop: report and contribution forms, a report with its review, extension
/// requests and decisions, due dates, attachments and the office's queue.
struct ProgressController: Sendable {
    let dependencies: WebDependencies
    var renderer: PageRenderer { dependencies.renderer }
    var reporting: Reporting { dependencies.reporting }

    /// What a redirect after a write says on the next page.
    static let notices: [String: String] = [
        "linked": "Đã liên kết nhiệm vụ với nhiệm vụ cấp trên mà nó thực hiện.",
        "unlinked": "Đã bỏ liên kết giữa hai nhiệm vụ.",
        "report-saved": "Đã lưu bản nháp báo cáo. Bản nháp chưa được gửi; cán bộ của đơn vị có thể sửa tiếp.",
        "report-submitted": "Đã gửi báo cáo. Cơ quan theo dõi sẽ xem xét; báo cáo đã gửi không sửa được.",
        "contribution-saved": "Đã lưu bản nháp ý kiến phối hợp.",
        "contribution-submitted": "Đã gửi ý kiến phối hợp; đơn vị chủ trì sẽ thấy khi viết báo cáo.",
        "accepted": "Đã ghi quyết định xác nhận báo cáo.",
        "returned": "Đã trả lại báo cáo kèm lý do; đơn vị sẽ thấy lý do và báo cáo lại.",
        "extension-requested": "Đã gửi đề nghị gia hạn; cơ quan theo dõi sẽ quyết định.",
        "extension-approved": "Đã đồng ý gia hạn; thời hạn mới có hiệu lực từ hôm nay.",
        "extension-refused": "Đã ghi quyết định không đồng ý gia hạn.",
        "due-set": "Đã xác định thời hạn cho nhiệm vụ.",
        "withdrawn":
            "Đã rút lại báo cáo. Báo cáo vẫn được giữ trong lịch sử với trạng thái “đã rút lại”; đơn vị có thể lập báo cáo mới.",
        "contribution-withdrawn": "Đã rút lại ý kiến phối hợp; ý kiến vẫn được giữ trong lịch sử.",
        "review-reversed": "Đã hủy quyết định. Báo cáo chờ cơ quan theo dõi xem xét lại; tình trạng trước hôm nay không đổi.",
        "extension-reversed":
            "Đã hủy quyết định gia hạn. Đề nghị gia hạn chờ quyết định lại; tình trạng trước hôm nay không đổi.",
    ]

    // MARK: Report and contribution forms

    func reportForm(_ request: Request, _ context: AppRequestContext, kind: ReportKind) async throws -> Response {
        let identity = try context.signedIn()
        let (slug, code) = try route(context)
        let workspace = try await workspace(slug, code, identity)
        let draft = workspace.draft(of: kind, for: identity)
        if let refusal = workspace.refusal(kind == .report ? .writeReport : .contribute, by: identity, report: draft) {
            throw refusal
        }
        // A new report starts from the agency's last one: its values, its files, the office's reason beside it.
        let previous = draft == nil ? workspace.previous(of: kind, for: identity) : nil
        let form = draft.map { ReportForm($0.content) } ?? previous.map { ReportForm($0.content) } ?? ReportForm()
        var page = formPage(
            workspace, kind: kind, form: form, draft: draft, version: draft?.version, errors: .none, conflict: nil,
            context: context, previous: previous)
        // What the last save did, said on the page it returns to.
        page.notice = QueryParameters(request.uri.query)["done"].flatMap { ProgressController.notices[$0] } ?? ""
        return PageController.page(renderer.render(page), context, renderer: renderer)
    }

    func saveReport(_ request: Request, _ context: AppRequestContext, kind: ReportKind) async throws -> Response {
        let identity = try context.signedIn()
        let (slug, code) = try route(context)
        let form = context.form
        let reportForm = ProgressController.reportForm(from: form)
        let reportID = form.text("report").flatMap(RequestNumber.id).map(ReportRecord.ID.init)
        let version = form.text("version").flatMap(RequestNumber.version)
        let submit = form["do"] == "submit"
        let files = form.files.filter { $0.field == "files" }.map(\.file)
        let removing = form.all("remove").compactMap(RequestNumber.id).map(AttachmentInfo.ID.init)
        let carrying = form.all("carry").compactMap(RequestNumber.id).map(AttachmentInfo.ID.init)
        do {
            if submit, form["confirm"] == "yes" {
                // The confirmation page's button: send the draft exactly as it was shown.
                guard let reportID else {
                    throw ProgressRefusal(
                        .invalid, "Không có bản nháp nào để gửi; hãy lưu nháp trước.", api: "report is required")
                }
                let report = try await reporting.updateReport(
                    reportID, form: nil, version: version, submit: true, identity: identity, actor: context.auditActor)
                let notice = (kind == .report ? "report-" : "contribution-") + "submitted"
                return Responses.redirect(
                    SiteRoute.assignment(slug: slug, code: code).href + "?done=\(notice)#report-\(report.id)")
            }
            // Saving never sends: "Xem lại và gửi" saves the draft, checked as for sending, and asks.
            let report = try await reporting.saveReport(
                reportForm, kind: kind, slug: slug, code: code, reportID: reportID, version: version, submit: false,
                preparing: submit, files: files, removing: removing, carrying: carrying, identity: identity,
                actor: context.auditActor)
            if submit {
                return try await sendConfirmation(report, slug: slug, code: code, identity: identity, context: context)
            }
            let notice = (kind == .report ? "report-" : "contribution-") + "saved"
            return Responses.redirect(SiteRoute.reportForm(slug: slug, code: code, kind: kind).href + "?done=\(notice)")
        } catch let refusal as ProgressRefusal where refusal.kind == .invalid {
            let workspace = try await workspace(slug, code, identity)
            let draft = reportID.flatMap { id in workspace.log.reports.first { $0.id == id } }
            let page = formPage(
                workspace, kind: kind, form: reportForm, draft: draft, version: version,
                errors: FormErrors(
                    refusal.problems
                        + (files.isEmpty
                            ? []
                            : [FieldProblem(field: "files", message: "Các tệp vừa chọn chưa được lưu; hãy chọn lại.")]),
                    heading: "Chưa lưu được"),
                conflict: nil, context: context, previous: draft == nil ? workspace.previous(of: kind, for: identity) : nil,
                carrying: Set(carrying))
            return PageController.page(renderer.render(page), context, renderer: renderer, status: .unprocessableContent)
        } catch let stale as StaleDraft {
            let workspace = try await workspace(slug, code, identity)
            let conflict = ConflictModel(
                message: stale.message + (files.isEmpty ? "" : " Các tệp vừa chọn chưa được lưu; hãy chọn lại."),
                changes: stale.changes.map { ChangeRow(field: $0.field, before: $0.before, after: $0.after) })
            // Keep what the author typed; the next save applies over the version now stored.
            let page = formPage(
                workspace, kind: kind, form: reportForm, draft: stale.current, version: stale.current.version, errors: .none,
                conflict: conflict, context: context)
            return PageController.page(renderer.render(page), context, renderer: renderer, status: .conflict)
        }
    }

    static func reportForm(from form: FormData) -> ReportForm {
        let numbers = form.all("evidenceNumber")
        let dates = form.all("evidenceDate")
        let summaries = form.all("evidenceSummary")
        let count = max(numbers.count, dates.count, summaries.count)
        let evidence = (0..<count).map { index in
            ReportForm.EvidenceRow(
                number: index < numbers.count ? numbers[index] : "", date: index < dates.count ? dates[index] : "",
                summary: index < summaries.count ? summaries[index] : "")
        }
        return ReportForm(
            stage: form["stage"] ?? "in-progress", percent: form["percent"] ?? "", result: form["result"] ?? "",
            achievedOn: form["achievedOn"] ?? "", evidence: evidence, difficulties: form["difficulties"] ?? "",
            proposals: form["proposals"] ?? "")
    }

    /// "Gửi báo cáo này?": the saved draft as it will be sent, with the one button that sends it.
    private func sendConfirmation(
        _ report: ReportRecord, slug: String, code: String, identity: Identity, context: AppRequestContext
    ) async throws -> Response {
        let workspace = try await workspace(slug, code, identity)
        let content = report.content
        let isReport = report.kind == .report
        var fields: [Field] = []
        if isReport {
            fields.append(Field(label: "Giai đoạn", value: "\(content.claimedStage.vietnamese), \(content.percent)%"))
        }
        fields.append(Field(label: "Kết quả đạt được", value: content.result))
        if isReport { fields.append(Field(label: "Ngày đạt kết quả", value: content.achievedOn?.vietnameseShort ?? "")) }
        fields.append(Field(label: "Minh chứng", value: content.evidence.map(\.citation).joined(separator: "\n")))
        fields.append(Field(label: "Khó khăn, vướng mắc", value: content.difficulties))
        fields.append(Field(label: "Đề xuất, kiến nghị", value: content.proposals))
        let what = isReport ? "báo cáo" : "ý kiến phối hợp"
        let page = ConfirmPage(
            layout: Layout(
                title: "Gửi \(what) \(code)", section: "plan", planSlug: slug, planNumber: workspace.snapshot.plan.number),
            csrf: context.csrfToken, backCrumb: "Nhiệm vụ \(code)",
            backHref: SiteRoute.reportForm(slug: slug, code: code, kind: report.kind).href, crumb: "Gửi \(what)",
            heading: "Gửi \(what) này?",
            lead:
                "Bản nháp đã được lưu (phiên bản \(report.version)). Kiểm tra nội dung dưới đây; \(what) chỉ được gửi khi anh/chị bấm “Xác nhận gửi”.",
            fields: fields, items: report.attachments.map { "\($0.fileName) (\(ProgressController.sizeText($0.size)))" },
            itemsLabel: "Tệp đính kèm",
            warning: isReport
                ? "Báo cáo đã gửi không sửa được. Khi cơ quan theo dõi chưa xem xét, đơn vị có thể rút lại báo cáo để sửa rồi gửi lại; việc rút lại được ghi vào lịch sử."
                : "Ý kiến đã gửi không sửa được; đơn vị chủ trì sẽ thấy ngay khi viết báo cáo.",
            action: SiteRoute.reportForm(slug: slug, code: code, kind: report.kind).href,
            hidden: [
                .init(name: "report", value: String(report.id.rawValue)), .init(name: "version", value: String(report.version)),
                .init(name: "do", value: "submit"),
            ], confirmLabel: "Xác nhận gửi", backLabel: "Quay lại sửa bản nháp")
        return PageController.page(renderer.render(page), context, renderer: renderer)
    }

    private func formPage(
        _ workspace: AssignmentWorkspace, kind: ReportKind, form: ReportForm, draft: ReportRecord?, version: Int?,
        errors: FormErrors, conflict: ConflictModel?, context: AppRequestContext, previous: ReportRecord? = nil,
        carrying: Set<AttachmentInfo.ID>? = nil
    ) -> ReportFormPage {
        let slug = workspace.snapshot.plan.slug
        let code = workspace.assignment.code
        var evidence = form.evidence.enumerated().map {
            EvidenceRowModel(
                position: $0.offset + 1, number: $0.element.number, date: $0.element.date, summary: $0.element.summary,
                error: errors.message(for: "evidence-\($0.offset + 1)") ?? "")
        }
        while evidence.count < max(3, form.evidence.count + 1) {
            evidence.append(
                EvidenceRowModel(
                    position: evidence.count + 1, number: "", date: "", summary: "",
                    error: errors.message(for: "evidence-\(evidence.count + 1)") ?? ""))
        }
        let lastReturn = workspace.log.reviews.last.flatMap { review -> String? in
            guard review.decision == .return,
                let report = workspace.log.reports.first(where: { $0.id == review.reportID }), report.kind == kind,
                report.agencyID == context.identity?.user.agencyID
            else { return nil }
            return "“\(review.reason)” (\(review.reviewerName), \(Reporting.timeText(review.decidedAt)))."
        }
        let contributions =
            kind == .report
            ? workspace.log.reports.filter { $0.kind == .contribution && $0.state != .draft }.map {
                ProgressController.item($0, slug: slug, code: code)
            } : []
        var draftInfo = ""
        if let draft {
            draftInfo =
                "Bản nháp phiên bản \(draft.version), lưu lần cuối lúc \(Reporting.timeText(draft.updatedAt)) bởi \(draft.updatedByName)."
        }
        var startedFrom = ""
        var carried: [FileLink] = []
        if let previous {
            startedFrom =
                "Nội dung dưới đây chép từ \(kind == .report ? "báo cáo" : "ý kiến") gửi lúc \(Reporting.timeText(previous.submittedAt ?? previous.updatedAt)) (\(previous.state.vietnamese.lowercased())). Hãy sửa những gì đã thay đổi; bỏ chọn tệp nào không còn dùng."
            carried = previous.attachments.map(ProgressController.fileLink).map { link in
                var link = link
                link.checked = carrying.map { $0.contains(AttachmentInfo.ID(Int(link.id) ?? 0)) } ?? true
                return link
            }
        }
        let status = workspace.status
        return ReportFormPage(
            layout: Layout(
                title: "\(kind.vietnamese) \(code)", section: "plan", planSlug: slug,
                planNumber: workspace.snapshot.plan.number),
            csrf: context.csrfToken, heading: kind.vietnamese, code: code, title: workspace.assignment.title,
            assignmentHref: SiteRoute.assignment(slug: slug, code: code).href,
            action: SiteRoute.reportForm(slug: slug, code: code, kind: kind).href,
            reportID: draft.map { String($0.id.rawValue) } ?? "", version: version.map(String.init) ?? "",
            deadlineText: ProgressController.deadlineText(workspace),
            statusText: "\(status.timeliness.vietnamese) · \(status.stage.vietnamese) · \(status.percent)%",
            output: workspace.assignment.output, draftInfo: draftInfo, lastReturn: lastReturn ?? "",
            stageOptions: ClaimedStage.allCases.filter {
                $0 != .done || workspace.assignment.deadline.kind != .recurring
            }.map { Option(value: $0.rawValue, label: $0.vietnamese, selected: $0.rawValue == form.stage) },
            percent: form.percent, result: form.result, achievedOn: form.achievedOn, evidence: evidence,
            difficulties: form.difficulties, proposals: form.proposals,
            attachments: (draft?.attachments ?? []).map(ProgressController.fileLink),
            accept: Reporting.allowedExtensions.map { "." + $0 }.joined(separator: ","), errors: errors, conflict: conflict,
            contributions: contributions, isReport: kind == .report, carried: carried, startedFrom: startedFrom)
    }

    // MARK: One report and its review

    func report(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let id = try reportID(context)
        return try await reportPage(id, identity: identity, errors: .none, context: context, status: .ok)
    }

    private func reportPage(
        _ id: ReportRecord.ID, identity: Identity, errors: FormErrors, context: AppRequestContext,
        status: HTTPResponse.Status, form: FormData? = nil
    ) async throws -> Response {
        let (workspace, report) = try await reporting.workspace(report: id, identity: identity)
        let slug = workspace.snapshot.plan.slug
        let code = workspace.assignment.code
        let review = workspace.log.reviews.first { $0.reportID == report.id }
        let refusal = workspace.refusal(.review, by: identity, report: report)
        var blocked = ""
        if workspace.monitors(identity), let refusal, report.kind == .report {
            blocked = refusal.message
        }
        var page = ReportPage(
            layout: Layout(
                title: "Báo cáo \(code)", section: "plan", planSlug: slug, planNumber: workspace.snapshot.plan.number),
            csrf: context.csrfToken, code: code, title: workspace.assignment.title,
            assignmentHref: SiteRoute.assignment(slug: slug, code: code).href, output: workspace.assignment.output,
            deadlineText: ProgressController.deadlineText(workspace),
            report: ProgressController.item(report, slug: slug, code: code, linked: false),
            review: review.map { ProgressController.item($0, report: report) },
            contributions: report.kind == .report
                ? workspace.log.reports.filter { $0.kind == .contribution && $0.state != .draft }.map {
                    ProgressController.item($0, slug: slug, code: code)
                } : [],
            reviewAction: SiteRoute.reviewReport(id: report.id).href,
            completedOnDefault: form?["completedOn"]
                ?? (report.content.achievedOn ?? report.submittedOn)?.vietnameseShort ?? "",
            completionHint: ProgressController.completionHint(
                report.content.achievedOn ?? report.submittedOn, due: workspace.status.effectiveDue),
            reviewBlocked: blocked, errors: errors, canReview: refusal == nil,
            isCompletionClaim: report.content.claimedStage == .done)
        page.reasonValue = form?["reason"] ?? ""
        return PageController.page(renderer.render(page), context, renderer: renderer, status: status)
    }

    func review(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let id = try reportID(context)
        let form = context.form
        guard let decision = form["decision"].flatMap(ReviewDecision.init(rawValue:)) else {
            throw WebError(
                status: .unprocessableContent, message: "Hãy chọn xác nhận hoặc trả lại báo cáo.",
                apiMessage: "decision must be accept or return")
        }
        do {
            guard form["confirm"] == "yes" else {
                let input = try await reporting.checkedReview(
                    id, decision: decision, reason: form["reason"] ?? "", completedOn: form["completedOn"] ?? "",
                    identity: identity)
                return try await reviewConfirmation(input, identity: identity, context: context)
            }
            let review = try await reporting.review(
                id, decision: decision, reason: form["reason"] ?? "", completedOn: form["completedOn"] ?? "",
                identity: identity, actor: context.auditActor)
            let (workspace, _) = try await reporting.workspace(report: id, identity: identity)
            return Responses.redirect(
                SiteRoute.assignment(slug: workspace.snapshot.plan.slug, code: workspace.assignment.code).href
                    + "?done=\(review.decision == .accept ? "accepted" : "returned")#review-\(review.id)")
        } catch let refusal as ProgressRefusal where refusal.kind == .invalid {
            return try await reportPage(
                id, identity: identity, errors: FormErrors(refusal.problems, heading: "Chưa ghi được quyết định"),
                context: context, status: .unprocessableContent, form: form)
        }
    }

    /// "Trả lại báo cáo này?": the decision as it will be recorded.
    private func reviewConfirmation(
        _ input: ReviewInput, identity: Identity, context: AppRequestContext
    ) async throws -> Response {
        let (workspace, report) = try await reporting.workspace(report: input.reportID, identity: identity)
        let slug = workspace.snapshot.plan.slug
        let code = workspace.assignment.code
        let decision: String
        let heading: String
        let label: String
        switch input.decision {
        case .return:
            decision = "Trả lại báo cáo; đơn vị báo cáo lại"
            heading = "Trả lại báo cáo này?"
            label = "Xác nhận trả lại"
        case .accept:
            if let completed = input.completedOn {
                decision = "Xác nhận hoàn thành, ngày hoàn thành \(completed.vietnameseShort)"
                heading = "Xác nhận nhiệm vụ đã hoàn thành?"
                label = "Xác nhận hoàn thành"
            } else {
                decision = "Ghi nhận báo cáo tiến độ"
                heading = "Ghi nhận báo cáo này?"
                label = "Xác nhận ghi nhận"
            }
        }
        var fields = [
            Field(label: "Nhiệm vụ", value: "\(code) \(workspace.assignment.title)"),
            Field(
                label: "Báo cáo",
                value:
                    "\(report.agencyName), gửi lúc \(Reporting.timeText(report.submittedAt ?? report.updatedAt)): \(report.content.claimedStage.vietnamese), \(report.content.percent)%"
            ),
            Field(label: "Quyết định", value: decision),
        ]
        if let completed = input.completedOn {
            fields.append(
                Field(
                    label: "Tính hạn",
                    value: ProgressController.completionHint(completed, due: workspace.status.effectiveDue)))
        }
        fields.append(Field(label: input.decision == .return ? "Lý do" : "Ý kiến", value: input.reason))
        let page = ConfirmPage(
            layout: Layout(title: heading, section: "review", planSlug: slug, planNumber: workspace.snapshot.plan.number),
            csrf: context.csrfToken, backCrumb: "Báo cáo \(code)", backHref: SiteRoute.report(id: report.id).href,
            crumb: input.decision == .return ? "Trả lại" : "Xác nhận", heading: heading,
            lead: "Quyết định chỉ được ghi khi anh/chị bấm “\(label)”. Đơn vị \(report.agencyName) được báo ngay.",
            fields: fields,
            warning:
                "Quyết định là một sự kiện có ngày trong lịch sử nhiệm vụ. Nếu quyết định nhầm, cơ quan theo dõi hủy nó bằng một quyết định mới có lý do; quyết định này vẫn được giữ trong lịch sử và nhật ký.",
            action: SiteRoute.reviewReport(id: report.id).href,
            hidden: [
                .init(name: "decision", value: input.decision.rawValue), .init(name: "reason", value: input.reason),
                .init(name: "completedOn", value: input.completedOn?.vietnameseShort ?? ""),
            ], confirmLabel: label, backLabel: "Quay lại báo cáo", danger: input.decision == .return)
        return PageController.page(renderer.render(page), context, renderer: renderer)
    }

    // MARK: Corrections on the record

    /// What a correction page shows and does.
    private struct Correction {
        var title: String
        var section: String
        var heading: String
        var lead: String
        /// What is corrected: the report or the decision, with when and by whom.
        var subject: Field
        /// "Lý do rút lại", "Lý do hủy".
        var reasonLabel: String
        /// "Sẽ xảy ra": what changes from today, and what stays.
        var effect: String
        var action: String
        var confirmLabel: String
        /// Where to go after it is done (the assignment page, with its notice and anchor).
        var done: String
    }

    /// One correction on the record: checked as a dry run and shown on a confirmation page; done
    /// only on `confirm=yes`; a refusal goes back to the assignment page, beside the form.
    private func correct(
        _ correction: Correction, workspace: AssignmentWorkspace, request: Request, context: AppRequestContext,
        act: (_ dryRun: Bool) async throws -> Void
    ) async throws -> Response {
        let slug = workspace.snapshot.plan.slug
        let code = workspace.assignment.code
        let reason = context.form["reason"] ?? ""
        do {
            guard context.form["confirm"] == "yes" else {
                try await act(true)
                let page = ConfirmPage(
                    layout: Layout(
                        title: correction.title, section: correction.section, planSlug: slug,
                        planNumber: workspace.snapshot.plan.number),
                    csrf: context.csrfToken, backCrumb: "Nhiệm vụ \(code)",
                    backHref: SiteRoute.assignment(slug: slug, code: code).href, crumb: correction.title,
                    heading: correction.heading, lead: correction.lead,
                    fields: [
                        Field(label: "Nhiệm vụ", value: "\(code) \(workspace.assignment.title)"), correction.subject,
                        Field(
                            label: correction.reasonLabel,
                            value: VietnameseText.nfc(reason).trimmingCharacters(in: .whitespacesAndNewlines)),
                        Field(label: "Sẽ xảy ra", value: correction.effect),
                    ], warning: "", action: correction.action, hidden: [.init(name: "reason", value: reason)],
                    confirmLabel: correction.confirmLabel, backLabel: "Quay lại nhiệm vụ", danger: true)
                return PageController.page(renderer.render(page), context, renderer: renderer)
            }
            try await act(false)
            return Responses.redirect(correction.done)
        } catch let refusal as ProgressRefusal where refusal.kind == .invalid {
            return try await assignmentWithError(
                AssignmentFormError(
                    problems: refusal.problems, form: context.form, slug: slug, code: code, which: .correction,
                    action: request.uri.path),
                context)
        }
    }

    /// `POST /reports/{id}/withdraw`: the agency takes back a report the office has not acted on.
    func withdraw(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let id = try reportID(context)
        let (workspace, report) = try await reporting.workspace(report: id, identity: identity)
        let what = report.kind == .report ? "báo cáo" : "ý kiến phối hợp"
        let capitalized = what.prefix(1).uppercased() + what.dropFirst()
        let correction = Correction(
            title: "Rút lại \(what)", section: "plan", heading: "Rút lại \(what) này?",
            lead: "\(capitalized) chỉ được rút lại khi anh/chị bấm “Xác nhận rút lại”.",
            subject: Field(
                label: capitalized,
                value:
                    "\(report.agencyName), gửi lúc \(Reporting.timeText(report.submittedAt ?? report.updatedAt)): \(report.content.claimedStage.vietnamese), \(report.content.percent)%"
            ),
            reasonLabel: "Lý do rút lại",
            effect: report.kind == .report
                ? "Từ hôm nay báo cáo không còn được tính và rời hàng chờ của cơ quan theo dõi; tình trạng trước hôm nay không đổi.\nBáo cáo vẫn được giữ trong lịch sử, ghi “đã rút lại”.\nĐơn vị lập báo cáo mới, bắt đầu từ nội dung của báo cáo này."
                : "Ý kiến vẫn được giữ trong lịch sử, ghi “đã rút lại”; đơn vị có thể gửi ý kiến mới.",
            action: SiteRoute.withdrawReport(id: id).href, confirmLabel: "Xác nhận rút lại",
            done: SiteRoute.assignment(slug: workspace.snapshot.plan.slug, code: workspace.assignment.code).href
                + "?done=\(report.kind == .report ? "withdrawn" : "contribution-withdrawn")#withdrawal-\(id)")
        return try await correct(correction, workspace: workspace, request: request, context: context) { dryRun in
            _ = try await reporting.withdraw(
                id, reason: context.form["reason"] ?? "", identity: identity, actor: context.auditActor, dryRun: dryRun)
        }
    }

    /// `POST /reviews/{id}/reverse`: the office reverses its standing decision on the latest report.
    func reverseReview(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let raw = try context.parameters.require("review")
        guard let number = RequestNumber.id(raw),
            let (workspace, review, report) = try await reporting.reviewWithReport(
                ReviewRecord.ID(number), identity: identity)
        else {
            throw WebError.notFound("Không có quyết định số “\(raw)”.", api: "no review \(raw)")
        }
        let name = ProgressController.decisionName(review)
        let correction = Correction(
            title: "Hủy quyết định", section: "review", heading: "Hủy quyết định “\(name)”?",
            lead: "Quyết định chỉ được hủy khi anh/chị bấm “Xác nhận hủy quyết định”. \(report.agencyName) được báo ngay.",
            subject: Field(
                label: "Quyết định bị hủy",
                value:
                    "\(name) lúc \(Reporting.timeText(review.decidedAt)) bởi \(review.reviewerName)\(review.reason.isEmpty ? "" : "; “\(review.reason)”")"
            ),
            reasonLabel: "Lý do hủy",
            effect:
                "Từ hôm nay quyết định không còn được tính; tình trạng trước hôm nay không đổi.\nBáo cáo gửi lúc \(Reporting.timeText(report.submittedAt ?? report.updatedAt)) trở lại hàng chờ xem xét.\nQuyết định và việc hủy đều được giữ trong lịch sử và nhật ký.",
            action: SiteRoute.reverseReview(id: review.id).href, confirmLabel: "Xác nhận hủy quyết định",
            done: SiteRoute.assignment(slug: workspace.snapshot.plan.slug, code: workspace.assignment.code).href
                + "?done=review-reversed#reversal-review-\(review.id)")
        return try await correct(correction, workspace: workspace, request: request, context: context) { dryRun in
            _ = try await reporting.reverseReview(
                review.id, reason: context.form["reason"] ?? "", identity: identity, actor: context.auditActor,
                dryRun: dryRun)
        }
    }

    /// `POST /extensions/{id}/reverse`: the office reverses its latest extension decision.
    func reverseExtension(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let raw = try context.parameters.require("extension")
        guard let number = RequestNumber.id(raw) else {
            throw WebError.notFound("Không có đề nghị gia hạn số “\(raw)”.", api: "no extension request \(raw)")
        }
        let id = ExtensionRecord.ID(number)
        let (workspace, decided) = try await reporting.workspace(extension: id, identity: identity)
        let decision =
            decided.state == .approved
            ? "Đồng ý gia hạn đến \(decided.newDue.vietnameseShort)"
            : "Không đồng ý gia hạn đến \(decided.newDue.vietnameseShort)"
        let correction = Correction(
            title: "Hủy quyết định gia hạn", section: "review", heading: "Hủy quyết định “\(decision)”?",
            lead:
                "Quyết định chỉ được hủy khi anh/chị bấm “Xác nhận hủy quyết định”. \(decided.requesterName) được báo ngay.",
            subject: Field(
                label: "Quyết định bị hủy",
                value: "\(decision) lúc \(decided.decidedAt.map(Reporting.timeText) ?? "—") bởi \(decided.deciderName ?? "—")"),
            reasonLabel: "Lý do hủy",
            effect: (decided.state == .approved
                ? "Từ hôm nay hạn trở lại \(decided.previousDue?.vietnameseShort ?? "như trước khi gia hạn"); tình trạng trước hôm nay không đổi."
                : "Tình trạng trước hôm nay không đổi.")
                + "\nĐề nghị gia hạn của \(decided.requesterName) chờ quyết định lại.\nQuyết định và việc hủy đều được giữ trong lịch sử và nhật ký.",
            action: SiteRoute.reverseExtension(id: id).href, confirmLabel: "Xác nhận hủy quyết định",
            done: SiteRoute.assignment(slug: workspace.snapshot.plan.slug, code: workspace.assignment.code).href
                + "?done=extension-reversed#reversal-extension-\(id)")
        return try await correct(correction, workspace: workspace, request: request, context: context) { dryRun in
            _ = try await reporting.reverseExtension(
                id, reason: context.form["reason"] ?? "", identity: identity, actor: context.auditActor, dryRun: dryRun)
        }
    }

    /// "Xác nhận hoàn thành", "Ghi nhận báo cáo", "Trả lại báo cáo".
    static func decisionName(_ review: ReviewRecord) -> String {
        switch review.decision {
        case .return: "Trả lại báo cáo"
        case .accept: review.completedOn == nil ? "Ghi nhận báo cáo" : "Xác nhận hoàn thành"
        }
    }

    // MARK: Extensions and due dates

    func requestExtension(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let (slug, code) = try route(context)
        do {
            _ = try await reporting.requestExtension(
                slug: slug, code: code, newDue: context.form["newDue"] ?? "", reason: context.form["reason"] ?? "",
                identity: identity, actor: context.auditActor)
            return Responses.redirect(SiteRoute.assignment(slug: slug, code: code).href + "?done=extension-requested")
        } catch let refusal as ProgressRefusal where refusal.kind == .invalid {
            return try await assignmentWithError(
                AssignmentFormError(problems: refusal.problems, form: context.form, slug: slug, code: code, which: .extension),
                context)
        }
    }

    func decideExtension(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let raw = try context.parameters.require("extension")
        guard let number = RequestNumber.id(raw) else {
            throw WebError.notFound("Không có đề nghị gia hạn số “\(raw)”.", api: "no extension request \(raw)")
        }
        let id = ExtensionRecord.ID(number)
        let approve = context.form["approve"] == "1"
        let (workspace, _) = try await reporting.workspace(extension: id, identity: identity)
        let slug = workspace.snapshot.plan.slug
        let code = workspace.assignment.code
        do {
            guard context.form["confirm"] == "yes" else {
                let input = try await reporting.checkedDecision(
                    id, approve: approve, reason: context.form["reason"] ?? "", identity: identity)
                guard let request = workspace.log.extensions.first(where: { $0.id == id }) else {
                    throw WebError.notFound("Không có đề nghị gia hạn số “\(raw)”.", api: "no extension request \(raw)")
                }
                let heading = approve ? "Đồng ý gia hạn?" : "Không đồng ý gia hạn?"
                let label = approve ? "Xác nhận đồng ý gia hạn" : "Xác nhận không đồng ý"
                let page = ConfirmPage(
                    layout: Layout(title: heading, section: "review", planSlug: slug, planNumber: workspace.snapshot.plan.number),
                    csrf: context.csrfToken, backCrumb: "Nhiệm vụ \(code)",
                    backHref: SiteRoute.assignment(slug: slug, code: code).href + "#extension-\(id)", crumb: "Gia hạn",
                    heading: heading,
                    lead: "Quyết định chỉ được ghi khi anh/chị bấm “\(label)”. \(request.requesterName) được báo ngay.",
                    fields: [
                        Field(label: "Nhiệm vụ", value: "\(code) \(workspace.assignment.title)"),
                        Field(
                            label: "Đề nghị",
                            value:
                                "Gia hạn từ \(request.previousDue?.vietnameseShort ?? "—") đến \(request.newDue.vietnameseShort); lý do: “\(request.reason)”"
                        ),
                        Field(
                            label: "Quyết định",
                            value: approve
                                ? "Đồng ý: hạn mới \(request.newDue.vietnameseShort), có hiệu lực từ hôm nay"
                                : "Không đồng ý: hạn giữ nguyên \(request.previousDue?.vietnameseShort ?? "—")"),
                        Field(label: approve ? "Ý kiến" : "Lý do", value: input.reason),
                    ],
                    warning:
                        "Nếu quyết định nhầm, cơ quan theo dõi hủy nó bằng một quyết định mới có lý do; quyết định này vẫn được giữ trong lịch sử và nhật ký.",
                    action: SiteRoute.decideExtension(id: id).href,
                    hidden: [.init(name: "approve", value: approve ? "1" : "0"), .init(name: "reason", value: input.reason)],
                    confirmLabel: label, backLabel: "Quay lại nhiệm vụ", danger: !approve)
                return PageController.page(renderer.render(page), context, renderer: renderer)
            }
            _ = try await reporting.decideExtension(
                id, approve: approve, reason: context.form["reason"] ?? "", identity: identity, actor: context.auditActor)
            return Responses.redirect(
                SiteRoute.assignment(slug: slug, code: code).href + "?done=extension-\(approve ? "approved" : "refused")")
        } catch let refusal as ProgressRefusal where refusal.kind == .invalid {
            return try await assignmentWithError(
                AssignmentFormError(problems: refusal.problems, form: context.form, slug: slug, code: code, which: .decision),
                context)
        }
    }

    func setDue(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let (slug, code) = try route(context)
        do {
            _ = try await reporting.setDue(
                slug: slug, code: code, newDue: context.form["newDue"] ?? "", basis: context.form["reason"] ?? "",
                identity: identity, actor: context.auditActor)
            return Responses.redirect(SiteRoute.assignment(slug: slug, code: code).href + "?done=due-set")
        } catch let refusal as ProgressRefusal where refusal.kind == .invalid {
            return try await assignmentWithError(
                AssignmentFormError(problems: refusal.problems, form: context.form, slug: slug, code: code, which: .due), context)
        }
    }

    // MARK: Attachments and the queue

    func attachment(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let raw = try context.parameters.require("attachment")
        guard let number = RequestNumber.id(raw) else {
            throw WebError.notFound("Không có tệp đính kèm số “\(raw)”.", api: "no attachment \(raw)")
        }
        let file = try await reporting.attachment(AttachmentInfo.ID(number), identity: identity)
        return ProgressController.download(file.info, bytes: file.bytes)
    }

    /// The bytes with the type we checked on upload, as a download named as uploaded.
    static func download(_ info: AttachmentInfo, bytes: [UInt8]) -> Response {
        Responses.download(
            bytes, contentType: info.contentType, fileName: info.fileName,
            headers: [.contentSecurityPolicy: SecurityHeadersMiddleware.downloadPolicy, .eTag: "\"\(info.sha256)\""])
    }

    func queue(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.signedIn()
        let slug = try context.parameters.require("plan")
        guard let snapshot = try await dependencies.views.snapshots.snapshot(slug: slug) else {
            throw PageController.noPlan(slug)
        }
        let queue = try await reporting.progress.reviewQueue(snapshot.plan.id)
        let today = dependencies.today()
        func waiting(_ date: LocalDate?) -> String {
            guard let date else { return "" }
            let days = today.daysSinceEpoch - date.daysSinceEpoch
            return days <= 0 ? "hôm nay" : "\(days) ngày"
        }
        // Only the latest sent report of an assignment can be reviewed; older ones wait for nothing.
        var latest: [AssignmentRecord.ID: ReportRecord] = [:]
        for report in queue.reports { latest[report.assignmentID] = report }
        func row(_ report: ReportRecord) -> QueueRow? {
            guard let position = snapshot.idIndex[report.assignmentID] else { return nil }
            let assignment = snapshot.assignments[position]
            return QueueRow(
                code: assignment.code, title: assignment.title, href: SiteRoute.report(id: report.id).href,
                agency: report.agencyName,
                what: report.content.claimedStage == .done
                    ? "Báo cáo đã hoàn thành" : "\(report.content.claimedStage.vietnamese), \(report.content.percent)%",
                when: report.submittedAt.map(Reporting.timeText) ?? "", waiting: waiting(report.submittedOn))
        }
        let open = queue.reports.filter { latest[$0.assignmentID]?.id == $0.id }
        let extensions = queue.extensions.compactMap { request -> QueueRow? in
            guard let position = snapshot.idIndex[request.assignmentID] else { return nil }
            let assignment = snapshot.assignments[position]
            return QueueRow(
                code: assignment.code, title: assignment.title,
                href: SiteRoute.assignment(slug: slug, code: assignment.code).href + "#extension-\(request.id)",
                agency: request.agencyID.flatMap { id in assignment.lead.first { $0.agencyID == id }?.name }
                    ?? request.requesterName,
                what: "Gia hạn từ \(request.previousDue?.vietnameseShort ?? "—") đến \(request.newDue.vietnameseShort)",
                when: Reporting.timeText(request.requestedAt), waiting: waiting(request.requestedOn))
        }
        let page = ReviewQueuePage(
            layout: Layout(title: "Chờ xử lý", section: "review", planSlug: slug, planNumber: snapshot.plan.number),
            planNumber: snapshot.plan.number, completions: open.filter { $0.content.claimedStage == .done }.compactMap(row),
            reports: open.filter { $0.content.claimedStage != .done }.compactMap(row), extensions: extensions)
        return PageController.page(renderer.render(page), context, renderer: renderer)
    }

    // MARK: The assignment page's panel

    /// The progress part of an assignment page for `identity`.
    func panel(
        _ workspace: AssignmentWorkspace, identity: Identity, context: AppRequestContext, notice: String?,
        formError: AssignmentFormError?
    ) -> ProgressPanel {
        let slug = workspace.snapshot.plan.slug
        let code = workspace.assignment.code
        let csrf = context.csrfToken
        var corrections = corrections(workspace, identity: identity)
        for index in corrections.indices { corrections[index].idPrefix = "correction-\(index + 1)-" }
        // The refused form's problems, with ids of that form's fields for the summary's links.
        var errors = FormErrors.none
        if let formError {
            var prefix = ""
            switch formError.which {
            case .extension: prefix = "extension-"
            case .due: prefix = "due-"
            case .decision: prefix = "decide-"
            case .correction:
                if let index = corrections.firstIndex(where: { $0.action == formError.action }) {
                    prefix = corrections[index].idPrefix
                    corrections[index].errors = FormErrors(formError.problems, prefix: prefix)
                    corrections[index].reasonValue = formError.form["reason"] ?? ""
                }
            }
            errors = FormErrors(formError.problems, prefix: prefix, heading: "Chưa thực hiện được")
        }
        var actions: [ActionLink] = []
        var blocked = ""
        let draftReport = workspace.draft(of: .report, for: identity)
        let draftContribution = workspace.draft(of: .contribution, for: identity)
        switch workspace.relation {
        case .lead:
            if let refusal = workspace.refusal(.writeReport, by: identity, report: draftReport) {
                blocked = refusal.message
            } else {
                actions.append(
                    ActionLink(
                        label: draftReport == nil ? "Báo cáo tiến độ" : "Sửa tiếp bản nháp báo cáo",
                        href: SiteRoute.reportForm(slug: slug, code: code, kind: .report).href))
            }
        case .coordinator:
            if let refusal = workspace.refusal(.contribute, by: identity, report: draftContribution) {
                blocked = refusal.message
            } else {
                actions.append(
                    ActionLink(
                        label: draftContribution == nil ? "Gửi ý kiến phối hợp" : "Sửa tiếp bản nháp ý kiến",
                        href: SiteRoute.reportForm(slug: slug, code: code, kind: .contribution).href))
            }
        case .unrelated: break
        }
        var awaiting: ActionLink?
        if let latest = workspace.latestSubmitted, latest.state == .submitted {
            let canReview = workspace.refusal(.review, by: identity, report: latest) == nil
            awaiting = ActionLink(
                label: canReview ? "Xem xét báo cáo" : "Xem báo cáo", href: SiteRoute.report(id: latest.id).href)
        }
        var pending: PendingExtensionModel?
        if let request = workspace.pendingExtension {
            pending = PendingExtensionModel(
                text:
                    "\(request.requesterName) đề nghị gia hạn từ \(request.previousDue?.vietnameseShort ?? "—") đến \(request.newDue.vietnameseShort) (gửi lúc \(Reporting.timeText(request.requestedAt))). Lý do: “\(request.reason)”",
                decideAction: SiteRoute.decideExtension(id: request.id).href,
                canDecide: workspace.refusal(.decideExtension, by: identity, extensionRequest: request) == nil)
            if formError?.which == .decision { pending?.errors = errors }
        }
        var extensionForm: InlineForm?
        if workspace.relation == .lead, workspace.refusal(.requestExtension, by: identity) == nil {
            extensionForm = InlineForm(
                action: SiteRoute.requestExtension(slug: slug, code: code).href, heading: "Đề nghị gia hạn",
                hint:
                    "Hạn hiện hành: \(workspace.status.effectiveDue?.vietnameseShort ?? "—"). Cơ quan theo dõi quyết định; hạn ban đầu vẫn được giữ để đối chiếu.",
                dateValue: formError?.which == .extension ? formError?.form["newDue"] ?? "" : "",
                reasonValue: formError?.which == .extension ? formError?.form["reason"] ?? "" : "",
                errors: formError?.which == .extension ? errors : .none, idPrefix: "extension-")
        }
        var dueForm: InlineForm?
        if workspace.refusal(.setDue, by: identity) == nil {
            dueForm = InlineForm(
                action: SiteRoute.setDue(slug: slug, code: code).href,
                heading: workspace.status.effectiveDue == nil ? "Xác định thời hạn" : "Điều chỉnh thời hạn đã xác định",
                hint:
                    "Văn bản ghi “\(workspace.assignment.deadline.text)”. Khi cơ quan cấp trên ban hành kế hoạch, ghi thời hạn và căn cứ; nhiệm vụ sẽ được tính đúng hạn, quá hạn theo thời hạn này.",
                dateValue: formError?.which == .due ? formError?.form["newDue"] ?? "" : "",
                reasonValue: formError?.which == .due ? formError?.form["reason"] ?? "" : "",
                errors: formError?.which == .due ? errors : .none, idPrefix: "due-")
        }
        return ProgressPanel(
            csrf: csrf, notice: notice ?? "", errors: errors, actions: actions, blocked: blocked,
            awaitingReview: awaiting, pendingExtension: pending, extensionForm: extensionForm, dueForm: dueForm,
            corrections: corrections,
            periods: periods(workspace), timeline: timeline(workspace.visibleLog(to: identity), slug: slug, code: code),
            historyHref: identity.may(.importCatalogue) ? SiteRoute.apiHistory(slug: slug, code: code).href : "")
    }

    /// What `identity` may correct on the record now: withdraw its agency's last sent report or
    /// contribution the office has not acted on; reverse the standing decision on the latest report or
    /// the latest extension decision.
    func corrections(_ workspace: AssignmentWorkspace, identity: Identity) -> [CorrectionForm] {
        var forms: [CorrectionForm] = []
        if let agency = identity.user.agencyID {
            for kind in [ReportKind.report, .contribution] {
                guard
                    let last = workspace.log.reports.last(where: {
                        $0.kind == kind && $0.agencyID == agency && $0.state == .submitted
                    }),
                    ProgressRules.refusal(
                        .withdraw, role: identity.user.role, relation: workspace.relation, facts: workspace.facts(report: last))
                        == nil
                else { continue }
                let what = kind == .report ? "báo cáo" : "ý kiến phối hợp"
                forms.append(
                    CorrectionForm(
                        action: SiteRoute.withdrawReport(id: last.id).href,
                        heading: "Rút lại \(what) gửi lúc \(Reporting.timeText(last.submittedAt ?? last.updatedAt))",
                        hint: kind == .report
                            ? "Khi cơ quan theo dõi chưa xem xét, đơn vị có thể rút lại báo cáo để sửa rồi gửi lại. Báo cáo vẫn được giữ trong lịch sử."
                            : "Ý kiến vẫn được giữ trong lịch sử, ghi “đã rút lại”.",
                        reasonLabel: "Lý do rút lại (không bắt buộc)", buttonLabel: "Rút lại \(what)…"))
            }
        }
        if let review = workspace.standingReview, let report = workspace.latestSubmitted,
            workspace.refusal(.reverseDecision, by: identity, report: report) == nil
        {
            forms.append(
                CorrectionForm(
                    action: SiteRoute.reverseReview(id: review.id).href,
                    heading:
                        "Hủy quyết định “\(ProgressController.decisionName(review))” lúc \(Reporting.timeText(review.decidedAt))",
                    hint:
                        "Dùng khi quyết định nhầm. Việc hủy là một sự kiện mới có ngày: tình trạng trước hôm nay không đổi, báo cáo trở lại hàng chờ xem xét.",
                    reasonLabel: "Lý do hủy (bắt buộc)", buttonLabel: "Hủy quyết định…"))
        }
        if let decided = workspace.latestExtensionDecision, decided.kind == .request,
            workspace.refusal(.reverseDecision, by: identity, extensionRequest: decided) == nil
        {
            forms.append(
                CorrectionForm(
                    action: SiteRoute.reverseExtension(id: decided.id).href,
                    heading:
                        "Hủy quyết định \(decided.state == .approved ? "đồng ý" : "không đồng ý") gia hạn đến \(decided.newDue.vietnameseShort)",
                    hint:
                        "Dùng khi quyết định nhầm. Việc hủy là một sự kiện mới có ngày: tình trạng trước hôm nay không đổi, đề nghị gia hạn chờ quyết định lại.",
                    reasonLabel: "Lý do hủy (bắt buộc)", buttonLabel: "Hủy quyết định…"))
        }
        return forms
    }

    /// The reporting periods of a recurring assignment as table rows.
    func periods(_ workspace: AssignmentWorkspace) -> [PeriodRow] {
        let today = dependencies.today()
        return workspace.reportingPeriods(today: today).map { period, reports in
            PeriodRow(
                name: period.vietnameseName.prefix(1).uppercased() + period.vietnameseName.dropFirst(),
                range: "\(period.start.vietnameseShort) – \(period.end.vietnameseShort)", reported: !reports.isEmpty,
                reportsText: reports.isEmpty
                    ? "" : "\(reports.count) báo cáo, gần nhất \(reports.last?.submittedOn?.vietnameseShort ?? "")",
                current: period.contains(today))
        }
    }

    /// Every report, contribution, review, request and decision, oldest first.
    func timeline(_ log: AssignmentLog, slug: String, code: String) -> [TimelineItem] {
        var entries: [(at: String, order: Int, item: TimelineItem)] = []
        for report in log.reports {
            entries.append((report.submittedAt ?? report.updatedAt, 0, ProgressController.item(report, slug: slug, code: code)))
            if let withdrawal = report.withdrawal {
                let what = report.kind == .report ? "báo cáo" : "ý kiến phối hợp"
                entries.append(
                    (
                        withdrawal.at, 4,
                        TimelineItem(
                            kind: "withdraw", anchor: "withdrawal-\(report.id)", when: Reporting.timeText(withdrawal.at),
                            heading:
                                "\(report.agencyName) rút lại \(what) gửi lúc \(Reporting.timeText(report.submittedAt ?? report.updatedAt))",
                            byline: withdrawal.byName,
                            fields: withdrawal.reason.isEmpty ? [] : [Field(label: "Lý do", value: withdrawal.reason)])
                    ))
            }
        }
        for review in log.reviews {
            guard let report = log.reports.first(where: { $0.id == review.reportID }) else { continue }
            entries.append((review.decidedAt, 1, ProgressController.item(review, report: report)))
            if let reversal = review.reversal {
                entries.append(
                    (
                        reversal.at, 4,
                        TimelineItem(
                            kind: "reverse", anchor: "reversal-review-\(review.id)", when: Reporting.timeText(reversal.at),
                            heading:
                                "Hủy quyết định “\(ProgressController.decisionName(review))” lúc \(Reporting.timeText(review.decidedAt)); báo cáo chờ xem xét lại",
                            byline: reversal.byName, fields: [Field(label: "Lý do hủy", value: reversal.reason)])
                    ))
            }
        }
        for request in log.extensions {
            if let reversal = request.reversal {
                entries.append(
                    (
                        reversal.at, 4,
                        TimelineItem(
                            kind: "reverse", anchor: "reversal-extension-\(request.id)", when: Reporting.timeText(reversal.at),
                            heading:
                                "Hủy quyết định \(request.state == .approved ? "đồng ý" : "không đồng ý") gia hạn đến \(request.newDue.vietnameseShort); đề nghị chờ quyết định lại",
                            byline: reversal.byName, fields: [Field(label: "Lý do hủy", value: reversal.reason)])
                    ))
            }
            if request.kind == .setDue {
                entries.append(
                    (
                        request.requestedAt, 2,
                        TimelineItem(
                            kind: "due", anchor: "extension-\(request.id)", when: Reporting.timeText(request.requestedAt),
                            heading: "Cơ quan theo dõi xác định thời hạn: \(request.newDue.vietnameseShort)",
                            byline: request.requesterName, fields: [Field(label: "Căn cứ", value: request.reason)])
                    ))
                continue
            }
            // A request asked again after a reversed decision is the same request: only its new decision shows.
            if request.reopensID == nil {
                entries.append(
                    (
                        request.requestedAt, 2,
                        TimelineItem(
                            kind: "request", anchor: "extension-\(request.id)", when: Reporting.timeText(request.requestedAt),
                            heading:
                                "Đề nghị gia hạn từ \(request.previousDue?.vietnameseShort ?? "—") đến \(request.newDue.vietnameseShort)",
                            byline: request.requesterName, stateLabel: request.state.vietnamese,
                            fields: [Field(label: "Lý do", value: request.reason)])
                    ))
            }
            if let decidedAt = request.decidedAt, request.state != .pending {
                let approved = request.state == .approved
                var fields: [Field] = []
                if let reason = request.decisionReason, !reason.isEmpty {
                    fields.append(Field(label: approved ? "Ý kiến" : "Lý do", value: reason))
                }
                entries.append(
                    (
                        decidedAt, 3,
                        TimelineItem(
                            kind: approved ? "approve" : "refuse", anchor: "decision-\(request.id)",
                            when: Reporting.timeText(decidedAt),
                            heading: approved
                                ? "Đồng ý gia hạn đến \(request.newDue.vietnameseShort)"
                                : "Không đồng ý gia hạn đến \(request.newDue.vietnameseShort)",
                            byline: request.deciderName ?? "",
                            stateLabel: request.reversal.map { "Đã hủy ngày \($0.on.vietnameseShort)" } ?? "", fields: fields)
                    ))
            }
        }
        return entries.sorted { ($0.at, $0.order) < ($1.at, $1.order) }.map(\.item)
    }

    static func item(_ report: ReportRecord, slug: String, code: String, linked: Bool = true) -> TimelineItem {
        let content = report.content
        var fields: [Field] = []
        if report.kind == .report {
            fields.append(Field(label: "Giai đoạn", value: "\(content.claimedStage.vietnamese), \(content.percent)%"))
        }
        if !content.result.isEmpty { fields.append(Field(label: "Kết quả đạt được", value: content.result)) }
        if let achieved = content.achievedOn { fields.append(Field(label: "Ngày đạt kết quả", value: achieved.vietnameseShort)) }
        if !content.difficulties.isEmpty { fields.append(Field(label: "Khó khăn, vướng mắc", value: content.difficulties)) }
        if !content.proposals.isEmpty { fields.append(Field(label: "Đề xuất, kiến nghị", value: content.proposals)) }
        let isDraft = report.state == .draft
        let heading =
            report.kind == .report
            ? (content.claimedStage == .done ? "Báo cáo hoàn thành" : "Báo cáo tiến độ") + " của \(report.agencyName)"
            : "Ý kiến phối hợp của \(report.agencyName)"
        return TimelineItem(
            kind: isDraft ? "draft" : report.kind == .report ? "report" : "contribution", anchor: "report-\(report.id)",
            when: isDraft
                ? "Bản nháp, lưu lúc \(Reporting.timeText(report.updatedAt))"
                : "Gửi lúc \(Reporting.timeText(report.submittedAt ?? report.updatedAt))",
            heading: isDraft ? heading + " (bản nháp, chưa gửi)" : heading, byline: report.authorName,
            stateLabel: report.kind == .report || isDraft ? report.state.vietnamese : "", fields: fields,
            evidence: content.evidence.map(\.citation), attachments: report.attachments.map(fileLink),
            href: !linked
                ? ""
                : isDraft
                    ? SiteRoute.reportForm(slug: slug, code: code, kind: report.kind).href : SiteRoute.report(id: report.id).href,
            linkLabel: isDraft ? "Sửa tiếp bản nháp" : report.kind == .report ? "Mở báo cáo" : "Xem riêng ý kiến này")
    }

    static func item(_ review: ReviewRecord, report: ReportRecord) -> TimelineItem {
        var fields: [Field] = []
        let heading: String
        let kind: String
        switch review.decision {
        case .accept:
            kind = "accept"
            if let completed = review.completedOn {
                heading = "Xác nhận hoàn thành, ngày hoàn thành \(completed.vietnameseShort)"
            } else {
                heading = "Ghi nhận báo cáo"
            }
            if !review.reason.isEmpty { fields.append(Field(label: "Ý kiến", value: review.reason)) }
        case .return:
            kind = "return"
            heading = "Trả lại báo cáo"
            fields.append(Field(label: "Lý do", value: review.reason))
        }
        return TimelineItem(
            kind: kind, anchor: "review-\(review.id)", when: Reporting.timeText(review.decidedAt),
            heading: heading + " của \(report.agencyName)", byline: review.reviewerName,
            stateLabel: review.reversal.map { "Đã hủy ngày \($0.on.vietnameseShort)" } ?? "", fields: fields)
    }

    static func fileLink(_ info: AttachmentInfo) -> FileLink {
        FileLink(
            id: String(info.id.rawValue), name: info.fileName, href: SiteRoute.attachment(id: info.id).href,
            sizeText: sizeText(info.size))
    }

    static func sizeText(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) byte" }
        if bytes < 1_048_576 { return "\((bytes + 512) / 1024) KB" }
        return Reporting.megabytes(bytes)
    }

    /// "Với ngày này, nhiệm vụ được tính hoàn thành đúng hạn (hạn 31/08/2025)."
    static func completionHint(_ date: LocalDate?, due: LocalDate?) -> String {
        guard let date, let due else { return "" }
        return date <= due
            ? "Với ngày này, nhiệm vụ được tính hoàn thành đúng hạn (hạn \(due.vietnameseShort))."
            : "Với ngày này, nhiệm vụ được tính hoàn thành quá hạn \(date.daysSinceEpoch - due.daysSinceEpoch) ngày (hạn \(due.vietnameseShort))."
    }

    static func deadlineText(_ workspace: AssignmentWorkspace) -> String {
        let status = workspace.status
        var text = workspace.assignment.deadline.text.isEmpty ? "—" : "“\(workspace.assignment.deadline.text)”"
        if let original = status.originalDue { text += ", hạn \(original.vietnameseShort)" }
        if let effective = status.effectiveDue, effective != status.originalDue {
            text +=
                status.originalDue == nil
                ? ", hạn đã xác định \(effective.vietnameseShort)" : ", gia hạn đến \(effective.vietnameseShort)"
        }
        return text
    }

    // MARK: Helpers

    /// The assignment page again, with the refused inline form's message and what was typed.
    private func assignmentWithError(_ error: AssignmentFormError, _ context: AppRequestContext) async throws -> Response {
        try await PageController(dependencies: dependencies, cache: RenderedPageCache(capacity: 0)).assignment(
            slug: error.slug, code: error.code, asOf: dependencies.today(), explicit: false, context: context, notice: nil,
            formError: error, responseStatus: .unprocessableContent)
    }

    private func route(_ context: AppRequestContext) throws -> (String, String) {
        (try context.parameters.require("plan"), try context.parameters.require("code"))
    }

    private func reportID(_ context: AppRequestContext) throws -> ReportRecord.ID {
        let raw = try context.parameters.require("report")
        guard let number = RequestNumber.id(raw) else {
            throw WebError.notFound("Không có báo cáo số “\(raw)”.", api: "no report \(raw)")
        }
        return ReportRecord.ID(number)
    }

    private func workspace(_ slug: String, _ code: String, _ identity: Identity) async throws -> AssignmentWorkspace {
        guard let workspace = try await reporting.workspace(slug: slug, code: code, identity: identity) else {
            if try await dependencies.store.planRevision(slug) == nil { throw PageController.noPlan(slug) }
            throw WebError.notFound("Không có nhiệm vụ “\(code)”.", api: "no assignment \(code) in plan \(slug)")
        }
        return workspace
    }
}

/// A refused inline form of the assignment page: shown again on that page with the message and what was typed.
struct AssignmentFormError: Error {
    enum Which { case `extension`, decision, due, correction }
    /// Each problem with the field it concerns, shown beside it in the form that was sent.
    var problems: [FieldProblem]
    var form: FormData
    var slug: String
    var code: String
    var which: Which
    /// The correction form's action, to tell apart two corrections on one page.
    var action = ""
}
