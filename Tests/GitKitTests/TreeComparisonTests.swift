import Foundation
import Testing
import TestSupport
@testable import GitKit

@Suite struct TreeComparisonTests {
    @Test func findsTheSameChangesAsGitDiff() throws {
        let sandbox = try Sandbox()
        let repo = try sandbox.makeRepo("r")
        let old = try repo.commit("one", files: ["same.txt": "s\n", "edit.txt": "1\n", "gone/x.txt": "x\n",
                                                 "becomes-dir": "file\n", "dir/becomes-file/y.txt": "y\n",
                                                 "mode.sh": "#!/bin/sh\n", "moved.txt": "m\n"])
        try repo.git("rm", "-q", "-r", "gone", "becomes-dir", "dir/becomes-file", "moved.txt")
        try repo.write("edit.txt", "2\n")
        try repo.write("becomes-dir/z.txt", "z\n")
        try repo.write("dir/becomes-file", "now a file\n")
        try repo.write("new/deep/n.txt", "n\n")
        try repo.write("renamed.txt", "m\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: repo.path + "/mode.sh")
        let new = try repo.commit("two")
        let opened = try Repository.discover(from: repo.path)
        let changes = try opened.fileChanges(from: opened.tree(ofCommit: OID(hex: old)!),
                                             to: opened.tree(ofCommit: OID(hex: new)!))
        let expected = try repo.git("diff", "--no-renames", "--name-only", old, new).split(separator: "\n").map(String.init)
        #expect(changes.map(\.path).sorted() == expected.sorted())
        let byPath = Dictionary(uniqueKeysWithValues: changes.map { ($0.path, $0) })
        #expect(byPath["gone/x.txt"]?.new == nil && byPath["gone/x.txt"]?.old != nil)
        #expect(byPath["new/deep/n.txt"]?.old == nil && byPath["new/deep/n.txt"]?.new != nil)
        #expect(byPath["mode.sh"]?.old?.mode == 0o100644 && byPath["mode.sh"]?.new?.mode == 0o100755)
        #expect(byPath["same.txt"] == nil)
    }
}
