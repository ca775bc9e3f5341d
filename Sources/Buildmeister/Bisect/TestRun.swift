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

    func run(in directory: String) throws -> (result: Result, seconds: Double) {
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
        if let timeout, done.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            if done.wait(timeout: .now() + 5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                done.wait()
            }
            return (.timeout, Date().timeIntervalSince(start))
        }
        if timeout == nil { done.wait() }
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
}
