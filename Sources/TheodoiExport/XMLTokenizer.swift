/// One event of a streaming parse.
enum XMLEvent {
    case start(String, [String: String])
    case end(String)
    case text(String)
}

/// Why bytes are not well-formed XML, with the 1-based line.
struct XMLSyntaxError: Error, Equatable {
    var line: Int
    var reason: String
}

/// A small XML reader for the parts of Office packages: UTF-8 only (checked first), elements,
/// attributes, text, the five named entities and character references, CDATA, comments and
/// processing instructions. No DTD (refused), so no entity expansion. Every index is checked;
/// malformed input is an error value, never a trap. Element names are given without their
/// namespace prefix (`x:c` is `c`); attribute names as written.
enum XMLTokenizer {
    /// The deepest nesting accepted (Office parts nest a dozen levels).
    static let maximumDepth = 256

    static func parse(_ input: [UInt8], _ handle: (XMLEvent) -> Void) throws(XMLSyntaxError) {
        var reader = Reader(bytes: input)
        try reader.run(handle)
    }

    private struct Reader {
        let bytes: [UInt8]
        var position = 0
        var stack: [String] = []

        init(bytes input: [UInt8]) {
            // A byte-order mark is not part of the document.
            bytes = input.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(input.dropFirst(3)) : input
        }

        func error(_ reason: String, at index: Int? = nil) -> XMLSyntaxError {
            let end = min(index ?? position, bytes.count)
            var line = 1
            var offset = 0
            while offset < end {
                if bytes[offset] == 0x0A { line += 1 }
                offset += 1
            }
            return XMLSyntaxError(line: line, reason: reason)
        }

        func peek(_ offset: Int = 0) -> UInt8? {
            let index = position + offset
            return index >= 0 && index < bytes.count ? bytes[index] : nil
        }

        func starts(with pattern: String) -> Bool {
            let pattern = Array(pattern.utf8)
            guard position + pattern.count <= bytes.count else { return false }
            var offset = 0
            while offset < pattern.count {
                if bytes[position + offset] != pattern[offset] { return false }
                offset += 1
            }
            return true
        }

        /// The index of `pattern` at or after the position.
        func find(_ pattern: String) -> Int? {
            let pattern = Array(pattern.utf8)
            guard let first = pattern.first, bytes.count >= pattern.count else { return nil }
            var index = position
            while index <= bytes.count - pattern.count {
                if bytes[index] == first {
                    var offset = 1
                    while offset < pattern.count && bytes[index + offset] == pattern[offset] { offset += 1 }
                    if offset == pattern.count { return index }
                }
                index += 1
            }
            return nil
        }

        mutating func run(_ handle: (XMLEvent) -> Void) throws(XMLSyntaxError) {
            guard String(validating: bytes, as: UTF8.self) != nil else { throw error("không phải văn bản UTF-8 hợp lệ", at: 0) }
            var sawRoot = false
            while position < bytes.count {
                if bytes[position] != 0x3C {
                    let end = find("<") ?? bytes.count
                    let text = try decoded(position..<end, attribute: false)
                    if stack.isEmpty {
                        guard text.allSatisfy({ $0 == " " || $0 == "\n" || $0 == "\t" }) else {
                            throw error("có chữ nằm ngoài phần tử gốc")
                        }
                    } else if !text.isEmpty {
                        handle(.text(text))
                    }
                    position = end
                } else if starts(with: "<?") {
                    guard let end = find("?>") else { throw error("chỉ thị xử lý không đóng") }
                    position = end + 2
                } else if starts(with: "<!--") {
                    guard let end = find("-->") else { throw error("chú thích không đóng") }
                    position = end + 3
                } else if starts(with: "<![CDATA[") {
                    guard !stack.isEmpty else { throw error("CDATA nằm ngoài phần tử gốc") }
                    position += 9
                    guard let end = find("]]>") else { throw error("CDATA không đóng") }
                    let text = String(decoding: bytes[position..<end], as: UTF8.self)
                    if !text.isEmpty { handle(.text(text)) }
                    position = end + 3
                } else if starts(with: "<!") {
                    throw error("có khai báo DOCTYPE hoặc cú pháp lạ (không được phép)")
                } else if starts(with: "</") {
                    position += 2
                    let name = try readName()
                    skipSpace()
                    guard peek() == 0x3E else { throw error("thẻ đóng </\(name)> sai cú pháp") }
                    position += 1
                    guard let open = stack.popLast(), open == name else { throw error("thẻ đóng </\(name)> không khớp") }
                    handle(.end(XMLTokenizer.localName(name)))
                } else {
                    position += 1
                    guard !(sawRoot && stack.isEmpty) else { throw error("có hơn một phần tử gốc") }
                    let name = try readName()
                    var attributes: [String: String] = [:]
                    while true {
                        let hadSpace = skipSpace()
                        if peek() == 0x2F && peek(1) == 0x3E {
                            position += 2
                            sawRoot = true
                            handle(.start(XMLTokenizer.localName(name), attributes))
                            handle(.end(XMLTokenizer.localName(name)))
                            break
                        }
                        if peek() == 0x3E {
                            position += 1
                            sawRoot = true
                            stack.append(name)
                            guard stack.count <= XMLTokenizer.maximumDepth else { throw error("lồng quá sâu") }
                            handle(.start(XMLTokenizer.localName(name), attributes))
                            break
                        }
                        guard hadSpace else { throw error("thẻ <\(name)> sai cú pháp") }
                        let attribute = try readName()
                        skipSpace()
                        guard peek() == 0x3D else { throw error("thuộc tính \(attribute) thiếu dấu =") }
                        position += 1
                        skipSpace()
                        guard let quote = peek(), quote == 0x22 || quote == 0x27 else {
                            throw error("giá trị thuộc tính \(attribute) thiếu dấu nháy")
                        }
                        position += 1
                        var end = position
                        while end < bytes.count && bytes[end] != quote {
                            guard bytes[end] != 0x3C else { throw error("giá trị thuộc tính \(attribute) có dấu <") }
                            end += 1
                        }
                        guard end < bytes.count else { throw error("giá trị thuộc tính \(attribute) không đóng") }
                        guard attributes[attribute] == nil else { throw error("thuộc tính \(attribute) lặp lại") }
                        attributes[attribute] = try decoded(position..<end, attribute: true)
                        position = end + 1
                    }
                }
            }
            guard stack.isEmpty else { throw error("phần tử <\(stack.last ?? "")> không đóng") }
            guard sawRoot else { throw error("không có phần tử nào") }
        }

