import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TheodoiCore
import TheodoiOperations
import TheodoiStore
import TheodoiStoreSQL
import TheodoiWeb

/// `/metrics` for the people who watch servers, and the request id on error pages.
@Suite("Metrics and request ids")
struct MetricsTests {
    /// The value of the series `name{labels}` in Prometheus text (labels as written, in order).
    static func value(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    static func get(
        _ client: any TestClientProtocol, _ uri: String, headers: HTTPFields = [:], method: HTTPRequest.Method = .get
    ) async throws -> (HTTPResponse.Status, String, HTTPFields) {
        try await client.execute(uri: uri, method: method, headers: headers) { response in
            (response.status, String(buffer: response.body), response.headers)
        }
    }

    static let backupWritten = Date().addingTimeInterval(-3_600)
    static let token = "metrics-test-0123456789"
    static let bearer: HTTPFields = [.authorization: "Bearer \(token)"]

    @Test("/metrics counts requests by route, method and status with their latency, and shows the database, outbox and backups")
    func exposition() async throws {
        let configure: @Sendable (inout WebDependencies, SQLStore) -> Void = { dependencies, store in
            dependencies.metricsToken = MetricsTests.token
            dependencies.pool = { store.poolStatistics() }
            dependencies.backups = {
                BackupOverview(
                    directory: "/var/backups/theodoi", keep: 14, hours: 24,
                    files: [
                        .init(
                            name: "theodoi-x.theodoi-backup", bytes: 123_456,
                            modified: MetricsTests.backupWritten.ISO8601Format(), manifest: nil)
                    ],
                    lastError: nil)
            }
        }
        try await World.run(configure: configure) { world, client in
            let leader = world.client(client, as: .leader)
            for _ in 0..<2 { #expect(try await Self.get(leader, "/plans/343-qd-tu").0 == .ok) }
            #expect(try await Self.get(leader, "/plans/khong-co").0 == .notFound)
            #expect(try await Self.get(client, "/khong/co/trang/nay").0 == .notFound)
            // Methods the site does not use are counted together, so they cannot grow the series.
            for name in ["PROPFIND", "MKCOL", "LOCK", "UNLOCK", "COPY", "MOVE", "SEARCH", "PURGE"] {
                let method = try #require(HTTPRequest.Method(name))
                _ = try await Self.get(client, "/healthz", method: method)
            }
            let (status, text, headers) = try await Self.get(client, "/metrics", headers: Self.bearer)
            #expect(status == .ok)
            #expect(headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let plan = #"route="/plans/{plan}",method="GET""#
            #expect(Self.value(text, "theodoi_http_requests_total{\(plan),status=\"200\"}") == 2, "\(text)")
            #expect(Self.value(text, "theodoi_http_requests_total{\(plan),status=\"404\"}") == 1)
            #expect(Self.value(text, "theodoi_http_request_duration_seconds_count{\(plan),status=\"200\"}") == 2)
            #expect(Self.value(text, "theodoi_http_request_duration_seconds_bucket{\(plan),status=\"200\",le=\"+Inf\"}") == 2)
            #expect(Self.value(text, #"theodoi_http_requests_total{route="NotFound",method="GET",status="404"}"#) == 1)
            // (an unknown method on a known path is 405, counted without the route, which did not match)
            let unusual = text.split(separator: "\n").filter {
                $0.hasPrefix("theodoi_http_requests_total{") && !$0.contains(#"method="GET""#)
            }
            #expect(unusual == [#"theodoi_http_requests_total{route="NotFound",method="other",status="405"} 8"#], "\(unusual)")
            // The request for /metrics itself is counted once it is answered: in flight it is one.
            #expect(Self.value(text, "theodoi_http_requests_in_flight") == 1)
            #expect(Self.value(text, "theodoi_db_connections") == 1)  // an in-memory SQLite database: one connection
            #expect((Self.value(text, "theodoi_db_sessions_total") ?? 0) > 5)
            #expect(Self.value(text, "theodoi_db_sessions_waiting") == 0)
            #expect(Self.value(text, #"theodoi_outbox_messages{state="pending"}"#) == 0)
            #expect(Self.value(text, #"theodoi_outbox_messages{state="failed"}"#) == 0)
            let age = try #require(Self.value(text, "theodoi_backup_age_seconds"))
            #expect((3_599...3_700).contains(age))
            #expect(Self.value(text, "theodoi_backup_size_bytes") == 123_456)
            #expect(Self.value(text, "theodoi_backup_last_failed") == 0)
            #expect((Self.value(text, "process_resident_memory_bytes") ?? 0) > 1_000_000)

            // A second scrape: the database counter grows by what happened since, never back.
            let again = try await Self.get(client, "/metrics", headers: Self.bearer).1
            #expect((Self.value(again, "theodoi_db_sessions_total") ?? 0) >= (Self.value(text, "theodoi_db_sessions_total") ?? 0))
            #expect(Self.value(again, #"theodoi_http_requests_total{route="/metrics",method="GET",status="200"}"#) == 1)

        }
    }

    @Test("with METRICS_TOKEN, /metrics answers the bearer of that token only, from anywhere")
    func token() async throws {
        let token = "metrics-0123456789abcdef"
        let configure: @Sendable (inout WebDependencies, SQLStore) -> Void = { dependencies, _ in
            dependencies.metricsToken = token
        }
        try await World.run(configure: configure) { _, client in
            #expect(try await Self.get(client, "/metrics").0 == .unauthorized)
            #expect(
                try await Self.get(client, "/metrics", headers: [.authorization: "Bearer wrong-token-0123456789"]).0
                    == .unauthorized)
            #expect(try await Self.get(client, "/metrics", headers: [.authorization: "Basic \(token)"]).0 == .unauthorized)
            let forwarded = try #require(HTTPField.Name("X-Forwarded-For"))
            let (status, text, _) = try await Self.get(
                client, "/metrics", headers: [.authorization: "Bearer \(token)", forwarded: "203.0.113.7"])
            #expect(status == .ok)
            #expect(text.contains("theodoi_http_requests_total{"))
        }
    }

    @Test("reminder passes are counted with what they delivered; a failed pass is counted as failed")
    func reminderPasses() {
        let metrics = ServerMetrics()
        var outcome = ReminderPass.Outcome()
        outcome.claimed = 4
        outcome.delivery.sent = 3
        outcome.delivery.retrying = 1
        metrics.reminderPass(outcome, duration: .milliseconds(120))
        metrics.reminderPass(outcome, duration: .milliseconds(80))
        metrics.reminderPass(nil, duration: .seconds(2))
        let text = metrics.recorded
        #expect(Self.value(text, #"theodoi_reminder_passes_total{result="ok"}"#) == 2)
        #expect(Self.value(text, #"theodoi_reminder_passes_total{result="failed"}"#) == 1)
        #expect(Self.value(text, "theodoi_reminders_sent_total") == 8)
        #expect(Self.value(text, #"theodoi_outbox_deliveries_total{result="sent"}"#) == 6)
        #expect(Self.value(text, #"theodoi_outbox_deliveries_total{result="retry"}"#) == 2)
        #expect(Self.value(text, "theodoi_reminder_pass_duration_seconds_count") == 3)
        #expect(Self.value(text, "theodoi_reminder_pass_duration_seconds_sum") == 2.2)
    }

    @Test("an error page shows the request's id, the one in X-Request-Id and in the log")
    func errorPageRequestID() async throws {
        try await World.run { world, client in
            let (status, html, headers) = try await Self.get(world.client(client, as: .leader), "/plans/khong-co")
            #expect(status == .notFound)
            let id = try #require(headers[.init("X-Request-Id")!])
            #expect(html.contains("Mã yêu cầu: <code>\(id)</code>"), "\(html)")
        }
    }
}
