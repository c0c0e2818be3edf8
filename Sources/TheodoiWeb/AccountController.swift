import Foundation
import HTTPTypes
import Hummingbird
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiViews

/// Signing in and out, and changing one's own password.
struct AccountController: Sendable {
    let dependencies: WebDependencies
    var renderer: PageRenderer { dependencies.renderer }
    var accounts: Accounts { dependencies.accounts }

    func signInPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let parameters = QueryParameters(request.uri.query)
        let next = AccountController.safeNext(parameters["next"])
        if context.identity?.sessionDigest != nil { return Responses.redirect(next ?? "/") }
        let notice = parameters["signedOut"] != nil ? "Bạn đã đăng xuất." : nil
        return try await signInResponse(
            request, context, email: "", next: next, error: nil, notice: notice, status: .ok)
    }

    func signIn(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let email = context.form["email"] ?? ""
        let password = context.form["password"] ?? ""
        let next = AccountController.safeNext(context.form["next"])
        guard !email.isEmpty, !password.isEmpty else {
            return try await signInResponse(
                request, context, email: email, next: next, error: "Hãy nhập cả thư điện tử và mật khẩu.", notice: nil,
                status: .unprocessableContent)
        }
        switch try await accounts.signIn(email: email, password: password, address: context.address) {
        case .signedIn(let token, let identity):
            // A forced password change first, then on to the page the user was going to.
            var response = Responses.redirect(
                identity.user.mustChangePassword
                    ? SiteRoute.password.href + SiteRoute.queryString([("next", next ?? "/")]) : (next ?? "/"))
            response.setCookie(
                Cookie(
                    name: CookieName.session, value: token, maxAge: Int(accounts.sessionLifetime), path: "/",
                    secure: secure(request), httpOnly: true, sameSite: .lax))
            // The pre-sign-in form token has done its job; signed-in forms carry the session's own.
            response.setCookie(
                Cookie(
                    name: CookieName.csrf, value: "", maxAge: 0, path: "/", secure: secure(request), httpOnly: true,
                    sameSite: .strict))
            return response
        case .refused:
            return try await signInResponse(
                request, context, email: email, next: next, error: "Thư điện tử hoặc mật khẩu không đúng.", notice: nil,
                status: .unauthorized)
        case .disabled:
            return try await signInResponse(
                request, context, email: email, next: next,
                error: "Tài khoản này đã bị khóa. Hãy liên hệ quản trị hệ thống nếu bạn cần dùng lại.", notice: nil,
                status: .forbidden)
        case .throttled(let seconds):
            let wait = seconds < 90 ? "\(seconds) giây" : "\((seconds + 59) / 60) phút"
            var response = try await signInResponse(
                request, context, email: email, next: next,
                error: "Đăng nhập sai nhiều lần liền. Vì an toàn, hãy chờ \(wait) rồi thử lại.", notice: nil,
                status: .tooManyRequests)
            response.headers[.retryAfter] = String(seconds)
            return response
        }
    }

    func signOut(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let identity = context.identity { try await accounts.signOut(identity, address: context.address) }
        var response = Responses.redirect(SiteRoute.signIn().href + "?signedOut=1")
        response.setCookie(
            Cookie(
                name: CookieName.session, value: "", maxAge: 0, path: "/", secure: secure(request), httpOnly: true, sameSite: .lax
            ))
        return response
    }

    func passwordPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let next = AccountController.safeNext(QueryParameters(request.uri.query)["next"])
        return passwordResponse(context, identity: identity, done: false, errors: .none, status: .ok, next: next)
    }

    func changePassword(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let identity = try context.signedIn()
        let next = AccountController.safeNext(context.form["next"])
        do {
            try await accounts.changePassword(
                identity, current: context.form["current"] ?? "", new: context.form["new"] ?? "",
                confirmation: context.form["confirmation"] ?? "", address: context.address)
        } catch let error as AccountError {
            return passwordResponse(
                context, identity: identity, done: false, errors: FormErrors(error.problems, heading: "Chưa đổi được mật khẩu"),
                status: .unprocessableContent, next: next)
        }
        // A forced change done: on to the page the user was going to.
        if identity.user.mustChangePassword, let next {
            return Responses.redirect(next)
        }
        var changed = identity
        changed.user.mustChangePassword = false
        return passwordResponse(context, identity: changed, done: true, errors: .none, status: .ok)
    }

    // MARK: Helpers

    private func passwordResponse(
        _ context: AppRequestContext, identity: Identity, done: Bool, errors: FormErrors, status: HTTPResponse.Status,
        next: String? = nil
    )
        -> Response
    {
        let page = PasswordPage(
            layout: Layout(title: "Đổi mật khẩu", section: "account"), csrf: context.csrfToken, email: identity.user.email,
            forced: identity.user.mustChangePassword, done: done, errors: errors, minimumLength: PasswordPolicy.minimumLength,
            next: next ?? "")
        return Responses.html(renderer.personalize(renderer.render(page), viewer: context.viewer), status: status)
    }

    private func signInResponse(
        _ request: Request, _ context: AppRequestContext, email: String, next: String?, error: String?, notice: String?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        // The double-submit token of the sign-in form: reuse the browser's, or issue one.
        let existing = context.anonymousCSRF.flatMap { $0.isEmpty ? nil : $0 }
        let csrf = existing ?? SecureToken.make()
        let published = try await dependencies.store.plans().filter(\.published).map {
            PublicPlanLink(number: $0.number, title: $0.title ?? "", href: SiteRoute.plan(slug: $0.slug).href)
        }
        let page = SignInPage(
            layout: Layout(title: "Đăng nhập", section: "sign-in"), csrf: csrf, email: email, next: next ?? "", error: error,
            notice: notice, publicPlans: published)
        var response = Responses.html(
            renderer.personalize(renderer.render(page), viewer: ViewerModel(signedIn: false)), status: status)
        if existing == nil {
            response.setCookie(
                Cookie(name: CookieName.csrf, value: csrf, path: "/", secure: secure(request), httpOnly: true, sameSite: .strict))
        }
        return response
    }

    /// Whether cookies get the Secure flag: configured, or the request came through TLS at a proxy.
    private func secure(_ request: Request) -> Bool {
        dependencies.secureCookies || request.headers[.xForwardedProto]?.lowercased() == "https"
    }

    /// A local path to return to after signing in; anything else (another site, a scheme) is dropped.
    /// Browsers strip tabs and line breaks from URLs and read `\\` as `/`, so `/\t/evil.example`
    /// would leave the site: any control character, white space or backslash refuses the path.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.utf8.count < 2_000, next.hasPrefix("/"), !next.hasPrefix("//"),
            !next.unicodeScalars.contains(where: {
                $0.value < 0x21 || $0.value == 0x7F || $0 == "\\" || $0.properties.isWhitespace
            }),
            next != SiteRoute.Pattern.signIn
        else { return nil }
        return next
    }
}
