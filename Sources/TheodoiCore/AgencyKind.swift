/// Loại cơ quan: what kind of body an agency is, as the agency directory classifies it.
public enum AgencyKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Cơ quan đảng cấp tỉnh (Văn phòng Tỉnh ủy, Ban Tổ chức Tỉnh ủy…).
    case partyProvincial = "party-provincial"
    /// Cơ quan đảng Trung ương.
    case partyCentral = "party-central"
    /// Sở and bodies equivalent to a Sở (Văn phòng UBND tỉnh, Thanh tra tỉnh).
    case department
    /// Other provincial state bodies (UBND tỉnh, Công an tỉnh, Thuế tỉnh…).
    case provincial
    /// Bộ and ministry-level bodies.
    case ministry
    /// Other central bodies (Cục, Tổng cục…).
    case central
    /// Tòa án, Viện kiểm sát.
    case judicial
    /// Mặt trận, đoàn thể, hội.
    case massOrganisation = "mass-organisation"
    /// Báo, đài.
    case media
    /// Universities, colleges, schools, research institutes.
    case education
    /// Banks, corporations, telecom operators.
    case enterprise
    /// Communes and wards.
    case local
    /// A body not in the directory, added as written.
    case unknown
}
