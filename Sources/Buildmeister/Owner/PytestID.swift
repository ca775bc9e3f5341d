/// A pytest node id: `path.py`, `path.py::func`, `path.py::Class::method`, ..., with an optional
/// parametrisation suffix on the last name (`test_x[a-1]`, `test_x[a::b c]`).
public struct PytestID: Sendable, Equatable {
    public let text: String
    public let path: String
    /// Class and function names after the path, without the parametrisation.
    public let names: [String]

    /// Parses `text`; nil when it has no path.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var parts: [String] = []
        var current = "", depth = 0
        var index = trimmed.startIndex
        while index < trimmed.endIndex {
            let character = trimmed[index]
            if character == "[" { depth += 1 }
            if character == "]" { depth = max(0, depth - 1) }
            if depth == 0, trimmed[index...].hasPrefix("::") {
                parts.append(current)
                current = ""
                index = trimmed.index(index, offsetBy: 2)
                continue
            }
            current.append(character)
            index = trimmed.index(after: index)
        }
        parts.append(current)
        guard let first = parts.first, !first.isEmpty else { return nil }
        self.text = trimmed
        path = first
        names = parts.dropFirst().map { name in
            name.firstIndex(of: "[").map { String(name[..<$0]) } ?? name
        }
        if names.contains(where: \.isEmpty) { return nil }
    }
}
