import Clibgit2

/// Reads just the parents and committer time of commits, straight from the object database:
/// no libgit2 commit objects, no copies of messages or signatures. Reading a whole history
/// (the ancestry index's first build) is this loop.
final class CommitReader {
    private let odb: OpaquePointer
    /// A shallow clone lacks some parents; only then is each parent's presence checked.
    private let shallow: Bool

    init(_ repository: Repository) throws {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, repository.pointer), "open the object database")
        self.odb = odb!
        shallow = git_repository_is_shallow(repository.pointer) == 1
    }

    deinit { git_odb_free(odb) }

    /// Calls `parent` with each parent present in the repository, in order, and returns the
    /// committer time. Throws when `commit` is missing or not a commit.
    func read(_ commit: OID, parent: (OID) throws -> Void) throws -> Int64 {
        var raw = commit.raw
        var object: OpaquePointer?
        try check(git_odb_read(&object, odb, &raw), "read commit \(commit.short())")
        defer { git_odb_object_free(object) }
        guard git_odb_object_type(object) == GIT_OBJECT_COMMIT else {
            throw GitError(operation: "read commit \(commit.short())", message: "it is not a commit",
                           code: GIT_EINVALID.rawValue)
        }
        let bytes = UnsafeRawBufferPointer(start: git_odb_object_data(object), count: git_odb_object_size(object))
        return try Self.parse(bytes, commit: commit) { id in
            if shallow {
                var raw = id.raw
                guard git_odb_exists(odb, &raw) == 1 else { return }
            }
            try parent(id)
        }
    }

    /// Parses a commit's header: `tree`, then `parent` lines, then `author` and `committer`,
    /// whose time follows the last `>` of the line (as git's parse_commit_date reads it).
    static func parse(_ bytes: UnsafeRawBufferPointer, commit: OID, parent: (OID) throws -> Void) throws -> Int64 {
        func malformed() -> GitError {
            GitError(operation: "read commit \(commit.short())", message: "malformed commit header", code: GIT_EINVALID.rawValue)
        }
        let idLine = 41  // after "tree " or "parent ": 40 hexadecimal digits and a newline
        guard bytes.count >= 5 + idLine, bytes.starts(with: "tree ".utf8) else { throw malformed() }
        var at = 5 + idLine
        while bytes.count - at >= 7 + idLine, bytes[at] == UInt8(ascii: "p"),
              UnsafeRawBufferPointer(rebasing: bytes[at..<at + 7]).elementsEqual("parent ".utf8) {
            guard let id = OID(hexBytes: UnsafeRawBufferPointer(rebasing: bytes[at + 7..<at + 47])),
                  bytes[at + 47] == 10 else { throw malformed() }
            try parent(id)
            at += 7 + idLine
        }
        // Find the committer line among the header lines that follow.
        while at < bytes.count, bytes[at] != 10 {
            let end = bytes[at...].firstIndex(of: 10) ?? bytes.count
            if UnsafeRawBufferPointer(rebasing: bytes[at..<end]).starts(with: "committer ".utf8) {
                guard let close = bytes[at..<end].lastIndex(of: UInt8(ascii: ">")) else { throw malformed() }
                var index = close + 1
                while index < end, bytes[index] == 32 { index += 1 }
                var time: Int64 = 0
                while index < end, bytes[index] >= 48, bytes[index] <= 57, time < Int64.max / 20 {
                    time = time * 10 + Int64(bytes[index] - 48)
                    index += 1
                }
                return time
            }
            at = end + 1
        }
        return 0
    }
}

extension OID {
    /// Parses 40 hexadecimal digits (either case); nil for anything else.
    init?(hexBytes: UnsafeRawBufferPointer) {
        guard hexBytes.count == 40 else { return nil }
        var id = OID.zero
        var invalid: UInt8 = 0
        withUnsafeMutableBytes(of: &id.raw) { out in
            for index in 0..<20 {
                let high = Self.nibble(hexBytes[2 * index]), low = Self.nibble(hexBytes[2 * index + 1])
                invalid |= high | low
                out[index] = high << 4 | low & 0xf
            }
        }
        guard invalid & 0x10 == 0 else { return nil }
        self = id
    }

    /// The value of a hexadecimal digit in the low four bits; bit 4 set for anything else.
    @inline(__always)
    private static func nibble(_ digit: UInt8) -> UInt8 {
        if digit &- 48 < 10 { return digit &- 48 }
        let lower = digit | 0x20
        return lower &- 97 < 6 ? lower &- 87 : 0x10
    }
}
