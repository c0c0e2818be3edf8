import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TheodoiCore
import TheodoiForms
import TheodoiOperations
import TheodoiStore

/// Security headers on every response: a CSP with no inline script or style, no framing, no sniffing.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    /// Uploaded and issued files: nothing runs, nothing loads, no framing, opened in a sandbox.
    static let downloadPolicy = "default-src 'none'; frame-ancestors 'none'; sandbox"
    /// Issued print pages keep their inline styles, still in a sandbox.
    static let issuedPagePolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        var response = try await next(request, context)
        // A download sets its own, stricter policy (a sandbox); pages get the site's.
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = SecurityHeadersMiddleware.contentSecurityPolicy
        }
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "same-origin"
        if response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-store"
        }
        // The id every log line of this request carries (Hummingbird's), so a user's report of a
        // failure can be found in the log.
        if let id = context.requestID { response.headers[.xRequestID] = id }
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
    /// What waits for the office, per plan (most first): the office's header shows the total.
    var waiting: @Sendable () async throws -> [(slug: String, count: Int)] = { [] }
    let trustForwardedFor: Bool

    /// The client's address as the trusted reverse proxy saw it: the **last** `X-Forwarded-For`
    /// entry, the one the proxy appended. Earlier entries are whatever the client sent and prove
    /// nothing. Nil (the socket's address is kept) when that entry is not an IP address.
    static func forwardedAddress(_ headers: [String]) -> String? {
        guard let last = headers.joined(separator: ",").split(separator: ",").last else { return nil }
        let address = last.trimmingCharacters(in: .whitespaces)
        guard (2...45).contains(address.utf8.count),
            address.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit || $0 == "." || $0 == ":" }),
            address.contains(".") || address.contains(":")
        else { return nil }
        return address
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        var context = context
        if trustForwardedFor, let address = IdentityMiddleware.forwardedAddress(request.headers[values: .xForwardedFor]) {
            context.address = address
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
                if user.role == .monitor || user.role == .admin {
                    let plans = try await waiting()
                    if let first = plans.first { context.waiting = (plans.reduce(0) { $0 + $1.count }, first.slug) }
                }
            }
        }
        context.anonymousCSRF = request.cookies[CookieName.csrf]?.value
        return try await next(request, context)
    }
}

/// What a route may be sent, decided from its path before a byte of the body is read: files
/// (`multipart/form-data`) only where a form takes files, and every body within a limit.
enum BodyPolicy: Equatable {
    /// A url-encoded form (or, on the API, JSON) of at most this many bytes.
    case form(maximumBytes: Int)
    /// Files as `multipart/form-data` (or a url-encoded form) of at most this many bytes.
    case upload(maximumBytes: Int)

    /// The largest url-encoded form a signed-in user may post.
    static let maximumFormBytes = 1 << 20
    /// The largest form a visitor who has not signed in may post (the sign-in form is a few hundred bytes).
    static let maximumAnonymousFormBytes = 16 << 10
    /// The largest upload of files (several files of at most 20 MB each).
    static let maximumUploadBytes = 100 << 20
    /// The largest catalogue upload: the file (10 MB), or on confirmation its base64 with the form.
    static let maximumCatalogueBytes = 16 << 20

    /// The policy of a path: uploads on the report and contribution forms, the catalogue import and
    /// the API's attachments; a small form everywhere else.
    static func forPath(_ path: String, signedIn: Bool) -> BodyPolicy {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let parts = Array(segments)
        switch parts.count {
        case 2 where parts[0] == "catalogues" && parts[1] == "import",
            3 where parts[0] == "catalogues" && parts[1] == "import" && parts[2] == "confirm":
            return .upload(maximumBytes: maximumCatalogueBytes)
        case 5 where parts[0] == "plans" && parts[2] == "assignments" && (parts[4] == "report" || parts[4] == "contribution"):
            return .upload(maximumBytes: maximumUploadBytes)
        case 5 where parts[0] == "api" && parts[1] == "v1" && parts[2] == "reports" && parts[4] == "attachments":
            return .upload(maximumBytes: maximumUploadBytes)
        default:
            return .form(maximumBytes: signedIn ? maximumFormBytes : maximumAnonymousFormBytes)
        }
    }

    var maximumBytes: Int {
        switch self {
        case .form(let bytes), .upload(let bytes): bytes
        }
    }

    /// Refuses at once a body whose declared length passes the limit.
    func checkDeclaredLength(_ request: Request) throws {
        guard let declared = request.headers[.contentLength].flatMap({ RequestNumber.parse($0, in: 0...Int.max) }) else {
            return
        }
        if declared > maximumBytes { throw BodyPolicy.tooLarge(self) }
    }

    static func tooLarge(_ policy: BodyPolicy) -> WebError {
        switch policy {
        case .upload(let bytes):
            WebError(
                status: .contentTooLarge,
                message:
                    "Tệp gửi lên quá lớn: mỗi lần gửi tối đa \(bytes >> 20) MB, mỗi tệp tối đa 20 MB. Không có gì được lưu.",
                apiMessage: "body larger than \(bytes) bytes; each file may be at most 20 MB")
        case .form(let bytes):
            WebError(
                status: .contentTooLarge,
                message: "Biểu mẫu gửi lên quá lớn (tối đa \(bytes >= 1 << 20 ? "\(bytes >> 20) MB" : "\(bytes >> 10) KB")).",
                apiMessage: "body larger than \(bytes) bytes")
        }
    }

    static let notMultipart = WebError(
        status: .unsupportedMediaType, message: "Trang này không nhận tệp gửi lên.",
        apiMessage: "this route does not take multipart/form-data")
}

