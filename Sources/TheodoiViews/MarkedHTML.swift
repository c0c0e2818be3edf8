import TheodoiCore

/// Text with the words of a search marked, as an HTML fragment: every piece escaped as the
/// templates escape text, the marked ones inside `<mark>`. Made here rather than by a template
/// section per piece, which cost more than the rest of a page of results.
enum MarkedHTML {
    static func html(_ pieces: [SearchWords.Piece]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(pieces.reduce(0) { $0 + $1.text.utf8.count } + 16)
        for piece in pieces {
            if piece.isMarked { bytes.append(contentsOf: "<mark>".utf8) }
            for byte in piece.text.utf8 {
                switch byte {
                case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): bytes.append(contentsOf: "&#39;".utf8)
                default: bytes.append(byte)
                }
            }
            if piece.isMarked { bytes.append(contentsOf: "</mark>".utf8) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
