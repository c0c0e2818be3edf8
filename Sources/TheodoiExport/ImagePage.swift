import Foundation

/// A photographed or scanned page sent as a JPEG or PNG, put as it is into a one-page PDF (a JPEG's
/// bytes are what a PDF image holds; a PNG's compressed rows are too, with its predictor named), so
/// that poppler renders it as it renders a page of a scanned PDF and the page is read the same way:
/// turned level, cut into its table's cells, read three times (theodoi's `CharacterRecognizer`). Nothing is
/// decoded here; a JPEG or PNG this cannot place (CMYK, 16 bits, a palette, transparency,
/// interlacing) is recognised as the image it is.
public enum ImagePage {
    /// The PDF holding the image, or nil when the image is not one this places.
    public static func pdf(_ data: Data) -> Data? {
        let bytes = [UInt8](data)
        guard let image = jpeg(bytes) ?? png(bytes), image.width > 0, image.height > 0 else { return nil }
        // The page's size from the image's own resolution, else as if the image were an A4 sheet
        // (its longer side 11.69 inches).
        let longest = Double(max(image.width, image.height))
        let dotsPerInch =
            image.dotsPerInch.flatMap { (72...1_200).contains($0) ? $0 : nil } ?? min(max(longest / 11.69, 100), 600)
        let width = Double(image.width) * 72 / dotsPerInch
        let height = Double(image.height) * 72 / dotsPerInch
        func number(_ value: Double) -> String { String(format: "%.2f", value) }
        let drawing = Array("q \(number(width)) 0 0 \(number(height)) 0 0 cm /Im0 Do Q\n".utf8)
        var objects: [[UInt8]] = [
            Array("<< /Type /Catalog /Pages 2 0 R >>".utf8),
            Array("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".utf8),
            Array(
                ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(number(width)) \(number(height))] "
                    + "/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>").utf8),
        ]
        objects.append(
            Array(
                ("<< /Type /XObject /Subtype /Image /Width \(image.width) /Height \(image.height) "
                    + "/ColorSpace /\(image.colourSpace) /BitsPerComponent 8 \(image.filter) /Length \(image.stream.count) >>\nstream\n")
                    .utf8) + image.stream + Array("\nendstream".utf8))
        objects.append(Array("<< /Length \(drawing.count) >>\nstream\n".utf8) + drawing + Array("endstream".utf8))
        var pdf = Array("%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(pdf.count)
            pdf += Array("\(index + 1) 0 obj\n".utf8) + object + Array("\nendobj\n".utf8)
        }
        let table = pdf.count
        pdf += Array("xref\n0 \(objects.count + 1)\n0000000000 65535 f \n".utf8)
        for offset in offsets { pdf += Array(String(format: "%010d 00000 n \n", offset).utf8) }
        pdf += Array("trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(table)\n%%EOF\n".utf8)
        return Data(pdf)
    }

    struct Image {
        var width: Int
        var height: Int
        var colourSpace: String
        var filter: String
        var stream: [UInt8]
        var dotsPerInch: Double?
    }

    /// A baseline or progressive JPEG of one or three components, with its density when it gives one.
    static func jpeg(_ bytes: [UInt8]) -> Image? {
        guard bytes.count > 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        func big(_ at: Int) -> Int? { at >= 0 && at + 1 < bytes.count ? Int(bytes[at]) << 8 | Int(bytes[at + 1]) : nil }
        var index = 2
        var dotsPerInch: Double?
        while index + 4 <= bytes.count {
            guard bytes[index] == 0xFF else { return nil }
            let marker = bytes[index + 1]
            if marker == 0xFF {
                index += 1
                continue
            }
            guard let length = big(index + 2), length >= 2 else { return nil }
            if marker == 0xE0, index + 16 <= bytes.count, bytes[index + 4..<index + 9].elementsEqual(Array("JFIF\0".utf8)),
                let density = big(index + 12), density > 0
            {
                // Units: 1 dots per inch, 2 dots per centimetre.
                if bytes[index + 11] == 1 { dotsPerInch = Double(density) }
                if bytes[index + 11] == 2 { dotsPerInch = Double(density) * 2.54 }
            }
            if [0xC0, 0xC1, 0xC2].contains(marker) {
                guard index + 10 <= bytes.count, bytes[index + 4] == 8, let height = big(index + 5), let width = big(index + 7)
                else { return nil }
                let components = bytes[index + 9]
                guard components == 1 || components == 3 else { return nil }
                return Image(
                    width: width, height: height, colourSpace: components == 1 ? "DeviceGray" : "DeviceRGB",
                    filter: "/Filter /DCTDecode", stream: bytes, dotsPerInch: dotsPerInch)
            }
            index += 2 + length
        }
        return nil
    }

    /// A PNG of 8-bit grey or RGB rows, not interlaced, with its density when it gives one.
    static func png(_ bytes: [UInt8]) -> Image? {
        guard bytes.count > 33, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return nil }
        func big(_ at: Int) -> Int? {
            guard at >= 0, at + 4 <= bytes.count else { return nil }
            return bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        var index = 8
        var header: (width: Int, height: Int, depth: UInt8, colour: UInt8, interlace: UInt8)?
        var stream: [UInt8] = []
        var dotsPerInch: Double?
        while index + 12 <= bytes.count, let length = big(index), length <= bytes.count - index - 12 {
            let kind = String(decoding: bytes[index + 4..<index + 8], as: UTF8.self)
            let body = index + 8
            switch kind {
            case "IHDR" where length >= 13:
                guard let width = big(body), let height = big(body + 4) else { return nil }
                header = (width, height, bytes[body + 8], bytes[body + 9], bytes[body + 12])
            case "pHYs" where length >= 9:
                // Pixels per metre, when the unit is the metre.
                if bytes[body + 8] == 1, let perMetre = big(body), perMetre > 0 { dotsPerInch = Double(perMetre) * 0.0254 }
            case "IDAT":
                stream += bytes[body..<body + length]
            case "IEND":
                break
            default:
                break
            }
            if kind == "IEND" { break }
            index = body + length + 4
        }
        guard let header, header.depth == 8, header.colour == 0 || header.colour == 2, header.interlace == 0, !stream.isEmpty,
            header.width <= 100_000, header.height <= 100_000
        else { return nil }
        let colours = header.colour == 0 ? 1 : 3
        return Image(
            width: header.width, height: header.height, colourSpace: colours == 1 ? "DeviceGray" : "DeviceRGB",
            filter:
                "/Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors \(colours) /BitsPerComponent 8 /Columns \(header.width) >>",
            stream: stream, dotsPerInch: dotsPerInch)
    }
}
