import Testing
import TheodoiCore

@Suite("Vietnamese text")
struct VietnameseTextTests {
    @Test(
        "search folding drops diacritics and case, and turns đ into d",
        arguments: [
            ("Chữ ký số", "chu ky so"), ("TỈNH ỦY", "tinh uy"), ("Tỉnh ủy", "tinh uy"), ("Đảng viên", "dang vien"),
            ("đảng viên", "dang vien"), ("Sở Khoa học và Công nghệ", "so khoa hoc va cong nghe"),
            ("  Hội\u{00A0}đồng\tnhân   dân ", "hoi dong nhan dan"), ("ĐỒNG BỘ DỮ LIỆU", "dong bo du lieu"),
            ("Ưu tiên ơn", "uu tien on"), ("KH&CN 100%", "kh&cn 100%"),
        ])
    func folding(text: String, folded: String) {
        #expect(VietnameseText.folded(text) == folded)
        #expect(text.foldedForSearch == folded)
    }

    @Test("NFD text folds and normalises like NFC text")
    func decomposed() {
        let nfc = "Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học"
        let nfd = nfc.decomposedStringWithCanonicalMappingForTest
        #expect(Array(nfd.unicodeScalars) != Array(nfc.unicodeScalars))
        #expect(VietnameseText.nfc(nfd) == nfc)
        #expect(Array(VietnameseText.nfc(nfd).unicodeScalars) == Array(nfc.unicodeScalars))
        #expect(VietnameseText.folded(nfd) == VietnameseText.folded(nfc))
    }

    @Test("white space of every kind collapses to single spaces")
    func whitespace() {
        #expect(VietnameseText.collapsingWhitespace(" a\u{00A0}\u{00A0}b\n\tc  ") == "a b c")
        #expect(VietnameseText.collapsingWhitespace("") == "")
    }
}

/// White space collapsed the same whether the fast byte check lets a text through or not.
@Suite("Collapsing white space")
struct CollapsingWhitespaceTests {
    @Test(
        "every kind of Unicode white space collapses; text without any comes back as it is",
        arguments: [
            ("Đã xây dựng kho dữ liệu", "Đã xây dựng kho dữ liệu"), ("a  b", "a b"), (" a", "a"), ("a ", "a"), ("", ""),
            (" ", ""), ("a\u{00A0}b", "a b"), ("a\u{2009}b", "a b"), ("a\u{3000}b", "a b"), ("a\u{1680}b", "a b"),
            ("a\u{205F}b", "a b"), ("a\u{2028}b", "a b"), ("a\u{0085}b", "a b"), ("a\r\nb", "a b"), ("a\tb", "a b"),
            ("ạ ả ấ ầ ẩ ẫ ậ", "ạ ả ấ ầ ẩ ẫ ậ"), ("“chuyển đổi số” – 100%", "“chuyển đổi số” – 100%"),
            ("a\u{2010}b", "a\u{2010}b"),
        ])
    func collapses(text: String, expected: String) {
        #expect(VietnameseText.collapsingWhitespace(text) == expected)
    }
}
