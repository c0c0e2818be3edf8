/// Hashes and checks passwords (STYLE rule 2). The live value (bcrypt) is made by the web layer,
/// which owns HummingbirdAuth; tests may use a cheap cost.
public struct PasswordHasher: Sendable {
    public var hash: @Sendable (_ password: String) async throws -> String
    public var verify: @Sendable (_ password: String, _ hash: String) async throws -> Bool

    public init(
        hash: @escaping @Sendable (String) async throws -> String,
        verify: @escaping @Sendable (String, String) async throws -> Bool
    ) {
        self.hash = hash
        self.verify = verify
    }
}
