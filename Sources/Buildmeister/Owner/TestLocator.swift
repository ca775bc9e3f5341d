/// Finds the lines of a pytest id's test in its module.
enum TestLocator {
    /// How precisely an id was found.
    enum Resolution: String, Sendable {
        case test, `class`, file
    }

    /// The lines of `names` in `source`: the test itself, or, when it cannot be found, its
    /// class, or the whole file. A method a class inherits from a base class defined in the same
    /// module resolves to the base class's method.
    static func locate(_ names: [String], in source: String, lineCount: Int) -> (range: ClosedRange<Int>, resolvedAs: Resolution) {
        locate(names, in: PythonBlock.parse(source), lineCount: lineCount)
    }

    /// The same, in a module already parsed (several ids often name one file).
    static func locate(_ names: [String], in module: [PythonBlock],
                       lineCount: Int) -> (range: ClosedRange<Int>, resolvedAs: Resolution) {
        let whole = (1...max(lineCount, 1), Resolution.file)
        guard !names.isEmpty else { return whole }
        var scope = module
        var enclosingClass: PythonBlock?
        for (position, name) in names.enumerated() {
            let isLast = position == names.count - 1
            // A name defined twice is the later definition, as Python (and so pytest) binds it.
            let found = scope.last { $0.name == name } ?? enclosingClass.flatMap { inherited(name, of: $0, in: module) }
            guard let block = found else {
                return enclosingClass.map { ($0.startLine...$0.endLine, .class) } ?? whole
            }
            if isLast { return (block.startLine...block.endLine, .test) }
            guard block.kind == .class else { return enclosingClass.map { ($0.startLine...$0.endLine, .class) } ?? whole }
            enclosingClass = block
            scope = block.children
        }
        return whole
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
