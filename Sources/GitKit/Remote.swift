import Clibgit2
import Foundation

/// How a bounded fetch ended.
public enum FetchOutcome: Sendable, Equatable {
    case fetched
    case failed(String)
    case timedOut
}

/// Reports transfer progress: objects received so far and the total expected.
public typealias FetchProgress = @Sendable (_ received: Int, _ total: Int) -> Void

/// The state a transfer's callbacks (fetch, ls-remote or push) share with the caller.
final class TransferState: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var outcome: FetchOutcome?
    let done = DispatchSemaphore(value: 0)
    let credentials = Credentials()
    let progress: FetchProgress?
    /// What the remote refused of a push, one line per ref.
    var rejections: [String] = []

    init(progress: FetchProgress? = nil) { self.progress = progress }

    var isCancelled: Bool { lock.withLock { cancelled } }
    func cancel() { lock.withLock { cancelled = true } }
    func finish(_ result: FetchOutcome) {
        lock.withLock { outcome = result }
        done.signal()
    }
    var result: FetchOutcome? { lock.withLock { outcome } }
}

extension Repository {
    /// Fetches `refspecs` (the remote's configured ones when empty) from the remote named
    /// `remote`, updating remote-tracking refs (not FETCH_HEAD), with optional progress reports.
    /// With `prune`, a tracking ref whose branch the remote no longer has is deleted (instead of
    /// being left stale), as `git fetch --prune` does.
    public func fetch(remote: String, refspecs: [String] = [], prune: Bool = false,
                      progress: FetchProgress? = nil) throws {
        try Self.fetch(pointer, remote: remote, refspecs: refspecs, prune: prune, state: TransferState(progress: progress))
    }

    /// Fetches `refspecs` from the remote named `remote`, giving up after `timeout` seconds.
    /// The fetch runs on its own thread with its own handle on the repository, so a remote
    /// that hangs cannot hold the caller past the timeout; on time-out it is cancelled at
    /// its next progress report.
    public func fetch(remote: String, refspecs: [String], timeout: Double) -> FetchOutcome {
        let state = TransferState()
        let gitdir = self.gitdir
        let thread = Thread {
            do {
                let repository = try Repository.open(at: gitdir)
                try Self.fetch(repository.pointer, remote: remote, refspecs: refspecs, prune: false, state: state)
                state.finish(.fetched)
            } catch let error as GitError {
                state.finish(state.isCancelled ? .timedOut : .failed(error.message))
            } catch {
                state.finish(.failed("\(error)"))
            }
        }
        thread.start()
        if state.done.wait(timeout: .now() + timeout) == .timedOut {
            state.cancel()
            // Give the fetch a moment to stop at a progress report and clean up after itself.
            _ = state.done.wait(timeout: .now() + 0.2)
            return state.result == .fetched ? .fetched : .timedOut
        }
        return state.result ?? .timedOut
    }

