import Foundation
import Testing
import TheodoiCatalog
import TheodoiCore
import TheodoiExport
import TheodoiOperations

/// The decision as it arrives: a Word document read straight into a catalogue (issue 17, item 1).
/// The fixtures are written by `scripts/catalogue-fixtures/make_docx.py` from the seed.
@Suite("Catalogues in Word documents")
struct WordCatalogueTests {
    static let parser = CatalogueFileTests.parser

    static func seedText() throws -> Catalogue {
        try CatalogueFile.parse(try SeedCatalogue.data(), fileName: "343-QD-TU.txt", parser: parser)
    }

    /// The same content (assignments, findings, plan) as the text; the first line that differs is shown.
    static func expectSameAsText(
        _ catalogue: Catalogue, _ fromText: Catalogue, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let read = CatalogueFileTests.content(catalogue).split(separator: "\n")
        let text = CatalogueFileTests.content(fromText).split(separator: "\n")
        for (index, line) in read.enumerated() where index < text.count && line != text[index] {
            Issue.record(
                "differs:\n  read: \(line.prefix(400))\n  text: \(text[index].prefix(400))", sourceLocation: sourceLocation)
            break
        }
        #expect(read.count == text.count, sourceLocation: sourceLocation)
    }

    @Test(
        "343-QĐ/TU in Word gives the same catalogue as its text",
        arguments: ["343-QD-TU.docx", "343-QD-TU-numbered.docx", "343-QD-TU-decision.docx"])
    func seed(_ name: String) throws {
        let data = try CatalogueFileTests.fixture("TheodoiExportTests/Fixtures/\(name)")
        // Told by its content, whatever its name.
        let fromWord = try CatalogueFile.parse(data, fileName: "upload", parser: Self.parser)
        let fromText = try Self.seedText()
        #expect(fromWord.format == .docx)
        #expect(fromWord.assignments.count == 119)
        Self.expectSameAsText(fromWord, fromText)
    }

    @Test(
        "a .doc and an .odt are turned into .docx by LibreOffice and read the same",
        .enabled(if: PeriodicReportPaperTests.required || PeriodicReportPaperTests.soffice != nil))
    func olderFormats() async throws {
        let converter = try #require(PeriodicReportPaperTests.soffice)
        let docx = try CatalogueFileTests.fixture("TheodoiExportTests/Fixtures/343-QD-TU.docx")
        let text = CatalogueFileTests.content(try Self.seedText())
        // LibreOffice drops python-docx's table when it writes .doc straight from .docx; through .odt it keeps it.
        let odt = try await converter.convert([UInt8](docx), fileExtension: "docx", to: "odt")
        for kind in ["doc", "odt"] {
            let older = Data(kind == "odt" ? odt : try await converter.convert(odt, fileExtension: "odt", to: kind))
            #expect(CatalogueFile.convertibleDocument(older) == kind)
            let converted = try await CatalogueFile.converted(older, converter: converter)
            let catalogue = try CatalogueFile.parse(converted, fileName: "upload", parser: Self.parser)
            #expect(catalogue.format == .docx)
            #expect(CatalogueFileTests.content(catalogue) == text, "the .\(kind) reads differently")
        }
    }

    @Test("without LibreOffice a .doc is refused with what to install; a .docx needs nothing")
    func olderFormatWithoutLibreOffice() async throws {
        // An OLE file with a WordDocument stream, as Word 97–2003 writes.
        let doc =
            Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504))
            + Data("WordDocument".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        #expect(CatalogueFile.convertibleDocument(doc) == "doc")
        do {
            _ = try await CatalogueFile.converted(doc, converter: nil)
            Issue.record("read a .doc without LibreOffice")
        } catch {
            #expect(error.reason == .document)
            #expect(error.message.contains("Word 97–2003 (.doc)") && error.message.contains("libreoffice-writer"))
        }
        let docx = try CatalogueFileTests.fixture("TheodoiExportTests/Fixtures/343-QD-TU.docx")
        #expect(try await CatalogueFile.converted(docx, converter: nil) == docx)
    }

    @Test("a Word document without a table is refused, naming what the catalogue needs")
    func noTable() throws {
        let document = StoredZip.bytes([
            (
                "word/document.xml",
                Array(
                    #"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Báo cáo không có bảng.</w:t></w:r></w:p></w:body></w:document>"#
                        .utf8)
            )
        ])
        do {
            _ = try CatalogueFile.parse(Data(document), fileName: "bao-cao.docx", parser: Self.parser)
            Issue.record("read a document without a table")
        } catch {
            #expect(error.reason == .notATable)
            #expect(error.message.contains("Văn bản Word không có bảng nào"))
        }
    }

    static let pdfText = PDFTextExtractor.locate(searchPath: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")

    @Test(
        "343-QĐ/TU printed to PDF from Word gives the same catalogue as its text",
        .enabled(if: PeriodicReportPaperTests.required || pdfText != nil),
        arguments: ["343-QD-TU.pdf", "343-QD-TU-numbered.pdf", "343-QD-TU-decision.pdf"])
    func printedPDF(_ name: String) async throws {
        let pdf = try CatalogueFileTests.fixture("TheodoiExportTests/Fixtures/\(name)")
        let lines = try await CatalogueFile.converted(pdf, converter: nil, pdfText: try #require(Self.pdfText))
        let fromPDF = try CatalogueFile.parse(lines, fileName: "upload", parser: Self.parser)
        #expect(fromPDF.format == .pdfText)
        #expect(fromPDF.assignments.count == 119)
        Self.expectSameAsText(fromPDF, try Self.seedText())
    }

    @Test(
        "a portrait table with every cell centred vertically, its columns in their own order, reads as its CSV",
        .enabled(if: PeriodicReportPaperTests.required || pdfText != nil))
    func centredCells() async throws {
        // Written by scripts/catalogue-fixtures/make_centred.py from ke-hoach-120.csv, printed by LibreOffice:
        // a row's number sits on its middle line; a date breaks inside a narrow column; the heading wraps.
        let pdf = try CatalogueFileTests.fixture("TheodoiExportTests/Fixtures/ke-hoach-120-centred.pdf")
        let lines = try await CatalogueFile.converted(pdf, converter: nil, pdfText: try #require(Self.pdfText))
        let fromPDF = try CatalogueFile.parse(lines, fileName: "upload", parser: Self.parser)
        let csv = try CatalogueFileTests.fixture("TheodoiCatalogTests/Fixtures/ke-hoach-120.csv")
        let fromCSV = try CatalogueFile.parse(csv, fileName: "ke-hoach-120.csv", parser: Self.parser)
        #expect(fromPDF.assignments.count == 6)
        #expect(CatalogueFileTests.content(fromPDF) == CatalogueFileTests.content(fromCSV))
    }

    @Test(
        "a damaged PDF and a PDF without a text layer are refused, each with what to do",
        .enabled(if: PeriodicReportPaperTests.required || pdfText != nil))
    func badPDFs() async throws {
        let extractor = try #require(Self.pdfText)
        let empty = Data(
            """
            %PDF-1.4
            1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
            2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
            3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj
            trailer<</Root 1 0 R>>
            %%EOF
            """.utf8)
        for (bytes, message) in [
            (Data("%PDF-1.4 không phải PDF".utf8), "Không đọc được tệp PDF"), (empty, "không có lớp chữ"),
        ] {
            do {
                _ = try await CatalogueFile.converted(bytes, converter: nil, pdfText: extractor)
                Issue.record("read a bad PDF")
            } catch {
                #expect(error.message.contains(message), "\(error.message)")
            }
        }
    }
}
