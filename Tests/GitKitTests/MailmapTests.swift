import Foundation
import Testing
import TestSupport
@testable import GitKit

/// The mailmap read by bm-git against `git check-mailmap`, on lines libgit2 1.5 gets wrong.
@Suite struct MailmapTests {
    private let mailmap = """
        # a comment line
        Proper Name <proper@example.com>
        Empty Email Person <>
        <canonical@example.com> <Alias@Example.COM>
        Trailing <trail@example.com> some trailing words
        Right Name <Right@Example.com> Wrong Name <wrong@example.com>
        Other Right <other-right@example.com> Second Wrong <WRONG@example.com>
        Overridden <over@example.com>
        Override Wins <over@example.com>
        Nameless Old <nameless@example.com> <>
        \tSpaced   Name\t <spaced@example.com>\r
        Last <after-empty@example.com>

        """

    private let contacts = [
        "Someone <proper@example.com>", "Someone <PROPER@EXAMPLE.COM>", "X <alias@example.com>",
        "X <ALIAS@example.com>", "Who <trail@example.com>", "Wrong Name <wrong@example.com>",
        "wrong name <WRONG@example.com>", "Second Wrong <wrong@example.com>", "Nobody Else <wrong@example.com>",
        "A <over@example.com>", "Blank <>", "S <spaced@example.com>", "L <after-empty@example.com>",
        "Unmapped <unmapped@example.com>", "Empty Email Person <empty@example.com>",
    ]

    private func expected(_ repo: TestRepo, _ contact: String) throws -> (String, String) {
        let mapped = try repo.git("check-mailmap", contact)
        let open = try #require(mapped.lastIndex(of: "<"))
        return (String(mapped[..<open]).trimmingCharacters(in: .whitespaces),
                String(mapped[mapped.index(after: open)...].dropLast()))
    }

    private func split(_ contact: String) -> (String, String) {
        let open = contact.lastIndex(of: "<")!
        return (String(contact[..<open]).trimmingCharacters(in: .whitespaces),
                String(contact[contact.index(after: open)...].dropLast()))
    }

    /// bm-git maps each of `contacts` as `git check-mailmap` does in `repo`.
    private func expectAgreement(_ repo: TestRepo, on contacts: [String]) throws {
        let loaded = try Mailmap(repository: try Repository.discover(from: repo.path))
        for contact in contacts {
            let (name, email) = split(contact)
            let resolved = loaded.resolve(name: name, email: email)
            let git = try expected(repo, contact)
            #expect(resolved.name == git.0 && resolved.email == git.1, "\(contact): bm-git \(resolved), git \(git)")
        }
    }

    @Test func agreesWithGitCheckMailmapOnEveryKindOfLine() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("mailmap", files: [".mailmap": mailmap])
        try expectAgreement(repo, on: contacts)
    }

    @Test func readsMailmapFileAndBlobAfterTheWorkTreeFile() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("maps", files: [".mailmap": "From Tree <tree@example.com>\n",
                                        "extra.mailmap": "From Blob <blob@example.com>\nBlob Loses <file@example.com>\n"])
        try "From File <file@example.com>\n".write(toFile: sandbox.root + "/file.mailmap", atomically: true, encoding: .utf8)
        try repo.git("config", "mailmap.blob", "HEAD:extra.mailmap")
        try repo.git("config", "mailmap.file", sandbox.root + "/file.mailmap")
        try expectAgreement(repo, on: ["a <tree@example.com>", "b <blob@example.com>", "c <file@example.com>"])
    }

    @Test func aSymbolicLinkedMailmapIsNotFollowed() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try "Linked <linked@example.com>\n".write(toFile: sandbox.root + "/elsewhere", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/.mailmap", withDestinationPath: sandbox.root + "/elsewhere")
        let loaded = try Mailmap(repository: try Repository.discover(from: repo.path))
        #expect(loaded.resolve(name: "x", email: "linked@example.com").name == "x")
        #expect(try expected(repo, "x <linked@example.com>").0 == "x")
    }
}
