import Configuration
import Foundation
import Logging
import TheodoiStoreSQL

/// Every setting theodoi reads, read once (STYLE rule 3).
public struct AppConfiguration: Sendable, Equatable {
    /// `HTTP_HOST` / `--host`; default 127.0.0.1.
    public var host: String
    /// `HTTP_PORT` / `--port`; default 8080.
    public var port: Int
    /// `DATABASE_URL`; default the SQLite file `./data/theodoi.sqlite`.
    public var database: DatabaseLocation
    /// `LOG_LEVEL`: trace, debug, info, notice, warning, error, critical; default info.
    public var logLevel: Logger.Level
    /// `PAGE_CACHE_ENTRIES`: rendered pages kept in memory (keyed by plan revision); 0 turns it off.
    public var pageCacheEntries: Int
    /// `SECURE_COOKIES`: true when the site is served over TLS (cookies get the Secure flag); default false.
    public var secureCookies: Bool = false
    /// `TRUST_PROXY`: true behind a reverse proxy that sets `X-Forwarded-For`; default false.
    public var trustProxy: Bool = false
    /// `BCRYPT_COST`: 10 to 15; default 12.
    public var bcryptCost: Int = 12
    /// `SOFFICE`: LibreOffice's `soffice` for PDF reports; unset looks on the PATH, empty turns PDF off.
    public var soffice: String?
    /// `REMINDER_INTERVAL`: minutes between reminder passes in `serve`; default 15, 0 turns them off
    /// (then run `theodoi send-reminders` from cron).
    public var reminderMinutes: Int = 15
    /// `SENDMAIL`: the sendmail command reminders go through (msmtp, postfix…), with its arguments;
    /// default `/usr/sbin/sendmail -t -oi` when that exists; empty turns e-mail off.
    public var sendmail: [String] = []
    /// `MAIL_FROM`: the From address of reminder e-mails; default `theodoi@localhost`.
    public var mailFrom: String = "theodoi@localhost"
    /// `PUBLIC_URL`: the site's address in e-mail links; default `http://HOST:PORT`.
    public var publicURL: String = "http://127.0.0.1:8080"
    /// `DIGEST_HOUR`: the hour (Vietnam, 0–23) from which daily digests go out; default 7.
    public var digestHour: Int = 7
    /// `BACKUP_DIR`: where `serve` writes scheduled backups; unset or empty: no scheduled backups.
    public var backupDirectory: String?
    /// `BACKUP_KEEP`: scheduled backups kept in `BACKUP_DIR` (older ones are removed); default 14.
    public var backupKeep: Int = 14
    /// `BACKUP_INTERVAL`: hours between scheduled backups, 1 to 168; default 24.
    public var backupHours: Int = 24
    /// `SENT_KEEP_DAYS`: days sent e-mails and webhooks stay in the outbox; default 90.
    public var sentKeepDays: Int = 90
    /// `METRICS_TOKEN`: when set, `/metrics` answers whoever sends `Authorization: Bearer` with it;
    /// unset, only requests from this machine that did not come through a proxy.
    public var metricsToken: String?
    /// `LOG_FORMAT`: `text` (default, one readable line per entry) or `json` (one JSON object per line).
    public var logFormat: LogFormat = .text
    /// `PATH`, where `soffice` is looked for when `SOFFICE` is unset.
    public var searchPath: String = "/usr/local/bin:/usr/bin:/bin"

    /// The default SQLite file.
    public static let defaultDatabasePath = "data/theodoi.sqlite"

