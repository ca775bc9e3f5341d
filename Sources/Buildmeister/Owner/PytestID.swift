/// A pytest node id: `path.py`, `path.py::func`, `path.py::Class::method`, ..., with an optional
/// parametrisation suffix on the last name (`test_x[a-1]`, `test_x[a::b c]`).
public struct PytestID: Sendable, Equatable {
    public let text: String
    public let path: String
    /// Class and function names after the path, without the parametrisation.
    public let names: [String]

    /// Parses `text`; nil when it has no path. The path ends at the first `::` (a path may hold
    /// `[`); after it, `::` inside a parametrisation's brackets does not separate names.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let separator = trimmed.range(of: "::") else {
            guard !trimmed.isEmpty else { return nil }
            self.text = trimmed
            path = trimmed
            names = []
            return
        }
        var parts: [String] = []
        var current = "", depth = 0
        let rest = trimmed[separator.upperBound...]
        var index = rest.startIndex
        while index < rest.endIndex {
            let character = rest[index]
            if character == "[" { depth += 1 }
            if character == "]" { depth = max(0, depth - 1) }
            if depth == 0, rest[index...].hasPrefix("::") {
                parts.append(current)
                current = ""
                index = rest.index(index, offsetBy: 2)
                continue
            }
            current.append(character)
            index = rest.index(after: index)
        }
        parts.append(current)
        path = String(trimmed[..<separator.lowerBound])
        guard !path.isEmpty else { return nil }
        self.text = trimmed
        names = parts.map { name in
            name.firstIndex(of: "[").map { String(name[..<$0]) } ?? name
        }
        if names.contains(where: \.isEmpty) { return nil }
    }
}
