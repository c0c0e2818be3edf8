import Foundation
import Synchronization
import Testing
import TheodoiOperations

/// Scans read in the background for the import page (issue 17, item 6).
@Suite("Background reading of scans")
struct RecognitionJobsTests {
    /// Waits until `job` has left `.running`, or fails after two seconds.
    static func ended(_ jobs: RecognitionJobs, _ id: String, owner: String = "7") async throws -> RecognitionJobs.Job {
        for _ in 0..<200 {
            let job = try #require(jobs.job(id, owner: owner))
            if case .running = job.state {
                try await Task.sleep(for: .milliseconds(10))
                continue
            }
            return job
        }
        Issue.record("the job did not end")
        return try #require(jobs.job(id, owner: owner))
    }

    @Test("progress is told page by page, the result kept for its owner only")
    func progress() async throws {
        let jobs = RecognitionJobs()
        let gate = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let id = try jobs.start(owner: "7", fileName: "quet.pdf", size: 10, fields: ["number": "343-QĐ/TU"]) { progress in
            progress(0, 3)
            progress(2, 3)
            await withCheckedContinuation { continuation in gate.withLock { $0 = continuation } }
            return Data("đọc xong".utf8)
        }
        for _ in 0..<200 where gate.withLock({ $0 == nil }) { try await Task.sleep(for: .milliseconds(5)) }
        #expect(jobs.job(id, owner: "7")?.state == .running(done: 2, total: 3))
        #expect(jobs.job(id, owner: "8") == nil)
        #expect(jobs.jobs(of: "7").map(\.fileName) == ["quet.pdf"])
        gate.withLock { $0?.resume() }
        let job = try await Self.ended(jobs, id)
        #expect(job.state == .finished(Data("đọc xong".utf8)))
        #expect(job.fields["number"] == "343-QĐ/TU")
    }

    @Test("a failure keeps its message; more than the allowed jobs at once are refused")
    func failureAndLimit() async throws {
        let jobs = RecognitionJobs(maximumRunning: 1)
        let failed = try jobs.start(owner: "7", fileName: "hong.pdf", size: 1, fields: [:]) { _ throws(RecognitionJobs.Failure) in
            throw RecognitionJobs.Failure("Không nhận dạng được trang 1.")
        }
        #expect(try await Self.ended(jobs, failed).state == .failed("Không nhận dạng được trang 1."))
        let gate = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let slow = try jobs.start(owner: "7", fileName: "dai.pdf", size: 1, fields: [:]) { _ in
            await withCheckedContinuation { continuation in gate.withLock { $0 = continuation } }
            return Data()
        }
        #expect(throws: RecognitionJobs.Refusal.busy(running: 1)) {
            _ = try jobs.start(owner: "8", fileName: "khac.pdf", size: 1, fields: [:]) { _ in Data() }
        }
        for _ in 0..<200 where gate.withLock({ $0 == nil }) { try await Task.sleep(for: .milliseconds(5)) }
        gate.withLock { $0?.resume() }
        _ = try await Self.ended(jobs, slow)
    }

    @Test("a job past its time limit is given up with a message; ended jobs are forgotten after a while")
    func limits() async throws {
        let clock = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        let jobs = RecognitionJobs(keep: 60, timeLimit: .milliseconds(50), now: { clock.withLock { $0 } })
        let id = try jobs.start(owner: "7", fileName: "treo.pdf", size: 1, fields: [:]) { _ in
            try? await Task.sleep(for: .seconds(5))
            return Data()
        }
        let job = try await Self.ended(jobs, id)
        guard case .failed(let message) = job.state else {
            Issue.record("not given up: \(job.state)")
            return
        }
        #expect(message.contains("quá 1 phút"))
        clock.withLock { $0 += 61 }
        #expect(jobs.job(id, owner: "7") == nil)
    }
}
