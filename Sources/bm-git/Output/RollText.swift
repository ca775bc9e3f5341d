import Buildmeister

/// The text form of a roll-amp result (or its dry run).
struct RollText {
    let terminal: Terminal

    func render(_ plan: RollPlan, dryRun: Bool, pushed: Bool) -> String {
        let name = Sanitizer.clean(plan.submodule)
        if plan.isUpToDate { return "\(name) is already at \(plan.to.short(10)); nothing to do.\n" }
        var lines: [String] = []
        if let fastForward = plan.fastForward {
            lines.append((dryRun ? "Would fast-forward " : "Fast-forwarded ") + "\(Sanitizer.clean(plan.branch)) to \(fastForward.short(10)) from its upstream")
        }
        let count = plan.count.map { "\($0) commit\($0 == 1 ? "" : "s")" } ?? "commits not fetched yet"
        let range = "\(name) \(plan.from.short(10))..\(plan.to.short(10)) (\(plan.rewind ? "rewind" : count))"
        if dryRun {
            lines.append("Would roll \(range) on \(Sanitizer.clean(plan.branch)); nothing was changed.")
            lines.append("")
            lines += Sanitizer.clean(plan.message, keepNewlines: true).split(separator: "\n", omittingEmptySubsequences: false)
                .dropLast().map { "    " + $0 }
        } else {
            lines.append(terminal.paint("Rolled", .good) + " \(range) as \(plan.commit?.short() ?? "?") on "
                         + Sanitizer.clean(plan.branch) + (pushed ? ", and pushed it" : ""))
            for commit in plan.commits.prefix(10) {
                lines.append("  \(commit.id.short()) \(Sanitizer.clean(commit.subject)) (\(Sanitizer.clean(commit.author.name)))")
            }
            let total = plan.count ?? plan.commits.count
            if total > 10 { lines.append("  ... and \(total - 10) more") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
