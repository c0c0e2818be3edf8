import Foundation
import HTTPTypes
import Hummingbird
import TheodoiCatalog
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiViews

/// Nạp danh mục nhiệm vụ (monitors and administrators): upload a file → preview what was read and
/// what importing would do → confirm. Nothing is stored before the confirmation. The preview carries
/// the file to the confirmation in its own form (base64 and a seal), not in server memory, so any
/// instance can take the confirmation.
struct CatalogueImportController: Sendable {
    let dependencies: WebDependencies
    var renderer: PageRenderer { dependencies.renderer }
    var importer: CatalogueImporter { dependencies.importer }

    /// The largest catalogue file accepted (an appendix is tens of KB; the preview page carries it back).
    static let maximumFileBytes = 10 << 20
    /// Assignment rows shown in the preview.
    static let previewRows = 30

    func form(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try await importIdentity(context, nil)
        // "?kind=implementation&task=343-qd-tu/A.17" from a task's page.
        let query = QueryParameters(request.uri.query)
        var given = GivenHeading()
        given.kind = query["kind"] == "implementation" ? "implementation" : ""
        given.task = String((query["task"] ?? "").prefix(200))
        if context.identity?.may(.importCatalogue) == false { given.kind = "implementation" }
        return try await uploadPage(context, given: given, error: nil, status: .ok)
    }

    /// Who may import what: the office any catalogue; an officer only its agency's implementation
    /// plans (kế hoạch triển khai), and amendments of a plan its agency owns.
    private func importIdentity(_ context: AppRequestContext, _ given: GivenHeading?) async throws -> Identity {
        let identity = try context.signedIn()
        if identity.may(.importCatalogue) { return identity }
        guard identity.user.role == .officer, let agency = identity.user.agencyID else {
            return try context.require(.importCatalogue)
        }
        guard let given else { return identity }
        if given.kind == "implementation" { return identity }
        if given.kind == "amendment", let plan = try await dependencies.store.plan(given.target), plan.ownerAgency == agency {
            return identity
        }
        throw WebError.forbidden(
            "Cán bộ đơn vị chỉ nạp kế hoạch triển khai của đơn vị mình (và quyết định sửa đổi, bổ sung kế hoạch đó); "
                + "danh mục của các cơ quan khác do cơ quan theo dõi nạp.",
            api: "an officer imports only its agency's implementation plans")
    }

    /// The implementation a form asks for, with the agency that will own it (nil: imported by the office).
    private static func implementation(_ given: GivenHeading, _ identity: Identity) -> ImplementationInput? {
        guard given.kind == "implementation" else { return nil }
        return ImplementationInput(
            task: given.task, owner: identity.may(.importCatalogue) ? nil : identity.user.agencyID)
    }

    private var jobs: RecognitionJobs { dependencies.recognitionJobs }

    private static func owner(_ identity: Identity) -> String { String(identity.user.id.rawValue) }

