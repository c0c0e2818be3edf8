/// One part of a `multipart/form-data` body: its headers and its bytes.
public struct MultipartPart: Sendable, Equatable {
    /// The part's headers in order, names as sent (ASCII tokens), values decoded as UTF-8.
    public var headers: [Header]
    /// The part's content, exactly as sent.
    public var body: [UInt8]

    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(headers: [Header], body: [UInt8]) {
        self.headers = headers
        self.body = body
    }

    /// The first header of that name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The field name of `Content-Disposition: form-data; name="…"`.
    public var name: String? { header("Content-Disposition").flatMap { HeaderParameter.value("name", in: $0) } }

    /// The file name of a file part (`filename="…"`), nil for a plain field.
    public var fileName: String? { header("Content-Disposition").flatMap { HeaderParameter.value("filename", in: $0) } }
}

/// Why a multipart body was refused.
public enum MultipartError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The boundary is empty, longer than 70 bytes or holds characters RFC 2046 does not allow.
    case invalidBoundary
    /// The body does not start with the boundary, a header line is not `name: value`, a header name
    /// is not an ASCII token, or a value is not UTF-8.
    case malformed(String)
    /// The closing delimiter never came: the body was cut short.
    case incomplete
    /// More parts, or larger header blocks, than a form ever needs.
    case tooLarge(String)

    public var description: String {
        switch self {
        case .invalidBoundary: "invalid multipart boundary"
        case .malformed(let detail): "malformed multipart body: \(detail)"
        case .incomplete: "multipart body without its closing delimiter"
        case .tooLarge(let detail): "multipart body too large: \(detail)"
        }
    }
}

/// A `multipart/form-data` parser (RFC 7578, RFC 2046 §5.1) over bytes that returns errors and never
/// traps: every index is checked, header names must be ASCII tokens, values valid UTF-8.
public enum MultipartParser {
    /// The most parts a body may hold.
    public static let maximumParts = 1_000
    /// The most headers a part may have.
    public static let maximumHeaders = 16
    /// The most bytes a part's header block may take.
    public static let maximumHeaderBytes = 8 * 1024

    /// Every part of `body`, or why it is not a well-formed multipart body.
    public static func parse(_ body: [UInt8], boundary: String) throws(MultipartError) -> [MultipartPart] {
        var cursor = try Cursor(body: body, boundary: boundary)
        var parts: [MultipartPart] = []
        while let part = try cursor.nextPart() {
            parts.append(part)
            if parts.count > maximumParts { throw .tooLarge("more than \(maximumParts) parts") }
        }
        return parts
    }

    /// What the start of a body being received says about its first part.
    public enum Leading: Sendable, Equatable {
        /// The first part is not complete yet: read more.
        case needMore
        /// The first part, complete.
        case part(MultipartPart)
    }

    /// The first part of a body that may still be arriving (a CSRF token is checked from it before
    /// the rest is read); throws as `parse` does when what has arrived is already malformed.
    public static func leadingPart(_ prefix: [UInt8], boundary: String) throws(MultipartError) -> Leading {
        do {
            var cursor = try Cursor(body: prefix, boundary: boundary, partial: true)
            guard let part = try cursor.nextPart() else { return .needMore }
            return .part(part)
        } catch .incomplete {
            return .needMore
        }
    }

    /// Whether a boundary parameter is one RFC 2046 allows: 1–70 of its `bchars`, not ending in a space.
    public static func isValidBoundary(_ boundary: String) -> Bool {
        let bytes = Array(boundary.utf8)
        guard (1...70).contains(bytes.count), bytes.last != 0x20 else { return false }
        let allowed = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ".utf8)
        return bytes.allSatisfy { allowed.contains($0) }
    }

    private struct Cursor {
        let body: [UInt8]
        /// `--boundary`
        let dashBoundary: [UInt8]
        /// Reading a body still arriving: running out of bytes is `incomplete`, not a broken body.
        let partial: Bool
        var position: Int
        var finished = false

