import Foundation
import ZIPFoundation

/// Why bytes could not be read as a ZIP archive.
enum ZipError: Error, Equatable {
    /// No end-of-central-directory record: not a ZIP.
    case notZip
    /// An offset, size or count that points outside the bytes, or a record without its signature.
    case malformed(String)
    /// Encrypted entries, split archives or compression other than stored and deflate.
    case unsupported(String)
    /// An entry larger than the budget once uncompressed.
    case tooLarge
}

/// A ZIP archive held in memory, read with every offset, size and count checked against the bytes
/// before use (ZIPFoundation's `Archive` stopped the process on some corrupted offsets). Entries
/// are inflated by zlib through ZIPFoundation's stream function, fed exactly the entry's bytes, with
/// the output bounded and its CRC-32 and size checked.
struct ZipReader {
    struct Entry: Equatable {
        var path: String
        var method: UInt16
        var flags: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
        var isDirectory: Bool { path.hasSuffix("/") }
    }

    /// The most entries read from the central directory.
    static let maximumEntries = 10_000

    let bytes: [UInt8]
    private(set) var entries: [Entry] = []

    init(_ bytes: [UInt8]) throws(ZipError) {
        self.bytes = bytes
        let end = try ZipReader.endOfCentralDirectory(bytes)
        var count = Int(u16(end + 10))
        var directorySize = Int(u32(end + 12))
        var directoryOffset = Int(u32(end + 16))
        guard u16(end + 4) == u16(end + 6) || u16(end + 4) == 0xFFFF else { throw .unsupported("split archive") }
        // ZIP64: the locator sits just before the end record and points to the larger record.
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF, end >= 20,
            u32(end - 20) == 0x0706_4B50
        {
            let record = try ZipReader.offset(u64(end - 12), within: bytes.count, needing: 56)
            guard u32(record) == 0x0606_4B50 else { throw .malformed("ZIP64 end record") }
            count = try ZipReader.offset(u64(record + 32), within: Int.max, needing: 0)
            directorySize = try ZipReader.offset(u64(record + 40), within: Int.max, needing: 0)
            directoryOffset = try ZipReader.offset(u64(record + 48), within: Int.max, needing: 0)
        }
        guard count <= ZipReader.maximumEntries else { throw .tooLarge }
        guard directoryOffset <= bytes.count, directorySize <= bytes.count - directoryOffset else {
            throw .malformed("central directory outside the file")
        }
        var position = directoryOffset
        let directoryEnd = directoryOffset + directorySize
        for _ in 0..<count {
            guard position <= directoryEnd - 46, u32(position) == 0x0201_4B50 else {
                throw .malformed("central directory entry")
            }
            let nameLength = Int(u16(position + 28))
            let extraLength = Int(u16(position + 30))
            let commentLength = Int(u16(position + 32))
            let recordLength = 46 + nameLength + extraLength + commentLength
            guard recordLength <= directoryEnd - position else { throw .malformed("central directory entry") }
            var entry = Entry(
                path: String(decoding: bytes[(position + 46)..<(position + 46 + nameLength)], as: UTF8.self),
                method: u16(position + 10), flags: u16(position + 8), crc32: u32(position + 16),
                compressedSize: Int(u32(position + 20)), uncompressedSize: Int(u32(position + 24)),
                localHeaderOffset: Int(u32(position + 42)))
            try readZIP64Extra(&entry, extra: (position + 46 + nameLength)..<(position + 46 + nameLength + extraLength))
            entries.append(entry)
            position += recordLength
        }
    }

    /// Sizes and offset that did not fit 32 bits, from the ZIP64 extra field (0x0001), in its order.
    private func readZIP64Extra(_ entry: inout Entry, extra: Range<Int>) throws(ZipError) {
        var position = extra.lowerBound
        while position + 4 <= extra.upperBound {
            let id = u16(position)
            let size = Int(u16(position + 2))
            let data = position + 4
            guard size <= extra.upperBound - data else { throw .malformed("extra field") }
            if id == 0x0001 {
                var field = data
                func next() throws(ZipError) -> Int {
                    guard field + 8 <= data + size else { throw .malformed("ZIP64 extra field") }
                    defer { field += 8 }
                    return try ZipReader.offset(u64(field), within: Int.max, needing: 0)
                }
                if entry.uncompressedSize == 0xFFFF_FFFF { entry.uncompressedSize = try next() }
                if entry.compressedSize == 0xFFFF_FFFF { entry.compressedSize = try next() }
                if entry.localHeaderOffset == 0xFFFF_FFFF { entry.localHeaderOffset = try next() }
            }
            position = data + size
        }
    }

