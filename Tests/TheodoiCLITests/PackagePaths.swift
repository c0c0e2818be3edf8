import Foundation

/// Paths inside the package, found from this file's place.
enum PackagePaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let seed = root.appendingPathComponent("Sources/TheodoiCatalog/Resources/343-QD-TU.txt").path
    static func catalogFixture(_ name: String) -> String {
        root.appendingPathComponent("Tests/TheodoiCatalogTests/Fixtures/\(name)").path
    }
}