    func preview(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = context.form
        let given = GivenHeading(form)
        let identity = try await importIdentity(context, given)
        let number = given.number
        guard let file = form.files.first(where: { $0.field == "file" })?.file else {
            return try await uploadPage(
                context, given: given, error: "Hãy chọn một tệp danh mục để đọc.", status: .unprocessableContent)
        }
        if let problem = given.problem {
            return try await uploadPage(context, given: given, error: problem, status: .unprocessableContent)
        }
        let name = CatalogueImportController.fileName(file.fileName)
        if let refusal = CatalogueImportController.refusal(name: name, size: file.bytes.count) {
            return try await uploadPage(context, given: given, error: refusal, status: .unprocessableContent)
        }
        // A scan is read in the background: the answer is the job's page, which shows the pages done.
        let upload = Data(file.bytes)
        if importer.recognizer != nil, await CatalogueFile.needsRecognition(upload, pdfText: importer.pdfText) {
            let importer = self.importer
            do {
                let id = try jobs.start(
                    owner: Self.owner(identity), fileName: name, size: upload.count,
                    fields: [
                        "number": given.number, "date": given.date, "issuer": given.issuer, "kind": given.kind,
                        "target": given.target, "missing": given.missing, "task": given.task,
                    ]
                ) { progress throws(RecognitionJobs.Failure) in
                    do {
                        return try await importer.readable(upload, progress: progress)
                    } catch let error as CatalogueImporter.ImportError {
                        throw RecognitionJobs.Failure(CatalogueImportController.message(error, fileName: name))
                    } catch {
                        throw RecognitionJobs.Failure("Không đọc được bản quét “\(name)”.")
                    }
                }
                return Response(status: .seeOther, headers: [.location: SiteRoute.catalogueImportJob(id: id).href])
            } catch let refusal as RecognitionJobs.Refusal {
                guard case .busy(let running) = refusal else { throw refusal }
                return try await uploadPage(
                    context, given: given,
                    error:
                        "Máy chủ đang đọc \(running) bản quét khác (mỗi lần đọc tối đa \(jobs.maximumRunning) bản). "
                        + "Hãy thử lại sau ít phút.",
                    status: .tooManyRequests)
            }
        }
        return try await showPreview(upload, name: name, uploadedSize: upload.count, given: given, context: context)
    }

    /// Đang đọc bản quét: its progress while it runs, then its preview (or why it failed).
    func job(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try await importIdentity(context, nil)
        let id = String((context.parameters.get("job") ?? "").prefix(64))
        guard let job = jobs.job(id, owner: Self.owner(identity)) else {
            throw WebError.notFound(
                "Không có bản quét đang đọc này (kết quả chỉ giữ 30 phút, hoặc máy chủ đã khởi động lại): hãy chọn tệp lại.",
                api: "no such recognition job")
        }
        var given = GivenHeading(
            number: job.fields["number"] ?? "", date: job.fields["date"] ?? "", issuer: job.fields["issuer"] ?? "")
        given.kind = job.fields["kind"] ?? ""
        given.target = job.fields["target"] ?? ""
        given.missing = job.fields["missing"] ?? ""
        given.task = job.fields["task"] ?? ""
        switch job.state {
        case .running(let done, let total):
            var layout = Layout(title: "Đang đọc bản quét", section: "import")
            layout.refresh = "2"
            let page = CatalogueJobPage(
                layout: layout, fileName: job.fileName, sizeText: ProgressController.sizeText(job.size), done: done,
                total: total, progressText: Self.progressText(done: done, total: total),
                startedText: VietnamTime(job.started).clock, href: SiteRoute.catalogueImportJob(id: id).href,
                importHref: SiteRoute.catalogueImport.href)
            return PageController.page(renderer.render(page), context, renderer: renderer)
        case .failed(let message):
            return try await uploadPage(context, given: given, error: message, status: .unprocessableContent)
        case .finished(let data):
            return try await showPreview(data, name: job.fileName, uploadedSize: job.size, given: given, context: context)
        }
    }

    /// The answer's status for a refusal of an import.
    static func status(_ refusal: ProgressRefusal) -> HTTPResponse.Status {
        switch refusal.kind {
        case .conflict: .conflict
        case .forbidden: .forbidden
        case .invalid: .unprocessableContent
        }
    }

    static func progressText(done: Int, total: Int) -> String {
        total == 0 ? "Đang chuẩn bị các trang…" : "Đã nhận dạng \(done)/\(total) trang."
    }

