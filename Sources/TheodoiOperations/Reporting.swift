import Foundation
import TheodoiCore
import TheodoiStore

/// What an author typed into a report or contribution form (or sent as JSON), before checking.
public struct ReportForm: Sendable, Hashable {
    /// Evidence rows as typed: the date still text.
    public struct EvidenceRow: Sendable, Hashable {
        public var number: String
        public var date: String
        public var summary: String

        public init(number: String, date: String, summary: String) {
            self.number = number
            self.date = date
            self.summary = summary
        }
    }

    public var stage: String
    public var percent: String
    public var result: String
    public var achievedOn: String
    public var evidence: [EvidenceRow]
    public var difficulties: String
    public var proposals: String

    public init(
        stage: String = "in-progress", percent: String = "", result: String = "", achievedOn: String = "",
        evidence: [EvidenceRow] = [], difficulties: String = "", proposals: String = ""
    ) {
        self.stage = stage
        self.percent = percent
        self.result = result
        self.achievedOn = achievedOn
        self.evidence = evidence
        self.difficulties = difficulties
        self.proposals = proposals
    }

    /// The form showing a saved report.
    public init(_ content: ReportContent) {
        self.init(
            stage: content.claimedStage.rawValue, percent: content.percent == 0 ? "" : String(content.percent),
            result: content.result,
            achievedOn: content.achievedOn?.vietnameseShort ?? "",
            evidence: content.evidence.map {
                EvidenceRow(number: $0.number, date: $0.date?.vietnameseShort ?? "", summary: $0.summary)
            }, difficulties: content.difficulties, proposals: content.proposals)
    }
}

/// A draft someone else saved after the author opened it: nothing was overwritten.
public struct StaleDraft: Error, Sendable, CustomStringConvertible {
    /// The draft as it is now.
    public var current: ReportRecord
    /// What the other save changed, compared with the version the author started from.
    public var changes: [ReportContent.Change]

    public init(current: ReportRecord, changes: [ReportContent.Change]) {
        self.current = current
        self.changes = changes
    }

    /// "Bản nháp đã được … lưu lúc … (phiên bản 3) sau khi anh/chị mở: …"
    public var message: String {
        var text =
            "Bản nháp đã được \(current.updatedByName) lưu lúc \(Reporting.timeText(current.updatedAt)) "
            + "(phiên bản \(current.version)) sau khi anh/chị mở nó, nên lần lưu này chưa được ghi."
        if changes.isEmpty {
            text += " Nội dung không đổi, chỉ tệp đính kèm hoặc thời điểm lưu."
        } else {
            text +=
                " Những gì đã thay đổi: " + changes.map { "\($0.field): “\($0.before)” → “\($0.after)”" }.joined(separator: "; ")
                + "."
        }
        return text + " Nội dung anh/chị vừa nhập vẫn còn trên biểu mẫu: đối chiếu rồi lưu lại."
    }

    public var apiMessage: String {
        "the draft was saved by \(current.updatedByName) at version \(current.version) after you read it; changed: "
            + (changes.isEmpty ? "nothing but attachments" : changes.map(\.field).joined(separator: ", "))
    }

    public var description: String { message }
}

/// A file as uploaded, before checking.
public struct UploadedFile: Sendable, Hashable {
    public var fileName: String
    public var bytes: [UInt8]

    public init(fileName: String, bytes: [UInt8]) {
        self.fileName = fileName
        self.bytes = bytes
    }
}

/// One assignment as an official sees it to report or decide: the row, its status today, its log,
/// and how the official's agency stands to it.
public struct AssignmentWorkspace: Sendable {
    public var snapshot: PlanSnapshot
    public var assignment: AssignmentRecord
    public var status: AssignmentStatus
    public var log: AssignmentLog
    public var relation: AssignmentRelation
    public var ref: AssignmentRef
    /// The day it was read (an ended task stops taking reports from its end date).
    public var today: LocalDate

    public var hasChildren: Bool { !(snapshot.children[assignment.code] ?? []).isEmpty }
    /// The extension request waiting for a decision, if any.
    public var pendingExtension: ExtensionRecord? { log.extensions.last { $0.state == .pending } }
    /// The latest lead report that was sent.
    public var latestSubmitted: ReportRecord? {
        log.reports.filter { $0.kind == .report && $0.state != .draft && $0.state != .withdrawn }.max {
            ($0.submittedAt ?? "", $0.id) < ($1.submittedAt ?? "", $1.id)
        }
    }

    /// The facts the rules need, for a report or request acted on.
    public func facts(report: ReportRecord? = nil, extensionRequest: ExtensionRecord? = nil) -> ProgressFacts {
        ProgressFacts(
            deadlineKind: assignment.deadline.kind, hasChildren: hasChildren, accepted: status.stage == .done,
            reportState: report?.state, reportKind: report?.kind,
            reportIsLatest: report.map { $0.id == latestSubmitted?.id } ?? true, pendingExtension: pendingExtension != nil,
            extensionState: extensionRequest?.state,
            decisionIsLatest: extensionRequest.map { $0.id == latestExtensionDecision?.id } ?? true,
            planStage: snapshot.plan.stage, endedBy: endedVersion?.amendment, endedOn: endedVersion?.takesEffect)
    }

