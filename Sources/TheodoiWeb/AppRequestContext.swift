import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import MultipartKit
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
    /// The signed-in user's unread notifications (the bell's number), read for pages only.
    var unreadNotifications = 0

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

/// A multipart body without its closing delimiter.
struct IncompleteMultipart: Error {}

/// A posted form (url-encoded or multipart): its fields and, for multipart, its files.
struct FormData: Sendable {
    private var values: [String: [String]] = [:]
    /// Uploaded files with the field they came in, in order (empty file inputs are left out).
    private(set) var files: [(field: String, file: UploadedFile)] = []

    init() {}

    /// A `multipart/form-data` body; throws when it is not well formed.
    init(multipart body: ByteBuffer, boundary: String) throws {
        let parser = MultipartParser(boundary: boundary)
        var headers: [(String, String)] = []
        var data: [UInt8] = []
        var parts: [(headers: [(String, String)], data: [UInt8])] = []
        parser.onHeader = { name, value in headers.append((name, value)) }
        parser.onBody = { buffer in data.append(contentsOf: buffer.readableBytesView) }
        parser.onPartComplete = {
            parts.append((headers, data))
            headers = []
            data = []
        }
        // A body cut short (a dropped connection) lacks the closing delimiter: refuse it whole.
        let closing = Array("--\(boundary)--".utf8)
        let tail = Array(body.readableBytesView.suffix(4096))
        guard tail.count >= closing.count,
            (0...(tail.count - closing.count)).contains(where: { tail[$0..<$0 + closing.count].elementsEqual(closing) })
        else { throw IncompleteMultipart() }
        try parser.execute(body)
        for part in parts {
            guard
                let disposition = part.headers.first(where: { $0.0.lowercased() == "content-disposition" })?.1,
                let name = FormData.parameter("name", in: disposition)
            else { continue }
            if let fileName = FormData.parameter("filename", in: disposition) {
                if fileName.isEmpty && part.data.isEmpty { continue }
                files.append((name, UploadedFile(fileName: fileName, bytes: part.data)))
            } else {
                values[name, default: []].append(String(decoding: part.data, as: UTF8.self))
            }
        }
    }

    /// Every value of a repeated field, in order.
    func all(_ key: String) -> [String] { values[key] ?? [] }

    /// A parameter of a `Content-Disposition` header (`name="…"`), unquoted.
    static func parameter(_ key: String, in header: String) -> String? {
        var rest = Substring(header)
        while let range = rest.range(of: key + "=") {
            let before = rest[..<range.lowerBound].last
            rest = rest[range.upperBound...]
            guard before == nil || before == ";" || before == " " else { continue }
            if rest.first == "\"" {
                var value = ""
                var escaped = false
                for character in rest.dropFirst() {
                    if escaped {
                        value.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        return value
                    } else {
                        value.append(character)
                    }
                }
                return value
            }
            return String(rest.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

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
