#if canImport(Glibc)
import Glibc
#endif

/// A changed region between two versions of a file, 0-based: old lines [oldStart, oldStart +
/// oldCount) became new lines [newStart, newStart + newCount). With no lines on a side, its
/// start is where the other side's lines go.
struct LineHunk {
    let oldStart: Int
    let oldCount: Int
    let newStart: Int
    let newCount: Int
}

/// The line diff `git blame` uses: xdiff's Myers diff with no context and the indent heuristic
/// (`MyersDiff`), after git's `trim_common_tail` drops the identical ends of both versions in
/// 1 KiB blocks (back to a line boundary). The trimming changes where repeated lines such as
/// blank ones are matched, so without it blame gives some lines to other commits than git does.
enum LineDiff {
    static func hunks(from old: [UInt8], to new: [UInt8]) -> [LineHunk] {
        old.withUnsafeBytes { old in
            new.withUnsafeBytes { new in MyersDiff.hunks(from: old, LineIndex(old), to: new, LineIndex(new)) }
        }
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
