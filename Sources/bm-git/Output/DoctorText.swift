import Buildmeister
import GitKit

/// The human-readable form of a `DoctorReport`: one labelled line per fact, problems in colour.
struct DoctorText {
    let terminal: Terminal

    func render(_ report: DoctorReport) -> String {
        var lines: [(String, String)] = []
        lines.append(("repository", repository(report.repository)))
        lines.append(("branch", branch(report.head, upstream: report.upstream)))
        lines.append(("main", main(report.main, inSubmodule: report.repository.superproject != nil)))
        if let status = report.status { lines.append(("work tree", workTree(status))) }
        if let operation = report.interruptedPublish {
            lines.append(("publish", terminal.paint("an interrupted \(operation) was found", .bad) + "; run `bm-git recover`"))
        }
        lines.append(("submodule", submodule(report.submodule)))
        lines.append(("pre-push", hook(report.hook)))
        for (index, setting) in report.settings.enumerated() {
            let origin = setting.origin.map { $0 == "team" ? ".bm-git" : "\($0) config" } ?? setting.source
            let text = "\(setting.key) = \(clean(setting.value)) " + terminal.paint("(\(origin))", .dim)
            lines.append((index == 0 ? "settings" : "", text))
        }
        for unknown in report.unknownSettings {
            let hint = unknown.didYouMean.isEmpty ? "bm-git does not read it" : "did you mean \(unknown.didYouMean.joined(separator: " or "))?"
            let origin = unknown.origin.map { $0 == "team" ? " (in .bm-git)" : " (in \($0) config)" } ?? ""
            lines.append(("", terminal.paint("unknown setting \(clean(unknown.key))", .warn) + origin + ": " + hint))
        }
        if let team = teamConfig(report.teamConfig) { lines.append(("team config", team)) }
        lines.append(("libgit2", "\(report.libgit2.version) (\(report.libgit2.features.joined(separator: ", ")))"))
        return lines.map { label, text in
            terminal.paint(label.padding(toLength: 12, withPad: " ", startingAt: 0), .bold) + text + "\n"
        }.joined()
    }

    private func clean(_ text: String) -> String { Sanitizer.clean(text) }

    private func teamConfig(_ team: DoctorReport.TeamConfigFacts) -> String? {
        switch team.state {
        case "read":
            var text = "\(clean(team.path ?? ".bm-git")): \(team.entries) bm.* " + (team.entries == 1 ? "setting" : "settings")
            if !team.ignoredKeys.isEmpty {
                text += "; " + terminal.paint("ignored \(team.ignoredKeys.map(clean).joined(separator: ", "))", .warn)
                    + " (only bm.* keys are read from it)"
            }
            return text
        case "ignored":
            return terminal.paint(".bm-git is ignored", .warn) + ": " + clean(team.reason ?? "")
        default: return nil
        }
    }

    private func short(_ sha: String?) -> String { sha.map { String($0.prefix(7)) } ?? "none" }

    private func shortRef(_ ref: String) -> String {
        for prefix in ["refs/remotes/", "refs/heads/"] where ref.hasPrefix(prefix) {
            return String(ref.dropFirst(prefix.count))
        }
        return ref
    }

    private func repository(_ facts: DoctorReport.RepositoryFacts) -> String {
        var text = clean(facts.root ?? facts.gitDir)
        if facts.bare { text += " (bare)" }
        if facts.linkedWorktree { text += " (linked worktree of \(clean(facts.commonDir)))" }
        if facts.empty { text += " " + terminal.paint("(no commits yet)", .warn) }
        if let outer = facts.superproject {
            text += "; " + terminal.paint("the checkout of submodule \(clean(facts.submoduleOf ?? "?"))", .warn)
                + " of \(clean(outer)): run bm-git there"
        }
        return text
    }

    private func branch(_ head: DoctorReport.HeadFacts, upstream: DoctorReport.Comparison?) -> String {
        if head.detached { return terminal.paint("detached HEAD", .warn) + " at \(short(head.commit))" }
        let name = clean(head.branch ?? "?")
        if head.unborn { return "\(name) (unborn: no commits yet)" }
        var text = "\(name) at \(short(head.commit))"
        if let upstream {
            text += ", upstream \(clean(shortRef(upstream.ref)))"
            text += upstream.exists ? ": \(distance(upstream))" : " " + terminal.paint("(gone)", .warn)
        } else {
            text += ", no upstream"
        }
        return text
    }

