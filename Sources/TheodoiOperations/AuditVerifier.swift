import TheodoiStore

/// Checks the audit log's hash chain from the first entry to the last.
public struct AuditVerifier: Sendable {
    public var store: AccountStore
    /// Entries read per query.
    public var batchSize: Int

    public init(store: AccountStore, batchSize: Int = 5_000) {
        self.store = store
        self.batchSize = batchSize
    }

    /// The outcome: how many entries were checked and the first broken link, if any.
    public struct Report: Sendable, Equatable {
        public var checked: Int
        public var lastSequence: Int
        public var broken: Broken?

        /// The first entry that does not fit the chain, and why.
        public struct Broken: Sendable, Equatable {
            public var sequence: Int
            public var reason: String
        }

        /// A line for the console.
        public var summary: String {
            if let broken {
                return
                    "Nhật ký bị sửa hoặc thiếu: chuỗi đứt ở mục \(broken.sequence) (\(broken.reason)); đã kiểm \(checked) mục trước đó."
            }
            return "Nhật ký nguyên vẹn: \(checked) mục, chuỗi băm liền mạch đến mục \(lastSequence)."
        }
    }

    public func verify() async throws -> Report {
        var previousHash = AuditRecord.genesisHash
        var expected = 1
        var checked = 0
        while true {
            let entries = try await store.auditEntries(expected - 1, batchSize)
            for entry in entries {
                let broken: String? =
                    if entry.sequence != expected {
                        "mục \(expected) đến \(entry.sequence - 1) đã bị xóa"
                    } else if entry.previousHash != previousHash {
                        "không khớp mã băm của mục trước"
                    } else if entry.computedHash != entry.hash {
                        "nội dung không khớp mã băm đã niêm phong"
                    } else {
                        nil
                    }
                if let broken {
                    return Report(
                        checked: checked, lastSequence: expected - 1, broken: .init(sequence: entry.sequence, reason: broken))
                }
                previousHash = entry.hash
                expected += 1
                checked += 1
            }
            if entries.count < batchSize { break }
        }
        return Report(checked: checked, lastSequence: expected - 1, broken: nil)
    }
}
