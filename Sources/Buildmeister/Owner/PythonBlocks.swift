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

    static func split(_ source: String) -> [LogicalLine] {
        var result: [LogicalLine] = []
        // "\r\n" is one Character in Swift, so split on both forms (git counts lines by LF).
        let physical = source.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        var scanner = Scanner()
        var current: (start: Int, end: Int, indent: Int, text: String)?
        for (offset, rawLine) in physical.enumerated() {
            let number = offset + 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let startsLogical = current == nil && !scanner.isInsideStatement
            let hasToken = scanner.scan(line)
            if startsLogical {
                if hasToken {
                    let column = indentation(of: line)
                    current = (number, number, column, String(line.drop { $0 == " " || $0 == "\t" || $0 == "\u{0C}" }))
                }
            } else if hasToken {
                current?.end = number
            }
            if let open = current, !scanner.isInsideStatement {
                result.append(LogicalLine(start: open.start, end: open.end, indent: open.indent, text: open.text))
                current = nil
            }
        }
        if let open = current {
            result.append(LogicalLine(start: open.start, end: open.end, indent: open.indent, text: open.text))
        }
        return result
    }

    private static func indentation(of line: Substring) -> Int {
        var column = 0
        for character in line {
            switch character {
            case " ": column += 1
            case "\t": column = (column / 8 + 1) * 8
            case "\u{0C}": column = 0
            default: return column
            }
        }
        return column
    }

    /// Tracks strings, brackets and continuations across physical lines.
    private struct Scanner {
        private var quote: [Character]?  // the open string's closing quote (one or three characters)
        private var depth = 0
        private var continued = false

        var isInsideStatement: Bool { quote != nil || depth > 0 || continued }

        /// Scans one physical line; returns whether it holds any token (not only blanks/comments).
        mutating func scan(_ line: Substring) -> Bool {
            continued = false
            var hasToken = quote != nil
            let characters = Array(line)
            var index = 0
            while index < characters.count {
                let character = characters[index]
                if let closing = quote {
                    if character == "\\" { index += 2; continue }
                    if character == closing[0], Array(characters[index..<min(index + closing.count, characters.count)]) == closing {
                        quote = nil
                        index += closing.count
                        continue
                    }
                    index += 1
                    continue
                }
                switch character {
                case "#":
                    return hasToken
                case " ", "\t", "\u{0C}":
                    break
                case "\\" where index == characters.count - 1:
                    continued = true
                case "\"", "'":
                    hasToken = true
                    let triple = index + 2 < characters.count && characters[index + 1] == character && characters[index + 2] == character
                    quote = Array(repeating: character, count: triple ? 3 : 1)
                    index += triple ? 3 : 1
                    continue
                case "(", "[", "{":
                    hasToken = true
                    depth += 1
                case ")", "]", "}":
                    hasToken = true
                    depth = max(0, depth - 1)
                default:
                    hasToken = true
                }
                index += 1
            }
            if let closing = quote, closing.count == 1 {
                // An unterminated one-quote string ends with its line (unless continued by a backslash).
                if characters.last != "\\" { quote = nil }
            }
            return hasToken
        }
    }
}
