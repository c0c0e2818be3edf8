import TheodoiCore

/// Random secrets from the system's cryptographic generator.
public enum SecureToken {
    /// `byteCount` random bytes as URL-safe base64 without padding.
    public static func make(byteCount: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<byteCount).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return base64URL(bytes)
    }

    /// The stored form of a secret: its SHA-256, so a copy of the database gives no usable token.
    public static func digest(_ token: String) -> String { SHA256.hex(token) }

    /// A password for a new or reset account that meets `PasswordPolicy`: 16 characters without
    /// look-alikes (0/O, 1/l/I), always with letters and digits.
    public static func password(email: String) -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        while true {
            let candidate = String((0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
            if PasswordPolicy.problems(password: candidate, email: email).isEmpty { return candidate }
        }
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var output: [UInt8] = []
        var index = 0
        while index + 3 <= bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { output.append(alphabet[Int((value >> UInt32(shift)) & 63)]) }
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            var value = UInt32(bytes[index]) << 16
            if rest == 2 { value |= UInt32(bytes[index + 1]) << 8 }
            let count = rest == 1 ? 2 : 3
            for shift in [18, 12, 6, 0].prefix(count) { output.append(alphabet[Int((value >> UInt32(shift)) & 63)]) }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
