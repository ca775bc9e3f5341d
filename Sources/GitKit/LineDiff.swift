import Clibgit2
#if canImport(Glibc)
import Glibc
#endif

/// A changed region between two versions of a file, 0-based: old lines [oldStart, oldStart +
/// oldCount) became new lines [newStart, newStart + newCount).
struct LineHunk {
    let oldStart: Int
    let oldCount: Int
    let newStart: Int
    let newCount: Int
}

/// The line diff `git blame` uses: xdiff with no context and the indent heuristic, after git's
/// `trim_common_tail` drops the identical ends of both versions in 1 KiB blocks (back to a line
/// boundary). The trimming changes where repeated lines such as blank ones are matched, so
/// without it blame gives some lines to other commits than git does.
enum LineDiff {
    static func hunks(from old: [UInt8], to new: [UInt8]) throws -> [LineHunk] {
        try old.withUnsafeBytes { oldBytes in try new.withUnsafeBytes { try hunks(from: oldBytes, to: $0) } }
    }

    static func hunks(from old: UnsafeRawBufferPointer, to new: UnsafeRawBufferPointer) throws -> [LineHunk] {
        LibGit2.ensureInitialised()
        let trimmed = trimmedTail(old, new)
        var options = git_diff_options()
        try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "prepare diff")
        options.context_lines = 0
        options.interhunk_lines = 0
        options.flags = GIT_DIFF_FORCE_TEXT.rawValue | GIT_DIFF_INDENT_HEURISTIC.rawValue
        final class Collector { var hunks: [LineHunk] = [] }
        let collector = Collector()
        try withExtendedLifetime(collector) {
                    try check(git_diff_buffers(
                        old.baseAddress, old.count - trimmed, nil, new.baseAddress, new.count - trimmed, nil,
                        &options, nil, nil, { _, hunk, payload in
                            let hunk = hunk!.pointee
                            let collector = Unmanaged<Collector>.fromOpaque(payload!).takeUnretainedValue()
                            // With no lines on a side, its start names the line before the change.
                            let oldStart = hunk.old_lines == 0 ? Int(hunk.old_start) : Int(hunk.old_start) - 1
                            let newStart = hunk.new_lines == 0 ? Int(hunk.new_start) : Int(hunk.new_start) - 1
                            collector.hunks.append(LineHunk(oldStart: oldStart, oldCount: Int(hunk.old_lines),
                                                            newStart: newStart, newCount: Int(hunk.new_lines)))
                            return 0
                        }, nil, Unmanaged.passUnretained(collector).toOpaque()), "diff blobs")
        }
        return collector.hunks
    }

    /// How many bytes git's `trim_common_tail` takes off the end of both buffers.
    static func trimmedTail(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBytes { a in b.withUnsafeBytes { trimmedTail(a, $0) } }
    }

    static func trimmedTail(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let block = 1024
        var trimmed = 0
        let smaller = min(a.count, b.count)
        while block + trimmed <= smaller,
              memcmp(a.baseAddress! + (a.count - trimmed - block), b.baseAddress! + (b.count - trimmed - block), block) == 0 {
            trimmed += block
        }
        // Give back up to and including the first newline of the trimmed part.
        var recovered = 0
        let tail = a.count - trimmed
        while recovered < trimmed {
            recovered += 1
            if a[tail + recovered - 1] == 10 { break }
        }
        return trimmed - recovered
    }
}