    /// The preview of a file (in the form the parser reads), carried to the confirmation so that it
    /// imports exactly what was previewed without converting or recognising again.
    private func showPreview(
        _ upload: Data, name: String, uploadedSize: Int, given: GivenHeading, context: AppRequestContext
    ) async throws -> Response {
        let number = given.number
        let data: Data
        let preview: CataloguePreview
        do {
            data = try await importer.readable(upload)
            if let input = Self.implementation(given, try await importIdentity(context, given)) {
                preview = try await importer.previewImplementation(
                    data, sourceName: name, number: number.isEmpty ? nil : number, date: given.parsedDate,
                    issuer: given.issuer.isEmpty ? nil : given.issuer, input: input)
            } else if let input = given.amendment {
                preview = try await importer.previewAmendment(data, sourceName: name, input: input)
            } else {
                preview = try await importer.preview(
                    data, sourceName: name, number: number.isEmpty ? nil : number, date: given.parsedDate,
                    issuer: given.issuer.isEmpty ? nil : given.issuer)
            }
        } catch let error as CatalogueImporter.ImportError {
            return try await uploadPage(
                context, given: given, error: CatalogueImportController.message(error, fileName: name),
                status: .unprocessableContent)
        } catch let refusal as ProgressRefusal {
            return try await uploadPage(
                context, given: given, error: refusal.message,
                status: Self.status(refusal))
        }
        let seal = CatalogueImportController.seal([UInt8](data), fileName: name, given: given, key: context.csrfToken)
        var page = previewPage(preview, fileName: name, bytes: [UInt8](data), given: given, seal: seal, context: context)
        page.sizeText = ProgressController.sizeText(uploadedSize)
        if let recognised = RecognisedDocument(data) {
            page.formatText = "bản quét, đọc bằng nhận dạng ký tự (\(recognised.pages) trang)"
        }
        return PageController.page(renderer.render(page), context, renderer: renderer)
    }

