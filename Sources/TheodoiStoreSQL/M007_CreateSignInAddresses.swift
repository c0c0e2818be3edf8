import SQLKit

/// Addresses each account has signed in from: sign-in throttling treats them as known, so someone
/// elsewhere guessing a password cannot lock the owner out of the places they work from.
enum M007_CreateSignInAddresses {
    static let migration = Migration(version: 7, name: "create sign-in addresses") { _ in
        [
            """
            CREATE TABLE sign_in_addresses (
                email TEXT NOT NULL,
                address TEXT NOT NULL,
                last_at TEXT NOT NULL,
                PRIMARY KEY (email, address))
            """,
            "CREATE INDEX login_failures_pair ON login_failures (email, address, at)",
        ]
    }
}
