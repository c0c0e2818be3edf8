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
enum CellText {
    static func clean(_ raw: some StringProtocol) -> String {
        var text = Substring(raw)
        if text.contains(where: { $0.isWhitespace && $0 != " " }) || text.contains("  ") || text.first == " "
            || text.last == " "
        {
            text = Substring(collapse(text))
        }
        // "**I.**", "__A. NHÓM…__", "*1.*"
        while let first = text.first, first == "*" || first == "_", let last = text.last, last == first,
            text.count >= 2
        {
            text = text.dropFirst().dropLast()
            while text.first == " " { text = text.dropFirst() }
            while text.last == " " { text = text.dropLast() }
        }
        return String(text)
    }

    private static func collapse(_ text: Substring) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var pending = false
        for character in text {
            if character.isWhitespace {
                pending = !result.isEmpty
            } else {
                if pending { result.append(" ") }
                pending = false
                result.append(character)
            }
        }
        return result
    }
}
