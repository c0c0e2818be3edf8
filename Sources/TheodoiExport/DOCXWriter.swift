import TheodoiCore

/// An editable Word document (WordprocessingML) of a formal document: Times New Roman, A4 with the
/// margins of Nghị định 30/2020/NĐ-CP (top and bottom 20 mm, left 30 mm, right 15 mm), body 14 pt,
/// the heading and signature blocks as borderless tables, and the appendix in its own landscape
/// section with a bordered table whose heading row repeats on every page.
public enum DOCXWriter {
    public static func bytes(_ document: OfficialDocument) throws(OfficeFileError) -> [UInt8] {
        try OfficePackage.zip([
            ("[Content_Types].xml", contentTypes), ("_rels/.rels", rootRelationships),
            ("word/document.xml", body(document)), ("word/_rels/document.xml.rels", documentRelationships),
            ("word/styles.xml", styles), ("word/settings.xml", settings),
            ("docProps/core.xml", core(document.kind + " " + document.subject.joined(separator: " "))),
        ])
    }

    // MARK: Page geometry (twentieths of a point)

    static let portraitWidth = 11_906
    static let portraitHeight = 16_838
    static let margins = (top: 1_134, bottom: 1_134, left: 1_701, right: 851)
    static var portraitText: Int { portraitWidth - margins.left - margins.right }
    static let landscapeMargins = (top: 1_134, bottom: 1_134, left: 1_134, right: 851)
    static var landscapeText: Int { portraitHeight - landscapeMargins.left - landscapeMargins.right }

    // MARK: Document

    static func body(_ document: OfficialDocument) -> String {
        var xml =
            #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + #"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>"#
        xml += heading(document)
        // Tên loại: 15–16 pt bold (Party), 13–14 pt bold (State); the subject bold under it.
        xml += paragraph(
            [Text(document.kind, bold: true, size: document.format == .party ? 32 : 28)], align: "center", before: 240)
        for line in document.subject { xml += paragraph([Text(line, bold: true)], align: "center") }
        xml += paragraph([Text(document.format == .party ? "-----" : "__________", bold: false)], align: "center", after: 240)
        for (index, block) in document.body.enumerated() {
            // The closing paragraph stays with the signature: the signature never stands alone on a page.
            let closing = index == document.body.count - 1
            switch block {
            case .section(let text):
                xml += paragraph([Text(text, bold: true)], align: "both", firstLine: 567, before: 120, after: 60, keepNext: true)
            case .subsection(let text):
                xml += paragraph([Text(text, bold: true)], align: "both", firstLine: 567, before: 60, after: 60, keepNext: true)
            case .paragraph(let runs):
                xml += paragraph(
                    runs.map { Text($0.text, bold: $0.bold, italic: $0.italic) }, align: "both", firstLine: 567, after: 60,
                    keepNext: closing)
            case .bullet(let runs):
                xml += paragraph(
                    [Text("- ")] + runs.map { Text($0.text, bold: $0.bold, italic: $0.italic) }, align: "both", firstLine: 567,
                    after: 60, keepNext: closing)
            }
        }
        xml += signature(document)
        if let verification = document.verification {
            xml += paragraph([Text(verification, italic: true, size: 18)], align: "left", before: 240)
        }
        if let appendix = document.appendix {
            xml += sectionBreak(landscape: false)
            xml += appendixTable(appendix)
            xml += sectionProperties(landscape: true)
        } else {
            xml += sectionProperties(landscape: false)
        }
        return xml + "</w:body></w:document>"
    }

