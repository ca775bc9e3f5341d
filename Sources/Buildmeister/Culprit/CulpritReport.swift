/// `bm-git culprit`'s answer, in the `--json` schema.
public struct CulpritReport: Sendable, Encodable {
    public struct Person: Sendable, Encodable, Equatable {
        public let name: String
        public let email: String
    }

    public struct Suspect: Sendable, Encodable {
        public let commit: String
        /// For a commit of the amp submodule: the superproject commit that rolled it in.
        @NullEncoded public var rolledInBy: String?
        public var score: Int
        public var reasons: [String]
        public let author: Person
        public let subject: String
    }

    public enum Verdict: String, Sendable, Encodable { case suspect, noSuspect = "no-suspect" }

    public let good: String
    public let bad: String
    public var suspects: [Suspect]
    public var verdict: Verdict
    /// The submodule the `rolledInBy` suspects belong to (for the text form; not in JSON).
    public var submodule = ""

    private enum CodingKeys: String, CodingKey { case good, bad, suspects, verdict }
}
