/// A CODEOWNERS (gitignore-style) pattern, matched by simulating its automaton over the path's
/// bytes: time linear in the path for a given pattern, so no pattern can make matching blow up
/// (a backtracking regular expression took seconds on `a*a*a*a*a*a*a*a*a*a*b`).
///
/// `*` and `?` stay within one path component, `**/` matches any number of whole components,
/// `**` elsewhere anything. A pattern with a slash before its end is anchored at the root;
/// others match at any depth. A match may also be a directory holding the path, and a trailing
/// `/` asks for exactly that.
struct PathGlob {
    private enum Node {
        case byte(UInt8, next: Int)
        case oneInComponent(next: Int)
        case anyByte(next: Int)
        case split(Int, Int)
        case accept
    }

    private var nodes: [Node] = []
    private var start = 0

    init?(_ pattern: String) {
        var body = Array(pattern.utf8)
        guard !body.isEmpty else { return nil }
        let slash = UInt8(ascii: "/"), star = UInt8(ascii: "*")
        let anchored = body.first == slash || body.dropLast().contains(slash)
        if body.first == slash { body.removeFirst() }
        let directoryOnly = body.last == slash
        if directoryOnly { body.removeLast() }
        guard !body.isEmpty else { return nil }

        // Built from the end backwards: each piece links to what follows it.
        nodes.append(.accept)
        var next = 0
        // What may follow a match: the path itself ends, or it is a directory holding the path.
        let below = anyRun(then: 0)
        nodes.append(.byte(slash, next: below))
        let directory = nodes.count - 1
        if directoryOnly {
            next = directory
        } else {
            nodes.append(.split(0, directory))
            next = nodes.count - 1
        }
        var index = body.count
        while index > 0 {
            index -= 1
            let byte = body[index]
            if byte == star, index > 0, body[index - 1] == star {
                index -= 1
                next = anyRun(then: next)
            } else if byte == slash, index >= 2, body[index - 1] == star, body[index - 2] == star,
                      index == 2 || body[index - 3] == slash {
                index -= 2
                next = components(then: next)
            } else if byte == star {
                nodes.append(.split(-1, next))
                let loop = nodes.count - 1
                nodes.append(.oneInComponent(next: loop))
                nodes[loop] = .split(nodes.count - 1, next)
                next = loop
            } else if byte == UInt8(ascii: "?") {
                nodes.append(.oneInComponent(next: next))
                next = nodes.count - 1
            } else {
                nodes.append(.byte(byte, next: next))
                next = nodes.count - 1
            }
        }
        start = anchored ? next : components(then: next)
    }

    /// Zero or more bytes of any kind, then `next`.
    private mutating func anyRun(then next: Int) -> Int {
        nodes.append(.split(-1, next))
        let loop = nodes.count - 1
        nodes.append(.anyByte(next: loop))
        nodes[loop] = .split(nodes.count - 1, next)
        return loop
    }

    /// Zero or more whole components (`x/`, `x/y/`), then `next`.
    private mutating func components(then next: Int) -> Int {
        nodes.append(.byte(UInt8(ascii: "/"), next: next))
        let slash = nodes.count - 1
        let run = anyRun(then: slash)
        nodes.append(.split(next, run))
        return nodes.count - 1
    }

    /// Whether the pattern matches `path` (repository-relative, without a leading slash).
    func matches(_ path: String) -> Bool {
        var current = closure(of: [start])
        for byte in path.utf8 {
            var stepped: [Int] = []
            for state in current {
                switch nodes[state] {
                case .byte(let expected, let next) where expected == byte: stepped.append(next)
                case .oneInComponent(let next) where byte != UInt8(ascii: "/"): stepped.append(next)
                case .anyByte(let next): stepped.append(next)
                default: break
                }
            }
            current = closure(of: stepped)
            if current.isEmpty { return false }
        }
        return current.contains { if case .accept = nodes[$0] { return true } else { return false } }
    }

    /// The states reachable from `states` without reading a byte.
    private func closure(of states: [Int]) -> [Int] {
        var seen = Set<Int>(), stack = states, result: [Int] = []
        while let state = stack.popLast() {
            guard seen.insert(state).inserted else { continue }
            if case .split(let a, let b) = nodes[state] {
                stack.append(a)
                stack.append(b)
            } else {
                result.append(state)
            }
        }
        return result
    }
}
