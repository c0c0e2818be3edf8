import Foundation
import Testing
import TheodoiCore

@testable import TheodoiExport

/// The heading, signature and "Nơi nhận" of the DOCX, element by element, against the guide each
/// follows: Hướng dẫn 36-HD/VPTW (03/4/2018) of the Party's Central Office for Party documents,
/// Nghị định 30/2020/NĐ-CP, Phụ lục I, for State documents. Sizes are Word's half-points (28 = 14 pt).
@Suite("Document format (Hướng dẫn 36-HD/VPTW, Nghị định 30/2020/NĐ-CP)")
struct DocumentFormatTests {
    static func document(_ format: OfficialDocument.Format) -> OfficialDocument {
        let party = format == .party
        return OfficialDocument(
            format: format, issuerLines: party ? ["TỈNH ỦY GIA LAI"] : ["UBND TỈNH GIA LAI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"],
            number: party ? "Số 125-BC/TU" : "Số: 125/BC-SKHCN", placeAndDate: "Gia Lai, ngày 06 tháng 12 năm 2026",
            kind: "BÁO CÁO", subject: ["kết quả thực hiện Quyết định số 343-QĐ/TU ngày 03/9/2025"],
            body: [.section("I. TÌNH HÌNH TRIỂN KHAI"), .paragraph([.init("Nội dung.")])],
            signatureAuthority: party ? ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"] : ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
            signer: "Nguyễn Văn A", recipients: ["Thường trực Tỉnh ủy (b/c)", "Lưu Văn phòng Tỉnh ủy"], appendix: nil)
    }

    /// The run properties of the run whose text is exactly `text`.
    static func properties(_ xml: String, _ text: String) throws -> String {
        let escaped = NSRegularExpression.escapedPattern(for: text)
        let pattern = try NSRegularExpression(
            pattern: #"<w:r>(?:<w:rPr>((?:(?!</w:rPr>).)*)</w:rPr>)?<w:t xml:space="preserve">"# + escaped + "</w:t></w:r>")
        let match = try #require(
            pattern.firstMatch(in: xml, range: NSRange(xml.startIndex..., in: xml)), "no run “\(text)”")
        guard let range = Range(match.range(at: 1), in: xml) else { return "" }
        return String(xml[range])
    }

    /// The table row (`<w:tr>…</w:tr>`) that holds `text`.
    static func row(_ xml: String, holding text: String) throws -> String {
        let at = try #require(xml.range(of: text))
        let start = try #require(xml.range(of: "<w:tr>", options: .backwards, range: xml.startIndex..<at.lowerBound))
        let end = try #require(xml.range(of: "</w:tr>", range: at.upperBound..<xml.endIndex))
        return String(xml[start.lowerBound..<end.upperBound])
    }

