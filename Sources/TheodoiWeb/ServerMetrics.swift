import CoreMetrics
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Prometheus
import Synchronization
import TheodoiOperations
import TheodoiStore

/// What `/metrics` shows, in the Prometheus text format: requests by route and status with their
/// latency, requests in flight, the database sessions, reminder passes and deliveries, the outbox,
/// backups and the process's memory. Requests and passes are recorded through swift-metrics into
/// this instance's own registry (nothing global, so each test server has its own); the gauges of
/// the outbox, backups and database are read when `/metrics` is asked for.
public final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// The swift-metrics factory writing into this registry.
    let factory: PrometheusMetricsFactory
    private let requestCache = Mutex<[RequestKey: RequestSeries]>([:])
    private let inFlight: CoreMetrics.Meter
    private let reminderPasses: (ok: CoreMetrics.Counter, failed: CoreMetrics.Counter)
    private let reminderDuration: CoreMetrics.Timer
    private let remindersSent: CoreMetrics.Counter
    private let deliveries: (sent: CoreMetrics.Counter, retried: CoreMetrics.Counter, failed: CoreMetrics.Counter)
    /// The database totals last seen, so the counters grow by what happened since.
    private let lastPool = Mutex(PoolStatistics(connections: 0))

    static let requestCount = "theodoi_http_requests_total"
    static let requestDuration = "theodoi_http_request_duration_seconds"

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Pages answer in a millisecond or two; an issued report or an import may take seconds.
        factory.durationHistogramBuckets[Self.requestDuration] = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
            .seconds(5), .seconds(10), .seconds(30),
        ]
        factory.durationHistogramBuckets["theodoi_reminder_pass_duration_seconds"] = [
            .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(15),
            .seconds(60), .seconds(300),
        ]
        self.factory = factory
        inFlight = CoreMetrics.Meter(label: "theodoi_http_requests_in_flight", factory: factory)
        reminderPasses = (
            CoreMetrics.Counter(label: "theodoi_reminder_passes_total", dimensions: [("result", "ok")], factory: factory),
            CoreMetrics.Counter(label: "theodoi_reminder_passes_total", dimensions: [("result", "failed")], factory: factory)
        )
        reminderDuration = CoreMetrics.Timer(label: "theodoi_reminder_pass_duration_seconds", factory: factory)
        remindersSent = CoreMetrics.Counter(label: "theodoi_reminders_sent_total", factory: factory)
        deliveries = (
            CoreMetrics.Counter(label: "theodoi_outbox_deliveries_total", dimensions: [("result", "sent")], factory: factory),
            CoreMetrics.Counter(label: "theodoi_outbox_deliveries_total", dimensions: [("result", "retry")], factory: factory),
            CoreMetrics.Counter(label: "theodoi_outbox_deliveries_total", dimensions: [("result", "failed")], factory: factory)
        )
    }

    // MARK: Requests

    struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    struct RequestSeries: Sendable {
        var count: CoreMetrics.Counter
        var duration: CoreMetrics.Timer
    }

    /// The methods counted by name; any other is counted as `other`, so a client inventing methods
    /// cannot grow the registry.
    private static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    func requestStarted() { inFlight.increment() }

    /// One answered request: `route` is the matched pattern (never the path itself, which a client
    /// chooses), so the series stay as few as the routes.
    func requestFinished(route: String, method: HTTPRequest.Method, status: HTTPResponse.Status, nanoseconds: Int64) {
        inFlight.decrement()
        let methodName = Self.knownMethods.contains(method.rawValue) ? method.rawValue : "other"
        let key = RequestKey(route: route, method: methodName, status: Int(status.code))
        let series = requestCache.withLock { cache in
            if let series = cache[key] { return series }
            let dimensions = [("route", key.route), ("method", key.method), ("status", String(key.status))]
            let series = RequestSeries(
                count: CoreMetrics.Counter(label: Self.requestCount, dimensions: dimensions, factory: factory),
                duration: CoreMetrics.Timer(label: Self.requestDuration, dimensions: dimensions, factory: factory))
            cache[key] = series
            return series
        }
        series.count.increment()
        series.duration.recordNanoseconds(nanoseconds)
    }

    // MARK: Reminder passes

    /// A reminder pass of the timer: how long it took and what it did (nil: it failed).
    public func reminderPass(_ outcome: ReminderPass.Outcome?, duration: Duration) {
        let parts = duration.components
        reminderDuration.recordNanoseconds(parts.seconds &* 1_000_000_000 &+ parts.attoseconds / 1_000_000_000)
        guard let outcome else {
            reminderPasses.failed.increment()
            return
        }
        reminderPasses.ok.increment()
        remindersSent.increment(by: outcome.claimed)
        deliveries.sent.increment(by: outcome.delivery.sent)
        deliveries.retried.increment(by: outcome.delivery.retrying)
        deliveries.failed.increment(by: outcome.delivery.failed)
    }

    // MARK: Read when asked

    /// What has been recorded so far (requests and passes), in the Prometheus text format.
    public var recorded: String { String(decoding: registry.emitToBuffer(), as: UTF8.self) }

    /// What is read from the store and the backup directory when `/metrics` is asked for.
    struct Sample {
        var pool: PoolStatistics?
        var outbox: [OutboxRecord.State: Int]
        var backups: BackupOverview
        var now: Date
    }

    /// The text `/metrics` answers, after setting the gauges read now.
    func exposition(_ sample: Sample) -> [UInt8] {
        if let pool = sample.pool { record(pool) }
        for state in OutboxRecord.State.allCases {
            let gauge = registry.makeGauge(name: "theodoi_outbox_messages", labels: [("state", state.rawValue)])
            gauge.set(to: Double(sample.outbox[state] ?? 0))
        }
        if sample.backups.directory != nil {
            registry.makeGauge(name: "theodoi_backup_last_failed").set(to: sample.backups.lastError == nil ? 0 : 1)
            if let newest = sample.backups.files.first, let written = try? Date(newest.modified, strategy: .iso8601) {
                registry.makeGauge(name: "theodoi_backup_age_seconds").set(to: sample.now.timeIntervalSince(written))
                registry.makeGauge(name: "theodoi_backup_size_bytes").set(to: Double(newest.bytes))
            }
        }
        if let resident = Self.residentBytes() {
            registry.makeGauge(name: "process_resident_memory_bytes").set(to: Double(resident))
        }
        return registry.emitToBuffer()
    }

    private func record(_ pool: PoolStatistics) {
        registry.makeGauge(name: "theodoi_db_connections").set(to: Double(pool.connections))
        registry.makeGauge(name: "theodoi_db_sessions_in_use").set(to: Double(pool.inUse))
        registry.makeGauge(name: "theodoi_db_sessions_waiting").set(to: Double(pool.waiting))
        let last = lastPool.withLock { last in
            defer { last = pool }
            return last
        }
        let acquisitions = registry.makeCounter(name: "theodoi_db_sessions_total")
        let waited = registry.makeCounter(name: "theodoi_db_session_wait_seconds_total")
        if pool.acquisitions > last.acquisitions { acquisitions.increment(by: Int64(pool.acquisitions - last.acquisitions)) }
        if pool.waitSeconds > last.waitSeconds { waited.increment(by: pool.waitSeconds - last.waitSeconds) }
    }

    /// Resident memory from `/proc/self/statm` (Linux), nil elsewhere.
    static func residentBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        let (bytes, overflow) = pages.multipliedReportingOverflow(by: Int(sysconf(Int32(_SC_PAGESIZE))))
        return overflow ? nil : bytes
    }
}

