import Foundation
import TheodoiCore
import ZIPFoundation

/// What Office Open XML files share: XML text escaping and the ZIP package, written in memory with
/// a fixed timestamp so the same content always gives the same bytes.
enum OfficePackage {
    /// XML text with &, <, >, " escaped and characters XML 1.0 forbids dropped.
    static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in VietnameseText.nfc(text).unicodeScalars { append(scalar, to: &result) }
        return result
    }

    /// One scalar of XML text, escaped (or dropped when XML 1.0 forbids it).
    static func append(_ scalar: Unicode.Scalar, to result: inout String) {
        switch scalar {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
        default:
            if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { return }
            result.unicodeScalars.append(scalar)
        }
    }

    /// The parts, in order, zipped with deflate.
    static func zip(_ parts: [(path: String, text: String)]) throws(OfficeFileError) -> [UInt8] {
        do {
            let archive = try Archive(accessMode: .create)
            for (path, text) in parts {
                let data = Data(text.utf8)
                try archive.addEntry(
                    with: path, type: .file, uncompressedSize: Int64(data.count),
                    modificationDate: Date(timeIntervalSince1970: 1_735_689_600), compressionMethod: .deflate
                ) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            guard let data = archive.data else { throw OfficeFileError(description: "the in-memory archive has no data") }
            return [UInt8](data)
        } catch let error as OfficeFileError {
            throw error
        } catch {
            throw OfficeFileError(description: "could not write the archive: \(error)")
        }
    }
}

/// An Office file that could not be written (the ZIP library failed).
public struct OfficeFileError: Error, CustomStringConvertible {
    public var description: String
}
