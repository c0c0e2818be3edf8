/// A greyscale page as poppler's `pdftoppm -gray` writes it (binary PGM), and the one cleaning a
/// scanned table needs before character recognition: its ruling taken away. A digit that sits close
/// to a table's left rule ("|5") is read as nothing at all by Tesseract, and a bold "TT" beside it as
/// "j."; with the rules gone both read right. A rule is a run of dark pixels far longer than any
/// stroke of a letter, along a column (vertical rules) or a row (horizontal ones); a tilted rule
/// still gives such runs (a 4-pixel rule tilted by one degree darkens 200 pixels of each column it
/// crosses).
struct ScanImage {
    var width: Int
    var height: Int
    var pixels: [UInt8]

    /// Reads a binary PGM (P5, 8-bit); nil for anything else.
    init?(pgm bytes: [UInt8]) {
        var index = 0
        func skipSpaceAndComments() {
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "#") {
                    while index < bytes.count, bytes[index] != 0x0A { index += 1 }
                } else if [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
                    index += 1
                } else {
                    return
                }
            }
        }
        func number() -> Int? {
            skipSpaceAndComments()
            var value = 0
            var digits = 0
            while index < bytes.count, (0x30...0x39).contains(bytes[index]), digits < 7 {
                value = value * 10 + Int(bytes[index] - 0x30)
                index += 1
                digits += 1
            }
            return digits > 0 ? value : nil
        }
        guard bytes.count > 2, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "5") else { return nil }
        index = 2
        guard let width = number(), let height = number(), let maximum = number(), maximum > 0, maximum < 256,
            width > 0, height > 0, width <= 20_000, height <= 20_000, index < bytes.count
        else { return nil }
        index += 1  // the single whitespace before the pixels
        guard bytes.count - index >= width * height else { return nil }
        self.width = width
        self.height = height
        self.pixels = Array(bytes[index..<index + width * height])
    }

    var pgm: [UInt8] { Array("P5\n\(width) \(height)\n255\n".utf8) + pixels }

    /// The rows (pixel, from the top) crossed by a dark run at least `longest` long: a table's
    /// horizontal rules, a rule of several pixels' thickness given once, at its middle.
    func horizontalRules(longest: Int) -> [Double] { rules(lines: height, length: width, longest: longest) { $0 * width + $1 } }

    /// The columns (pixel, from the left) crossed by a dark run at least `longest` tall: the candidates
    /// for a table's vertical rules, a rule of several pixels given once, at its middle.
    func verticalRules(longest: Int) -> [Int] {
        rules(lines: width, length: height, longest: longest) { $1 * width + $0 }.map { Int($0) }
    }

    /// The lines (rows or columns, `index(line, position)` giving a pixel) along which some dark run is
    /// at least `longest` long, neighbouring lines taken as one rule at their middle.
    private func rules(lines: Int, length: Int, longest: Int, index: (Int, Int) -> Int) -> [Double] {
        var rules: [Double] = []
        var first = -1
        for line in 0...lines {
            var isRule = false
            if line < lines {
                var run = 0
                for position in 0..<length {
                    run = pixels[index(line, position)] < 160 ? run + 1 : 0
                    if run >= longest {
                        isRule = true
                        break
                    }
                }
            }
            if isRule, first < 0 { first = line }
            if !isRule, first >= 0 {
                rules.append(Double(first + line - 1) / 2)
                first = -1
            }
        }
        return rules
    }

    /// The page with every run of dark pixels at least `longest` long, along a column or a row, made
    /// the paper's colour, with the grey edge beside it.
    mutating func removeRules(longest: Int) {
        let dark: UInt8 = 160
        let edge: UInt8 = 215
        var rule = [Bool](repeating: false, count: pixels.count)
        // Along each line (a column, then a row) of `length` pixels, `index(line, position)` one pixel:
        // each long dark run marked, with the grey pixels across it (two on each side).
        func markRuns(lines: Int, length: Int, across: Int, index: (Int, Int) -> Int) {
            for line in 0..<lines {
                var start = -1
                for position in 0...length {
                    let isDark = position < length && pixels[index(line, position)] < dark
                    if isDark, start < 0 { start = position }
                    guard !isDark, start >= 0 else { continue }
                    if position - start >= longest {
                        for along in start..<position {
                            for beside in max(line - 2, 0)...min(line + 2, across - 1)
                            where beside == line || pixels[index(beside, along)] < edge {
                                rule[index(beside, along)] = true
                            }
                        }
                    }
                    start = -1
                }
            }
        }
        let width = width
        markRuns(lines: width, length: height, across: width) { x, y in y * width + x }
        markRuns(lines: height, length: width, across: height) { y, x in y * width + x }
        // Filled with the paper's own grey: a white stripe on grey paper is a rule again.
        let paper = paper
        for index in pixels.indices where rule[index] { pixels[index] = paper }
    }

    /// The paper's grey: the median of the light pixels.
    var paper: UInt8 {
        var histogram = [Int](repeating: 0, count: 256)
        for pixel in pixels where pixel > 128 { histogram[Int(pixel)] += 1 }
        let light = histogram.reduce(0, +)
        var seen = 0
        for value in 129...255 {
            seen += histogram[value]
            if seen * 2 >= light { return UInt8(value) }
        }
        return 255
    }
}