    /// The amendment that ended the task by today, if one did.
    var endedVersion: AssignmentVersion? {
        guard let ended = assignment.trail?.ended, ended.takesEffect <= today else { return nil }
        return ended
    }

    /// The extension decision in force or last refused: the one that can be reversed.
    public var latestExtensionDecision: ExtensionRecord? {
        log.extensions.filter { $0.state != .pending && $0.reversal == nil }.max {
            ($0.decidedAt ?? "", $0.id) < ($1.decidedAt ?? "", $1.id)
        }
    }

    /// The standing decision on the latest report, if the office has made one.
    public var standingReview: ReviewRecord? {
        guard let latest = latestSubmitted else { return nil }
        return log.reviews.last { $0.reportID == latest.id && $0.reversal == nil }
    }

    /// Nil when `identity` may do `action` now; otherwise why not.
    public func refusal(
        _ action: ProgressAction, by identity: Identity, report: ReportRecord? = nil, extensionRequest: ExtensionRecord? = nil
    ) -> ProgressRefusal? {
        ProgressRules.refusal(
            action, role: role(of: identity, for: action), relation: relation,
            facts: facts(report: report, extensionRequest: extensionRequest))
    }

    /// The role `identity` acts in: an agency's officers monitor the agency's own implementation plan
    /// (review, decide extensions) as the office monitors the others; everything else as their role.
    public func role(of identity: Identity, for action: ProgressAction) -> Role {
        let monitoring: Set<ProgressAction> = [.review, .decideExtension, .setDue, .reverseDecision]
        if identity.user.role == .officer, monitoring.contains(action), let owner = snapshot.plan.ownerAgency,
            owner == identity.user.agencyID
        {
            return .monitor
        }
        return identity.user.role
    }

    /// Whether `identity` monitors this plan: the office, or an officer of the agency that owns it.
    public func monitors(_ identity: Identity) -> Bool {
        let role = role(of: identity, for: .review)
        return role == .monitor || role == .admin
    }

    /// The log as `identity` may see it: drafts only to their own agency's officers.
    public func visibleLog(to identity: Identity) -> AssignmentLog {
        var log = log
        log.reports.removeAll { $0.state == .draft && $0.agencyID != identity.user.agencyID }
        return log
    }

    /// For a recurring assignment, each reporting period from the plan's date to `today`, newest
    /// first, with the lead's reports sent in it (DESIGN §6); empty for any other.
    public func reportingPeriods(today: LocalDate) -> [(period: ReportingPeriod, reports: [ReportRecord])] {
        guard assignment.deadline.kind == .recurring else { return [] }
        let kind = assignment.deadline.reportingPeriodKind
        let sent = log.reports.filter { $0.kind == .report && $0.state != .draft }
        var periods: [(period: ReportingPeriod, reports: [ReportRecord])] = []
        var date = snapshot.plan.date ?? today
        while date <= today, periods.count < 60 {
            guard let period = ReportingPeriod.containing(date, kind: kind) ?? ReportingPeriod.containing(date, kind: .year)
            else { break }
            if periods.last?.period != period {
                periods.append((period, sent.filter { $0.submittedOn.map(period.contains) ?? false }))
            }
            date = LocalDate(daysSinceEpoch: period.end.daysSinceEpoch + 1)
        }
        return periods.reversed()
    }

    /// The draft of `kind` that `identity`'s agency is writing, if any.
    public func draft(of kind: ReportKind, for identity: Identity) -> ReportRecord? {
        guard let agency = identity.user.agencyID else { return nil }
        return log.reports.last { $0.state == .draft && $0.kind == kind && $0.agencyID == agency }
    }

    /// The last report of `kind` that `identity`'s agency sent (whatever became of it): a new
    /// report starts from it.
    public func previous(of kind: ReportKind, for identity: Identity) -> ReportRecord? {
        guard let agency = identity.user.agencyID else { return nil }
        return log.reports.filter { $0.state != .draft && $0.kind == kind && $0.agencyID == agency }.max {
            ($0.submittedAt ?? "", $0.id) < ($1.submittedAt ?? "", $1.id)
        }
    }
}

/// Progress reports, contributions, reviews and extensions: the use cases behind the pages and the API.
public struct Reporting: Sendable {
    public var progress: ProgressStore
    public var views: PlanViews
    /// Today in Vietnam.
    public var today: @Sendable () -> LocalDate

    /// The largest attachment accepted.
    public static let maximumAttachmentBytes = 20 * 1024 * 1024
    /// The most attachments one report holds.
    public static let maximumAttachments = 20
    static let maximumTextLength = 20_000

    /// Told the plan's slug after each event people must hear of (a report sent, returned or
    /// accepted, an extension decided, a withdrawal, a reversal): the reminder pass of that plan
    /// runs at once. Nil: they hear at the next timed pass.
    public var afterEvent: (@Sendable (_ planSlug: String) async -> Void)?

    public init(
        progress: ProgressStore, views: PlanViews, today: @escaping @Sendable () -> LocalDate,
        afterEvent: (@Sendable (_ planSlug: String) async -> Void)? = nil
    ) {
        self.afterEvent = afterEvent
        self.progress = progress
        self.views = views
        self.today = today
    }

    // MARK: Reading

