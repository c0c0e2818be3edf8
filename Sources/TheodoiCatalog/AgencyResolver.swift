import TheodoiCore

/// Splits an agency cell into bodies (DESIGN §4.2): directory agencies by longest match, unknown
/// bodies as written, generic groups ("các sở, ngành") kept apart, and text that names no agency.
struct AgencyResolver: Sendable {
    /// What one cell resolves to.
    struct Resolution: Sendable {
        var references: [AgencyReference] = []
        /// Unknown bodies as written (also in `references`, with kind `.unknown`).
        var unknown: [String] = []
        /// Pieces that name no agency ("Theo Hướng dẫn của …").
        var nonAgency: [String] = []
    }

    let directory: AgencyDirectory
    /// Whether each directory entry's name starts with an organisational head word.
    private let entryStartsWithHeadWord: [Bool]

    init(directory: AgencyDirectory) {
        self.directory = directory
        entryStartsWithHeadWord = directory.entries.map {
            AgencyResolver.headWordLength(AgencyTokenizer.tokens(of: $0.name), at: 0) > 0
        }
    }

    func resolve(_ text: String) -> Resolution {
        let tokens = AgencyTokenizer.tokens(of: text)
        var resolution = Resolution()
        var segmentStart: Int?
        var index = 0

        func closeSegment(before end: Int) {
            guard let start = segmentStart else { return }
            segmentStart = nil
            var last = end
            while last > start, tokens[last - 1].isSeparator { last -= 1 }
            var first = start
            while first < last, tokens[first].isSeparator { first += 1 }
            guard first < last else { return }
            let written = String(text[tokens[first].range.lowerBound..<tokens[last - 1].range.upperBound])
            classify(written, tokens: tokens[first..<last], into: &resolution)
        }

        while index < tokens.count {
            let token = tokens[index]
            if token.folded == ";" {
                closeSegment(before: index)
                index += 1
                continue
            }
            if token.isSeparator && segmentStart == nil {
                index += 1
                continue
            }
            let previous = index > 0 ? tokens[index - 1] : nil
            let afterSeparator = segmentStart == nil || (previous?.isSeparator ?? true)
            let afterLink = previous.map { AgencyResolver.linkingWords.contains($0.folded) } ?? false
            let startsWithHeadWord = token.isCapitalised && AgencyResolver.headWordLength(tokens, at: index) > 0

            if let match = directory.longestMatch(in: tokens, from: index) {
                let entry = directory.entries[match.entry]
                if afterSeparator || (entryStartsWithHeadWord[match.entry] && startsWithHeadWord && !afterLink) {
                    closeSegment(before: index)
                    resolution.add(AgencyReference(name: entry.name, generic: false, kind: entry.kind))
                    index = match.end
                    continue
                }
            }
            if let start = segmentStart {
                let splitAfterSeparator =
                    afterSeparator && (startsWithHeadWord || AgencyResolver.genericStarters.contains(token.folded))
                let segmentIsBody = !AgencyResolver.isGenericStart(tokens[start]) && index - start >= 2
                let splitWithoutSeparator =
                    segmentIsBody && token.isCapitalised && !afterLink
                    && AgencyResolver.strongHeadWords.contains(token.folded)
                if splitAfterSeparator || splitWithoutSeparator {
                    closeSegment(before: index)
                    segmentStart = index
                }
            } else {
                segmentStart = index
            }
            index += 1
        }
        closeSegment(before: tokens.count)
        return resolution
    }

    private func classify(_ written: String, tokens: ArraySlice<AgencyToken>, into resolution: inout Resolution) {
        let folded = VietnameseText.folded(written)
        let words = tokens.filter(\.isWord).map(\.folded)
        if AgencyResolver.isNonAgency(folded, words: words) {
            resolution.nonAgency.append(written)
            return
        }
        let firstLetterIsLower = written.first { $0.isLetter }?.isLowercase ?? false
        let generic =
            firstLetterIsLower
            || AgencyResolver.genericPrefixes.contains { folded.hasPrefix($0) }
            || words.dropFirst().prefix(2).contains { AgencyResolver.genericStarters.contains($0) }
            || folded.contains(" mot so ")
        if generic {
            resolution.add(AgencyReference(name: written, generic: true, kind: nil))
        } else {
            resolution.unknown.append(written)
            resolution.add(AgencyReference(name: written, generic: false, kind: .unknown))
        }
    }

