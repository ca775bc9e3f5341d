import Buildmeister
import Foundation

/// The text form of a culprit ranking: the suspects with evidence, best first, each with its
/// reasons; then the revert-break line for the top one, or "no suspect".
struct CulpritText {
    let terminal: Terminal

    func render(_ report: CulpritReport) -> String {
        let range = "\(report.good.prefix(10))..\(report.bad.prefix(10))"
        guard report.verdict == .suspect, let top = report.suspects.first else {
            return terminal.paint("No suspect", .warn) + " among the \(report.suspects.count) commits of \(range): none "
                + "changes the lines, files or imports of the failing tests. The break may be flaky, or caused "
                + "by data or the environment; bm-git bisect can check by running the tests.\n"
        }
        var lines = ["Suspects of \(range), best first:"]
        for (index, suspect) in report.suspects.enumerated() where suspect.score > 0 {
            lines.append(String(format: "%3d. ", index + 1) + terminal.paint(name(suspect, report.submodule), .bold)
                         + " score \(suspect.score)  \"\(clean(suspect.subject))\" (\(clean(suspect.author.name)) <\(clean(suspect.author.email))>)")
            lines += suspect.reasons.map { "       " + clean($0) }
        }
        let unscored = report.suspects.filter { $0.score == 0 }.count
        if unscored > 0 { lines.append("     (\(unscored) other commit\(unscored == 1 ? "" : "s") of the range explain nothing)") }
        lines.append("")
        lines.append("Revert it: bm-git revert-break \(String((top.rolledInBy ?? top.commit).prefix(10)))"
                     + (top.rolledInBy != nil ? "   (the roll that brought it in)" : ""))
        return lines.joined(separator: "\n") + "\n"
    }

    private func name(_ suspect: CulpritReport.Suspect, _ submodule: String) -> String {
        guard let roll = suspect.rolledInBy else { return String(suspect.commit.prefix(10)) }
        return "\(clean(submodule)) commit \(suspect.commit.prefix(10)), rolled in by \(roll.prefix(10))"
    }

    private func clean(_ text: String) -> String { Sanitizer.clean(text) }
}
