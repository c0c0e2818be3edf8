import Foundation

/// Where the data lives: an SQLite file (the default), a private in-memory SQLite database (tests),
/// or PostgreSQL given by a `postgres://user:password@host:port/database?tlsmode=disable` URL.
public enum DatabaseLocation: Sendable, Equatable {
    case sqliteFile(path: String)
    case sqliteMemory
    case postgres(PostgresURL)

    /// A PostgreSQL URL taken apart.
    public struct PostgresURL: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String
        /// `disable`, `prefer` (the default) or `require`.
        public var tlsMode: String
        /// A schema to keep the tables in (`?schema=`), created when missing; the default is `public`.
        public var schema: String?
    }

    /// Reads `DATABASE_URL`: nil or empty means the SQLite file at `defaultPath`; a `sqlite:` URL or
    /// path names another file; `postgres://` or `postgresql://` selects PostgreSQL.
    /// Throws a precise message for anything else.
    public static func parse(_ url: String?, defaultPath: String) throws(DatabaseLocationError) -> DatabaseLocation {
        guard let url, !url.trimmingCharacters(in: .whitespaces).isEmpty else { return .sqliteFile(path: defaultPath) }
        if url == "sqlite::memory:" || url == ":memory:" { return .sqliteMemory }
        if url.hasPrefix("sqlite://") { return .sqliteFile(path: String(url.dropFirst("sqlite://".count))) }
        if url.hasPrefix("sqlite:") { return .sqliteFile(path: String(url.dropFirst("sqlite:".count))) }
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            throw DatabaseLocationError(
                message: "DATABASE_URL must start with postgres://, postgresql:// or sqlite: (got “\(url)”)")
        }
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw DatabaseLocationError(message: "DATABASE_URL is not a valid URL: “\(url)”")
        }
        let database = components.path.drop { $0 == "/" }
        guard !database.isEmpty else {
            throw DatabaseLocationError(message: "DATABASE_URL names no database (…/DATABASE at the end)")
        }
        let tlsMode = components.queryItems?.first { $0.name == "tlsmode" || $0.name == "sslmode" }?.value ?? "prefer"
        guard ["disable", "prefer", "require"].contains(tlsMode) else {
            throw DatabaseLocationError(message: "DATABASE_URL tlsmode must be disable, prefer or require (got “\(tlsMode)”)")
        }
        let schema = components.queryItems?.first { $0.name == "schema" }?.value
        if let schema, schema.isEmpty || !schema.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
            throw DatabaseLocationError(message: "DATABASE_URL schema must be letters, digits and _ (got “\(schema)”)")
        }
        return .postgres(
            PostgresURL(
                host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
                password: components.password, database: String(database), tlsMode: tlsMode, schema: schema))
    }
}

/// A database setting that cannot be used, with why.
public struct DatabaseLocationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