    /// Reads the settings: `overrides` (command-line flags, as environment names) win over
    /// `environment`. Throws one error listing every bad setting.
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment, overrides: [String: String] = [:]
    ) throws(AppConfigurationError) -> AppConfiguration {
        let reader = ConfigReader(providers: [
            EnvironmentVariablesProvider(environmentVariables: overrides),
            EnvironmentVariablesProvider(environmentVariables: environment),
        ])
        var problems: [String] = []
        let host = reader.string(forKey: "http.host", default: "127.0.0.1")
        if host.isEmpty || host.contains(" ") { problems.append("HTTP_HOST/--host “\(host)” is not a host name or address") }
        let portText = reader.string(forKey: "http.port", default: "8080")
        let port = Int(portText) ?? -1
        if !(1...65_535).contains(port) {
            problems.append("HTTP_PORT/--port must be a number from 1 to 65535 (got “\(portText)”)")
        }
        var database = DatabaseLocation.sqliteFile(path: defaultDatabasePath)
        do {
            database = try DatabaseLocation.parse(reader.string(forKey: "database.url"), defaultPath: defaultDatabasePath)
        } catch {
            problems.append(error.message)
        }
        let levelText = reader.string(forKey: "log.level", default: "info")
        let logLevel = Logger.Level(rawValue: levelText.lowercased())
        if logLevel == nil {
            problems.append("LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical (got “\(levelText)”)")
        }
        let cacheText = reader.string(forKey: "page.cache.entries", default: "128")
        let pageCacheEntries = Int(cacheText) ?? -1
        if !(0...100_000).contains(pageCacheEntries) {
            problems.append("PAGE_CACHE_ENTRIES must be a number from 0 to 100000 (got “\(cacheText)”)")
        }
        func flag(_ key: ConfigKey, _ name: String) -> Bool {
            let text = reader.string(forKey: key, default: "false").lowercased()
            switch text {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off", "": return false
            default:
                problems.append("\(name) must be true or false (got “\(text)”)")
                return false
            }
        }
        let secureCookies = flag("secure.cookies", "SECURE_COOKIES")
        let trustProxy = flag("trust.proxy", "TRUST_PROXY")
        let costText = reader.string(forKey: "bcrypt.cost", default: "12")
        let bcryptCost = Int(costText) ?? -1
        if !(10...15).contains(bcryptCost) {
            problems.append("BCRYPT_COST must be a number from 10 to 15 (got “\(costText)”)")
        }
        let soffice = reader.string(forKey: "soffice")
        if let soffice, !soffice.isEmpty, !FileManager.default.isExecutableFile(atPath: soffice) {
            problems.append("SOFFICE must be the path of LibreOffice's soffice, or empty to turn PDF off (got “\(soffice)”)")
        }
        let searchPath = reader.string(forKey: "path", default: "/usr/local/bin:/usr/bin:/bin")
        let reminderText = reader.string(forKey: "reminder.interval", default: "15")
        let reminderMinutes = Int(reminderText) ?? -1
        if !(0...1440).contains(reminderMinutes) {
            problems.append("REMINDER_INTERVAL must be minutes from 0 (off) to 1440 (got “\(reminderText)”)")
        }
        var sendmail: [String] = []
        if let command = reader.string(forKey: "sendmail") {
            sendmail = command.split(separator: " ").map(String.init)
            if let executable = sendmail.first, !FileManager.default.isExecutableFile(atPath: executable) {
                problems.append(
                    "SENDMAIL must start with the path of a sendmail program, or be empty to send no e-mail (got “\(command)”)")
            }
        } else if FileManager.default.isExecutableFile(atPath: "/usr/sbin/sendmail") {
            sendmail = ["/usr/sbin/sendmail", "-t", "-oi"]
        }
        let mailFrom = reader.string(forKey: "mail.from", default: "theodoi@localhost")
        if !mailFrom.contains("@") || mailFrom.contains(" ") || mailFrom.contains("<") {
            problems.append("MAIL_FROM must be an e-mail address (got “\(mailFrom)”)")
        }
        let publicURL = reader.string(forKey: "public.url", default: "http://\(host):\(port)")
        if !(publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://")) {
            problems.append("PUBLIC_URL must start with http:// or https:// (got “\(publicURL)”)")
        }
        let digestText = reader.string(forKey: "digest.hour", default: "7")
        let digestHour = Int(digestText) ?? -1
        if !(0...23).contains(digestHour) { problems.append("DIGEST_HOUR must be an hour from 0 to 23 (got “\(digestText)”)") }
        let backupDirectory = reader.string(forKey: "backup.dir").flatMap { $0.isEmpty ? nil : $0 }
        let keepText = reader.string(forKey: "backup.keep", default: "14")
        let backupKeep = Int(keepText) ?? -1
        if !(1...1000).contains(backupKeep) {
            problems.append("BACKUP_KEEP must be a number of backups from 1 to 1000 (got “\(keepText)”)")
        }
        let backupText = reader.string(forKey: "backup.interval", default: "24")
        let backupHours = Int(backupText) ?? -1
        if !(1...168).contains(backupHours) {
            problems.append("BACKUP_INTERVAL must be hours from 1 to 168 (got “\(backupText)”)")
        }
        let sentText = reader.string(forKey: "sent.keep.days", default: "90")
        let sentKeepDays = Int(sentText) ?? -1
        if !(1...3650).contains(sentKeepDays) {
            problems.append("SENT_KEEP_DAYS must be days from 1 to 3650 (got “\(sentText)”)")
        }
        let metricsToken = reader.string(forKey: "metrics.token").flatMap { $0.isEmpty ? nil : $0 }
        if let metricsToken,
            metricsToken.utf8.count < 16 || metricsToken.utf8.count > 256
                || !metricsToken.unicodeScalars.allSatisfy({
                    $0.isASCII
                        && ($0.properties.isAlphabetic || $0.properties.numericType != nil
                            || "-_.~+/=".unicodeScalars.contains($0))
                })
        {
            problems.append(
                "METRICS_TOKEN must be 16 to 256 ASCII letters, digits or - _ . ~ + / = (got \(metricsToken.utf8.count) characters)"
            )
        }
        let formatText = reader.string(forKey: "log.format", default: "text")
        let logFormat = LogFormat(rawValue: formatText.lowercased())
        if logFormat == nil { problems.append("LOG_FORMAT must be text or json (got “\(formatText)”)") }
        guard problems.isEmpty, let logLevel, let logFormat else { throw AppConfigurationError(problems: problems) }
        return AppConfiguration(
            host: host, port: port, database: database, logLevel: logLevel, pageCacheEntries: pageCacheEntries,
            secureCookies: secureCookies, trustProxy: trustProxy, bcryptCost: bcryptCost, soffice: soffice,
            reminderMinutes: reminderMinutes, sendmail: sendmail, mailFrom: mailFrom,
            publicURL: publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL, digestHour: digestHour,
            backupDirectory: backupDirectory, backupKeep: backupKeep, backupHours: backupHours,
            sentKeepDays: sentKeepDays, metricsToken: metricsToken, logFormat: logFormat, searchPath: searchPath)
    }
}

/// How log entries are written to standard error.
public enum LogFormat: String, Sendable, Equatable {
    /// One readable line per entry (swift-log's own format).
    case text
    /// One JSON object per line: `time`, `level`, `label`, `message`, `source` and the metadata.
    case json
}

/// Settings that cannot be used, all of them.
public struct AppConfigurationError: Error, CustomStringConvertible, Equatable {
    public var problems: [String]
    public var description: String {
        "Cấu hình không hợp lệ (invalid configuration):\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
