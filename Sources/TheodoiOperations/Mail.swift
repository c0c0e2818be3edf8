import Foundation
import TheodoiCore
import TheodoiStore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// How theodoi writes e-mail: who it is from, where links point, when the daily digest goes.
public struct MailSettings: Sendable, Hashable {
    /// The From address ("theodoi@tinhuy.gialai.gov.vn").
    public var from: String
    /// The site's address as users reach it, for links in e-mails ("https://theodoi.gialai.gov.vn").
    public var publicURL: String
    /// The hour (Vietnam) from which the daily digest goes out.
    public var digestHour: Int

    public init(from: String, publicURL: String, digestHour: Int = 7) {
        self.from = from
        self.publicURL = publicURL
        self.digestHour = digestHour
    }
}

/// Hands a message to the mail system (STYLE rule 2: a side effect as a client).
public struct Mailer: Sendable {
    /// Sends one RFC 5322 message (bytes) to `recipient`; throws with what the mail system said.
    public var send: @Sendable (_ message: [UInt8], _ recipient: String) async throws -> Void

    public init(send: @escaping @Sendable ([UInt8], String) async throws -> Void) {
        self.send = send
    }

    /// A failed hand-over, with the mail system's words.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// The system's `sendmail` interface (msmtp, postfix, exim…): `command` with its arguments, the
    /// message on standard input, recipients read from the headers (`-t`).
    public static func sendmail(_ command: [String]) -> Mailer {
        Mailer { message, _ in
            guard let executable = command.first else { throw Failure(description: "no sendmail command configured") }
            let result: ExternalCommand.Result
            do {
                result = try await ExternalCommand.run(
                    executable, Array(command.dropFirst()), input: message, timeout: .seconds(60))
            } catch {
                throw Failure(description: "\(error)")
            }
            guard result.status == 0 else {
                throw Failure(
                    description: "\(executable) exited with \(result.status): "
                        + result.output.trimmingCharacters(in: .whitespacesAndNewlines).prefix(500))
            }
        }
    }
}

/// An e-mail as RFC 5322 bytes: UTF-8 headers as RFC 2047 encoded words, the body base64.
public enum MailFormat {
    public static func message(
        _ outbox: OutboxRecord, from: String, date: Date
    ) -> [UInt8] {
        var lines = [
            "From: \(encodedWords("theodoi")) <\(from)>",
            "To: \(outbox.message.to)",
            "Subject: \(encodedWords(outbox.message.subject))",
            "Date: \(rfc5322Date(date))",
            "Message-ID: <outbox-\(outbox.id).\(Int(date.timeIntervalSince1970))@theodoi>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "Auto-Submitted: auto-generated",
            "",
        ]
        let body = Data(VietnameseText.nfc(outbox.message.body).utf8).base64EncodedString()
        var index = body.startIndex
        while index < body.endIndex {
            let end = body.index(index, offsetBy: 76, limitedBy: body.endIndex) ?? body.endIndex
            lines.append(String(body[index..<end]))
            index = end
        }
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// RFC 2047: ASCII text as it is; anything else as `=?UTF-8?B?…?=` words of at most 45 bytes
    /// each (never splitting a character), folded onto continuation lines.
    public static func encodedWords(_ text: String) -> String {
        let text = VietnameseText.nfc(text)
        if text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0 != "=" && $0 != "?" }) { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// "Mon, 29 Sep 2025 08:00:00 +0700".
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 7 * 3600)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}

/// The outbox's delivery: leases due messages, hands each to the mailer, records the result, and
/// backs off after a failure (1 min, 5 min, 30 min, 2 h, 6 h), then keeps it visible as failed.
public struct OutboxDelivery: Sendable {
    public var outbox: OutboxStore
    /// Delivers e-mail; nil when this process sends none (the message waits for one that does).
    public var mailer: Mailer?
    /// Delivers webhooks.
    public var webhook: WebhookPoster?
    public var settings: MailSettings

    /// The time, read as each message is leased (injected).
    public var clock: @Sendable () -> Date

