import Clibgit2

/// What an ancestry cache was computed against: git's commit-graph (whose positions it refers
/// to) and the files that change which parents a commit has (`shallow`, `info/grafts`). A cache
/// made for another shape is stale: after `git fetch --unshallow` its boundary commits would keep
/// their missing parents, and after `git gc` its graph positions would point at other commits.
struct HistoryShape: Equatable {
    /// The commit-graph's identity, or zero when none is used.
    var graphIdentity: OID
    var graphCount: Int
    var correctedDates: Bool
    /// A checksum of the `shallow` and `info/grafts` files (0 when neither exists).
    var parentsDigest: UInt64

    init(graph: CommitGraph?, commondir: String) {
        graphIdentity = graph?.identity ?? .zero
        graphCount = graph?.count ?? 0
        correctedDates = graph?.usesCorrectedDates ?? false
        parentsDigest = ["shallow", "info/grafts"].reduce(UInt64(0)) { digest, name in
            guard let file = MappedFile(path: commondir + "/" + name) else { return digest &* 31 }
            return (digest &* 31) ^ Checksum64.of(UnsafeRawBufferPointer(start: file.base, count: file.length))
        }
    }

    init(graphIdentity: OID, graphCount: Int, correctedDates: Bool, parentsDigest: UInt64) {
        self.graphIdentity = graphIdentity
        self.graphCount = graphCount
        self.correctedDates = correctedDates
        self.parentsDigest = parentsDigest
    }
}
