/// A small, non-validating XML reader for JUnit reports: elements, attributes, text, the five
/// predefined entities and character references; comments, processing instructions, DOCTYPE and
/// CDATA are understood. It never backtracks, bounds nesting, and reports malformed input as an
/// error instead of guessing, so random bytes can neither crash nor hang it.
struct XMLScanner {
    enum Event {
        case start(name: String, attributes: [String: String])
        case end(name: String)
        case text(String)
    }

    struct Malformed: Error {}

    static let maximumDepth = 256

    /// Calls `body` with each event of `bytes`, in document order.
    static func scan(_ bytes: [UInt8], _ body: (Event) throws -> Void) throws {
        var index = 0, depth = 0
        var text: [UInt8] = []
        func flushText() throws {
            if !text.isEmpty { try body(.text(decode(text))); text.removeAll(keepingCapacity: true) }
        }
        func starts(_ literal: String) -> Bool {
            let utf8 = Array(literal.utf8)
            return bytes.count - index >= utf8.count && bytes[index..<index + utf8.count].elementsEqual(utf8)
        }
        func skip(past literal: String) throws {
            let utf8 = Array(literal.utf8)
            while index < bytes.count {
                if bytes.count - index >= utf8.count && bytes[index..<index + utf8.count].elementsEqual(utf8) {
                    index += utf8.count
                    return
                }
                index += 1
            }
            throw Malformed()
        }
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else { text.append(bytes[index]); index += 1; continue }
            if starts("<!--") { try flushText(); try skip(past: "-->"); continue }
            if starts("<![CDATA[") {
                index += 9
                let start = index
                try skip(past: "]]>")
                text += bytes[start..<(index - 3)]
                continue
            }
            if starts("<?") || starts("<!") { try flushText(); try skip(past: ">"); continue }
            try flushText()
            index += 1
            if index < bytes.count && bytes[index] == UInt8(ascii: "/") {
                index += 1
                let name = try readName(bytes, &index)
                while index < bytes.count && isSpace(bytes[index]) { index += 1 }
                guard index < bytes.count, bytes[index] == UInt8(ascii: ">"), depth > 0 else { throw Malformed() }
                index += 1
                depth -= 1
                try body(.end(name: name))
                continue
            }
            let name = try readName(bytes, &index)
            var attributes: [String: String] = [:]
            while true {
                while index < bytes.count && isSpace(bytes[index]) { index += 1 }
                guard index < bytes.count else { throw Malformed() }
                if bytes[index] == UInt8(ascii: ">") {
                    index += 1
                    depth += 1
                    guard depth <= maximumDepth else { throw Malformed() }
                    try body(.start(name: name, attributes: attributes))
                    break
                }
                if bytes[index] == UInt8(ascii: "/") {
                    guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") else { throw Malformed() }
                    index += 2
                    try body(.start(name: name, attributes: attributes))
                    try body(.end(name: name))
                    break
                }
                let key = try readName(bytes, &index)
                while index < bytes.count && isSpace(bytes[index]) { index += 1 }
                guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { throw Malformed() }
                index += 1
                while index < bytes.count && isSpace(bytes[index]) { index += 1 }
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                    throw Malformed()
                }
                let quote = bytes[index]
                index += 1
                let start = index
                while index < bytes.count && bytes[index] != quote { index += 1 }
                guard index < bytes.count else { throw Malformed() }
                attributes[key] = decode(Array(bytes[start..<index]))
                index += 1
            }
        }
        try flushText()
        guard depth == 0 else { throw Malformed() }
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }

    private static func readName(_ bytes: [UInt8], _ index: inout Int) throws -> String {
        let start = index
        while index < bytes.count, !isSpace(bytes[index]), ![UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "="),
                                                             UInt8(ascii: "<")].contains(bytes[index]) {
            index += 1
        }
        guard index > start else { throw Malformed() }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// Text with `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` and `&#N;`/`&#xN;` replaced.
    static func decode(_ bytes: [UInt8]) -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        var output: [UInt8] = [], index = 0
        let named: [String: String] = ["lt": "<", "gt": ">", "amp": "&", "quot": "\"", "apos": "'"]
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "&"),
                  let semicolon = bytes[index..<min(bytes.count, index + 12)].firstIndex(of: UInt8(ascii: ";")) else {
                output.append(bytes[index]); index += 1; continue
            }
            let entity = String(decoding: bytes[(index + 1)..<semicolon], as: UTF8.self)
            var replacement: String?
            if let value = named[entity] {
                replacement = value
            } else if entity.hasPrefix("#x"), let code = UInt32(entity.dropFirst(2), radix: 16), let scalar = Unicode.Scalar(code) {
                replacement = String(Character(scalar))
            } else if entity.hasPrefix("#"), let code = UInt32(entity.dropFirst()), let scalar = Unicode.Scalar(code) {
                replacement = String(Character(scalar))
            }
            if let replacement {
                output += Array(replacement.utf8)
                index = semicolon + 1
            } else {
                output.append(bytes[index]); index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
