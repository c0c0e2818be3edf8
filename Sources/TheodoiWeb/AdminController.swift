import Foundation
import HTTPTypes
import Hummingbird
import TheodoiCore
import TheodoiForms
import TheodoiOperations
import TheodoiStore
import TheodoiViews

/// Administration: users and API tokens, the agency directory, the audit log, plan publication.
struct AdminController: Sendable {
    let dependencies: WebDependencies
    var renderer: PageRenderer { dependencies.renderer }
    var accounts: Accounts { dependencies.accounts }

    func page(_ html: String, _ context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        Responses.html(renderer.personalize(html, viewer: context.viewer), status: status)
    }

    // MARK: Users

    func users(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.manageUsers)
        return try await usersPage(
            context, form: UserFormValues(), role: .officer, agency: nil, errors: .none, secret: nil, status: .ok)
    }

    func createUser(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.manageUsers)
        let form = context.form
        let values = UserFormValues(email: form["email"] ?? "", name: form["name"] ?? "")
        let agency = form.text("agency").flatMap(RequestNumber.id).map(AgencyRecord.ID.init)
        guard let role = form["role"].flatMap(Role.init(rawValue:)) else {
            return try await usersPage(
                context, form: values, role: .officer, agency: agency,
                errors: FormErrors([FieldProblem(field: "role", message: "Hãy chọn một vai trò trong danh sách.")]),
                secret: nil,
                status: .unprocessableContent)
        }
        do {
            let (user, password) = try await accounts.createUser(
                email: values.email, name: values.name, role: role, agencyID: agency, by: context.auditActor)
            let secret = SecretNotice(
                heading: "Đã tạo tài khoản \(user.email). Mật khẩu ban đầu (chỉ hiện một lần):", value: password,
                hint: "Hãy chuyển mật khẩu này cho người dùng qua kênh an toàn; họ phải đổi khi đăng nhập lần đầu.")
            return try await usersPage(
                context, form: UserFormValues(), role: .officer, agency: nil, errors: .none, secret: secret, status: .created)
        } catch let error as AccountError {
            return try await usersPage(
                context, form: values, role: role, agency: agency,
                errors: FormErrors(error.problems, heading: "Chưa tạo được người dùng"), secret: nil,
                status: .unprocessableContent)
        }
    }

    private func usersPage(
        _ context: AppRequestContext, form: UserFormValues, role: Role, agency: AgencyRecord.ID?, errors: FormErrors,
        secret: SecretNotice?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let agencies = try await dependencies.store.agencies()
        let names = Dictionary(agencies.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let rows = try await accounts.store.users().map { user in
            UserRowModel(
                name: user.name, email: user.email, roleName: user.role.vietnamese,
                agencyName: user.agencyID.flatMap { names[$0] } ?? "",
                disabled: user.disabled, mustChange: user.mustChangePassword, href: SiteRoute.user(id: user.id).href)
        }
        let page = UsersPage(
            layout: Layout(title: "Người dùng", section: "users"), csrf: context.csrfToken, users: rows,
            roles: AdminController.roleOptions(selected: role),
            agencies: AdminController.agencyOptions(agencies, selected: agency),
            form: form, errors: errors, secret: secret)
        return self.page(renderer.render(page), context, status: status)
    }

    func user(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.manageUsers)
        let user = try await requireUser(context)
        return try await userPage(context, user: user, errors: .none, notice: nil, secret: nil, status: .ok)
    }

    func updateUser(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.manageUsers)
        let user = try await requireUser(context)
        let form = context.form
        guard let role = form["role"].flatMap(Role.init(rawValue:)) else {
            return try await userPage(
                context, user: user,
                errors: FormErrors([FieldProblem(field: "role", message: "Hãy chọn một vai trò trong danh sách.")]), notice: nil,
                secret: nil,
                status: .unprocessableContent)
        }
        do {
            let updated = try await accounts.updateUser(
                user.id, name: form["name"] ?? "", role: role,
                agencyID: form.text("agency").flatMap(RequestNumber.id).map(AgencyRecord.ID.init),
                disabled: form["disabled"] == "1", by: context.auditActor)
            return try await userPage(context, user: updated, errors: .none, notice: "Đã lưu thay đổi.", secret: nil, status: .ok)
        } catch let error as AccountError {
            return try await userPage(
                context, user: user, errors: FormErrors(error.problems), notice: nil, secret: nil, status: .unprocessableContent)
        }
    }

    func resetPassword(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.manageUsers)
        let user = try await requireUser(context)
        guard context.form["confirm"] == "yes" else {
            let page = ConfirmPage(
                layout: Layout(title: "Đặt lại mật khẩu", section: "users"), csrf: context.csrfToken,
                backCrumb: "Tài khoản \(user.email)", backHref: SiteRoute.user(id: user.id).href, crumb: "Đặt lại mật khẩu",
                heading: "Đặt lại mật khẩu của \(user.name)?",
                lead: "Mật khẩu chỉ được đặt lại khi anh/chị bấm “Đặt lại mật khẩu”.",
                fields: [
                    Field(label: "Tài khoản", value: "\(user.name) · \(user.email)"),
                    Field(
                        label: "Sẽ xảy ra",
                        value:
                            "Mật khẩu hiện tại thôi dùng được; một mật khẩu ngẫu nhiên mới hiện một lần trên trang sau để anh/chị chuyển cho người dùng.\nMọi phiên đăng nhập của người này kết thúc ngay.\nKhi đăng nhập lại, họ phải đổi mật khẩu."
                    ),
                ], warning: "", action: SiteRoute.userResetPassword(id: user.id).href, hidden: [],
                confirmLabel: "Đặt lại mật khẩu", backLabel: "Quay lại tài khoản", danger: true)
            return self.page(renderer.render(page), context)
        }
        let (_, password) = try await accounts.resetPassword(user.id, by: context.auditActor)
        let secret = SecretNotice(
            heading: "Mật khẩu mới của \(user.email) (chỉ hiện một lần):", value: password,
            hint: "Mọi phiên đăng nhập của người này đã kết thúc; họ phải đổi mật khẩu khi đăng nhập lại.")
        return try await userPage(context, user: user, errors: .none, notice: nil, secret: secret, status: .ok)
    }

    func createToken(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.manageUsers)
        let user = try await requireUser(context)
        do {
            let (record, token) = try await accounts.createAPIToken(
                for: user, label: context.form["label"] ?? "", by: context.auditActor)
            let secret = SecretNotice(
                heading: "Mã truy cập API “\(record.label)” (chỉ hiện một lần; hệ thống chỉ lưu bản băm):", value: token,
                hint: "Gửi kèm mỗi yêu cầu: Authorization: Bearer <mã>. Thu hồi ngay nếu mã bị lộ.")
            return try await userPage(context, user: user, errors: .none, notice: nil, secret: secret, status: .created)
        } catch let error as AccountError {
            return try await userPage(
                context, user: user, errors: FormErrors(error.problems), notice: nil, secret: nil, status: .unprocessableContent)
        }
    }

    func revokeToken(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.manageUsers)
        guard let id = context.parameters.get("token").flatMap(RequestNumber.id).map(APITokenRecord.ID.init) else {
            throw WebError.notFound("Không có mã truy cập này.", api: "no such token")
        }
        var owner: UserRecord?
        for user in try await accounts.store.users()
        where try await accounts.store.apiTokens(user.id).contains(where: { $0.id == id }) {
            owner = user
        }
        guard let owner else { throw WebError.notFound("Không có mã truy cập này.", api: "no such token") }
        let revoked = try await accounts.store.revokeAPIToken(id, context.auditActor)
        return try await userPage(
            context, user: owner, errors: .none, notice: revoked ? "Đã thu hồi mã truy cập." : "Mã này đã được thu hồi trước đó.",
            secret: nil,
            status: .ok)
    }

    private func requireUser(_ context: AppRequestContext) async throws -> UserRecord {
        guard let id = context.parameters.get("user").flatMap(RequestNumber.id),
            let user = try await accounts.store.user(UserRecord.ID(id))
        else {
            throw WebError.notFound("Không có người dùng này.", api: "no such user")
        }
        return user
    }

    private func userPage(
        _ context: AppRequestContext, user: UserRecord, errors: FormErrors, notice: String?, secret: SecretNotice?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let agencies = try await dependencies.store.agencies()
        let tokens = try await accounts.store.apiTokens(user.id).map { token in
            TokenRowModel(
                label: token.label, prefix: token.prefix, createdText: AdminController.timeText(token.createdAt),
                revoked: token.revokedAt != nil, revokedText: token.revokedAt.map(AdminController.timeText) ?? "",
                revokeHref: SiteRoute.revokeToken(id: token.id).href)
        }
        let page = UserPage(
            layout: Layout(title: user.name, section: "users"), csrf: context.csrfToken, href: SiteRoute.user(id: user.id).href,
            name: user.name, email: user.email, createdText: AdminController.timeText(user.createdAt),
            roles: AdminController.roleOptions(selected: user.role),
            agencies: AdminController.agencyOptions(agencies, selected: user.agencyID), disabled: user.disabled, tokens: tokens,
            errors: errors, notice: notice, secret: secret)
        return self.page(renderer.render(page), context, status: status)
    }

    // MARK: Agency directory

    func directory(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.editAgencies)
        let query = QueryParameters(request.uri.query)["q"] ?? ""
        // The same rule as the plan's search: every word, in any order, in one of the agency's names.
        let words = SearchWords(query)
        let rows = try await dependencies.store.agencies().filter { agency in
            words.isEmpty || ([agency.name, agency.shortName] + agency.aliases).contains { words.matches($0) }
        }.map { agency in
            AgencyAdminRow(
                name: agency.name, shortName: agency.shortName, kindName: Models.kindLabel(agency.kind),
                aliasesText: agency.aliases.joined(separator: "; "), href: SiteRoute.directoryAgency(id: agency.id).href)
        }
        let page = AgencyDirectoryPage(layout: Layout(title: "Danh bạ cơ quan", section: "directory"), query: query, rows: rows)
        return self.page(renderer.render(page), context)
    }

    func agency(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.editAgencies)
        let agency = try await requireAgency(context)
        return try await agencyPage(
            context, agency: agency, form: nil, kind: agency.kind, errors: .none, notice: nil, status: .ok)
    }

    func updateAgency(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.editAgencies)
        let agency = try await requireAgency(context)
        let form = context.form
        let values = AgencyFormValues(
            name: form["name"] ?? "", shortName: form["shortName"] ?? "", aliases: form["aliases"] ?? "")
        let kind = form["kind"].flatMap(AgencyKind.init(rawValue:))
        var problems: [FieldProblem] = []
        if VietnameseText.collapsingWhitespace(values.name).isEmpty {
            problems.append(FieldProblem(field: "name", message: "Tên chính thức không được để trống."))
        }
        if VietnameseText.collapsingWhitespace(values.shortName).isEmpty {
            problems.append(FieldProblem(field: "shortName", message: "Tên ngắn không được để trống."))
        }
        if kind == nil { problems.append(FieldProblem(field: "kind", message: "Hãy chọn loại cơ quan trong danh sách.")) }
        guard problems.isEmpty, let kind else {
            return try await agencyPage(
                context, agency: agency, form: values, kind: kind ?? agency.kind, errors: FormErrors(problems), notice: nil,
                status: .unprocessableContent)
        }
        let aliases = values.aliases.split(whereSeparator: \.isNewline).map(String.init)
        do {
            let updated = try await dependencies.store.updateAgency(
                agency.id, AgencyChange(name: values.name, shortName: values.shortName, kind: kind, aliases: aliases),
                context.auditActor)
            return try await agencyPage(
                context, agency: updated, form: nil, kind: updated.kind, errors: .none, notice: "Đã lưu thay đổi.", status: .ok)
        } catch let error as CatalogueStoreError {
            return try await agencyPage(
                context, agency: agency, form: values, kind: kind, errors: FormErrors(messages: [error.description]), notice: nil,
                status: .unprocessableContent)
        }
    }

    func mergeAgency(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.editAgencies)
        let agency = try await requireAgency(context)
        guard let target = context.form.text("target").flatMap(RequestNumber.id).map(AgencyRecord.ID.init) else {
            return try await agencyPage(
                context, agency: agency, form: nil, kind: agency.kind,
                errors: FormErrors([FieldProblem(field: "target", message: "Hãy chọn cơ quan sẽ giữ lại.")]), notice: nil,
                status: .unprocessableContent)
        }
        do {
            let merged = try await dependencies.store.mergeAgencies(agency.id, target, context.auditActor)
            return try await agencyPage(
                context, agency: merged, form: nil, kind: merged.kind, errors: .none,
                notice: "Đã gộp “\(agency.name)” vào “\(merged.name)”. Mọi nhiệm vụ và người dùng của cơ quan cũ đã chuyển sang.",
                status: .ok)
        } catch let error as CatalogueStoreError {
            return try await agencyPage(
                context, agency: agency, form: nil, kind: agency.kind, errors: FormErrors(messages: [error.description]),
                notice: nil,
                status: .unprocessableContent)
        }
    }

    private func requireAgency(_ context: AppRequestContext) async throws -> AgencyRecord {
        guard let id = context.parameters.get("agency").flatMap(RequestNumber.id),
            let agency = try await dependencies.store.agencies().first(where: { $0.id.rawValue == id })
        else { throw WebError.notFound("Không có cơ quan này (có thể đã được gộp vào cơ quan khác).", api: "no such agency") }
        return agency
    }

    private func agencyPage(
        _ context: AppRequestContext, agency: AgencyRecord, form: AgencyFormValues?, kind: AgencyKind, errors: FormErrors,
        notice: String?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let others = try await dependencies.store.agencies().filter { $0.id != agency.id }
        let page = AgencyEditPage(
            layout: Layout(title: agency.name, section: "directory"), csrf: context.csrfToken,
            href: SiteRoute.directoryAgency(id: agency.id).href, name: agency.name,
            form: form
                ?? AgencyFormValues(
                    name: agency.name, shortName: agency.shortName, aliases: agency.aliases.joined(separator: "\n")),
            kinds: AgencyKind.allCases.map { Option(value: $0.rawValue, label: Models.kindLabel($0), selected: $0 == kind) },
            targets: others.map { Option(value: String($0.id.rawValue), label: $0.name, selected: false) }, errors: errors,
            notice: notice)
        return self.page(renderer.render(page), context, status: status)
    }

    // MARK: Audit log

    func audit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.readAudit)
        let parameters = QueryParameters(request.uri.query)
        let from = try parameters.isoDate("from")
        let to = try parameters.isoDate("to")
        let action = parameters["action"].flatMap { $0.isEmpty ? nil : $0 }
        if let action, AuditLabels.label(action) == nil {
            throw WebError.badRequest("Không có hành động “\(action)” trong nhật ký.", api: "unknown action \(action)")
        }
        let page = try parameters.page()
        let perPage = 50
        // The filter dates are Vietnamese calendar days; entries are stored in UTC (7 hours behind).
        let filter = AuditFilter(
            actor: parameters["actor"], action: action, from: from.map { AdminController.utcStart(of: $0) },
            to: to.map { AdminController.utcEnd(of: $0) }, limit: perPage,
            offset: RequestNumber.offset(page: page, perPage: perPage))
        let result = try await accounts.store.auditLog(filter)
        let rows = result.entries.map { entry in
            AuditRowModel(
                sequence: entry.sequence, atText: AdminController.timeText(entry.at), address: entry.address, actor: entry.actor,
                action: entry.action, actionLabel: AuditLabels.label(entry.action) ?? entry.action, subject: entry.subject,
                before: AuditLabels.visible(entry.before, action: entry.action),
                after: AuditLabels.visible(entry.after, action: entry.action))
        }
        let base: [(String, String)] = [
            ("actor", parameters["actor"] ?? ""), ("action", action ?? ""), ("from", from?.iso ?? ""), ("to", to?.iso ?? ""),
        ]
        let start = RequestNumber.offset(page: page, perPage: perPage)
        let shownFrom = result.total == 0 ? 0 : start + 1
        let head =
            page == 1 && filter.actor == nil && filter.action == nil && filter.from == nil && filter.to == nil
            ? result.entries.first : try await accounts.store.auditLog(AuditFilter(limit: 1)).entries.first
        let model = AuditLogPage(
            layout: Layout(title: "Nhật ký thay đổi", section: "audit"),
            integrity: AdminController.integrity(head: head, backups: await dependencies.backups(), now: Date()),
            filter: AuditFilterValues(actor: parameters["actor"] ?? "", from: from?.iso ?? "", to: to?.iso ?? ""),
            actions: AuditLabels.all.map { Option(value: $0.0, label: $0.1, selected: $0.0 == action) },
            resultText: "\(result.total) mục"
                + (result.total > 0 ? "; đang xem \(shownFrom)–\(start + rows.count)" : ""),
            entries: rows,
            previousHref: page > 1 ? SiteRoute.audit(query: base + [("page", String(page - 1))]).href : nil,
            nextHref: start + perPage < result.total ? SiteRoute.audit(query: base + [("page", String(page + 1))]).href : nil)
        return self.page(renderer.render(model), context)
    }

    /// The seal of the log and the state of scheduled backups, for the top of the audit page.
    static func integrity(head: AuditRecord?, backups: BackupOverview, now: Date) -> AuditIntegrity {
        let seal =
            head.map {
                "mục cuối số \($0.sequence), mã băm \($0.hash). Mã này in trên mỗi báo cáo đã ban hành và mỗi bản sao lưu."
            }
            ?? "nhật ký chưa có mục nào."
        guard let directory = backups.directory else {
            return AuditIntegrity(
                head: seal,
                backup: [
                    "Sao lưu tự động: chưa bật. Đặt BACKUP_DIR (thư mục) cho máy chủ để tự sao lưu; sao lưu tay bằng lệnh "
                        + "theodoi backup --output TỆP."
                ], warning: nil)
        }
        var lines = [
            "Sao lưu tự động mỗi \(backups.hours) giờ vào \(directory), giữ \(backups.keep) bản mới nhất (đang có \(backups.files.count))."
        ]
        var warning = backups.lastError.map { "Lần sao lưu gần nhất không thành: \($0)" }
        if let newest = backups.files.first {
            var text = "Bản gần nhất: \(newest.name), lúc \(timeText(newest.modified)), \(ReportController.size(newest.bytes))"
            if let manifest = newest.manifest {
                text += ", \(manifest.rowCount) dòng"
                if let head = manifest.auditHead { text += ", nhật ký đến mục số \(head.sequence)" }
            }
            lines.append(text + ".")
            if let written = try? Date(newest.modified, strategy: .iso8601),
                now.timeIntervalSince(written) > Double(backups.hours) * 7_200, warning == nil
            {
                warning = "Bản sao lưu gần nhất đã cũ hơn \(backups.hours * 2) giờ: kiểm tra máy chủ và thư mục sao lưu."
            }
        } else {
            lines.append("Chưa có bản sao lưu nào.")
        }
        return AuditIntegrity(head: seal, backup: lines, warning: warning)
    }

    // MARK: Publication

    func publish(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.require(.publishPlan)
        let slug = try context.parameters.require("plan")
        let publishing = context.form["published"] == "1"
        guard context.form["confirm"] == "yes" else {
            guard let plan = try await dependencies.store.plan(slug) else { throw PageController.noPlan(slug) }
            let heading = publishing ? "Công khai số liệu tổng hợp của kế hoạch?" : "Thôi công khai kế hoạch?"
            let label = publishing ? "Xác nhận công khai" : "Xác nhận thôi công khai"
            let page = ConfirmPage(
                layout: Layout(title: heading, section: "plans"), csrf: context.csrfToken, backCrumb: "Các kế hoạch",
                backHref: SiteRoute.plans.href, crumb: publishing ? "Công khai" : "Thôi công khai", heading: heading,
                lead: "Việc này chỉ được thực hiện khi anh/chị bấm “\(label)”, và được ghi vào nhật ký.",
                fields: [
                    Field(label: "Kế hoạch", value: "\(plan.number) · \(plan.title)"),
                    Field(
                        label: publishing ? "Ai sẽ xem được" : "Sẽ xảy ra",
                        value: publishing
                            ? "Mọi người, không cần đăng nhập: câu tổng hợp, số nhiệm vụ theo tình trạng của từng phần và dữ liệu mở (CSV, JSON) của kế hoạch.\nBáo cáo, ý kiến, tệp đính kèm, lý do trả lại và tên người dùng vẫn chỉ người đăng nhập xem được."
                            : "Khách không đăng nhập không xem được số liệu của kế hoạch nữa; địa chỉ công khai trả về trang đăng nhập."
                    ),
                ], warning: "", action: SiteRoute.publish(slug: slug).href,
                hidden: [.init(name: "published", value: publishing ? "1" : "0")], confirmLabel: label,
                backLabel: "Quay lại", danger: publishing)
            return self.page(renderer.render(page), context)
        }
        guard try await dependencies.store.setPlanPublished(slug, publishing, context.auditActor) != nil else {
            throw PageController.noPlan(slug)
        }
        return Responses.redirect(SiteRoute.plans.href + "?done=" + (publishing ? "published" : "unpublished"))
    }

    // MARK: Lifecycle

    var lifecycle: PlanLifecycle {
        PlanLifecycle(store: dependencies.store, reports: dependencies.periodicReports.reports, today: dependencies.today)
    }

    /// `POST /plans/{plan}/stage` (`to`: active or closed; `from`: the stage the form was made for):
    /// a page saying what will happen (closing: which issued report closes it; reopening: why), then
    /// the change on its button.
    func stage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let slug = try context.parameters.require("plan")
        guard let plan = try await dependencies.store.plan(slug) else { throw PageController.noPlan(slug) }
        let form = context.form
        guard let to = form["to"].flatMap(PlanStage.init(rawValue:)) else {
            throw WebError.badRequest("Không rõ trạng thái muốn chuyển tới.", api: "to must be draft, active or closed")
        }
        let from = form["from"].flatMap(PlanStage.init(rawValue:)) ?? plan.stage
        if from != plan.stage {
            throw ProgressRefusal(
                .conflict,
                "Trạng thái của kế hoạch vừa được người khác đổi thành “\(plan.stage.vietnamese.lowercased())”; hãy xem lại.",
                api: "the plan's stage changed meanwhile")
        }
        if let refusal = PlanLifecycle.refusal(from: from, to: to, role: identity.user.role) { throw refusal }
        let choices = to == .closed ? try await lifecycle.finalReportChoices(plan) : []
        let chosen = form["choice"].flatMap { Int($0) }.map(IssuedReportRecord.ID.init)
        let reason = form["reason"] ?? ""
        if form["confirm"] == "yes" {
            do {
                try await lifecycle.change(
                    slug: slug, from: from, to: to, finalReport: chosen, reason: reason, identity: identity,
                    actor: context.auditActor)
                let done = to == .closed ? "closed" : from == .closed ? "reopened" : "activated"
                return Responses.redirect(SiteRoute.plans.href + "?done=" + done)
            } catch let refusal as ProgressRefusal where refusal.kind == .invalid {
                return try stagePage(
                    plan, to: to, choices: choices, chosen: chosen, reason: reason, problem: refusal.message, context)
            }
        }
        if to == .closed, choices.isEmpty {
            throw ProgressRefusal(
                .conflict,
                "Kế hoạch chưa có báo cáo nào được ban hành: hãy ban hành báo cáo tổng kết (trang Báo cáo định kỳ của kế hoạch) trước, rồi kết thúc kế hoạch với báo cáo đó.",
                api: "the plan has no issued report; issue its final report first")
        }
        return try stagePage(plan, to: to, choices: choices, chosen: chosen, reason: reason, problem: "", context)
    }

    private func stagePage(
        _ plan: PlanRecord, to: PlanStage, choices: [IssuedReportRecord], chosen: IssuedReportRecord.ID?, reason: String,
        problem: String, _ context: AppRequestContext
    ) throws -> Response {
        let (heading, label, effect): (String, String, String) =
            switch (plan.stage, to) {
            case (.draft, .active):
                (
                    "Ban hành kế hoạch và bắt đầu theo dõi?", "Xác nhận ban hành",
                    "Các cơ quan thấy nhiệm vụ trong “Việc của tôi”, gửi được báo cáo và đề nghị gia hạn; nhắc việc bắt đầu được gửi theo thời hạn. Kế hoạch đã ban hành không trở lại dự thảo được."
                )
            case (_, .closed):
                (
                    "Kết thúc kế hoạch?", "Xác nhận kết thúc",
                    "Kế hoạch chỉ còn để xem: không nhận báo cáo, xem xét, gia hạn hay nạp lại danh mục; không nhắc việc; không còn trong “Việc của tôi” và bức tranh toàn tỉnh. Mọi báo cáo, quyết định và tệp vẫn được giữ nguyên."
                )
            default:
                (
                    "Mở lại kế hoạch đã kết thúc?", "Xác nhận mở lại",
                    "Kế hoạch trở lại trạng thái đang theo dõi: nhận báo cáo và nhắc việc như trước. Lý do được ghi vào nhật ký."
                )
            }
        var page = ConfirmPage(
            layout: Layout(title: heading, section: "plans"), csrf: context.csrfToken, backCrumb: "Các kế hoạch",
            backHref: SiteRoute.plans.href, crumb: to == .closed ? "Kết thúc" : plan.stage == .closed ? "Mở lại" : "Ban hành",
            heading: heading, lead: "Việc này chỉ được thực hiện khi anh/chị bấm “\(label)”, và được ghi vào nhật ký.",
            question: problem,
            fields: [
                Field(label: "Kế hoạch", value: "\(plan.number) · \(plan.title ?? "")"),
                Field(label: "Trạng thái", value: "\(plan.stage.vietnamese) → \(to.vietnamese)"),
                Field(label: "Sẽ xảy ra", value: effect),
            ], warning: "", action: SiteRoute.planStage(slug: plan.slug).href,
            hidden: [.init(name: "to", value: to.rawValue), .init(name: "from", value: plan.stage.rawValue)],
            confirmLabel: label, backLabel: "Quay lại", danger: to == .closed)
        if to == .closed {
            page.choiceLabel = "Báo cáo tổng kết (đã ban hành)"
            page.choices = choices.enumerated().map { index, report in
                Option(
                    value: String(report.id.rawValue),
                    label: "\(report.number) — \(report.title), ban hành ngày \(report.issuedOn.vietnameseShort)",
                    selected: chosen.map { $0 == report.id } ?? (index == 0))
            }
        }
        if plan.stage == .closed {
            page.reasonLabel = "Lý do mở lại"
            page.reason = reason
        }
        return self.page(renderer.render(page), context, status: problem.isEmpty ? .ok : .unprocessableContent)
    }

    // MARK: Formatting

    static func roleOptions(selected: Role) -> [Option] {
        Role.allCases.map { Option(value: $0.rawValue, label: $0.vietnamese, selected: $0 == selected) }
    }

    static func agencyOptions(_ agencies: [AgencyRecord], selected: AgencyRecord.ID?) -> [Option] {
        agencies.map { Option(value: String($0.id.rawValue), label: $0.name, selected: $0.id == selected) }
    }

    /// An ISO 8601 UTC time as Vietnamese local time: "29/11/2026 14:38".
    static func timeText(_ iso: String) -> String { VietnamTime(iso: iso)?.compact ?? iso }

    /// The UTC time at which a Vietnamese calendar day starts (00:00 UTC+7 is 17:00 UTC the day before).
    static func utcStart(of day: LocalDate) -> String {
        let previous = day.adding(days: -1)
        return "\(previous.iso)T17:00:00Z"
    }

    /// The UTC time just before the next Vietnamese day starts.
    static func utcEnd(of day: LocalDate) -> String { "\(day.iso)T16:59:59Z" }
}

