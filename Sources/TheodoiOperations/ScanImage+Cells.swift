import Foundation

/// A scanned page turned straight and cut into the regions Tesseract reads best one at a time: each
/// cell of its table, and the text above and below the table. Recognised as one block, a page runs
/// the lines of neighbouring cells together (a row's cells rarely share a baseline), and Tesseract
/// then drops words where the lines meet ("Sở" of "Sở Xây dựng") and runs others together
/// ("cơsởdữ"); a cell alone reads as its text.
extension ScanImage {
    /// A rectangle of the page, in pixels: `x..<x + width`, `y..<y + height`.
    struct Region: Hashable {
        var x: Int
        var y: Int
        var width: Int
        var height: Int
    }

    /// The page's tilt as the slope (dy/dx) of its lines of text and its rules: the slope that makes
    /// the rows of dark pixels sharpest (their counts' squares summed), tried every 0.05° within
    /// ±`degrees` on a quarter of the pixels.
    func tilt(degrees: Double = 2.5) -> Double {
        let step = 4
        var xs: [Int] = []
        var ys: [Int] = []
        for y in stride(from: 0, to: height, by: step) {
            for x in stride(from: 0, to: width, by: step) where pixels[y * width + x] < 160 {
                xs.append(x / step)
                ys.append(y / step)
            }
        }
        guard xs.count >= 200 else { return 0 }
        let columns = (width + step - 1) / step
        let rows = (height + step - 1) / step
        let steps = Int((degrees / 0.05).rounded())
        let reach = Int((Double(columns) * tan(degrees * .pi / 180)).rounded(.up)) + 1
        var counts = [Int](repeating: 0, count: rows + 2 * reach + 1)
        var best = (score: -1.0, slope: 0.0)
        for index in -steps...steps {
            let slope = tan(Double(index) * 0.05 * .pi / 180)
            for bin in counts.indices { counts[bin] = 0 }
            for point in xs.indices {
                let bin = ys[point] - Int((Double(xs[point]) * slope).rounded()) + reach
                if bin >= 0, bin < counts.count { counts[bin] += 1 }
            }
            let score = counts.reduce(0.0) { $0 + Double($1) * Double($1) }
            // The flattest of equally sharp slopes: no turn where none is needed.
            if score > best.score * 1.000_001 || (score >= best.score && abs(slope) < abs(best.slope)) {
                best = (score, slope)
            }
        }
        return best.slope
    }

    /// The page turned so that lines with slope `slope` lie level (about its centre, the same size,
    /// the corners brought in filled with the paper's grey), sampled between the four nearest pixels.
    func levelled(slope: Double) -> ScanImage {
        guard abs(slope) > 0.000_2 else { return self }
        let angle = atan(slope)
        let cosine = cos(angle)
        let sine = sin(angle)
        let centreX = Double(width) / 2
        let centreY = Double(height) / 2
        let paper = paper
        var turned = [UInt8](repeating: paper, count: pixels.count)
        for row in 0..<height {
            let dy = Double(row) - centreY
            for column in 0..<width {
                let dx = Double(column) - centreX
                let x = centreX + dx * cosine - dy * sine
                let y = centreY + dx * sine + dy * cosine
                guard x >= 0, y >= 0, x < Double(width - 1), y < Double(height - 1) else { continue }
                let left = Int(x)
                let top = Int(y)
                let fx = x - Double(left)
                let fy = y - Double(top)
                let index = top * width + left
                let upper = Double(pixels[index]) * (1 - fx) + Double(pixels[index + 1]) * fx
                let lower = Double(pixels[index + width]) * (1 - fx) + Double(pixels[index + width + 1]) * fx
                turned[row * width + column] = UInt8(min(max((upper * (1 - fy) + lower * fy).rounded(), 0), 255))
            }
        }
        var image = self
        image.pixels = turned
        return image
    }

    /// Whether the rule at column `x` runs down from `top` to `bottom`: some pixel within two of it
    /// dark on nine rows in ten.
    func ruleCrosses(x: Int, top: Int, bottom: Int) -> Bool {
        guard top < bottom else { return false }
        var dark = 0
        for y in max(top, 0)..<min(bottom, height) {
            let row = y * width
            if (max(x - 2, 0)...min(x + 2, width - 1)).contains(where: { pixels[row + $0] < 160 }) { dark += 1 }
        }
        return dark * 10 >= (bottom - top) * 9
    }

