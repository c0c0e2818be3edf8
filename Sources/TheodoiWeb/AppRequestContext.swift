import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore
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

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        address = source.channel.remoteAddress?.ipAddress ?? "unknown"
        form = FormData()
        anonymousCSRF = nil
    }

    /// The CSRF token forms on this response must carry.
    var csrfToken: String { identity?.csrfToken ?? anonymousCSRF ?? "" }
}

/// A url-encoded form body: the first value of each field.
struct FormData: Sendable {
    private var values: [String: [String]] = [:]

    init() {}

    init(_ text: String) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = FormData.decode(parts[0])
            let value = parts.count > 1 ? FormData.decode(parts[1]) : ""
            values[key, default: []].append(value)
        }
    }

    subscript(_ key: String) -> String? { values[key]?.first }

    /// The field, trimmed; nil when absent or blank.
    func text(_ key: String) -> String? {
        guard let value = self[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    private static func decode(_ text: Substring) -> String {
        let plus = text.replacingOccurrences(of: "+", with: " ")
        return plus.removingPercentEncoding ?? plus
    }
}