        @discardableResult
        mutating func skipSpace() -> Bool {
            let start = position
            while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
            return position > start
        }

        /// A name: a letter, `_`, `:` or any non-ASCII character, then also digits, `-` and `.`.
        mutating func readName() throws(XMLSyntaxError) -> String {
            let start = position
            while let byte = peek() {
                let letter =
                    (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F || byte == 0x3A
                    || byte >= 0x80
                let later = (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x2E
                if letter || (position > start && later) {
                    position += 1
                } else {
                    break
                }
            }
            guard position > start, position - start <= 1_000 else { throw error("tên thẻ hoặc thuộc tính sai") }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        /// Text with its references replaced; line breaks normalised (and, in attributes, white space to spaces).
        func decoded(_ range: Range<Int>, attribute: Bool) throws(XMLSyntaxError) -> String {
            var output: [UInt8] = []
            output.reserveCapacity(range.count)
            var index = range.lowerBound
            while index < range.upperBound {
                let byte = bytes[index]
                if byte == 0x26 {
                    var end = index + 1
                    while end < range.upperBound && bytes[end] != 0x3B && end - index < 12 { end += 1 }
                    guard end < range.upperBound, bytes[end] == 0x3B else { throw error("tham chiếu & không đóng", at: index) }
                    let name = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
                    guard let scalar = XMLTokenizer.reference(name) else {
                        throw error("tham chiếu &\(name); không hợp lệ", at: index)
                    }
                    output.append(contentsOf: Array(String(Character(scalar)).utf8))
                    index = end + 1
                } else if byte == 0x0D {
                    output.append(attribute ? 0x20 : 0x0A)
                    index += index + 1 < range.upperBound && bytes[index + 1] == 0x0A ? 2 : 1
                } else if attribute && (byte == 0x0A || byte == 0x09) {
                    output.append(0x20)
                    index += 1
                } else {
                    output.append(byte)
                    index += 1
                }
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// The character of `&name;`: the five named entities and `#N;`/`#xN;` of a character XML allows.
    static func reference(_ name: String) -> Unicode.Scalar? {
        switch name {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        case "apos": return "'"
        default: break
        }
        guard name.hasPrefix("#") else { return nil }
        let digits = name.dropFirst()
        let value: UInt32?
        if digits.hasPrefix("x") || digits.hasPrefix("X") {
            value = digits.count > 1 && digits.count <= 7 ? UInt32(digits.dropFirst(), radix: 16) : nil
        } else {
            value = !digits.isEmpty && digits.count <= 8 ? UInt32(digits, radix: 10) : nil
        }
        guard let value, value == 0x09 || value == 0x0A || value == 0x0D || value >= 0x20,
            let scalar = Unicode.Scalar(value)
        else { return nil }
        return scalar
    }

    /// "c" for "x:c".
    static func localName(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }
}
