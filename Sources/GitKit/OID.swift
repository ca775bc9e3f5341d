import Clibgit2

/// A git object id (SHA-1), copied out of libgit2.
public struct OID: Hashable, Sendable, CustomStringConvertible {
    var raw: git_oid

    init(_ raw: git_oid) { self.raw = raw }

    /// The all-zero id, which hook input uses for "no object".
    public static let zero = OID(git_oid())

    init(_ pointer: UnsafePointer<git_oid>) { self.raw = pointer.pointee }

    /// Parses a full 40-digit hexadecimal id; nil for anything else.
    public init?(hex: String) {
        guard hex.utf8.count == Int(GIT_OID_HEXSZ),
              hex.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) })
        else { return nil }
        var oid = git_oid()
        guard git_oid_fromstr(&oid, hex) == 0 else { return nil }
        raw = oid
    }

    /// The id git gives `text` as a blob (`git hash-object`).
    public static func blob(of text: String) -> OID {
        var id = git_oid()
        let bytes = Array(text.utf8)
        git_odb_hash(&id, bytes, bytes.count, GIT_OBJECT_BLOB)
        return OID(id)
    }

    /// The full 40-digit hexadecimal form.
    public var hex: String {
        var copy = raw
        var buffer = [CChar](repeating: 0, count: Int(GIT_OID_HEXSZ) + 1)
        git_oid_tostr(&buffer, buffer.count, &copy)
        return String(decoding: buffer.prefix(Int(GIT_OID_HEXSZ)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The first `length` hexadecimal digits (7 by default), for display.
    public func short(_ length: Int = 7) -> String { String(hex.prefix(length)) }

    /// Whether every byte is zero, as in the "no object" ids of hook input.
    public var isZero: Bool {
        var copy = raw
        return git_oid_is_zero(&copy) == 1
    }

    public var description: String { hex }

    // Ids are compared and hashed a great deal (the blame walk, the ancestry index), so both
    // work on whole words; the first eight bytes of a SHA-1 are as good a hash as any.
    public static func == (lhs: OID, rhs: OID) -> Bool {
        withUnsafeBytes(of: lhs.raw) { a in
            withUnsafeBytes(of: rhs.raw) { b in
                a.loadUnaligned(as: UInt64.self) == b.loadUnaligned(as: UInt64.self)
                    && a.loadUnaligned(fromByteOffset: 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                    && a.loadUnaligned(fromByteOffset: 16, as: UInt32.self) == b.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
            }
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(withUnsafeBytes(of: raw) { $0.loadUnaligned(as: UInt64.self) })
    }
}