    public static let backoff: [TimeInterval] = [60, 300, 1_800, 7_200, 21_600]
    /// How long a lease lasts, from the moment one message is taken: longer than one hand-over takes.
    /// Each message is leased on its own, so a slow mailer never lets a lease lapse on a message
    /// that waits its turn (seen: a second pass sent the last two of 60 again when the whole batch
    /// shared one lease from the start of the pass).
    public static let lease: TimeInterval = 300

    public init(
        outbox: OutboxStore, mailer: Mailer?, webhook: WebhookPoster? = nil, settings: MailSettings,
        clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.outbox = outbox
        self.mailer = mailer
        self.webhook = webhook
        self.settings = settings
        self.clock = clock
    }

    /// What one delivery round did.
    public struct Outcome: Sendable, Hashable {
        public var sent = 0
        public var retrying = 0
        public var failed = 0
        public init() {}
    }

    /// Delivers what is due at `now`, at most `limit` messages, one lease at a time: each message
    /// is taken at `now` plus the time the pass has run so far, and leased from then. Sending times
    /// and retries count from `now`.
    public func deliver(now: Date, limit: Int = 500) async throws -> Outcome {
        var outcome = Outcome()
        var left = limit
        let began = clock()
        while left > 0 {
            let taken = now.addingTimeInterval(max(0, clock().timeIntervalSince(began)))
            let leased = try await outbox.lease(
                taken.ISO8601Format(), taken.addingTimeInterval(OutboxDelivery.lease).ISO8601Format(), 1)
            if leased.isEmpty { break }
            left -= leased.count
            for message in leased {
                do {
                    switch message.message.channel {
                    case .email:
                        guard let mailer else {
                            throw Mailer.Failure(description: "this server sends no e-mail (SENDMAIL is empty)")
                        }
                        try await mailer.send(MailFormat.message(message, from: settings.from, date: now), message.message.to)
                    case .webhook:
                        guard let webhook else { throw Mailer.Failure(description: "this server posts no webhooks") }
                        try await webhook.post(
                            message.message.to, Array(message.message.body.utf8),
                            [
                                ("Content-Type", "application/json; charset=utf-8"), ("User-Agent", "theodoi"),
                                ("X-Theodoi-Event", "reminder"), ("X-Theodoi-Delivery", String(message.id.rawValue)),
                                ("X-Theodoi-Signature", message.message.signature ?? ""),
                            ])
                    }
                    try await outbox.finish(message.id, .sent(at: now.ISO8601Format()))
                    outcome.sent += 1
                } catch {
                    let reason = String(describing: error).prefix(1000)
                    if message.attempts > OutboxDelivery.backoff.count {
                        try await outbox.finish(message.id, .failed(error: String(reason)))
                        outcome.failed += 1
                    } else {
                        let wait = OutboxDelivery.backoff[max(0, message.attempts - 1)]
                        try await outbox.finish(
                            message.id, .retry(at: now.addingTimeInterval(wait).ISO8601Format(), error: String(reason)))
                        outcome.retrying += 1
                    }
                }
            }
        }
        return outcome
    }
}

/// POSTs a webhook's JSON (STYLE rule 2: a side effect as a client).
public struct WebhookPoster: Sendable {
    /// POSTs `body` to `url` with `headers`; throws unless the answer is 2xx.
    public var post: @Sendable (_ url: String, _ body: [UInt8], _ headers: [(String, String)]) async throws -> Void

    public init(post: @escaping @Sendable (String, [UInt8], [(String, String)]) async throws -> Void) {
        self.post = post
    }

    /// Foundation's URLSession, 20 seconds per request.
    public static var live: WebhookPoster {
        WebhookPoster { url, body, headers in
            guard let target = URL(string: url) else { throw Mailer.Failure(description: "not a URL: \(url)") }
            var request = URLRequest(url: target, timeoutInterval: 20)
            request.httpMethod = "POST"
            request.httpBody = Data(body)
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            guard (200..<300).contains(status) else {
                throw Mailer.Failure(
                    description: "HTTP \(status) from \(url): \(String(decoding: data.prefix(300), as: UTF8.self))")
            }
        }
    }
}
