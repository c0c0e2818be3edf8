import Foundation
import TheodoiCatalog
import TheodoiCore
import TheodoiStore

/// Importing catalogues into the store: a file, or the bundled seed on first start.
public struct CatalogueImporter: Sendable {
    public let store: StoreClient
    public let parser: CatalogueParser

    public init(store: StoreClient, parser: CatalogueParser) {
        self.store = store
        self.parser = parser
    }

    /// Why a file could not be imported.
    public enum ImportError: Error, CustomStringConvertible {
        case unreadable(CatalogueReadError)
        case noNumber

        public var description: String {
            switch self {
            case .unreadable(let error): error.message
            case .noNumber:
                "Không tìm thấy số hiệu văn bản (ví dụ “kèm theo Quyết định số 343-QĐ/TU …”) ở đầu tệp; "
                    + "hãy ghi rõ bằng --number."
            }
        }
    }

    /// Parses and stores a catalogue; the same file twice changes nothing.
    public func importCatalogue(
        _ data: Data, sourceName: String, format: CatalogueFormat = .auto, number: String? = nil, isDemo: Bool = false
    ) async throws -> ImportResult {
        let catalogue: Catalogue
        do {
            catalogue = try parser.parse(data, format: format)
        } catch {
            throw ImportError.unreadable(error)
        }
        guard let number = number ?? catalogue.plan.number, !PlanRecord.slug(for: number).isEmpty else {
            throw ImportError.noNumber
        }
        try await store.syncAgencyDirectory(parser.directory.entries)
        return try await store.importCatalogue(
            ImportRequest(catalogue: catalogue, number: number, sourceName: sourceName, isDemo: isDemo))
    }

    /// On a database with no real plan, imports the bundled 343-QĐ/TU catalogue; otherwise does
    /// nothing. An interrupted first import left nothing (it is one transaction), so it runs again.
    @discardableResult
    public func loadSeedIfEmpty() async throws -> ImportResult? {
        try await store.syncAgencyDirectory(parser.directory.entries)
        guard try await store.plans().allSatisfy(\.isDemo) else { return nil }
        return try await importCatalogue(try SeedCatalogue.data(), sourceName: SeedCatalogue.fileName)
    }
}

extension ImportResult {
    /// What an import did, in Vietnamese, for the command line.
    public var report: String {
        var lines: [String] = []
        let name = "\(plan.number) (\(plan.slug))"
        if created {
            lines.append("Đã nhập kế hoạch \(name): \(added.count) nhiệm vụ.")
        } else if isUnchanged {
            lines.append("Kế hoạch \(name) không thay đổi: tệp giống hệt lần nhập trước.")
        } else {
            lines.append("Đã cập nhật kế hoạch \(name).")
            if !planChanges.isEmpty { lines.append("  Thông tin kế hoạch thay đổi: \(planChanges.joined(separator: ", ")).") }
            if !added.isEmpty { lines.append("  Thêm \(added.count) nhiệm vụ: \(added.joined(separator: ", ")).") }
            for change in changed { lines.append("  \(change.code): đổi \(change.fields.joined(separator: ", ")).") }
        }
        if !missing.isEmpty {
            lines.append(
                "  \(missing.count) nhiệm vụ không còn trong tệp nhưng vẫn được giữ nguyên (không xóa): \(missing.joined(separator: ", "))."
            )
        }
        return lines.joined(separator: "\n")
    }
}