    /// The heading as one borderless table of rows, so what faces each other stands on one
    /// baseline: the issuing body and the motto, (Party) the star, then the number and the place
    /// and date. Sizes follow Hướng dẫn 36-HD/VPTW (Party: body 14 pt bold, its superior 14 pt,
    /// "ĐẢNG CỘNG SẢN VIỆT NAM" 15 pt bold underlined, number 14 pt) and Nghị định 30/2020/NĐ-CP,
    /// Phụ lục I (State: issuer and motto 13 pt, number 13 pt); the place and date 14 pt italic.
    static func heading(_ document: OfficialDocument) -> String {
        let party = document.format == .party
        let left = portraitText * 42 / 100
        let right = portraitText - left
        let issuerSize = party ? 28 : 26
        var issuer = ""
        for (index, line) in document.issuerLines.enumerated() {
            let isLast = index == document.issuerLines.count - 1
            issuer += paragraph(
                [Text(line, bold: isLast, underline: !party && isLast, size: issuerSize)], align: "center")
        }
        var motto = ""
        let mottoLines = document.mottoLines
        for (index, line) in mottoLines.enumerated() {
            let isLast = index == mottoLines.count - 1
            motto += paragraph(
                [Text(line, bold: true, underline: isLast, size: party ? 30 : (isLast ? 28 : 26))], align: "center")
        }
        var rows = [[issuer, motto]]
        if party {
            rows.append([paragraph([Text("*", size: 28)], align: "center"), paragraph([Text("", size: 28)], align: "center")])
        }
        rows.append([
            paragraph([Text(document.number, size: issuerSize)], align: "center", before: party ? 0 : 120),
            paragraph([Text(document.placeAndDate, italic: true, size: 28)], align: "center", before: party ? 0 : 120),
        ])
        return borderlessTable(widths: [left, right], rows: rows)
    }

    /// "Nơi nhận" on the left, the signature block on the right, on one page. Party: "Nơi nhận:"
    /// 14 pt underlined, the lines 12 pt (Hướng dẫn 36-HD/VPTW, mục 9); State: "Nơi nhận:" 12 pt bold
    /// italic, the lines 11 pt (Nghị định 30/2020/NĐ-CP, Phụ lục I, mục II.9). The signing authority
    /// and title in capitals bold, the name bold, 14 pt.
    static func signature(_ document: OfficialDocument) -> String {
        let party = document.format == .party
        let half = portraitText / 2
        var leftCell =
            party
            ? paragraph([Text("Nơi nhận:", underline: true, size: 28)], align: "left", before: 240)
            : paragraph([Text("Nơi nhận:", bold: true, italic: true, size: 24)], align: "left", before: 240)
        for index in document.recipients.indices {
            leftCell += paragraph([Text(document.recipientLine(index), size: party ? 24 : 22)], align: "left")
        }
        var rightCell = ""
        for (index, line) in document.signatureAuthority.enumerated() {
            rightCell += paragraph([Text(line, bold: true)], align: "center", before: index == 0 ? 240 : 0)
        }
        rightCell += paragraph([Text(" ")], align: "center", after: 1_200)
        rightCell += paragraph([Text(document.signer, bold: true)], align: "center")
        return borderlessTable(widths: [half, portraitText - half], rows: [[leftCell, rightCell]], keepTogether: true)
    }

