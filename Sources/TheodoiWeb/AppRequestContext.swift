import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore
import TheodoiForms
import TheodoiOperations

/// The request context of every route: who is asking, from where, and the form they posted.
public struct AppRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in user (session cookie) or the API token's user; nil for anonymous visitors.
    public var identity: Identity?
    /// The client's address as the server saw it (or as a trusted proxy reported it).
    public var address: String
    /// The url-encoded form of a POST, read and CSRF-checked by `CSRFMiddleware`.
    var form: FormData
    /// The CSRF token an anonymous form must carry (the double-submit cookie's value).
    var anonymousCSRF: String?
    /// The signed-in user's unread notifications (the bell's number), read for pages only.
    var unreadNotifications = 0
    /// For the office's pages: what waits for it, and in which plan's queue most.
    var waiting: (count: Int, slug: String)?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        address = source.channel.remoteAddress?.ipAddress ?? "unknown"
        form = FormData()
        anonymousCSRF = nil
    }

    /// The id Hummingbird puts on every log line of this request, returned as `X-Request-Id` and
    /// shown on error pages.
    var requestID: String? { logger[metadataKey: "hb.request.id"]?.description }

    /// The CSRF token forms on this response must carry.
    var csrfToken: String { identity?.csrfToken ?? anonymousCSRF ?? "" }
}

/// A posted form (url-encoded or multipart): its fields and, for multipart, its files.
struct FormData: Sendable {
    private var values: [String: [String]] = [:]
    /// Uploaded files with the field they came in, in order (empty file inputs are left out).
    private(set) var files: [(field: String, file: UploadedFile)] = []

    init() {}

    /// A `multipart/form-data` body; throws when it is not well formed or was cut short.
    init(multipart body: [UInt8], boundary: String) throws(MultipartError) {
        for part in try MultipartParser.parse(body, boundary: boundary) {
            guard let name = part.name else { continue }
            if let fileName = part.fileName {
                if fileName.isEmpty && part.body.isEmpty { continue }
                files.append((name, UploadedFile(fileName: fileName, bytes: part.body)))
            } else {
                values[name, default: []].append(String(decoding: part.body, as: UTF8.self))
            }
        }
    }

    /// An `application/x-www-form-urlencoded` body.
    init(_ text: String) {
        for (name, value) in URLEncodedForm.pairs(text) { values[name, default: []].append(value) }
    }

    /// Every value of a repeated field, in order.
    func all(_ key: String) -> [String] { values[key] ?? [] }

    subscript(_ key: String) -> String? { values[key]?.first }

    /// The field, trimmed; nil when absent or blank.
    func text(_ key: String) -> String? {
        guard let value = self[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }
}
