import Foundation

/// The words Tesseract recognised on scanned pages, from its hOCR output (`tesseract IMAGE OUT
/// hocr`), as the pages `PDFLayoutReader` rebuilds a table from: each word with its box and its
/// recognition confidence (`x_wconf`), the page turned straight again (a sheet never lies square on
/// a scanner: across a landscape page a tilt of one degree moves a line by two lines' height, and the
/// table's rows and columns are found from positions).
///
/// Boxes are given in points on the assumption that the image was made at `dotsPerInch`. Malformed
/// input gives what could be read, never a trap.
public enum HOCRReader {
    /// The pages of an hOCR document, straightened unless `straighten` is false (an image already
    /// turned straight before it was recognised).
    public static func pages(_ hocr: [UInt8], dotsPerInch: Double = 300, straighten: Bool = true) -> [PDFLayoutReader.Page] {
        var pages: [PDFLayoutReader.Page] = []
        var lines: [[PDFLayoutReader.Word]] = []
        var word: PDFLayoutReader.Word?
        var wordDepth = 0
        var depth = 0
        var text = ""
        var count = 0
        let scale = 72 / min(max(dotsPerInch, 10), 2_400)
        func finishPage() {
            guard !pages.isEmpty else { return }
            pages[pages.count - 1].words = straightened(lines, page: pages[pages.count - 1], tilted: straighten).map {
                var word = $0
                word.xMin *= scale
                word.xMax *= scale
                word.yMin *= scale
                word.yMax *= scale
                return word
            }
            pages[pages.count - 1].width *= scale
            pages[pages.count - 1].height *= scale
            lines = []
        }
        // Tesseract writes XHTML after a DOCTYPE (which the XML reader refuses): read from `<html` on.
        let start = PDFLayoutReader.firstIndex(of: Array("<html".utf8), in: hocr) ?? 0
        try? XMLTokenizer.parse(Array(hocr[start...])) { event in
            switch event {
            case .start(let name, let attributes):
                depth += 1
                let kind = attributes["class"] ?? ""
                let title = attributes["title"] ?? ""
                if kind == "ocr_page" {
                    finishPage()
                    let box = Self.box(title) ?? [0, 0, 0, 0]
                    pages.append(PDFLayoutReader.Page(width: box[2], height: box[3], words: []))
                } else if ["ocr_line", "ocr_textfloat", "ocr_header", "ocr_caption"].contains(kind), !pages.isEmpty {
                    lines.append([])
                } else if kind == "ocrx_word", !pages.isEmpty, count < PDFLayoutReader.maximumWords, let box = Self.box(title) {
                    word = PDFLayoutReader.Word(
                        text: "", xMin: box[0], yMin: box[1], xMax: box[2], yMax: box[3],
                        confidence: Self.value("x_wconf", in: title).map { min(max($0, 0), 100) } ?? 0)
                    wordDepth = depth
                    text = ""
                } else if name == "br", word != nil {
                    text += " "
                }
            case .text(let piece) where word != nil:
                if text.utf8.count < 10_000 { text += piece }
            case .end:
                if depth == wordDepth, var finished = word {
                    finished.text = vietnamese(text.trimmingCharacters(in: .whitespacesAndNewlines))
                    // Specks beside a rule read as a letter or two, unsure ("R", "Ụ", "„"): not text, but
                    // their doubt stays with the cell they fall in (an empty word carries it).
                    if isSpeck(finished) { finished.text = "" }
                    if !isRuling(finished.text) || finished.text.isEmpty {
                        if lines.isEmpty { lines.append([]) }
                        lines[lines.count - 1].append(finished)
                        count += 1
                    }
                    word = nil
                    wordDepth = 0
                }
                depth -= 1
            default: break
            }
        }
        finishPage()
        return pages
    }

    /// A word with the Icelandic eth Tesseract reads for Vietnamese D with stroke ("QÐ", "CÐ")
    /// written as the Vietnamese letter, and a doubled one ("QĐÐ") once: Vietnamese has neither.
    static func vietnamese(_ text: String) -> String {
        guard text.contains(where: { "ÐðĐđ".contains($0) }) else { return text }
        var written = ""
        for character in text {
            let letter: Character = character == "Ð" ? "Đ" : character == "ð" ? "đ" : character
            if "Đđ".contains(letter), written.last.map({ "Đđ".contains($0) }) == true { continue }
            written.append(letter)
        }
        return written
    }

