import Foundation
import TheodoiExport

/// Tesseract with its Vietnamese data, run on a scanned copy: each page of a PDF with no text layer
/// rendered by poppler's `pdftoppm`, or an image (PNG, JPEG, TIFF) as it is, recognised into words
/// with their boxes and confidence (hOCR), the pages straightened (`HOCRReader`). Two pages are
/// recognised at a time, one thread each; progress is told page by page.
public struct CharacterRecognizer: Sendable {
    /// The `tesseract` executable.
    public let tesseract: String
    /// poppler's `pdftoppm`, to render a scanned PDF's pages.
    public let pdftoppm: String?
    /// The recognition language (Tesseract's `vie` data: Debian's `tesseract-ocr-vie`).
    public var language = "vie"
    /// The model that reads every cell a second time, when installed (Tesseract's Vietnamese script
    /// model: Debian's `tesseract-ocr-script-viet`): where the readings differ, the word is a doubt
    /// for the office (`HOCRReader.reconciled`).
    public var secondLanguage: String? = "Vietnamese"
    /// How long one page may take.
    public var pageTimeout: Duration = .seconds(60)
    /// Pages recognised at once.
    public var parallelPages = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))
    /// The most pages recognised (an appendix has tens; a scan of more is refused before any work).
    public static let maximumPages = 60
    /// The resolution pages are rendered at.
    static let dotsPerInch = 300
    /// The longest side an image may have (pixels).
    static let maximumSide = 4_000

    public init(tesseract: String, pdftoppm: String?) {
        self.tesseract = tesseract
        self.pdftoppm = pdftoppm
    }

    /// Pages done out of the total, as recognition goes.
    public typealias Progress = @Sendable (_ done: Int, _ total: Int) -> Void

    /// Why a scan could not be recognised, in Vietnamese.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        /// The same in English, for programs.
        public var english = "the scan could not be recognised"
    }

    /// Tesseract (with its Vietnamese data) and pdftoppm found on `searchPath`, or nil without Tesseract.
    public static func locate(searchPath: String) -> CharacterRecognizer? {
        guard let tesseract = ExternalCommand.locate("tesseract", searchPath: searchPath) else { return nil }
        var recognizer = CharacterRecognizer(
            tesseract: tesseract, pdftoppm: ExternalCommand.locate("pdftoppm", searchPath: searchPath))
        if let second = recognizer.secondLanguage, !hasData(second) { recognizer.secondLanguage = nil }
        return recognizer
    }

    /// Whether Tesseract's data for `language` is installed where Debian puts it (or `TESSDATA_PREFIX`).
    public static func hasData(_ language: String) -> Bool {
        let folders =
            [ProcessInfo.processInfo.environment["TESSDATA_PREFIX"]].compactMap { $0 }
            + ["/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/local/share/tessdata"]
        return folders.contains {
            FileManager.default.fileExists(
                atPath: URL(fileURLWithPath: $0).appendingPathComponent("\(language).traineddata").path)
        }
    }

    /// The kind of image a file is ("png", "jpg", "tif"), by its first bytes; nil for anything else.
    public static func imageKind(_ data: Data) -> String? {
        let head = [UInt8](data.prefix(8))
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "png" }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "jpg" }
        if head.starts(with: [0x49, 0x49, 0x2A, 0x00]) || head.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return "tif" }
        return nil
    }

    /// The width and height a PNG or JPEG says it has, when it says so in its header.
    static func imageSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(1 << 16))
        func big(_ at: Int, _ count: Int) -> Int? {
            guard at >= 0, at + count <= bytes.count else { return nil }
            return bytes[at..<at + count].reduce(0) { $0 << 8 | Int($1) }
        }
        if imageKind(data) == "png" {
            guard let width = big(16, 4), let height = big(20, 4) else { return nil }
            return (width, height)
        }
        guard imageKind(data) == "jpg" else { return nil }
        // JPEG: walk the segments to a start-of-frame marker.
        var index = 2
        while index + 9 < bytes.count {
            guard bytes[index] == 0xFF else { return nil }
            let marker = bytes[index + 1]
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard let height = big(index + 5, 2), let width = big(index + 7, 2) else { return nil }
                return (width, height)
            }
            guard let length = big(index + 2, 2), length >= 2 else { return nil }
            index += 2 + length
        }
        return nil
    }

    /// The straightened pages of a scanned PDF (`isPDF`) or an image, with every word's confidence.
    public func pages(_ data: Data, isPDF: Bool, progress: Progress? = nil) async throws -> [PDFLayoutReader.Page] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("theodoi-ocr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        if !isPDF, let size = Self.imageSize(data),
            size.width > 12_000 || size.height > 12_000 || size.width * size.height > 80_000_000
        {
            throw Failure(description: "Ảnh \(size.width)×\(size.height) điểm ảnh quá lớn để nhận dạng; hãy quét ở 200–300 dpi.")
        }
        // A JPEG or PNG goes into a PDF page of its own, to be read as a scanned page is.
        var data = data
        var isPDF = isPDF
        var isWrapped = false
        if !isPDF, pdftoppm != nil, let page = ImagePage.pdf(data) {
            data = page
            isPDF = true
            isWrapped = true
        }
        let images: [URL]
        if isPDF {
            guard let pdftoppm else {
                throw Failure(
                    description: "Máy chủ cần poppler để đọc trang của bản quét PDF (Debian: apt-get install poppler-utils).")
            }
            let input = folder.appendingPathComponent("scan.pdf")
            try data.write(to: input)
            let (count, longest) = await pageSizes(input, pdftoppm: pdftoppm)
            if let count, count > Self.maximumPages {
                throw Failure(
                    description:
                        "Bản quét có \(count) trang, quá dài cho một danh mục nhiệm vụ (tối đa \(Self.maximumPages) trang). "
                        + "Hãy quét riêng phần phụ lục, hoặc nhập bản Word (.docx) của văn bản.",
                    english: "the scan has \(count) pages; at most \(Self.maximumPages) are recognised")
            }
            // 300 dpi, less for a page so large that it would pass the longest side allowed.
            let resolution = min(
                Double(Self.dotsPerInch), longest.map { Double(Self.maximumSide) * 72 / max($0, 1) } ?? Double(Self.dotsPerInch))
            // One page more than allowed, to tell a scan that is too long without rendering all of it.
            let result = try await ExternalCommand.run(
                pdftoppm,
                [
                    "-r", String(Int(max(resolution, 30))), "-gray", "-l", String(Self.maximumPages + 1), input.path,
                    folder.appendingPathComponent("page").path,
                ], timeout: .seconds(120))
            images = ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
                .filter { $0.lastPathComponent.hasPrefix("page-") }.sorted { $0.lastPathComponent < $1.lastPathComponent }
            guard result.status == 0, !images.isEmpty else {
                throw Failure(
                    description: isWrapped
                        ? "Không đọc được ảnh để nhận dạng (ảnh bị hỏng)."
                        : "Không dựng được trang của tệp PDF để nhận dạng (tệp bị hỏng hoặc đặt mật khẩu).")
            }
        } else {
            let kind = Self.imageKind(data) ?? "png"
            let image = folder.appendingPathComponent("page-1.\(kind)")
            try data.write(to: image)
            images = [image]
        }
        guard images.count <= Self.maximumPages else {
            throw Failure(
                description: "Bản quét có hơn \(Self.maximumPages) trang: quá dài cho một danh mục nhiệm vụ. "
                    + "Hãy quét riêng phần phụ lục, hoặc nhập bản Word (.docx) của văn bản.")
        }
        let total = images.count
        progress?(0, total)
        let pageImages = images
        var recognised = [[PDFLayoutReader.Page]](repeating: [], count: total)
        try await withThrowingTaskGroup(of: (Int, [PDFLayoutReader.Page]).self) { group in
            var next = 0
            func start() {
                let index = next
                let image = pageImages[index]
                next += 1
                group.addTask { (index, try await recognise(image, folder: folder, index: index)) }
            }
            while next < min(parallelPages, total) { start() }
            var done = 0
            while let (index, pages) = try await group.next() {
                recognised[index] = pages
                done += 1
                progress?(done, total)
                if next < total { start() }
            }
        }
        return recognised.flatMap { $0 }
    }

    /// The number of pages and the longest side of the first pages (points), from poppler's
    /// `pdfinfo` beside `pdftoppm`; nil where it cannot tell.
    private func pageSizes(_ input: URL, pdftoppm: String) async -> (count: Int?, longest: Double?) {
        let pdfinfo = URL(fileURLWithPath: pdftoppm).deletingLastPathComponent().appendingPathComponent("pdfinfo").path
        guard FileManager.default.isExecutableFile(atPath: pdfinfo),
            let result = try? await ExternalCommand.run(
                pdfinfo, ["-f", "1", "-l", String(Self.maximumPages), input.path], timeout: .seconds(30)),
            result.status == 0
        else { return (nil, nil) }
        var count: Int?
        var longest: Double?
        for line in result.output.split(separator: "\n") {
            if line.hasPrefix("Pages:") {
                count = Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
            } else if line.hasPrefix("Page "), let range = line.range(of: "size: ") {
                let numbers = line[range.upperBound...].split(separator: " ").compactMap { Double($0) }.filter(\.isFinite)
                if numbers.count >= 2 { longest = max(longest ?? 0, numbers[0], numbers[1]) }
            }
        }
        return (count, longest)
    }

    /// One image recognised into its pages (a TIFF may hold several).
    private func recognise(_ image: URL, folder: URL, index: Int) async throws -> [PDFLayoutReader.Page] {
        // A page rendered from a PDF: turned straight, its table cut into cells and its ruling taken
        // away (see `ScanImage`), each region recognised alone, all in one run of Tesseract.
        guard image.pathExtension == "pgm", let bytes = try? Data(contentsOf: image),
            let scanned = ScanImage(pgm: [UInt8](bytes))
        else {
            let hocr = try await run(image, output: folder.appendingPathComponent("ocr-\(index)"), pageIndex: index)
            return HOCRReader.pages(hocr, dotsPerInch: Double(Self.dotsPerInch))
        }
        var page = scanned.levelled(slope: scanned.tilt())
        let found = page.regions()
        page.removeRules(longest: Self.dotsPerInch * 2 / 5)
        let paper = page.paper
        let scale = 72 / Double(Self.dotsPerInch)
        let smaller = Self.dotsPerInch * 2 / 3
        var regions: [ScanImage.Region] = []
        var list: [String] = []
        var smallList: [String] = []
        for region in found.regions where page.hasInk(region) {
            let cut = page.cut(region, margin: Self.margin, paper: paper)
            let cell = folder.appendingPathComponent("cell-\(index)-\(list.count).pgm")
            try Data(cut.pgm).write(to: cell)
            list.append(cell.path)
            let small = folder.appendingPathComponent("cell-\(index)-\(list.count)-small.pgm")
            try Data(
                cut.scaled(toWidth: cut.width * smaller / Self.dotsPerInch, height: cut.height * smaller / Self.dotsPerInch).pgm
            )
            .write(to: small)
            smallList.append(small.path)
            regions.append(region)
        }
        guard !regions.isEmpty else {
            return [PDFLayoutReader.Page(width: Double(page.width) * scale, height: Double(page.height) * scale, words: [])]
        }
        let input = folder.appendingPathComponent("cells-\(index).txt")
        try Data((list.joined(separator: "\n") + "\n").utf8).write(to: input)
        let smallInput = folder.appendingPathComponent("cells-\(index)-small.txt")
        try Data((smallList.joined(separator: "\n") + "\n").utf8).write(to: smallInput)
        var cells = HOCRReader.pages(
            try await run(input, output: folder.appendingPathComponent("ocr-\(index)"), pageIndex: index),
            dotsPerInch: Double(Self.dotsPerInch), straighten: false)
        guard cells.count == regions.count else {
            throw Failure(description: "Không nhận dạng được trang \(index + 1) của bản quét (ảnh hỏng hoặc không đọc được).")
        }
        // Two more readings of every cell, when the script model is installed: by it, and by the
        // first model at two thirds of the size (about the resolution offices scan at). Where the
        // three differ the word is a doubt, and the reading two of them share is taken.
        if let secondLanguage {
            let second = HOCRReader.pages(
                try await run(
                    input, output: folder.appendingPathComponent("ocr-\(index)-second"), pageIndex: index,
                    language: secondLanguage),
                dotsPerInch: Double(Self.dotsPerInch), straighten: false)
            let third = HOCRReader.pages(
                try await run(
                    smallInput, output: folder.appendingPathComponent("ocr-\(index)-small"), pageIndex: index,
                    dotsPerInch: smaller),
                dotsPerInch: Double(smaller), straighten: false)
            if second.count == cells.count, third.count == cells.count {
                cells = cells.indices.map { HOCRReader.reconciled(cells[$0], with: second[$0], and: third[$0]) }
            }
        }
        // The regions' words put back where their region lies on the page.
        var words: [PDFLayoutReader.Word] = []
        for (cell, region) in zip(cells, regions) {
            let dx = Double(region.x - Self.margin) * scale
            let dy = Double(region.y - Self.margin) * scale
            for var word in cell.words {
                word.xMin += dx
                word.xMax += dx
                word.yMin += dy
                word.yMax += dy
                words.append(word)
            }
        }
        var read = PDFLayoutReader.Page(width: Double(page.width) * scale, height: Double(page.height) * scale, words: words)
        // The table's rules, as a text PDF's are found: between two of them lies one row.
        read.rules = found.rules.map { Double($0) * scale }
        return [read]
    }

    /// Tesseract on `input` (an image, or a list of images one per line), its hOCR.
    private func run(
        _ input: URL, output: URL, pageIndex: Int, language: String? = nil, dotsPerInch: Int? = nil
    ) async throws -> [UInt8] {
        let language = language ?? self.language
        let result = try await ExternalCommand.run(
            tesseract,
            [input.path, output.path, "-l", language, "--dpi", String(dotsPerInch ?? Self.dotsPerInch), "--psm", "6", "hocr"],
            environment: ["OMP_THREAD_LIMIT": "1"], timeout: pageTimeout)
        guard result.status == 0, let hocr = try? Data(contentsOf: output.appendingPathExtension("hocr")) else {
            if result.output.contains("Failed loading language") || result.output.contains("\(language).traineddata") {
                throw Failure(
                    description: "Máy chủ thiếu dữ liệu tiếng Việt của Tesseract (Debian: apt-get install tesseract-ocr-vie).")
            }
            throw Failure(description: "Không nhận dạng được trang \(pageIndex + 1) của bản quét (ảnh hỏng hoặc không đọc được).")
        }
        return [UInt8](hocr)
    }

    /// The paper left around each region recognised (pixels).
    static let margin = 16
}