    private func distance(_ comparison: DoctorReport.Comparison) -> String {
        guard let ahead = comparison.ahead, let behind = comparison.behind else { return "not comparable" }
        let text = "\(ahead) ahead, \(behind) behind"
        return behind > 0 ? terminal.paint(text, .warn) : text
    }

    private func main(_ main: DoctorReport.MainFacts, inSubmodule: Bool) -> String {
        mainTracking(main, advise: !inSubmodule) + terminal.paint(" (main branch: \(clean(main.reason)))", .dim)
    }

    /// Where the checkout stands against the main branch; with `advise`, what to run about it
    /// (not in a submodule's checkout, whose detached HEAD the superproject sets).
    private func mainTracking(_ main: DoctorReport.MainFacts, advise: Bool) -> String {
        let ref = clean(shortRef(main.tracking.ref))
        guard main.tracking.exists else {
            return "\(ref) " + terminal.paint("missing", .warn)
                + ": run `git fetch \(clean(main.remote)) \(clean(main.branch))`"
        }
        guard let behind = main.tracking.behind else { return "\(ref) at \(short(main.tracking.commit))" }
        if behind == 0 { return "\(ref) at \(short(main.tracking.commit)): " + terminal.paint("merged", .good) }
        return "\(ref) at \(short(main.tracking.commit)): "
            + terminal.paint("\(behind) commit\(behind == 1 ? "" : "s") not merged", .warn)
            + (advise ? "; run `git merge \(ref)`" : "")
    }

    private func workTree(_ status: StatusSummary) -> String {
        if status.isClean && status.untracked == 0 { return terminal.paint("clean", .good) }
        let parts = [("staged", status.staged), ("unstaged", status.unstaged),
                     ("conflicted", status.conflicted), ("untracked", status.untracked)]
            .filter { $0.1 > 0 }.map { "\($0.1) \($0.0)" }
        return parts.joined(separator: ", ")
    }

    private func submodule(_ facts: DoctorReport.SubmoduleFacts) -> String {
        let name = clean(facts.name)
        guard facts.present else { return "\(name): " + terminal.paint("not a submodule here", .dim) }
        var text = "\(name) at \(clean(facts.path ?? name)), pointer \(short(facts.pointer))"
        if let staged = facts.staged { text += ", staged \(short(staged))" }
        guard facts.initialised || facts.cloned else {
            return text + ", " + terminal.paint("not initialised", .warn)
                + "; run `git submodule update --init \(clean(facts.path ?? name))`"
        }
        guard facts.cloned else { return text + ", " + terminal.paint("initialised but not cloned", .warn) }
        text += ", checked out \(short(facts.checkedOut))"
        guard let tracking = facts.tracking else { return text }
        let ref = clean(shortRef(tracking.ref))
        guard tracking.exists else { return text + ", \(ref) not fetched" }
        guard let behind = tracking.behind else { return text + ", \(ref) at \(short(tracking.commit))" }
        let lag = "\(behind) behind \(ref)"
        return text + ", " + (behind > 0 ? terminal.paint(lag, .warn) : lag) + " (as last fetched)"
    }

    private func hook(_ facts: DoctorReport.HookFacts) -> String {
        let place = clean(facts.path) + (facts.hooksPath ? " (core.hooksPath)" : "")
        if facts.preCommitMigrationMode {
            return terminal.paint("broken", .bad) + " (\(place)): pre-commit moved bm-git's hook aside and every push fails; "
                + "run `bm-git install-hooks` to repair it"
        }
        if let displaced = facts.displacedShim {
            return terminal.paint("not running", .bad) + " (\(place)): another hook manager moved bm-git's hook to "
                + "\(clean(displaced)); run `bm-git install-hooks`"
        }
        if facts.manager == "husky" || facts.manager == "tracked-directory" {
            return facts.installed ? terminal.paint("installed", .good) + " in the committed hook script (\(facts.manager!))"
                : terminal.paint("not installed", .warn) + ": the hooks are committed (\(facts.manager!)); see `bm-git install-hooks --status`"
        }
        if facts.installed {
            return terminal.paint("installed", .good) + " at \(place)"
                + (facts.chained ? ", chained to the previous hook" : "")
                + (facts.outdated ? "; " + terminal.paint("an earlier version", .warn) + ": run `bm-git install-hooks` to upgrade it" : "")
        }
        if facts.foreign { return "another pre-push hook at \(place); `bm-git install-hooks` chains it" }
        return terminal.paint("not installed", .warn) + " (\(place)); run `bm-git install-hooks`"
    }
}
