import Foundation
import Testing
import TheodoiCatalog
import TheodoiCore

/// Shared pieces of the catalogue tests.
enum Support {
    static let directory: AgencyDirectory = {
        do { return try AgencyDirectory.bundled() } catch { fatalError("agency directory: \(error)") }
    }()
    static let parser = CatalogueParser(directory: directory)

    static let seedData: Data = {
        do { return try SeedCatalogue.data() } catch { fatalError("seed: \(error)") }
    }()
    static let seedText = String(decoding: seedData, as: UTF8.self)
    static let seed: Catalogue = {
        do { return try parser.parse(seedData) } catch { fatalError("seed does not parse: \(error)") }
    }()

    static func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/\(name)")
        return try Data(contentsOf: url)
    }

    /// What a parse means, without line numbers: plan, parts, assignments, and findings as
    /// (severity, code, message). Two texts that differ only in layout must give the same content.
    static func content(_ catalogue: Catalogue) -> String {
        let dto = CatalogueDTO(catalogue)
        let findings = catalogue.findings.map { "\($0.severity.rawValue) \($0.code.rawValue) \($0.message)" }.sorted()
        return JSONValue.object([
            ("plan", dto.plan.json), ("parts", .array(dto.parts.map(\.json))),
            ("assignments", .array(dto.assignments.map(\.json))), ("findings", .array(findings.map(JSONValue.string))),
        ]).serialized()
    }

    /// Everything, line numbers included.
    static func full(_ catalogue: Catalogue) -> String { CatalogueDTO(catalogue).json.serialized() }
}

/// A small deterministic random generator (SplitMix64), so property tests replay exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
