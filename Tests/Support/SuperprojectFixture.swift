import Foundation

/// A superproject with an `amp` submodule and bare remotes for both, laid out as on a real team:
/// `amp.git` and `super.git` are the remotes, `amp-work` pushes new amp commits, and `super` is
/// the developer's clone, whose submodule URL is the relative `../amp.git`.
public struct SuperprojectFixture {
    public let ampOrigin: TestRepo
    public let ampWork: TestRepo
    public let origin: TestRepo
    public let superproject: TestRepo

    /// Builds the fixture; the `amp` submodule of `super` is cloned only if `initialise`.
    public static func make(in sandbox: Sandbox, initialise: Bool = true) throws -> SuperprojectFixture {
        let ampWork = try sandbox.makeRepo("amp-work")
        try ampWork.commit("amp: first", files: ["amp.py": "VERSION = 1\n"])
        try ampWork.commit("amp: second", files: ["amp.py": "VERSION = 2\n"], author: .bjorn)
        try sandbox.git(["clone", "-q", "--bare", "amp-work", "amp.git"], in: sandbox.root)
        try ampWork.git("remote", "add", "origin", "../amp.git")
        try ampWork.git("fetch", "-q", "origin")
        try ampWork.git("branch", "-q", "--set-upstream-to=origin/master")

        let origin = try sandbox.makeRepo("super.git", bare: true)
        let seed = try sandbox.makeRepo("super-seed")
        try seed.git("remote", "add", "origin", "../super.git")
        try seed.commit("Add tests", files: ["pkg/test/test_utils.py": "def test_one():\n    assert True\n"])
        try seed.git("submodule", "add", "-q", "../amp.git", "amp")
        try seed.commit("Add amp submodule")
        try seed.git("push", "-q", "origin", "master")

        let superproject = try sandbox.clone(origin.path, as: "super")
        if initialise { try superproject.git("submodule", "update", "-q", "--init") }
        return SuperprojectFixture(ampOrigin: sandbox.reopen("amp.git"), ampWork: ampWork,
                                   origin: origin, superproject: superproject)
    }

    /// Pushes `count` new commits to amp's remote master; returns their shas, oldest first.
    @discardableResult
    public func advanceAmp(by count: Int) throws -> [String] {
        var shas: [String] = []
        for index in 1...count {
            shas.append(try ampWork.commit("amp: change \(index)", files: ["amp.py": "VERSION = \(index + 2)\n"],
                                           author: index % 2 == 0 ? .chen : .ana))
        }
        try ampWork.git("push", "-q", "origin", "master")
        return shas
    }
}

extension Sandbox {
    /// A `TestRepo` for an existing repository at `<root>/<name>`.
    public func reopen(_ name: String) -> TestRepo {
        TestRepo(sandbox: self, path: root + "/" + name)
    }
}
