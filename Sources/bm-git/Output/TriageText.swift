import Buildmeister

/// The text form of a triage: the run and its counts, then each root cause with its tests,
/// owners, suspect change and draft.
struct TriageText {
    let terminal: Terminal

    func render(_ report: TriageReport, written: [String]) -> String {
        let summary = report.summary
        var lines = [terminal.paint(clean(TriageDrafts.runTitle(report.run)), .bold) + (report.run.url.map { " " + clean($0) } ?? "")]
        var counts = "\(summary.failed) failed, \(summary.errors) error\(summary.errors == 1 ? "" : "s")"
        if summary.flaky > 0 { counts += ", \(summary.flaky) flaky" }
        if let passed = summary.passed { counts += ", \(passed) passed" }
        if !summary.complete { counts += " " + terminal.paint("(the log ends before pytest's summary: incomplete)", .warn) }
        lines.append(counts)
        if report.clusters.isEmpty {
            lines.append(report.failures.isEmpty ? "No failed tests." : "No breaks: only flaky tests.")
        }
        for (index, cluster) in report.clusters.enumerated() {
            lines.append("")
            lines.append(terminal.paint("Cause \(index + 1): ", .bold) + clean(TriageDrafts.cause(cluster))
                         + terminal.paint(" [\(cluster.key)]", .dim))
            if let message = cluster.message, cluster.frame != nil { lines.append("  " + clean(message)) }
            if let frame = cluster.frame { lines.append("  raised at \(clean(frame.path)):\(frame.line) in \(clean(frame.function))") }
            for id in cluster.tests {
                let owner = cluster.testOwners[id].map { " (\(clean($0.name)) <\(clean($0.email))>)" } ?? ""
                let outcome = report.failures.first { $0.id == id }?.outcome == .error ? "ERROR " : "FAILED"
                lines.append("  " + terminal.paint(outcome, .bad) + " " + clean(id) + owner)
            }
            if let suspect = cluster.suspect {
                lines.append("  suspect \(String(suspect.commit.prefix(10))) \"\(clean(suspect.subject))\" by "
                             + "\(clean(suspect.name)) <\(clean(suspect.email))>, \(Timestamp.utc(suspect.time))")
            }
            if !cluster.codeowners.isEmpty { lines.append("  codeowners " + cluster.codeowners.map(clean).joined(separator: " ")) }
            lines.append("  draft   " + clean(report.drafts[index].title) + (index < written.count ? " (\(clean(written[index])))" : ""))
        }
        let flaky = report.failures.filter { $0.outcome == .flaky }
        if !flaky.isEmpty {
            lines.append("")
            lines.append(terminal.paint("Flaky", .warn) + " (failed, then passed on a rerun; not drafted):")
            lines += flaky.map { "  " + clean($0.id) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func clean(_ text: String) -> String { Sanitizer.clean(text) }
}
