import ArgumentParser

/// The EXAMPLES section that ends every help page (and, through `scripts/package`, the man page):
/// real uses of each command, with git's placeholders.
enum Examples {
    /// The examples of the command named `name` (`bm-git` for the top level), as
    /// `(what it does, the command line)`.
    static func of(_ name: String) -> [(String, String)] {
        switch name {
        case "doctor": return [
            ("What state is this clone in?", "bm-git doctor"),
            ("How far behind the main branch is this branch?", "bm-git doctor --json | jq .main.tracking.behind"),
            ("Against another remote and branch", "bm-git doctor --remote upstream --main-branch main"),
        ]
        case "owner": return [
            ("Who owns the tests that failed in a CI run?", "gh run view <id> --log-failed | bm-git owner --from-log -"),
            ("One test, at the commit that was tested", "bm-git owner tests/test_api.py::TestClient::test_timeout --rev <commit>"),
            ("A log written inside a container, for a script", "bm-git owner --from-log <file> --strip-prefix /app --json"),
        ]
        case "triage": return [
            ("Draft the break issues of a red run", "gh run view <id> --log-failed | bm-git triage --run-url <url>"),
            ("Write the drafts, then file them", "bm-git triage <file> --out drafts && for t in drafts/*.title; do gh issue create --title \"$(cat \"$t\")\" --body-file \"${t%.title}.md\"; done"),
            ("From a JUnit report, with the title's parts given", "bm-git triage report.xml --repo app --test-type fast_tests --run-id 1234"),
            ("The short post for the team's channel", "bm-git triage <file> --format chat"),
        ]
        case "culprit": return [
            ("Rank the commits since the last green run", "bm-git culprit --good <commit> tests/test_api.py::test_timeout"),
            ("From triage's findings", "bm-git triage <file> --json > triage.json && bm-git culprit --good <commit> --from triage.json"),
        ]
        case "bisect": return [
            ("Prove which commit broke a test", "bm-git bisect --good <commit> --test tests/test_api.py::test_timeout"),
            ("Any command, bounded in time", "bm-git bisect --good <commit> --bad origin/master --run 'make check' --timeout 10m"),
        ]
        case "roll-amp": return [
            ("Roll amp to its remote branch tip and commit the new pointer", "bm-git roll-amp"),
            ("See the plan first", "bm-git roll-amp --dry-run"),
            ("Roll to a given amp commit and push", "bm-git roll-amp --to <commit> --push"),
        ]
        case "revert-break": return [
            ("Revert the break once the hour is up, recording the run and the test", "bm-git revert-break <commit> --run-url <url> --test <id>"),
            ("When the build broke two hours ago; change nothing yet", "bm-git revert-break <commit> --broken-at \"2 hours ago\" --dry-run"),
            ("Revert now and push", "bm-git revert-break <commit> --window 0s --issue 1234 --push"),
        ]
        case "recover": return [
            ("Finish or roll back a publish that was interrupted", "bm-git recover"),
            ("Forget it after checking the work tree by hand", "bm-git recover --discard"),
        ]
        case "install-hooks": return [
            ("Stop pushes of branches that lack the main branch", "bm-git install-hooks"),
            ("What is installed, and what else manages the hook?", "bm-git install-hooks --status"),
            ("Under husky or a committed hooks directory", "bm-git install-hooks --tracked"),
            ("Remove it and restore the hook it chained", "bm-git install-hooks --uninstall"),
        ]
        case "hook", "pre-push": return [
            ("Run by git before a push (install-hooks sets this up)", "bm-git hook pre-push origin <url> < <refs>"),
            ("Push once without the check", "BM_SKIP=pre-push git push"),
        ]
        default: return [
            ("File the break issues of a red CI run", "gh run view <id> --log-failed | bm-git triage --out drafts"),
            ("Who owns the failing tests?", "gh run view <id> --log-failed | bm-git owner --from-log -"),
            ("The same commands as git subcommands, in another directory", "git bm -C ~/src/app doctor"),
            ("Revert the break when the hour is up", "bm-git revert-break <commit> --run-url <url> --test <id>"),
        ]
        }
    }

    /// The section as the help page prints it.
    static func section(for name: String) -> String {
        "EXAMPLES:\n" + of(name).map { "  \($0.0)\n    $ \($0.1)\n" }.joined(separator: "\n")
    }
}
