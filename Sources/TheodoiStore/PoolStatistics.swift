/// How the database connections are used, for `/metrics`: the gauges as of now, the totals since start.
public struct PoolStatistics: Sendable, Equatable {
    /// Connections the store may hold (SQLite: the writer and its readers; PostgreSQL: the pool's maximum).
    public var connections: Int
    /// Sessions holding a connection now.
    public var inUse = 0
    /// Sessions waiting for a connection now.
    public var waiting = 0
    /// Sessions that got a connection since start.
    public var acquisitions = 0
    /// Seconds spent waiting for a connection since start, summed over sessions.
    public var waitSeconds = 0.0

    public init(connections: Int) {
        self.connections = connections
    }
}