    @Test("Party: every element of the heading, the signature and Nơi nhận as Hướng dẫn 36-HD/VPTW sets it")
    func party() throws {
        let xml = DOCXWriter.body(Self.document(.party))
        // Mục 1: tiêu đề "ĐẢNG CỘNG SẢN VIỆT NAM": in hoa, cỡ 15, đứng, đậm, a line under it.
        let title = try Self.properties(xml, "ĐẢNG CỘNG SẢN VIỆT NAM")
        #expect(title.contains("<w:b/>") && title.contains("<w:u w:val=\"single\"/>") && title.contains("<w:sz w:val=\"30\"/>"))
        #expect(!title.contains("<w:i/>"))
        // Mục 2: tên cơ quan ban hành: in hoa, cỡ 14, đứng, đậm; dấu sao (*) dưới tên.
        let issuer = try Self.properties(xml, "TỈNH ỦY GIA LAI")
        #expect(issuer.contains("<w:b/>") && issuer.contains("<w:sz w:val=\"28\"/>") && !issuer.contains("<w:u "))
        #expect(try Self.properties(xml, "*").contains("<w:sz w:val=\"28\"/>"))
        // Mục 3: số và ký hiệu: "Số 125-BC/TU", in thường, cỡ 14, đứng (no colon in Party documents).
        let number = try Self.properties(xml, "Số 125-BC/TU")
        #expect(number == "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>")
        // Mục 4: địa danh, ngày tháng năm: in thường, cỡ 14, nghiêng; on the number's line.
        let date = try Self.properties(xml, "Gia Lai, ngày 06 tháng 12 năm 2026")
        #expect(date.contains("<w:i/>") && date.contains("<w:sz w:val=\"28\"/>") && !date.contains("<w:b/>"))
        #expect(try Self.row(xml, holding: "Số 125-BC/TU").contains("Gia Lai, ngày 06 tháng 12 năm 2026"))
        // Mục 5: tên loại: in hoa, cỡ 15–16, đứng, đậm; trích yếu: in thường, cỡ 14–15, đứng, đậm; "-----" under it.
        let kind = try Self.properties(xml, "BÁO CÁO")
        #expect(kind.contains("<w:b/>") && kind.contains("<w:sz w:val=\"32\"/>"))
        let subject = try Self.properties(xml, "kết quả thực hiện Quyết định số 343-QĐ/TU ngày 03/9/2025")
        #expect(subject.contains("<w:b/>") && subject.contains("<w:sz w:val=\"28\"/>") && !subject.contains("<w:i/>"))
        #expect(xml.contains(">-----</w:t>"))
        // Mục 7: quyền hạn, chức vụ: in hoa, cỡ 14, đứng, đậm; họ tên: in thường, cỡ 14, đứng, đậm.
        for line in ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Nguyễn Văn A"] {
            let properties = try Self.properties(xml, line)
            #expect(
                properties.contains("<w:b/>") && properties.contains("<w:sz w:val=\"28\"/>") && !properties.contains("<w:i/>"))
        }
        // Mục 9: "Nơi nhận:" in thường, cỡ 14, đứng, gạch chân; each recipient cỡ 12, a comma, the last a full stop.
        let recipients = try Self.properties(xml, "Nơi nhận:")
        #expect(recipients.contains("<w:u w:val=\"single\"/>") && recipients.contains("<w:sz w:val=\"28\"/>"))
        #expect(!recipients.contains("<w:b/>") && !recipients.contains("<w:i/>"))
        #expect(try Self.properties(xml, "- Thường trực Tỉnh ủy (b/c),").contains("<w:sz w:val=\"24\"/>"))
        #expect(try Self.properties(xml, "- Lưu Văn phòng Tỉnh ủy.").contains("<w:sz w:val=\"24\"/>"))
        // The signature and Nơi nhận are one row that does not split across pages.
        #expect(try Self.row(xml, holding: "Nơi nhận:").contains("<w:cantSplit/>"))
    }

    @Test("State: every element of the heading, the signature and Nơi nhận as Nghị định 30/2020/NĐ-CP sets it")
    func state() throws {
        let xml = DOCXWriter.body(Self.document(.state))
        // Phụ lục I, II.1: quốc hiệu in hoa cỡ 12–13 đứng đậm; tiêu ngữ in thường cỡ 13–14 đứng đậm, a line under it.
        let motto = try Self.properties(xml, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        #expect(motto.contains("<w:b/>") && motto.contains("<w:sz w:val=\"26\"/>"))
        let slogan = try Self.properties(xml, "Độc lập - Tự do - Hạnh phúc")
        #expect(
            slogan.contains("<w:b/>") && slogan.contains("<w:u w:val=\"single\"/>") && slogan.contains("<w:sz w:val=\"28\"/>"))
        // II.2: cơ quan chủ quản in hoa cỡ 12–13 đứng; cơ quan ban hành in hoa cỡ 12–13 đứng đậm, a line under it.
        let superior = try Self.properties(xml, "UBND TỈNH GIA LAI")
        #expect(!superior.contains("<w:b/>") && superior.contains("<w:sz w:val=\"26\"/>"))
        let issuer = try Self.properties(xml, "SỞ KHOA HỌC VÀ CÔNG NGHỆ")
        #expect(
            issuer.contains("<w:b/>") && issuer.contains("<w:u w:val=\"single\"/>") && issuer.contains("<w:sz w:val=\"26\"/>"))
        // II.3: "Số:" in thường cỡ 13 đứng. II.4: địa danh, thời gian in thường cỡ 13–14 nghiêng, on the number's line.
        #expect(try Self.properties(xml, "Số: 125/BC-SKHCN") == "<w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/>")
        let date = try Self.properties(xml, "Gia Lai, ngày 06 tháng 12 năm 2026")
        #expect(date.contains("<w:i/>") && date.contains("<w:sz w:val=\"28\"/>"))
        #expect(try Self.row(xml, holding: "Số: 125/BC-SKHCN").contains("Gia Lai, ngày 06 tháng 12 năm 2026"))
        // II.5: tên loại in hoa cỡ 13–14 đứng đậm.
        let kind = try Self.properties(xml, "BÁO CÁO")
        #expect(kind.contains("<w:b/>") && kind.contains("<w:sz w:val=\"28\"/>"))
        // II.7: quyền hạn, chức vụ in hoa cỡ 13–14 đứng đậm; họ tên in thường cỡ 13–14 đứng đậm.
        for line in ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"] {
            #expect(try Self.properties(xml, line).contains("<w:b/>"))
        }
        // II.9: "Nơi nhận:" in thường cỡ 12 nghiêng đậm; recipients cỡ 11, a semicolon, the last a full stop.
        let recipients = try Self.properties(xml, "Nơi nhận:")
        #expect(recipients.contains("<w:b/>") && recipients.contains("<w:i/>") && recipients.contains("<w:sz w:val=\"24\"/>"))
        #expect(try Self.properties(xml, "- Thường trực Tỉnh ủy (b/c);").contains("<w:sz w:val=\"22\"/>"))
        #expect(try Self.properties(xml, "- Lưu Văn phòng Tỉnh ủy.").contains("<w:sz w:val=\"22\"/>"))
    }

    @Test("both: A4, margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman (NĐ 30, Phụ lục I, I.3 and I.5)")
    func page() {
        let xml = DOCXWriter.body(Self.document(.party))
        #expect(xml.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"))
        #expect(xml.contains("w:top=\"1134\" w:right=\"851\" w:bottom=\"1134\" w:left=\"1701\""))
        #expect(DOCXWriter.styles.contains("w:ascii=\"Times New Roman\""))
    }
}
