/// Who owns one failing test, as `bm-git owner --json` reports it (a stable schema).
public struct TestOwnership: Sendable, Encodable {
    public struct Person: Sendable, Encodable, Equatable {
        public let name: String
        public let email: String
        public let lines: Int
    }

    public struct Change: Sendable, Encodable, Equatable {
        public let commit: String
        public let name: String
        public let email: String
        /// Author time, unix seconds.
        public let time: Int64
        public let subject: String
    }

    public struct Hunk: Sendable, Encodable, Equatable {
        public let startLine: Int
        public let lineCount: Int
        public let commit: String
        public let name: String
        public let email: String
        public let time: Int64
        /// The commit is where a shallow clone's history stops: the lines may be older.
        public let beyondShallowHistory: Bool
    }

    public internal(set) var id: String
    @NullEncoded public var path: String?
    @NullEncoded public var startLine: Int?
    @NullEncoded public var endLine: Int?
    /// "test", "class" or "file".
    @NullEncoded public var resolvedAs: String?
    @NullEncoded public var owner: Person?
    public var authors: [Person] = []
    @NullEncoded public var lastChange: Change?
    public var codeowners: [String] = []
    public var hunks: [Hunk] = []
    public var ignoredRevisions = 0
    /// Lines blamed on the commit where a shallow clone's history stops (they may be older).
    public var shallowLines = 0
    /// Reverts (and reverted commits) whose lines were looked through to their earlier authors.
    public var revertsLookedThrough: [String] = []
    /// The submodule the test lives in (its name); nil for the repository itself.
    @NullEncoded public var repository: String?
    /// Why this id has no answer; nil when it has one.
    @NullEncoded public var error: String?

    init(id: String) { self.id = id }
}
