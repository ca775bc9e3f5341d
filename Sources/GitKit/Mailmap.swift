import Clibgit2
import Foundation

/// The repository's mailmap, read with git's own rules (libgit2 1.5 stops at a `Name <>` line,
/// skips lines with trailing text and compares case-sensitively, so bm-git parses it itself).
/// Sources, in git's order: the work tree's `.mailmap` (not followed when it is a symbolic
/// link), `mailmap.blob` (`HEAD:.mailmap` by default in a bare repository), `mailmap.file`.
/// Emails and names match ASCII-case-insensitively; replacements keep their spelling.
public struct Mailmap: Sendable {
    private struct Replacement: Sendable {
        var name: String?
        var email: String?
    }

    private struct Entry: Sendable {
        /// The mapping for the email alone (`Proper <proper>` or `Proper <proper> <old>`).
        var simple = Replacement()
        /// Mappings that also need the old name to match, keyed by the ASCII-lowercased name.
        var byName: [String: Replacement] = [:]
    }

    /// Keyed by the ASCII-lowercased old email.
    private var entries: [String: Entry] = [:]

    /// An empty mailmap.
    public init() {}

    /// The mailmap written in `text`, as a `.mailmap` file.
    public init(text: some Collection<UInt8>) {
        read(text)
    }

    /// Loads the mailmap of `repository`; an empty one when it has none.
    public init(repository: Repository) throws {
        let config = try repository.config()
        if let workdir = repository.workdir, let text = Self.readNoFollow(workdir + "/.mailmap") {
            read(text)
        }
        let blob = try config.string("mailmap.blob") ?? (repository.isBare ? "HEAD:.mailmap" : nil)
        if let blob, !blob.isEmpty, let text = try? repository.blobContent(named: blob) {
            read(text)
        }
        if let file = try config.path("mailmap.file"), !file.isEmpty {
            let path = file.hasPrefix("/") ? file : (repository.workdir ?? repository.gitdir) + "/" + file
            if let data = FileManager.default.contents(atPath: path) { read(data) }
        }
    }

    /// The canonical name and email for `name <email>`, as `git check-mailmap` gives them.
    public func resolve(name: String, email: String) -> (name: String, email: String) {
        guard let entry = entries[Self.folded(email)] else { return (name, email) }
        let replacement = entry.byName.isEmpty ? entry.simple : entry.byName[Self.folded(name)] ?? entry.simple
        if replacement.name == nil && replacement.email == nil { return (name, email) }
        return (replacement.name ?? name, replacement.email ?? email)
    }

    /// Adds the lines of a mailmap file; later lines override earlier ones, as in git.
    public mutating func read(_ text: some Collection<UInt8>) {
        for line in Array(text).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            readLine(Array(line))
        }
    }

    private mutating func readLine(_ line: [UInt8]) {
        guard line.first != UInt8(ascii: "#"),
              let first = Self.nameAndEmail(line[...], allowEmptyEmail: false) else { return }
        let second = first.rest.flatMap { Self.nameAndEmail($0, allowEmptyEmail: true) }
        add(newName: first.name, newEmail: first.email, oldName: second?.name, oldEmail: second?.email)
    }

    private mutating func add(newName: String?, newEmail: String, oldName: String?, oldEmail: String?) {
        let (key, replacementEmail) = oldEmail.map { ($0, Optional(newEmail)) } ?? (newEmail, nil)
        var entry = entries[Self.folded(key)] ?? Entry()
        if let oldName {
            entry.byName[Self.folded(oldName)] = Replacement(name: newName, email: replacementEmail)
        } else {
            if let newName { entry.simple.name = newName }
            if let replacementEmail { entry.simple.email = replacementEmail }
        }
        entries[Self.folded(key)] = entry
    }

    /// git's `parse_name_and_email`: the trimmed name before `<`, the email up to the next `>`,
    /// and what follows it (nil when nothing does).
    private static func nameAndEmail(_ text: ArraySlice<UInt8>, allowEmptyEmail: Bool)
        -> (name: String?, email: String, rest: ArraySlice<UInt8>?)? {
        guard let left = text.firstIndex(of: UInt8(ascii: "<")),
              let right = text[(left + 1)...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
        if !allowEmptyEmail && right == left + 1 { return nil }
        var start = text.startIndex
        while start < left && isSpace(text[start]) { start += 1 }
        var end = left - 1
        while end > start && isSpace(text[end]) { end -= 1 }
        let name = start <= end && start < left ? String(decoding: text[start...end], as: UTF8.self) : nil
        let email = String(decoding: text[(left + 1)..<right], as: UTF8.self)
        let rest = text[(right + 1)...]
        return (name, email, rest.isEmpty ? nil : rest)
    }

    /// git's own `isspace`: space, tab, LF and CR only.
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// ASCII-only lowercasing, as `strcasecmp` compares.
    private static func folded(_ text: String) -> String {
        guard text.utf8.contains(where: { (0x41...0x5A).contains($0) }) else { return text }
        return String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// A file's bytes, refusing to follow a symbolic link (git opens `.mailmap` with O_NOFOLLOW).
    private static func readNoFollow(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do { return Array(try handle.readToEnd() ?? Data()) } catch { return nil }
    }
}

extension Repository {
    /// The bytes of the blob a revision expression such as `HEAD:.mailmap` names.
    func blobContent(named revision: String) throws -> [UInt8] {
        try withRevision(revision, as: GIT_OBJECT_BLOB, "a file") { blob in
            Array(UnsafeRawBufferPointer(start: git_blob_rawcontent(blob), count: Int(git_blob_rawsize(blob))))
        }
    }
}
