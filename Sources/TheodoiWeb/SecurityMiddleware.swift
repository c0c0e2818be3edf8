import Foundation
import HTTPTypes
import Hummingbird
import TheodoiOperations
import TheodoiStore

/// Security headers on every response: a CSP with no inline script or style, no framing, no sniffing.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = SecurityHeadersMiddleware.contentSecurityPolicy
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "same-origin"
        if response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}

/// Names of the cookies theodoi sets.
enum CookieName {
    /// The session token (HttpOnly, SameSite=Lax).
    static let session = "theodoi_session"
    /// The double-submit CSRF token of forms shown before sign-in (HttpOnly, SameSite=Strict).
    static let csrf = "theodoi_csrf"
}

/// Finds who is asking: a bearer token on the API, else the session cookie. An invalid bearer
/// token is refused at once (401); an expired or unknown session cookie just means anonymous.
struct IdentityMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let accounts: Accounts
    /// A user's unread notifications, for the header's bell.
    let unread: @Sendable (UserRecord.ID) async throws -> Int
    let trustForwardedFor: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        var context = context
        if trustForwardedFor, let forwarded = request.headers[.xForwardedFor] {
            let first = forwarded.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if !first.isEmpty { context.address = String(first.prefix(64)) }
        }
        let isAPI = request.uri.path.hasPrefix("/api/")
        if isAPI, let authorization = request.headers[.authorization] {
            guard authorization.lowercased().hasPrefix("bearer ") else {
                throw WebError.unauthenticated(api: "the Authorization header must be `Bearer <token>`")
            }
            let token = authorization.dropFirst(7).trimmingCharacters(in: .whitespaces)
            guard let identity = try await accounts.identity(apiToken: token) else {
                throw WebError.unauthenticated(api: "the API token is unknown or has been revoked")
            }
            context.identity = identity
            return try await next(request, context)
        }
        if let token = request.cookies[CookieName.session]?.value, !token.isEmpty {
            context.identity = try await accounts.identity(sessionToken: token)
            // Pages show the bell's number; static files and posts do not need it.
            if let user = context.identity?.user, request.method == .get, !request.uri.path.hasPrefix("/static/") {
                context.unreadNotifications = try await unread(user.id)
            }
        }
        context.anonymousCSRF = request.cookies[CookieName.csrf]?.value
        return try await next(request, context)
    }
}

/// Checks the CSRF token of every form post (pages only; the API takes bearer tokens, never
/// cookies, for writes) and makes the parsed form available to the handler. A forged post gets
/// 403 and reaches no handler.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// The largest url-encoded form accepted.
    static let maximumFormBytes = 1 << 20
    /// The largest multipart body accepted (several files of at most 20 MB each).
    static let maximumUploadBytes = 100 << 20

    /// The boundary of a `multipart/form-data` request, nil for any other body.
    static func multipartBoundary(_ request: Request) -> String? {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data") else { return nil }
        return FormData.parameter("boundary", in: type)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        var request = request
        var context = context
        let method = request.method
        guard method != .get && method != .head else { return try await next(request, context) }
        if request.uri.path.hasPrefix("/api/") {
            guard context.identity != nil, context.identity?.sessionDigest == nil else {
                throw WebError.unauthenticated(api: "writes need `Authorization: Bearer <token>` (theodoi user token)")
            }
            return try await next(request, context)
        }
        if let boundary = CSRFMiddleware.multipartBoundary(request) {
            // The whole body arrives before anything is stored: an interrupted upload stores nothing.
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: CSRFMiddleware.maximumUploadBytes)
            } catch {
                throw WebError(
                    status: .contentTooLarge,
                    message: "Tệp gửi lên quá lớn: mỗi lần gửi tối đa 100 MB, mỗi tệp tối đa 20 MB. Không có gì được lưu.",
                    apiMessage: "multipart body larger than \(CSRFMiddleware.maximumUploadBytes) bytes")
            }
            do {
                context.form = try FormData(multipart: body, boundary: boundary)
            } catch {
                throw WebError.badRequest(
                    "Biểu mẫu gửi lên bị hỏng hoặc chưa gửi hết; không có gì được lưu. Hãy gửi lại.",
                    api: "malformed multipart body")
            }
        } else {
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: CSRFMiddleware.maximumFormBytes)
            } catch {
                throw WebError(
                    status: .contentTooLarge, message: "Biểu mẫu gửi lên quá lớn (tối đa 1 MB).",
                    apiMessage: "form larger than 1 MB")
            }
            context.form = FormData(String(buffer: body))
        }
        // A session's own token, or the double-submit cookie of forms shown before sign-in.
        let expected = [context.identity?.csrfToken, context.anonymousCSRF].compactMap { $0 }.filter { !$0.isEmpty }
        guard let sent = context.form["_csrf"], expected.contains(where: { CSRFMiddleware.equal(sent, $0) }) else {
            throw WebError(
                status: .forbidden,
                message:
                    "Biểu mẫu không hợp lệ hoặc đã hết hạn (thiếu mã chống giả mạo). Không có gì bị thay đổi; hãy tải lại trang rồi gửi lại.",
                apiMessage: "missing or wrong CSRF token")
        }
        return try await next(request, context)
    }

    /// Compares in time independent of where the strings differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}

/// Sends a user who must change a password chosen by an administrator to the change-password page first.
struct PasswordChangeGate: RouterMiddleware {
    typealias Context = AppRequestContext
    static let open: Set<String> = [SiteRoute.Pattern.password, SiteRoute.Pattern.signOut, SiteRoute.Pattern.stylesheet]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        guard let identity = context.identity, identity.user.mustChangePassword, identity.sessionDigest != nil,
            !PasswordChangeGate.open.contains(request.uri.path)
        else { return try await next(request, context) }
        return Responses.redirect(SiteRoute.password.href)
    }
}

extension HTTPField.Name {
    // Force-unwrapped constants: the names are fixed, valid tokens.
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
}