    /// The assignment `code` of plan `slug` as `identity` sees it; nil when either is unknown.
    public func workspace(slug: String, code: String, identity: Identity?) async throws -> AssignmentWorkspace? {
        guard let snapshot = try await views.snapshots.snapshot(slug: slug), let position = snapshot.index[code] else {
            return nil
        }
        return try await workspace(snapshot: snapshot, position: position, identity: identity)
    }

    func workspace(snapshot: PlanSnapshot, position: Int, identity: Identity?) async throws -> AssignmentWorkspace {
        let assignment = snapshot.assignments[position]
        let log = try await progress.assignmentLog(assignment.id)
        var relation = AssignmentRelation.unrelated
        // Only officers act for their agency on its tasks; a monitor of Văn phòng Tỉnh ủy monitors them.
        if identity?.user.role == .officer, let agency = identity?.user.agencyID {
            if assignment.lead.contains(where: { $0.agencyID == agency }) {
                relation = .lead
            } else if assignment.coordinators.contains(where: { $0.agencyID == agency }) {
                relation = .coordinator
            }
        }
        return AssignmentWorkspace(
            snapshot: snapshot, assignment: assignment, status: snapshot.status(at: position, asOf: today()), log: log,
            relation: relation,
            ref: AssignmentRef(
                id: assignment.id, planID: snapshot.plan.id, planSlug: snapshot.plan.slug, code: assignment.code),
            today: today())
    }

    /// The workspace of the assignment a report belongs to, with the report.
    public func workspace(
        report id: ReportRecord.ID, identity: Identity
    ) async throws -> (
        AssignmentWorkspace, ReportRecord
    ) {
        guard let report = try await progress.report(id) else { throw Reporting.noReport(id) }
        guard report.state != .draft || report.agencyID == identity.user.agencyID else { throw Reporting.noReport(id) }
        let workspace = try await workspace(plan: report.planID, assignment: report.assignmentID, identity: identity)
        return (workspace, report)
    }

    /// The workspace of the assignment an extension request belongs to, with the request.
    public func workspace(
        extension id: ExtensionRecord.ID, identity: Identity
    ) async throws -> (
        AssignmentWorkspace, ExtensionRecord
    ) {
        guard let request = try await progress.extensionRequest(id) else {
            throw ProgressRefusal(.invalid, "Không có đề nghị gia hạn số \(id).", api: "no extension request \(id)")
                .asNotFound
        }
        let workspace = try await workspace(plan: request.planID, assignment: request.assignmentID, identity: identity)
        return (workspace, request)
    }

    private func workspace(
        plan: PlanRecord.ID, assignment: AssignmentRecord.ID, identity: Identity
    ) async throws
        -> AssignmentWorkspace
    {
        guard let slug = try await views.store.plans().first(where: { $0.id == plan })?.slug,
            let snapshot = try await views.snapshots.snapshot(slug: slug), let position = snapshot.idIndex[assignment]
        else { throw NotFound(message: "Không tìm thấy nhiệm vụ của mục này.", apiMessage: "no such assignment") }
        return try await workspace(snapshot: snapshot, position: position, identity: identity)
    }

    /// An attachment's description and bytes, when `identity` may read it (drafts: their own agency only).
    public func attachment(_ id: AttachmentInfo.ID, identity: Identity) async throws -> (info: AttachmentInfo, bytes: [UInt8]) {
        guard let file = try await progress.attachment(id),
            let report = try await progress.report(file.info.reportID),
            report.state != .draft || report.agencyID == identity.user.agencyID
        else {
            throw NotFound(message: "Không có tệp đính kèm số \(id).", apiMessage: "no attachment \(id)")
        }
        return file
    }

    // MARK: Reports and contributions

    /// Creates a report (`kind` .report for the lead, .contribution for a coordinating agency) or
    /// updates the agency's draft (`reportID` with the `version` the author started from), attaching
    /// `files`, and sends it when `submit` is set.
    ///
    /// `preparing` checks the form as for sending but keeps it a draft: the page that asks "send
    /// this?" shows what was saved. `carrying` copies files of the agency's last sent report into a
    /// new one.
    public func saveReport(
        _ form: ReportForm, kind: ReportKind, slug: String, code: String, reportID: ReportRecord.ID?, version: Int?,
        submit: Bool, preparing: Bool = false, files: [UploadedFile] = [], removing: [AttachmentInfo.ID] = [],
        carrying: [AttachmentInfo.ID] = [], identity: Identity, actor: AuditActor
    ) async throws -> ReportRecord {
        guard let workspace = try await workspace(slug: slug, code: code, identity: identity) else {
            throw NotFound(message: "Không có nhiệm vụ “\(code)”.", apiMessage: "no assignment \(code) in plan \(slug)")
        }
        var existing: ReportRecord?
        if let reportID {
            existing = workspace.log.reports.first { $0.id == reportID }
            guard let report = existing, report.kind == kind, report.agencyID == identity.user.agencyID || report.state != .draft
            else { throw Reporting.noReport(reportID) }
        }
        // Only a new report carries files, and only those of the agency's last sent report.
        let carried =
            existing == nil
            ? Array(Set(carrying).intersection((workspace.previous(of: kind, for: identity)?.attachments ?? []).map(\.id)))
                .sorted { $0.rawValue < $1.rawValue } : []
        return try await save(
            form, kind: kind, workspace: workspace, existing: existing, version: version, submit: submit,
            preparing: preparing, files: files, removing: removing, carrying: carried, identity: identity, actor: actor)
    }

