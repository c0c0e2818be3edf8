import Foundation

/// The catalogue theodoi ships with: the appendix of Quyết định 343-QĐ/TU (03/9/2025) of Ban Thường
/// vụ Tỉnh ủy Gia Lai, as text extracted from the PDF.
public enum SeedCatalogue {
    /// The file name of the bundled seed.
    public static let fileName = "343-QD-TU.txt"

    /// The bytes of the bundled seed.
    public static func data() throws -> Data {
        guard let url = Bundle.module.url(forResource: "343-QD-TU", withExtension: "txt") else {
            throw AgencyDirectory.LoadError(description: "\(fileName) is missing from the TheodoiCatalog resources")
        }
        return try Data(contentsOf: url)
    }
}
