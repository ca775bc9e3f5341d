import Clibgit2
import Foundation

/// How a bounded fetch ended.
public enum FetchOutcome: Sendable, Equatable {
    case fetched
    case failed(String)
    case timedOut
}

/// The state shared between a fetch thread and the caller waiting for it.
private final class FetchState: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var outcome: FetchOutcome?
    let done = DispatchSemaphore(value: 0)
    let credentials = Credentials()

    var isCancelled: Bool { lock.withLock { cancelled } }
    func cancel() { lock.withLock { cancelled = true } }
    func finish(_ result: FetchOutcome) {
        lock.withLock { outcome = result }
        done.signal()
    }
    var result: FetchOutcome? { lock.withLock { outcome } }
}

extension Repository {
    /// Fetches `refspecs` from the remote named `remote`, giving up after `timeout` seconds.
    /// The fetch runs on its own thread with its own handle on the repository, so a remote
    /// that hangs cannot hold the caller past the timeout; on time-out it is cancelled at
    /// its next progress report.
    public func fetch(remote: String, refspecs: [String], timeout: Double) -> FetchOutcome {
        let state = FetchState()
        let gitdir = self.gitdir
        let thread = Thread {
            state.finish(Self.runFetch(gitdir: gitdir, remote: remote, refspecs: refspecs, state: state))
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

    private static func runFetch(gitdir: String, remote: String, refspecs: [String],
                                 state: FetchState) -> FetchOutcome {
        do {
            try LibGit2.loadCertificates()
            let repository = try Repository.open(at: gitdir)
            var handle: OpaquePointer?
            try check(git_remote_lookup(&handle, repository.pointer, remote), "find remote \(remote)")
            defer { git_remote_free(handle) }
            var options = git_fetch_options()
            try check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), "prepare fetch")
            options.callbacks.payload = Unmanaged.passUnretained(state).toOpaque()
            options.callbacks.credentials = { out, url, username, allowed, payload in
                let state = Unmanaged<FetchState>.fromOpaque(payload!).takeUnretainedValue()
                return state.credentials.provide(out, url: url.map { String(cString: $0) } ?? "",
                                                 username: username.map { String(cString: $0) }, allowed: allowed)
            }
            options.callbacks.transfer_progress = { _, payload in
                Unmanaged<FetchState>.fromOpaque(payload!).takeUnretainedValue().isCancelled ? -1 : 0
            }
            options.callbacks.sideband_progress = { _, _, payload in
                Unmanaged<FetchState>.fromOpaque(payload!).takeUnretainedValue().isCancelled ? -1 : 0
            }
            try withStrArray(refspecs) { specs in
                try check(git_remote_fetch(handle, specs, &options, nil), "fetch from \(remote)")
            }
            return .fetched
        } catch let error as GitError {
            return state.isCancelled ? .timedOut : .failed(error.message)
        } catch {
            return .failed("\(error)")
        }
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