    static func appendixTable(_ appendix: OfficialDocument.Appendix) -> String {
        var xml = paragraph([Text(appendix.title, bold: true)], align: "center")
        if !appendix.subtitle.isEmpty {
            xml += paragraph([Text(appendix.subtitle, italic: true)], align: "center", after: 120)
        }
        let total = max(1, appendix.widths.reduce(0, +))
        var widths = appendix.widths.map { $0 * landscapeText / total }
        if let last = widths.indices.last { widths[last] += landscapeText - widths.reduce(0, +) }
        xml +=
            "<w:tbl><w:tblPr><w:tblW w:w=\"\(landscapeText)\" w:type=\"dxa\"/>"
            + "<w:tblBorders>"
            + ["top", "left", "bottom", "right", "insideH", "insideV"].map {
                "<w:\($0) w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
            }.joined() + "</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
            + "<w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>"
            + "<w:tblGrid>" + widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
        xml += "<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"
        for (index, column) in appendix.columns.enumerated() {
            xml += cell(width: widths[index], shade: true, paragraph([Text(column, bold: true, size: 22)], align: "center"))
        }
        xml += "</w:tr>"
        for row in appendix.rows {
            switch row {
            case .group(let title):
                xml +=
                    "<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w=\"\(landscapeText)\" w:type=\"dxa\"/>"
                    + "<w:gridSpan w:val=\"\(widths.count)\"/></w:tcPr>"
                    + paragraph([Text(title, bold: true, size: 22)], align: "left", keepNext: true) + "</w:tc></w:tr>"
            case .cells(let cells, _):
                // Data cells take their look from the "TableText" styles: ten thousand rows stay small.
                // A tall row may run onto the next page rather than leave half a page empty.
                xml += "<w:tr>"
                for index in widths.indices {
                    xml += "<w:tc><w:p><w:pPr><w:pStyle w:val=\"\(index == 0 ? "TableCenter" : "TableText")\"/></w:pPr>"
                    if index < cells.count, !cells[index].isEmpty { xml += run(Text(cells[index], size: nil)) }
                    xml += "</w:p></w:tc>"
                }
                xml += "</w:tr>"
            }
        }
        return xml + "</w:tbl>" + paragraph([Text("")], align: "left")
    }

    // MARK: Building blocks

    /// A run of text: its emphasis and size in half-points (28 = 14 pt; nil: the paragraph style's).
    struct Text {
        var text: String
        var bold = false
        var italic = false
        var underline = false
        var size: Int? = 28

        init(_ text: String, bold: Bool = false, italic: Bool = false, underline: Bool = false, size: Int? = 28) {
            self.text = text
            self.bold = bold
            self.italic = italic
            self.underline = underline
            self.size = size
        }
    }

    static func paragraph(
        _ runs: [Text], align: String, firstLine: Int = 0, before: Int = 0, after: Int = 0, keepNext: Bool = false
    ) -> String {
        var xml = "<w:p><w:pPr>"
        if keepNext { xml += "<w:keepNext/>" }
        xml += "<w:spacing w:before=\"\(before)\" w:after=\"\(after)\" w:line=\"276\" w:lineRule=\"auto\"/>"
        if firstLine > 0 { xml += "<w:ind w:firstLine=\"\(firstLine)\"/>" }
        xml += "<w:jc w:val=\"\(align)\"/></w:pPr>"
        for text in runs { xml += run(text) }
        return xml + "</w:p>"
    }

    /// A run; line breaks in the text become `<w:br/>`, tabs `<w:tab/>`.
    static func run(_ text: Text) -> String {
        var properties = ""
        if text.bold { properties += "<w:b/><w:bCs/>" }
        if text.italic { properties += "<w:i/><w:iCs/>" }
        if text.underline { properties += "<w:u w:val=\"single\"/>" }
        if let size = text.size { properties += "<w:sz w:val=\"\(size)\"/><w:szCs w:val=\"\(size)\"/>" }
        var xml = properties.isEmpty ? "<w:r>" : "<w:r><w:rPr>\(properties)</w:rPr>"
        // One pass over the text: escaped into pieces between line breaks and tabs.
        var piece = ""
        var open = false
        var previousWasReturn = false
        for scalar in VietnameseText.nfc(text.text).unicodeScalars {
            switch scalar {
            case "\r", "\n", "\t":
                if open {
                    xml += piece
                    xml += "</w:t>"
                    piece = ""
                    open = false
                }
                if scalar == "\t" {
                    xml += "<w:tab/>"
                } else if scalar == "\r" || !previousWasReturn {
                    xml += "<w:br/>"
                }
                previousWasReturn = scalar == "\r"
                continue
            default: OfficePackage.append(scalar, to: &piece)
            }
            if !open {
                xml += "<w:t xml:space=\"preserve\">"
                open = true
            }
            previousWasReturn = false
        }
        if open {
            xml += piece
            xml += "</w:t>"
        }
        return xml + "</w:r>"
    }

