/// The repository files a Python file imports, statically and transitively: `import a.b` and
/// `from a.b import c` (c may be a module), relative imports, resolved against the tree at a
/// revision (`a/b.py`, `a/b/__init__.py`, also under `src/`), with every package's `__init__.py`
/// on the way. A line scanner, not a parser: imports inside strings are rare enough to accept.
struct ImportClosure {
    /// `read` returns a file's text at the revision, nil when the path is not a file there.
    let read: (String) -> String?
    /// Where top-level packages may live: the root, `src/`, a submodule's directory.
    var roots = ["", "src/"]

    /// Each file reachable from `start` (not included), with the chain of imports that reached it.
    func closure(of start: String, limit: Int = 400) -> [String: [String]] {
        var found: [String: [String]] = [:], queue = [(start, [String]())]
        var index = 0
        while index < queue.count, found.count < limit {
            let (file, chain) = queue[index]
            index += 1
            guard let text = read(file) else { continue }
            for module in Self.importedModules(in: text, from: file) {
                for path in resolve(module) where path != start && found[path] == nil {
                    let reached = chain + [path]
                    found[path] = reached
                    queue.append((path, reached))
                }
            }
        }
        return found
    }

    /// The files a dotted module name stands for: the module and its packages' `__init__.py`.
    private func resolve(_ module: String) -> [String] {
        let parts = module.split(separator: ".").map(String.init)
        for root in roots {
            var files: [String] = []
            for end in 1...parts.count {
                let base = root + parts[..<end].joined(separator: "/")
                if read(base + "/__init__.py") != nil { files.append(base + "/__init__.py") }
                if end == parts.count, read(base + ".py") != nil { files.append(base + ".py") }
            }
            if !files.isEmpty { return files }
        }
        return []
    }

    /// Dotted module names imported by `text` (a file at `path`, for relative imports); for
    /// `from a import b, c`, both `a` and `a.b`, `a.c` (which exist only when they are modules).
    static func importedModules(in text: String, from path: String) -> [String] {
        var modules: [String] = []
        var pending = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            if !pending.isEmpty {
                pending += " " + line
                guard line.contains(")") else { continue }
                line = pending
                pending = ""
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("from "), trimmed.contains("(") && !trimmed.contains(")") { pending = trimmed; continue }
            if trimmed.hasPrefix("import ") {
                for item in trimmed.dropFirst(7).split(separator: ",") {
                    if let name = item.split(separator: " ").first { modules.append(String(name)) }
                }
            } else if trimmed.hasPrefix("from "), let importRange = trimmed.range(of: " import ") {
                let source = trimmed.dropFirst(5)[..<importRange.lowerBound].trimmingCharacters(in: .whitespaces)
                guard let base = absolute(source, from: path) else { continue }
                if !base.isEmpty { modules.append(base) }
                let names = trimmed[importRange.upperBound...].replacingOccurrences(of: "(", with: "").replacingOccurrences(of: ")", with: "")
                for item in names.split(separator: ",") {
                    guard let name = item.split(separator: " ").first, name != "*" else { continue }
                    modules.append(base.isEmpty ? String(name) : base + "." + name)
                }
            }
        }
        return modules
    }

    /// A `from` clause's module as an absolute dotted name; `.` and `..` count up from `path`'s package.
    private static func absolute(_ source: String, from path: String) -> String? {
        let dots = source.prefix { $0 == "." }.count
        guard dots > 0 else { return source }
        var package = path.split(separator: "/").dropLast().map(String.init)
        if package.first == "src" { package.removeFirst() }
        guard dots - 1 <= package.count else { return nil }
        package.removeLast(dots - 1)
        let rest = source.dropFirst(dots)
        return (package + (rest.isEmpty ? [] : [String(rest)])).joined(separator: ".")
    }
}
