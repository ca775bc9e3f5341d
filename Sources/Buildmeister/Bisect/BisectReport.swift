/// `bm-git bisect`'s answer, in the `--json` schema.
public struct BisectReport: Sendable, Encodable {
    public enum Verdict: String, Sendable, Encodable {
        case culprit, flaky, notARegression = "not-a-regression", inconclusive
    }

    public enum Outcome: String, Sendable, Encodable { case good, bad, skip }

    public struct Run: Sendable, Encodable {
        /// The superproject commit, or for a commit inside an amp roll the submodule's.
        public let commit: String
        public let result: Outcome
        public let seconds: Double
    }

    @NullEncoded public var culprit: String?
    @NullEncoded public var rolledInBy: String?
    public var verdict: Verdict
    public var runs: [Run]
    public var verified: Bool
    /// One line on how the verdict was reached (for the text form; not in JSON).
    public var explanation = ""
    /// The culprit's subject and author (for the text form; not in JSON).
    public var culpritSubject = ""
    public var culpritAuthor = ""

    private enum CodingKeys: String, CodingKey { case culprit, rolledInBy, verdict, runs, verified }
}
