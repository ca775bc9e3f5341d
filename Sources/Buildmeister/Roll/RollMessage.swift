import GitKit

/// The message of an amp roll commit.
enum RollMessage {
    static let listed = 50

    /// The subject, `amp: <old>..<new> (N commits)`, one line per rolled commit (`commits`,
    /// newest first, at most 50 of the `count`, then "... and K more"), and the `Amp-Roll:` trailer.
    /// A nil `count` (a dry run before the submodule's commits are fetched) says so.
    static func build(subject: String, submodule: String, from: OID, to: OID, commits: [CommitInfo],
                      count: Int?, rewind: Bool) -> String {
        var lines = [subject, ""]
        let what = rewind ? "rewind" : count.map { "\($0) commit\($0 == 1 ? "" : "s")" }
            ?? "commits unknown until the submodule is fetched"
        lines.append("\(submodule): \(from.short(10))..\(to.short(10)) (\(what))")
        if !commits.isEmpty { lines.append("") }
        for commit in commits.prefix(listed) {
            lines.append("\(commit.id.short(10)) \(oneLine(commit.subject)) (\(oneLine(commit.author.name)))")
        }
        if let count, count > listed { lines.append("... and \(count - listed) more") }
        lines += ["", "Amp-Roll: \(from.hex)..\(to.hex)"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text safe to store in one message line: control characters become spaces.
    private static func oneLine(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }
}
