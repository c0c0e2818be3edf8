import TheodoiCore

/// Where each column of a catalogue table is, found from the header row's names (DESIGN §4.1).
struct ColumnMap: Sendable, Equatable {
    /// The columns a catalogue has.
    enum Role: CaseIterable, Sendable {
        case number, title, lead, coordinators, deadline, output
    }

    var number: Int
    var title: Int
    var lead: Int?
    var coordinators: Int?
    var deadline: Int?
    var output: Int?
    /// How many cells the header has.
    var width: Int

    func index(of role: Role) -> Int? {
        switch role {
        case .number: number
        case .title: title
        case .lead: lead
        case .coordinators: coordinators
        case .deadline: deadline
        case .output: output
        }
    }

    /// The map of a header row, or nil when the row is not a header (it needs the number and title
    /// columns and at least one of lead and deadline).
    init?(header cells: [String]) {
        // Most rows are tasks: only a row with a short cell naming the number column can be a header.
        guard cells.contains(where: ColumnMap.mayNameNumberColumn) else { return nil }
        var found: [Role: Int] = [:]
        for (index, cell) in cells.enumerated() where !cell.isEmpty {
            guard cell.utf8.count <= 120, let role = ColumnMap.role(of: cell), found[role] == nil else { continue }
            found[role] = index
        }
        guard let number = found[.number], let title = found[.title], found[.lead] != nil || found[.deadline] != nil
        else { return nil }
        self.number = number
        self.title = title
        self.lead = found[.lead]
        self.coordinators = found[.coordinators]
        self.deadline = found[.deadline]
        self.output = found[.output]
        self.width = cells.count
    }

    /// A cheap test before folding: the number column is named "TT", "STT", "Số TT", "Thứ tự", "Mã"…
    static func mayNameNumberColumn(_ cell: String) -> Bool {
        guard cell.utf8.count <= 20, let first = cell.utf8.first, [0x54, 0x74, 0x53, 0x73, 0x4D, 0x6D].contains(first)
        else { return false }
        return exactNames[headerKey(cell)] == .number
    }

    static func role(of cell: String) -> Role? {
        let key = headerKey(cell)
        if let role = exactNames[key] { return role }
        for (role, names) in synonyms where role != .number {
            for name in names where name.utf8.count > 6 && key.hasPrefix(name) { return role }
        }
        return nil
    }

    /// A header cell folded, without trailing punctuation or a parenthesised note.
    private static func headerKey(_ cell: String) -> String {
        var folded = VietnameseText.folded(cell)
        while let last = folded.utf8.last, last == 0x3A || last == 0x2E || last == 0x2A || last == 0x20 {
            folded.removeLast()
        }
        if let parenthesis = folded.firstIndex(of: "("), parenthesis > folded.startIndex {
            folded = String(folded[..<parenthesis]).trimmingSpaces
        }
        return folded
    }

    private static let exactNames: [String: Role] = {
        var names: [String: Role] = [:]
        for (role, list) in synonyms {
            for name in list where names[name] == nil { names[name] = role }
        }
        return names
    }()

    /// Header names by role, folded; the longer names also match as prefixes.
    static let synonyms: [(Role, [String])] = [
        (.number, ["tt", "stt", "so tt", "so thu tu", "thu tu", "ma", "ma so", "so"]),
        (
            .title,
            [
                "noi dung thuc hien", "noi dung nhiem vu", "ten nhiem vu", "nhiem vu", "noi dung", "noi dung cong viec",
                "nhiem vu, giai phap", "ten nhiem vu, noi dung", "cong viec",
            ]
        ),
        (
            .lead,
            [
                "don vi chu tri", "co quan chu tri", "chu tri", "co quan, don vi chu tri", "don vi chu tri thuc hien",
                "co quan chu tri thuc hien", "co quan thuc hien", "don vi thuc hien",
            ]
        ),
        (.coordinators, ["don vi phoi hop", "co quan phoi hop", "phoi hop", "co quan, don vi phoi hop"]),
        (
            .deadline,
            [
                "thoi gian hoan thanh", "thoi han hoan thanh", "thoi han", "thoi gian", "thoi gian thuc hien",
                "tien do hoan thanh", "tien do", "han hoan thanh",
            ]
        ),
        (
            .output,
            [
                "muc tieu, san pham dau ra", "san pham dau ra", "san pham", "ket qua", "ket qua dau ra", "muc tieu",
                "san pham, ket qua", "ket qua, san pham", "muc tieu, san pham", "ket qua du kien", "san pham du kien",
            ]
        ),
    ]
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
