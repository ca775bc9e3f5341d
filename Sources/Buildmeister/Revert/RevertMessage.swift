import GitKit

/// The message of a revert commit: git's own form, then why, then trailers.
enum RevertMessage {
    static func build(reverted: CommitInfo, mainlineParent: OID?, brokenAt: Int64, window: TimeSpan,
                      early: Bool, request: RevertRequest) -> String {
        var lines = [title(for: reverted.subject), ""]
        if let parent = mainlineParent {
            lines.append("This reverts commit \(reverted.id.hex), reversing")
            lines.append("changes made to \(parent.hex).")
        } else {
            lines.append("This reverts commit \(reverted.id.hex).")
        }
        lines.append("")
        lines.append(early
            ? "Build broken since \(Timestamp.utc(brokenAt)); reverted early with --now."
            : "Build broken since \(Timestamp.utc(brokenAt)); fix-it-or-revert window of \(window) passed.")
        if let roll = ampRoll(in: reverted.message) {
            lines.append("This rolls amp back from \(roll.new) to \(roll.old) (the roll \(roll.old)..\(roll.new)).")
        }
        lines.append("")
        lines.append("Reverts: \(reverted.id.hex)")
        if let url = request.runURL { lines.append("Build-Run: \(url)") }
        if let url = request.issueURL { lines.append("Build-Issue: \(url)") }
        lines += request.failingTests.map { "Failing-Test: \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `Revert "<subject>"`, or `Reapply "<original>"` for a revert of a revert, as git does.
    static func title(for subject: String) -> String {
        let prefix = "Revert \""
        if subject.hasPrefix(prefix), subject.hasSuffix("\""), subject.count > prefix.count + 1 {
            return "Reapply \"" + subject.dropFirst(prefix.count)
        }
        return "Revert \"\(subject)\""
    }

    /// The `Amp-Roll: <old>..<new>` trailer of an amp pointer roll.
    static func ampRoll(in message: String) -> (old: String, new: String)? {
        for line in message.split(separator: "\n") where line.hasPrefix("Amp-Roll: ") {
            let range = line.dropFirst("Amp-Roll: ".count).split(separator: ".", omittingEmptySubsequences: true)
            if range.count == 2 { return (String(range[0]), String(range[1])) }
        }
        return nil
    }
}