        init(body: [UInt8], boundary: String, partial: Bool = false) throws(MultipartError) {
            guard MultipartParser.isValidBoundary(boundary) else { throw .invalidBoundary }
            self.body = body
            self.partial = partial
            dashBoundary = Array("--\(boundary)".utf8)
            // A preamble may come before the first delimiter; the delimiter then follows a CRLF.
            if body.starts(with: dashBoundary) {
                position = dashBoundary.count
            } else if let found = MultipartParser.find([0x0D, 0x0A] + dashBoundary, in: body, from: 0) {
                position = found + 2 + dashBoundary.count
            } else {
                if partial && body.count < 4096 { throw .incomplete }
                throw .malformed("the body does not start with the boundary")
            }
        }

        /// The next part, nil after the closing delimiter.
        mutating func nextPart() throws(MultipartError) -> MultipartPart? {
            guard !finished else { return nil }
            // After a delimiter: "--" closes the body; otherwise optional padding, then CRLF.
            guard position + 2 <= body.count else { throw .incomplete }
            if body[position] == 0x2D && body[position + 1] == 0x2D {
                finished = true
                return nil
            }
            while position < body.count, body[position] == 0x20 || body[position] == 0x09 { position += 1 }
            guard position + 2 <= body.count else { throw .incomplete }
            guard body[position] == 0x0D, body[position + 1] == 0x0A else {
                throw .malformed("a delimiter is not followed by a line break")
            }
            position += 2
            let headers = try readHeaders()
            let delimiter = [0x0D, 0x0A] + dashBoundary
            guard let end = MultipartParser.find(delimiter, in: body, from: position) else { throw .incomplete }
            let content = Array(body[position..<end])
            position = end + delimiter.count
            return MultipartPart(headers: headers, body: content)
        }

        /// Header lines up to the empty line.
        private mutating func readHeaders() throws(MultipartError) -> [MultipartPart.Header] {
            var headers: [MultipartPart.Header] = []
            let start = position
            while true {
                guard let lineEnd = MultipartParser.find([0x0D, 0x0A], in: body, from: position) else {
                    if body.count - start > MultipartParser.maximumHeaderBytes { throw .tooLarge("a header block") }
                    throw .incomplete
                }
                guard lineEnd - start <= MultipartParser.maximumHeaderBytes else { throw .tooLarge("a header block") }
                let line = body[position..<lineEnd]
                position = lineEnd + 2
                if line.isEmpty { return headers }
                guard let colon = line.firstIndex(of: 0x3A), colon > line.startIndex else {
                    throw .malformed("a header line without a name")
                }
                let nameBytes = line[line.startIndex..<colon]
                guard nameBytes.allSatisfy(MultipartParser.isTokenByte) else {
                    throw .malformed("a header name that is not an ASCII token")
                }
                guard let value = String(validating: line[(colon + 1)...], as: UTF8.self) else {
                    throw .malformed("a header value that is not UTF-8")
                }
                headers.append(
                    MultipartPart.Header(
                        name: String(decoding: nameBytes, as: UTF8.self),
                        value: value.trimmingSpacesAndTabs()))
                guard headers.count <= MultipartParser.maximumHeaders else { throw .tooLarge("too many headers in a part") }
            }
        }
    }

    /// RFC 9110 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: true
        default: false
        }
    }

    /// The first index at or after `start` where `pattern` occurs in `bytes`.
    static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard let first = pattern.first, start >= 0, pattern.count <= bytes.count else { return nil }
        let last = bytes.count - pattern.count
        var index = start
        while index <= last {
            if bytes[index] == first {
                var matched = true
                var offset = 1
                while offset < pattern.count {
                    if bytes[index + offset] != pattern[offset] {
                        matched = false
                        break
                    }
                    offset += 1
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }
}

extension String {
    func trimmingSpacesAndTabs() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
