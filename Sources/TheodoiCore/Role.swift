/// Vai trò: what a signed-in official may do (DESIGN §2).
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
    /// Quản trị hệ thống: everything, including users, agencies and catalogues.
    case admin
    /// Cơ quan theo dõi: catalogues, review, extensions, reports; sees all.
    case monitor
    /// Cán bộ đơn vị: reports for the one agency it belongs to; reads all.
    case officer
    /// Lãnh đạo: reads everything.
    case leader

    /// The Vietnamese name shown to people.
    public var vietnamese: String {
        switch self {
        case .admin: "Quản trị hệ thống"
        case .monitor: "Cơ quan theo dõi"
        case .officer: "Cán bộ đơn vị"
        case .leader: "Lãnh đạo"
        }
    }

    /// Whether a user of this role belongs to exactly one agency.
    public var needsAgency: Bool { self == .officer }
}

/// What a role may do beyond reading (DESIGN §2); checked on the server for every request.
public enum Capability: String, Sendable, CaseIterable {
    /// Read every plan, assignment, agency and dashboard.
    case readAll
    /// Publish or withdraw a plan's public summary.
    case publishPlan
    /// Load and update catalogues.
    case importCatalogue
    /// Create, change, disable users; reset passwords; revoke tokens.
    case manageUsers
    /// Edit and merge agencies.
    case editAgencies
    /// Read the audit log.
    case readAudit
    /// Set a plan's report format and issue periodic reports.
    case issueReports
}

extension Role {
    /// Whether this role has `capability`.
    public func may(_ capability: Capability) -> Bool {
        switch capability {
        case .readAll: true
        case .publishPlan, .importCatalogue, .readAudit, .issueReports: self == .admin || self == .monitor
        case .manageUsers, .editAgencies: self == .admin
        }
    }
}