    private static func isNonAgency(_ folded: String, words: [String]) -> Bool {
        if words.isEmpty || !folded.contains(where: \.isLetter) { return true }
        if nonAgencyWords.contains(folded) || nonAgencyPrefixes.contains(where: { folded.hasPrefix($0) }) {
            return true
        }
        switch Deadline(parsing: folded).kind {
        case .month, .quarter, .halfYear, .year, .date, .range, .recurring: return true
        case .external, .none, .unknown: return false
        }
    }

    private static func isGenericStart(_ token: AgencyToken) -> Bool {
        genericStarters.contains(token.folded) || !token.isCapitalised
    }

    /// Words after which a head word belongs to the name ("Phòng Nghiệp vụ của Bộ Tư pháp").
    static let linkingWords: Set<String> = ["cua", "thuoc", "tai", "voi", "cho", "theo", "tren", "trong", "o"]
    /// Words that open a generic group after a separator.
    static let genericStarters: Set<String> = ["cac", "nhung", "mot", "toan", "tat"]
    static let genericPrefixes: [String] = [
        "cac ", "nhung ", "mot so ", "toan bo ", "tat ca ", "chi nhanh ngan hang thuong mai",
        "ngan hang thuong mai", "dia phuong", "doanh nghiep", "to chuc lien quan", "co quan lien quan",
        "don vi lien quan", "ttyt", "trung tam y te",
    ]
    static let nonAgencyPrefixes: [String] = ["theo ", "khong ", "chua ", "tuy ", "neu ", "can cu ", "ghi chu"]
    static let nonAgencyWords: Set<String> = ["x", "-", "khong", "khong co", "chua co", "chua xac dinh"]
    /// Head words that split two unknown bodies written with no separator ("Sở A Sở B").
    static let strongHeadWords: Set<String> = ["bo", "so", "cuc", "ubnd", "ban"]

    /// Organisational head words, one or two tokens (DESIGN §4.2).
    static let headWords: Set<String> = [
        "bo", "so", "ban", "cuc", "van phong", "uy ban", "ubnd", "hdnd", "ubkt", "cong an", "toa an", "vien",
        "ngan hang", "kho bac", "thue", "bao", "dai", "trung tam", "truong", "dai hoc", "tong cong ty", "tap doan",
        "tinh doan", "hoi", "lien doan", "lien hiep", "thanh tra", "chi cuc", "tong cuc", "bo chi huy", "bao hiem",
        "cong ty", "hoc vien", "benh vien", "doan", "dang uy", "mat tran", "phong", "chi nhanh", "hoi dong",
        "vp", "vptw", "ubmttq", "bhxh", "kbnn", "quy", "thong ke", "hai quan", "vien kiem sat", "cao dang",
    ]

    /// How many tokens of the head word at `index` (0 when there is none).
    static func headWordLength(_ tokens: [AgencyToken], at index: Int) -> Int {
        guard index < tokens.count, tokens[index].isWord else { return 0 }
        if index + 1 < tokens.count, tokens[index + 1].isWord,
            headWords.contains(tokens[index].folded + " " + tokens[index + 1].folded)
        {
            return 2
        }
        return headWords.contains(tokens[index].folded) ? 1 : 0
    }
}

extension AgencyToken {
    /// A comma, "và", "+" or "/" between bodies; semicolons always split and are handled apart.
    var isSeparator: Bool { folded == "," || folded == "va" || folded == "+" || folded == "&" || folded == "/" }
}

extension AgencyResolver.Resolution {
    fileprivate mutating func add(_ reference: AgencyReference) {
        if !references.contains(reference) { references.append(reference) }
    }
}
