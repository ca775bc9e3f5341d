/// A stretch of lines of a blamed file that one commit last changed.
public struct BlameHunk: Sendable, Equatable {
    /// First line (1-based) in the file as blamed.
    public let startLine: Int
    public let lineCount: Int
    /// The commit that last changed these lines.
    public let commit: OID
    /// The file's path in that commit (it differs after a rename).
    public let originalPath: String
    /// First line (1-based) in that commit's version of the file.
    public let originalStartLine: Int
    /// The commit is where a shallow clone's history stops: these lines may be older.
    public var beyondShallowHistory = false
}

/// The lines of one file to blame.
public struct BlameRequest: Sendable, Equatable {
    public let path: String
    /// 1-based, inclusive line ranges.
    public let ranges: [ClosedRange<Int>]

    public init(path: String, ranges: [ClosedRange<Int>]) {
        self.path = path
        self.ranges = ranges
    }
}

/// The blame of one request.
public struct BlameResult: Sendable {
    public let hunks: [BlameHunk]
    /// Ignored revisions whose lines were passed on to their parents.
    public let ignoredRevisions: Set<OID>
}
