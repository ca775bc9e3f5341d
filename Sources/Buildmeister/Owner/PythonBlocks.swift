import Foundation

/// The classes and functions of a Python module with the line ranges Python's `ast` reports:
/// from the first decorator (or the `def`/`class` line) to the last line of the body's last
/// statement. Found with a small tokenizer that understands strings (triple-quoted ones too,
/// whatever their indentation), comments, brackets and backslash continuations.
struct PythonBlock: Equatable {
    enum Kind { case function, `class` }

    let kind: Kind
    let name: String
    /// 1-based, inclusive.
    let startLine: Int
    let endLine: Int
    /// Base class names, for a class (`Base` of `class Test(Base):`; dotted names keep their last part).
    let bases: [String]
    let children: [PythonBlock]

    /// The blocks of `source`, top level first.
    static func parse(_ source: String) -> [PythonBlock] {
        blocks(in: LogicalLine.split(source)[...], indent: -1)
    }

    private static func blocks(in lines: ArraySlice<LogicalLine>, indent parentIndent: Int) -> [PythonBlock] {
        var result: [PythonBlock] = []
        var index = lines.startIndex
        var decoratorStart: Int?
        guard let blockIndent = lines.first?.indent else { return [] }
        while index < lines.endIndex {
            let line = lines[index]
            defer { index += 1 }
            guard line.indent == blockIndent else { continue }
            if line.text.hasPrefix("@") {
                decoratorStart = decoratorStart ?? line.start
                continue
            }
            guard let header = Header(line.text) else { decoratorStart = nil; continue }
            var end = index + 1
            while end < lines.endIndex, lines[end].indent > line.indent { end += 1 }
            let body = lines[(index + 1)..<end]
            result.append(PythonBlock(kind: header.kind, name: header.name, startLine: decoratorStart ?? line.start,
                                      endLine: body.last?.end ?? line.end, bases: header.bases,
                                      children: blocks(in: body, indent: line.indent)))
            decoratorStart = nil
            index = end - 1
        }
        return result
    }

    /// The name, kind and bases of a `def`, `async def` or `class` line.
    private struct Header {
        let kind: Kind
        let name: String
        let bases: [String]

        init?(_ text: String) {
            var rest = Substring(text)
            if rest.hasPrefix("async ") { rest = rest.dropFirst(6).drop { $0 == " " || $0 == "\t" } }
            if rest.hasPrefix("def ") || rest.hasPrefix("def\t") {
                kind = .function
                rest = rest.dropFirst(4)
            } else if rest.hasPrefix("class ") || rest.hasPrefix("class\t") {
                guard !text.hasPrefix("async") else { return nil }
                kind = .class
                rest = rest.dropFirst(6)
            } else {
                return nil
            }
            rest = rest.drop { $0 == " " || $0 == "\t" }
            let identifier = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            guard !identifier.isEmpty else { return nil }
            name = String(identifier)
            rest = rest.dropFirst(identifier.count).drop { $0 == " " || $0 == "\t" }
            if kind == .class, rest.hasPrefix("("), let close = rest.firstIndex(of: ")") {
                bases = rest[rest.index(after: rest.startIndex)..<close].split(separator: ",").compactMap { part in
                    let base = part.trimmingCharacters(in: .whitespacesAndNewlines)
                    guard !base.contains("="), let last = base.split(separator: ".").last else { return nil }
                    return String(last)
                }
            } else {
                bases = []
            }
        }
    }
}

/// A logical line of Python: a statement's physical lines, without blank and comment-only lines.
struct LogicalLine {
    /// 1-based first and last physical line holding one of its tokens.
    let start: Int
    let end: Int
    /// The column of its first character (tabs to the next multiple of 8, as Python does).
    let indent: Int
    /// Its first physical line, from the first token on.
    let text: String

    /// Python's tokens that matter here are ASCII (quotes, brackets, `#`, `\\`, blanks), so the
    /// source is scanned as UTF-8 bytes; lines end at LF, and a CR before it is dropped.
    static func split(_ source: String) -> [LogicalLine] {
        var result: [LogicalLine] = []
        let bytes = Array(source.utf8)
        var scanner = Scanner()
        var current: (start: Int, end: Int, indent: Int, text: String)?
        var lineStart = 0, number = 0
        while lineStart <= bytes.count {
            number += 1
            var lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            let next = lineEnd + 1
            if lineEnd > lineStart && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let line = bytes[lineStart..<lineEnd]
            let startsLogical = current == nil && !scanner.isInsideStatement
            let hasToken = scanner.scan(line)
            if startsLogical {
                if hasToken {
                    let first = line.firstIndex { $0 != 0x20 && $0 != 0x09 && $0 != 0x0C } ?? line.endIndex
                    current = (number, number, indentation(of: line), String(decoding: line[first...], as: UTF8.self))
                }
            } else if hasToken {
                current?.end = number
            }
            if let open = current, !scanner.isInsideStatement {
                result.append(LogicalLine(start: open.start, end: open.end, indent: open.indent, text: open.text))
                current = nil
            }
            lineStart = next
        }
        if let open = current {
            result.append(LogicalLine(start: open.start, end: open.end, indent: open.indent, text: open.text))
        }
        return result
    }

    private static func indentation(of line: ArraySlice<UInt8>) -> Int {
        var column = 0
        for byte in line {
            switch byte {
            case 0x20: column += 1
            case 0x09: column = (column / 8 + 1) * 8
            case 0x0C: column = 0
            default: return column
            }
        }
        return column
    }

    /// Tracks strings, brackets and continuations across physical lines.
    private struct Scanner {
        private var quote: UInt8?  // the open string's quote character
        private var tripleQuoted = false
        private var depth = 0
        private var continued = false

        var isInsideStatement: Bool { quote != nil || depth > 0 || continued }

        /// Scans one physical line; returns whether it holds any token (not only blanks/comments).
        mutating func scan(_ line: ArraySlice<UInt8>) -> Bool {
            continued = false
            var hasToken = quote != nil
            var index = line.startIndex
            while index < line.endIndex {
                let byte = line[index]
                if let closing = quote {
                    if byte == 0x5C { index += 2; continue }
                    if byte == closing {
                        if !tripleQuoted {
                            quote = nil
                            index += 1
                            continue
                        }
                        if index + 2 < line.endIndex && line[index + 1] == closing && line[index + 2] == closing {
                            quote = nil
                            index += 3
                            continue
                        }
                    }
                    index += 1
                    continue
                }
                switch byte {
                case 0x23:  // '#'
                    return hasToken
                case 0x20, 0x09, 0x0C:
                    break
                case 0x5C where index == line.endIndex - 1:
                    continued = true
                case 0x22, 0x27:  // '"', "'"
                    hasToken = true
                    tripleQuoted = index + 2 < line.endIndex && line[index + 1] == byte && line[index + 2] == byte
                    quote = byte
                    index += tripleQuoted ? 3 : 1
                    continue
                case 0x28, 0x5B, 0x7B:
                    hasToken = true
                    depth += 1
                case 0x29, 0x5D, 0x7D:
                    hasToken = true
                    depth = max(0, depth - 1)
                default:
                    hasToken = true
                }
                index += 1
            }
            // An unterminated one-quote string ends with its line (unless continued by a backslash).
            if quote != nil, !tripleQuoted, line.last != 0x5C { quote = nil }
            return hasToken
        }
    }
}