/// Vietnamese names of the audit log's actions.
enum AuditLabels {
    /// Drafts belong to the agency writing them until sent (every other page keeps them so): the
    /// log records who saved a draft and when, but shows its text only once it is sent.
    static let draftActions: Set<String> = ["report.create", "report.update", "contribution.create", "contribution.update"]
    static let draftHidden = "(nội dung bản nháp chỉ đơn vị soạn thảo xem được; hiện ở mục “Gửi báo cáo” khi được gửi)"

    static func visible(_ value: String?, action: String) -> String {
        guard let value, !value.isEmpty else { return "" }
        return draftActions.contains(action) ? draftHidden : value
    }

    static let all: [(String, String)] = [
        ("session.sign-in", "Đăng nhập"), ("session.sign-in-failed", "Đăng nhập thất bại"),
        ("session.sign-in-throttled", "Đăng nhập bị tạm chặn"), ("session.sign-out", "Đăng xuất"),
        ("user.create", "Tạo người dùng"), ("user.update", "Sửa người dùng"), ("user.change-password", "Đổi mật khẩu"),
        ("user.reset-password", "Đặt lại mật khẩu"), ("token.create", "Tạo mã truy cập API"),
        ("token.revoke", "Thu hồi mã truy cập API"),
        ("agency.update", "Sửa cơ quan"), ("agency.merge", "Gộp cơ quan"), ("plan.import", "Nhập danh mục"),
        ("plan.reimport", "Nhập lại danh mục"), ("plan.publish", "Công khai kế hoạch"),
        ("plan.unpublish", "Thôi công khai kế hoạch"),
        ("report.create", "Lập báo cáo (nháp)"), ("report.update", "Sửa báo cáo (nháp)"), ("report.submit", "Gửi báo cáo"),
        ("report.accept", "Xác nhận báo cáo"), ("report.return", "Trả lại báo cáo"),
        ("contribution.create", "Lập ý kiến phối hợp (nháp)"), ("contribution.update", "Sửa ý kiến phối hợp (nháp)"),
        ("contribution.submit", "Gửi ý kiến phối hợp"), ("extension.request", "Đề nghị gia hạn"),
        ("extension.approve", "Đồng ý gia hạn"), ("extension.refuse", "Không đồng ý gia hạn"),
        ("deadline.set", "Xác định thời hạn"), ("demo.history", "Tạo diễn biến mẫu"),
        ("report.issue", "Ban hành báo cáo định kỳ"), ("report.settings", "Đặt thể thức báo cáo"),
        ("plan.correct-text", "Sửa lỗi chính tả của văn bản"),
    ]
    private static let byCode = Dictionary(all, uniquingKeysWith: { first, _ in first })

    static func label(_ action: String) -> String? { byCode[action] }
}