/// Counts every request and its latency by route, method and status (the outermost middleware),
/// and logs it at `debug` (`LOG_LEVEL=debug`): method, path, status and milliseconds, on a line
/// that carries the request's id like every other line of the request.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        let start = DispatchTime.now().uptimeNanoseconds
        metrics.requestStarted()
        let elapsed: @Sendable () -> Int64 = { Int64(clamping: DispatchTime.now().uptimeNanoseconds &- start) }
        do {
            var response = try await next(request, context)
            let status = response.status
            context.logger.debug(
                "request",
                metadata: [
                    "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(status.code)",
                    "ms": "\(Double(elapsed() / 1_000) / 1_000)",
                ])
            // The route's pattern once the router matched it (known before the handler ran).
            let route = context.endpointPath ?? "NotFound"
            let method = request.method
            guard response.body.contentLength == nil else {
                // Bytes in memory: the answer is ready (writing it is the network's time).
                metrics.requestFinished(route: route, method: method, status: status, nanoseconds: elapsed())
                return response
            }
            // A streamed body (exports, issued files) is counted once it has been written.
            let body = response.body
            response.body = ResponseBody { writer in
                do {
                    try await body.write(writer)
                } catch {
                    metrics.requestFinished(route: route, method: method, status: status, nanoseconds: elapsed())
                    throw error
                }
                metrics.requestFinished(route: route, method: method, status: status, nanoseconds: elapsed())
            }
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            metrics.requestFinished(
                route: context.endpointPath ?? "NotFound", method: request.method, status: status, nanoseconds: elapsed())
            throw error
        }
    }
}