    func confirm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = context.form
        let name = CatalogueImportController.fileName(form["fileName"] ?? "")
        let given = GivenHeading(form)
        let identity = try await importIdentity(context, given)
        // An officer's implementation plan: whether its agency leads the task, before anything else.
        if let input = Self.implementation(given, identity), input.owner != nil {
            do {
                _ = try await importer.implementationTarget(input)
            } catch let refusal as ProgressRefusal {
                return try await uploadPage(context, given: given, error: refusal.message, status: Self.status(refusal))
            }
        }
        let number = given.number
        guard let data = Data(base64Encoded: form["file"] ?? ""), !data.isEmpty,
            CatalogueImportController.refusal(name: name, size: data.count) == nil, given.problem == nil,
            let sent = form["seal"],
            CSRFMiddleware.equal(
                sent, CatalogueImportController.seal([UInt8](data), fileName: name, given: given, key: context.csrfToken))
        else {
            return try await uploadPage(
                context, given: given,
                error:
                    "Dữ liệu xác nhận không khớp với tệp đã xem trước (trang xem trước đã bị sửa hoặc thuộc phiên đăng nhập khác). "
                    + "Hãy chọn tệp và xem trước lại.",
                status: .badRequest)
        }
        let result: ImportResult
        do {
            if let input = Self.implementation(given, identity) {
                result = try await importer.importImplementation(
                    data, sourceName: name, number: number.isEmpty ? nil : number, date: given.parsedDate,
                    issuer: given.issuer.isEmpty ? nil : given.issuer, input: input, actor: context.auditActor,
                    stage: .active)
            } else if let input = given.amendment {
                result = try await importer.importAmendment(data, sourceName: name, input: input, actor: context.auditActor)
            } else {
                result = try await importer.importCatalogue(
                    data, sourceName: name, number: number.isEmpty ? nil : number, date: given.parsedDate,
                    issuer: given.issuer.isEmpty ? nil : given.issuer, actor: context.auditActor,
                    stage: form["stage"] == PlanStage.active.rawValue ? .active : .draft)
            }
        } catch let error as CatalogueImporter.ImportError {
            return try await uploadPage(
                context, given: given, error: CatalogueImportController.message(error, fileName: name),
                status: .unprocessableContent)
        } catch let refusal as ProgressRefusal {
            return try await uploadPage(
                context, given: given, error: refusal.message,
                status: Self.status(refusal))
        }
        let plan = result.plan
        let heading =
            result.created
            ? "Đã nạp danh mục \(plan.number)"
            : result.isUnchanged
                ? "Danh mục \(plan.number) không thay đổi"
                : result.amendment.map { "Đã điều chỉnh danh mục \(plan.number) theo Quyết định số \($0.number)" }
                    ?? "Đã cập nhật danh mục \(plan.number)"
        let page = CatalogueImportedPage(
            layout: Layout(title: heading, section: "import", planSlug: plan.slug, planNumber: plan.number),
            heading: heading,
            lines: result.report.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                + (result.created && plan.stage == .draft
                    ? [
                        "Kế hoạch đang là dự thảo: chưa nhắc việc, các cơ quan chưa báo cáo. Khi đã rà soát xong, bấm “Ban hành” ở trang Các kế hoạch."
                    ] : []),
            planHref: SiteRoute.plan(slug: plan.slug).href, findingsHref: SiteRoute.findings(slug: plan.slug).href,
            importHref: SiteRoute.catalogueImport.href)
        return PageController.page(renderer.render(page), context, renderer: renderer, status: result.created ? .created : .ok)
    }

    // MARK: Pages

    private func uploadPage(
        _ context: AppRequestContext, given: GivenHeading, error: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        var page = CatalogueUploadPage(
            layout: Layout(title: "Nạp danh mục nhiệm vụ", section: "import"), csrf: context.csrfToken, number: given.number,
            error: error, accept: CatalogueFile.extensions.map { "." + $0 }.joined(separator: ","),
            formatsText:
                "văn bản Word (.docx; .doc, .odt, .rtf khi máy chủ có LibreOffice), PDF in từ Word (có lớp chữ, khi máy chủ có poppler), bảng tính Excel (.xlsx), CSV (.csv), TSV (.tsv), văn bản trích từ PDF (.txt), Markdown (.md) và HTML (.html)",
            maximumSizeText: "\(CatalogueImportController.maximumFileBytes >> 20) MB")
        page.date = given.date
        page.issuer = given.issuer
        page.isAmendment = given.kind == "amendment"
        page.isImplementation = given.kind == "implementation"
        page.endsMissing = given.missing == "end"
        page.task = given.task
        let office = context.identity?.may(.importCatalogue) ?? false
        page.office = office
        let agency = context.identity?.user.agencyID
        // The plans an amendment may amend: stored, real and not closed (an officer's: its agency's own).
        let plans = try await dependencies.store.plans().filter {
            !$0.isDemo && $0.stage != .closed && (office || ($0.ownerAgency != nil && $0.ownerAgency == agency))
        }
        // An officer's tasks it may implement: those its agency leads in active plans.
        if !office, let agency {
            for plan in plans + (try await dependencies.store.plans().filter { $0.stage == .active && !$0.isDemo }) {
                guard let snapshot = try await dependencies.views.snapshots.snapshot(slug: plan.slug, asOf: dependencies.today()),
                    !page.tasks.contains(where: { $0.value.hasPrefix(plan.slug + "/") })
                else { continue }
                for assignment in snapshot.assignments where assignment.lead.contains(where: { $0.agencyID == agency }) {
                    page.tasks.append(
                        Option(
                            value: "\(plan.slug)/\(assignment.code)",
                            label: "\(plan.number) · \(assignment.code) \(assignment.title)", selected: false))
                }
            }
        }
        page.plans = plans.map { plan in
            Option(
                value: plan.slug, label: plan.number + (plan.title.map { ": \($0)" } ?? ""),
                selected: plan.slug == given.target)
        }
        if let identity = try? context.require(.importCatalogue) {
            page.jobs = jobs.jobs(of: Self.owner(identity)).map { job in
                let state =
                    switch job.state {
                    case .running(let done, let total): "đang đọc, " + Self.progressText(done: done, total: total).lowercased()
                    case .finished: "đã đọc xong, mở để xem trước"
                    case .failed: "không đọc được"
                    }
                return CatalogueJobLink(
                    href: SiteRoute.catalogueImportJob(id: job.id).href, fileName: job.fileName, stateText: state)
            }
        }
        return PageController.page(renderer.render(page), context, renderer: renderer, status: status)
    }

    private func previewPage(
        _ preview: CataloguePreview, fileName: String, bytes: [UInt8], given: GivenHeading, seal: String,
        context: AppRequestContext
    ) -> CataloguePreviewPage {
        let catalogue = preview.catalogue
        let plan = catalogue.plan
        let topLevel = catalogue.assignments.filter { !$0.isSubAssignment }.count
        let subs = catalogue.assignments.count - topLevel
        let findings = catalogue.findings
        let warnings = findings.filter { $0.severity == .warning }.count
        let errors = findings.filter { $0.severity == .error }.count
        let shown = catalogue.assignments.prefix(CatalogueImportController.previewRows)
        var page = CataloguePreviewPage(
            layout: Layout(title: "Xem trước danh mục", section: "import"), csrf: context.csrfToken, fileName: fileName,
            formatText: CatalogueImportController.formatName(catalogue.format),
            sizeText: ProgressController.sizeText(bytes.count),
            number: preview.number, dateText: plan.date?.vietnameseShort ?? "tệp không ghi",
            issuer: plan.issuer ?? "tệp không ghi",
            title: plan.title ?? "tệp không ghi",
            countText: "\(catalogue.assignments.count) dòng nhiệm vụ (\(topLevel) nhiệm vụ, \(subs) nhiệm vụ con)"
                + (plan.declaredCount.map { "; văn bản ghi \($0) nhiệm vụ" } ?? ""),
            actionText: CatalogueImportController.actionText(preview), createsPlan: preview.createsPlan,
            isUnchanged: preview.isUnchanged, changes: CatalogueImportController.changeLines(preview),
            planHref: SiteRoute.plan(slug: preview.slug).href,
            parts: catalogue.parts.map { part in
                PreviewPartRow(
                    code: part.code, title: part.title, declared: part.declaredCount.map(String.init) ?? "—",
                    found: part.foundCount, mismatch: part.declaredCount.map { $0 != part.foundCount } ?? false)
            },
            findingCountText: findings.isEmpty
                ? "Không có phát hiện nào."
                : "\(findings.count) phát hiện (\(errors) lỗi, \(warnings) cảnh báo, \(findings.count - errors - warnings) thông tin). "
                    + "Dữ liệu vẫn được nạp đầy đủ như văn bản ghi; các phát hiện được lưu kèm kế hoạch.",
            findings: findings.map {
                FindingRowModel(
                    line: $0.line == 0 ? "—" : String($0.line), severity: $0.severity.vietnamese,
                    severityCode: $0.severity.rawValue, code: $0.code.rawValue, message: $0.message)
            },
            rows: shown.map { CatalogueImportController.row($0, findings: findings) },
            rowsText: shown.count < catalogue.assignments.count
                ? "\(shown.count) trong số \(catalogue.assignments.count) dòng; các dòng còn lại xem trong danh mục sau khi nạp."
                : "Tất cả \(catalogue.assignments.count) dòng.",
            confirmAction: SiteRoute.catalogueImportConfirm.href, fileData: Data(bytes).base64EncodedString(),
            givenNumber: given.number, seal: seal, againHref: SiteRoute.catalogueImport.href)
        page.givenDate = given.date
        page.givenIssuer = given.issuer
        page.givenKind = given.kind
        page.givenTarget = given.target
        page.givenMissing = given.missing
        page.givenTask = given.task
        page.isImplementation = preview.implements != nil
        if let amendment = preview.amendment {
            page.isAmendment = true
            page.number = amendment.number
            page.dateText = amendment.issuedOn.vietnameseShort
            page.fieldChanges = preview.changeDetails.map {
                AmendmentChangeRow(
                    code: $0.code, field: $0.field, before: $0.before.isEmpty ? "(trống)" : $0.before,
                    after: $0.after.isEmpty ? "(trống)" : $0.after)
            }
        }
        return page
    }

    static func row(_ assignment: Catalogue.Assignment, findings: [Finding] = []) -> PreviewAssignmentRow {
        func names(_ references: [AgencyReference], _ text: String) -> String {
            references.isEmpty ? text : references.map(\.name).joined(separator: "; ")
        }
        var row = PreviewAssignmentRow(
            code: assignment.code, isSub: assignment.isSubAssignment, title: assignment.title,
            lead: names(assignment.lead, assignment.leadText),
            coordinators: names(assignment.coordinators, assignment.coordinatorsText),
            deadlineText: assignment.deadline.text.isEmpty ? "—" : assignment.deadline.text,
            deadlineMeaning: dueText(assignment.deadline), deadlineUnknown: assignment.deadline.kind == .unknown,
            output: assignment.output)
        // A scanned copy's doubts, beside the cell they concern.
        for finding in findings where finding.code == .recognitionConfidence && finding.line == assignment.line {
            let note = "⚠ đối chiếu bản giấy" + (finding.confidence.map { $0 > 0 ? ": độ tin cậy \($0)%" : "" } ?? "")
            let column = VietnameseText.folded(finding.column ?? "")
            if column == "tt" || column == "stt" || column.hasPrefix("so tt") {
                row.codeCheck = note
            } else if column.contains("chu tri") {
                row.leadCheck = note
            } else if column.contains("phoi hop") {
                row.coordinatorsCheck = note
            } else if column.contains("thoi gian") || column.contains("thoi han") {
                row.deadlineCheck = note
            } else if column.contains("noi dung") || column.contains("nhiem vu") || column.contains("ten") {
                row.titleCheck = note
            } else {
                row.outputCheck = note
            }
        }
        return row
    }

    /// What a deadline was understood as, briefly: "hạn 31/10/2025", "hằng năm, kỳ đầu hạn 31/12/2025".
    static func dueText(_ deadline: Deadline) -> String {
        switch deadline.form {
        case .recurring(let cadence?, _):
            let every =
                switch cadence {
                case .monthly: "hằng tháng"
                case .quarterly: "hằng quý"
                case .halfYearly: "6 tháng một lần"
                case .yearly: "hằng năm"
                }
            return "\(every), kỳ đầu hạn \(deadline.due?.vietnameseShort ?? "—")"
        case .recurring(nil, _): return "thường xuyên, không có hạn cuối"
        case .external: return "theo cơ quan khác: chưa có hạn"
        case .none: return "không ghi thời hạn"
        case .unknown: return "chưa hiểu được; giữ nguyên văn bản"
        default: return deadline.due.map { "hạn \($0.vietnameseShort)" } ?? ""
        }
    }

    static func actionText(_ preview: CataloguePreview) -> String {
        if let (plan, task) = preview.implements, preview.existing == nil {
            return "Sẽ tạo kế hoạch triển khai \(preview.number) với \(preview.catalogue.assignments.count) dòng nhiệm vụ, "
                + "thực hiện nhiệm vụ \(task.code) “\(task.title)” của \(plan.number); mỗi nhiệm vụ của kế hoạch được liên kết "
                + "với nhiệm vụ đó và đơn vị quản lý kế hoạch này."
        }
        if let amendment = preview.amendment, let plan = preview.existing {
            if preview.isUnchanged {
                return preview.amendmentKnown
                    ? "Quyết định \(amendment.number) đã được nạp cho kế hoạch \(plan.number): nạp lại không thay đổi gì."
                    : "Tệp không bổ sung, điều chỉnh hay bãi bỏ nhiệm vụ nào của kế hoạch \(plan.number)."
            }
            if preview.amendmentKnown {
                return "Quyết định \(amendment.number) đã được nạp cho kế hoạch \(plan.number) với nội dung khác tệp này: "
                    + "nạp sẽ bị từ chối."
            }
            return "Sẽ điều chỉnh kế hoạch \(plan.number) theo Quyết định số \(amendment.number) ngày "
                + "\(amendment.issuedOn.vietnameseShort): nội dung cũ được giữ lại, số liệu trước ngày này vẫn theo nội dung cũ; "
                + "báo cáo tiến độ đã có được giữ nguyên."
        }
        guard let plan = preview.existing else {
            return
                "Sẽ tạo kế hoạch mới \(preview.number) (mã \(preview.slug)) với \(preview.catalogue.assignments.count) dòng nhiệm vụ."
        }
        if preview.isUnchanged {
            return "Kế hoạch \(plan.number) đã có và giống hệt tệp này: nạp lại không thay đổi gì."
        }
        return
            "Sẽ cập nhật kế hoạch đã có \(plan.number) (nạp từ tệp “\(plan.sourceName)”, \(plan.assignmentCount) dòng nhiệm vụ) theo mã nhiệm vụ; "
            + "báo cáo tiến độ đã có được giữ nguyên."
    }

    static func changeLines(_ preview: CataloguePreview) -> [String] {
        guard preview.existing != nil else { return [] }
        var lines: [String] = []
        if preview.amendment != nil {
            if !preview.added.isEmpty { lines.append("Bổ sung \(preview.added.count) nhiệm vụ: \(list(preview.added)).") }
            for change in preview.changed.prefix(30) {
                lines.append("\(change.code): điều chỉnh \(change.fields.joined(separator: ", ")).")
            }
            if preview.changed.count > 30 { lines.append("… và \(preview.changed.count - 30) nhiệm vụ khác được điều chỉnh.") }
            if !preview.ended.isEmpty {
                lines.append(
                    "Bãi bỏ \(preview.ended.count) nhiệm vụ: \(list(preview.ended)); báo cáo đã có được giữ.")
            }
            return lines
        }
        if !preview.planChanges.isEmpty {
            lines.append("Thông tin kế hoạch thay đổi: \(preview.planChanges.joined(separator: ", ")).")
        }
        if !preview.added.isEmpty {
            lines.append("Thêm \(preview.added.count) nhiệm vụ: \(list(preview.added)).")
        }
        for change in preview.changed.prefix(30) {
            lines.append("\(change.code): đổi \(change.fields.joined(separator: ", ")).")
        }
        if preview.changed.count > 30 { lines.append("… và \(preview.changed.count - 30) nhiệm vụ khác thay đổi.") }
        if !preview.missing.isEmpty {
            lines.append(
                "\(preview.missing.count) nhiệm vụ không còn trong tệp nhưng vẫn được giữ nguyên (không xóa): \(list(preview.missing))."
            )
        }
        if !preview.keptAmended.isEmpty {
            lines.append(
                "\(preview.keptAmended.count) nhiệm vụ đã được sửa đổi bằng quyết định khác: giữ nội dung đã sửa đổi (\(list(preview.keptAmended)))."
            )
        }
        return lines
    }

    private static func list(_ codes: [String]) -> String {
        codes.count <= 20 ? codes.joined(separator: ", ") : codes.prefix(20).joined(separator: ", ") + "…"
    }

    static func formatName(_ format: CatalogueFormat) -> String {
        switch format {
        case .xlsx: "bảng tính Excel (XLSX)"
        case .docx: "văn bản Word (DOCX)"
        case .csv: "CSV"
        case .tsv: "TSV"
        case .markdown: "Markdown"
        case .html: "HTML"
        case .pdfText, .auto: "văn bản trích từ PDF"
        }
    }

    // MARK: Checks

    /// The name as uploaded, without a folder (some browsers send one) and at most 200 characters.
    static func fileName(_ raw: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let name = VietnameseText.collapsingWhitespace(last)
        return String(name.prefix(200))
    }

    /// Why a file is refused before reading it, or nil.
    /// A file is told by its content, not its name (a Word file saved as "phu-luc" or "PL.DOC" is
    /// read as one); only its size is checked here.
    static func refusal(name: String, size: Int) -> String? {
        guard size <= maximumFileBytes else {
            return "Tệp “\(name)” nặng \(Reporting.megabytes(size)), vượt giới hạn \(maximumFileBytes >> 20) MB của một danh mục."
        }
        guard size > 0 else { return "Tệp “\(name)” rỗng: không có nội dung nào để đọc." }
        return nil
    }

    static func message(_ error: CatalogueImporter.ImportError, fileName: String) -> String {
        switch error {
        case .unreadable(let reason): "Không đọc được tệp “\(fileName)” như một danh mục nhiệm vụ. \(reason.message)"
        case .noNumber:
            "Tệp “\(fileName)” không ghi số hiệu văn bản giao nhiệm vụ (ví dụ “kèm theo Quyết định số 343-QĐ/TU …” ở đầu tệp). "
                + "Hãy nhập số hiệu vào ô “Số hiệu văn bản” rồi đọc lại."
        }
    }

    /// HMAC-SHA256 of what the confirmation will import, keyed by the session's CSRF token: the
    /// confirmation imports exactly the file that was previewed, in the same session.
    static func seal(_ bytes: [UInt8], fileName: String, given: GivenHeading, key: String) -> String {
        var content = SHA256()
        content.update(bytes)
        // The date and issuer are sealed only when typed, so a preview made before they existed still confirms.
        var extra = given.date.isEmpty && given.issuer.isEmpty ? "" : "\(given.date)\n\(given.issuer)\n"
        if given.amendment != nil { extra += "amendment\n\(given.target)\n\(given.missing)\n" }
        if given.kind == "implementation" { extra += "implementation\n\(given.task)\n" }
        let message = Array("theodoi catalogue import\n\(fileName)\n\(given.number)\n\(extra)".utf8) + content.finalize()
        return SHA256.hmacHex(key: Array(key.utf8), message: message)
    }
}

