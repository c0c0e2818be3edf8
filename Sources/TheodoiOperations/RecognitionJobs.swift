import Foundation
import Synchronization

/// Scans being read in the background (character recognition takes a second or two a page): the
/// import page hands the work over, answers at once with the job's page, and that page shows the
/// pages done out of the total until the result is ready; it can be left and opened again. A job
/// belongs to the user who started it, is kept for `keep` after it ends, and at most
/// `maximumRunning` run at once (each uses the processor fully). Jobs live in this process's memory:
/// a restart loses them (the file was not stored; the user uploads it again).
public final class RecognitionJobs: Sendable {
    public enum State: Sendable, Equatable {
        case running(done: Int, total: Int)
        /// The file in the form the parser reads (`CatalogueFile.converted`).
        case finished(Data)
        /// Why it failed, for the user.
        case failed(String)
    }

    public struct Job: Sendable {
        public let id: String
        public let owner: String
        public let fileName: String
        public let size: Int
        /// What the user typed beside the file (number, date, issuer), handed back with the result.
        public let fields: [String: String]
        public let started: Date
        public var ended: Date?
        public var state: State
    }

    public let maximumRunning: Int
    public let keep: TimeInterval
    /// The longest a job may run before it is given up.
    public let timeLimit: Duration
    private let now: @Sendable () -> Date
    private let jobs = Mutex<[String: Job]>([:])

    public init(
        maximumRunning: Int = 2, keep: TimeInterval = 30 * 60, timeLimit: Duration = .seconds(600),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.maximumRunning = maximumRunning
        self.keep = keep
        self.timeLimit = timeLimit
        self.now = now
    }

    /// Why a job was not started.
    public enum Refusal: Error, Equatable {
        /// As many jobs as allowed are running already.
        case busy(running: Int)
    }

    /// Starts `work` in the background and returns the job's id; `work` tells its progress through
    /// the callback it is given and returns the readable file, or throws a message for the user.
    public func start(
        owner: String, fileName: String, size: Int, fields: [String: String],
        work: @escaping @Sendable (_ progress: @escaping CharacterRecognizer.Progress) async throws(Failure) -> Data
    ) throws(Refusal) -> String {
        let id = SecureToken.make(byteCount: 16)
        let started = now()
        try jobs.withLock { (jobs: inout [String: Job]) throws(Refusal) in
            Self.forget(&jobs, before: started.addingTimeInterval(-keep))
            let running = jobs.values.filter { if case .running = $0.state { true } else { false } }.count
            guard running < maximumRunning else { throw .busy(running: running) }
            jobs[id] = Job(
                id: id, owner: owner, fileName: fileName, size: size, fields: fields, started: started, ended: nil,
                state: .running(done: 0, total: 0))
        }
        let limit = timeLimit
        let worker = Task {
            do {
                let data = try await work { done, total in self.update(id, .running(done: done, total: total)) }
                self.update(id, .finished(data))
            } catch let failure as Failure {
                self.update(id, .failed(failure.message))
            } catch {
                self.update(id, .failed("Đọc bản quét bị dừng."))
            }
        }
        Task {
            try? await Task.sleep(for: limit)
            if self.update(
                id,
                .failed(
                    "Đọc bản quét quá \(Self.minutes(limit)) phút nên đã dừng. Hãy quét lại ít trang hơn hoặc nhập bản Word (.docx)."
                ))
            {
                worker.cancel()
            }
        }
        return id
    }

    /// A message for the user, thrown by the work.
    public struct Failure: Error, Sendable {
        public var message: String
        public init(_ message: String) { self.message = message }
    }

    /// The job, if it exists and belongs to `owner`.
    public func job(_ id: String, owner: String) -> Job? {
        jobs.withLock { jobs in
            Self.forget(&jobs, before: now().addingTimeInterval(-keep))
            return jobs[id].flatMap { $0.owner == owner ? $0 : nil }
        }
    }

    /// The jobs of `owner`, newest first.
    public func jobs(of owner: String) -> [Job] {
        jobs.withLock { jobs in
            Self.forget(&jobs, before: now().addingTimeInterval(-keep))
            return jobs.values.filter { $0.owner == owner }.sorted { $0.started > $1.started }
        }
    }

    /// Moves a running job on; a job that has ended stays as it ended. Whether it changed.
    @discardableResult
    private func update(_ id: String, _ state: State) -> Bool {
        let time = now()
        return jobs.withLock { jobs in
            guard var job = jobs[id], case .running = job.state else { return false }
            job.state = state
            if case .running = state {} else { job.ended = time }
            jobs[id] = job
            return true
        }
    }

    private static func forget(_ jobs: inout [String: Job], before limit: Date) {
        jobs = jobs.filter { $0.value.ended.map { $0 >= limit } ?? true }
    }

    private static func minutes(_ duration: Duration) -> Int { max(Int(duration.components.seconds / 60), 1) }
}