/// Checks the CSRF token of every form post (pages only; the API takes bearer tokens, never
/// cookies, for writes) and makes the parsed form available to the handler. Bodies are limited by
/// route before they are read; a multipart body is read only for a signed-in user, and only past
/// its first part once that part (`_csrf`, first in every form that takes files) holds the session's
/// token. A forged post gets 403 and reaches no handler.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// The most bytes read of a multipart body to find its first part, the CSRF token.
    static let maximumLeadingBytes = 64 << 10

    /// The boundary of a `multipart/form-data` request, nil for any other body.
    static func multipartBoundary(_ request: Request) -> String? {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data") else { return nil }
        return HeaderParameter.value("boundary", in: type)
    }

    static func isMultipart(_ request: Request) -> Bool {
        request.headers[.contentType]?.lowercased().hasPrefix("multipart/form-data") ?? false
    }

    static let forged = WebError(
        status: .forbidden,
        message:
            "Biểu mẫu không hợp lệ hoặc đã hết hạn (thiếu mã chống giả mạo). Không có gì bị thay đổi; hãy tải lại trang rồi gửi lại.",
        apiMessage: "missing or wrong CSRF token")

    static let malformedMultipart = WebError.badRequest(
        "Biểu mẫu gửi lên bị hỏng hoặc chưa gửi hết; không có gì được lưu. Hãy gửi lại.", api: "malformed multipart body")

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        var request = request
        var context = context
        // Only methods that change something carry a body to check; others go on (and get 405 when the path does not take them).
        guard [.post, .put, .patch, .delete].contains(request.method) else { return try await next(request, context) }
        let policy = BodyPolicy.forPath(request.uri.path, signedIn: context.identity != nil)
        try policy.checkDeclaredLength(request)
        if request.uri.path.hasPrefix("/api/") {
            guard context.identity != nil, context.identity?.sessionDigest == nil else {
                throw WebError.unauthenticated(api: "writes need `Authorization: Bearer <token>` (theodoi user token)")
            }
            if CSRFMiddleware.isMultipart(request), case .form = policy { throw BodyPolicy.notMultipart }
            return try await next(request, context)
        }
        // A signed-in user's forms carry the session's token; the double-submit cookie is only for
        // the forms shown before sign-in (the sign-in form itself).
        let expected = context.identity.map { $0.csrfToken ?? "" } ?? context.anonymousCSRF ?? ""
        if CSRFMiddleware.isMultipart(request) {
            guard case .upload(let limit) = policy else { throw BodyPolicy.notMultipart }
            guard context.identity != nil else { throw CSRFMiddleware.forged }
            guard let boundary = CSRFMiddleware.multipartBoundary(request), MultipartParser.isValidBoundary(boundary) else {
                throw CSRFMiddleware.malformedMultipart
            }
            // The whole body arrives before anything is stored: an interrupted upload stores nothing.
            let bytes = try await CSRFMiddleware.collectMultipart(
                &request, boundary: boundary, limit: limit, expectedToken: expected, policy: policy)
            do {
                context.form = try FormData(multipart: bytes, boundary: boundary)
            } catch {
                throw CSRFMiddleware.malformedMultipart
            }
        } else {
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: policy.maximumBytes)
            } catch {
                throw BodyPolicy.tooLarge(policy)
            }
            context.form = FormData(String(decoding: body.readableBytesView, as: UTF8.self))
        }
        guard !expected.isEmpty, let sent = context.form["_csrf"], CSRFMiddleware.equal(sent, expected) else {
            throw CSRFMiddleware.forged
        }
        return try await next(request, context)
    }

    /// Reads a multipart body within `limit`, refusing it as soon as its first part is complete and
    /// is not the `_csrf` field with the expected token (at most `maximumLeadingBytes` are read for that).
    static func collectMultipart(
        _ request: inout Request, boundary: String, limit: Int, expectedToken: String, policy: BodyPolicy
    ) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        var checked = false
        for try await buffer in request.body {
            guard buffer.readableBytes <= limit - bytes.count else { throw BodyPolicy.tooLarge(policy) }
            bytes.append(contentsOf: buffer.readableBytesView)
            if !checked {
                let leading: MultipartParser.Leading
                do {
                    leading = try MultipartParser.leadingPart(Array(bytes.prefix(maximumLeadingBytes)), boundary: boundary)
                } catch {
                    throw malformedMultipart
                }
                switch leading {
                case .needMore:
                    if bytes.count >= maximumLeadingBytes { throw forged }
                case .part(let part):
                    guard part.name == "_csrf", part.fileName == nil, !expectedToken.isEmpty,
                        equal(String(decoding: part.body, as: UTF8.self), expectedToken)
                    else { throw forged }
                    checked = true
                }
            }
        }
        guard checked else { throw malformedMultipart }
        var buffer = ByteBuffer()
        buffer.writeBytes(bytes)
        request.body = .init(buffer: buffer)
        return bytes
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
        // After the change, on to the page the user was going to.
        let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        guard request.method == .get, let next = AccountController.safeNext(target) else {
            return Responses.redirect(SiteRoute.password.href)
        }
        return Responses.redirect(SiteRoute.password.href + SiteRoute.queryString([("next", next)]))
    }
}

extension HTTPField.Name {
    // Force-unwrapped constants: the names are fixed, valid tokens.
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let xRealIP = HTTPField.Name("X-Real-IP")!
    static let forwarded = HTTPField.Name("Forwarded")!
    static let xRequestID = HTTPField.Name("X-Request-Id")!
}