/// What the office typed on the import form for a document that does not say it: the number, the
/// date (dd/mm/yyyy) and the issuing body.
struct GivenHeading {
    var number = ""
    var date = ""
    var issuer = ""
    /// "amendment" for a decision amending the plan `target`; `missing` "end" ends the tasks the file does not list.
    var kind = ""
    var target = ""
    var missing = ""
    /// "343-qd-tu/A.17": the task an implementation plan implements.
    var task = ""

    init() {}

    init(number: String, date: String, issuer: String) {
        self.number = number
        self.date = date
        self.issuer = issuer
    }

    init(_ form: FormData) {
        number = form.text("number") ?? ""
        date = (form.text("date") ?? "").trimmingCharacters(in: .whitespaces)
        issuer = VietnameseText.collapsingWhitespace(form.text("issuer") ?? "")
        kind = ["amendment", "implementation"].contains(form.text("kind") ?? "") ? (form.text("kind") ?? "") : ""
        task = String((form.text("task") ?? "").trimmingCharacters(in: .whitespaces).prefix(200))
        target = String((form.text("target") ?? "").prefix(200))
        missing = form.text("missing") == "end" ? "end" : "keep"
    }

    /// What the office said of an amendment file; nil for a plan of its own.
    var amendment: AmendmentInput? {
        guard kind == "amendment" else { return nil }
        return AmendmentInput(
            plan: target, number: number.isEmpty ? nil : number, issuedOn: parsedDate, endsMissing: missing == "end")
    }

    var parsedDate: LocalDate? { date.isEmpty ? nil : LocalDate(vietnamese: date) ?? LocalDate(iso: date) }

    /// Why what was typed cannot be used, or nil.
    var problem: String? {
        if !date.isEmpty, parsedDate == nil {
            return "Ngày ban hành “\(date)” không hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 03/09/2025."
        }
        if number.count > 60 || issuer.count > 200 { return "Số hiệu hoặc cơ quan ban hành quá dài." }
        return nil
    }
}
