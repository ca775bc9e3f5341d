import Clibgit2

extension Repository {
    /// Pushes `refspec` (such as `refs/heads/master:refs/heads/master`) to the remote named
    /// `remote`, with credentials as `Credentials` finds them and `http.extraheader`'s headers.
    /// Throws a `GitError` if the transfer fails or the remote rejects the update.
    /// libgit2 runs no hooks: callers run their own checks first.
    public func push(remote: String, refspec: String) throws {
        var handle: OpaquePointer?
        try check(git_remote_lookup(&handle, pointer, remote), "find remote \(remote)")
        defer { git_remote_free(handle) }
        let url = git_remote_url(handle).map { String(cString: $0) } ?? ""
        Trace.log("push \(refspec) to \(remote) (\(TransferAuth.redacted(url)))")
        try LibGit2.loadCertificates(for: url)
        let state = TransferState()
        var options = git_push_options()
        try check(git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)), "prepare push")
        options.callbacks = Self.remoteCallbacks(state, url: url)
        try withExtendedLifetime(state) {
            try TransferAuth.withHeaders(for: url, in: pointer) { headers in
                options.custom_headers = headers.pointee
                try withStrArray([refspec]) { specs in
                    _ = try check(git_remote_push(handle, specs, &options), "push to \(remote)")
                }
            }
        }
        if !state.rejections.isEmpty {
            throw GitError(operation: "push to \(remote)", message: "rejected " + state.rejections.joined(separator: "; "))
        }
    }

    /// The remote and remote branch that local `branch` tracks (`branch.<name>.remote` and
    /// `.merge`); nil when it tracks nothing.
    public func trackedBranch(of branch: String) throws -> (remote: String, branch: String)? {
        let config = try self.config()
        guard let remote = try config.string("branch.\(branch).remote"), !remote.isEmpty,
              let merge = try config.string("branch.\(branch).merge"), !merge.isEmpty else { return nil }
        let name = merge.hasPrefix("refs/heads/") ? String(merge.dropFirst("refs/heads/".count)) : merge
        return (remote, name)
    }
}