    /// Edits a draft by id (the API's `PUT /reports/{id}`), or sends it with its saved content (`form` nil).
    public func updateReport(
        _ id: ReportRecord.ID, form: ReportForm?, version: Int?, submit: Bool, files: [UploadedFile] = [],
        identity: Identity, actor: AuditActor
    ) async throws -> ReportRecord {
        let (workspace, report) = try await workspace(report: id, identity: identity)
        return try await save(
            form ?? ReportForm(report.content), kind: report.kind, workspace: workspace, existing: report,
            version: version, submit: submit, files: files, removing: [], identity: identity, actor: actor)
    }

    private func save(
        _ form: ReportForm, kind: ReportKind, workspace: AssignmentWorkspace, existing: ReportRecord?, version: Int?,
        submit: Bool, preparing: Bool = false, files: [UploadedFile], removing: [AttachmentInfo.ID],
        carrying: [AttachmentInfo.ID] = [], identity: Identity, actor: AuditActor
    ) async throws -> ReportRecord {
        let action: ProgressAction = kind == .report ? .writeReport : .contribute
        if let refusal = workspace.refusal(action, by: identity, report: existing) { throw refusal }
        guard let agency = identity.user.agencyID else {
            throw ProgressRefusal(.forbidden, "Tài khoản chưa gắn với đơn vị nào.", api: "the user has no agency")
        }
        let attachments = try files.map(Reporting.checkedAttachment)
        // Only the report's own files can be removed, each once: ids of other reports' files, or of
        // none, neither count against the limit nor reach the store.
        let own = Set((existing?.attachments ?? []).map(\.id))
        let removing = Array(Set(removing).intersection(own))
        let kept = own.count - removing.count + carrying.count
        if kept + attachments.count > Reporting.maximumAttachments {
            throw ProgressRefusal(
                .invalid, "Mỗi báo cáo đính kèm tối đa \(Reporting.maximumAttachments) tệp.",
                api: "at most \(Reporting.maximumAttachments) attachments per report")
        }
        let content = try checkedContent(
            form, kind: kind, workspace: workspace, submit: submit || preparing, hasFiles: kept + attachments.count > 0)
        if existing == nil, let draft = workspace.draft(of: kind, for: identity) {
            throw ProgressRefusal(
                .conflict,
                "Đơn vị đã có một bản nháp (lưu lúc \(Reporting.timeText(draft.updatedAt)) bởi \(draft.updatedByName)); hãy mở bản nháp đó để sửa tiếp.",
                api: "the agency already has a draft: report \(draft.id)")
        }
        let save = ReportSave(
            id: existing?.id, expectedVersion: version, assignment: workspace.ref, agencyID: agency, kind: kind,
            content: content, submit: submit && !preparing, on: today(), newAttachments: attachments,
            removedAttachments: removing, carriedAttachments: carrying)
        do {
            let saved = try await progress.saveReport(save, actor)
            if save.submit { await afterEvent?(workspace.ref.planSlug) }
            return saved
        } catch let error as ProgressStoreError {
            throw translated(error)
        }
    }

