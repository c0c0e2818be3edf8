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

    @Test(
        "343-QĐ/TU in Word gives the same catalogue as its text",
        arguments: ["343-QD-TU.docx", "343-QD-TU-numbered.docx"])
    func seed(_ name: String) throws {
        let data = try CatalogueFileTests.fixture("TheodoiExportTests/Fixtures/\(name)")
        // Told by its content, whatever its name.
        let fromWord = try CatalogueFile.parse(data, fileName: "upload", parser: Self.parser)
        let fromText = try Self.seedText()
        #expect(fromWord.format == .docx)
        #expect(fromWord.assignments.count == 119)
        let word = CatalogueFileTests.content(fromWord).split(separator: "\n")
        let text = CatalogueFileTests.content(fromText).split(separator: "\n")
        for (index, line) in word.enumerated() where index < text.count && line != text[index] {
            Issue.record("differs:\n  word: \(line.prefix(400))\n  text: \(text[index].prefix(400))")
            break
        }
        #expect(word.count == text.count)
    }
}