    /// A word of one or two characters, no digit, that recognition was unsure of; not two capitals,
    /// which are an abbreviation ("CĐ", "ĐH").
    static func isSpeck(_ word: PDFLayoutReader.Word) -> Bool {
        word.text.count <= 2 && (word.confidence ?? 100) < 60 && !word.text.contains(where: \.isNumber)
            && !(word.text.count == 2 && word.text.allSatisfy { $0.isLetter && $0.isUppercase })
    }

    /// A table's ruling read as characters ("|", "—", "[", "_"): not text.
    static func isRuling(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { "|[]_—–-=¦!{}lI:;.,'\"‘’“”`~".unicodeScalars.contains($0) }
            && text.unicodeScalars.contains { "|[]_¦{}".unicodeScalars.contains($0) }
    }

    /// The four numbers after "bbox" in an hOCR title.
    static func box(_ title: String) -> [Double]? {
        guard let range = title.range(of: "bbox ") else { return nil }
        let numbers =
            title[range.upperBound...].split(separator: ";", maxSplits: 1).first?
            .split(separator: " ").prefix(4).compactMap { Double($0) }.filter(\.isFinite)
            .map { min(max($0, 0), 1_000_000) } ?? []
        return numbers.count == 4 ? numbers : nil
    }

    /// The number after `name` in an hOCR title ("x_wconf 96").
    static func value(_ name: String, in title: String) -> Double? {
        guard let range = title.range(of: name + " ") else { return nil }
        let digits = title[range.upperBound...].prefix { $0.isNumber || $0 == "." || $0 == "-" }
        return Double(digits).flatMap { $0.isFinite ? $0 : nil }
    }

    /// The words of a page turned by the page's tilt: the median slope of its long lines, each found
    /// from its words' bottoms (least squares), undone about the page's centre.
    static func straightened(
        _ lines: [[PDFLayoutReader.Word]], page: PDFLayoutReader.Page, tilted: Bool = true
    ) -> [PDFLayoutReader.Word] {
        let slope = tilted ? tilt(lines) : 0
        let centreX = page.width / 2
        let centreY = page.height / 2
        return lines.flatMap { line in
            let turned = line.map { word in
                guard slope != 0 else { return word }
                let x = (word.xMin + word.xMax) / 2
                let y = (word.yMin + word.yMax) / 2
                let dx = -slope * (y - centreY)
                let dy = -slope * (x - centreX)
                var turned = word
                turned.xMin -= dx
                turned.xMax -= dx
                turned.yMin += dy
                turned.yMax += dy
                return turned
            }
            // A recognised word's box is its ink ("vụ" starts lower than "Đề"); the words of one line
            // of text share the line's top and bottom, as a PDF's text layer gives them.
            let top = turned.map(\.yMin).min() ?? 0
            let bottom = turned.map(\.yMax).max() ?? 0
            return turned.map {
                var word = $0
                word.yMin = top
                word.yMax = bottom
                return word
            }
        }
    }

    /// The page's tilt as dy/dx (image y grows downward), from lines of at least four words.
    static func tilt(_ lines: [[PDFLayoutReader.Word]]) -> Double {
        var slopes: [Double] = []
        for line in lines where line.count >= 4 {
            let points = line.map { (x: ($0.xMin + $0.xMax) / 2, y: $0.yMax) }
            let meanX = points.map(\.x).reduce(0, +) / Double(points.count)
            let meanY = points.map(\.y).reduce(0, +) / Double(points.count)
            let spread = points.map { ($0.x - meanX) * ($0.x - meanX) }.reduce(0, +)
            guard spread > 0 else { continue }
            let slope = points.map { ($0.x - meanX) * ($0.y - meanY) }.reduce(0, +) / spread
            if abs(slope) < 0.1 { slopes.append(slope) }
        }
        guard slopes.count >= 3 else { return 0 }
        return slopes.sorted()[slopes.count / 2]
    }
}

extension HOCRReader {
    /// The confidence given to a word the readings disagree on: the office checks it on paper.
    public static let disputed = 50.0