    /// Checks and normalises a form; throws every problem at once.
    func checkedContent(
        _ form: ReportForm, kind: ReportKind, workspace: AssignmentWorkspace, submit: Bool, hasFiles: Bool
    ) throws -> ReportContent {
        var problems: [FieldProblem] = []
        let text = { (value: String) in VietnameseText.nfc(value).trimmingCharacters(in: .whitespacesAndNewlines) }
        var stage = ClaimedStage.inProgress
        if kind == .report {
            if let parsed = ClaimedStage(rawValue: form.stage.trimmingCharacters(in: .whitespaces)) {
                stage = parsed
            } else {
                problems.append(
                    FieldProblem(
                        field: "stage", message: "Hãy chọn giai đoạn: đang thực hiện, đã hoàn thành hoặc gặp khó khăn.",
                        api: "stage must be in-progress, done or blocked"))
            }
        }
        var percent = 0
        let percentText = form.percent.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "%", with: "")
        if kind == .report {
            if let value = Int(percentText.isEmpty ? "0" : percentText), (0...100).contains(value) {
                percent = value
                // A completion is 100%; a smaller figure typed beside it is a question, not a value to overwrite.
                if stage == .done, !percentText.isEmpty, value < 100 {
                    problems.append(
                        FieldProblem(
                            field: "percent",
                            message:
                                "Đã chọn “đã hoàn thành” nhưng tỷ lệ ghi \(value)%. Nhiệm vụ hoàn thành được tính 100%: hãy sửa tỷ lệ thành 100, hoặc chọn “đang thực hiện” nếu nhiệm vụ chưa xong.",
                            api: "percent must be 100 (or left out) when stage is done"))
                }
            } else {
                problems.append(
                    FieldProblem(
                        field: "percent",
                        message: "Tỷ lệ hoàn thành phải là số nguyên từ 0 đến 100 (đang ghi “\(form.percent)”).",
                        api: "percent must be an integer 0–100"))
            }
        }
        if stage == .done {
            percent = 100
            if workspace.assignment.deadline.kind == .recurring {
                problems.append(
                    FieldProblem(
                        field: "stage",
                        message:
                            "Nhiệm vụ thường xuyên không báo cáo “đã hoàn thành”; hãy chọn “đang thực hiện” và ghi kết quả của kỳ.",
                        api: "recurring assignments cannot claim completion"))
            }
        }
        let today = today()
        var achievedOn: LocalDate?
        let achievedText = form.achievedOn.trimmingCharacters(in: .whitespaces)
        if !achievedText.isEmpty {
            if let date = LocalDate(vietnamese: achievedText) ?? LocalDate(iso: achievedText) {
                if date > today {
                    problems.append(
                        FieldProblem(
                            field: "achievedOn",
                            message:
                                "Ngày đạt kết quả (\(date.vietnameseShort)) không được sau hôm nay (\(today.vietnameseShort)).",
                            api: "achievedOn is after today"))
                } else {
                    achievedOn = date
                }
            } else {
                problems.append(
                    FieldProblem(
                        field: "achievedOn",
                        message:
                            "Ngày đạt kết quả “\(achievedText)” không hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 05/10/2025.",
                        api: "achievedOn is not a date"))
            }
        }
        var evidence: [EvidenceReference] = []
        for (position, row) in form.evidence.enumerated() {
            let number = text(row.number)
            let summary = text(row.summary)
            let dateText = row.date.trimmingCharacters(in: .whitespaces)
            if number.isEmpty && summary.isEmpty && dateText.isEmpty { continue }
            var date: LocalDate?
            if !dateText.isEmpty {
                date = LocalDate(vietnamese: dateText) ?? LocalDate(iso: dateText)
                if date == nil {
                    problems.append(
                        FieldProblem(
                            field: "evidence-\(position + 1)",
                            message: "Minh chứng \(position + 1): ngày “\(dateText)” không hợp lệ; ghi theo dạng ngày/tháng/năm.",
                            api: "evidence[\(position)].date is not a date"))
                }
            }
            if number.isEmpty && summary.isEmpty {
                problems.append(
                    FieldProblem(
                        field: "evidence-\(position + 1)",
                        message: "Minh chứng \(position + 1): ghi số, ký hiệu hoặc trích yếu của văn bản.",
                        api: "evidence[\(position)] needs a number or a summary"))
            }
            evidence.append(EvidenceReference(number: number, date: date, summary: summary))
        }
        let result = text(form.result)
        let difficulties = text(form.difficulties)
        let proposals = text(form.proposals)
        for (label, value, key) in [
            ("Kết quả đạt được", result, "result"), ("Khó khăn, vướng mắc", difficulties, "difficulties"),
            ("Đề xuất, kiến nghị", proposals, "proposals"),
        ] where value.count > Reporting.maximumTextLength {
            problems.append(
                FieldProblem(
                    field: key,
                    message: "\(label) quá dài: tối đa \(Reporting.maximumTextLength) ký tự (đang có \(value.count)).",
                    api: "\(key) is longer than \(Reporting.maximumTextLength) characters"))
        }
        if stage == .blocked && difficulties.isEmpty && submit {
            problems.append(
                FieldProblem(
                    field: "difficulties", message: "Khi chọn “gặp khó khăn, vướng mắc”, hãy ghi rõ khó khăn, vướng mắc.",
                    api: "a blocked report needs difficulties"))
        }
        if submit {
            if result.isEmpty && difficulties.isEmpty && proposals.isEmpty {
                problems.append(
                    FieldProblem(
                        field: "result",
                        message: kind == .report
                            ? "Báo cáo cần có nội dung: kết quả đạt được, hoặc khó khăn, vướng mắc."
                            : "Ý kiến phối hợp cần có nội dung.", api: "the report is empty"))
            }
            if stage == .done {
                if result.isEmpty {
                    problems.append(
                        FieldProblem(
                            field: "result", message: "Báo cáo hoàn thành cần ghi kết quả đạt được (sản phẩm đầu ra).",
                            api: "a completion claim needs a result"))
                }
                if achievedOn == nil && achievedText.isEmpty {
                    problems.append(
                        FieldProblem(
                            field: "achievedOn", message: "Báo cáo hoàn thành cần ghi ngày đạt kết quả (ngày ban hành sản phẩm).",
                            api: "a completion claim needs achievedOn"))
                }
                if evidence.isEmpty && !hasFiles {
                    problems.append(
                        FieldProblem(
                            field: "evidence-1",
                            message:
                                "Báo cáo hoàn thành cần ít nhất một minh chứng: số, ngày, trích yếu văn bản hoặc tệp đính kèm.",
                            api: "a completion claim needs evidence"))
                }
            }
        }
        guard problems.isEmpty else { throw ProgressRefusal(invalid: problems) }
        return ReportContent(
            claimedStage: stage, percent: percent, result: result, achievedOn: achievedOn, evidence: evidence,
            difficulties: difficulties, proposals: proposals)
    }

    // MARK: Review

    /// Accepts or returns the latest sent report. Accepting a completion claim records the completion
    /// on `completedOn` (text, default: the date the report gives); a return needs a reason.
    public func review(
        _ id: ReportRecord.ID, decision: ReviewDecision, reason: String, completedOn: String, identity: Identity,
        actor: AuditActor
    ) async throws -> ReviewRecord {
        let input = try await checkedReview(
            id, decision: decision, reason: reason, completedOn: completedOn, identity: identity)
        do {
            let review = try await progress.reviewReport(input, actor)
            await afterEvent?(input.assignment.planSlug)
            return review
        } catch let error as ProgressStoreError {
            throw translated(error)
        }
    }

    /// The decision `review` would record, checked, without recording it (the page that asks first).
    public func checkedReview(
        _ id: ReportRecord.ID, decision: ReviewDecision, reason: String, completedOn: String, identity: Identity
    ) async throws -> ReviewInput {
        let (workspace, report) = try await workspace(report: id, identity: identity)
        if let refusal = workspace.refusal(.review, by: identity, report: report) { throw refusal }
        let reason = VietnameseText.nfc(reason).trimmingCharacters(in: .whitespacesAndNewlines)
        let today = today()
        var completion: LocalDate?
        switch decision {
        case .return:
            guard !reason.isEmpty else {
                throw ProgressRefusal(
                    .invalid, "Trả lại báo cáo cần ghi lý do, để đơn vị biết cần bổ sung, sửa gì.",
                    api: "a return needs a reason", field: "reason")
            }
        case .accept:
            if report.content.claimedStage == .done {
                let text = completedOn.trimmingCharacters(in: .whitespaces)
                if text.isEmpty {
                    completion = report.content.achievedOn ?? report.submittedOn
                } else if let date = LocalDate(vietnamese: text) ?? LocalDate(iso: text) {
                    completion = date
                } else {
                    throw ProgressRefusal(
                        .invalid, "Ngày hoàn thành “\(text)” không hợp lệ; ghi theo dạng ngày/tháng/năm.",
                        api: "completedOn is not a date", field: "completedOn")
                }
                if let date = completion, date > today {
                    throw ProgressRefusal(
                        .invalid, "Ngày hoàn thành (\(date.vietnameseShort)) không được sau hôm nay (\(today.vietnameseShort)).",
                        api: "completedOn is after today", field: "completedOn")
                }
            }
        }
        guard reason.count <= Reporting.maximumTextLength else {
            throw ProgressRefusal(.invalid, "Lý do quá dài.", api: "reason is too long", field: "reason")
        }
        return ReviewInput(
            reportID: id, assignment: workspace.ref, decision: decision, reason: reason, completedOn: completion, on: today)
    }

    // MARK: Corrections

    /// Rút lại: the agency takes back a sent report (or contribution) the office has not acted on.
    /// It stays in the history as withdrawn and stops counting from today.
    public func withdraw(
        _ id: ReportRecord.ID, reason: String, identity: Identity, actor: AuditActor, dryRun: Bool = false
    ) async throws -> ReportRecord {
        let (workspace, report) = try await workspace(report: id, identity: identity)
        let relation: AssignmentRelation = report.agencyID == identity.user.agencyID ? workspace.relation : .unrelated
        if let refusal = ProgressRules.refusal(
            .withdraw, role: identity.user.role, relation: relation, facts: workspace.facts(report: report))
        {
            throw refusal
        }
        let reason = try checkedReason(reason, required: false, message: "")
        if dryRun { return report }
        do {
            let withdrawn = try await progress.withdrawReport(
                id, ReversalInput(assignment: workspace.ref, reason: reason, on: today()), actor)
            await afterEvent?(workspace.ref.planSlug)
            return withdrawn
        } catch let error as ProgressStoreError {
            throw translated(error)
        }
    }

    /// Hủy the office's standing decision on the latest report: the report waits for a decision again.
    public func reverseReview(
        _ id: ReviewRecord.ID, reason: String, identity: Identity, actor: AuditActor, dryRun: Bool = false
    ) async throws -> (review: ReviewRecord, report: ReportRecord) {
        guard let found = try await reviewWithReport(id, identity: identity) else {
            throw NotFound(message: "Không có quyết định số \(id).", apiMessage: "no review \(id)")
        }
        let (workspace, review, report) = found
        if review.reversal != nil {
            throw ProgressRefusal(.conflict, "Quyết định này đã bị hủy.", api: "the review was already reversed")
        }
        if let refusal = workspace.refusal(.reverseDecision, by: identity, report: report) { throw refusal }
        let reason = try checkedReason(
            reason, required: true, message: "Hủy quyết định cần ghi lý do, để đơn vị và người xem lịch sử biết vì sao.")
        if dryRun { return (review, report) }
        do {
            let reversed = try await progress.reverseReview(
                id, ReversalInput(assignment: workspace.ref, reason: reason, on: today()), actor)
            await afterEvent?(workspace.ref.planSlug)
            return (reversed, report)
        } catch let error as ProgressStoreError {
            throw translated(error)
        }
    }

    /// Hủy the latest extension decision: the request waits for a decision again.
    public func reverseExtension(
        _ id: ExtensionRecord.ID, reason: String, identity: Identity, actor: AuditActor, dryRun: Bool = false
    ) async throws -> ExtensionRecord {
        let (workspace, request) = try await workspace(extension: id, identity: identity)
        if request.reversal != nil {
            throw ProgressRefusal(.conflict, "Quyết định này đã bị hủy.", api: "the decision was already reversed")
        }
        if request.kind == .setDue {
            throw ProgressRefusal(
                .conflict, "Thời hạn do cơ quan theo dõi xác định thì điều chỉnh bằng cách xác định lại thời hạn.",
                api: "a set due date is changed by setting it again, not reversed")
        }
        if let refusal = workspace.refusal(.reverseDecision, by: identity, extensionRequest: request) { throw refusal }
        let reason = try checkedReason(
            reason, required: true, message: "Hủy quyết định cần ghi lý do, để đơn vị và người xem lịch sử biết vì sao.")
        if dryRun { return request }
        do {
            let reopened = try await progress.reverseExtension(
                id, ReversalInput(assignment: workspace.ref, reason: reason, on: today()), actor)
            await afterEvent?(workspace.ref.planSlug)
            return reopened
        } catch let error as ProgressStoreError {
            throw translated(error)
        }
    }

    /// A review with its report and workspace, when `identity` may see the report.
    public func reviewWithReport(
        _ id: ReviewRecord.ID, identity: Identity
    ) async throws -> (AssignmentWorkspace, ReviewRecord, ReportRecord)? {
        guard let reportID = try await progress.review(id)?.reportID else { return nil }
        let (workspace, report) = try await workspace(report: reportID, identity: identity)
        guard let review = workspace.log.reviews.first(where: { $0.id == id }) else { return nil }
        return (workspace, review, report)
    }

    private func checkedReason(_ text: String, required: Bool, message: String) throws -> String {
        let reason = VietnameseText.nfc(text).trimmingCharacters(in: .whitespacesAndNewlines)
        if required && reason.isEmpty { throw ProgressRefusal(.invalid, message, api: "a reason is required", field: "reason") }
        if reason.count > Reporting.maximumTextLength {
            throw ProgressRefusal(
                .invalid, "Lý do quá dài: tối đa \(Reporting.maximumTextLength) ký tự.", api: "reason is too long",
                field: "reason")
        }
        return reason
    }

    // MARK: Extensions

    /// Asks for a later due date (an officer of the lead agency).
    public func requestExtension(
        slug: String, code: String, newDue: String, reason: String, identity: Identity, actor: AuditActor
    ) async throws -> ExtensionRecord {
        guard let workspace = try await workspace(slug: slug, code: code, identity: identity) else {
            throw NotFound(message: "Không có nhiệm vụ “\(code)”.", apiMessage: "no assignment \(code) in plan \(slug)")
        }
        if let refusal = workspace.refusal(.requestExtension, by: identity) { throw refusal }
        let current = workspace.status.effectiveDue
        let (date, reason) = try checkedDateAndReason(
            newDue, reason, after: current, afterLabel: "hạn hiện hành", reasonMessage: "Đề nghị gia hạn cần ghi lý do.")
        do {
            let request = try await progress.recordExtension(
                ExtensionInput(
                    assignment: workspace.ref, kind: .request, agencyID: identity.user.agencyID, previousDue: current,
                    newDue: date, reason: reason, on: today()), actor)
            await afterEvent?(workspace.ref.planSlug)
            return request
        } catch let error as ProgressStoreError {
            throw translated(error)
        }
    }

    /// Approves or refuses a pending request; a refusal needs a reason.
    public func decideExtension(
        _ id: ExtensionRecord.ID, approve: Bool, reason: String, identity: Identity, actor: AuditActor
    ) async throws -> ExtensionRecord {
        let input = try await checkedDecision(id, approve: approve, reason: reason, identity: identity)
        do {
            let decided = try await progress.decideExtension(input, actor)
            await afterEvent?(input.assignment.planSlug)
            return decided
        } catch let error as ProgressStoreError {
            throw translated(error)
        }
    }

    /// The decision `decideExtension` would record, checked, without recording it.
    public func checkedDecision(
        _ id: ExtensionRecord.ID, approve: Bool, reason: String, identity: Identity
    ) async throws -> ExtensionDecisionInput {
        let (workspace, request) = try await workspace(extension: id, identity: identity)
        if let refusal = workspace.refusal(.decideExtension, by: identity, extensionRequest: request) { throw refusal }
        let reason = VietnameseText.nfc(reason).trimmingCharacters(in: .whitespacesAndNewlines)
        if !approve && reason.isEmpty {
            throw ProgressRefusal(
                .invalid, "Không đồng ý gia hạn cần ghi lý do.", api: "a refusal needs a reason", field: "reason")
        }
        if reason.count > Reporting.maximumTextLength {
            throw ProgressRefusal(.invalid, "Lý do quá dài.", api: "reason is too long", field: "reason")
        }
        return ExtensionDecisionInput(extensionID: id, assignment: workspace.ref, approve: approve, reason: reason, on: today())
    }

    /// Sets the due date of an assignment whose deadline had none (external, empty, unreadable).
    public func setDue(
        slug: String, code: String, newDue: String, basis: String, identity: Identity, actor: AuditActor
    ) async throws -> ExtensionRecord {
        guard let workspace = try await workspace(slug: slug, code: code, identity: identity) else {
            throw NotFound(message: "Không có nhiệm vụ “\(code)”.", apiMessage: "no assignment \(code) in plan \(slug)")
        }
        if let refusal = workspace.refusal(.setDue, by: identity) { throw refusal }
        let (date, basis) = try checkedDateAndReason(
            newDue, basis, after: nil, afterLabel: "",
            reasonMessage: "Ghi căn cứ xác định thời hạn (ví dụ: Kế hoạch số …-KH/TW ngày …).")
        return try await progress.recordExtension(
            ExtensionInput(
                assignment: workspace.ref, kind: .setDue, agencyID: nil, previousDue: workspace.status.effectiveDue,
                newDue: date, reason: basis, on: today()), actor)
    }

    private func checkedDateAndReason(
        _ dateText: String, _ reasonText: String, after: LocalDate?, afterLabel: String, reasonMessage: String,
        reasonField: String = "reason"
    ) throws -> (LocalDate, String) {
        var problems: [FieldProblem] = []
        let text = dateText.trimmingCharacters(in: .whitespaces)
        let date = LocalDate(vietnamese: text) ?? LocalDate(iso: text)
        if text.isEmpty {
            problems.append(
                FieldProblem(field: "newDue", message: "Hãy ghi hạn mới (ngày/tháng/năm).", api: "newDue is required"))
        } else if date == nil {
            problems.append(
                FieldProblem(
                    field: "newDue", message: "Hạn mới “\(text)” không hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 31/12/2025.",
                    api: "newDue is not a date"))
        } else if let date, let after, date <= after {
            problems.append(
                FieldProblem(
                    field: "newDue",
                    message: "Hạn mới (\(date.vietnameseShort)) phải sau \(afterLabel) (\(after.vietnameseShort)).",
                    api: "newDue must be after the current due date \(after.iso)"))
        } else if let date, date < today() {
            problems.append(
                FieldProblem(
                    field: "newDue",
                    message: "Hạn mới (\(date.vietnameseShort)) không được trước hôm nay (\(today().vietnameseShort)).",
                    api: "newDue is before today"))
        }
        let reason = VietnameseText.nfc(reasonText).trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.isEmpty {
            problems.append(FieldProblem(field: reasonField, message: reasonMessage, api: "reason is required"))
        } else if reason.count > Reporting.maximumTextLength {
            problems.append(
                FieldProblem(
                    field: reasonField, message: "Lý do quá dài: tối đa \(Reporting.maximumTextLength) ký tự.",
                    api: "reason is too long"))
        }
        guard problems.isEmpty, let date else {
            throw ProgressRefusal(invalid: problems)
        }
        return (date, reason)
    }

    // MARK: Errors

    private func translated(_ error: ProgressStoreError) -> any Error {
        switch error {
        case .staleVersion(let current, let base):
            return StaleDraft(current: current, changes: base.map { current.content.changes(from: $0.content) } ?? [])
        case .noSuchReport(let id):
            return Reporting.noReport(id)
        case .noSuchExtension(let id):
            return NotFound(message: "Không có đề nghị gia hạn số \(id).", apiMessage: "no extension request \(id)")
        case .notDraft(let state):
            return ProgressRefusal(
                .conflict, "Báo cáo đã gửi thì không sửa được nữa (\(state.vietnamese.lowercased())); hãy lập báo cáo mới.",
                api: "the report is no longer a draft (\(state.rawValue))")
        case .draftExists(let id):
            return ProgressRefusal(
                .conflict, "Đơn vị đã có một bản nháp cho nhiệm vụ này; hãy mở bản nháp đó để sửa tiếp.",
                api: "the agency already has a draft: report \(id)")
        case .notReviewable(let state):
            return ProgressRefusal(
                .conflict, "Báo cáo này đã được xem xét (\(state.vietnamese.lowercased())).",
                api: "the report was already reviewed (\(state.rawValue))")
        case .supersededReport:
            return ProgressRefusal(
                .conflict, "Đơn vị đã gửi báo cáo mới hơn; hãy xem xét báo cáo mới nhất.",
                api: "a newer report was submitted; review that one")
        case .alreadyDecided(let state):
            return ProgressRefusal(
                .conflict, "Đề nghị gia hạn này đã được quyết định (\(state.vietnamese.lowercased())).",
                api: "the extension request was already decided (\(state.rawValue))")
        case .notWithdrawable(let state):
            return ProgressRules.notWithdrawable(state)
        case .notReversible:
            return ProgressRefusal(
                .conflict,
                "Quyết định này không còn là quyết định hiện hành (đã bị hủy, hoặc đã có báo cáo, quyết định mới hơn).",
                api: "the decision is not the standing one; it cannot be reversed")
        case .extensionPending:
            return ProgressRefusal(
                .conflict, "Đã có một đề nghị gia hạn đang chờ quyết định.", api: "an extension request is already pending")
        }
    }

    static func noReport(_ id: ReportRecord.ID) -> NotFound {
        NotFound(message: "Không có báo cáo số \(id).", apiMessage: "no report \(id)")
    }

    /// "14:05 ngày 05/10/2025" from an ISO 8601 UTC time, in Vietnam's time.
    public static func timeText(_ iso: String) -> String {
        VietnamTime(iso: iso)?.text ?? iso
    }
}

/// Something named that does not exist (404), in Vietnamese and for the API.
public struct NotFound: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var apiMessage: String

    public init(message: String, apiMessage: String) {
        self.message = message
        self.apiMessage = apiMessage
    }

    public var description: String { message }
}

extension ProgressRefusal {
    var asNotFound: NotFound { NotFound(message: message, apiMessage: apiMessage) }
}