    /// The entry's bytes, refusing more than `limit` of them.
    func extract(_ entry: Entry, limit: Int) throws(ZipError) -> [UInt8] {
        guard entry.flags & 0x0001 == 0 else { throw .unsupported("encrypted entry") }
        guard entry.uncompressedSize <= limit else { throw .tooLarge }
        let header = entry.localHeaderOffset
        guard header <= bytes.count - 30, u32(header) == 0x0403_4B50 else { throw .malformed("local header") }
        let start = header + 30 + Int(u16(header + 26)) + Int(u16(header + 28))
        guard start <= bytes.count, entry.compressedSize <= bytes.count - start else {
            throw .malformed("entry data outside the file")
        }
        let compressed = bytes[start..<(start + entry.compressedSize)]
        let output: [UInt8]
        switch entry.method {
        case 0:
            output = Array(compressed)
        case 8:
            output = try ZipReader.inflate(compressed, limit: limit)
        default:
            throw .unsupported("compression method \(entry.method)")
        }
        guard output.count == entry.uncompressedSize, CRC32.checksum(output) == entry.crc32 else {
            throw .malformed("entry \(entry.path) fails its size or CRC-32 check")
        }
        return output
    }

    /// Raw deflate through zlib. The stream function sets `avail_in` to the chunk size it asked for,
    /// so every chunk is exactly that size (zero padding after the data, which zlib reads as an
    /// invalid block), and asking for more than one chunk past the data is an error.
    static func inflate(_ compressed: ArraySlice<UInt8>, limit: Int) throws(ZipError) -> [UInt8] {
        let chunkSize = 64 * 1024
        let source = Array(compressed)
        var output: [UInt8] = []
        do {
            _ = try Data.decompress(
                size: Int64(source.count), bufferSize: chunkSize, skipCRC32: true,
                provider: { position, size in
                    guard position >= 0, position <= Int64(source.count), size == chunkSize else {
                        throw ZipError.malformed("deflate stream runs past its entry")
                    }
                    let from = Int(position)
                    var chunk = Data(source[from..<min(source.count, from + size)])
                    if chunk.count < size { chunk.append(Data(count: size - chunk.count)) }
                    return chunk
                },
                consumer: { data in
                    guard data.count <= limit - output.count else { throw ZipError.tooLarge }
                    output.append(contentsOf: data)
                })
        } catch let error as ZipError {
            throw error
        } catch {
            throw .malformed("deflate stream")
        }
        return output
    }

    // MARK: Little-endian fields, read only at offsets already checked against the bytes.

    private func u16(_ offset: Int) -> UInt16 { ZipReader.u16(bytes, offset) }
    private func u32(_ offset: Int) -> UInt32 { ZipReader.u32(bytes, offset) }
    private func u64(_ offset: Int) -> UInt64 { UInt64(u32(offset)) | UInt64(u32(offset + 4)) << 32 }

    static func u16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
        guard offset >= 0, offset <= bytes.count - 2 else { return 0 }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    static func u32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        guard offset >= 0, offset <= bytes.count - 4 else { return 0 }
        return UInt32(u16(bytes, offset)) | UInt32(u16(bytes, offset + 2)) << 16
    }

    /// A 64-bit offset or size as an `Int` no larger than `within - needing`.
    static func offset(_ value: UInt64, within limit: Int, needing: Int) throws(ZipError) -> Int {
        guard value <= UInt64(Int.max), Int(value) <= limit - needing else { throw .malformed("offset outside the file") }
        return Int(value)
    }

    /// The end-of-central-directory record: its signature searched from the end, past a comment of up to 64 KB.
    static func endOfCentralDirectory(_ bytes: [UInt8]) throws(ZipError) -> Int {
        guard bytes.count >= 22 else { throw .notZip }
        var position = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        while position >= lowest {
            if u32(bytes, position) == 0x0605_4B50 { return position }
            position -= 1
        }
        throw .notZip
    }
}

/// CRC-32 (IEEE 802.3), as ZIP stores it.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { index -> UInt32 in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

/// A ZIP of stored (uncompressed) entries with their CRC-32, written byte for byte: for tests and
/// fuzz targets that need exactly the bytes they choose inside a package.
public enum StoredZip {
    public static func bytes(_ entries: [(name: String, data: [UInt8])]) -> [UInt8] {
        func le16(_ value: Int) -> [UInt8] { [UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8)] }
        func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) } }
        var output: [UInt8] = []
        var directory: [UInt8] = []
        for (name, data) in entries {
            let nameBytes = Array(name.utf8)
            let offset = UInt32(truncatingIfNeeded: output.count)
            let size = le32(UInt32(truncatingIfNeeded: data.count))
            let common =
                le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(CRC32.checksum(data)) + size + size
                + le16(nameBytes.count) + le16(0)
            output += le32(0x0403_4B50) + common + nameBytes + data
            directory += le32(0x0201_4B50) + le16(20) + common + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + nameBytes
        }
        let directoryOffset = UInt32(truncatingIfNeeded: output.count)
        output += directory
        output += le32(0x0605_4B50) + le16(0) + le16(0) + le16(entries.count) + le16(entries.count)
        output += le32(UInt32(truncatingIfNeeded: directory.count)) + le32(directoryOffset) + le16(0)
        return output
    }
}
