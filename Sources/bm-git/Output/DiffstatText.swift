import GitKit

/// `git diff --stat`-like lines: one per file, then the totals.
enum DiffstatText {
    static func lines(_ changes: [FileChange]) -> [String] {
        let width = min(changes.map { $0.path.count }.max() ?? 0, 60)
        var lines = changes.map { change -> String in
            let path = Sanitizer.clean(change.path).padding(toLength: width, withPad: " ", startingAt: 0)
            if change.isBinary { return " \(path) | Bin" }
            return " \(path) | \(change.insertions + change.deletions) "
                + String(repeating: "+", count: min(change.insertions, 30))
                + String(repeating: "-", count: min(change.deletions, 30))
        }
        let insertions = changes.reduce(0) { $0 + $1.insertions }, deletions = changes.reduce(0) { $0 + $1.deletions }
        lines.append(" \(changes.count) file\(changes.count == 1 ? "" : "s") changed, "
                     + "\(insertions) insertion\(insertions == 1 ? "" : "s")(+), \(deletions) deletion\(deletions == 1 ? "" : "s")(-)")
        return lines
    }
}
