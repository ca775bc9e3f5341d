/// The break issues triage drafts, one per cluster, and the short post for the team's channel.
/// Bodies are Markdown meant for `gh issue create --body-file`: never run through a shell, and
/// every piece of log text sits in a code fence longer than any backtick run inside it.
public enum TriageDrafts {
    /// The run's title without a cause: `Build fail - {repo} {test type} ({run id})`.
    public static func runTitle(_ run: TriageReport.Run) -> String { title(run, cluster: nil) }

    /// The short post for the team's channel.
    public static func chatPost(_ report: TriageReport) -> String { chat(report) }

    /// `Build fail - {repo} {test type} ({run id})`, leaving out what is unknown; with several
    /// clusters, ` - {cause}` after it.
    static func title(_ run: TriageReport.Run, cluster: TriageReport.Cluster?) -> String {
        var title = (["Build fail -"] + [run.repo, run.testType].compactMap { $0 }).joined(separator: " ")
        if title == "Build fail -" { title = "Build fail" }
        if let id = run.runId { title += " (\(id))" }
        if let cluster { title += " - " + cause(cluster) }
        return oneLine(title)
    }

    /// `ZeroDivisionError in divide` or `AssertionError: assert 1 == 2` (shortened).
    public static func cause(_ cluster: TriageReport.Cluster) -> String {
        if let frame = cluster.frame { return "\(cluster.exception) in \(frame.function)" }
        guard let message = cluster.message, !message.isEmpty else { return cluster.exception }
        let short = message.count > 60 ? String(message.prefix(57)) + "..." : message
        return "\(cluster.exception): \(short)"
    }

    static func body(_ run: TriageReport.Run, cluster: TriageReport.Cluster, failures: [TriageFailure]) -> String {
        var lines: [String] = []
        if let url = run.url { lines += ["CI run: \(url)", ""] }
        lines += ["### Failing tests", ""]
        lines += fenced(cluster.tests.map { id in
            let outcome = failures.first { $0.id == id }?.outcome == .error ? "ERROR" : "FAILED"
            return "\(outcome) \(id)"
        })
        lines += ["", "### Error", ""]
        lines += fenced([cluster.exception + (cluster.message.map { ": " + $0 } ?? "")])
        if let trace = failures.first(where: { $0.id == cluster.tests.first })?.trace, !trace.isEmpty {
            lines += ["", "### Stack trace (\(cluster.tests.first!))", ""]
            lines += fenced(trace)
        }
        lines += ["", "### Owners", ""]
        for id in cluster.tests {
            let owner = cluster.testOwners[id].map { "\($0.name) <\($0.email)>" } ?? "unknown"
            lines.append("- `\(id.replacingOccurrences(of: "`", with: "'"))`: \(owner)")
        }
        if let suspect = cluster.suspect, let frame = cluster.frame {
            lines += ["", "### Suspect change", "",
                      "\(String(suspect.commit.prefix(10))) \"\(suspect.subject)\" by \(suspect.name) <\(suspect.email)>, "
                      + "\(Timestamp.utc(suspect.time)): the last change to \(frame.path):\(frame.line) (\(frame.function))"]
        }
        if !cluster.codeowners.isEmpty {
            lines += ["", "### CODEOWNERS", "", cluster.codeowners.joined(separator: " ")]
        }
        lines += ["", "<!-- bm-git-cluster: \(cluster.key) -->"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The short post: the broken tests with their owners, then the draft titles.
    static func chat(_ report: TriageReport) -> String {
        let broken = report.failures.filter { $0.outcome != .flaky }
        var lines = [title(report.run, cluster: nil) + ": \(count(report.summary.failed, "failed")), "
                     + "\(count(report.summary.errors, "error"))" + (report.run.url.map { " \($0)" } ?? "")]
        for cluster in report.clusters {
            for id in cluster.tests {
                lines.append("• \(id) (\(cluster.testOwners[id]?.name ?? "owner unknown"))")
            }
        }
        let flaky = report.failures.filter { $0.outcome == .flaky }.map(\.id)
        if !flaky.isEmpty { lines.append("Flaky (passed on a rerun): " + flaky.joined(separator: ", ")) }
        if !report.drafts.isEmpty { lines.append("Issues: " + report.drafts.map(\.title).joined(separator: " | ")) }
        if broken.isEmpty && flaky.isEmpty { lines.append("No failed tests.") }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func count(_ number: Int, _ word: String) -> String {
        word == "error" ? "\(number) error\(number == 1 ? "" : "s")" : "\(number) \(word)"
    }

    /// Lines in a code fence longer than any run of backticks they hold.
    private static func fenced(_ lines: [String]) -> [String] {
        var longest = 0
        for line in lines {
            var run = 0
            for character in line {
                run = character == "`" ? run + 1 : 0
                longest = max(longest, run)
            }
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return [fence] + lines.map(oneLineSafe) + [fence]
    }

    /// Control characters (other than tab) replaced: a log can hold anything.
    private static func oneLineSafe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F ? "?" : $0 }))
    }

    private static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }
}
