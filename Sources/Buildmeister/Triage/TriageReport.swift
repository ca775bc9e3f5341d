/// What `bm-git triage` found, in the `--json` schema (keep the names: scripts depend on them).
public struct TriageReport: Sendable, Encodable {
    public struct Run: Sendable, Encodable {
        @NullEncoded public var repo: String?
        @NullEncoded public var testType: String?
        @NullEncoded public var runId: String?
        @NullEncoded public var url: String?
    }

    public struct Person: Sendable, Encodable, Equatable {
        public let name: String
        public let email: String
    }

    public struct Suspect: Sendable, Encodable, Equatable {
        public let commit: String
        public let name: String
        public let email: String
        public let time: Int64
        public let subject: String
    }

    public struct Place: Sendable, Encodable, Equatable {
        public let path: String
        public let line: Int
        public let function: String
    }

    public struct Cluster: Sendable, Encodable {
        public let key: String
        public let exception: String
        @NullEncoded public var message: String?
        /// The innermost repository frame outside the tests, where the cause was raised.
        @NullEncoded public var frame: Place?
        public var tests: [String]
        @NullEncoded public var owner: Person?
        @NullEncoded public var suspect: Suspect?
        public var codeowners: [String] = []
        /// Each test's owner (for the draft and the chat post; not in JSON).
        public internal(set) var testOwners: [String: Person] = [:]

        private enum CodingKeys: String, CodingKey {
            case key, exception, message, frame, tests, owner, suspect, codeowners
        }
    }

    public struct Draft: Sendable, Encodable {
        public let cluster: String
        public let title: String
        public let body: String
    }

    public var run: Run
    public var summary: TriageSummary
    public var failures: [TriageFailure]
    public var clusters: [Cluster]
    public var drafts: [Draft]
}
