import Buildmeister

/// The text form of owner results: a block per test, then owners with their tests.
struct OwnerText {
    let terminal: Terminal

    func render(_ results: [TestOwnership]) -> String {
        var lines: [String] = []
        for result in results {
            lines.append(terminal.paint(clean(result.id), .bold))
            if let error = result.error {
                lines.append("  " + terminal.paint("error", .bad) + ": " + clean(error))
                lines.append("")
                continue
            }
            let where_ = "\(clean(result.path ?? "")) lines \(result.startLine ?? 0)-\(result.endLine ?? 0)"
                + (result.repository.map { " (blamed in submodule \(clean($0)), at the commit the superproject records)" } ?? "")
            switch result.resolvedAs {
            case "class": lines.append("  " + terminal.paint("test not found; its class:", .warn) + " " + where_)
            case "file" where !result.id.contains("::"): lines.append("  the whole file: " + where_)
            case "file": lines.append("  " + terminal.paint("test not found; the whole file:", .warn) + " " + where_)
            default: lines.append("  " + where_)
            }
            let total = result.authors.reduce(0) { $0 + $1.lines }
            if let owner = result.owner {
                lines.append("  owner       " + terminal.paint(person(owner.name, owner.email), .good)
                             + " (\(owner.lines) of \(total) lines)")
            }
            if result.authors.count > 1 {
                lines.append("  authors     " + result.authors.map { "\(clean($0.name)) \($0.lines)" }.joined(separator: ", "))
            }
            if let last = result.lastChange {
                lines.append("  last change \(String(last.commit.prefix(10))) \(Timestamp.utc(last.time)) "
                             + "\"\(clean(last.subject))\" by \(clean(last.name))")
            }
            if !result.codeowners.isEmpty {
                lines.append("  codeowners  " + result.codeowners.map(clean).joined(separator: " "))
            }
            if result.shallowLines > 0 {
                lines.append("  " + terminal.paint("shallow", .warn) + "     \(result.shallowLines) of \(total) lines are where this "
                             + "clone's shallow history begins, beyond which they may be older: deepen it with "
                             + "git fetch --unshallow (or fetch-depth: 0 in actions/checkout)")
            }
            if !result.revertsLookedThrough.isEmpty {
                let count = result.revertsLookedThrough.count
                lines.append("  looked through \(count) revert\(count == 1 ? "" : "s") ("
                             + result.revertsLookedThrough.map { String($0.prefix(7)) }.joined(separator: ", ")
                             + ") to the lines' earlier authors")
            }
            if result.ignoredRevisions > 0 {
                lines.append("  looked through \(result.ignoredRevisions) ignored revision\(result.ignoredRevisions == 1 ? "" : "s")")
            }
            lines.append("")
        }
        let answered = results.filter { $0.owner != nil }
        if answered.count > 1 {
            lines.append(terminal.paint("Owners", .bold))
            var groups: [(key: String, owner: TestOwnership.Person, ids: [String])] = []
            for result in answered {
                let owner = result.owner!
                if let index = groups.firstIndex(where: { $0.key == owner.email.lowercased() }) {
                    groups[index].ids.append(result.id)
                } else {
                    groups.append((owner.email.lowercased(), owner, [result.id]))
                }
            }
            for group in groups.sorted(by: { $0.ids.count > $1.ids.count }) {
                lines.append("  \(person(group.owner.name, group.owner.email)): \(group.ids.count) test\(group.ids.count == 1 ? "" : "s")")
                lines += group.ids.map { "    " + clean($0) }
            }
        }
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }

    private func clean(_ text: String) -> String { Sanitizer.clean(text) }

    private func person(_ name: String, _ email: String) -> String { clean("\(name) <\(email)>") }
}