    /// A page read by a first model with two more readings of the same image beside it (Tesseract's
    /// `vie` model, its `Vietnamese` script model, and `vie` again on the image drawn smaller),
    /// compared word by word over the same ink. Where all agree nothing changes. Where they differ
    /// the word is doubtful (`disputed`), whatever each model's own confidence: a model can be sure
    /// of a wrong word ("cao đăng" for "cao đẳng", 96%), and different readings seldom go wrong the
    /// same way. The word taken is the one the two other readings share against the first; or the
    /// script model's where the only difference is a hook above that the first read as an acute
    /// accent ("Số tay" for "Sổ tay", "thấm quyền" for "thẩm quyền"): on a scan of 200 dpi the `vie`
    /// model takes that small mark for the other far more often than the script model does. A word
    /// another reading found where the first found none leaves its doubt on that place (an empty
    /// word).
    public static func reconciled(
        _ first: PDFLayoutReader.Page, with second: PDFLayoutReader.Page, and third: PDFLayoutReader.Page
    ) -> PDFLayoutReader.Page {
        var page = first
        func area(_ word: PDFLayoutReader.Word) -> Double { max(word.xMax - word.xMin, 0) * max(word.yMax - word.yMin, 0) }
        func shared(_ one: PDFLayoutReader.Word, _ other: PDFLayoutReader.Word) -> Double {
            max(min(one.xMax, other.xMax) - max(one.xMin, other.xMin), 0)
                * max(min(one.yMax, other.yMax) - max(one.yMin, other.yMin), 0)
        }
        // How much of the smaller word the other covers (the same ink), and of the larger (the same extent).
        func covers(_ one: PDFLayoutReader.Word, _ other: PDFLayoutReader.Word) -> Double {
            let smaller = min(area(one), area(other))
            return smaller > 0 ? shared(one, other) / smaller : 0
        }
        func sameExtent(_ one: PDFLayoutReader.Word, _ other: PDFLayoutReader.Word) -> Bool {
            let larger = max(area(one), area(other))
            return larger > 0 && shared(one, other) / larger > 0.6
        }
        let readings = [second, third].map { $0.words.filter { !$0.text.isEmpty } }
        var matched = readings.map { [Bool](repeating: false, count: $0.count) }
        for index in page.words.indices where !page.words[index].text.isEmpty {
            let word = page.words[index]
            var others: [PDFLayoutReader.Word?] = []
            for (reading, words) in readings.enumerated() {
                var best: (index: Int, cover: Double)?
                for (position, other) in words.enumerated() {
                    let cover = covers(word, other)
                    if cover > 0.5, cover > best?.cover ?? 0 { best = (position, cover) }
                }
                if let best { matched[reading][best.index] = true }
                others.append(best.map { words[$0.index] })
            }
            guard others.contains(where: { $0?.text != word.text }) else { continue }
            page.words[index].confidence = min(word.confidence ?? 100, disputed)
            if let second = others[0], let third = others[1], second.text == third.text,
                sameExtent(word, second), sameExtent(word, third)
            {
                page.words[index].text = second.text
            } else if let second = others[0], sameExtent(word, second), isHookLost(word.text, second.text) {
                page.words[index].text = second.text
            }
        }
        // What only another reading saw: the first dropped it, or the other invented it.
        for (reading, words) in readings.enumerated() {
            for (position, other) in words.enumerated() where !matched[reading][position] {
                guard !page.words.contains(where: { covers($0, other) > 0.5 }) else { continue }
                var doubt = other
                doubt.text = ""
                doubt.confidence = disputed
                page.words.append(doubt)
            }
        }
        return page
    }

    /// Whether `second` is `first` with a hook above where `first` has an acute accent.
    static func isHookLost(_ first: String, _ second: String) -> Bool {
        let hook: Unicode.Scalar = "\u{0309}"
        let acute: Unicode.Scalar = "\u{0301}"
        let one = Array(first.decomposedStringWithCanonicalMapping.unicodeScalars)
        let other = Array(second.decomposedStringWithCanonicalMapping.unicodeScalars)
        guard one.count == other.count, one != other else { return false }
        return zip(one, other).allSatisfy { $0 == $1 || ($0 == acute && $1 == hook) }
    }
}
