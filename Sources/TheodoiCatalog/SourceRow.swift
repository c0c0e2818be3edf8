/// One row of a source table, or one line of text outside it, with its 1-based line.
struct SourceRow: Sendable, Equatable {
    var line: Int
    var cells: [String]
    /// A line of text with no cell structure (a title, a heading, a part header without tabs).
    var isText: Bool

    /// The text of the row: non-empty cells joined with one space.
    var joined: String { cells.filter { !$0.isEmpty }.joined(separator: " ") }
    var isBlank: Bool { cells.allSatisfy(\.isEmpty) }
}

/// Cell text as every reader hands it on: whitespace collapsed, Markdown emphasis around it removed.
///
/// Works on UTF-8 bytes: after `CatalogueText.normalise` the only white space left is ASCII.
enum CellText {
    static func clean(_ raw: String) -> String { clean(Substring(raw)) }

    static func clean(_ raw: Substring) -> String {
        let utf8 = raw.utf8
        guard let first = utf8.first, let last = utf8.last else { return "" }
        var needsWork = first == 0x20 || last == 0x20 || isEmphasis(first) || isEmphasis(last)
        if !needsWork {
            var previousSpace = false
            for byte in utf8 {
                if byte == 0x20 {
                    if previousSpace {
                        needsWork = true
                        break
                    }
                    previousSpace = true
                } else if byte < 0x20 {
                    needsWork = true
                    break
                } else {
                    previousSpace = false
                }
            }
        }
        guard needsWork else { return String(raw) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var pendingSpace = false
        for byte in utf8 {
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                pendingSpace = !bytes.isEmpty
            } else {
                if pendingSpace { bytes.append(0x20) }
                pendingSpace = false
                bytes.append(byte)
            }
        }
        // "**I.**", "__A. NHÓM…__", "*1.*"
        var start = 0
        var end = bytes.count
        while end - start >= 2, isEmphasis(bytes[start]), bytes[end - 1] == bytes[start] {
            start += 1
            end -= 1
            while start < end, bytes[start] == 0x20 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 { end -= 1 }
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private static func isEmphasis(_ byte: UInt8) -> Bool { byte == 0x2A || byte == 0x5F }
}