    private static func fetch(_ repository: OpaquePointer, remote: String, refspecs: [String], prune: Bool,
                              state: TransferState) throws {
        // libgit2 1.5 truncates FETCH_HEAD even with update_fetchhead = 0: it gets a copy to
        // truncate, and the original comes back afterwards (or from `restoreFetchHead` after a kill).
        let gitdir = String(cString: git_repository_path(repository))
        try FetchHeadGuard.protect(gitdir: gitdir)
        defer { FetchHeadGuard.restore(gitdir: gitdir) }
        var handle: OpaquePointer?
        try check(git_remote_lookup(&handle, repository, remote), "find remote \(remote)")
        defer { git_remote_free(handle) }
        let url = git_remote_url(handle).map { String(cString: $0) } ?? ""
        Trace.log("fetch \(remote) (\(TransferAuth.redacted(url))) " + (refspecs.isEmpty ? "with its configured refspecs" : refspecs.joined(separator: " ")))
        try LibGit2.loadCertificates(for: url)
        var options = git_fetch_options()
        try check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), "prepare fetch")
        options.callbacks = remoteCallbacks(state, url: url)
        // bm-git reads remote-tracking refs only; skipping FETCH_HEAD saves a lock file per fetch.
        options.update_fetchhead = 0
        if prune { options.prune = GIT_FETCH_PRUNE }
        try withExtendedLifetime(state) {
            try TransferAuth.withHeaders(for: url, in: repository) { headers in
                options.custom_headers = headers.pointee
                try withStrArray(refspecs) { specs in
                    _ = try check(git_remote_fetch(handle, refspecs.isEmpty ? nil : specs, &options, nil), "fetch from \(remote)")
                }
            }
        }
    }

    /// Callbacks for any transfer: credentials, progress and cancellation, push rejections.
    static func remoteCallbacks(_ state: TransferState, url: String) -> git_remote_callbacks {
        state.credentials.remoteURL = url
        var callbacks = git_remote_callbacks()
        git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION))
        callbacks.payload = Unmanaged.passUnretained(state).toOpaque()
        callbacks.credentials = { out, url, username, allowed, payload in
            let state = Unmanaged<TransferState>.fromOpaque(payload!).takeUnretainedValue()
            return state.credentials.provide(out, url: url.map { String(cString: $0) } ?? "",
                                             username: username.map { String(cString: $0) }, allowed: allowed)
        }
        callbacks.transfer_progress = { stats, payload in
            let state = Unmanaged<TransferState>.fromOpaque(payload!).takeUnretainedValue()
            if let stats, let progress = state.progress {
                progress(Int(stats.pointee.received_objects), Int(stats.pointee.total_objects))
            }
            return state.isCancelled ? -1 : 0
        }
        callbacks.sideband_progress = { _, _, payload in
            Unmanaged<TransferState>.fromOpaque(payload!).takeUnretainedValue().isCancelled ? -1 : 0
        }
        callbacks.push_update_reference = { refname, status, payload in
            if let status {
                let state = Unmanaged<TransferState>.fromOpaque(payload!).takeUnretainedValue()
                state.rejections.append("\(String(cString: refname!)): \(String(cString: status))")
            }
            return 0
        }
        return callbacks
    }

    /// The branches a remote URL advertises, without fetching anything or touching any ref
    /// (`git ls-remote --heads`): branch name to commit id.
    public func listRemoteBranches(url: String) throws -> [String: OID] {
        let repository = pointer
        Trace.log("list the branches of \(TransferAuth.redacted(url))")
        try LibGit2.loadCertificates(for: url)
        var handle: OpaquePointer?
        try check(git_remote_create_detached(&handle, url), "use remote \(TransferAuth.redacted(url))")
        defer { git_remote_free(handle) }
        // The callbacks' payload is unretained: keep the state alive until the remote is done with it.
        let state = TransferState()
        return try withExtendedLifetime(state) {
            var callbacks = Self.remoteCallbacks(state, url: url)
            _ = try TransferAuth.withHeaders(for: url, in: repository) { headers in
                try check(git_remote_connect(handle, GIT_DIRECTION_FETCH, &callbacks, nil, headers),
                          "connect to \(TransferAuth.redacted(url))")
            }
            defer { git_remote_disconnect(handle) }
            var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
            var count = 0
            try check(git_remote_ls(&heads, &count, handle), "list \(TransferAuth.redacted(url))")
            var branches: [String: OID] = [:]
            for index in 0..<count {
                guard let head = heads?[index]?.pointee else { continue }
                let name = String(cString: head.name)
                if name.hasPrefix("refs/heads/") { branches[String(name.dropFirst("refs/heads/".count))] = OID(head.oid) }
            }
            return branches
        }
    }

    /// The URL of the remote named `name`; nil when there is no such remote.
    public func remoteURL(_ name: String) throws -> String? {
        var handle: OpaquePointer?
        let result = git_remote_lookup(&handle, pointer, name)
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EINVALIDSPEC.rawValue { return nil }
        try check(result, "find remote \(name)")
        defer { git_remote_free(handle) }
        return git_remote_url(handle).map { String(cString: $0) }
    }
}

/// Calls `body` with `strings` as a libgit2 `git_strarray`.
func withStrArray<T>(_ strings: [String], _ body: (UnsafeMutablePointer<git_strarray>) throws -> T) rethrows -> T {
    var pointers = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return try pointers.withUnsafeMutableBufferPointer { buffer in
        var array = git_strarray(strings: buffer.baseAddress, count: strings.count)
        return try body(&array)
    }
}