    static func cell(width: Int, shade: Bool, _ content: String) -> String {
        "<w:tc><w:tcPr><w:tcW w:w=\"\(width)\" w:type=\"dxa\"/>"
            + (shade ? "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"EEF1F4\"/>" : "")
            + "<w:vAlign w:val=\"\(shade ? "center" : "top")\"/></w:tcPr>\(content)</w:tc>"
    }

    static func borderlessTable(widths: [Int], rows: [[String]], keepTogether: Bool = false) -> String {
        var xml =
            "<w:tbl><w:tblPr><w:tblW w:w=\"\(widths.reduce(0, +))\" w:type=\"dxa\"/><w:tblBorders>"
            + ["top", "left", "bottom", "right", "insideH", "insideV"].map { "<w:\($0) w:val=\"nil\"/>" }.joined()
            + "</w:tblBorders><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>"
            + widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
        for cells in rows {
            xml += "<w:tr>"
            if keepTogether { xml += "<w:trPr><w:cantSplit/></w:trPr>" }
            for (width, content) in zip(widths, cells) {
                xml += "<w:tc><w:tcPr><w:tcW w:w=\"\(width)\" w:type=\"dxa\"/></w:tcPr>\(content)</w:tc>"
            }
            xml += "</w:tr>"
        }
        return xml + "</w:tbl>"
    }

    static func sectionProperties(landscape: Bool) -> String {
        if landscape {
            return "<w:sectPr><w:pgSz w:w=\"\(portraitHeight)\" w:h=\"\(portraitWidth)\" w:orient=\"landscape\"/>"
                + "<w:pgMar w:top=\"\(landscapeMargins.top)\" w:right=\"\(landscapeMargins.right)\" "
                + "w:bottom=\"\(landscapeMargins.bottom)\" w:left=\"\(landscapeMargins.left)\" w:header=\"567\" "
                + "w:footer=\"567\" w:gutter=\"0\"/></w:sectPr>"
        }
        return "<w:sectPr><w:pgSz w:w=\"\(portraitWidth)\" w:h=\"\(portraitHeight)\"/>"
            + "<w:pgMar w:top=\"\(margins.top)\" w:right=\"\(margins.right)\" w:bottom=\"\(margins.bottom)\" "
            + "w:left=\"\(margins.left)\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr>"
    }

    /// Ends the current section (its properties go in the last paragraph) so the next starts on a new page.
    static func sectionBreak(landscape: Bool) -> String {
        "<w:p><w:pPr>\(sectionProperties(landscape: landscape))</w:pPr></w:p>"
    }

    // MARK: Package parts

    static let contentTypes =
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
        + #"<Default Extension="xml" ContentType="application/xml"/>"#
        + #"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#
        + #"<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>"#
        + #"<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>"#
        + #"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#
        + "</Types>"

    static let rootRelationships =
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#
        + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#
        + "</Relationships>"

    static let documentRelationships =
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
        + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>"#
        + "</Relationships>"

    /// Times New Roman 14 pt everywhere, Vietnamese as the proofing language.
    static let styles =
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        + #"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#
        + #"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/>"#
        + #"<w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>"#
        + #"<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>"#
        + #"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>"#
        + #"<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>"#
        + #"<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableCenter"><w:name w:val="Table Center"/><w:basedOn w:val="TableText"/><w:pPr><w:jc w:val="center"/></w:pPr></w:style>"#
        + #"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#
        + "</w:styles>"

    static let settings =
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        + #"<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#
        + #"<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>"#
        + "</w:settings>"

    static func core(_ title: String) -> String {
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
            + #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">"#
            + "<dc:title>\(OfficePackage.escaped(title))</dc:title><dc:creator>theodoi</dc:creator><dc:language>vi-VN</dc:language></cp:coreProperties>"
    }
}
