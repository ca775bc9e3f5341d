import Clibgit2
import Foundation

/// Collects what the remote said about each pushed ref.
private final class PushState {
    let credentials = Credentials()
    var rejections: [String] = []
}

extension Repository {
    /// Pushes `refspec` (such as `refs/heads/master:refs/heads/master`) to the remote named
    /// `remote`, with credentials from the SSH agent, `~/.ssh` keys or `BM_GIT_TOKEN`.
    /// Throws a `GitError` if the transfer fails or the remote rejects the update.
    /// libgit2 runs no hooks: callers run their own checks first.
    public func push(remote: String, refspec: String) throws {
        var handle: OpaquePointer?
        try check(git_remote_lookup(&handle, pointer, remote), "find remote \(remote)")
        defer { git_remote_free(handle) }
        try LibGit2.loadCertificates(for: git_remote_url(handle).map { String(cString: $0) } ?? "")
        let state = PushState()
        var options = git_push_options()
        try check(git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)), "prepare push")
        options.callbacks.payload = Unmanaged.passUnretained(state).toOpaque()
        options.callbacks.credentials = { out, url, username, allowed, payload in
            let state = Unmanaged<PushState>.fromOpaque(payload!).takeUnretainedValue()
            return state.credentials.provide(out, url: url.map { String(cString: $0) } ?? "",
                                             username: username.map { String(cString: $0) }, allowed: allowed)
        }
        options.callbacks.push_update_reference = { refname, status, payload in
            if let status {
                let state = Unmanaged<PushState>.fromOpaque(payload!).takeUnretainedValue()
                state.rejections.append("\(String(cString: refname!)): \(String(cString: status))")
            }
            return 0
        }
        try withStrArray([refspec]) { specs in
            try check(git_remote_push(handle, specs, &options), "push to \(remote)")
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
