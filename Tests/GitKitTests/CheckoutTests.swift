import Foundation
import Testing
import TestSupport
@testable import GitKit

@Suite struct CheckoutTests {
    @Test func checksOutOnlyChangedPathsAndLeavesOtherLocalEditsAlone() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let old = try repo.commit("one", files: ["a.txt": "1\n", "b.txt": "1\n"])
        let new = try repo.commit("two", files: ["a.txt": "2\n"])
        try repo.git("reset", "-q", "--hard", old)
        try repo.write("b.txt", "local edit\n")
        let opened = try Repository.discover(from: repo.path)
        try opened.checkoutSafely(tree: opened.tree(ofCommit: OID(hex: new)!), from: opened.tree(ofCommit: OID(hex: old)!))
        #expect(try String(contentsOfFile: repo.path + "/a.txt", encoding: .utf8) == "2\n")
        #expect(try String(contentsOfFile: repo.path + "/b.txt", encoding: .utf8) == "local edit\n")
        #expect(try repo.git("diff", "--cached", "--name-only", new) == "")
    }

    @Test func refusesToOverwriteALocalChangeBeforeWritingAnything() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let old = try repo.commit("one", files: ["a.txt": "1\n", "b.txt": "1\n"])
        let new = try repo.commit("two", files: ["a.txt": "2\n", "b.txt": "2\n"])
        try repo.git("reset", "-q", "--hard", old)
        try repo.write("b.txt", "local edit\n")
        let opened = try Repository.discover(from: repo.path)
        let error = #expect(throws: GitError.self) {
            try opened.checkoutSafely(tree: opened.tree(ofCommit: OID(hex: new)!), from: opened.tree(ofCommit: OID(hex: old)!))
        }
        #expect(error?.isConflict == true)
        #expect(try String(contentsOfFile: repo.path + "/a.txt", encoding: .utf8) == "1\n")
    }

    @Test func appliesEndOfLineConversionWhenAttributesAskForIt() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        try repo.commit("attributes", files: [".gitattributes": "*.txt text eol=crlf\n"])
        let old = try repo.commit("one", files: ["dir/a.txt": "1\n"])
        let new = try repo.commit("two", files: ["dir/a.txt": "2\nmore\n"])
        try repo.git("reset", "-q", "--hard", old)
        let opened = try Repository.discover(from: repo.path)
        try opened.checkoutSafely(tree: opened.tree(ofCommit: OID(hex: new)!), from: opened.tree(ofCommit: OID(hex: old)!))
        #expect(try String(contentsOfFile: repo.path + "/dir/a.txt", encoding: .utf8) == "2\r\nmore\r\n")
    }
}
