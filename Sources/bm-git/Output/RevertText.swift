import Buildmeister

/// The text form of a revert-break result (or its dry run).
struct RevertText {
    let terminal: Terminal

    func render(_ plan: RevertPlan, dryRun: Bool, pushed: Bool) -> String {
        let reverted = plan.reverted
        let who = Sanitizer.clean("\(reverted.author.name) <\(reverted.author.email)>")
        var lines: [String] = []
        let what = "\(reverted.id.short()) \"\(Sanitizer.clean(reverted.subject))\" by \(who)"
        if dryRun {
            lines.append("Would revert \(what) on \(Sanitizer.clean(plan.branch)); nothing was changed.")
        } else {
            lines.append(terminal.paint("Reverted", .good) + " \(what) as \(plan.commit.short()) on \(Sanitizer.clean(plan.branch))"
                         + (pushed ? ", and pushed it" : ""))
        }
        if plan.mainlineDefaulted {
            lines.append("It is a merge on the first-parent line, so it was reverted against its first parent (--mainline 1).")
        }
        lines.append(plan.early
            ? "Broken since \(Timestamp.utc(plan.brokenAt)); reverted early, before the window ends at \(Timestamp.utc(plan.windowEndsAt))."
            : "Broken since \(Timestamp.utc(plan.brokenAt)); the fix-it window ended at \(Timestamp.utc(plan.windowEndsAt)).")
        if dryRun {
            lines.append("")
            lines += Sanitizer.clean(plan.message, keepNewlines: true).split(separator: "\n", omittingEmptySubsequences: false)
                .dropLast().map { "    " + $0 }
        }
        if !dryRun {
            lines.append(pushed ? "Undo: git revert \(plan.commit.short()) (it is pushed)."
                         : "Undo: git reset --keep ORIG_HEAD (ORIG_HEAD is \(plan.base.short()), the branch before the revert).")
        }
        lines.append("")
        lines += DiffstatText.lines(plan.changes)
        return lines.joined(separator: "\n") + "\n"
    }
}
