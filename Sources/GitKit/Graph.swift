import Clibgit2

extension Repository {
    /// How many commits `local` has that `upstream` lacks, and the other way round.
    public func aheadBehind(_ local: OID, _ upstream: OID) throws -> (ahead: Int, behind: Int) {
        var ahead = 0, behind = 0
        var localRaw = local.raw, upstreamRaw = upstream.raw
        try check(git_graph_ahead_behind(&ahead, &behind, pointer, &localRaw, &upstreamRaw),
                  "count commits between \(local.short()) and \(upstream.short())")
        return (ahead, behind)
    }
}
