import Clibgit2

/// Who made a commit and when, copied out of libgit2.
public struct Signature: Sendable, Hashable {
    public let name: String
    public let email: String
    /// Seconds since the Unix epoch.
    public let time: Int64
    /// The author's offset from UTC, in minutes.
    public let offsetMinutes: Int32

    public init(name: String, email: String, time: Int64, offsetMinutes: Int32) {
        self.name = name
        self.email = email
        self.time = time
        self.offsetMinutes = offsetMinutes
    }

    /// Copies `signature`, whose text is in `encoding` (the commit's; nil means UTF-8).
    init(_ signature: UnsafePointer<git_signature>, encoding: String? = nil) {
        name = TextEncoding.decode(signature.pointee.name, encoding: encoding)
        email = TextEncoding.decode(signature.pointee.email, encoding: encoding)
        time = signature.pointee.when.time
        offsetMinutes = signature.pointee.when.offset
    }
}