    /// The regions to recognise one at a time, from the top of the page down, and the table's
    /// horizontal rules (pixel rows): above the table, each of its cells row by row (a cell written
    /// across several columns stays whole), below it. A page with no ruled table is one region.
    /// Must be called before the rules are taken out of the image.
    func regions() -> (regions: [Region], rules: [Int]) {
        let whole = Region(x: 0, y: 0, width: width, height: height)
        let rules = horizontalRules(longest: width * 2 / 5).map { Int($0.rounded()) }
        let verticals = verticalRules(longest: max(height / 20, 60))
        guard rules.count >= 2, verticals.count >= 2 else { return ([whole], []) }
        let inset = 6
        var regions: [Region] = []
        var tableRules: [Int] = []
        var top = 0
        for (upper, lower) in zip(rules, rules.dropFirst()) where lower - upper > 2 * inset + 8 {
            let crossing = verticals.filter { ruleCrosses(x: $0, top: upper + inset, bottom: lower - inset) }
            guard crossing.count >= 2 else { continue }
            if tableRules.last != upper {
                // The text above the table, or between two tables.
                if upper - top > 2 * inset { regions.append(Region(x: 0, y: top, width: width, height: upper - top)) }
                tableRules.append(upper)
            }
            for (left, right) in zip(crossing, crossing.dropFirst()) where right - left > 2 * inset + 8 {
                regions.append(
                    Region(x: left + inset, y: upper + inset, width: right - left - 2 * inset, height: lower - upper - 2 * inset))
            }
            tableRules.append(lower)
            top = lower
        }
        guard !tableRules.isEmpty else { return ([whole], []) }
        if height - top > 2 * inset { regions.append(Region(x: 0, y: top, width: width, height: height - top)) }
        return (regions, tableRules)
    }

    /// Whether a region holds ink: more than a few dark pixels.
    func hasInk(_ region: Region) -> Bool {
        var dark = 0
        for y in region.y..<min(region.y + region.height, height) {
            for x in region.x..<min(region.x + region.width, width) where pixels[y * width + x] < 128 {
                dark += 1
                if dark > 24 { return true }
            }
        }
        return false
    }

    /// A region of the page on white, with a white margin around it (Tesseract reads text that
    /// touches the image's edge badly): every pixel made lighter in proportion, so that whatever is
    /// barely darker than the paper goes white. In a cell with little ink (a row's number alone)
    /// Tesseract otherwise takes the faint trace a rule left for ink, and "17.9" beside it is read
    /// "| ĐÁ)". Cutting at a threshold instead loses the light strokes of a hook above ("đổi" read
    /// "đối").
    func cut(_ region: Region, margin: Int, paper: UInt8) -> ScanImage {
        var image = self
        image.width = region.width + 2 * margin
        image.height = region.height + 2 * margin
        let light = Int(paper) > 40 ? Int(paper) - 12 : 255
        var cut = [UInt8](repeating: 255, count: image.width * image.height)
        for y in 0..<region.height where region.y + y < height {
            let from = (region.y + y) * width + region.x
            let count = min(region.width, width - region.x)
            guard count > 0 else { continue }
            let to = (y + margin) * image.width + margin
            for offset in 0..<count {
                let pixel = pixels[from + offset]
                cut[to + offset] = UInt8(min(Int(pixel) * 255 / light, 255))
            }
        }
        image.pixels = cut
        return image
    }

    /// The image drawn at another size, each pixel the mean of the pixels it covers (or the nearest
    /// one, drawn larger).
    func scaled(toWidth newWidth: Int, height newHeight: Int) -> ScanImage {
        let newWidth = max(newWidth, 1)
        let newHeight = max(newHeight, 1)
        var image = self
        image.width = newWidth
        image.height = newHeight
        var scaled = [UInt8](repeating: 255, count: newWidth * newHeight)
        for row in 0..<newHeight {
            let top = row * height / newHeight
            let bottom = max((row + 1) * height / newHeight, top + 1)
            for column in 0..<newWidth {
                let left = column * width / newWidth
                let right = max((column + 1) * width / newWidth, left + 1)
                var sum = 0
                for y in top..<min(bottom, height) {
                    for x in left..<min(right, width) { sum += Int(pixels[y * width + x]) }
                }
                let count = (min(bottom, height) - top) * (min(right, width) - left)
                scaled[row * newWidth + column] = UInt8(count > 0 ? sum / count : 255)
            }
        }
        image.pixels = scaled
        return image
    }
}
