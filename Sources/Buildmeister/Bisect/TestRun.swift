import Foundation

/// Runs the user's test command once in a directory, bounded by a timeout, and reads its exit
/// as `git bisect run` does: 0 good, 125 skip, 1-127 bad, anything else (a signal, 128+) aborts.
/// For pytest (`--test`), exit 2-5 (interrupted by a collection error, internal error, usage
/// error, nothing collected) is a skip: the commit cannot run the test.
struct TestRun {
    enum Result: Equatable { case good, bad, skip, timeout, abort(Int32) }

    let command: String
    let pytest: Bool
    let timeout: TimeInterval?

    /// Runs the command in `directory`; when `interrupted` turns true, the command is stopped
    /// and `Bisect.Interrupted` thrown.
    func run(in directory: String, interrupted: () -> Bool) throws -> (result: Result, seconds: Double) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        let start = Date()
        try process.run()
        // Foundation's Process leaves the calling thread's signals blocked after spawning; Ctrl-C
        // must reach bm-git while it waits.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        func stop() {
            // The shell's children (the test run itself) first, then the shell.
            Self.signalTree(process.processIdentifier, SIGTERM)
            if done.wait(timeout: .now() + 5) == .timedOut {
                Self.signalTree(process.processIdentifier, SIGKILL)
                done.wait()
            }
        }
        // Waits in short steps, so that Ctrl-C (which may reach bm-git alone) stops the run too.
        while done.wait(timeout: .now() + 0.1) == .timedOut {
            if interrupted() {
                stop()
                throw Bisect.Interrupted()
            }
            if let timeout, Date().timeIntervalSince(start) > timeout {
                stop()
                return (.timeout, Date().timeIntervalSince(start))
            }
        }
        let seconds = Date().timeIntervalSince(start)
        if process.terminationReason == .uncaughtSignal { return (.abort(128 + process.terminationStatus), seconds) }
        let status = process.terminationStatus
        switch status {
        case 0: return (.good, seconds)
        case 125: return (.skip, seconds)
        case 2...5 where pytest: return (.skip, seconds)
        case 1...127: return (.bad, seconds)
        default: return (.abort(status), seconds)
        }
    }

    /// Sends `signal` to `pid` and all its descendants (found in /proc), deepest first.
    private static func signalTree(_ pid: Int32, _ signal: Int32) {
        var children: [Int32: [Int32]] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let child = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { children[parent, default: []].append(child) }
        }
        func visit(_ pid: Int32) {
            for child in children[pid] ?? [] { visit(child) }
            kill(pid, signal)
        }
        visit(pid)
    }
}
