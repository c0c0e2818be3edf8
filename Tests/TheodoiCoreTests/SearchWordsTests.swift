import Foundation
import Testing
import TheodoiCore

@Suite("Search words")
struct SearchWordsTests {
    @Test(
        "a search splits into folded words: no diacritics, no case, đ as d, punctuation around words dropped",
        arguments: [
            ("khoa hoc cong nghe", ["khoa", "hoc", "cong", "nghe"]),
            ("công nghệ KHOA học", ["cong", "nghe", "khoa", "hoc"]),
            ("Sở Khoa học và Công nghệ", ["so", "khoa", "hoc", "va", "cong", "nghe"]),
            ("ĐẢNG   đoàn\u{00A0}Đảng\tủy", ["dang", "doan", "uy"]),
            ("  ", []), ("", []), ("- & –", []),
            ("“chữ ký số”, (A.17.1).", ["chu", "ky", "so", "a.17.1"]),
            ("KH&CN 100% a_b", ["kh&cn", "100%", "a_b"]),
            ("Chữ ký số".decomposedStringWithCanonicalMapping, ["chu", "ky", "so"]),
            ("Ưu tiên ƠN ư", ["uu", "tien", "on", "u"]),
        ])
    func words(text: String, expected: [String]) {
        let search = SearchWords(text)
        #expect(search.words == expected)
        #expect(search.isEmpty == expected.isEmpty)
    }

    @Test("words no other word contains are what a filter needs, the longest first")
    func filterWords() {
        #expect(SearchWords("cong congnghe nghe hoc").filterWords == ["congnghe", "hoc"])
        #expect(SearchWords("a a b").filterWords == ["a", "b"])
        #expect(SearchWords("").filterWords == [])
    }

    @Test("a search keeps at most a hundred distinct words")
    func bounded() {
        let many = (0..<500).map { "w\($0)" }.joined(separator: " ")
        #expect(SearchWords(many).words.count == SearchWords.maximumCount)
        #expect(SearchWords(String(repeating: "a ", count: 10_000)).words == ["a"])
    }

    @Test(
        "every word must occur, in any order, anywhere in the text",
        arguments: [
            ("khoa hoc cong nghe", "Sở Khoa học và Công nghệ", true),
            ("công nghệ KHOA học", "Sở Khoa học và Công nghệ", true),
            ("nghe khoa", "Sở Khoa học và Công nghệ", true),
            ("khoa hoc cong nghe", "Sở Khoa học", false),
            ("dang uy", "Đảng ủy Ủy ban nhân dân tỉnh", true),
            ("chuyen doi", "Chuyển đổi số", true),
            ("chuyendoi", "Chuyển đổi số", false),
            ("", "bất kỳ", true),
        ])
    func matches(query: String, text: String, expected: Bool) {
        #expect(SearchWords(query).matches(text) == expected)
    }

    @Test(
        "marks fall on the original characters, diacritics and case as written",
        arguments: [
            ("khoa hoc", "Sở Khoa học và Công nghệ", "Sở [Khoa] [học] và Công nghệ"),
            ("cong nghe khoa", "Sở Khoa học và Công nghệ", "Sở [Khoa] học và [Công] [nghệ]"),
            ("dang", "Đảng ủy; ĐẢNG viên; đang", "[Đảng] ủy; [ĐẢNG] viên; [đang]"),
            ("ong", "Công nghệ", "C[ông] nghệ"),
            ("uy ban", "Ủy ban", "[Ủy] [ban]"),
            ("an toan", "an toàn, an ninh", "[an] [toàn], [an] ninh"),
            ("aa", "aaa", "[aaa]"),
            ("ky so", "chữ ký số", "chữ [ký] [số]"),
            ("xyz", "Sở Khoa học", "Sở Khoa học"),
            ("", "Sở Khoa học", "Sở Khoa học"),
            ("a", "", ""),
            ("<b>", "x <b>bold</b> &", "x [<b>]bold</b> &"),
            ("&", "a & b", "a & b"),
            ("so", "\u{00A0}số\u{00A0}", "\u{00A0}[số]\u{00A0}"),
        ])
    func marked(query: String, text: String, expected: String) {
        let pieces = SearchWords(query).marked(text)
        #expect(pieces.map { $0.isMarked ? "[\($0.text)]" : $0.text }.joined() == expected)
        #expect(pieces.map(\.text).joined() == text)
    }

    @Test("text in NFD is marked by whole characters, never between a letter and its accents")
    func decomposed() {
        let text = "Sở Khoa học và Công nghệ".decomposedStringWithCanonicalMapping
        let pieces = SearchWords("hoc nghe").marked(text)
        #expect(pieces.map(\.text).joined() == text)
        let marked = pieces.filter(\.isMarked).map(\.text)
        #expect(marked == ["học".decomposedStringWithCanonicalMapping, "nghệ".decomposedStringWithCanonicalMapping])
    }

    @Test("any text, however odd, comes back whole, in alternating runs, marked where a word is")
    func anyText() {
        var generator = SplitMix(seed: 16)
        let alphabet: [Unicode.Scalar] = [
            "a", "A", "d", "đ", "Đ", "ệ", "Ệ", "o", "ơ", " ", "\u{00A0}", "\t", "\n", "\u{0301}", "\u{0323}", "\u{0302}",
            "\u{200D}", "👍", "🏽", "&", "<", "%", "_", "\\", "\u{FFFD}", "ß", "İ", "ﬁ", "\u{1100}", "\u{1161}", "\r",
        ]
        for _ in 0..<2_000 {
            let text = String(
                String.UnicodeScalarView(
                    (0..<generator.next(upTo: 24)).map { _ in alphabet[generator.next(upTo: alphabet.count)] }))
            let query = String(
                String.UnicodeScalarView(
                    (0..<generator.next(upTo: 6)).map { _ in alphabet[generator.next(upTo: alphabet.count)] }))
            let search = SearchWords(query)
            let pieces = search.marked(text)
            #expect(pieces.map(\.text).joined() == text, "\(text.debugDescription) / \(query.debugDescription)")
            #expect(zip(pieces, pieces.dropFirst()).allSatisfy { $0.isMarked != $1.isMarked })
            #expect(pieces.count == 1 || pieces.allSatisfy { !$0.text.isEmpty })
            // A marked run holds a word; a text with every word in it has a mark.
            for piece in pieces where piece.isMarked {
                let folded = Array(VietnameseText.folded(piece.text).utf8)
                #expect(search.words.contains { word in containsBytes(folded, Array(word.utf8)) })
            }
            if !search.isEmpty, search.matches(text) { #expect(pieces.contains { $0.isMarked }) }
        }
    }
}

/// A small deterministic generator, so a failing case can be run again.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(upTo bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(max(bound, 1)))
    }
}

/// Whether `haystack` holds `needle` as a run of bytes (the store's LIKE compares no more than that).
func containsBytes(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty else { return true }
    guard needle.count <= haystack.count else { return false }
    return (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<($0 + needle.count)]) == needle }
}
