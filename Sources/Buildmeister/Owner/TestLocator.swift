/// Finds the lines of a pytest id's test in its module.
enum TestLocator {
    /// How precisely an id was found.
    enum Resolution: String, Sendable {
        case test, `class`, file
    }

    /// Where an id's test is.
    struct Located {
        let range: ClosedRange<Int>
        let resolvedAs: Resolution
        /// The first name that is not defined where the id says, if any.
        var missing: String? = nil
        /// Names defined there that are close to `missing` (a typo's likely intent), nearest first.
        var suggestions: [String] = []
    }

    /// The lines of `names` in `source`: the test itself, or, when it cannot be found, its
    /// class, or the whole file. A method a class inherits from a base class defined in the same
    /// module resolves to the base class's method.
    static func locate(_ names: [String], in source: String, lineCount: Int) -> Located {
        locate(names, in: PythonBlock.parse(source), lineCount: lineCount)
    }

    /// The same, in a module already parsed (several ids often name one file). A name that is
    /// not found falls back to the class or file, with the nearby names it may be a typo of.
    static func locate(_ names: [String], in module: [PythonBlock], lineCount: Int) -> Located {
        let whole = Located(range: 1...max(lineCount, 1), resolvedAs: .file)
        guard !names.isEmpty else { return whole }
        var scope = module
        var enclosingClass: PythonBlock?
        func fallback(missing: String) -> Located {
            var candidates = scope.map(\.name)
            if let enclosingClass { candidates += inheritedNames(of: enclosingClass, in: module) }
            // A method named without its class (`file.py::test_x` for `Test::test_x`) is that method.
            let qualified = enclosingClass == nil ? methods(named: missing, in: module) : []
            let suggestions = qualified + Typos.nearest(to: missing, among: candidates)
            let base = enclosingClass.map { Located(range: $0.startLine...$0.endLine, resolvedAs: .class) } ?? whole
            return Located(range: base.range, resolvedAs: base.resolvedAs, missing: missing, suggestions: suggestions)
        }
        for (position, name) in names.enumerated() {
            let isLast = position == names.count - 1
            // A name defined twice is the later definition, as Python (and so pytest) binds it.
            let found = scope.last { $0.name == name } ?? enclosingClass.flatMap { inherited(name, of: $0, in: module) }
            guard let block = found else { return fallback(missing: name) }
            if isLast { return Located(range: block.startLine...block.endLine, resolvedAs: .test) }
            guard block.kind == .class else { return fallback(missing: names[position + 1]) }
            enclosingClass = block
            scope = block.children
        }
        return whole
    }

    /// `Class::name` (nested classes spelled out) for every method called `name` in `blocks`.
    private static func methods(named name: String, in blocks: [PythonBlock], prefix: String = "") -> [String] {
        blocks.filter { $0.kind == .class }.flatMap { block -> [String] in
            let path = prefix + block.name + "::"
            return (block.children.contains { $0.kind != .class && $0.name == name } ? [path + name] : [])
                + methods(named: name, in: block.children, prefix: path)
        }
    }

    /// The method names a class inherits from base classes in the same module.
    private static func inheritedNames(of block: PythonBlock, in module: [PythonBlock]) -> [String] {
        block.bases.compactMap { base in module.last { $0.kind == .class && $0.name == base } }.flatMap { $0.children.map(\.name) }
    }

    /// `name` defined in a base class of `block` (depth first, in base order), as Python's MRO
    /// finds it for single-file hierarchies.
    private static func inherited(_ name: String, of block: PythonBlock, in module: [PythonBlock],
                                  visited: Set<String> = []) -> PythonBlock? {
        for base in block.bases where !visited.contains(base) {
            guard let baseClass = module.last(where: { $0.kind == .class && $0.name == base }) else { continue }
            if let method = baseClass.children.last(where: { $0.name == name }) { return method }
            if let deeper = inherited(name, of: baseClass, in: module, visited: visited.union([block.name, base])) {
                return deeper
            }
        }
        return nil
    }
}
