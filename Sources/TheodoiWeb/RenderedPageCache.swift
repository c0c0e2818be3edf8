/// Rendered pages kept by key, the plan's revision and the date inside the key: a page is a pure
/// function of (plan revision, date, filters), so a page served twice is rendered once. The plan's
/// revision is read from the database on every request, so a change on any instance shows at once.
actor RenderedPageCache {
    private let capacity: Int
    private var entries: [String: (html: String, used: Int)] = [:]
    private var clock = 0

    /// `capacity` 0 turns the cache off.
    init(capacity: Int) {
        self.capacity = capacity
    }

    func html(for key: String) -> String? {
        guard capacity > 0, let entry = entries[key] else { return nil }
        clock += 1
        entries[key]?.used = clock
        return entry.html
    }

    func store(_ html: String, for key: String) {
        guard capacity > 0 else { return }
        clock += 1
        entries[key] = (html, clock)
        if entries.count > capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key {
            entries[oldest] = nil
        }
    }
}
